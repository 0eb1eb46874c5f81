package dev.daxfuzz.cli;

/** The process exit codes of the command line (spec §5). */
public final class ExitCode {
    /** Ran, no violation, every expectation held. */
    public static final int OK = 0;
    /** At least one oracle violation: a finding. */
    public static final int VIOLATION = 1;
    /** Usage error, unreadable file or parse error. */
    public static final int USAGE = 2;
    /** An {@code =>} expectation failed, and there was no oracle violation. */
    public static final int EXPECTATION = 3;
    /** An internal error of daxfuzz itself. */
    public static final int INTERNAL = 4;

    private ExitCode() {
    }
}
