package dev.daxfuzz.fs;

/**
 * Bytes of the device as a file system reads them: the live file system's cache, or a crash image
 * being recovered. Reads name exactly the bytes they need, so that a crash image can tell which
 * bytes a check depended on (see {@code dev.daxfuzz.pm.LazyImage}).
 */
public interface BlockSource {
    /** Reads metadata bytes (inodes, bitmap, directory and indirect blocks) at device address {@code addr}. */
    void readMeta(long addr, byte[] dst, int off, int len);

    /** Reads file data bytes at device address {@code addr} (data is never cached). */
    void readData(long addr, byte[] dst, int off, int len);

    /** The reads until {@link #digestEnd()} feed one checksum (see {@code CrashImage.digestStart}). */
    default void digestStart() {
    }

    /** Ends the reads that feed one checksum. */
    default void digestEnd() {
    }
}
