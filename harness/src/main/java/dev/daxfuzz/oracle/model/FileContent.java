package dev.daxfuzz.oracle.model;

import java.util.Arrays;
import java.util.Map;
import java.util.TreeMap;

/**
 * The bytes of one regular file, sparse: fixed-size chunks, absent chunks read as zeros. Sparse
 * so that a file truncated or fallocated to terabytes costs nothing until written.
 *
 * <p>Limits: knows nothing of the file size; the caller keeps bytes beyond the size zero (by
 * zeroing what a truncate cuts off), so that growing the file again exposes zeros.
 */
final class FileContent {
    /** Bytes per storage chunk; unrelated to the file system's block size. */
    static final int CHUNK = 4096;

    private final TreeMap<Long, byte[]> chunks = new TreeMap<>();

    /** Copies {@code data} to offset {@code off}. */
    void write(long off, byte[] data) {
        int done = 0;
        while (done < data.length) {
            long pos = off + done;
            long index = pos / CHUNK;
            int in = (int) (pos % CHUNK);
            int n = Math.min(CHUNK - in, data.length - done);
            byte[] chunk = chunks.computeIfAbsent(index, k -> new byte[CHUNK]);
            System.arraycopy(data, done, chunk, in, n);
            done += n;
        }
    }

    /** The {@code len} bytes at {@code off} (zeros where never written). */
    byte[] read(long off, int len) {
        byte[] out = new byte[len];
        if (len == 0) {
            return out;
        }
        long end = off + len;
        for (Map.Entry<Long, byte[]> e : chunks.subMap(off / CHUNK, true, (end - 1) / CHUNK, true).entrySet()) {
            long base = e.getKey() * CHUNK;
            long from = Math.max(base, off);
            long to = Math.min(base + CHUNK, end);
            System.arraycopy(e.getValue(), (int) (from - base), out, (int) (from - off), (int) (to - from));
        }
        return out;
    }

    /** Zeroes [off, off + len); touches only chunks that exist, so huge ranges are cheap. */
    void zero(long off, long len) {
        if (len <= 0) {
            return;
        }
        long end = off + len;
        // Copy the keys: whole chunks are removed while iterating.
        Long[] keys = chunks.subMap(off / CHUNK, true, (end - 1) / CHUNK, true).keySet().toArray(new Long[0]);
        for (long index : keys) {
            long base = index * CHUNK;
            long from = Math.max(base, off);
            long to = Math.min(base + CHUNK, end);
            if (from == base && to == base + CHUNK) {
                chunks.remove(index);
            } else {
                Arrays.fill(chunks.get(index), (int) (from - base), (int) (to - base), (byte) 0);
            }
        }
    }
}
