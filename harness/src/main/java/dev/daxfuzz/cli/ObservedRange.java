package dev.daxfuzz.cli;

import dev.daxfuzz.program.IntegerLiteral;
import java.util.ArrayList;
import java.util.List;

/**
 * One {@code ADDR:LEN} of {@code outcomes --observe}. The address prints as the user wrote it
 * when they wrote it in {@code 0x} hex (spec §5: "ADDR in 0x hex as given"), otherwise as
 * lower-case {@code 0x} hex of its value.
 */
record ObservedRange(long addr, int len, String label) {
    /** A generous cap: one outcome line per image must stay readable. */
    static final int LEN_MAX = 1 << 16;

    static List<ObservedRange> parseList(String spec, long deviceBytes) {
        return parseList(spec, deviceBytes, "--observe");
    }

    /**
     * Parses {@code spec}; {@code where} names its origin in error messages ({@code --observe}, or
     * a litmus file's {@code FILE:LINE: # observe:}).
     */
    static List<ObservedRange> parseList(String spec, long deviceBytes, String where) {
        List<ObservedRange> out = new ArrayList<>();
        for (String part : spec.split(",", -1)) {
            int colon = part.indexOf(':');
            if (colon < 0) {
                throw bad(where, spec, "'" + part + "' has no ':'");
            }
            String a = part.substring(0, colon);
            String l = part.substring(colon + 1);
            long addr = number(where, spec, a, "ADDR");
            long len = number(where, spec, l, "LEN");
            if (len < 1 || len > LEN_MAX) {
                throw bad(where, spec, "LEN " + l + " must be between 1 and " + LEN_MAX);
            }
            if (addr > deviceBytes - len) {
                throw bad(where, spec, String.format("%s:%s reaches past the end of the %d-byte device", a, l,
                        deviceBytes));
            }
            boolean hex = a.startsWith("0x") && a.chars().skip(2).allMatch(c -> Character.digit(c, 16) >= 0);
            out.add(new ObservedRange(addr, (int) len, hex ? a : "0x" + Long.toHexString(addr)));
        }
        return out;
    }

    private static long number(String where, String spec, String text, String what) {
        try {
            return IntegerLiteral.parse(text);
        } catch (NumberFormatException e) {
            throw bad(where, spec, what + " '" + text + "' is not a number (decimal, 0x hex, optional K or M suffix)");
        }
    }

    private static UsageException bad(String where, String spec, String why) {
        return new UsageException(where + " " + spec + ": " + why + "; expected ADDR:LEN[,ADDR:LEN...]");
    }
}
