package dev.daxfuzz.program;

import java.util.Optional;
import java.util.Set;

/**
 * Prints a {@link Program} as canonical {@code .dxp} text: {@code parse(print(p))} equals
 * {@code p} for every program the parser accepts, and printing is a fixed point after one round.
 *
 * <p>Canonical form: header lines only where the value differs from {@link Header#defaults()}, in
 * spec order (device, persistency, fs, sync-fault, daxfile, journal-commit, recovery-crashes, then each bug); one statement per
 * line, words separated by one space, each line ending in {@code \n}. Addresses and offsets are
 * lower-case {@code 0x} hex; lengths, sizes, counts and alignments are decimal, or {@code K}/
 * {@code M} when that is exact. Flags are in enum order. Data literals keep the form they were
 * written in: text re-escaped (printable ASCII raw except {@code "} and {@code \}; {@code \n},
 * {@code \t}; every other byte {@code \xHH}), hex in lower case, {@code fill:0xHH*COUNT},
 * {@code uN:0x...}.
 *
 * <p>Limits: a program built by hand with values the parser would reject (a negative offset, an
 * fd name that is no identifier) prints, but does not parse back.
 */
public final class ProgramPrinter {
    private static final String HEX_DIGITS = "0123456789abcdef";

    private ProgramPrinter() {
    }

    /** The whole program, header first; the empty string for an empty program with the default header. */
    public static String print(Program program) {
        StringBuilder sb = new StringBuilder();
        Header h = program.header();
        Header d = Header.defaults();
        if (h.deviceBytes() != d.deviceBytes()) {
            sb.append("device ").append(size(h.deviceBytes())).append('\n');
        }
        if (h.persistency() != d.persistency()) {
            sb.append("persistency ").append(h.persistency().keyword()).append('\n');
        }
        if (!h.fs().equals(d.fs())) {
            sb.append("fs ").append(h.fs()).append('\n');
        }
        if (h.syncFault() != d.syncFault()) {
            sb.append("sync-fault ").append(h.syncFault().keyword()).append('\n');
        }
        if (h.daxfile() != d.daxfile()) {
            sb.append("daxfile ").append(h.daxfile().keyword()).append('\n');
        }
        if (h.journalCommit() != d.journalCommit()) {
            sb.append("journal-commit ").append(h.journalCommit().keyword()).append('\n');
        }
        if (h.recoveryCrashes() != d.recoveryCrashes()) {
            sb.append("recovery-crashes ").append(h.recoveryCrashes()).append('\n');
        }
        for (String bug : h.bugs()) {
            sb.append("bug ").append(bug).append('\n');
        }
        if (!h.schedule().isEmpty()) {
            sb.append("schedule ").append(h.schedule()).append('\n');
        }
        String task = Step.SETUP;
        for (Step step : program.steps()) {
            if (!step.task().equals(task)) {
                task = step.task();
                sb.append("task ").append(task).append('\n');
            }
            sb.append(print(step)).append('\n');
        }
        return sb.toString();
    }

    /** One statement, without a line end: the operation and, if present, {@code " => RESULT"}. */
    public static String print(Step step) {
        StringBuilder sb = new StringBuilder(print(step.op()));
        Optional<Expectation> expectation = step.expectation();
        expectation.ifPresent(e -> sb.append(" => ").append(print(e)));
        return sb.toString();
    }

    /** One operation, without an expectation. */
    public static String print(Op op) {
        String k = op.keyword();
        if (op instanceof Op.Store s) {
            return join(k, address(s.addr()), print(s.data()));
        } else if (op instanceof Op.NtStore s) {
            return join(k, address(s.addr()), print(s.data()));
        } else if (op instanceof Op.Flush f) {
            return join(k, address(f.addr()));
        } else if (op instanceof Op.Crash c && c.choices().isPresent()) {
            return join(k, "choose", print(c.choices().get()));
        } else if (op instanceof Op.Fence || op instanceof Op.Crash || op instanceof Op.Sync) {
            return k;
        } else if (op instanceof Op.Load l) {
            return join(k, address(l.addr()), size(l.len()));
        } else if (op instanceof Op.Mkdir m) {
            return join(k, m.path().toString());
        } else if (op instanceof Op.Rmdir r) {
            return join(k, r.path().toString());
        } else if (op instanceof Op.Open o) {
            return join(k, o.fd(), o.path().toString(), flags(o.flags(), Op.OpenFlag.values()));
        } else if (op instanceof Op.Close c) {
            return join(k, c.fd());
        } else if (op instanceof Op.Write w) {
            return join(k, w.fd(), address(w.off()), print(w.data()));
        } else if (op instanceof Op.Read r) {
            return join(k, r.fd(), address(r.off()), size(r.len()));
        } else if (op instanceof Op.Truncate t) {
            return join(k, t.fd(), size(t.len()));
        } else if (op instanceof Op.Fallocate f) {
            return join(k, f.fd(), f.mode().keyword(), address(f.off()), size(f.len()));
        } else if (op instanceof Op.Fsync f) {
            return join(k, f.fd());
        } else if (op instanceof Op.Fdatasync f) {
            return join(k, f.fd());
        } else if (op instanceof Op.Unlink u) {
            return join(k, u.path().toString());
        } else if (op instanceof Op.Link l) {
            return join(k, l.oldPath().toString(), l.newPath().toString());
        } else if (op instanceof Op.Rename r) {
            return join(k, r.oldPath().toString(), r.newPath().toString());
        } else if (op instanceof Op.Mmap m) {
            return join(k, m.map(), m.fd(), address(m.off()), size(m.len()), flags(m.flags(), Op.MapFlag.values()));
        } else if (op instanceof Op.Munmap m) {
            return join(k, m.map());
        } else if (op instanceof Op.Msync m) {
            return join(k, m.map(), address(m.off()), size(m.len()));
        } else if (op instanceof Op.MStore m) {
            return join(k, m.map(), address(m.off()), print(m.data()));
        } else if (op instanceof Op.MNtStore m) {
            return join(k, m.map(), address(m.off()), print(m.data()));
        } else if (op instanceof Op.MFlush m) {
            return join(k, m.map(), address(m.off()));
        } else if (op instanceof Op.MLoad m) {
            return join(k, m.map(), address(m.off()), size(m.len()));
        } else if (op instanceof Op.Persist p) {
            return join(k, p.map(), address(p.off()), size(p.len()));
        } else if (op instanceof Op.Daxctl d) {
            String s = join(k, d.path().toString(), d.action().keyword());
            return d.align().isPresent() ? join(s, size(d.align().getAsLong())) : s;
        } else if (op instanceof Op.Cred c) {
            return join(k, c.action().keyword(), c.capability());
        } else if (op instanceof Op.Poison p) {
            return join(k, p.path().toString(), address(p.off()), size(p.len()));
        } else if (op instanceof Op.PoisonDevice p) {
            return join(k, address(p.addr()), size(p.len()));
        }
        throw new AssertionError("operation without a printer: " + op);
    }

    /** A result as written after {@code =>}. */
    public static String print(Expectation expectation) {
        if (expectation instanceof Expectation.Ok) {
            return "ok";
        } else if (expectation instanceof Expectation.Failure f) {
            return f.errno().name();
        } else if (expectation instanceof Expectation.Word w) {
            return w.word().keyword();
        } else if (expectation instanceof Expectation.Returns r) {
            return print(r.data());
        }
        throw new AssertionError("expectation without a printer: " + expectation);
    }

    /** A data literal in the form it was written. */
    public static String print(Data data) {
        if (data instanceof Data.Text t) {
            return text(t.bytes());
        } else if (data instanceof Data.Hex h) {
            return "hex:" + h.bytes().toHex();
        } else if (data instanceof Data.Fill f) {
            return "fill:0x" + HEX_DIGITS.charAt(f.value() >> 4) + HEX_DIGITS.charAt(f.value() & 0xf) + "*"
                    + size(f.count());
        } else if (data instanceof Data.UInt u) {
            return "u" + 8 * u.widthBytes() + ":0x" + Long.toHexString(u.value());
        }
        throw new AssertionError("data without a printer: " + data);
    }

    /** An address or offset: lower-case {@code 0x} hex. */
    static String address(long value) {
        return "0x" + Long.toHexString(value);
    }

    /** A length, size or count: {@code NM} or {@code NK} when exact, decimal otherwise. */
    static String size(long value) {
        if (value != 0 && value % (1L << 20) == 0) {
            return (value >> 20) + "M";
        }
        if (value != 0 && value % (1L << 10) == 0) {
            return (value >> 10) + "K";
        }
        return Long.toString(value);
    }

    private static String text(Bytes bytes) {
        StringBuilder sb = new StringBuilder(bytes.length() + 2).append('"');
        for (int i = 0; i < bytes.length(); i++) {
            int b = bytes.get(i) & 0xff;
            if (b == '"' || b == '\\') {
                sb.append('\\').append((char) b);
            } else if (b == '\n') {
                sb.append("\\n");
            } else if (b == '\t') {
                sb.append("\\t");
            } else if (b >= 0x20 && b < 0x7f) {
                sb.append((char) b);
            } else {
                sb.append("\\x").append(HEX_DIGITS.charAt(b >> 4)).append(HEX_DIGITS.charAt(b & 0xf));
            }
        }
        return sb.append('"').toString();
    }

    private static <E extends Enum<E> & Keyword> String flags(Set<E> flags, E[] order) {
        StringBuilder sb = new StringBuilder();
        for (E flag : order) {
            if (flags.contains(flag)) {
                if (sb.length() > 0) {
                    sb.append(',');
                }
                sb.append(flag.keyword());
            }
        }
        return sb.toString();
    }

    private static String join(String... words) {
        return String.join(" ", words);
    }
}
