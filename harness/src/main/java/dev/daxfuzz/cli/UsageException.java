package dev.daxfuzz.cli;

/**
 * A problem with what the user gave daxfuzz (arguments, an unreadable file, a program that does
 * not parse): reported as its message alone, with exit code 2, never as a stack trace.
 */
public final class UsageException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    public UsageException(String message) {
        super(message);
    }
}
