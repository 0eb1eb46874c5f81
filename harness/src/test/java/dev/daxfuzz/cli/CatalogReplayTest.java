package dev.daxfuzz.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Replays every seeded-bug reproducer of {@code findings/catalog/} both ways: with its
 * {@code bug NAME} line, {@code daxfuzz explore} reports the violation kind its {@code # expect:}
 * line names (exit 1); without it, the same program is clean (exit 0). Its report shows what
 * {@code explore} prints for it today, byte for byte.
 */
class CatalogReplayTest {
    @TempDir
    Path tmp;

    static Stream<Path> programs() throws IOException {
        try (Stream<Path> s = Files.list(Path.of("..", "findings", "catalog"))) {
            List<Path> files = s.filter(p -> p.toString().endsWith(".dxp")).sorted().collect(Collectors.toList());
            assertFalse(files.isEmpty());
            return files.stream();
        }
    }

    @org.junit.jupiter.api.Test
    void everyCatalogEntryHasAReproducerAndIsListed() throws IOException {
        CliRun list = CliRun.of("bugs");
        assertEquals(0, list.exitCode(), list.err());
        assertEquals(dev.daxfuzz.program.BugNames.ALL.size(), dev.daxfuzz.fs.Bug.values().length);
        for (String name : dev.daxfuzz.program.BugNames.ALL) {
            assertTrue(dev.daxfuzz.fs.Bug.byName(name).isPresent(), name);
            assertTrue(list.out().lines().anyMatch(name::equals), name + " listed by daxfuzz bugs");
            Path program = Path.of("..", "findings", "catalog", name + ".dxp");
            assertTrue(Files.exists(program), "a reproducer for " + name);
            assertTrue(Files.readAllLines(program).contains("bug " + name), program + " switches " + name + " on");
        }
    }

    @org.junit.jupiter.api.Test
    void theReadmeExampleIsWhatExplorePrints() throws Exception {
        String readme = Files.readString(Path.of("..", "README.md"));
        int h = readme.indexOf("### What a finding looks like");
        int start = readme.indexOf("```\n", h) + 4;
        String block = readme.substring(start, readme.indexOf("```\n", start));
        Path program = Path.of("..", "findings", "catalog", "commit-before-log-persisted.dxp");
        dev.daxfuzz.program.Program p = dev.daxfuzz.program.ProgramParser.parse(
                "findings/catalog/commit-before-log-persisted.dxp", Files.readString(program));
        dev.daxfuzz.run.FsRunner.Result r = dev.daxfuzz.run.FsRunner.run(p, dev.daxfuzz.run.FsRunner.MAX_STATES_DEFAULT,
                (v, n) -> true);
        assertEquals(new dev.daxfuzz.run.RunReport(p, r, "findings/catalog/commit-before-log-persisted.dxp",
                "./daxfuzz explore findings/catalog/commit-before-log-persisted.dxp").text(), block,
                "README's \"What a finding looks like\" is what explore prints");
    }

    @ParameterizedTest
    @MethodSource("programs")
    void foundWithTheBugAndCleanWithout(Path program) throws Exception {
        List<String> lines = Files.readAllLines(program);
        String kind = lines.stream().filter(l -> l.startsWith("# expect:")).findFirst().orElseThrow()
                .substring("# expect:".length()).trim();
        CliRun on = CliRun.of("explore", program.toString());
        assertEquals(1, on.exitCode(), on.out() + on.err());
        assertTrue(on.out().contains("VIOLATION 1: " + kind + " ("), kind + " first in\n" + on.out());
        Path off = tmp.resolve(program.getFileName());
        Files.write(off, lines.stream().filter(l -> !l.startsWith("bug ")).toList());
        CliRun clean = CliRun.of("explore", off.toString());
        assertEquals(0, clean.exitCode(), clean.out() + clean.err());
        Path report = Path.of(program.toString().replaceAll("\\.dxp$", ".md"));
        assertTrue(Files.exists(report), "a report beside it");
        assertTrue(Files.readString(report).contains("VIOLATION 1: " + kind + " ("), report + " shows the violation");
        ReportBlocks.assertReportMatches(program, report);
    }
}
