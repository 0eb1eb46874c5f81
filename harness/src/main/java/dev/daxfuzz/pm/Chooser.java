package dev.daxfuzz.pm;

/**
 * A source of choices for drawing one crash state instead of enumerating all of them. A fuzzer
 * feeds its input bytes through {@link ByteChooser}, so that coverage of the recovery code steers
 * which entries propagated and which lines persisted; a replay feeds a seed through
 * {@link SeededChooser}.
 *
 * <p>Implementations must be deterministic: the same input gives the same sequence of choices.
 */
public interface Chooser {
    /**
     * A number in {@code [0, bound)}. With {@code bound == 1} the answer is 0 and implementations
     * should consume no input, so that forced decisions cost the fuzzer nothing.
     */
    int choose(int bound);
}
