package dev.daxfuzz.fuzzing;

import dev.daxfuzz.pm.Persistency;
import dev.daxfuzz.program.Data;
import dev.daxfuzz.program.FsPath;
import dev.daxfuzz.program.Header;
import dev.daxfuzz.program.Op;
import dev.daxfuzz.program.Program;
import dev.daxfuzz.program.SourcePos;
import dev.daxfuzz.program.Step;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;

/**
 * The bounded workload space of an ACE-style generator (CrashMonkey's Automatic Crash Explorer,
 * Mohan et al., OSDI 2018), built from the statements daxfuzz's byte encoding can express: every
 * sequence of up to three <em>core operations</em> over a small file set ({@code /a}, {@code /b},
 * {@code /d/a}), each optionally followed by a <em>persistence point</em> on what it touched, run
 * on a fresh file system under each platform configuration the input's header byte can name.
 *
 * <p>Like ACE, a core operation's dependencies are satisfied by setup statements inserted before
 * it and not counted in the length: a file it needs is created ({@code open … creat,rdwr}) or
 * opened, the directory {@code /d} is made; at the end every open descriptor is closed. The
 * generator tracks names, descriptors and sizes symbolically (assuming calls succeed) only to
 * place those setup statements and the append offset; the file system under test decides what
 * actually happens, including errors.
 *
 * <p>The core operations ({@link #OPS}, in canonical order) are: per file, create, overwrite
 * (4 KiB at 0), append (13 bytes, so the tail is unaligned), shrink to 0, extend by 8 KiB,
 * fallocate (allocate and punch, 4 KiB at 0), a MAP_SYNC mapped write (mmap
 * {@code shared-validate,sync}, {@code mstore}, {@code persist}, munmap), an msync mapped write
 * (mmap {@code shared}, {@code mstore}, {@code msync}, munmap), daxfile set ({@code daxctl static})
 * and clear, and unlink; link and rename between every ordered pair of distinct files; fdatasync
 * of each file; mkdir {@code /d}; sync; and dropping {@code CAP_LINUX_IMMUTABLE}. File operations
 * come twice: without persistence and followed by {@code fsync} of the touched file (by its
 * descriptor, which stays open after unlink or rename); unlink and mkdir are followed by
 * {@code sync} instead, since the format cannot fsync a directory; fdatasync, sync and the
 * credential change are persistence (or no-file) operations and come once.
 *
 * <p>Platform configurations: synchronous or asynchronous journal commit, times a 1 MiB or
 * 64 KiB device, the default first; the sync-fault design ({@code fsync-before-pte} or
 * {@code drop-lock-retry}) only changes MAP_SYNC write faults, so it is varied only for sequences
 * that contain a MAP_SYNC mapped write. eADR is left out: it keeps the caches in the
 * power-fail-safe domain, which in this model only removes crash states.
 *
 * <p>Limits: no xattrs, symlinks, directory fsync, O_DIRECT or rmdir (the format has rmdir; ACE's
 * core set does not); writes have one size each; the daxfile design and seeded bugs are the run's
 * configuration, not part of the space. Crash states are checked at every call, not only after
 * persistence points as in ACE (the same check as the fuzzer).
 */
public final class AceSpace {
    /** The longest sequences enumerated. */
    public static final int MAX_LENGTH = 3;
    /** The file set. */
    public static final List<FsPath> FILES = List.of(path("a"), path("b"), path("d", "a"));
    private static final FsPath DIR = path("d");
    private static final String[] FDS = {"f0", "f1", "f2", "f3"};
    private static final byte[] MAPPED = "durable".getBytes(StandardCharsets.US_ASCII);

    /** What a core operation does. */
    public enum Kind {
        CREAT, OVERWRITE, APPEND, SHRINK, EXTEND, FALLOC, PUNCH, MWRITE_SYNC, MWRITE_MSYNC, DAX_SET, DAX_CLEAR,
        UNLINK, LINK, RENAME, FDATASYNC, MKDIR, SYNC, CRED_DROP
    }

    /**
     * One core operation.
     *
     * @param kind what it does
     * @param path the file it acts on (the source for link and rename; null for sync and cred)
     * @param target the new name for link and rename, else null
     * @param persist followed by a persistence point (fsync of the touched file, or sync)
     */
    public record CoreOp(Kind kind, FsPath path, FsPath target, boolean persist) {
        /** A short label, e.g. {@code rename /a /b +fsync}. */
        public String label() {
            String s = kind.name().toLowerCase(java.util.Locale.ROOT).replace('_', '-')
                    + (path != null && kind != Kind.MKDIR ? " " + path : kind == Kind.MKDIR ? " " + DIR : "")
                    + (target != null ? " " + target : "");
            return s + (persist ? (kind == Kind.UNLINK || kind == Kind.MKDIR ? " +sync" : " +fsync") : "");
        }
    }

    /**
     * A platform configuration: the header bits of the byte encoding other than eADR.
     *
     * @param dropLockRetry {@code sync-fault drop-lock-retry}
     * @param asyncCommit {@code journal-commit async}
     * @param smallDevice a 64 KiB device instead of 1 MiB
     */
    public record Platform(boolean dropLockRetry, boolean asyncCommit, boolean smallDevice) {
        /** The default platform. */
        public static final Platform DEFAULT = new Platform(false, false, false);

        Header apply(Header h) {
            return h.withPersistency(Persistency.ADR)
                    .withSyncFault(dropLockRetry ? Header.SyncFault.DROP_LOCK_RETRY : Header.SyncFault.FSYNC_BEFORE_PTE)
                    .withJournalCommit(asyncCommit ? Header.JournalCommit.ASYNC : Header.JournalCommit.SYNC)
                    .withDeviceBytes(smallDevice ? 64 * 1024 : 1024 * 1024);
        }
    }

    /** The core operations, in canonical order. */
    public static final List<CoreOp> OPS;

    static {
        List<CoreOp> ops = new ArrayList<>();
        Kind[] perFile = {Kind.CREAT, Kind.OVERWRITE, Kind.APPEND, Kind.SHRINK, Kind.EXTEND, Kind.FALLOC, Kind.PUNCH,
            Kind.MWRITE_SYNC, Kind.MWRITE_MSYNC, Kind.DAX_SET, Kind.DAX_CLEAR, Kind.UNLINK};
        for (Kind k : perFile) {
            for (FsPath f : FILES) {
                for (boolean persist : new boolean[] {false, true}) {
                    ops.add(new CoreOp(k, f, null, persist));
                }
            }
        }
        for (Kind k : new Kind[] {Kind.LINK, Kind.RENAME}) {
            for (FsPath from : FILES) {
                for (FsPath to : FILES) {
                    if (!from.equals(to)) {
                        for (boolean persist : new boolean[] {false, true}) {
                            ops.add(new CoreOp(k, from, to, persist));
                        }
                    }
                }
            }
        }
        for (FsPath f : FILES) {
            ops.add(new CoreOp(Kind.FDATASYNC, f, null, false));
        }
        ops.add(new CoreOp(Kind.MKDIR, DIR, null, false));
        ops.add(new CoreOp(Kind.MKDIR, DIR, null, true));
        ops.add(new CoreOp(Kind.SYNC, null, null, false));
        ops.add(new CoreOp(Kind.CRED_DROP, null, null, false));
        OPS = List.copyOf(ops);
    }

    private AceSpace() {
    }

    /** Sequences of exactly {@code length} core operations: |OPS|^length. */
    public static long sequences(int length) {
        long n = 1;
        for (int i = 0; i < length; i++) {
            n *= OPS.size();
        }
        return n;
    }

    /** The core operations of sequence number {@code index} of {@code length} (most significant first). */
    public static int[] sequence(int length, long index) {
        if (length < 1 || index < 0 || index >= sequences(length)) {
            throw new IllegalArgumentException("no sequence " + index + " of length " + length);
        }
        int[] s = new int[length];
        for (int i = length - 1; i >= 0; i--) {
            s[i] = (int) (index % OPS.size());
            index /= OPS.size();
        }
        return s;
    }

    /** The platforms a sequence runs under, the default first: 4, or 8 with a MAP_SYNC mapped write. */
    public static List<Platform> platforms(int[] sequence) {
        boolean mapSync = false;
        for (int op : sequence) {
            mapSync |= OPS.get(op).kind() == Kind.MWRITE_SYNC;
        }
        List<Platform> out = new ArrayList<>();
        for (boolean drop : mapSync ? new boolean[] {false, true} : new boolean[] {false}) {
            for (boolean small : new boolean[] {false, true}) {
                for (boolean async : new boolean[] {false, true}) {
                    out.add(new Platform(drop, async, small));
                }
            }
        }
        // Default first: the loops above already start at (false, false, false).
        return out;
    }

    /** Programs (sequence × platform) of exactly {@code length} core operations. */
    public static long programs(int length) {
        // Sequences without a MAP_SYNC write run on 4 platforms, the others on 8.
        long all = sequences(length);
        long mapSync = OPS.stream().filter(o -> o.kind() == Kind.MWRITE_SYNC).count();
        long without = 1;
        for (int i = 0; i < length; i++) {
            without *= OPS.size() - mapSync;
        }
        return 4 * without + 8 * (all - without);
    }

    /** The workload of {@code sequence} on {@code platform} as a program (design and bugs: the run's configuration). */
    public static Program program(int[] sequence, Platform platform) {
        Builder b = new Builder();
        for (int op : sequence) {
            b.core(OPS.get(op));
        }
        b.closeAll();
        return new Program(platform.apply(Header.defaults()), b.steps);
    }

    /** The same as the byte encoding's input, which {@code SyscallCrash.check} decodes like any fuzzer input. */
    public static byte[] input(int[] sequence, Platform platform) {
        try {
            return ByteCodec.encode(program(sequence, platform));
        } catch (ByteCodec.NotEncodable e) {
            // Every workload stays in the encoding's name space (at most one open per core op, one mapping).
            throw new IllegalStateException("ACE workload not encodable: " + e.getMessage(), e);
        }
    }

    private static FsPath path(String... components) {
        return new FsPath(List.of(components));
    }

    /** Emits statements, tracking names, descriptors and sizes symbolically (as if every call succeeded). */
    private static final class Builder {
        final List<Step> steps = new ArrayList<>();
        /** Name (path string) to inode number; LinkedHashMap: ordered, deterministic. */
        final Map<String, Integer> names = new LinkedHashMap<>();
        /** Per inode: its newest open descriptor (or null) and size. */
        final List<String> fdOf = new ArrayList<>();
        final List<Long> sizeOf = new ArrayList<>();
        final List<String> open = new ArrayList<>();
        boolean dir;

        void emit(Op op) {
            steps.add(new Step(op, Optional.empty(), new SourcePos(steps.size() + 1, 1)));
        }

        String newFd() {
            if (open.size() == FDS.length) {
                throw new IllegalStateException("more than " + FDS.length + " descriptors");
            }
            String fd = FDS[open.size()];
            open.add(fd);
            return fd;
        }

        void ensureParent(FsPath p) {
            if (p.components().size() > 1 && !dir) {
                emit(new Op.Mkdir(DIR));
                dir = true;
            }
        }

        /** The inode at {@code p}, created or opened first if needed. */
        int ensure(FsPath p) {
            Integer ino = names.get(p.toString());
            if (ino == null) {
                ensureParent(p);
                ino = fdOf.size();
                fdOf.add(null);
                sizeOf.add(0L);
                names.put(p.toString(), ino);
                String fd = newFd();
                emit(new Op.Open(fd, p, EnumSet.of(Op.OpenFlag.CREAT, Op.OpenFlag.RDWR)));
                fdOf.set(ino, fd);
            } else if (fdOf.get(ino) == null) {
                String fd = newFd();
                emit(new Op.Open(fd, p, EnumSet.of(Op.OpenFlag.RDWR)));
                fdOf.set(ino, fd);
            }
            return ino;
        }

        void core(CoreOp c) {
            int touched = -1;
            switch (c.kind()) {
                case CREAT -> {
                    ensureParent(c.path());
                    Integer ino = names.get(c.path().toString());
                    if (ino == null) {
                        ino = fdOf.size();
                        fdOf.add(null);
                        sizeOf.add(0L);
                        names.put(c.path().toString(), ino);
                    }
                    String fd = newFd();
                    emit(new Op.Open(fd, c.path(), EnumSet.of(Op.OpenFlag.CREAT, Op.OpenFlag.RDWR)));
                    fdOf.set(ino, fd);
                    touched = ino;
                }
                case OVERWRITE -> {
                    touched = ensure(c.path());
                    emit(new Op.Write(fdOf.get(touched), 0, new Data.Fill(0x41, 4096)));
                    sizeOf.set(touched, Math.max(sizeOf.get(touched), 4096L));
                }
                case APPEND -> {
                    touched = ensure(c.path());
                    long size = sizeOf.get(touched);
                    emit(new Op.Write(fdOf.get(touched), size, new Data.Fill(0x42, 13)));
                    sizeOf.set(touched, size + 13);
                }
                case SHRINK -> {
                    touched = ensure(c.path());
                    emit(new Op.Truncate(fdOf.get(touched), 0));
                    sizeOf.set(touched, 0L);
                }
                case EXTEND -> {
                    touched = ensure(c.path());
                    long size = sizeOf.get(touched) + 8192;
                    emit(new Op.Truncate(fdOf.get(touched), size));
                    sizeOf.set(touched, size);
                }
                case FALLOC -> {
                    touched = ensure(c.path());
                    emit(new Op.Fallocate(fdOf.get(touched), Op.FallocMode.ALLOC, 0, 4096));
                    sizeOf.set(touched, Math.max(sizeOf.get(touched), 4096L));
                }
                case PUNCH -> {
                    touched = ensure(c.path());
                    emit(new Op.Fallocate(fdOf.get(touched), Op.FallocMode.PUNCH, 0, 4096));
                }
                case MWRITE_SYNC, MWRITE_MSYNC -> {
                    touched = ensure(c.path());
                    boolean sync = c.kind() == Kind.MWRITE_SYNC;
                    // One mapping name, unmapped at the end of the operation, like ACE's mmapwrite.
                    emit(new Op.Mmap("m0", fdOf.get(touched), 0, 4096, sync
                            ? EnumSet.of(Op.MapFlag.SHARED_VALIDATE, Op.MapFlag.SYNC) : EnumSet.of(Op.MapFlag.SHARED)));
                    emit(new Op.MStore("m0", 0, new Data.Hex(dev.daxfuzz.program.Bytes.of(MAPPED))));
                    emit(sync ? new Op.Persist("m0", 0, MAPPED.length) : new Op.Msync("m0", 0, 4096));
                    emit(new Op.Munmap("m0"));
                }
                case DAX_SET, DAX_CLEAR -> {
                    touched = ensure(c.path());
                    emit(new Op.Daxctl(c.path(), c.kind() == Kind.DAX_SET ? Op.DaxctlAction.STATIC : Op.DaxctlAction.CLEAR,
                            OptionalLong.empty()));
                }
                case UNLINK -> {
                    ensure(c.path());
                    emit(new Op.Unlink(c.path()));
                    names.remove(c.path().toString());
                }
                case LINK, RENAME -> {
                    touched = ensure(c.path());
                    ensureParent(c.target());
                    boolean link = c.kind() == Kind.LINK;
                    emit(link ? new Op.Link(c.path(), c.target()) : new Op.Rename(c.path(), c.target()));
                    if (!link) {
                        names.remove(c.path().toString());
                        names.put(c.target().toString(), touched);
                    } else {
                        // link fails with EEXIST on an existing name; the name keeps its inode.
                        names.putIfAbsent(c.target().toString(), touched);
                    }
                }
                case FDATASYNC -> emit(new Op.Fdatasync(fdOf.get(ensure(c.path()))));
                case MKDIR -> {
                    emit(new Op.Mkdir(DIR));
                    dir = true;
                }
                case SYNC -> emit(new Op.Sync());
                case CRED_DROP -> emit(new Op.Cred(Op.CredAction.DROP, "CAP_LINUX_IMMUTABLE"));
                default -> throw new AssertionError(c.kind());
            }
            if (c.persist()) {
                if (touched >= 0) {
                    emit(new Op.Fsync(fdOf.get(touched)));
                } else {
                    emit(new Op.Sync());
                }
            }
        }

        void closeAll() {
            for (String fd : open) {
                emit(new Op.Close(fd));
            }
        }
    }
}
