package dev.daxfuzz.fs;

import dev.daxfuzz.posix.Errno;

/**
 * A failed call of the {@code journal} design, as control flow: thrown where Linux returns an
 * errno, caught by {@link JournalFs} at the end of the call. No stack trace (it is not an error
 * of daxfuzz).
 */
final class Fail extends RuntimeException {
    private static final long serialVersionUID = 1L;
    final Errno errno;

    Fail(Errno errno) {
        super(errno.name(), null, false, false);
        this.errno = errno;
    }
}
