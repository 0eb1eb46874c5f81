package dev.daxfuzz.run;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.daxfuzz.fs.FsOptions;
import dev.daxfuzz.program.Program;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/**
 * A fuzzer never cries wolf, least of all at the edges: programs whose every offset and length is
 * an edge ({@link EdgeFsPrograms}: 0, block and page boundaries, 48K, the largest file ±1, the
 * device ±1, 2^31 - 1, 2^31, 2^32, 2^63 - 8, 2^63 - 1 …) run through the file system and the model
 * on the correct designs (both sync-fault designs, ADR and eADR, sealed daxfile) without a single
 * violation: every result agrees with the model, and every crash state passes every oracle.
 */
class EdgeOffsetsPropertyTest {
    @Test
    void edgeOffsetsAndLengthsOnTheCorrectDesignsAreClean() {
        SplittableRandom r = new SplittableRandom(0xED6E5L);
        long states = 0;
        for (int i = 0; i < 300; i++) {
            Program p = EdgeFsPrograms.generate(r, 4 + r.nextInt(8));
            FsRunner.Result res = FsRunner.run(p, 1000, FsOptions.DEFAULT, (v, n) -> true);
            assertEquals("", NoFalsePositivesPropertyTest.firstViolation(p, res), "program " + i);
            states += res.crashStates();
        }
        assertTrue(states > 3_000, "the programs reach crash states: " + states);
    }
}
