package dev.daxfuzz.fs;

import dev.daxfuzz.posix.Errno;
import dev.daxfuzz.program.Bytes;

/**
 * What a file-system call returned: success, an errno, or the bytes a read returned. The file
 * system under test and the reference model both answer in these terms, so results compare
 * directly.
 */
public sealed interface CallResult permits CallResult.Ok, CallResult.Failed, CallResult.Data {

    /** Success with nothing to return. */
    record Ok() implements CallResult {
        @Override
        public String toString() {
            return "ok";
        }
    }

    /** Failure with an errno. */
    record Failed(Errno errno) implements CallResult {
        @Override
        public String toString() {
            return errno.name();
        }
    }

    /** The bytes a read returned (possibly fewer than asked for, at end of file). */
    record Data(Bytes bytes) implements CallResult {
        @Override
        public String toString() {
            return "hex:" + bytes.toHex();
        }
    }

    /** The shared success value. */
    CallResult OK = new Ok();

    /** A failure with {@code errno}. */
    static CallResult failed(Errno errno) {
        return new Failed(errno);
    }
}
