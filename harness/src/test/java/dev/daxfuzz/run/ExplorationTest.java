package dev.daxfuzz.run;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.daxfuzz.program.DxpSyntaxError;
import dev.daxfuzz.program.Program;
import dev.daxfuzz.program.ProgramParser;
import java.io.IOException;
import org.junit.jupiter.api.Test;

/**
 * The benchmark's baselines ({@link FsRunner.Exploration.Eager}) explore the same crash points
 * as daxfuzz's lazy exploration, check at least as many images as it checks states, fewer with
 * k = 0, and find the same seeded bug on a small reproducer.
 */
class ExplorationTest {
    private static Program parse(String text) throws DxpSyntaxError {
        return ProgramParser.parse("test.dxp", text);
    }

    @Test
    void eagerChecksEveryImageAndAgreesWithLazy() throws DxpSyntaxError {
        Program p = parse("""
                fs journal
                open f /a creat,rdwr
                write f 0 "hello"
                fsync f
                rename /a /b
                """);
        FsRunner.Measured lazy = FsRunner.measure(p, Long.MAX_VALUE, FsRunner.Exploration.LAZY, false);
        // Bounded: even this program has more images per crash point than a test can copy out.
        FsRunner.Measured all = FsRunner.measure(p, 40, new FsRunner.Exploration.Eager(FsRunner.Exploration.Eager.ALL),
                false);
        FsRunner.Measured k0 = FsRunner.measure(p, 40, new FsRunner.Exploration.Eager(0), false);
        assertEquals(lazy.result().crashPoints(), all.result().crashPoints());
        assertEquals(lazy.writesInFlight(), all.writesInFlight());
        assertTrue(lazy.writesInFlight().stream().anyMatch(w -> w > 0), "some writes in flight");
        assertTrue(all.result().crashStates() >= lazy.result().crashStates(),
                all.result().crashStates() + " images, " + lazy.result().crashStates() + " lazy states");
        assertFalse(all.result().truncatedAt().isEmpty(), "the images outnumber the bound somewhere");
        assertTrue(k0.result().truncatedAt().isEmpty(), "k = 0: one image per box, within the bound");
        assertTrue(k0.result().crashStates() < all.result().crashStates());
        assertTrue(lazy.result().violations().isEmpty());
        assertTrue(all.result().violations().isEmpty(), "the correct design is clean image by image");
        assertTrue(k0.result().violations().isEmpty());
    }

    @Test
    void eagerFindsTheSeededBugLazyFinds() throws DxpSyntaxError {
        Program p = parse("""
                fs journal
                bug rename-two-transactions
                open f /a creat,rdwr
                write f 0 "new"
                open g /b creat,rdwr
                write g 0 "old"
                sync
                rename /a /b
                """);
        FsRunner.Result lazy = FsRunner.measure(p, Long.MAX_VALUE, FsRunner.Exploration.LAZY, true).result();
        FsRunner.Result all = FsRunner.measure(p, 200, new FsRunner.Exploration.Eager(FsRunner.Exploration.Eager.ALL),
                true).result();
        assertFalse(lazy.violations().isEmpty());
        assertFalse(all.violations().isEmpty());
        assertEquals(lazy.violations().get(0).violation().kind(), all.violations().get(0).violation().kind());
    }
}
