package dev.daxfuzz.fuzzing;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import dev.daxfuzz.oracle.Violation;
import dev.daxfuzz.program.DxpSyntaxError;
import dev.daxfuzz.program.Program;
import dev.daxfuzz.program.ProgramParser;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Regression replay of every committed fuzzer finding in {@code findings/syscall-crash/}: the
 * reproducer ({@code program.dxp}) still shows the violation kind its {@code # expect:} line names;
 * its token is still the one its directory is named by; {@code input.bin} decodes to it; and its
 * {@code report.md} and {@code report.json} are, byte for byte, what {@code daxfuzz repro} prints
 * for it today. A failure names the file and what to run.
 */
class FuzzFindingsReplayTest {
    private static final Path REPO = Path.of("..");

    static Stream<Path> findings() throws IOException {
        Path root = REPO.resolve("findings").resolve("syscall-crash");
        if (!Files.isDirectory(root)) {
            return Stream.empty();
        }
        try (Stream<Path> s = Files.list(root)) {
            return s.filter(Files::isDirectory).sorted().toList().stream();
        }
    }

    @ParameterizedTest
    @MethodSource("findings")
    void stillFoundAndReportedAsReproduced(Path dir) throws Exception {
        for (String f : List.of("input.bin", "program.dxp", "report.md", "report.json")) {
            assertTrue(Files.exists(dir.resolve(f)), dir + "/" + f + " is missing");
        }
        Path dxp = dir.resolve("program.dxp");
        String shown = REPO.relativize(dxp).toString();
        Optional<String> expect = Files.readAllLines(dxp).stream().filter(l -> l.startsWith("# expect:")).findFirst();
        if (expect.isEmpty()) {
            fail(shown + " has no `# expect: KIND` line naming the violation it must show");
        }
        String kind = expect.get().substring("# expect:".length()).trim();
        Program p;
        try {
            p = ProgramParser.parse(dxp);
        } catch (DxpSyntaxError e) {
            throw new AssertionError(shown + " no longer parses: " + e.getMessage(), e);
        }
        FuzzConfig config = new FuzzConfig(p.header().daxfile(), p.header().bugs(), FuzzConfig.MAX_STATES_DEFAULT);
        Optional<Violation> v = SyscallCrash.check(p, config).violation();
        if (v.isEmpty()) {
            fail(shown + " shows no violation any more (its # expect: line says " + kind + ")");
        }
        assertEquals(kind, v.get().kind().name(), shown + ": the first violation's kind");
        assertEquals(dir.getFileName().toString(), Signature.token(p, v.get()),
                shown + ": the token of its violation names its directory");
        assertEquals(p.steps(), ByteCodec.decode(Files.readAllBytes(dir.resolve("input.bin")), config).steps(),
                shown + ": input.bin decodes to it");
        FindingStore.Reports now = FindingStore.reportFiles(dxp, shown, dev.daxfuzz.run.FsRunner.MAX_STATES_DEFAULT);
        String stale = " is not what `./daxfuzz repro " + shown + "` prints today; if the change is intended, run"
                + " `./daxfuzz repro " + shown + " --write-report`";
        assertEquals(now.text(), FindingStore.fencedText(Files.readString(dir.resolve("report.md"))),
                dir.resolve("report.md") + stale);
        assertEquals(now.json(), Files.readString(dir.resolve("report.json")), dir.resolve("report.json") + stale);
    }
}
