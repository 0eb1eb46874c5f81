package dev.daxfuzz.pm;

/**
 * A set of 128-bit image fingerprints (open addressing, linear probing). Used to recover each
 * distinct crash image once, within a crash point and across a whole run.
 *
 * <p>Not thread-safe. Memory: 16 bytes a slot, at most twice the number of elements.
 */
public final class FingerprintSet {
    private long[] lane1;
    private long[] lane2;
    private int size;
    private int mask;

    public FingerprintSet() {
        this(64);
    }

    public FingerprintSet(int expected) {
        int cap = Integer.highestOneBit(Math.max(16, expected * 2 - 1)) << 1;
        lane1 = new long[cap];
        lane2 = new long[cap];
        mask = cap - 1;
    }

    /** Number of fingerprints held. */
    public int size() {
        return size;
    }

    /** Adds the fingerprint; true when it was not there before. */
    public boolean add(long fp1, long fp2) {
        if (fp1 == 0 && fp2 == 0) {
            fp2 = 1; // (0, 0) marks an empty slot
        }
        int i = (int) Fingerprints.mix(fp1 ^ fp2) & mask;
        while (true) {
            long a = lane1[i];
            long b = lane2[i];
            if (a == 0 && b == 0) {
                lane1[i] = fp1;
                lane2[i] = fp2;
                if (++size * 2 > lane1.length) {
                    grow();
                }
                return true;
            }
            if (a == fp1 && b == fp2) {
                return false;
            }
            i = (i + 1) & mask;
        }
    }

    /** True when the fingerprint is held. */
    public boolean contains(long fp1, long fp2) {
        if (fp1 == 0 && fp2 == 0) {
            fp2 = 1;
        }
        int i = (int) Fingerprints.mix(fp1 ^ fp2) & mask;
        while (true) {
            long a = lane1[i];
            long b = lane2[i];
            if (a == 0 && b == 0) {
                return false;
            }
            if (a == fp1 && b == fp2) {
                return true;
            }
            i = (i + 1) & mask;
        }
    }

    private void grow() {
        long[] old1 = lane1;
        long[] old2 = lane2;
        lane1 = new long[old1.length * 2];
        lane2 = new long[old2.length * 2];
        mask = lane1.length - 1;
        size = 0;
        for (int i = 0; i < old1.length; i++) {
            if (old1[i] != 0 || old2[i] != 0) {
                add(old1[i], old2[i]);
            }
        }
    }
}
