package dev.daxfuzz.vm;

import dev.daxfuzz.program.Bytes;

/**
 * The user-level instructions of a process through its mappings, as a driver issues them: stores,
 * loads, flushes and libpmem's {@code pmem_persist}. They are not system calls; the address space
 * ({@link AddressSpace}) runs them and only a page fault enters the file system
 * ({@link VmOperations}). The reference model implements the same interface to predict their
 * results, so one dispatch drives both.
 *
 * <p>Limits: mappings are named by the names the program bound them to; offsets are from the
 * start of the mapping.
 *
 * @param <R> what an access answers: the result for the system under test, a prediction for a model
 */
public interface UserAccesses<R> {
    /** {@code mstore} ({@code nonTemporal} false) or {@code mntstore}: {@code data} at {@code off}. */
    R mstore(int step, String map, long off, Bytes data, boolean nonTemporal);

    /** {@code mload}: {@code len} bytes at {@code off}. */
    R mload(int step, String map, long off, long len);

    /** {@code mclflush}, {@code mclflushopt}, {@code mclwb}: the line holding {@code off}. */
    R mflush(int step, FlushKind kind, String map, long off);

    /** {@code persist}: clwb every line of {@code [off, off+len)}, then sfence. */
    R persist(int step, String map, long off, long len);
}
