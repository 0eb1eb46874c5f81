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
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Replays every file-system seed of {@code corpus/fs/} through {@code daxfuzz explore}: the
 * correct design must be clean on each (exit 0, no violation, every expectation held) and every
 * crash point must be explored completely.
 */
class CorpusFsTest {
    static Stream<Path> programs() throws IOException {
        try (Stream<Path> s = Files.list(Path.of("..", "corpus", "fs"))) {
            List<Path> files = s.filter(p -> p.toString().endsWith(".dxp")).sorted().collect(Collectors.toList());
            assertFalse(files.isEmpty());
            return files.stream();
        }
    }

    @ParameterizedTest
    @MethodSource("programs")
    void seedIsCleanOnTheCorrectDesign(Path program) {
        CliRun run = CliRun.of("explore", program.toString());
        // Progress lines appear when a run takes over two seconds (a loaded machine); nothing else may.
        assertEquals("", CliRun.withoutProgress(run.err()));
        assertEquals(0, run.exitCode(), run.out());
        assertTrue(run.out().endsWith(" 0 violations\n"), run.out());
    }
}
