package dev.daxfuzz.benchtests;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Every mutant of {@code tools/mutants/} still applies to today's file system
 * ({@code git apply --check}) and has its witness program: {@code tools/measure-mutants.sh} stops
 * at the first patch that does not apply, and a refactoring of the file system's code is what
 * makes one stale.
 */
class MutantPatchesTest {
    private static final Path REPO = Path.of("..").toAbsolutePath().normalize();

    static Stream<Path> patches() throws IOException {
        try (Stream<Path> s = Files.list(REPO.resolve("tools").resolve("mutants"))) {
            List<Path> l = s.filter(p -> p.toString().endsWith(".patch")).sorted().toList();
            assertFalse(l.isEmpty());
            return l.stream();
        }
    }

    @ParameterizedTest
    @MethodSource("patches")
    void appliesAndHasAWitness(Path patch) throws Exception {
        Assumptions.assumeTrue(Files.exists(REPO.resolve(".git")), "a git checkout (the patches are applied with git)");
        Process p;
        try {
            p = new ProcessBuilder("git", "apply", "--check", patch.toString()).directory(REPO.toFile())
                    .redirectErrorStream(true).start();
        } catch (IOException e) {
            Assumptions.abort("git is not installed: " + e.getMessage());
            return;
        }
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertEquals(0, p.waitFor(), patch.getFileName() + " no longer applies; regenerate it:\n" + out);
        Path witness = Path.of(patch.toString().replaceAll("\\.patch$", ".dxp"));
        assertTrue(Files.exists(witness), "a witness program " + witness.getFileName());
    }
}
