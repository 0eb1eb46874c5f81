package dev.daxfuzz.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Every litmus program of {@code corpus/litmus/} checks itself: {@code daxfuzz outcomes FILE},
 * without {@code --observe}, reads the file's {@code # observe:} line, prints exactly the outcomes
 * its {@code # outcome:} lines list (compared here line for line as well) and exits 0. A copy with
 * one outcome line dropped, or with an outcome that cannot occur added, exits 3 and names it, so
 * the self-check has teeth.
 */
class CorpusLitmusTest {
    static final Path LITMUS = Path.of("..", "corpus", "litmus");

    @TempDir
    Path dir;

    static Stream<Path> programs() throws IOException {
        try (Stream<Path> s = Files.list(LITMUS)) {
            List<Path> files = s.filter(p -> p.toString().endsWith(".dxp")).sorted().collect(Collectors.toList());
            assertFalse(files.isEmpty(), "no litmus programs in " + LITMUS.toAbsolutePath());
            return files.stream();
        }
    }

    private static List<String> outcomeLines(List<String> lines) {
        return lines.stream().filter(l -> l.startsWith("# outcome: ")).map(l -> l.substring(11).trim())
                .collect(Collectors.toList());
    }

    @ParameterizedTest
    @MethodSource("programs")
    void checksItselfWithoutObserveOption(Path program) throws IOException {
        List<String> lines = Files.readAllLines(program);
        assertTrue(lines.stream().anyMatch(l -> l.startsWith("# observe: ")), program + " has no '# observe:' line");
        List<String> expected = outcomeLines(lines);
        assertFalse(expected.isEmpty(), program + " lists no '# outcome:' lines, so it checks nothing");
        CliRun run = CliRun.of("outcomes", program.toString());
        // Progress lines appear when a run takes over two seconds (a loaded machine); nothing else may.
        assertEquals("", CliRun.withoutProgress(run.err()));
        assertEquals(0, run.exitCode());
        assertEquals(expected.stream().map(l -> l + "\n").collect(Collectors.joining()), run.out());
    }

    @ParameterizedTest
    @MethodSource("programs")
    void aDroppedOutcomeLineIsReportedAsUnexpected(Path program) throws IOException {
        List<String> lines = new ArrayList<>(Files.readAllLines(program));
        List<String> outcomes = outcomeLines(lines);
        String dropped = outcomes.get(outcomes.size() - 1);
        lines.remove("# outcome: " + dropped);
        Path copy = dir.resolve(program.getFileName());
        Files.write(copy, lines);
        CliRun run = CliRun.of("outcomes", copy.toString());
        assertEquals(3, run.exitCode(), run.err());
        assertEquals(copy + ": unexpected outcome (occurred, not listed by any `# outcome:` line): " + dropped + "\n",
                run.err());
        assertTrue(run.out().contains(dropped + "\n"), "the outcomes are still printed: " + run.out());
    }

    @ParameterizedTest
    @MethodSource("programs")
    void anImpossibleOutcomeLineIsReportedAsMissing(Path program) throws IOException {
        List<String> lines = new ArrayList<>(Files.readAllLines(program));
        // Every observed byte 0xee: no litmus program stores that value.
        String impossible = Stream.of(outcomeLines(lines).get(0).split(" "))
                .map(part -> part.substring(0, part.indexOf('=') + 1) + "e".repeat(part.length() - part.indexOf('=') - 1))
                .collect(Collectors.joining(" "));
        int at = lines.indexOf(lines.stream().filter(l -> l.startsWith("# outcome: ")).findFirst().orElseThrow());
        lines.add(at, "# outcome: " + impossible);
        Path copy = dir.resolve(program.getFileName());
        Files.write(copy, lines);
        CliRun run = CliRun.of("outcomes", copy.toString());
        assertEquals(3, run.exitCode(), run.err());
        assertEquals(copy + ":" + (at + 1) + ": missing outcome (listed, never occurred): " + impossible + "\n",
                run.err());
    }
}
