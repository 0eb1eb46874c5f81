package dev.daxfuzz.program;

import java.util.Objects;
import java.util.Optional;

/**
 * One statement of a program: an operation, its optional expectation, and where it was written.
 * Two steps are equal when their operation and expectation are; the source position is left out,
 * so that a printed and re-parsed program equals the original.
 */
public record Step(Op op, Optional<Expectation> expectation, SourcePos pos) {
    public Step {
        Objects.requireNonNull(op, "op");
        Objects.requireNonNull(expectation, "expectation");
        Objects.requireNonNull(pos, "pos");
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof Step s && op.equals(s.op) && expectation.equals(s.expectation);
    }

    @Override
    public int hashCode() {
        return Objects.hash(op, expectation);
    }
}
