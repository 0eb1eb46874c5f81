package dev.daxfuzz.benchtests;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import dev.daxfuzz.fuzzing.AceSpace;
import dev.daxfuzz.bench.FindingTime;
import dev.daxfuzz.fuzzing.ByteCodec;
import dev.daxfuzz.program.Header;
import dev.daxfuzz.program.Program;
import dev.daxfuzz.program.ProgramPrinter;
import java.io.StringWriter;
import java.nio.file.Path;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/**
 * The ACE space of the time-to-first-finding benchmark ({@code dev.daxfuzz.bench}), and the
 * section's arithmetic. Not in {@code dev.daxfuzz.bench} itself: surefire excludes
 * {@code **}{@code /bench/**} (the JMH benchmarks), so a test there would never run in {@code mvn verify}.
 */
class AceSpaceTest {
    private static int op(String label) {
        for (int i = 0; i < AceSpace.OPS.size(); i++) {
            if (AceSpace.OPS.get(i).label().equals(label)) {
                return i;
            }
        }
        throw new AssertionError("no core op " + label);
    }

    private static FindingTime.Options options(long budgetMillis) {
        return new FindingTime.Options(List.of(), 1, budgetMillis, 1, Path.of("."));
    }

    @Test
    void spaceSizesAreWhatTheOpSetImplies() {
        // 12 per-file kinds × 3 files × {none, fsync}; link and rename × 6 ordered pairs × 2;
        // fdatasync × 3 files; mkdir × {none, sync}; sync; cred drop.
        assertEquals(12 * 3 * 2 + 2 * 6 * 2 + 3 + 2 + 1 + 1, AceSpace.OPS.size());
        assertEquals(103L * 103 * 103, AceSpace.sequences(3));
        for (int len = 1; len <= 2; len++) {
            long programs = 0;
            for (long i = 0; i < AceSpace.sequences(len); i++) {
                programs += AceSpace.platforms(AceSpace.sequence(len, i)).size();
            }
            assertEquals(programs, AceSpace.programs(len), "length " + len);
        }
        // 97 sequences without a MAP_SYNC write on 4 platforms, 6 with one on 8.
        assertEquals(4 * 97 + 8 * 6, AceSpace.programs(1));
        assertEquals(AceSpace.Platform.DEFAULT, AceSpace.platforms(new int[] {0}).get(0));
    }

    @Test
    void sequencesDecodeToTheIntendedStatements() {
        int[] seq = {op("rename /a /b +fsync"), op("mwrite-sync /d/a")};
        AceSpace.Platform platform = new AceSpace.Platform(true, true, false);
        Program p = ByteCodec.decode(AceSpace.input(seq, platform), FindingTime.configFor("daxfile-clear-keeps-ref"));
        assertEquals(List.of(
                "open f0 /a creat,rdwr", "rename /a /b", "fsync f0",
                "mkdir /d", "open f1 /d/a creat,rdwr", "mmap m0 f1 0x0 4K shared-validate,sync",
                "mstore m0 0x0 hex:64757261626c65", "persist m0 0x0 7", "munmap m0",
                "close f0", "close f1"), p.steps().stream().map(s -> ProgramPrinter.print(s.op())).toList());
        assertEquals(Header.SyncFault.DROP_LOCK_RETRY, p.header().syncFault());
        assertEquals(Header.JournalCommit.ASYNC, p.header().journalCommit());
        assertEquals(1024 * 1024, p.header().deviceBytes());
        // The bug and its design come from the run's configuration, not the bytes.
        assertEquals(Header.DaxfileDesign.RFC_V1, p.header().daxfile());
        assertEquals(List.of("daxfile-clear-keeps-ref"), p.header().bugs());
        // Sequence numbering: most significant op first.
        assertArrayEquals(seq, AceSpace.sequence(2, (long) seq[0] * AceSpace.OPS.size() + seq[1]));
    }

    @Test
    void appendFollowsTheTrackedSizeAndUnlinkPersistsBySync() {
        int[] seq = {op("overwrite /b"), op("append /b +fsync"), op("unlink /b +sync")};
        Program p = AceSpace.program(seq, AceSpace.Platform.DEFAULT);
        assertEquals(List.of("open f0 /b creat,rdwr", "write f0 0x0 fill:0x41*4K", "write f0 0x1000 fill:0x42*13",
                "fsync f0", "unlink /b", "sync", "close f0"), p.steps().stream().map(s -> ProgramPrinter.print(s.op())).toList());
    }

    @Test
    void canonicalAceFindsRenameTwoTransactionsAtLengthOne() {
        FindingTime.Measured m = FindingTime.ace(options(60_000), "rename-two-transactions", 1, 2);
        assertEquals(FindingTime.Outcome.FOUND, m.detail().outcome(), m.toString());
        assertTrue(m.run().found());
        assertEquals("L1", m.detail().note());
        assertEquals("FSCK", m.detail().violation());
        assertTrue(m.run().execs() <= AceSpace.programs(1));
    }

    @Test
    void aBugBeyondTheBoundExhaustsTheSpaceDistinctlyFromATimeout() {
        // commit-before-log-persisted needs block reuse after a large write: not one core op.
        FindingTime.Measured m = FindingTime.ace(options(60_000), "commit-before-log-persisted", 2, 1);
        assertEquals(FindingTime.Outcome.EXHAUSTED, m.detail().outcome(), m.toString());
        assertFalse(m.run().found());
        assertEquals(AceSpace.programs(1), m.run().execs());
        assertEquals(60_000, m.run().millis(), "unfound runs count at the budget");
    }

    @Test
    void shuffledOrdersArePermutations() {
        int[] a = FindingTime.permutation(1000, new SplittableRandom(2));
        int[] sorted = a.clone();
        java.util.Arrays.sort(sorted);
        for (int i = 0; i < sorted.length; i++) {
            assertEquals(i, sorted[i]);
        }
        assertFalse(java.util.Arrays.equals(a, sorted));
        assertArrayEquals(a, FindingTime.permutation(1000, new SplittableRandom(2)), "same seed, same order");
    }

    @Test
    void censoredMediansAndRatios() throws Exception {
        String bug = "rename-two-transactions";
        FindingTime.Options o = new FindingTime.Options(List.of(bug), 3, 10_000, 2, Path.of("."),
                List.of("guided", "unguided", "ace"), false, null);
        List<FindingTime.Run> runs = List.of(
                new FindingTime.Run(bug, "guided", 1, true, 1000, 10),
                new FindingTime.Run(bug, "guided", 2, true, 2000, 20),
                new FindingTime.Run(bug, "guided", 3, true, 3000, 30),
                new FindingTime.Run(bug, "unguided", 1, true, 500, 5),
                new FindingTime.Run(bug, "unguided", 2, false, 10_000, 100),
                new FindingTime.Run(bug, "unguided", 3, false, 10_000, 100),
                new FindingTime.Run(bug, "ace", 1, true, 4000, 7),
                new FindingTime.Run(bug, "ace", 2, true, 4000, 7),
                new FindingTime.Run(bug, "ace", 3, false, 10_000, 9));
        List<FindingTime.Detail> details = runs.stream().map(r -> new FindingTime.Detail(r.bug(), r.method(), r.seed(),
                r.found() ? FindingTime.Outcome.FOUND : r.seed() == 3 && r.method().equals("ace")
                        ? FindingTime.Outcome.WITHOUT_BUG : FindingTime.Outcome.BUDGET,
                r.found() ? "FSCK" : null, null, 1, 0)).toList();
        FindingTime.Result res = new FindingTime.Result(o, runs, details, List.of(), 1, "2026-01-01");
        List<FindingTime.Summary> s = res.summaries();
        assertEquals(2000, s.get(0).medianMillis());
        assertFalse(s.get(0).medianCensored());
        assertTrue(s.get(1).medianCensored(), "1 of 3 found: the median is the budget");
        String md = res.markdown();
        assertTrue(md.startsWith("## Time to first finding\n"), md);
        assertTrue(md.contains("| " + bug + " | ≥ 5.00 | 2.00 |"), md);
        assertTrue(md.contains("| " + bug + " | unguided | 1/3 | ≥ 10.0 | 0.5–10.0 | 100 |"), md);
        assertTrue(md.contains("**Violations without the bug: 1 run(s)"), md);
        StringWriter w = new StringWriter();
        try (JsonGenerator g = new JsonFactory().createGenerator(w)) {
            res.writeJson(g);
        }
        assertTrue(w.toString().startsWith("{\"section\":\"time-to-first-finding\""), w.toString());
        assertTrue(w.toString().endsWith("}"));
    }

    @Test
    void methodsKeepReportOrderAndUnknownOnesAreRefused() {
        FindingTime.Options o = new FindingTime.Options(List.of(), 1, 1000, 1, Path.of("."), List.of("ace", "guided"), true, null);
        assertEquals(List.of("guided", "ace"), o.methods());
        assertTrue(o.fromCorpus());
        org.junit.jupiter.api.Assertions.assertThrows(IllegalArgumentException.class,
                () -> new FindingTime.Options(List.of(), 1, 1000, 1, Path.of("."), List.of("guesswork"), false, null));
        org.junit.jupiter.api.Assertions.assertThrows(IllegalArgumentException.class,
                () -> new FindingTime.Options(List.of(), 1, 1000, 1, Path.of("."), List.of(), false, null));
    }

    @Test
    void theNoBugPseudoBugRunsTheCorrectDesignsAndCountsAnyViolation() {
        FindingTime.Options o = new FindingTime.Options(List.of(FindingTime.NO_BUG), 1, 1000, 1, Path.of("."),
                List.of("ace"), false, null);
        assertEquals(List.of(FindingTime.NO_BUG), o.bugList());
        assertEquals(dev.daxfuzz.fuzzing.FuzzConfig.CORRECT.daxfile(), FindingTime.configFor(FindingTime.NO_BUG).daxfile());
        assertTrue(FindingTime.configFor(FindingTime.NO_BUG).bugs().isEmpty());
        // The correct designs are clean on ACE's space: with the pseudo-bug nothing is found.
        FindingTime.Measured m = FindingTime.ace(o, FindingTime.NO_BUG, 1, 1);
        assertFalse(m.run().found(), String.valueOf(m.detail()));
    }
}
