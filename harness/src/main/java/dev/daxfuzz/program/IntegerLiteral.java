package dev.daxfuzz.program;

/**
 * Integers of the program format (spec §1): decimal ({@code 4096}) or hex ({@code 0x1000}),
 * optionally with a binary size suffix {@code K} (×1024) or {@code M} (×1048576); never negative,
 * at most 2<sup>63</sup>−1. The command line reads its numbers (such as {@code --observe}) the
 * same way.
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
        String s = text;
        long scale = 1;
        if (s.endsWith("K")) {
            scale = 1L << 10;
            s = s.substring(0, s.length() - 1);
        } else if (s.endsWith("M")) {
            scale = 1L << 20;
            s = s.substring(0, s.length() - 1);
        }
        int radix = 10;
        if (s.startsWith("0x")) {
            radix = 16;
            s = s.substring(2);
        }
        if (s.isEmpty()) {
            throw new NumberFormatException("no digits in '" + text + "'");
        }
        long value = 0;
        for (int i = 0; i < s.length(); i++) {
            int d = Character.digit(s.charAt(i), radix);
            if (d < 0 || s.charAt(i) > 'f') {
                throw new NumberFormatException("'" + s.charAt(i) + "' is not a "
                        + (radix == 16 ? "hex" : "decimal") + " digit in '" + text + "'");
            }
            if (value > (Long.MAX_VALUE - d) / radix) {
                throw new NumberFormatException("'" + text + "' is larger than " + Long.MAX_VALUE);
            }
            value = value * radix + d;
        }
        if (value > Long.MAX_VALUE / scale) {
            throw new NumberFormatException("'" + text + "' is larger than " + Long.MAX_VALUE);
        }
        return value * scale;
    }
}
