package dev.daxfuzz.pm;

import java.util.SplittableRandom;

/** Choices drawn from a seeded {@link SplittableRandom}: the same seed, the same choices. */
public final class SeededChooser implements Chooser {
    private final SplittableRandom random;

    public SeededChooser(long seed) {
        this.random = new SplittableRandom(seed);
    }

    @Override
    public int choose(int bound) {
        if (bound < 1) {
            throw new IllegalArgumentException("bound must be positive: " + bound);
        }
        return bound == 1 ? 0 : random.nextInt(bound);
    }
}
