package dev.daxfuzz.vm;

import java.util.List;

/**
 * Thrown when the kernel model can never finish what it started: a lock wait that can never end
 * (DEADLOCK, found by {@link LockChecker} even in a single-threaded run, as lockdep does) or a
 * page fault that keeps asking to be retried (LIVELOCK). The runner reports it as a violation and
 * stops the program: the task would hang there.
 *
 * <p>Control flow, not a bug of daxfuzz: no stack trace is filled in.
 */
public final class LockViolation extends RuntimeException {
    private static final long serialVersionUID = 1L;

    /** What kind of endless wait. */
    public enum Kind {
        DEADLOCK, LIVELOCK
    }

    private final Kind kind;
    private final transient List<String> explanation;

    public LockViolation(Kind kind, String summary, List<String> explanation) {
        super(summary, null, false, false);
        this.kind = kind;
        this.explanation = List.copyOf(explanation);
    }

    public Kind kind() {
        return kind;
    }

    /** The argument, in sentences a person can follow ("Let the fault hold ... then ..."). */
    public List<String> explanation() {
        return explanation;
    }
}
