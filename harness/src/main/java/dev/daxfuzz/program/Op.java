package dev.daxfuzz.program;

import java.util.Objects;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.Set;

/**
 * An operation of the program format (spec §3). Names ({@code fd}, {@code map}) are the
 * identifiers the program binds with {@code open} and {@code mmap}.
 */
public sealed interface Op {

    /** The statement's first word. */
    String keyword();

    /** Where an operation may appear. */
    enum Domain {
        /** Only with {@code fs none}: it addresses raw device bytes. */
        RAW_DEVICE,
        /** With any {@code fs}: fences and {@code crash}. */
        ANY,
        /** Only with a file system ({@code fs} other than {@code none}). */
        FILE_SYSTEM
    }

    /** Where this operation may appear. */
    Domain domain();

    // ---- §3.1 processor instructions -------------------------------------------------------

    /** {@code store ADDR DATA}: write-back (cached) store to device address ADDR. */
    record Store(long addr, Data data) implements Op {
        public String keyword() { return "store"; }
        public Domain domain() { return Domain.RAW_DEVICE; }
    }

    /** {@code ntstore ADDR DATA}: non-temporal store to device address ADDR. */
    record NtStore(long addr, Data data) implements Op {
        public String keyword() { return "ntstore"; }
        public Domain domain() { return Domain.RAW_DEVICE; }
    }

    /** {@code clflush ADDR}, {@code clflushopt ADDR}, {@code clwb ADDR}: flush the line holding ADDR. */
    record Flush(FlushKind kind, long addr) implements Op {
        public Flush {
            Objects.requireNonNull(kind);
        }
        public String keyword() { return kind.keyword(); }
        public Domain domain() { return Domain.RAW_DEVICE; }
    }

    /** {@code sfence}, {@code mfence}. */
    record Fence(FenceKind kind) implements Op {
        public Fence {
            Objects.requireNonNull(kind);
        }
        public String keyword() { return kind.keyword(); }
        public Domain domain() { return Domain.ANY; }
    }

    /**
     * {@code crash}: a crash point (spec §4), every crash state of it checked. Extension:
     * {@code crash choose DATA} checks only the crash states that DATA's bytes draw, one per box
     * of the crash point, read as the choices of a {@code ByteChooser}; this is how a fuzzer's
     * input says which lines persisted, so that coverage of the recovery code steers it, and the
     * printed program replays exactly what the fuzzer checked. File-system programs only.
     */
    record Crash(Optional<Data> choices) implements Op {
        public Crash {
            Objects.requireNonNull(choices);
        }

        /** A plain {@code crash}: every crash state. */
        public Crash() {
            this(Optional.empty());
        }

        public String keyword() { return "crash"; }
        public Domain domain() { return Domain.ANY; }
    }

    /**
     * {@code load ADDR LEN} (extension): a load of LEN device bytes, as the issuing CPU sees them
     * (its own store buffer first, then memory). Use {@code => DATA} to assert.
     */
    record Load(long addr, long len) implements Op {
        public String keyword() { return "load"; }
        public Domain domain() { return Domain.RAW_DEVICE; }
    }

    /**
     * {@code poison ADDR LEN} (extension, {@code fs none}): the media of every cache line
     * overlapping [ADDR, ADDR+LEN) goes bad, as badblocks would report it. A {@code load} of a
     * poisoned line takes a machine check ({@code => SIGBUS}); poison survives power failure.
     */
    record PoisonDevice(long addr, long len) implements Op {
        public String keyword() { return "poison"; }
        public Domain domain() { return Domain.RAW_DEVICE; }
    }

    // ---- §3.2 file-system calls ------------------------------------------------------------

    record Mkdir(FsPath path) implements Op {
        public String keyword() { return "mkdir"; }
        public Domain domain() { return Domain.FILE_SYSTEM; }
    }

    record Rmdir(FsPath path) implements Op {
        public String keyword() { return "rmdir"; }
        public Domain domain() { return Domain.FILE_SYSTEM; }
    }

    /** {@code open FD PATH FLAGS}; binds the name FD. */
    record Open(String fd, FsPath path, Set<OpenFlag> flags) implements Op {
        public Open {
            flags = Set.copyOf(flags);
        }
        public String keyword() { return "open"; }
        public Domain domain() { return Domain.FILE_SYSTEM; }
    }

    record Close(String fd) implements Op {
        public String keyword() { return "close"; }
        public Domain domain() { return Domain.FILE_SYSTEM; }
    }

    /** {@code write FD OFF DATA}: pwrite. */
    record Write(String fd, long off, Data data) implements Op {
        public String keyword() { return "write"; }
        public Domain domain() { return Domain.FILE_SYSTEM; }
    }

    /** {@code read FD OFF LEN}: pread. */
    record Read(String fd, long off, long len) implements Op {
        public String keyword() { return "read"; }
        public Domain domain() { return Domain.FILE_SYSTEM; }
    }

    /**
     * {@code poison PATH OFF LEN} (extension): the media under the written blocks of file PATH in
     * [OFF, OFF+LEN) goes bad, line by line, as a machine check or badblocks would report it. Not
     * a system call: it is the fault the program injects. Holes and unwritten extents have no
     * media behind them and are left alone; the range is cut at end of file.
     */
    record Poison(FsPath path, long off, long len) implements Op {
        public String keyword() { return "poison"; }
        public Domain domain() { return Domain.FILE_SYSTEM; }
    }

    /** {@code truncate FD LEN}: ftruncate. */
    record Truncate(String fd, long len) implements Op {
        public String keyword() { return "truncate"; }
        public Domain domain() { return Domain.FILE_SYSTEM; }
    }

    record Fallocate(String fd, FallocMode mode, long off, long len) implements Op {
        public String keyword() { return "fallocate"; }
        public Domain domain() { return Domain.FILE_SYSTEM; }
    }

    record Fsync(String fd) implements Op {
        public String keyword() { return "fsync"; }
        public Domain domain() { return Domain.FILE_SYSTEM; }
    }

    record Fdatasync(String fd) implements Op {
        public String keyword() { return "fdatasync"; }
        public Domain domain() { return Domain.FILE_SYSTEM; }
    }

    record Sync() implements Op {
        public String keyword() { return "sync"; }
        public Domain domain() { return Domain.FILE_SYSTEM; }
    }

    record Unlink(FsPath path) implements Op {
        public String keyword() { return "unlink"; }
        public Domain domain() { return Domain.FILE_SYSTEM; }
    }

    record Link(FsPath oldPath, FsPath newPath) implements Op {
        public String keyword() { return "link"; }
        public Domain domain() { return Domain.FILE_SYSTEM; }
    }

    record Rename(FsPath oldPath, FsPath newPath) implements Op {
        public String keyword() { return "rename"; }
        public Domain domain() { return Domain.FILE_SYSTEM; }
    }

    /** {@code mmap MAP FD OFF LEN FLAGS}; binds the name MAP. */
    record Mmap(String map, String fd, long off, long len, Set<MapFlag> flags) implements Op {
        public Mmap {
            flags = Set.copyOf(flags);
        }
        public String keyword() { return "mmap"; }
        public Domain domain() { return Domain.FILE_SYSTEM; }
    }

    record Munmap(String map) implements Op {
        public String keyword() { return "munmap"; }
        public Domain domain() { return Domain.FILE_SYSTEM; }
    }

    record Msync(String map, long off, long len) implements Op {
        public String keyword() { return "msync"; }
        public Domain domain() { return Domain.FILE_SYSTEM; }
    }

    /** {@code mstore MAP OFF DATA}: user-space store through the mapping. */
    record MStore(String map, long off, Data data) implements Op {
        public String keyword() { return "mstore"; }
        public Domain domain() { return Domain.FILE_SYSTEM; }
    }

    /** {@code mntstore MAP OFF DATA}: user-space non-temporal store through the mapping. */
    record MNtStore(String map, long off, Data data) implements Op {
        public String keyword() { return "mntstore"; }
        public Domain domain() { return Domain.FILE_SYSTEM; }
    }

    /** {@code mclwb}, {@code mclflushopt}, {@code mclflush MAP OFF}: user-space line flush. */
    record MFlush(FlushKind kind, String map, long off) implements Op {
        public MFlush {
            Objects.requireNonNull(kind);
        }
        public String keyword() { return "m" + kind.keyword(); }
        public Domain domain() { return Domain.FILE_SYSTEM; }
    }

    /** {@code mload MAP OFF LEN}: user-space load through the mapping. */
    record MLoad(String map, long off, long len) implements Op {
        public String keyword() { return "mload"; }
        public Domain domain() { return Domain.FILE_SYSTEM; }
    }

    /** {@code persist MAP OFF LEN}: clwb every line of the range, then sfence (pmem_persist). */
    record Persist(String map, long off, long len) implements Op {
        public String keyword() { return "persist"; }
        public Domain domain() { return Domain.FILE_SYSTEM; }
    }

    /** {@code daxctl PATH static [ALIGN]}, {@code daxctl PATH clear}, {@code daxctl PATH get}. */
    record Daxctl(FsPath path, DaxctlAction action, OptionalLong align) implements Op {
        public Daxctl {
            if (align.isPresent() && action != DaxctlAction.STATIC) {
                throw new IllegalArgumentException("ALIGN only goes with static");
            }
        }
        public String keyword() { return "daxctl"; }
        public Domain domain() { return Domain.FILE_SYSTEM; }
    }

    /** {@code cred drop CAP}, {@code cred grant CAP}. */
    record Cred(CredAction action, String capability) implements Op {
        public String keyword() { return "cred"; }
        public Domain domain() { return Domain.FILE_SYSTEM; }
    }

    // ---- words --------------------------------------------------------------------------------

    enum FlushKind implements Keyword {
        CLFLUSH("clflush"), CLFLUSHOPT("clflushopt"), CLWB("clwb");

        private final String keyword;

        FlushKind(String keyword) { this.keyword = keyword; }

        @Override
        public String keyword() { return keyword; }
    }

    enum FenceKind implements Keyword {
        SFENCE("sfence"), MFENCE("mfence");

        private final String keyword;

        FenceKind(String keyword) { this.keyword = keyword; }

        @Override
        public String keyword() { return keyword; }
    }

    enum OpenFlag implements Keyword {
        CREAT("creat"), EXCL("excl"), TRUNC("trunc"), RDONLY("rdonly"), WRONLY("wronly"), RDWR("rdwr"),
        APPEND("append"), DSYNC("dsync");

        private final String keyword;

        OpenFlag(String keyword) { this.keyword = keyword; }

        @Override
        public String keyword() { return keyword; }
    }

    enum MapFlag implements Keyword {
        SHARED("shared"), SHARED_VALIDATE("shared-validate"), PRIVATE("private"), SYNC("sync"), RO("ro");

        private final String keyword;

        MapFlag(String keyword) { this.keyword = keyword; }

        @Override
        public String keyword() { return keyword; }
    }

    enum FallocMode implements Keyword {
        /** Allocate and extend the size. */
        ALLOC("alloc"),
        /** FALLOC_FL_KEEP_SIZE. */
        KEEP_SIZE("keep-size"),
        /** FALLOC_FL_PUNCH_HOLE (implies keep-size). */
        PUNCH("punch"),
        /** FALLOC_FL_ZERO_RANGE. */
        ZERO("zero");

        private final String keyword;

        FallocMode(String keyword) { this.keyword = keyword; }

        @Override
        public String keyword() { return keyword; }
    }

    enum DaxctlAction implements Keyword {
        STATIC("static"), CLEAR("clear"), GET("get");

        private final String keyword;

        DaxctlAction(String keyword) { this.keyword = keyword; }

        @Override
        public String keyword() { return keyword; }
    }

    enum CredAction implements Keyword {
        DROP("drop"), GRANT("grant");

        private final String keyword;

        CredAction(String keyword) { this.keyword = keyword; }

        @Override
        public String keyword() { return keyword; }
    }
}
