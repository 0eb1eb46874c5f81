package dev.daxfuzz.pm;

import it.unimi.dsi.fastutil.ints.Int2IntOpenHashMap;

/**
 * A crash image made of two: the lines some later code wrote come from {@code top}, an image of a
 * small emulated device that holds only those lines (line {@code i} of it stands for device line
 * {@code lines[i]}), and every other line from {@code base}. It is what power failing during
 * recovery leaves: the crash image recovery started from, with whatever part of recovery's own
 * writes persisted.
 *
 * <p>Reads go to whichever image owns the line, so a lazily explored base or top learns exactly
 * which of its bytes the verdict depends on; {@link #forEachPossible} and the digest marks are
 * passed on the same way.
 */
public final class LayeredImage implements CrashImage {
    private final CrashImage base;
    private final CrashImage top;
    private final Int2IntOpenHashMap topLine;

    /**
     * @param topLine device line number to the line of {@code top} that holds it; lines it does not
     *     name come from {@code base}. Its default return value must be -1.
     */
    public LayeredImage(CrashImage base, CrashImage top, Int2IntOpenHashMap topLine) {
        if (topLine.defaultReturnValue() != -1) {
            throw new IllegalArgumentException("the line map's default must be -1");
        }
        this.base = base;
        this.top = top;
        this.topLine = topLine;
    }

    @Override
    public long size() {
        return base.size();
    }

    private int topOf(long addr) {
        return topLine.get((int) (addr / PersistentMemory.LINE_BYTES));
    }

    private static long inTop(int line, long addr) {
        return (long) line * PersistentMemory.LINE_BYTES + (addr % PersistentMemory.LINE_BYTES);
    }

    @Override
    public byte read(long addr) {
        int t = topOf(addr);
        return t < 0 ? base.read(addr) : top.read(inTop(t, addr));
    }

    @Override
    public void read(long addr, byte[] dst, int off, int len) {
        int done = 0;
        while (done < len) {
            long a = addr + done;
            int n = (int) Math.min(len - done, PersistentMemory.LINE_BYTES - (a % PersistentMemory.LINE_BYTES));
            int t = topOf(a);
            if (t < 0) {
                base.read(a, dst, off + done, n);
            } else {
                top.read(inTop(t, a), dst, off + done, n);
            }
            done += n;
        }
    }

    @Override
    public boolean forEachPossible(long addr, int len, PossibleValues consumer) {
        int done = 0;
        while (done < len) {
            long a = addr + done;
            int n = (int) Math.min(len - done, PersistentMemory.LINE_BYTES - (a % PersistentMemory.LINE_BYTES));
            int t = topOf(a);
            boolean more;
            if (t < 0) {
                more = base.forEachPossible(a, n, consumer);
            } else {
                long shift = a - inTop(t, a);
                more = top.forEachPossible(inTop(t, a), n, (at, bytes, o, l) -> consumer.accept(at + shift, bytes, o, l));
            }
            if (!more) {
                return false;
            }
            done += n;
        }
        return true;
    }

    /** Poison is media state: recovery's cached stores neither add nor clear it. */
    @Override
    public boolean poisoned(long addr, long len) {
        return base.poisoned(addr, len);
    }

    @Override
    public void digestStart() {
        base.digestStart();
        top.digestStart();
    }

    @Override
    public void digestEnd() {
        base.digestEnd();
        top.digestEnd();
    }
}
