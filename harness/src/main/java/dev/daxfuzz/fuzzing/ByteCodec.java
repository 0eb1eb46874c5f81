package dev.daxfuzz.fuzzing;

import dev.daxfuzz.pm.Persistency;
import dev.daxfuzz.program.Bytes;
import dev.daxfuzz.program.Data;
import dev.daxfuzz.program.FsPath;
import dev.daxfuzz.program.Header;
import dev.daxfuzz.program.Op;
import dev.daxfuzz.program.Program;
import dev.daxfuzz.program.SourcePos;
import dev.daxfuzz.program.Step;
import java.io.ByteArrayOutputStream;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.Set;

/**
 * The byte encoding of {@code SyscallCrash} programs: a total decoder (every byte string decodes
 * to a valid {@code fs journal} program, as OSS-Fuzz, older Jazzer and {@code Crash_*.java}
 * reproducers need) and its encoder, so that hand-written {@code .dxp} seeds become inputs.
 *
 * <p>Layout: one header byte (bit 0 eADR, bit 1 {@code sync-fault drop-lock-retry}, bit 2
 * {@code journal-commit async}, bit 3 a 64 KiB device instead of 1 MiB; bits 4 to 7 all set
 * for {@code recovery-crashes 1}, so that a sixteenth of random header bytes pay for crashed
 * recoveries (in a campaign's corpus such an input costs about fourteen times one without) and
 * the rest run at full speed; depth 2 costs several times depth 1 per execution, so it is left
 * to {@code explore}), then statements until the input ends or {@link #STATEMENTS_MAX} is reached: an opcode
 * byte (taken modulo the number of opcodes) and its arguments. Names come from a small name space
 * ({@link #PATHS}, descriptors {@code f0..f3}, mappings {@code m0, m1}) so that operations meet
 * each other; a statement that would use a descriptor or mapping before any is bound picks none
 * and is dropped, which keeps every decoded program valid under {@code ProgramValidator}. Missing
 * bytes read as zero. Numbers use a one-byte tag: a byte, a byte of 4 KiB pages, 16 or 24 bits.
 *
 * <p>The design (daxfile) and seeded bugs are not in the bytes: they are the target's
 * configuration ({@link FuzzConfig}), so one corpus serves every design. Expectations
 * ({@code =>}) are not encoded.
 *
 * <p>The encoder renames: descriptors, mappings and path components get the name space's names
 * in order of first use, so any program with at most four descriptors, two mappings, six distinct
 * path components and paths of depth two encodes. Limits: deeper paths, more names, numbers beyond
 * 24 bits, raw data literals over {@link #RAW_BYTES_MAX} bytes and fills over {@link #FILL_MAX}
 * cannot be encoded ({@link #encode} says which statement).
 */
public final class ByteCodec {
    /** Header bits that, all set, ask for crashed recoveries. */
    private static final int RECOVERY_CRASH_BITS = 0xf0;
    /** At most this many statements per program. */
    public static final int STATEMENTS_MAX = 40;
    /** Raw data literals longer than this are not worth encoding byte by byte. */
    public static final int RAW_BYTES_MAX = 255;
    /** Fill data is capped at 64 KiB: larger writes cost time and find nothing smaller ones miss. */
    public static final long FILL_MAX = 1L << 16;
    /** Paths of depth one and two over components a..f. */
    public static final List<FsPath> PATHS;
    private static final String[] FDS = {"f0", "f1", "f2", "f3"};
    private static final String[] MAPS = {"m0", "m1"};
    private static final String[] COMPONENTS = {"a", "b", "c", "d", "e", "f"};
    private static final String[] CAPS = {"CAP_LINUX_IMMUTABLE", "CAP_SYS_ADMIN"};

    static {
        List<FsPath> p = new ArrayList<>();
        String[] comps = {"a", "b", "c", "d", "e", "f"};
        for (String c : comps) {
            p.add(new FsPath(List.of(c)));
        }
        for (String c : comps) {
            for (String d : comps) {
                p.add(new FsPath(List.of(c, d)));
            }
        }
        PATHS = List.copyOf(p);
    }

    /** At most this many choice bytes after a {@code crash choose}. */
    public static final int CHOICES_MAX = 16;

    /**
     * Statement kinds, in opcode order (the opcode byte is the ordinal). Appending keeps encoded
     * inputs meaning what they meant. {@code CRASH_DRAWN} is {@code crash choose}: a length byte
     * (1 + byte % {@link #CHOICES_MAX}) and that many choice bytes.
     */
    public enum Kind {
        MKDIR, RMDIR, OPEN, CLOSE, WRITE, READ, TRUNCATE, FALLOCATE, FSYNC, FDATASYNC, SYNC, UNLINK, LINK, RENAME,
        MMAP, MUNMAP, MSYNC, MSTORE, MNTSTORE, MFLUSH, MLOAD, PERSIST, DAXCTL, CRED, FENCE, CRASH, CRASH_DRAWN,
        /** {@code poison PATH OFF LEN}: a path byte and two numbers (a length of 0 decodes as 1). */
        POISON
    }

    private static final Kind[] KINDS = Kind.values();

    private ByteCodec() {
    }

    // ---- decoding ------------------------------------------------------------------------------

    /** Decodes {@code input} into a program under {@code config}; never fails. */
    public static Program decode(byte[] input, FuzzConfig config) {
        Reader r = new Reader(input);
        int h = r.u8();
        Header header = Header.defaults()
                .withPersistency((h & 1) != 0 ? Persistency.EADR : Persistency.ADR)
                .withSyncFault((h & 2) != 0 ? Header.SyncFault.DROP_LOCK_RETRY : Header.SyncFault.FSYNC_BEFORE_PTE)
                .withJournalCommit((h & 4) != 0 ? Header.JournalCommit.ASYNC : Header.JournalCommit.SYNC)
                .withDeviceBytes((h & 8) != 0 ? 64 * 1024 : 1024 * 1024)
                .withRecoveryCrashes((h & RECOVERY_CRASH_BITS) == RECOVERY_CRASH_BITS ? 1 : 0);
        header = config.apply(header);
        List<Step> steps = new ArrayList<>();
        List<String> fds = new ArrayList<>();
        List<String> maps = new ArrayList<>();
        while (r.more() && steps.size() < STATEMENTS_MAX) {
            Op op = decodeOp(r, fds, maps);
            if (op != null) {
                steps.add(new Step(op, Optional.empty(), new SourcePos(steps.size() + 1, 1)));
            }
        }
        return new Program(header, steps);
    }

    private static Op decodeOp(Reader r, List<String> fds, List<String> maps) {
        Kind k = KINDS[r.u8() % KINDS.length];
        switch (k) {
            case MKDIR: return new Op.Mkdir(path(r));
            case RMDIR: return new Op.Rmdir(path(r));
            case OPEN: {
                String fd = FDS[r.u8() % FDS.length];
                FsPath p = path(r);
                Set<Op.OpenFlag> flags = openFlags(r.u8());
                bind(fds, fd);
                return new Op.Open(fd, p, flags);
            }
            case CLOSE: {
                String fd = pick(r, fds);
                return fd == null ? null : new Op.Close(fd);
            }
            case WRITE: {
                String fd = pick(r, fds);
                long off = number(r);
                Data d = data(r);
                return fd == null ? null : new Op.Write(fd, off, d);
            }
            case READ: {
                String fd = pick(r, fds);
                long off = number(r);
                long len = number(r);
                return fd == null ? null : new Op.Read(fd, off, len);
            }
            case TRUNCATE: {
                String fd = pick(r, fds);
                long len = number(r);
                return fd == null ? null : new Op.Truncate(fd, len);
            }
            case FALLOCATE: {
                String fd = pick(r, fds);
                Op.FallocMode mode = Op.FallocMode.values()[r.u8() % Op.FallocMode.values().length];
                long off = number(r);
                long len = number(r);
                return fd == null ? null : new Op.Fallocate(fd, mode, off, len);
            }
            case FSYNC: {
                String fd = pick(r, fds);
                return fd == null ? null : new Op.Fsync(fd);
            }
            case FDATASYNC: {
                String fd = pick(r, fds);
                return fd == null ? null : new Op.Fdatasync(fd);
            }
            case SYNC: return new Op.Sync();
            case UNLINK: return new Op.Unlink(path(r));
            case LINK: return new Op.Link(path(r), path(r));
            case RENAME: return new Op.Rename(path(r), path(r));
            case MMAP: {
                String map = MAPS[r.u8() % MAPS.length];
                String fd = pick(r, fds);
                long off = number(r);
                long len = number(r);
                Set<Op.MapFlag> flags = mapFlags(r.u8());
                if (fd == null) {
                    return null;
                }
                bind(maps, map);
                return new Op.Mmap(map, fd, off, len, flags);
            }
            case MUNMAP: {
                String m = pick(r, maps);
                return m == null ? null : new Op.Munmap(m);
            }
            case MSYNC: {
                String m = pick(r, maps);
                long off = number(r);
                long len = number(r);
                return m == null ? null : new Op.Msync(m, off, len);
            }
            case MSTORE: {
                String m = pick(r, maps);
                long off = number(r);
                Data d = data(r);
                return m == null ? null : new Op.MStore(m, off, d);
            }
            case MNTSTORE: {
                String m = pick(r, maps);
                long off = number(r);
                Data d = data(r);
                return m == null ? null : new Op.MNtStore(m, off, d);
            }
            case MFLUSH: {
                String m = pick(r, maps);
                Op.FlushKind kind = Op.FlushKind.values()[r.u8() % Op.FlushKind.values().length];
                long off = number(r);
                return m == null ? null : new Op.MFlush(kind, m, off);
            }
            case MLOAD: {
                String m = pick(r, maps);
                long off = number(r);
                long len = number(r);
                return m == null ? null : new Op.MLoad(m, off, len);
            }
            case PERSIST: {
                String m = pick(r, maps);
                long off = number(r);
                long len = number(r);
                return m == null ? null : new Op.Persist(m, off, len);
            }
            case DAXCTL: {
                FsPath p = path(r);
                int b = r.u8();
                Op.DaxctlAction action = Op.DaxctlAction.values()[b % 3];
                int alignCode = (b / 3) % 4;
                OptionalLong align = action == Op.DaxctlAction.STATIC && alignCode > 0
                        ? OptionalLong.of(4096L << (2 * (alignCode - 1))) : OptionalLong.empty();
                return new Op.Daxctl(p, action, align);
            }
            case CRED: {
                int b = r.u8();
                return new Op.Cred((b & 1) == 0 ? Op.CredAction.DROP : Op.CredAction.GRANT, CAPS[(b >> 1) % CAPS.length]);
            }
            case FENCE: return new Op.Fence((r.u8() & 1) == 0 ? Op.FenceKind.SFENCE : Op.FenceKind.MFENCE);
            case CRASH: return new Op.Crash();
            case CRASH_DRAWN: {
                byte[] choices = new byte[1 + r.u8() % CHOICES_MAX];
                for (int i = 0; i < choices.length; i++) {
                    choices[i] = (byte) r.u8();
                }
                return new Op.Crash(Optional.of(new Data.Hex(Bytes.of(choices))));
            }
            case POISON: {
                FsPath p = path(r);
                long off = number(r);
                long len = Math.max(1, number(r));
                return new Op.Poison(p, off, len);
            }
            default: throw new AssertionError(k);
        }
    }

    private static void bind(List<String> bound, String name) {
        if (!bound.contains(name)) {
            bound.add(name);
        }
    }

    /** A bound name chosen by the next byte, or null (the byte is consumed either way). */
    private static String pick(Reader r, List<String> bound) {
        int b = r.u8();
        return bound.isEmpty() ? null : bound.get(b % bound.size());
    }

    private static FsPath path(Reader r) {
        return PATHS.get(r.u8() % PATHS.size());
    }

    private static final Op.OpenFlag[] ACCESS = {Op.OpenFlag.RDWR, Op.OpenFlag.RDONLY, Op.OpenFlag.WRONLY, Op.OpenFlag.RDWR};

    private static Set<Op.OpenFlag> openFlags(int b) {
        EnumSet<Op.OpenFlag> s = EnumSet.of(ACCESS[b & 3]);
        if ((b & 4) != 0) {
            s.add(Op.OpenFlag.CREAT);
        }
        if ((b & 8) != 0) {
            s.add(Op.OpenFlag.EXCL);
        }
        if ((b & 16) != 0) {
            s.add(Op.OpenFlag.TRUNC);
        }
        if ((b & 32) != 0) {
            s.add(Op.OpenFlag.APPEND);
        }
        if ((b & 64) != 0) {
            s.add(Op.OpenFlag.DSYNC);
        }
        return s;
    }

    private static final Op.MapFlag[] SHARING = {Op.MapFlag.SHARED, Op.MapFlag.SHARED_VALIDATE, Op.MapFlag.PRIVATE,
        Op.MapFlag.SHARED_VALIDATE};

    private static Set<Op.MapFlag> mapFlags(int b) {
        EnumSet<Op.MapFlag> s = EnumSet.of(SHARING[b & 3]);
        if ((b & 4) != 0) {
            s.add(Op.MapFlag.SYNC);
        }
        if ((b & 8) != 0) {
            s.add(Op.MapFlag.RO);
        }
        return s;
    }

    /** Tag byte % 4: 0 a byte, 1 a byte of 4 KiB pages, 2 sixteen bits, 3 twenty-four bits. */
    private static long number(Reader r) {
        switch (r.u8() % 4) {
            case 0: return r.u8();
            case 1: return r.u8() * 4096L;
            case 2: return r.u8() | (r.u8() << 8);
            default: return r.u8() | (r.u8() << 8) | ((long) r.u8() << 16);
        }
    }

    /** Tag byte: even = raw bytes (length byte, then the bytes, at least one); odd = fill (value, count). */
    private static Data data(Reader r) {
        int tag = r.u8();
        if ((tag & 1) == 0) {
            int len = Math.max(1, r.u8());
            byte[] b = new byte[len];
            for (int i = 0; i < len; i++) {
                b[i] = (byte) r.u8();
            }
            return new Data.Hex(Bytes.of(b));
        }
        int value = r.u8();
        long count = Math.max(1, Math.min(FILL_MAX, number(r)));
        return new Data.Fill(value, count);
    }

    /** Reads bytes; past the end, zeros. */
    private static final class Reader {
        private final byte[] in;
        private int pos;

        Reader(byte[] in) {
            this.in = in;
        }

        boolean more() {
            return pos < in.length;
        }

        int u8() {
            return pos < in.length ? in[pos++] & 0xff : 0;
        }
    }

    // ---- writing -------------------------------------------------------------------------------

    /**
     * Writes inputs statement by statement in the decoder's layout, for encodings built on top of
     * this one (the typed {@code SyscallCrash} target turns its records into bytes here, so both
     * encodings become the same {@code Program} through {@link #decode}). Values out of range are
     * clamped, never rejected: the caller's input is whatever a fuzzer produced.
     */
    public static final class Writer {
        private final ByteArrayOutputStream out = new ByteArrayOutputStream();

        /** Starts an input with its header byte. */
        public Writer(boolean eadr, boolean dropLockRetry, boolean asyncCommit, boolean smallDevice) {
            out.write((eadr ? 1 : 0) | (dropLockRetry ? 2 : 0) | (asyncCommit ? 4 : 0) | (smallDevice ? 8 : 0));
        }

        /** An opcode. */
        public Writer kind(Kind k) {
            out.write(k.ordinal());
            return this;
        }

        /** One argument byte (its low eight bits). */
        public Writer u8(int v) {
            out.write(v & 0xff);
            return this;
        }

        /** A number, in the shortest tag; clamped to 0 .. 2^24 - 1. */
        public Writer number(long v) {
            try {
                ByteCodec.number(out, Math.max(0, Math.min((1L << 24) - 1, v)));
            } catch (NotEncodable e) {
                throw new AssertionError(e);
            }
            return this;
        }

        /** Raw data, truncated to {@link #RAW_BYTES_MAX} bytes; empty data becomes one zero byte. */
        public Writer raw(byte[] bytes) {
            byte[] b = bytes.length == 0 ? new byte[1] : java.util.Arrays.copyOf(bytes, Math.min(bytes.length, RAW_BYTES_MAX));
            out.write(0);
            out.write(b.length);
            out.write(b, 0, b.length);
            return this;
        }

        /** Fill data: {@code count} (clamped to 1 .. {@link #FILL_MAX}) copies of {@code value}. */
        public Writer fill(int value, long count) {
            out.write(1);
            out.write(value & 0xff);
            return number(Math.max(1, Math.min(FILL_MAX, count)));
        }

        /** {@code crash choose}: 1 to {@link #CHOICES_MAX} choice bytes (an empty list is one zero). */
        public Writer crashChoose(byte[] choices) {
            byte[] b = choices.length == 0 ? new byte[1] : java.util.Arrays.copyOf(choices, Math.min(choices.length, CHOICES_MAX));
            kind(Kind.CRASH_DRAWN);
            out.write(b.length - 1);
            out.write(b, 0, b.length);
            return this;
        }

        /** The input written so far. */
        public byte[] toByteArray() {
            return out.toByteArray();
        }
    }

    // ---- encoding ------------------------------------------------------------------------------

    /** A program statement the byte encoding cannot express. */
    public static final class NotEncodable extends Exception {
        private static final long serialVersionUID = 1L;

        NotEncodable(String message) {
            super(message);
        }
    }

    /**
     * Encodes {@code program} (its platform header bits and statements; not its daxfile design,
     * bugs or expectations). Decoding the result under the same configuration gives the same
     * statements, with text and integer data literals as raw bytes.
     */
    public static byte[] encode(Program program) throws NotEncodable {
        Header h = program.header();
        if (h.rawDevice()) {
            throw new NotEncodable("fs none programs are not SyscallCrash inputs");
        }
        if (h.deviceBytes() != 64 * 1024 && h.deviceBytes() != 1024 * 1024) {
            throw new NotEncodable("device " + h.deviceBytes() + ": only 64K and 1M devices are encodable");
        }
        if (program.steps().size() > STATEMENTS_MAX) {
            throw new NotEncodable(program.steps().size() + " statements; at most " + STATEMENTS_MAX);
        }
        if (h.recoveryCrashes() > 1) {
            throw new NotEncodable("recovery-crashes " + h.recoveryCrashes() + ": at most 1 is encodable (deeper"
                    + " chains cost too much per execution for a campaign; explore them with daxfuzz explore)");
        }
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        out.write((h.persistency() == Persistency.EADR ? 1 : 0) | (h.syncFault() == Header.SyncFault.DROP_LOCK_RETRY ? 2 : 0)
                | (h.journalCommit() == Header.JournalCommit.ASYNC ? 4 : 0) | (h.deviceBytes() == 64 * 1024 ? 8 : 0)
                | (h.recoveryCrashes() == 0 ? 0 : RECOVERY_CRASH_BITS));
        List<String> fds = new ArrayList<>();
        List<String> maps = new ArrayList<>();
        Renamer names = new Renamer(inNameSpace(program));
        for (Step s : program.steps()) {
            try {
                encodeOp(out, names.rename(s.op()), fds, maps);
            } catch (NotEncodable e) {
                throw new NotEncodable("line " + s.pos().line() + ": " + e.getMessage());
            }
        }
        return out.toByteArray();
    }

    private static void encodeOp(ByteArrayOutputStream out, Op op, List<String> fds, List<String> maps)
            throws NotEncodable {
        if (op instanceof Op.Mkdir o) {
            kind(out, Kind.MKDIR);
            path(out, o.path());
        } else if (op instanceof Op.Rmdir o) {
            kind(out, Kind.RMDIR);
            path(out, o.path());
        } else if (op instanceof Op.Open o) {
            kind(out, Kind.OPEN);
            out.write(index(FDS, o.fd()));
            path(out, o.path());
            out.write(openFlagsByte(o.flags()));
            bind(fds, o.fd());
        } else if (op instanceof Op.Close o) {
            kind(out, Kind.CLOSE);
            ref(out, fds, o.fd());
        } else if (op instanceof Op.Write o) {
            kind(out, Kind.WRITE);
            ref(out, fds, o.fd());
            number(out, o.off());
            data(out, o.data());
        } else if (op instanceof Op.Read o) {
            kind(out, Kind.READ);
            ref(out, fds, o.fd());
            number(out, o.off());
            number(out, o.len());
        } else if (op instanceof Op.Truncate o) {
            kind(out, Kind.TRUNCATE);
            ref(out, fds, o.fd());
            number(out, o.len());
        } else if (op instanceof Op.Fallocate o) {
            kind(out, Kind.FALLOCATE);
            ref(out, fds, o.fd());
            out.write(o.mode().ordinal());
            number(out, o.off());
            number(out, o.len());
        } else if (op instanceof Op.Fsync o) {
            kind(out, Kind.FSYNC);
            ref(out, fds, o.fd());
        } else if (op instanceof Op.Fdatasync o) {
            kind(out, Kind.FDATASYNC);
            ref(out, fds, o.fd());
        } else if (op instanceof Op.Sync) {
            kind(out, Kind.SYNC);
        } else if (op instanceof Op.Unlink o) {
            kind(out, Kind.UNLINK);
            path(out, o.path());
        } else if (op instanceof Op.Link o) {
            kind(out, Kind.LINK);
            path(out, o.oldPath());
            path(out, o.newPath());
        } else if (op instanceof Op.Rename o) {
            kind(out, Kind.RENAME);
            path(out, o.oldPath());
            path(out, o.newPath());
        } else if (op instanceof Op.Mmap o) {
            kind(out, Kind.MMAP);
            out.write(index(MAPS, o.map()));
            ref(out, fds, o.fd());
            number(out, o.off());
            number(out, o.len());
            out.write(mapFlagsByte(o.flags()));
            bind(maps, o.map());
        } else if (op instanceof Op.Munmap o) {
            kind(out, Kind.MUNMAP);
            ref(out, maps, o.map());
        } else if (op instanceof Op.Msync o) {
            kind(out, Kind.MSYNC);
            ref(out, maps, o.map());
            number(out, o.off());
            number(out, o.len());
        } else if (op instanceof Op.MStore o) {
            kind(out, Kind.MSTORE);
            ref(out, maps, o.map());
            number(out, o.off());
            data(out, o.data());
        } else if (op instanceof Op.MNtStore o) {
            kind(out, Kind.MNTSTORE);
            ref(out, maps, o.map());
            number(out, o.off());
            data(out, o.data());
        } else if (op instanceof Op.MFlush o) {
            kind(out, Kind.MFLUSH);
            ref(out, maps, o.map());
            out.write(o.kind().ordinal());
            number(out, o.off());
        } else if (op instanceof Op.MLoad o) {
            kind(out, Kind.MLOAD);
            ref(out, maps, o.map());
            number(out, o.off());
            number(out, o.len());
        } else if (op instanceof Op.Persist o) {
            kind(out, Kind.PERSIST);
            ref(out, maps, o.map());
            number(out, o.off());
            number(out, o.len());
        } else if (op instanceof Op.Daxctl o) {
            kind(out, Kind.DAXCTL);
            path(out, o.path());
            int alignCode = 0;
            if (o.align().isPresent()) {
                long a = o.align().getAsLong();
                alignCode = a == 4096 ? 1 : a == 16384 ? 2 : a == 65536 ? 3 : -1;
                if (alignCode < 0 || o.action() != Op.DaxctlAction.STATIC) {
                    throw new NotEncodable("daxctl align " + a + ": only 4K, 16K and 64K are encodable");
                }
            }
            out.write(o.action().ordinal() + 3 * alignCode);
        } else if (op instanceof Op.Cred o) {
            kind(out, Kind.CRED);
            out.write((o.action() == Op.CredAction.DROP ? 0 : 1) | (index(CAPS, o.capability()) << 1));
        } else if (op instanceof Op.Fence o) {
            kind(out, Kind.FENCE);
            out.write(o.kind() == Op.FenceKind.SFENCE ? 0 : 1);
        } else if (op instanceof Op.Crash o && o.choices().isPresent()) {
            byte[] b = o.choices().get().bytes().toArray();
            if (!(o.choices().get() instanceof Data.Hex) || b.length < 1 || b.length > CHOICES_MAX) {
                throw new NotEncodable("crash choose: the byte encoding holds 1 to " + CHOICES_MAX + " hex: choice bytes");
            }
            kind(out, Kind.CRASH_DRAWN);
            out.write(b.length - 1);
            out.write(b, 0, b.length);
        } else if (op instanceof Op.Crash) {
            kind(out, Kind.CRASH);
        } else if (op instanceof Op.Poison o) {
            kind(out, Kind.POISON);
            path(out, o.path());
            number(out, o.off());
            number(out, o.len());
        } else {
            throw new NotEncodable("`" + op.getClass().getSimpleName().toLowerCase() + "` is not a SyscallCrash statement");
        }
    }

    /** Gives descriptors, mappings and path components the name space's names in order of first use. */
    private static final class Renamer {
        /** A program already in the name space keeps its names, so decoding what was encoded is the identity. */
        private final boolean identity;

        Renamer(boolean identity) {
            this.identity = identity;
        }

        private final java.util.Map<String, String> fds = new java.util.LinkedHashMap<>();
        private final java.util.Map<String, String> maps = new java.util.LinkedHashMap<>();
        private final java.util.Map<String, String> comps = new java.util.LinkedHashMap<>();

        private String name(java.util.Map<String, String> m, String[] space, String n, String what) throws NotEncodable {
            String r = m.get(n);
            if (r == null) {
                if (m.size() == space.length) {
                    throw new NotEncodable("more than " + space.length + " " + what);
                }
                r = space[m.size()];
                m.put(n, r);
            }
            return r;
        }

        private String fd(String n) throws NotEncodable {
            return name(fds, FDS, n, "descriptor names");
        }

        private String map(String n) throws NotEncodable {
            return name(maps, MAPS, n, "mapping names");
        }

        private FsPath path(FsPath p) throws NotEncodable {
            List<String> out = new ArrayList<>();
            for (String c : p.components()) {
                out.add(name(comps, COMPONENTS, c, "distinct path components"));
            }
            return new FsPath(out);
        }

        Op rename(Op op) throws NotEncodable {
            if (identity) {
                return op;
            }
            if (op instanceof Op.Mkdir o) {
                return new Op.Mkdir(path(o.path()));
            } else if (op instanceof Op.Rmdir o) {
                return new Op.Rmdir(path(o.path()));
            } else if (op instanceof Op.Open o) {
                return new Op.Open(fd(o.fd()), path(o.path()), o.flags());
            } else if (op instanceof Op.Close o) {
                return new Op.Close(fd(o.fd()));
            } else if (op instanceof Op.Write o) {
                return new Op.Write(fd(o.fd()), o.off(), o.data());
            } else if (op instanceof Op.Read o) {
                return new Op.Read(fd(o.fd()), o.off(), o.len());
            } else if (op instanceof Op.Truncate o) {
                return new Op.Truncate(fd(o.fd()), o.len());
            } else if (op instanceof Op.Fallocate o) {
                return new Op.Fallocate(fd(o.fd()), o.mode(), o.off(), o.len());
            } else if (op instanceof Op.Fsync o) {
                return new Op.Fsync(fd(o.fd()));
            } else if (op instanceof Op.Fdatasync o) {
                return new Op.Fdatasync(fd(o.fd()));
            } else if (op instanceof Op.Unlink o) {
                return new Op.Unlink(path(o.path()));
            } else if (op instanceof Op.Link o) {
                return new Op.Link(path(o.oldPath()), path(o.newPath()));
            } else if (op instanceof Op.Rename o) {
                return new Op.Rename(path(o.oldPath()), path(o.newPath()));
            } else if (op instanceof Op.Mmap o) {
                return new Op.Mmap(map(o.map()), fd(o.fd()), o.off(), o.len(), o.flags());
            } else if (op instanceof Op.Munmap o) {
                return new Op.Munmap(map(o.map()));
            } else if (op instanceof Op.Msync o) {
                return new Op.Msync(map(o.map()), o.off(), o.len());
            } else if (op instanceof Op.MStore o) {
                return new Op.MStore(map(o.map()), o.off(), o.data());
            } else if (op instanceof Op.MNtStore o) {
                return new Op.MNtStore(map(o.map()), o.off(), o.data());
            } else if (op instanceof Op.MFlush o) {
                return new Op.MFlush(o.kind(), map(o.map()), o.off());
            } else if (op instanceof Op.MLoad o) {
                return new Op.MLoad(map(o.map()), o.off(), o.len());
            } else if (op instanceof Op.Persist o) {
                return new Op.Persist(map(o.map()), o.off(), o.len());
            } else if (op instanceof Op.Daxctl o) {
                return new Op.Daxctl(path(o.path()), o.action(), o.align());
            } else if (op instanceof Op.Poison o) {
                return new Op.Poison(path(o.path()), o.off(), o.len());
            }
            return op;
        }
    }

    /** Whether every descriptor, mapping and path of {@code p} is already a name-space name. */
    private static boolean inNameSpace(Program p) {
        List<String> fds = List.of(FDS);
        List<String> maps = List.of(MAPS);
        for (Step s : p.steps()) {
            Op op = s.op();
            List<FsPath> paths = new ArrayList<>();
            String fd = null;
            String map = null;
            if (op instanceof Op.Mkdir o) {
                paths.add(o.path());
            } else if (op instanceof Op.Rmdir o) {
                paths.add(o.path());
            } else if (op instanceof Op.Unlink o) {
                paths.add(o.path());
            } else if (op instanceof Op.Daxctl o) {
                paths.add(o.path());
            } else if (op instanceof Op.Poison o) {
                paths.add(o.path());
            } else if (op instanceof Op.Link o) {
                paths.add(o.oldPath());
                paths.add(o.newPath());
            } else if (op instanceof Op.Rename o) {
                paths.add(o.oldPath());
                paths.add(o.newPath());
            } else if (op instanceof Op.Open o) {
                paths.add(o.path());
                fd = o.fd();
            } else if (op instanceof Op.Mmap o) {
                fd = o.fd();
                map = o.map();
            } else {
                String printed = dev.daxfuzz.program.ProgramPrinter.print(op);
                String[] w = printed.split(" ");
                if (w.length > 1 && (op instanceof Op.Close || op instanceof Op.Write || op instanceof Op.Read
                        || op instanceof Op.Truncate || op instanceof Op.Fallocate || op instanceof Op.Fsync
                        || op instanceof Op.Fdatasync)) {
                    fd = w[1];
                } else if (op instanceof Op.MFlush m) {
                    map = m.map();
                } else if (w.length > 1 && (op instanceof Op.Munmap || op instanceof Op.Msync || op instanceof Op.MStore
                        || op instanceof Op.MNtStore || op instanceof Op.MLoad || op instanceof Op.Persist)) {
                    map = w[1];
                }
            }
            for (FsPath path : paths) {
                if (!PATHS.contains(path)) {
                    return false;
                }
            }
            if (fd != null && !fds.contains(fd) || map != null && !maps.contains(map)) {
                return false;
            }
        }
        return true;
    }

    private static void kind(ByteArrayOutputStream out, Kind k) {
        out.write(k.ordinal());
    }

    private static int index(String[] names, String name) throws NotEncodable {
        for (int i = 0; i < names.length; i++) {
            if (names[i].equals(name)) {
                return i;
            }
        }
        throw new NotEncodable("name " + name + " is outside the name space (" + String.join(", ", names) + ")");
    }

    private static void ref(ByteArrayOutputStream out, List<String> bound, String name) throws NotEncodable {
        int i = bound.indexOf(name);
        if (i < 0) {
            throw new NotEncodable(name + " is used before it is bound");
        }
        out.write(i);
    }

    private static void path(ByteArrayOutputStream out, FsPath p) throws NotEncodable {
        int i = PATHS.indexOf(p);
        if (i < 0) {
            throw new NotEncodable("path " + p + " is outside the name space (/a .. /f/f)");
        }
        out.write(i);
    }

    private static int openFlagsByte(Set<Op.OpenFlag> flags) throws NotEncodable {
        int access = flags.contains(Op.OpenFlag.RDONLY) ? 1 : flags.contains(Op.OpenFlag.WRONLY) ? 2 : 0;
        int n = (flags.contains(Op.OpenFlag.RDONLY) ? 1 : 0) + (flags.contains(Op.OpenFlag.WRONLY) ? 1 : 0)
                + (flags.contains(Op.OpenFlag.RDWR) ? 1 : 0);
        if (n != 1) {
            throw new NotEncodable("open needs exactly one of rdonly, wronly, rdwr");
        }
        return access | (flags.contains(Op.OpenFlag.CREAT) ? 4 : 0) | (flags.contains(Op.OpenFlag.EXCL) ? 8 : 0)
                | (flags.contains(Op.OpenFlag.TRUNC) ? 16 : 0) | (flags.contains(Op.OpenFlag.APPEND) ? 32 : 0)
                | (flags.contains(Op.OpenFlag.DSYNC) ? 64 : 0);
    }

    private static int mapFlagsByte(Set<Op.MapFlag> flags) throws NotEncodable {
        int sharing = flags.contains(Op.MapFlag.SHARED) ? 0 : flags.contains(Op.MapFlag.SHARED_VALIDATE) ? 1
                : flags.contains(Op.MapFlag.PRIVATE) ? 2 : -1;
        int n = (flags.contains(Op.MapFlag.SHARED) ? 1 : 0) + (flags.contains(Op.MapFlag.SHARED_VALIDATE) ? 1 : 0)
                + (flags.contains(Op.MapFlag.PRIVATE) ? 1 : 0);
        if (n != 1) {
            throw new NotEncodable("mmap needs exactly one of shared, shared-validate, private");
        }
        return sharing | (flags.contains(Op.MapFlag.SYNC) ? 4 : 0) | (flags.contains(Op.MapFlag.RO) ? 8 : 0);
    }

    private static void number(ByteArrayOutputStream out, long v) throws NotEncodable {
        if (v < 0 || v >= (1L << 24)) {
            throw new NotEncodable("number " + v + " does not fit 24 bits");
        }
        if (v < 256) {
            out.write(0);
            out.write((int) v);
        } else if (v % 4096 == 0 && v / 4096 < 256) {
            out.write(1);
            out.write((int) (v / 4096));
        } else if (v < 65536) {
            out.write(2);
            out.write((int) (v & 0xff));
            out.write((int) (v >> 8));
        } else {
            out.write(3);
            out.write((int) (v & 0xff));
            out.write((int) ((v >> 8) & 0xff));
            out.write((int) (v >> 16));
        }
    }

    private static void data(ByteArrayOutputStream out, Data d) throws NotEncodable {
        if (d instanceof Data.Fill f) {
            out.write(1);
            out.write(f.value() & 0xff);
            if (f.count() < 1 || f.count() > FILL_MAX) {
                throw new NotEncodable("fill of " + f.count() + " bytes; encodable fills have 1 to " + FILL_MAX);
            }
            number(out, f.count());
            return;
        }
        byte[] b = d.bytes().toArray();
        if (b.length == 0 || b.length > RAW_BYTES_MAX) {
            throw new NotEncodable(b.length + " data bytes; literal data must have 1 to " + RAW_BYTES_MAX
                    + " bytes (use fill:)");
        }
        out.write(0);
        out.write(b.length);
        out.write(b, 0, b.length);
    }
}
