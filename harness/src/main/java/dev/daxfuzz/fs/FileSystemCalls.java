package dev.daxfuzz.fs;

import dev.daxfuzz.program.Bytes;
import dev.daxfuzz.program.FsPath;
import java.util.OptionalLong;
import java.util.Set;

/**
 * The system-call interface between a driver and a file-system design: one method per call of
 * the program format's file-system statements, with plain typed arguments. The runner translates
 * the {@code .dxp} language into these calls (its {@code SyscallDispatch}); the file system under
 * test ({@link JournalFs}) answers them with a {@link CallResult}, the reference model with its
 * prediction of what Linux returns. A second design, or a bridge to real kernel code, would plug
 * in here.
 *
 * <p>Every call carries {@code step}, the index of the statement it belongs to: the design's
 * logical clock (timestamps) and the label of the stores it issues, never a decision input of
 * the caller's choosing otherwise. Descriptors and mappings are named by the names the program
 * bound them to ({@code open FD ...}, {@code mmap MAP ...}): rebinding a name to a new open file
 * description leaves the old description open but unreachable, as the format specifies, and a
 * design keeps its descriptor table by these names.
 *
 * <p>User-level accesses through mappings ({@code mstore}, {@code mload}, the flushes,
 * {@code persist}) are not system calls: they run through the process's address space
 * ({@link dev.daxfuzz.vm.UserAccesses}), and only page faults reach the file system
 * ({@link dev.daxfuzz.vm.VmOperations}).
 *
 * <p>Limits: one process, one thread; a call runs to completion before the next begins.
 *
 * @param <R> what a call answers: the result for a design under test, a prediction for a model
 */
public interface FileSystemCalls<R> {

    /** {@code open(2)} flags the format knows ({@code O_CREAT}, ...; access modes included). */
    enum OpenFlag {
        CREAT, EXCL, TRUNC, RDONLY, WRONLY, RDWR, APPEND, DSYNC
    }

    /** {@code mmap(2)} flags: the mapping type, {@code MAP_SYNC}, and {@code ro} for no PROT_WRITE. */
    enum MapFlag {
        SHARED, SHARED_VALIDATE, PRIVATE, SYNC, RO
    }

    /** {@code fallocate(2)} modes: plain, FALLOC_FL_KEEP_SIZE, FALLOC_FL_PUNCH_HOLE, FALLOC_FL_ZERO_RANGE. */
    enum FallocMode {
        ALLOC, KEEP_SIZE, PUNCH, ZERO
    }

    /** What {@code daxctl} (the June 2017 RFC's sys_daxctl) does to a file's block map. */
    enum DaxctlAction {
        STATIC, CLEAR, GET
    }

    /** What {@code cred} does to a capability of the caller. */
    enum CredAction {
        DROP, GRANT
    }

    /** {@code mkdir(2)}. */
    R mkdir(int step, FsPath path);

    /** {@code rmdir(2)}. */
    R rmdir(int step, FsPath path);

    /** {@code open(2)}, binding the new open file description to name {@code fd}. */
    R open(int step, String fd, FsPath path, Set<OpenFlag> flags);

    /** {@code close(2)}. */
    R close(int step, String fd);

    /** {@code pwrite(2)}. */
    R write(int step, String fd, long off, Bytes data);

    /** {@code pread(2)}: the bytes read, as {@link CallResult.Data}. */
    R read(int step, String fd, long off, long len);

    /** {@code ftruncate(2)}. */
    R truncate(int step, String fd, long len);

    /** {@code fallocate(2)}. */
    R fallocate(int step, String fd, FallocMode mode, long off, long len);

    /** {@code fsync(2)}. */
    R fsync(int step, String fd);

    /** {@code fdatasync(2)}. */
    R fdatasync(int step, String fd);

    /** {@code sync(2)}. */
    R sync(int step);

    /** {@code unlink(2)}. */
    R unlink(int step, FsPath path);

    /** {@code link(2)}. */
    R link(int step, FsPath oldPath, FsPath newPath);

    /** {@code rename(2)}. */
    R rename(int step, FsPath oldPath, FsPath newPath);

    /** {@code mmap(2)} of descriptor {@code fd}, binding the mapping to name {@code map}. */
    R mmap(int step, String map, String fd, long off, long len, Set<MapFlag> flags);

    /** {@code munmap(2)} of the whole mapping {@code map}. */
    R munmap(int step, String map);

    /** {@code msync(MS_SYNC)} of {@code [off, off+len)} of mapping {@code map}. */
    R msync(int step, String map, long off, long len);

    /** The 2017 RFC's {@code daxctl}: make static, clear, or ask ({@link CallResult.DaxState}). */
    R daxctl(int step, FsPath path, DaxctlAction action, OptionalLong align);

    /** Drops or grants one capability of the caller ({@code CAP_...}). */
    R cred(int step, CredAction action, String capability);

    /** The injected media fault: poison the device under file bytes {@code [off, off+len)}. */
    R poison(int step, FsPath path, long off, long len);
}
