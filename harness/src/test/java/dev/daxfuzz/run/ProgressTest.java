package dev.daxfuzz.run;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.daxfuzz.fs.FsOptions;
import dev.daxfuzz.program.Program;
import dev.daxfuzz.program.ProgramParser;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Goal: the progress hook reports the run faithfully and changes nothing. The counts it hands
 * over never go down, stay within the program, and end at the run's own totals; the result is
 * the same as without a listener.
 */
class ProgressTest {
    @Test
    void progressCountsEndAtTheResultAndTheRunIsUnchanged() throws Exception {
        Program p = ProgramParser.parse(Path.of("..", "corpus", "fs", "rename-atomic.dxp"));
        List<FsRunner.Progress> seen = new ArrayList<>();
        FsRunner.Result with = FsRunner.run(p, 100_000, (v, n) -> true, seen::add);
        FsRunner.Result without = FsRunner.run(p, 100_000, FsOptions.DEFAULT, (v, n) -> true);
        assertEquals(without, with);
        assertTrue(seen.size() >= with.crashStates(), "a report after every crash state");
        FsRunner.Progress last = seen.get(seen.size() - 1);
        assertEquals(with.crashStates(), last.crashStates());
        assertEquals(with.crashPoints(), last.crashPoints());
        for (int i = 0; i < seen.size(); i++) {
            FsRunner.Progress q = seen.get(i);
            assertEquals(p.steps().size(), q.statements());
            assertTrue(q.statement() >= 1 && q.statement() <= q.statements(), q.toString());
            if (i > 0) {
                FsRunner.Progress prev = seen.get(i - 1);
                assertTrue(q.crashStates() >= prev.crashStates() && q.crashPoints() >= prev.crashPoints()
                        && q.statement() >= prev.statement(), prev + " then " + q);
            }
        }
    }
}
