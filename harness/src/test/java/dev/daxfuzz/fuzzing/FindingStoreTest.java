package dev.daxfuzz.fuzzing;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.daxfuzz.oracle.Violation;
import dev.daxfuzz.oracle.ViolationKind;
import dev.daxfuzz.program.Program;
import dev.daxfuzz.program.ProgramParser;
import dev.daxfuzz.run.FsRunner;
import dev.daxfuzz.run.RunReport;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Findings are triaged (minimised, signed) and written whole, once, under a token that names the
 * bug, not where it surfaced; their reports are what {@code repro} prints for their reproducer.
 */
class FindingStoreTest {
    @TempDir
    Path tmp;

    private static Program program(String text) throws Exception {
        return ProgramParser.parse("t", text);
    }

    private static FuzzConfig config(String bug) {
        return new FuzzConfig(dev.daxfuzz.program.Header.DaxfileDesign.SEALED, List.of(bug), 2000);
    }

    @Test
    void aFindingIsSavedOnceWithEveryFileAndItsReportIsTheReproducers() throws Exception {
        Program p = program("bug rename-two-transactions\nmkdir /x\nopen f /q creat,rdwr\nmkdir /a\nrename /a /b\n"
                + "mkdir /z\n");
        FuzzConfig c = config("rename-two-transactions");
        Triage.Triaged t = Triage.of(ByteCodec.encode(p), c, Triage.MINIMIZE_RUNS).orElseThrow();
        assertTrue(t.minimized().steps().size() < t.decoded().steps().size(), "minimised first");
        FindingStore store = new FindingStore(tmp.resolve("findings"), "findings");
        FindingStore.Saved first = store.save("syscall-crash", t, "test");
        assertTrue(first.fresh());
        assertEquals(t.token(), first.dir().getFileName().toString());
        for (String f : List.of("input.bin", "original.bin", "program.dxp", "report.md", "report.json")) {
            assertTrue(Files.exists(first.dir().resolve(f)), f);
        }
        Path dxp = first.dir().resolve("program.dxp");
        String text = Files.readString(dxp);
        assertTrue(text.contains("# expect: " + t.violation().kind()) && text.contains("bug rename-two-transactions"),
                text);
        // The report is repro's output for the reproducer, byte for byte.
        Program reread = ProgramParser.parse("findings/" + t.token() + "/program.dxp", text);
        FsRunner.Result r = FsRunner.run(reread, FsRunner.MAX_STATES_DEFAULT, (v, n) -> true);
        String shown = "findings/" + t.token() + "/program.dxp";
        RunReport expected = new RunReport(reread, r, shown, "./daxfuzz repro " + shown);
        assertEquals(expected.text(), FindingStore.fencedText(Files.readString(first.dir().resolve("report.md"))));
        assertEquals(expected.json(), Files.readString(first.dir().resolve("report.json")));
        assertEquals(reread.steps(), ByteCodec.decode(Files.readAllBytes(first.dir().resolve("input.bin")), c).steps(),
                "input.bin is the reproducer's byte encoding");

        byte[] before = Files.readAllBytes(first.dir().resolve("original.bin"));
        Program other = program("bug rename-two-transactions\nmkdir /c\nmkdir /d\nrename /c /e\n");
        Triage.Triaged t2 = Triage.of(ByteCodec.encode(other), c, Triage.MINIMIZE_RUNS).orElseThrow();
        assertEquals(t.token(), t2.token(), "another input of the same bug minimises to the same finding");
        FindingStore.Saved again = store.save("syscall-crash", t2, "test");
        assertFalse(again.fresh());
        assertEquals(first.dir(), again.dir());
        org.junit.jupiter.api.Assertions.assertArrayEquals(before, Files.readAllBytes(first.dir().resolve("original.bin")),
                "never overwritten");
        try (var s = Files.list(first.dir().getParent())) {
            assertEquals(1, s.count(), "no temporary directory left behind");
        }
    }

    @Test
    void aLingeringCorruptionIsOneFindingWhereverItSurfaces() throws Exception {
        // bitmap-outside-journal corrupts the bitmap at the first allocation; every later call's
        // crash point shows it again. Three inputs that first see it at different calls.
        FuzzConfig c = config("bitmap-outside-journal");
        String[] programs = {
            "mkdir /a\nmkdir /b\nopen f /b/c creat,rdwr\nread f 0 10\n",
            "open f /a creat,rdwr\nwrite f 0 \"hello\"\nfsync f\nclose f\n",
            "mkdir /c\nopen f /c/d creat,rdwr\nsync\nunlink /c/d\n",
        };
        java.util.TreeSet<String> tokens = new java.util.TreeSet<>();
        for (String text : programs) {
            Program p = program("bug bitmap-outside-journal\n" + text);
            Triage.Triaged t = Triage.of(ByteCodec.encode(p), c, Triage.MINIMIZE_RUNS).orElseThrow();
            tokens.add(t.token());
        }
        assertEquals(1, tokens.size(), tokens.toString());
    }

    @Test
    void theSignatureIgnoresValuesAndSeparatesChecks() throws Exception {
        Program a = program("mkdir /a\nrename /a /b\n");
        Program b = program("mkdir /c\nmkdir /d\nrename /c /e\n");
        Violation va = new Violation(ViolationKind.FSCK, 1, java.util.Optional.of("during line 2 (rename /a /b)"),
                "fsck: an inode's link count differs", List.of(), List.of("LINK_COUNT: inode 2 has nlink 1, expected 2"),
                java.util.Optional.empty());
        Violation vb = new Violation(ViolationKind.FSCK, 2, java.util.Optional.of("during line 3 (rename /c /e)"),
                "fsck: an inode's link count differs", List.of(), List.of("LINK_COUNT: inode 3 has nlink 1, expected 2"),
                java.util.Optional.empty());
        assertEquals(Signature.token(a, va), Signature.token(b, vb));
        Violation other = new Violation(ViolationKind.FSCK, 1, va.crashPoint(), "fsck: a block is leaked", List.of(),
                List.of("BLOCK_LEAKED: block 12"), java.util.Optional.empty());
        assertEquals(Signature.token(a, va), Signature.token(a, other), "one promise: the structure is consistent");
        Violation stale = new Violation(ViolationKind.STALE_DATA, 1, va.crashPoint(),
                "/a byte 4096 (device byte 0x6000) reads 0x41, which was never written there", List.of(), List.of(),
                java.util.Optional.empty());
        Violation stale2 = new Violation(ViolationKind.STALE_DATA, 1, va.crashPoint(),
                "/b/c byte 17 (device byte 0x9011) reads 0xff, which was never written there", List.of(), List.of(),
                java.util.Optional.empty());
        assertEquals(Signature.of(a, stale), Signature.of(a, stale2));
        Violation lostNames = new Violation(ViolationKind.LOST_DURABLE_DATA, 1, va.crashPoint(),
                "the recovered namespace is the one after line 6, but the calls up to line 7 were made durable",
                List.of(), List.of(), java.util.Optional.empty());
        Violation lostBytes = new Violation(ViolationKind.LOST_DURABLE_DATA, 1, va.crashPoint(),
                "/a byte 5 (device byte 0x6005) reads 0x00, a value from before it was made durable", List.of(),
                List.of(), java.util.Optional.empty());
        assertFalse(Signature.of(a, lostNames).equals(Signature.of(a, lostBytes)), "two durability promises");
        Violation wrong = new Violation(ViolationKind.WRONG_RESULT, 1, java.util.Optional.empty(),
                "line 2: `write f 0x7fffffffffffffff \"x\"` returned ok where Linux returns EFBIG", List.of(), List.of(),
                java.util.Optional.empty());
        Violation wrong2 = new Violation(ViolationKind.WRONG_RESULT, 1, java.util.Optional.empty(),
                "line 9: `write g 0x10 fill:0x41*3` returned ok where Linux returns EFBIG", List.of(), List.of(),
                java.util.Optional.empty());
        Violation wrong3 = new Violation(ViolationKind.WRONG_RESULT, 1, java.util.Optional.empty(),
                "line 9: `truncate g 0x10` returned ok where Linux returns EFBIG", List.of(), List.of(),
                java.util.Optional.empty());
        assertEquals(Signature.of(a, wrong), Signature.of(a, wrong2));
        assertFalse(Signature.of(a, wrong).equals(Signature.of(a, wrong3)), "the call's keyword stays");
    }

    @Test
    void oneBugsRelatedSymptomsAreOneFinding() throws Exception {
        // rename in two transactions: a file's link count, a directory's two names.
        FuzzConfig c = config("rename-two-transactions");
        String file = Triage.of(ByteCodec.encode(program("bug rename-two-transactions\nopen f /a creat,rdwr\n"
                + "rename /a /b\n")), c, Triage.MINIMIZE_RUNS).orElseThrow().token();
        String dir = Triage.of(ByteCodec.encode(program("bug rename-two-transactions\nmkdir /e\nrename /e /f\n")), c,
                Triage.MINIMIZE_RUNS).orElseThrow().token();
        assertEquals(file, dir);
    }
}
