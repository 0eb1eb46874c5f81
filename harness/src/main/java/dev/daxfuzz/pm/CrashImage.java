package dev.daxfuzz.pm;

/**
 * A persistent-memory image a power failure could leave: read-only bytes of the whole device.
 * Images handed to a visitor during enumeration are views over the emulator and valid only
 * during the visit; {@link #toBytes()} copies one out.
 */
public interface CrashImage {
    /** Device size in bytes. */
    long size();

    /** The byte at {@code addr}. */
    byte read(long addr);

    /** Copies {@code len} bytes at {@code addr} into {@code dst}. */
    void read(long addr, byte[] dst, int off, int len);

    /** {@code width} bytes at {@code addr} as a little-endian unsigned number. */
    default long readLong(long addr, int width) {
        long v = 0;
        for (int i = width - 1; i >= 0; i--) {
            v = (v << 8) | (read(addr + i) & 0xff);
        }
        return v;
    }

    /** A copy of the whole image. */
    default byte[] toBytes() {
        byte[] b = new byte[Math.toIntExact(size())];
        read(0, b, 0, b.length);
        return b;
    }
}
