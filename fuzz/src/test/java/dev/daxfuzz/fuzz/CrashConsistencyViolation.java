package dev.daxfuzz.fuzz;

/**
 * What a fuzz target throws when an oracle finds a violation. Its stack trace is replaced by one
 * frame named after the violation's dedup token, because Jazzer deduplicates findings by stack
 * trace and every violation is thrown from the same place: without this, the second bug of a
 * campaign would count as a duplicate of the first.
 */
public final class CrashConsistencyViolation extends RuntimeException {
    private static final long serialVersionUID = 1L;

    public CrashConsistencyViolation(String token, String message) {
        super(token + ": " + message);
        setStackTrace(new StackTraceElement[] {
            new StackTraceElement("daxfuzz.violation", token.replace('-', '_'), token, 1)
        });
    }
}
