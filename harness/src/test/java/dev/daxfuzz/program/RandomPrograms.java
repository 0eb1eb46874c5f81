package dev.daxfuzz.program;

import dev.daxfuzz.pm.Persistency;
import dev.daxfuzz.posix.Errno;
import java.math.BigInteger;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.SplittableRandom;

/**
 * Test support: seeded random programs that the parser must accept, and a writer that renders a
 * program in a random but equivalent spelling (other number bases and suffixes, other escapes,
 * flags in any order, tabs, comments, blank lines, CRLF, header lines in any order, default
 * header values spelt out).
 *
 * <p>The generator follows the validator's rules: ops of the header's domain only, device
 * ranges inside the device, names bound before use, results only where they are allowed.
 */
final class RandomPrograms {
    private static final SourcePos NOWHERE = new SourcePos(1, 1);
    private static final String[] NAMES = {"f", "g", "h_1", "_x", "Fd2", "m", "map_0"};
    private static final String[] CAPS = {"CAP_LINUX_IMMUTABLE", "CAP_SYS_ADMIN", "CAP_FOWNER", "CAP_9_"};
    /** Characters for path components, including multi-byte ones and ones that look like syntax. */
    private static final String[] PATH_CHARS = {"a", "b", "z", "A", "0", "9", "-", "_", ".", ",", ":", "*", "\\",
        "=", ">", "!", "'", "é", "日", "😀"};

    private RandomPrograms() {
    }

    static Program program(SplittableRandom r) {
        Header h = header(r);
        List<Step> steps = new ArrayList<>();
        List<String> fds = new ArrayList<>();
        List<String> maps = new ArrayList<>();
        int n = r.nextInt(4) == 0 ? 0 : r.nextInt(1, 30);
        for (int i = 0; i < n; i++) {
            Op op = h.rawDevice() ? rawOp(r, h.deviceBytes()) : fsOp(r, fds, maps);
            steps.add(new Step(op, expectation(r, op), NOWHERE));
        }
        return new Program(h, steps);
    }

    private static Header header(SplittableRandom r) {
        Header h = Header.defaults();
        if (r.nextBoolean()) {
            long pages = r.nextInt(8) == 0 ? Header.DEVICE_BYTES_MAX / 4096 : r.nextLong(1, 1 << 14);
            h = h.withDeviceBytes(pages * 4096);
        }
        h = h.withPersistency(pick(r, Persistency.values()));
        h = h.withFs(r.nextInt(5) < 2 ? Header.FS_NONE : Header.FS_JOURNAL);
        if (!h.rawDevice() && h.deviceBytes() < Header.JOURNAL_DEVICE_BYTES_MIN) {
            h = h.withDeviceBytes(Header.JOURNAL_DEVICE_BYTES_MIN);
        }
        h = h.withSyncFault(pick(r, Header.SyncFault.values()));
        h = h.withDaxfile(pick(r, Header.DaxfileDesign.values()));
        List<String> pool = new ArrayList<>(BugNames.ALL);
        List<String> bugs = new ArrayList<>();
        int count = r.nextInt(4);
        for (int i = 0; i < count; i++) {
            bugs.add(pool.remove(r.nextInt(pool.size())));
        }
        return h.withBugs(bugs);
    }

    private static Op rawOp(SplittableRandom r, long device) {
        switch (r.nextInt(7)) {
            case 0:
            case 1: {
                Data d = data(r, 1, 64);
                long addr = r.nextLong(device - d.length() + 1);
                return r.nextBoolean() ? new Op.Store(addr, d) : new Op.NtStore(addr, d);
            }
            case 2:
                return new Op.Flush(pick(r, Op.FlushKind.values()), r.nextLong(device));
            case 3:
                return new Op.Fence(pick(r, Op.FenceKind.values()));
            case 4:
                return new Op.Crash();
            case 5: {
                if (r.nextBoolean()) {
                    long len = r.nextLong(1, 129);
                    return new Op.PoisonDevice(r.nextLong(device - len + 1), len);
                }
                long len = r.nextLong(1, 65);
                return new Op.Load(r.nextLong(device - len + 1), len);
            }
            default: {
                long len = r.nextLong(1, 65);
                return new Op.Load(r.nextLong(device - len + 1), len);
            }
        }
    }

    private static Op fsOp(SplittableRandom r, List<String> fds, List<String> maps) {
        int kind = r.nextInt(30);
        if (fds.isEmpty() || (kind >= 20 && maps.isEmpty() && r.nextBoolean())) {
            kind = fds.isEmpty() ? 0 : 1;
        } else if (kind >= 20 && maps.isEmpty()) {
            kind = 1;
        }
        switch (kind) {
            case 0: {
                String fd = pick(r, NAMES);
                if (!fds.contains(fd)) {
                    fds.add(fd);
                }
                return new Op.Open(fd, path(r), flags(r, Op.OpenFlag.class));
            }
            case 1: {
                String map = pick(r, NAMES);
                if (!maps.contains(map)) {
                    maps.add(map);
                }
                return new Op.Mmap(map, pick(r, fds), number(r), number(r), flags(r, Op.MapFlag.class));
            }
            case 2: return new Op.Mkdir(path(r));
            case 3: return new Op.Rmdir(path(r));
            case 4: return new Op.Close(pick(r, fds));
            case 5: return new Op.Write(pick(r, fds), number(r), data(r, 0, 100));
            case 6: return new Op.Read(pick(r, fds), number(r), number(r));
            case 7: return new Op.Truncate(pick(r, fds), number(r));
            case 8: return new Op.Fallocate(pick(r, fds), pick(r, Op.FallocMode.values()), number(r), number(r));
            case 9: return new Op.Fsync(pick(r, fds));
            case 10: return new Op.Fdatasync(pick(r, fds));
            case 11: return new Op.Sync();
            case 12: return new Op.Unlink(path(r));
            case 13: return new Op.Link(path(r), path(r));
            case 14: return new Op.Rename(path(r), path(r));
            case 15: {
                Op.DaxctlAction action = pick(r, Op.DaxctlAction.values());
                OptionalLong align = action == Op.DaxctlAction.STATIC && r.nextBoolean()
                        ? OptionalLong.of(number(r)) : OptionalLong.empty();
                return new Op.Daxctl(path(r), action, align);
            }
            case 16: {
                String cap = r.nextBoolean() ? pick(r, CAPS) : "CAP_" + word(r, "ABCXYZ019_", 1, 12);
                return new Op.Cred(pick(r, Op.CredAction.values()), cap);
            }
            case 17: return new Op.Fence(pick(r, Op.FenceKind.values()));
            case 18: return new Op.Crash();
            case 19: return new Op.Open(pick(r, fds), path(r), flags(r, Op.OpenFlag.class));
            case 20: return new Op.Munmap(pick(r, maps));
            case 21: return new Op.Msync(pick(r, maps), number(r), number(r));
            case 22: return new Op.MStore(pick(r, maps), number(r), data(r, 0, 100));
            case 23: return new Op.MNtStore(pick(r, maps), number(r), data(r, 0, 100));
            case 24: return new Op.MFlush(pick(r, Op.FlushKind.values()), pick(r, maps), number(r));
            case 25: return new Op.MLoad(pick(r, maps), number(r), number(r));
            case 26: return new Op.Persist(pick(r, maps), number(r), number(r));
            case 27: return new Op.Poison(path(r), number(r), Math.max(1, number(r)));
            default: return new Op.Fence(Op.FenceKind.SFENCE);
        }
    }

    private static Optional<Expectation> expectation(SplittableRandom r, Op op) {
        switch (r.nextInt(6)) {
            case 0:
                return Optional.of(new Expectation.Ok());
            case 1:
                return Optional.of(new Expectation.Failure(pick(r, Errno.values())));
            case 2:
                if (op instanceof Op.Read || op instanceof Op.MLoad || op instanceof Op.Load) {
                    return Optional.of(new Expectation.Returns(data(r, 0, 64)));
                }
                if (op instanceof Op.Daxctl d && d.action() == Op.DaxctlAction.GET) {
                    return Optional.of(new Expectation.Word(r.nextBoolean()
                            ? Expectation.ResultWord.STATIC : Expectation.ResultWord.DYNAMIC));
                }
                if (op instanceof Op.MStore || op instanceof Op.MNtStore || op instanceof Op.MLoad
                        || op instanceof Op.MFlush || op instanceof Op.Persist || op instanceof Op.Load) {
                    return Optional.of(new Expectation.Word(Expectation.ResultWord.SIGBUS));
                }
                return Optional.empty();
            default:
                return Optional.empty();
        }
    }

    /** An offset, length or size: mostly small, sometimes page multiples, sometimes huge. */
    static long number(SplittableRandom r) {
        switch (r.nextInt(5)) {
            case 0: return r.nextLong(0, 4096);
            case 1: return r.nextLong(0, 1 << 12) * 4096;
            case 2: return r.nextLong(0, 1 << 10) << 20;
            case 3: return r.nextLong(0, Long.MAX_VALUE) | (r.nextBoolean() ? Long.MAX_VALUE : 0);
            default: return r.nextLong(0, 1L << 40);
        }
    }

    /** A data literal of {@code min..max} bytes, except that a large fill may exceed {@code max} when min is 0. */
    static Data data(SplittableRandom r, int min, int max) {
        int choice = r.nextInt(5);
        if (choice == 3 && min == 0 && r.nextInt(4) == 0) {
            return new Data.Fill(r.nextInt(256), r.nextBoolean() ? Data.Fill.COUNT_MAX : r.nextLong(Data.Fill.COUNT_MAX));
        }
        int length = r.nextInt(min, max + 1);
        switch (choice) {
            case 0:
                return new Data.Text(Bytes.of(bytes(r, length)));
            case 1:
                return Data.Text.of(unicode(r, Math.max(min, length / 3)));
            case 2:
                return new Data.Hex(Bytes.of(bytes(r, length)));
            case 3:
                return new Data.Fill(r.nextInt(256), length);
            default: {
                int[] widths = {1, 2, 4, 8};
                int w = widths[r.nextInt(widths.length)];
                while (w > max) {
                    w /= 2;
                }
                long v = r.nextLong();
                v = w == 8 ? v : v & ((1L << (8 * w)) - 1);
                if (r.nextInt(4) == 0) {
                    v = w == 8 ? -1L : (1L << (8 * w)) - 1;
                }
                return new Data.UInt(w, v);
            }
        }
    }

    private static byte[] bytes(SplittableRandom r, int length) {
        byte[] b = new byte[length];
        for (int i = 0; i < length; i++) {
            // Mostly printable so that raw spelling gets exercised, with every other byte as well.
            b[i] = (byte) (r.nextInt(3) == 0 ? r.nextInt(256) : r.nextInt(0x20, 0x7f));
        }
        return b;
    }

    private static String unicode(SplittableRandom r, int length) {
        String[] pool = {"a", "Z", " ", "#", "\"", "\\", "=>", "é", "日", "😀", "\n", "\t", "\u0001", "\u007f"};
        StringBuilder sb = new StringBuilder();
        for (int i = 0; sb.toString().getBytes(StandardCharsets.UTF_8).length < length && i < length; i++) {
            sb.append(pick(r, pool));
        }
        return sb.toString();
    }

    static FsPath path(SplittableRandom r) {
        int n = r.nextInt(FsPath.COMPONENTS_MAX + 1);
        List<String> components = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            String c;
            do {
                StringBuilder sb = new StringBuilder();
                int length = r.nextInt(4) == 0 ? FsPath.COMPONENT_BYTES_MAX : r.nextInt(1, 10);
                while (true) {
                    String next = pick(r, PATH_CHARS);
                    if ((sb + next).getBytes(StandardCharsets.UTF_8).length > length) {
                        break;
                    }
                    sb.append(next);
                }
                c = sb.toString();
            } while (c.isEmpty() || c.equals(".") || c.equals(".."));
            components.add(c);
        }
        return new FsPath(components);
    }

    private static <E extends Enum<E> & Keyword> EnumSet<E> flags(SplittableRandom r, Class<E> type) {
        E[] values = type.getEnumConstants();
        EnumSet<E> set = EnumSet.noneOf(type);
        while (set.isEmpty()) {
            for (E v : values) {
                if (r.nextInt(3) == 0) {
                    set.add(v);
                }
            }
        }
        return set;
    }

    private static String word(SplittableRandom r, String alphabet, int min, int max) {
        int n = r.nextInt(min, max + 1);
        StringBuilder sb = new StringBuilder();
        for (int i = 0; i < n; i++) {
            sb.append(alphabet.charAt(r.nextInt(alphabet.length())));
        }
        return sb.toString();
    }

    static <T> T pick(SplittableRandom r, T[] values) {
        return values[r.nextInt(values.length)];
    }

    private static <T> T pick(SplittableRandom r, List<T> values) {
        return values.get(r.nextInt(values.size()));
    }

    // ---- the noisy writer ------------------------------------------------------------------------

    /** {@code p} spelt differently from {@link ProgramPrinter}, but meaning the same program. */
    static String noisy(SplittableRandom r, Program p) {
        StringBuilder sb = new StringBuilder();
        if (r.nextInt(8) == 0) {
            sb.append('\uFEFF');
        }
        for (List<String> line : headerLines(r, p.header())) {
            emitLine(r, sb, line);
        }
        for (Step step : p.steps()) {
            emitLine(r, sb, stepWords(r, step));
        }
        return sb.toString();
    }

    private static List<List<String>> headerLines(SplittableRandom r, Header h) {
        Header d = Header.defaults();
        List<List<String>> lines = new ArrayList<>();
        if (h.deviceBytes() != d.deviceBytes() || r.nextBoolean()) {
            lines.add(List.of("device", integer(r, BigInteger.valueOf(h.deviceBytes()))));
        }
        if (h.persistency() != d.persistency() || r.nextBoolean()) {
            lines.add(List.of("persistency", h.persistency().keyword()));
        }
        if (!h.fs().equals(d.fs()) || r.nextBoolean()) {
            lines.add(List.of("fs", h.fs()));
        }
        if (h.syncFault() != d.syncFault() || r.nextBoolean()) {
            lines.add(List.of("sync-fault", h.syncFault().keyword()));
        }
        if (h.daxfile() != d.daxfile() || r.nextBoolean()) {
            lines.add(List.of("daxfile", h.daxfile().keyword()));
        }
        // Header lines may come in any order, but bug lines keep theirs: it is part of the Header.
        List<List<String>> bugLines = new ArrayList<>();
        for (String bug : h.bugs()) {
            bugLines.add(List.of("bug", bug));
        }
        for (int i = lines.size() - 1; i > 0; i--) {
            int j = r.nextInt(i + 1);
            List<String> t = lines.get(i);
            lines.set(i, lines.get(j));
            lines.set(j, t);
        }
        for (List<String> bugLine : bugLines) {
            lines.add(r.nextInt(lines.size() + 1), bugLine);
        }
        // Keep the relative order of the bug lines after the random inserts above.
        List<List<String>> ordered = new ArrayList<>();
        int next = 0;
        for (List<String> line : lines) {
            ordered.add(line.get(0).equals("bug") ? bugLines.get(next++) : line);
        }
        return ordered;
    }

    /** Writes one line: the words separated by random blanks, with blank and comment lines around. */
    private static void emitLine(SplittableRandom r, StringBuilder sb, List<String> words) {
        while (r.nextInt(6) == 0) {
            sb.append(r.nextBoolean() ? "" : " \t").append(r.nextBoolean() ? "# a comment with \"quotes\" => ok" : "")
                    .append(eol(r));
        }
        sb.append(blanks(r, 0));
        for (int i = 0; i < words.size(); i++) {
            if (i > 0) {
                sb.append(blanks(r, 1));
            }
            sb.append(words.get(i));
        }
        if (r.nextInt(4) == 0) {
            // A '#' glued to a path is an error (it would cut the path), so only other words get one.
            boolean glue = !words.get(words.size() - 1).startsWith("/") && r.nextBoolean();
            sb.append(blanks(r, glue ? 0 : 1)).append("#").append(r.nextBoolean() ? " note: \"x" : "#");
        } else {
            sb.append(blanks(r, 0));
        }
        sb.append(eol(r));
    }

    private static String eol(SplittableRandom r) {
        return r.nextInt(4) == 0 ? "\r\n" : "\n";
    }

    private static String blanks(SplittableRandom r, int min) {
        int n = min + (r.nextInt(3) == 0 ? r.nextInt(3) : 0);
        StringBuilder sb = new StringBuilder();
        for (int i = 0; i < n; i++) {
            sb.append(r.nextInt(3) == 0 ? '\t' : ' ');
        }
        return sb.toString();
    }

    private static List<String> stepWords(SplittableRandom r, Step step) {
        // The canonical form is one space between words, and no word contains a space (strings
        // are written by this class, not split), so the printer's words can be respelt one by one.
        Op op = step.op();
        List<String> words = new ArrayList<>();
        words.add(op.keyword());
        if (op instanceof Op.Store s) {
            words.add(integer(r, s.addr()));
            words.add(data(r, s.data()));
        } else if (op instanceof Op.NtStore s) {
            words.add(integer(r, s.addr()));
            words.add(data(r, s.data()));
        } else if (op instanceof Op.Flush f) {
            words.add(integer(r, f.addr()));
        } else if (op instanceof Op.Load l) {
            words.add(integer(r, l.addr()));
            words.add(integer(r, l.len()));
        } else if (op instanceof Op.Mkdir m) {
            words.add(m.path().toString());
        } else if (op instanceof Op.Rmdir m) {
            words.add(m.path().toString());
        } else if (op instanceof Op.Open o) {
            words.add(o.fd());
            words.add(o.path().toString());
            words.add(flags(r, new ArrayList<Keyword>(o.flags())));
        } else if (op instanceof Op.Close c) {
            words.add(c.fd());
        } else if (op instanceof Op.Write w) {
            words.add(w.fd());
            words.add(integer(r, w.off()));
            words.add(data(r, w.data()));
        } else if (op instanceof Op.Read x) {
            words.add(x.fd());
            words.add(integer(r, x.off()));
            words.add(integer(r, x.len()));
        } else if (op instanceof Op.Truncate t) {
            words.add(t.fd());
            words.add(integer(r, t.len()));
        } else if (op instanceof Op.Fallocate f) {
            words.add(f.fd());
            words.add(f.mode().keyword());
            words.add(integer(r, f.off()));
            words.add(integer(r, f.len()));
        } else if (op instanceof Op.Fsync f) {
            words.add(f.fd());
        } else if (op instanceof Op.Fdatasync f) {
            words.add(f.fd());
        } else if (op instanceof Op.Unlink u) {
            words.add(u.path().toString());
        } else if (op instanceof Op.Link l) {
            words.add(l.oldPath().toString());
            words.add(l.newPath().toString());
        } else if (op instanceof Op.Rename l) {
            words.add(l.oldPath().toString());
            words.add(l.newPath().toString());
        } else if (op instanceof Op.Mmap m) {
            words.add(m.map());
            words.add(m.fd());
            words.add(integer(r, m.off()));
            words.add(integer(r, m.len()));
            words.add(flags(r, new ArrayList<Keyword>(m.flags())));
        } else if (op instanceof Op.Munmap m) {
            words.add(m.map());
        } else if (op instanceof Op.Msync m) {
            words.add(m.map());
            words.add(integer(r, m.off()));
            words.add(integer(r, m.len()));
        } else if (op instanceof Op.MStore m) {
            words.add(m.map());
            words.add(integer(r, m.off()));
            words.add(data(r, m.data()));
        } else if (op instanceof Op.MNtStore m) {
            words.add(m.map());
            words.add(integer(r, m.off()));
            words.add(data(r, m.data()));
        } else if (op instanceof Op.MFlush m) {
            words.add(m.map());
            words.add(integer(r, m.off()));
        } else if (op instanceof Op.MLoad m) {
            words.add(m.map());
            words.add(integer(r, m.off()));
            words.add(integer(r, m.len()));
        } else if (op instanceof Op.Persist m) {
            words.add(m.map());
            words.add(integer(r, m.off()));
            words.add(integer(r, m.len()));
        } else if (op instanceof Op.Poison m) {
            words.add(m.path().toString());
            words.add(integer(r, m.off()));
            words.add(integer(r, m.len()));
        } else if (op instanceof Op.PoisonDevice m) {
            words.add(integer(r, m.addr()));
            words.add(integer(r, m.len()));
        } else if (op instanceof Op.Daxctl d) {
            words.add(d.path().toString());
            words.add(d.action().keyword());
            if (d.align().isPresent()) {
                words.add(integer(r, d.align().getAsLong()));
            }
        } else if (op instanceof Op.Cred c) {
            words.add(c.action().keyword());
            words.add(c.capability());
        }
        if (step.expectation().isPresent()) {
            words.add("=>");
            Expectation e = step.expectation().get();
            words.add(e instanceof Expectation.Returns ret ? data(r, ret.data()) : ProgramPrinter.print(e));
        }
        return words;
    }

    private static String flags(SplittableRandom r, List<Keyword> flags) {
        List<String> names = new ArrayList<>();
        for (Keyword k : flags) {
            names.add(k.keyword());
        }
        names.sort(null);
        for (int i = names.size() - 1; i > 0; i--) {
            int j = r.nextInt(i + 1);
            String t = names.get(i);
            names.set(i, names.get(j));
            names.set(j, t);
        }
        return String.join(",", names);
    }

    private static String integer(SplittableRandom r, long value) {
        return integer(r, BigInteger.valueOf(value));
    }

    /** An unsigned integer in one of its spellings: decimal, hex in either case, with K or M when exact. */
    static String integer(SplittableRandom r, BigInteger value) {
        BigInteger digits = value;
        String suffix = "";
        int choice = r.nextInt(3);
        BigInteger mega = BigInteger.ONE.shiftLeft(20);
        BigInteger kilo = BigInteger.ONE.shiftLeft(10);
        if (choice == 0 && value.signum() > 0 && value.mod(mega).signum() == 0) {
            digits = value.divide(mega);
            suffix = "M";
        } else if (choice <= 1 && value.signum() > 0 && value.mod(kilo).signum() == 0) {
            digits = value.divide(kilo);
            suffix = "K";
        }
        String zeros = r.nextInt(8) == 0 ? "00" : "";
        switch (r.nextInt(4)) {
            case 0: return "0x" + zeros + digits.toString(16) + suffix;
            case 1: return (r.nextBoolean() ? "0X" : "0x") + zeros + digits.toString(16).toUpperCase() + suffix;
            default: return zeros + digits + suffix;
        }
    }

    private static String data(SplittableRandom r, Data data) {
        if (data instanceof Data.Text t) {
            return text(r, t.bytes().toArray());
        } else if (data instanceof Data.Hex h) {
            String hex = h.bytes().toHex();
            return "hex:" + (r.nextBoolean() ? hex.toUpperCase() : hex);
        } else if (data instanceof Data.Fill f) {
            return "fill:" + integer(r, f.value()) + "*" + integer(r, f.count());
        } else if (data instanceof Data.UInt u) {
            return "u" + 8 * u.widthBytes() + ":" + integer(r, new BigInteger(Long.toUnsignedString(u.value())));
        }
        throw new AssertionError(data);
    }

    private static String text(SplittableRandom r, byte[] bytes) {
        if (r.nextBoolean()) {
            // Raw UTF-8 where the bytes are valid UTF-8: exercises multi-byte characters in literals.
            try {
                String s = StandardCharsets.UTF_8.newDecoder().onMalformedInput(CodingErrorAction.REPORT)
                        .onUnmappableCharacter(CodingErrorAction.REPORT).decode(java.nio.ByteBuffer.wrap(bytes))
                        .toString();
                StringBuilder sb = new StringBuilder("\"");
                s.codePoints().forEach(cp -> {
                    if (cp == '"' || cp == '\\') {
                        sb.append('\\').appendCodePoint(cp);
                    } else if (cp == '\n') {
                        sb.append("\\n");
                    } else if (cp == '\r') {
                        // A raw CR is refused anywhere (it is no line break): it needs its escape.
                        sb.append("\\x0d");
                    } else {
                        // Other control characters, a BOM and tabs may stand raw inside a literal.
                        sb.appendCodePoint(cp);
                    }
                });
                return sb.append('"').toString();
            } catch (CharacterCodingException e) {
                // Not UTF-8: fall through to escapes.
            }
        }
        StringBuilder sb = new StringBuilder("\"");
        for (byte value : bytes) {
            int b = value & 0xff;
            boolean escape = r.nextInt(5) == 0;
            if (b == '\n' && !escape) {
                sb.append("\\n");
            } else if (b == '\t' && !escape) {
                sb.append(r.nextBoolean() ? "\\t" : "\t");
            } else if ((b == '"' || b == '\\') && !escape) {
                sb.append('\\').append((char) b);
            } else if (b >= 0x20 && b < 0x7f && !escape) {
                sb.append((char) b);
            } else {
                String hex = String.format("\\x%02x", b);
                sb.append(r.nextBoolean() ? hex : "\\x" + hex.substring(2).toUpperCase());
            }
        }
        return sb.append('"').toString();
    }
}
