package dev.daxfuzz.run;

import dev.daxfuzz.program.SourcePos;

/**
 * A statement whose {@code => RESULT} did not hold.
 *
 * @param pos where the statement is
 * @param statement the statement as printed
 * @param expected the expected result as written
 * @param actual what the run returned, in the same notation
 */
public record ExpectationFailure(SourcePos pos, String statement, String expected, String actual) {
}
