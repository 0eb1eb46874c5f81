package dev.daxfuzz.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The command-line contract of spec §5: output forms, exit codes and error messages. */
class CommandLineTest {
    @TempDir
    Path dir;

    private Path program(String name, String text) throws IOException {
        Path p = dir.resolve(name);
        Files.writeString(p, text);
        return p;
    }

    @Test
    void outcomesPrintsSortedDistinctLinesInObserveOrder() throws IOException {
        Path p = program("mp.dxp", "fs none\nstore 0x40 u8:2\nstore 0 u8:1\n");
        CliRun run = CliRun.of("outcomes", p.toString(), "--observe", "0x40:1,0x0:2");
        assertEquals(0, run.exitCode(), run.err());
        // Different lines persist independently: all four combinations, sorted as text.
        assertEquals("0x40=00 0x0=0000\n0x40=00 0x0=0100\n0x40=02 0x0=0000\n0x40=02 0x0=0100\n", run.out());
    }

    @Test
    void observeAddressesPrintAsGivenInHexOtherwiseAsHex() throws IOException {
        Path p = program("a.dxp", "fs none\nstore 0x40 u8:2\nmfence\n");
        CliRun run = CliRun.of("outcomes", p.toString(), "--observe", "0x0040:1,64:1,1K:1");
        assertEquals(0, run.exitCode(), run.err());
        assertTrue(run.out().contains("0x0040=02 0x40=02 0x400=00\n"), run.out());
    }

    @Test
    void outcomesJsonIsWellFormedAndCarriesTheOutcomes() throws IOException {
        Path p = program("j.dxp", "fs none\nstore 0 u8:1\n");
        CliRun run = CliRun.of("outcomes", p.toString(), "--observe", "0:1", "--json");
        assertEquals(0, run.exitCode(), run.err());
        int outcomes = 0;
        try (JsonParser parser = new JsonFactory().createParser(run.out())) {
            boolean inOutcomes = false;
            for (JsonToken t = parser.nextToken(); t != null; t = parser.nextToken()) {
                if (t == JsonToken.FIELD_NAME && parser.currentName().equals("outcomes")) {
                    inOutcomes = true;
                } else if (inOutcomes && t == JsonToken.FIELD_NAME && parser.currentName().equals("0x0")) {
                    outcomes++;
                } else if (inOutcomes && t == JsonToken.END_ARRAY) {
                    inOutcomes = false;
                }
            }
        }
        assertEquals(2, outcomes);
        assertTrue(run.out().endsWith("}\n"), "JSON ends with a newline");
    }

    @Test
    void boundSaysWhenItCutsTheEnumeration() throws IOException {
        Path p = program("b.dxp", "fs none\nstore 0 u8:1\nstore 0x40 u8:1\n");
        CliRun run = CliRun.of("outcomes", p.toString(), "--observe", "0:1,0x40:1", "--max-states", "2");
        assertEquals(0, run.exitCode());
        assertEquals(2, run.out().lines().count());
        assertTrue(run.err().contains("--max-states 2 cut the enumeration at 1 crash point(s) (end of program)"),
                run.err());
    }

    @Test
    void parseErrorIsFileLineColumnAndExitTwo() throws IOException {
        Path p = program("bad.dxp", "fs none\nstore 0x10 u64:1\nstore 0x zz\n");
        CliRun run = CliRun.of("outcomes", p.toString(), "--observe", "0:8");
        assertEquals(2, run.exitCode());
        assertEquals("", run.out());
        assertTrue(run.err().startsWith(p + ":3:7: expected an integer"), run.err());
        assertTrue(!run.err().contains("Exception"), "no stack trace: " + run.err());
    }

    @Test
    void missingFileIsExitTwo() {
        CliRun run = CliRun.of("outcomes", dir.resolve("nope.dxp").toString(), "--observe", "0:8");
        assertEquals(2, run.exitCode());
        assertTrue(run.err().contains("no such file"), run.err());
    }

    @Test
    void badObserveIsExitTwo() throws IOException {
        Path p = program("o.dxp", "fs none\nstore 0 u8:1\n");
        assertEquals(2, CliRun.of("outcomes", p.toString(), "--observe", "0:8,zz").exitCode());
        assertEquals(2, CliRun.of("outcomes", p.toString(), "--observe", "1M:8").exitCode());
        assertEquals(2, CliRun.of("outcomes", p.toString(), "--observe", "0:0").exitCode());
        assertEquals(2, CliRun.of("outcomes", p.toString()).exitCode());
        assertEquals(2, CliRun.of("outcomes", p.toString(), "--observe", "0:1", "--max-states", "0").exitCode());
    }

    @Test
    void theSpecExampleOfMapSyncIsCleanAndRfcV1IsNot() throws IOException {
        Path ok = program("spec6.dxp", "fs journal\nsync-fault fsync-before-pte\nopen f /a creat,rdwr\ntruncate f 8K\n"
                + "mmap m f 0 8K shared-validate,sync\nmstore m 4096 \"durable\"\npersist m 4096 7\ncrash\n");
        CliRun clean = CliRun.of("explore", ok.toString());
        assertEquals(0, clean.exitCode(), clean.err());
        assertTrue(clean.out().startsWith("1 crash point, "), clean.out());
        Path v1 = program("v1.dxp", "daxfile rfc-v1\nopen f /a creat,rdwr\nfallocate f alloc 0 4K\ndaxctl /a static\n"
                + "mmap m f 0 4K shared\nmstore m 0 \"durable\"\npersist m 0 7\ncrash\n");
        CliRun found = CliRun.of("explore", v1.toString());
        assertEquals(1, found.exitCode(), found.err());
        assertTrue(found.out().contains("LOST_SYNCED_DATA"), found.out());
        assertTrue(found.out().contains("reproduce with: "), found.out());
    }

    @Test
    void outcomesRefusesFileSystemPrograms() throws IOException {
        Path p = program("fs.dxp", "open f /a creat,rdwr\n");
        CliRun run = CliRun.of("outcomes", p.toString(), "--observe", "0:8");
        assertEquals(2, run.exitCode());
        assertTrue(run.err().contains("needs `fs none`"), run.err());
    }

    @Test
    void exploreOfAFileSystemProgramPrintsTheSummaryAndExitsZeroWhenClean() throws IOException {
        Path p = program("fs.dxp", "mkdir /d\nopen f /d/a creat,rdwr\nwrite f 0 \"hello\" => ok\nfsync f\n"
                + "read f 0 5 => \"hello\"\n");
        CliRun run = CliRun.of("explore", p.toString());
        assertEquals(0, run.exitCode(), run.out() + run.err());
        assertTrue(run.out().matches("5 crash points, \\d+ crash states, \\d+ distinct images, 0 violations\n"), run.out());
        CliRun json = CliRun.of("explore", p.toString(), "--json");
        assertEquals(0, json.exitCode());
        assertTrue(json.out().contains("\"violationCount\" : 0"), json.out());
    }

    @Test
    void exploreReportsAFailedExpectationOnAFileSystemProgramWithExitThree() throws IOException {
        Path p = program("fs.dxp", "mkdir /d => EEXIST\n");
        CliRun run = CliRun.of("explore", p.toString());
        assertEquals(3, run.exitCode());
        assertTrue(run.err().contains(p + ":1:1: expectation failed: `mkdir /d => EEXIST` returned ok"), run.err());
    }

    @Test
    void failedExpectationIsExitThreeNamingTheLine() throws IOException {
        Path p = program("e.dxp", "fs none\nstore 0 u64:7\n\nload 0 8 => u64:8\n");
        CliRun run = CliRun.of("outcomes", p.toString(), "--observe", "0:8");
        assertEquals(3, run.exitCode());
        assertTrue(run.err().startsWith(p + ":4:1: expectation failed"), run.err());
        assertEquals(2, run.out().lines().count(), "outcomes are still printed");
    }

    @Test
    void exploreSummaryLine() throws IOException {
        Path p = program("x.dxp", "fs none\nstore 0 u8:1\nmfence\nstore 0x40 u8:1\n");
        CliRun run = CliRun.of("explore", p.toString());
        assertEquals(0, run.exitCode(), run.err());
        // Before the mfence: 0 or 1 at 0x0; at the end: x in {0,1} and y in {0,1}.
        assertEquals("2 crash points, 6 crash states, 4 distinct images, 0 violations\n", run.out());
    }

    @Test
    void unknownCommandAndNoCommandAreUsageErrors() {
        assertEquals(2, CliRun.of("frobnicate").exitCode());
        assertEquals(2, CliRun.of().exitCode());
        assertEquals(0, CliRun.of("--help").exitCode());
        assertTrue(CliRun.of("--version").out().startsWith("daxfuzz "));
    }

    @Test
    void benchRefusesABadStartAndAResumeWithoutAFindingSectionBeforeMeasuringAnything(@org.junit.jupiter.api.io.TempDir
                                                                                       java.nio.file.Path out) {
        CliRun bad = CliRun.of("bench", "--sections", "finding", "--finding-from", "nothing,somewhere", "--out",
                out.toString());
        assertEquals(2, bad.exitCode(), bad.err());
        assertTrue(bad.err().contains("--finding-from somewhere: expected nothing, corpus, or nothing,corpus"), bad.err());
        CliRun twice = CliRun.of("bench", "--sections", "finding", "--finding-from", "corpus,corpus", "--out",
                out.toString());
        assertEquals(2, twice.exitCode(), twice.err());
        CliRun resume = CliRun.of("bench", "--sections", "search", "--resume", "--out", out.toString());
        assertEquals(2, resume.exitCode(), resume.err());
        assertTrue(resume.err().contains("only the finding section is resumed"), resume.err());
        assertTrue(!java.nio.file.Files.exists(out.resolve("results.md")), "nothing was measured");
    }

    @Test
    void exploreRunsTheSchedulesOfTasksAndOtherCommandsRefuseThem(@org.junit.jupiter.api.io.TempDir java.nio.file.Path dir)
            throws IOException {
        java.nio.file.Path p = dir.resolve("race.dxp");
        java.nio.file.Files.writeString(p, "open f /a creat,rdwr\ntask A\nwrite f 0 \"x\"\ntask B\ntruncate f 0\n");
        CliRun run = CliRun.of("explore", p.toString());
        assertEquals(0, run.exitCode(), run.out() + run.err());
        assertTrue(run.out().matches("(?s)\\d+ schedules, \\d+ crash points?, .*, 0 violations\n"), run.out());
        assertTrue(run.err().contains("Crash points are explored in the setup only"), run.err());
        CliRun none = CliRun.of("explore", p.toString(), "--preemptions", "0");
        assertTrue(none.out().startsWith("2 schedules, "), none.out());
        CliRun bad = CliRun.of("explore", p.toString(), "--preemptions", "-1");
        assertEquals(2, bad.exitCode());
        CliRun encode = CliRun.of("encode", p.toString(), "--out", dir.resolve("out").toString());
        assertEquals(2, encode.exitCode(), encode.err());
        assertTrue(encode.err().contains(p + ":3: task A: this command does not run the schedules of tasks yet"),
                encode.err());
        java.nio.file.Path raw = dir.resolve("raw.dxp");
        java.nio.file.Files.writeString(raw, "fs none\ntask A\nstore 0 u8:1\n");
        CliRun rawRun = CliRun.of("explore", raw.toString());
        assertEquals(2, rawRun.exitCode(), rawRun.err());
    }
}
