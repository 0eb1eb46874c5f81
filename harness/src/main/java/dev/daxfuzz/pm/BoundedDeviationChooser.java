package dev.daxfuzz.pm;

import it.unimi.dsi.fastutil.ints.IntArrayList;

/**
 * A chooser that, over repeated runs, walks every sequence of choices in which at most {@code k}
 * decisions leave their last option, each exactly once: run, call {@link #advance()}, run again,
 * until it returns false.
 *
 * <p>{@link LazyImage} gives a line's least persisted content as the last option of its choice,
 * so with one choice per line (a run that reads whole lines) this walks the images where at most
 * k lines are more persisted than their box forces: Chipmunk's bounded subsets of in-flight
 * writes (its {@code choose()} over subsets of size &le; k), seen at line granularity. The
 * sequence with no deviation comes first. Runs must be deterministic given their choices.
 */
public final class BoundedDeviationChooser implements Chooser {
    private final int k;
    private IntArrayList replay = new IntArrayList();
    private final IntArrayList taken = new IntArrayList();
    private final IntArrayList bounds = new IntArrayList();

    /** @param k the most decisions that may leave their last option; not negative */
    public BoundedDeviationChooser(int k) {
        if (k < 0) {
            throw new IllegalArgumentException("k must not be negative: " + k);
        }
        this.k = k;
    }

    @Override
    public int choose(int bound) {
        if (bound == 1) {
            return 0;
        }
        int i = taken.size();
        int c = i < replay.size() ? replay.getInt(i) : bound - 1;
        taken.add(c);
        bounds.add(bound);
        return c;
    }

    /** Moves to the next choice sequence; false when every sequence within k has been run. */
    public boolean advance() {
        for (int i = taken.size() - 1; i >= 0; i--) {
            int b = bounds.getInt(i);
            int c = taken.getInt(i);
            // Options in the order: last (no deviation), then 0, 1, …, b - 2.
            int next = c == b - 1 ? 0 : c + 1;
            if (next >= b - 1) {
                continue;
            }
            int deviations = 0;
            for (int j = 0; j < i; j++) {
                if (taken.getInt(j) != bounds.getInt(j) - 1) {
                    deviations++;
                }
            }
            if (deviations + 1 > k) {
                continue;
            }
            replay = new IntArrayList(taken.subList(0, i));
            replay.add(next);
            taken.clear();
            bounds.clear();
            return true;
        }
        return false;
    }
}
