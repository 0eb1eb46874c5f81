package dev.daxfuzz.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code daxfuzz outcomes} on self-checking litmus files: the {@code # observe:},
 * {@code # outcome:} and {@code # forbidden:} comments, how {@code --observe} interacts with them,
 * and the errors for malformed ones (docs/program-format.md §9).
 */
class OutcomesVerdictTest {
    @TempDir
    Path dir;

    /** Message passing with the fence: y (0x40) never persists without x (0x0). */
    private static final String PROGRAM = "fs none\nstore 0x0 u64:1\nclwb 0x0\nsfence\nstore 0x40 u64:1\n";
    private static final String NONE = "0x0=0000000000000000 0x40=0000000000000000";
    private static final String X = "0x0=0100000000000000 0x40=0000000000000000";
    private static final String XY = "0x0=0100000000000000 0x40=0100000000000000";
    private static final String Y = "0x0=0000000000000000 0x40=0100000000000000";

    private Path file(String name, String text) throws IOException {
        Path p = dir.resolve(name);
        Files.writeString(p, text);
        return p;
    }

    @Test
    void theFilesObserveLineStandsInForTheOption() throws IOException {
        Path p = file("a.dxp", "# observe: 0x0:8,0x40:8\n" + PROGRAM);
        CliRun run = CliRun.of("outcomes", p.toString());
        assertEquals(0, run.exitCode(), run.err());
        assertEquals(NONE + "\n" + X + "\n" + XY + "\n", run.out());
        // Progress lines appear when a run takes over two seconds (a loaded machine); nothing else may.
        assertEquals("", CliRun.withoutProgress(run.err()));
    }

    @Test
    void neitherOptionNorLineIsAUsageError() throws IOException {
        Path p = file("a.dxp", PROGRAM);
        CliRun run = CliRun.of("outcomes", p.toString());
        assertEquals(2, run.exitCode());
        assertEquals("", run.out());
        assertTrue(run.err().contains("no ranges to observe: give --observe ADDR:LEN[,ADDR:LEN...] or put a"
                + " `# observe: ADDR:LEN[,ADDR:LEN...]` line in the file"), run.err());
    }

    @Test
    void anOccurringForbiddenOutcomeExitsThreeNamingItsLine() throws IOException {
        // Without the sfence y may persist alone.
        Path p = file("a.dxp", "# observe: 0x0:8,0x40:8\n# forbidden: " + Y + "\n"
                + "fs none\nstore 0x0 u64:1\nclwb 0x0\nstore 0x40 u64:1\n");
        CliRun run = CliRun.of("outcomes", p.toString());
        assertEquals(3, run.exitCode());
        assertEquals(p + ":2: forbidden outcome occurred: " + Y + "\n", run.err());
        assertEquals(4, run.out().lines().count(), "every outcome is still printed");
    }

    @Test
    void forbiddenLinesAloneHoldWhenTheOutcomeNeverOccurs() throws IOException {
        Path p = file("a.dxp", "# observe: 0x0:8,0x40:8\n# forbidden: " + Y + "\n" + PROGRAM);
        CliRun run = CliRun.of("outcomes", p.toString());
        assertEquals(0, run.exitCode(), run.err());
        assertEquals(3, run.out().lines().count());
    }

    @Test
    void missingAndUnexpectedOutcomesAreBothNamed() throws IOException {
        Path p = file("a.dxp", "# observe: 0x0:8,0x40:8\n# outcome: " + NONE + "\n# outcome: " + Y + "\n"
                + "# outcome: " + XY + "\n" + PROGRAM);
        CliRun run = CliRun.of("outcomes", p.toString());
        assertEquals(3, run.exitCode());
        assertEquals(p + ":3: missing outcome (listed, never occurred): " + Y + "\n"
                + p + ": unexpected outcome (occurred, not listed by any `# outcome:` line): " + X + "\n", run.err());
    }

    @Test
    void hexDigitsMayBeUpperCaseAndSpacesRepeated() throws IOException {
        Path p = file("a.dxp", "#observe: 0x0:8,0x40:8\n#  outcome:  " + NONE + "\n# outcome: "
                + X.toUpperCase().replace("0X", "0x") + "\n# outcome: " + XY.replace(" ", "   ") + "\n" + PROGRAM);
        CliRun run = CliRun.of("outcomes", p.toString());
        assertEquals(0, run.exitCode(), run.err());
    }

    @Test
    void anObserveOptionThatDiffersSkipsTheVerdictWithANote() throws IOException {
        Path p = file("a.dxp", "# observe: 0x0:8,0x40:8\n# outcome: " + NONE + "\n" + PROGRAM);
        CliRun run = CliRun.of("outcomes", p.toString(), "--observe", "0x40:8");
        assertEquals(0, run.exitCode(), run.err());
        assertEquals("0x40=0000000000000000\n0x40=0100000000000000\n", run.out());
        assertEquals("daxfuzz: note: " + p + ": --observe 0x40:8 differs from the file's `# observe:` line (line 1),"
                + " so its `# outcome:` and `# forbidden:` lines were not checked\n", run.err());
    }

    @Test
    void anObserveOptionEqualToTheLineStillChecksTheVerdict() throws IOException {
        Path p = file("a.dxp", "# observe: 0x0:8,0x40:8\n# outcome: " + NONE + "\n" + PROGRAM);
        // "0:8" and "0x0:8" are the same range and print the same.
        CliRun run = CliRun.of("outcomes", p.toString(), "--observe", "0:8,64:8");
        assertEquals(3, run.exitCode(), run.err());
        assertTrue(run.err().contains("unexpected outcome"), run.err());
    }

    @Test
    void malformedVerdictLinesAreUsageErrorsNamingTheLine() throws IOException {
        Path shortHex = file("a.dxp", "# observe: 0x0:8,0x40:8\n# outcome: 0x0=00 0x40=0000000000000000\n" + PROGRAM);
        CliRun run = CliRun.of("outcomes", shortHex.toString());
        assertEquals(2, run.exitCode());
        assertEquals(shortHex + ":2: expected `# outcome: 0x0=<16 hex digits> 0x40=<16 hex digits>` (the ranges of the"
                + " `# observe:` line, in order, two hex digits per byte), found `# outcome: 0x0=00"
                + " 0x40=0000000000000000`\n", run.err());
        assertEquals("", run.out(), "nothing runs");

        Path wrongOrder = file("b.dxp", "# observe: 0x0:8,0x40:8\n# forbidden: 0x40=0000000000000000"
                + " 0x0=0000000000000000\n" + PROGRAM);
        assertEquals(2, CliRun.of("outcomes", wrongOrder.toString()).exitCode());

        Path noObserve = file("c.dxp", "# outcome: " + NONE + "\n" + PROGRAM);
        CliRun c = CliRun.of("outcomes", noObserve.toString(), "--observe", "0x0:8,0x40:8");
        assertEquals(2, c.exitCode());
        assertTrue(c.err().startsWith(noObserve + ":1: `# outcome:` and `# forbidden:` lines need an `# observe:"),
                c.err());

        Path twoObserve = file("d.dxp", "# observe: 0x0:8\n# observe: 0x40:8\n" + PROGRAM);
        CliRun d = CliRun.of("outcomes", twoObserve.toString());
        assertEquals(2, d.exitCode());
        assertTrue(d.err().startsWith(twoObserve + ":2: a second `# observe:` line (the first is line 1)"), d.err());

        Path both = file("e.dxp", "# observe: 0x0:8,0x40:8\n# outcome: " + Y + "\n# forbidden: " + Y + "\n" + PROGRAM);
        CliRun e = CliRun.of("outcomes", both.toString());
        assertEquals(2, e.exitCode());
        assertTrue(e.err().contains(":3: `# forbidden: " + Y + "` is also listed as an outcome at line 2"), e.err());

        Path badRange = file("f.dxp", "# observe: 0x0:zz\n" + PROGRAM);
        CliRun f = CliRun.of("outcomes", badRange.toString());
        assertEquals(2, f.exitCode());
        assertTrue(f.err().startsWith(badRange + ":1: # observe: 0x0:zz: LEN 'zz' is not a number"), f.err());
    }

    @Test
    void onlyWholeLineCommentsCount() throws IOException {
        Path p = file("a.dxp", "# observe: 0x0:8,0x40:8\n" + PROGRAM.replace("sfence\n", "sfence # outcome: junk\n"));
        CliRun run = CliRun.of("outcomes", p.toString());
        assertEquals(0, run.exitCode(), run.err());
    }

    @Test
    void jsonCarriesTheVerdict() throws IOException {
        Path p = file("a.dxp", "# observe: 0x0:8,0x40:8\n# outcome: " + NONE + "\n# outcome: " + XY + "\n" + PROGRAM);
        CliRun run = CliRun.of("outcomes", p.toString(), "--json");
        assertEquals(3, run.exitCode(), run.err());
        String json = run.out().replaceAll("\\s+", " ");
        assertTrue(json.contains("\"verdictChecked\" : true"), json);
        assertTrue(json.contains("\"missing\" : [ ]"), json);
        assertTrue(json.contains("\"unexpected\" : [ \"" + X + "\" ]"), json);
        assertTrue(json.contains("\"forbidden\" : [ ]"), json);

        Path plain = file("b.dxp", PROGRAM);
        String unchecked = CliRun.of("outcomes", plain.toString(), "--observe", "0:8", "--json").out();
        assertTrue(unchecked.contains("\"verdictChecked\" : false") && !unchecked.contains("\"missing\""), unchecked);
    }
}
