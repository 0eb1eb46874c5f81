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

    /** Receives one possible value of a run of bytes within one cache line. */
    @FunctionalInterface
    interface PossibleValues {
        /**
         * {@code bytes[off..off+len)} is a value that the bytes at device address {@code addr} can
         * have. Return false to pick it as a witness and stop.
         */
        boolean accept(long addr, byte[] bytes, int off, int len);
    }

    /**
     * Shows every value each byte of [addr, addr+len) can have in the images this one stands for,
     * line by line, without committing to one: for a plain image, its bytes, once. Every value of
     * every byte appears in at least one run shown, but not every combination of values across the
     * bytes of a line need be shown: checks that judge each byte on its own (file data against
     * what was written) use it, so that a lazily explored image need not branch on them. Returns
     * false when the consumer picked a witness.
     */
    default boolean forEachPossible(long addr, int len, PossibleValues consumer) {
        byte[] b = new byte[len];
        read(addr, b, 0, len);
        long a = addr;
        int done = 0;
        while (done < len) {
            int n = (int) Math.min(len - done, PersistentMemory.LINE_BYTES - (a & (PersistentMemory.LINE_BYTES - 1)));
            if (!consumer.accept(a, b, done, n)) {
                return false;
            }
            a += n;
            done += n;
        }
        return true;
    }

    /**
     * Marks the start of reads that feed one checksum, up to {@link #digestEnd()}. A lazily
     * explored image then distinguishes, per line, only whether the bytes read have their latest
     * (most persisted) content or not, and after the first line that has not, stops distinguishing
     * at all: the checksum has failed whatever those bytes are. This rests on two assumptions,
     * stated here because every verdict that uses it depends on them: checksums do not collide,
     * and a system writes a checksum over the final content of what it covers. Plain images ignore
     * the marks.
     */
    default void digestStart() {
    }

    /** Ends the reads that feed one checksum. */
    default void digestEnd() {
    }

    /**
     * Whether the media under any line overlapping [addr, addr+len) is poisoned in this image: a
     * read of it takes a machine check, so its bytes must never be handed out as data. Poison is
     * the same for every image of a crash point and reading it chooses nothing.
     */
    default boolean poisoned(long addr, long len) {
        return false;
    }

    /** A copy of the whole image. */
    default byte[] toBytes() {
        byte[] b = new byte[Math.toIntExact(size())];
        read(0, b, 0, b.length);
        return b;
    }
}
