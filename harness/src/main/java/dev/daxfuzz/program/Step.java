package dev.daxfuzz.program;

import java.util.Objects;
import java.util.Optional;

/**
 * One statement of a program: an operation, its optional expectation, where it was written, and
 * the task it belongs to ({@link #SETUP} for the statements before the first {@code task} line).
 * Two steps are equal when their operation, expectation and task are; the source position is
 * left out, so that a printed and re-parsed program equals the original.
 */
public record Step(Op op, Optional<Expectation> expectation, SourcePos pos, String task) {
    /** The task name of the setup: the statements that run alone before any task starts. */
    public static final String SETUP = "";

    public Step {
        Objects.requireNonNull(op, "op");
        Objects.requireNonNull(expectation, "expectation");
        Objects.requireNonNull(pos, "pos");
        Objects.requireNonNull(task, "task");
    }

    /** A statement of the setup (or of a program without tasks). */
    public Step(Op op, Optional<Expectation> expectation, SourcePos pos) {
        this(op, expectation, pos, SETUP);
    }

    /** Whether this statement is part of the setup rather than of a task. */
    public boolean inSetup() {
        return task.isEmpty();
    }

    /** The same statement in task {@code name}. */
    public Step inTask(String name) {
        return new Step(op, expectation, pos, name);
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof Step s && op.equals(s.op) && expectation.equals(s.expectation) && task.equals(s.task);
    }

    @Override
    public int hashCode() {
        return Objects.hash(op, expectation, task);
    }
}
