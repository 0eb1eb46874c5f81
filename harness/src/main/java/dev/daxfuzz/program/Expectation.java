package dev.daxfuzz.program;

import dev.daxfuzz.posix.Errno;

/** The {@code => RESULT} a statement may end with (spec §1). */
public sealed interface Expectation permits Expectation.Ok, Expectation.Failure, Expectation.Word,
        Expectation.Returns {

    /** {@code => ok}: the statement succeeded. */
    record Ok() implements Expectation {
    }

    /** {@code => EPERM} and the like: the call failed with this errno. */
    record Failure(Errno errno) implements Expectation {
    }

    /**
     * A result word other than {@code ok}: {@code static} or {@code dynamic} (for
     * {@code daxctl get}), or {@code SIGBUS} (a user access through a mapping that faulted).
     */
    record Word(ResultWord word) implements Expectation {
    }

    /** {@code => DATA}: the bytes a {@code read}, {@code mload} or {@code load} returned. */
    record Returns(Data data) implements Expectation {
    }

    /** The result words besides {@code ok} and errno names. */
    enum ResultWord implements Keyword {
        STATIC("static"), DYNAMIC("dynamic"), SIGBUS("SIGBUS");

        private final String keyword;

        ResultWord(String keyword) {
            this.keyword = keyword;
        }

        @Override
        public String keyword() {
            return keyword;
        }
    }
}
