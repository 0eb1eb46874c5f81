package dev.daxfuzz.oracle;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.daxfuzz.fs.FsOptions;
import dev.daxfuzz.program.DxpSyntaxError;
import dev.daxfuzz.program.Program;
import dev.daxfuzz.program.ProgramParser;
import dev.daxfuzz.run.FsRunner;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/**
 * The oracles have teeth: each deliberately broken variant of the file system is caught, with the
 * violation kind its mistake implies, on a program where the correct design is clean.
 */
class OracleTeethTest {

    private static Program program(String... lines) {
        try {
            return ProgramParser.parse("teeth.dxp", String.join("\n", lines) + "\n");
        } catch (DxpSyntaxError e) {
            throw new AssertionError(e);
        }
    }

    private static Set<ViolationKind> kinds(FsOptions options, Program p) {
        FsRunner.Result r = FsRunner.run(p, 50_000, options, (v, n) -> true);
        assertEquals(List.of(), r.truncatedAt(), "explored exhaustively");
        java.util.TreeSet<ViolationKind> kinds = new java.util.TreeSet<>();
        for (FsRunner.Found f : r.violations()) {
            kinds.add(f.violation().kind());
        }
        return kinds;
    }

    private static void caught(FsOptions.Variant variant, Set<ViolationKind> expectAny, String... lines) {
        Program p = program(lines);
        assertEquals(Set.of(), kinds(FsOptions.DEFAULT, p), "the correct design is clean on this program");
        Set<ViolationKind> found = kinds(new FsOptions(0, Set.of(variant)), p);
        assertTrue(found.stream().anyMatch(expectAny::contains),
                () -> variant + " should be caught as one of " + expectAny + ", found " + found);
    }

    @Test
    @DisplayName("teeth: commit without the fence before the commit record exposes a reused block's old bytes")
    void droppedLogFenceIsCaught() {
        // The 8-byte-aligned data of b goes with a non-temporal store into a block that held a's
        // bytes; only the fence before the commit record makes it durable before b's block map.
        caught(FsOptions.Variant.DROP_LOG_FENCE, Set.of(ViolationKind.STALE_DATA),
                "device 64K", "open a /a creat,rdwr", "write a 0 fill:0x41*40K", "fsync a", "truncate a 0",
                "fsync a", "open b /b creat,rdwr", "write b 4096 hex:0102030405060708", "fsync b");
    }

    @Test
    @DisplayName("teeth: metadata written in place without a journal tears calls")
    void noJournalIsCaught() {
        caught(FsOptions.Variant.NO_JOURNAL, Set.of(ViolationKind.NOT_ATOMIC, ViolationKind.FSCK,
                ViolationKind.RECOVERY_FAILED), "mkdir /d", "open f /d/a creat,rdwr", "write f 0 \"x\"",
                "rename /d/a /b", "sync");
    }

    @Test
    @DisplayName("teeth: an fsync that does not commit loses what it promised")
    void fsyncWithoutCommitIsCaught() {
        caught(FsOptions.Variant.FSYNC_ONLY_FENCES, Set.of(ViolationKind.LOST_DURABLE_DATA),
                "open f /a creat,rdwr", "write f 0 \"durable\"", "fsync f", "mkdir /later");
    }

    @Test
    @DisplayName("teeth: rmdir of a non-empty directory returns the wrong result")
    void wrongResultIsCaught() {
        caught(FsOptions.Variant.RMDIR_IGNORES_ENTRIES, Set.of(ViolationKind.WRONG_RESULT),
                "mkdir /d", "mkdir /d/e", "rmdir /d");
    }
}
