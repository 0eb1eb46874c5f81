package dev.daxfuzz.pm;

/**
 * Choices read from fuzzer input bytes: one byte for bounds up to 256, two for bounds up to
 * 65536, four above, taken modulo the bound. When the bytes run out every choice is 0, which
 * the crash-state drawer reads as "propagated" and "nothing beyond what is forced persisted".
 */
public final class ByteChooser implements Chooser {
    private final byte[] bytes;
    private int position;

    public ByteChooser(byte[] bytes) {
        this.bytes = bytes.clone();
    }

    /** Bytes consumed so far. */
    public int consumed() {
        return position;
    }

    @Override
    public int choose(int bound) {
        if (bound < 1) {
            throw new IllegalArgumentException("bound must be positive: " + bound);
        }
        if (bound == 1) {
            return 0;
        }
        int width = bound <= 256 ? 1 : bound <= 65536 ? 2 : 4;
        long v = 0;
        for (int i = 0; i < width; i++) {
            v = (v << 8) | (position < bytes.length ? bytes[position++] & 0xff : 0);
        }
        return (int) (v % bound);
    }
}
