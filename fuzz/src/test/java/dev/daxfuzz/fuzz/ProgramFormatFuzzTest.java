package dev.daxfuzz.fuzz;

import static org.junit.jupiter.api.Assertions.assertEquals;

import com.code_intelligence.jazzer.junit.FuzzTest;
import com.code_intelligence.jazzer.mutation.annotation.NotNull;
import dev.daxfuzz.program.DxpSyntaxError;
import dev.daxfuzz.program.Program;
import dev.daxfuzz.program.ProgramParser;
import dev.daxfuzz.program.ProgramPrinter;

/**
 * The {@code .dxp} parser on arbitrary text: it either rejects the text with a
 * {@link DxpSyntaxError} (never another exception), or accepts it, and then printing the program
 * and parsing the print gives the same program.
 *
 * <p>Regression mode ({@code mvn verify}) replays the inputs under
 * {@code src/test/resources/dev/daxfuzz/fuzz/ProgramFormatFuzzTestInputs/}; fuzz with
 * {@code JAZZER_FUZZ=1 mvn -pl fuzz -am test -Dtest=ProgramFormatFuzzTest -Dsurefire.failIfNoSpecifiedTests=false}.
 */
class ProgramFormatFuzzTest {
    @FuzzTest(maxDuration = "2m")
    void parsePrintParse(@NotNull String text) throws DxpSyntaxError {
        Program parsed;
        try {
            parsed = ProgramParser.parse("fuzz.dxp", text);
        } catch (DxpSyntaxError expected) {
            return;
        }
        String printed = ProgramPrinter.print(parsed);
        assertEquals(parsed, ProgramParser.parse("printed.dxp", printed), printed);
    }
}
