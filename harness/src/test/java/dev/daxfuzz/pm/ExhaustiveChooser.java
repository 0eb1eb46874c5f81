package dev.daxfuzz.pm;

import it.unimi.dsi.fastutil.ints.IntArrayList;

/**
 * A chooser that, over repeated draws, walks every sequence of choices exactly once (depth-first
 * over the decision tree): so drawing until {@link #advance()} says the tree is done reaches
 * every state the drawer can produce.
 */
final class ExhaustiveChooser implements Chooser {
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

    /** Moves to the next choice sequence; false when every sequence has been drawn. */
    boolean advance() {
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
