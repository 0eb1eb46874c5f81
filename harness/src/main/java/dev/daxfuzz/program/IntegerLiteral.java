package dev.daxfuzz.program;

import java.math.BigInteger;

/**
 * Integers of the program format (spec §1) for callers outside the parser, such as the command
 * line's {@code --observe}: decimal ({@code 4096}) or hex ({@code 0x1000}), optionally with a
 * binary size suffix {@code K} (×1024) or {@code M} (×1048576); never negative, at most
 * 2<sup>63</sup>−1. The syntax itself is the parser's ({@link ProgramParser#integerValue}).
 */
public final class IntegerLiteral {
    private IntegerLiteral() {
    }

    /**
     * The value of {@code text}.
     *
     * @throws NumberFormatException with a message saying what is wrong
     */
    public static long parse(String text) {
        BigInteger value = ProgramParser.integerValue(text);
        if (value == null) {
            throw new NumberFormatException("'" + text + "' is not " + ProgramParser.INTEGER);
        }
        if (value.compareTo(ProgramParser.INTEGER_MAX) > 0) {
            throw new NumberFormatException("'" + text + "' is larger than " + Long.MAX_VALUE);
        }
        return value.longValueExact();
    }
}
