package dev.daxfuzz.fuzzing;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.daxfuzz.oracle.Violation;
import dev.daxfuzz.oracle.ViolationKind;
import dev.daxfuzz.program.Program;
import dev.daxfuzz.program.ProgramParser;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Findings are written whole, once, under a token that ignores everything but the bug. */
class FindingStoreTest {
    @TempDir
    Path tmp;

    private static Program program(String text) throws Exception {
        return ProgramParser.parse("t", text);
    }

    @Test
    void aFindingIsSavedOnceWithEveryFile() throws Exception {
        Program p = program("bug rename-two-transactions\nmkdir /a\nrename /a /b\n");
        FuzzConfig c = new FuzzConfig(p.header().daxfile(), p.header().bugs(), 2000);
        SyscallCrash.Outcome o = SyscallCrash.check(p, c);
        Violation v = o.violation().orElseThrow();
        FindingStore store = new FindingStore(tmp);
        FindingStore.Saved first = store.save("syscall-crash", new byte[] {1, 2, 3}, p, v, 1);
        assertTrue(first.fresh());
        for (String f : List.of("input.bin", "program.dxp", "report.md", "report.json")) {
            assertTrue(Files.exists(first.dir().resolve(f)), f);
        }
        String dxp = Files.readString(first.dir().resolve("program.dxp"));
        assertTrue(dxp.contains("# expect: " + v.kind()) && dxp.contains("bug rename-two-transactions"), dxp);
        assertTrue(Files.readString(first.dir().resolve("report.md")).contains("reproduce with: ./daxfuzz repro "));
        byte[] before = Files.readAllBytes(first.dir().resolve("input.bin"));
        FindingStore.Saved again = store.save("syscall-crash", new byte[] {9}, p, v, 1);
        assertFalse(again.fresh());
        assertEquals(first.dir(), again.dir());
        assertEquals(List.of((byte) 1, (byte) 2, (byte) 3), List.of(before[0], before[1], before[2]));
        assertEquals(1, Files.readAllBytes(first.dir().resolve("input.bin")).length == 3 ? 1 : 0, "never overwritten");
        try (var s = Files.list(first.dir().getParent())) {
            assertEquals(1, s.count(), "no temporary directory left behind");
        }
    }

    @Test
    void theTokenHashesKindOracleAndLocationNotMessages() throws Exception {
        Program a = program("mkdir /a\nrename /a /b\n");
        Program b = program("mkdir /c\nmkdir /d\nrename /c /e\n");
        Violation va = new Violation(ViolationKind.FSCK, 1, java.util.Optional.of("during line 2 (rename /a /b)"),
                "x", List.of(), List.of("LINK_COUNT: inode 2 has nlink 1, expected 2"), java.util.Optional.empty());
        Violation vb = new Violation(ViolationKind.FSCK, 2, java.util.Optional.of("during line 3 (rename /c /e)"),
                "y", List.of(), List.of("LINK_COUNT: inode 3 has nlink 1, expected 2"), java.util.Optional.empty());
        assertEquals(SyscallCrash.token(a, va), SyscallCrash.token(b, vb));
        Violation other = new Violation(ViolationKind.FSCK, 1, va.crashPoint(), "x", List.of(),
                List.of("BLOCK_LEAKED: block 12"), java.util.Optional.empty());
        assertFalse(SyscallCrash.token(a, va).equals(SyscallCrash.token(a, other)));
    }
}
