package dev.daxfuzz.pm;

import it.unimi.dsi.fastutil.ints.IntArrayList;
import it.unimi.dsi.fastutil.ints.IntList;

/**
 * A set of crash images of one crash point: one choice of which store-buffer entries propagated
 * (and, under eADR, which store was caught half-way), and so for every line in flight a range of
 * possible contents. Every combination of the lines' contents is an image of the box.
 *
 * <p>A box is handed to a {@link CrashPoint.BoxVisitor} and valid only during the visit.
 * {@link LazyImage} explores a box without listing its images one by one.
 */
public final class CrashBox {
    final CrashPoint point;
    final CrashPoint.Emitter emitter;
    final int[] low;
    final int[] high;
    /** Per slot: only whole writes (no partial pieces) in the range. */
    final boolean[] fullOnly;
    boolean[] in;
    int torn;
    long ordinal;

    CrashBox(CrashPoint point, CrashPoint.Emitter emitter) {
        this.point = point;
        this.emitter = emitter;
        this.low = new int[point.slotCount];
        this.high = new int[point.slotCount];
        this.fullOnly = new boolean[point.slotCount];
        this.choiceMemo = new IntList[point.slotCount];
    }

    public CrashPoint crashPoint() {
        return point;
    }

    /** Position of this box among the crash point's boxes. */
    public long ordinal() {
        return ordinal;
    }

    /**
     * Per slot, {@link #choices} once asked for in this box (every run of a box asks again for
     * every line it reads); cleared when the emitter refills the box. Lists are never changed.
     */
    final IntList[] choiceMemo;

    /** The variants of line slot {@code s} with pairwise distinct contents, least persisted first. */
    IntList choices(int s) {
        IntList c = choiceMemo[s];
        if (c == null) {
            c = emitter.choicesIn(s, low[s], high[s], fullOnly[s]);
            if (low[s] == high[s]) {
                // The emitter reuses one list per slot for single variants: keep a copy of its own.
                c = IntArrayList.of(c.getInt(0));
            }
            choiceMemo[s] = c;
        }
        return c;
    }

    /** The number of images the box holds, saturated at {@link Long#MAX_VALUE}. */
    public long images() {
        long n = 1;
        for (int s = 0; s < point.slotCount; s++) {
            int c = choices(s).size();
            if (c > 1) {
                n = n > Long.MAX_VALUE / c ? Long.MAX_VALUE : n * c;
            }
        }
        return n;
    }

    /** How the image with the given variant per slot came about. */
    Provenance provenance(int[] variant) {
        return point.provenance(in.clone(), torn, variant.clone());
    }
}
