package dev.daxfuzz.fuzzing;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.daxfuzz.oracle.Violation;
import dev.daxfuzz.program.Program;
import dev.daxfuzz.program.ProgramParser;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The fuzz target's sampled check ({@link SyscallCrash#sample}): it still catches every seeded
 * bug from its catalog reproducer, it never reports what the correct designs do not do, it is a
 * function of the program alone, and on a store of many lines it checks far fewer states than the
 * full check while what it reports is confirmed by triage.
 */
class SampledCheckTest {
    static Stream<Path> catalog() throws Exception {
        try (Stream<Path> s = Files.list(Path.of("..", "findings", "catalog"))) {
            // The races of the catalog need tasks, which the fuzz target's inputs do not carry.
            List<Path> files = s.filter(p -> p.toString().endsWith(".dxp")).filter(p -> !racing(p)).sorted().toList();
            assertFalse(files.isEmpty());
            return files.stream();
        }
    }

    private static boolean racing(Path p) {
        String name = p.getFileName().toString().replaceAll("\\.dxp$", "");
        return dev.daxfuzz.fs.Bug.byName(name).map(dev.daxfuzz.fs.Bug::needsTasks).orElse(false);
    }

    private static Program parse(Path p) throws Exception {
        return ProgramParser.parse(p.toString(), Files.readString(p));
    }

    @ParameterizedTest
    @MethodSource("catalog")
    void theSampleCatchesEverySeededBugAndNothingWithoutIt(Path file) throws Exception {
        Program on = parse(file);
        String kind = Files.readAllLines(file).stream().filter(l -> l.startsWith("# expect:")).findFirst()
                .orElseThrow().substring("# expect:".length()).trim();
        SyscallCrash.Outcome o = SyscallCrash.sample(on, FuzzConfig.CORRECT);
        Violation v = o.violation().orElseThrow(() -> new AssertionError(file + ": the sample missed the bug"));
        assertEquals(kind, v.kind().name(), file.toString());
        // The full check within the fuzzing bounds sees it too: the sample adds no new states here.
        assertTrue(SyscallCrash.check(on, FuzzConfig.CORRECT).violation().isPresent(), file.toString());

        String withoutBug = Files.readAllLines(file).stream().filter(l -> !l.startsWith("bug "))
                .reduce("", (a, b) -> a + b + "\n");
        Program off = ProgramParser.parse(file.toString(), withoutBug);
        SyscallCrash.Outcome clean = SyscallCrash.sample(off, FuzzConfig.CORRECT);
        assertTrue(clean.violation().isEmpty(), file + " without its bug: " + clean.violation());
        assertTrue(clean.crashStates() <= SyscallCrash.check(off, FuzzConfig.CORRECT).crashStates(),
                "a sample checks no more states than the full check");
    }

    /** Under eADR every prefix of a large store's buffer is a box: thousands of them. */
    private static final String LARGE_STORES = """
            device 256K
            persistency eadr
            open a /a creat,rdwr
            write a 0 fill:0x41*48K
            fsync a
            write a 4096 fill:0x42*40K
            fsync a
            """;

    @Test
    void onLargeStoresTheSampleIsSmallDeterministicAndClean() throws Exception {
        Program p = ProgramParser.parse("large.dxp", LARGE_STORES);
        SyscallCrash.Outcome a = SyscallCrash.sample(p, FuzzConfig.CORRECT);
        SyscallCrash.Outcome b = SyscallCrash.sample(ProgramParser.parse("again.dxp", LARGE_STORES), FuzzConfig.CORRECT);
        SyscallCrash.Outcome all = SyscallCrash.check(p, FuzzConfig.CORRECT);
        assertTrue(a.violation().isEmpty() && all.violation().isEmpty());
        assertEquals(a.result().crashStates(), b.result().crashStates(), "the same program checks the same states");
        assertEquals(a.result().distinctImages(), b.result().distinctImages());
        assertEquals(a.result().crashPoints(), all.result().crashPoints(), "every crash point is visited");
        assertTrue(a.crashStates() * 3 < all.crashStates(),
                "sampled " + a.crashStates() + " of " + all.crashStates() + " states");
    }

    @Test
    void confirmChecksInFullFirstAndThenTheSample() throws Exception {
        Program bug = parse(Path.of("..", "findings", "catalog", "commit-before-log-persisted.dxp"));
        SyscallCrash.Outcome full = SyscallCrash.check(bug, FuzzConfig.CORRECT);
        SyscallCrash.Outcome confirmed = SyscallCrash.confirm(bug, FuzzConfig.CORRECT);
        assertEquals(full.violation(), confirmed.violation());
        assertEquals(full.crashStates(), confirmed.crashStates());

        Program clean = ProgramParser.parse("large.dxp", LARGE_STORES);
        SyscallCrash.Outcome c = SyscallCrash.confirm(clean, FuzzConfig.CORRECT);
        assertTrue(c.violation().isEmpty());
        assertEquals(SyscallCrash.sample(clean, FuzzConfig.CORRECT).crashStates(), c.crashStates(),
                "nothing in full, so the sample's outcome");
    }

    @Test
    void seedsDependOnTheWholeText() {
        assertTrue(SyscallCrash.seedOf("open a /a creat") != SyscallCrash.seedOf("open a /b creat"));
        assertEquals(SyscallCrash.seedOf("x"), SyscallCrash.seedOf("x"));
    }
}
