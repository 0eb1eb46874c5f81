package dev.daxfuzz.fs;

import dev.daxfuzz.pm.PersistentMemory;
import it.unimi.dsi.fastutil.ints.Int2ObjectOpenHashMap;

/**
 * The live file system's buffer cache of metadata blocks (inode table, bitmap, directory and
 * indirect blocks): loaded from persistent memory on first use, then authoritative. Changes are
 * made here and reach the media only through the journal; after a crash the cache is gone.
 */
final class MetaCache implements BlockSource {
    private final PersistentMemory pm;
    private final FsGeometry geometry;
    private final Int2ObjectOpenHashMap<byte[]> cached = new Int2ObjectOpenHashMap<>();

    MetaCache(PersistentMemory pm, FsGeometry geometry) {
        this.pm = pm;
        this.geometry = geometry;
    }

    /** The cached bytes of block {@code b}, for the live file system to change in place. */
    byte[] block(int b) {
        if (b < 0 || b >= geometry.blocks()) {
            throw new FsCorruption("block " + b + " outside the device");
        }
        byte[] bytes = cached.get(b);
        if (bytes == null) {
            bytes = new byte[FsGeometry.BLOCK_BYTES];
            pm.load(0, FsGeometry.blockAddr(b), bytes, 0, bytes.length);
            cached.put(b, bytes);
        }
        return bytes;
    }

    /** A block newly allocated as metadata: its cached content starts as zeros, not as the media. */
    byte[] fresh(int b) {
        byte[] bytes = new byte[FsGeometry.BLOCK_BYTES];
        cached.put(b, bytes);
        return bytes;
    }

    /** Forgets a block that is no longer metadata (freed), so a later use reloads or refreshes it. */
    void forget(int b) {
        cached.remove(b);
    }

    @Override
    public void readMeta(long addr, byte[] dst, int off, int len) {
        int done = 0;
        while (done < len) {
            long a = addr + done;
            int b = (int) (a / FsGeometry.BLOCK_BYTES);
            int in = (int) (a % FsGeometry.BLOCK_BYTES);
            int n = Math.min(len - done, FsGeometry.BLOCK_BYTES - in);
            System.arraycopy(block(b), in, dst, off + done, n);
            done += n;
        }
    }

    @Override
    public void readData(long addr, byte[] dst, int off, int len) {
        pm.load(0, addr, dst, off, len);
    }
}
