package dev.daxfuzz.run;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.daxfuzz.fs.FsGeometry;
import dev.daxfuzz.fs.FsOptions;
import dev.daxfuzz.oracle.ViolationReport;
import dev.daxfuzz.program.Program;
import dev.daxfuzz.program.ProgramPrinter;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/**
 * The correct journal design gives no violation at all: over a thousand seeded random programs
 * (ADR and eADR, small and default devices), every crash state of every call recovers, passes
 * fsck and matches the model; every result agrees with Linux; and no crash point needs more than
 * the bound to explore exhaustively.
 */
class NoFalsePositivesPropertyTest {
    /** The program and its first violation explained, or "" when it ran clean. */
    static String firstViolation(Program p, FsRunner.Result res) {
        return res.violations().isEmpty() ? "" : ProgramPrinter.print(p) + "\n"
                + new ViolationReport(p, FsGeometry.forDevice(p.header().deviceBytes(), 0), "test")
                        .render(res.violations().get(0).violation(), 1, res.violations().get(0).states());
    }

    @Test
    void randomProgramsOnTheCorrectDesignAreClean() {
        SplittableRandom r = new SplittableRandom(0x5EEDL);
        long states = 0;
        for (int i = 0; i < 1000; i++) {
            Program p = RandomFsPrograms.generate(r, 4 + r.nextInt(8));
            FsRunner.Result res = FsRunner.run(p, 5000, FsOptions.DEFAULT, (v, n) -> true);
            assertEquals("", firstViolation(p, res), "program " + i);
            assertEquals(java.util.List.of(), res.truncatedAt(), "program " + i + " was not explored exhaustively");
            states += res.crashStates();
        }
        assertTrue(states > 10_000, "the programs reach crash states: " + states);
    }

    /**
     * The same over programs with mappings, user stores and flushes, faults under both sync-fault
     * designs, and the sealed daxfile design: every result agrees with the model of
     * docs/mappings.md, every crash state (inside faults too) passes every oracle, the MAP_SYNC
     * and daxfile promises hold, and nothing deadlocks, livelocks or leaks.
     */
    @Test
    void randomProgramsWithMappingsOnTheCorrectDesignsAreClean() {
        SplittableRandom r = new SplittableRandom(0xD0A5L);
        long states = 0;
        for (int i = 0; i < 600; i++) {
            Program p = RandomFsPrograms.generate(r, 5 + r.nextInt(10), true);
            FsRunner.Result res = FsRunner.run(p, 5000, FsOptions.DEFAULT, (v, n) -> true);
            assertEquals("", firstViolation(p, res), "program " + i);
            assertEquals(java.util.List.of(), res.truncatedAt(), "program " + i + " was not explored exhaustively");
            states += res.crashStates();
        }
        assertTrue(states > 10_000, "the programs reach crash states: " + states);
    }
}
