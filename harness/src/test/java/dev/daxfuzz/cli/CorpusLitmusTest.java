package dev.daxfuzz.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Replays every litmus program of {@code corpus/litmus/} through {@code daxfuzz outcomes} and
 * compares its output, line for line, with the {@code # outcome:} lines the file declares for
 * its {@code # observe:} ranges.
 */
class CorpusLitmusTest {
    static final Path LITMUS = Path.of("..", "corpus", "litmus");

    static Stream<Path> programs() throws IOException {
        try (Stream<Path> s = Files.list(LITMUS)) {
            List<Path> files = s.filter(p -> p.toString().endsWith(".dxp")).sorted().collect(Collectors.toList());
            assertFalse(files.isEmpty(), "no litmus programs in " + LITMUS.toAbsolutePath());
            return files.stream();
        }
    }

    @ParameterizedTest
    @MethodSource("programs")
    void outcomesMatchDeclaration(Path program) throws IOException {
        List<String> lines = Files.readAllLines(program);
        String observe = lines.stream().filter(l -> l.startsWith("# observe: ")).map(l -> l.substring(11).trim())
                .findFirst().orElseThrow(() -> new AssertionError(program + " has no '# observe:' line"));
        String expected = lines.stream().filter(l -> l.startsWith("# outcome: ")).map(l -> l.substring(11).trim() + "\n")
                .collect(Collectors.joining());
        CliRun run = CliRun.of("outcomes", program.toString(), "--observe", observe);
        assertEquals("", run.err());
        assertEquals(0, run.exitCode());
        assertEquals(expected, run.out());
    }
}
