package dev.daxfuzz.pm;

/** A crash image held as plain bytes: for tests, tools and images built or corrupted by hand. */
public final class ByteImage implements CrashImage {
    private final byte[] bytes;

    /** Wraps {@code bytes} (not copied: later changes show). */
    public ByteImage(byte[] bytes) {
        this.bytes = bytes;
    }

    @Override
    public long size() {
        return bytes.length;
    }

    @Override
    public byte read(long addr) {
        return bytes[Math.toIntExact(addr)];
    }

    @Override
    public void read(long addr, byte[] dst, int off, int len) {
        System.arraycopy(bytes, Math.toIntExact(addr), dst, off, len);
    }
}
