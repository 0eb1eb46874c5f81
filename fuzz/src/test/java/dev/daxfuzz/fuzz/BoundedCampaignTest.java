package dev.daxfuzz.fuzz;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.daxfuzz.fuzzing.FuzzConfig;
import dev.daxfuzz.fuzzing.SyscallCrash;
import dev.daxfuzz.oracle.ViolationKind;
import java.io.File;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A short, bounded coverage-guided campaign through Jazzer's standalone driver (as {@code daxfuzz
 * fuzz} runs it), from the checked-in seed corpus: with a seeded bug on, it must find it (exit 77
 * and a crash artifact that replays as that bug's violation); on the correct designs the same
 * budget finds nothing. Bounded by runs, not time, so it measures nothing and is deterministic
 * in what it asserts.
 */
class BoundedCampaignTest {
    @TempDir
    Path tmp;

    private int campaign(List<String> bugs, int runs, Path artifacts) throws Exception {
        Path corpus = Files.createDirectories(tmp.resolve("corpus-" + bugs.size()));
        Files.createDirectories(artifacts);
        List<String> cmd = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Xmx1g", "-Ddaxfuzz.bugs=" + String.join(",", bugs), "-cp", System.getProperty("java.class.path"),
                "com.code_intelligence.jazzer.Jazzer", "--target_class=" + SyscallCrashFuzzTest.class.getName(),
                "--instrumentation_includes=dev.daxfuzz.**", "-seed=1", "-runs=" + runs, "-max_total_time=240",
                "-artifact_prefix=" + artifacts.toAbsolutePath() + File.separator, corpus.toString(),
                Path.of("..", "corpus", "syscall-crash").toAbsolutePath().toString()));
        ProcessBuilder pb = new ProcessBuilder(cmd).redirectErrorStream(true)
                .redirectOutput(tmp.resolve("jazzer-" + bugs.size() + ".log").toFile());
        return pb.start().waitFor();
    }

    @Test
    void findsASeededBugFromTheSeedCorpusAndNothingWithoutIt() throws Exception {
        Path artifacts = tmp.resolve("artifacts");
        int rc = campaign(List.of("rename-two-transactions"), 400, artifacts);
        assertEquals(77, rc, "Jazzer reports a finding; log: " + Files.readString(tmp.resolve("jazzer-1.log")));
        Path crash;
        try (Stream<Path> s = Files.list(artifacts)) {
            crash = s.filter(p -> p.getFileName().toString().startsWith("crash-")).findFirst().orElseThrow();
        }
        FuzzConfig config = new FuzzConfig(dev.daxfuzz.program.Header.DaxfileDesign.SEALED,
                List.of("rename-two-transactions"), FuzzConfig.MAX_STATES_DEFAULT);
        SyscallCrash.Outcome o = SyscallCrash.check(Files.readAllBytes(crash), config);
        assertTrue(o.violation().isPresent(), "the artifact replays");
        assertTrue(List.of(ViolationKind.FSCK, ViolationKind.NOT_ATOMIC).contains(o.violation().get().kind()),
                o.violation().get().toString());
        assertTrue(SyscallCrash.check(Files.readAllBytes(crash), FuzzConfig.CORRECT).violation().isEmpty(),
                "and is clean on the correct design");
        int clean = campaign(List.of(), 60, tmp.resolve("artifacts-clean"));
        assertEquals(0, clean, "no finding on the correct designs; log: " + Files.readString(tmp.resolve("jazzer-0.log")));
    }
}
