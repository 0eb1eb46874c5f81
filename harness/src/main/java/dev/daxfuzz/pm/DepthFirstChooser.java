package dev.daxfuzz.pm;

import it.unimi.dsi.fastutil.ints.IntArrayList;

/**
 * A chooser that, over repeated runs, walks every sequence of choices exactly once, depth-first
 * over the decision tree: run, call {@link #advance()}, run again, until it returns false. The
 * deepest decision changes first. Runs must be deterministic given their choices.
 */
public final class DepthFirstChooser implements Chooser {
    private IntArrayList replay = new IntArrayList();
    private final IntArrayList taken = new IntArrayList();
    private final IntArrayList bounds = new IntArrayList();

    @Override
    public int choose(int bound) {
        if (bound == 1) {
            return 0;
        }
        int i = taken.size();
        int c = i < replay.size() ? replay.getInt(i) : 0;
        taken.add(c);
        bounds.add(bound);
        return c;
    }

    /** Number of decisions (with more than one option) the last run made. */
    public int depth() {
        return taken.size();
    }

    /** Moves to the next choice sequence; false when every sequence has been run. */
    public boolean advance() {
        for (int i = taken.size() - 1; i >= 0; i--) {
            if (taken.getInt(i) + 1 < bounds.getInt(i)) {
                replay = new IntArrayList(taken.subList(0, i));
                replay.add(taken.getInt(i) + 1);
                taken.clear();
                bounds.clear();
                return true;
            }
        }
        return false;
    }
}
