package dev.daxfuzz.fs;

import dev.daxfuzz.posix.Errno;
import dev.daxfuzz.program.Bytes;

/**
 * What a file-system call returned: success, an errno, or the bytes a read returned. The file
 * system under test and the reference model both answer in these terms, so results compare
 * directly.
 */
public sealed interface CallResult permits CallResult.Ok, CallResult.Failed, CallResult.Data,
        CallResult.Signal, CallResult.DaxState {

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

    /**
     * A user access through a mapping that the kernel answered with a signal instead of
     * completing: SIGBUS (a fault beyond end of file, or one the file system could not serve) or
     * SIGSEGV (no mapping there, or a store to a read-only one). The statement had no effect.
     */
    record Signal(Sig sig) implements CallResult {
        @Override
        public String toString() {
            return sig.name();
        }
    }

    /** The signals a user access may end with. */
    enum Sig {
        SIGBUS, SIGSEGV
    }

    /** What {@code daxctl PATH get} returned: whether the file's block map is static. */
    record DaxState(boolean isStatic) implements CallResult {
        @Override
        public String toString() {
            return isStatic ? "static" : "dynamic";
        }
    }

    /** The shared success value. */
    CallResult OK = new Ok();

    /** A failure with {@code errno}. */
    static CallResult failed(Errno errno) {
        return new Failed(errno);
    }

    /** SIGBUS. */
    CallResult SIGBUS = new Signal(Sig.SIGBUS);
    /** SIGSEGV. */
    CallResult SIGSEGV = new Signal(Sig.SIGSEGV);
}
