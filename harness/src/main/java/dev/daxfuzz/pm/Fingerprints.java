package dev.daxfuzz.pm;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteOrder;

/**
 * 128-bit content fingerprints of cache lines and of whole images, used to recover every
 * distinct crash image once.
 *
 * <p>An image's fingerprint is the sum, over all lines, of a per-line term mixing the line's
 * index with the hash of its 64 bytes (a Zobrist-style sum), kept as two independent 64-bit
 * lanes. Changing one line changes the sum by that line's term alone, so enumerating images
 * that differ in a few lines costs a few additions each. Two distinct images share a fingerprint
 * only by accident: for a billion images the chance is about 2<sup>-68</sup>. All constants are
 * fixed, so fingerprints are the same on every machine and run.
 */
public final class Fingerprints {
    private static final VarHandle LONGS =
            MethodHandles.byteArrayViewVarHandle(long[].class, ByteOrder.LITTLE_ENDIAN);
    private static final long SEED_1 = 0x2545F4914F6CDD1DL;
    private static final long SEED_2 = 0x9E3779B97F4A7C15L;

    private Fingerprints() {
    }

    /** First lane of the hash of the line starting at {@code offset} of {@code bytes}. */
    public static long lineHash1(byte[] bytes, int offset) {
        return lineHash(bytes, offset, SEED_1);
    }

    /** Second lane of the hash of the line starting at {@code offset} of {@code bytes}. */
    public static long lineHash2(byte[] bytes, int offset) {
        return lineHash(bytes, offset, SEED_2);
    }

    private static long lineHash(byte[] bytes, int offset, long seed) {
        long h = seed;
        for (int i = 0; i < PersistentMemory.LINE_BYTES; i += 8) {
            h = lineStep(h, word(bytes, offset + i), i);
        }
        return mix(h);
    }

    /** The first lane's seed: {@link #lineHash1} is {@link #lineStep} over the words from it, then {@link #mix}. */
    static final long LINE_SEED_1 = SEED_1;

    /** One word of a line hash: {@code w} is the little-endian word at byte {@code i} of the line. */
    static long lineStep(long h, long w, int i) {
        return mix(h ^ (w * 0xC2B2AE3D27D4EB4FL)) + i;
    }

    /** The little-endian 8-byte word at {@code offset} of {@code bytes}. */
    static long word(byte[] bytes, int offset) {
        return (long) LONGS.get(bytes, offset);
    }

    /** First-lane term of line {@code line} holding content with first-lane hash {@code hash}. */
    public static long term1(long line, long hash) {
        return mix(hash + line * 0x9E3779B97F4A7C15L);
    }

    /** Second-lane term of line {@code line} holding content with second-lane hash {@code hash}. */
    public static long term2(long line, long hash) {
        return mix(hash ^ (line * 0xD6E8FEB86659FD93L + 0x632BE59BD9B4E019L));
    }

    /** The finaliser of MurmurHash3 (fmix64): every input bit affects every output bit. */
    static long mix(long z) {
        z ^= z >>> 33;
        z *= 0xFF51AFD7ED558CCDL;
        z ^= z >>> 33;
        z *= 0xC4CEB9FE1A85EC53L;
        z ^= z >>> 33;
        return z;
    }
}
