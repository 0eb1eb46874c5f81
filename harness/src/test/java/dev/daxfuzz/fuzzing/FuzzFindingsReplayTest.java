package dev.daxfuzz.fuzzing;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.daxfuzz.program.Program;
import dev.daxfuzz.program.ProgramParser;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Regression replay of every fuzzer finding in {@code findings/syscall-crash/}: the canonical
 * reproducer ({@code program.dxp}) still shows the violation kind its {@code # expect:} line
 * names, the raw input still decodes to that program, and the directory is complete.
 */
class FuzzFindingsReplayTest {
    static Stream<Path> findings() throws IOException {
        Path root = Path.of("..", "findings", "syscall-crash");
        if (!Files.isDirectory(root)) {
            return Stream.empty();
        }
        try (Stream<Path> s = Files.list(root)) {
            return s.filter(Files::isDirectory).sorted().toList().stream();
        }
    }

    @ParameterizedTest
    @MethodSource("findings")
    void stillFound(Path dir) throws Exception {
        for (String f : List.of("input.bin", "program.dxp", "report.md", "report.json")) {
            assertTrue(Files.exists(dir.resolve(f)), dir + "/" + f);
        }
        Path dxp = dir.resolve("program.dxp");
        String kind = Files.readAllLines(dxp).stream().filter(l -> l.startsWith("# expect:")).findFirst().orElseThrow()
                .substring("# expect:".length()).trim();
        Program p = ProgramParser.parse(dxp);
        FuzzConfig config = new FuzzConfig(p.header().daxfile(), p.header().bugs(), FuzzConfig.MAX_STATES_DEFAULT);
        assertEquals(kind, SyscallCrash.check(p, config).violation().orElseThrow().kind().name(), dxp.toString());
        assertEquals(p.steps(), ByteCodec.decode(Files.readAllBytes(dir.resolve("input.bin")), config).steps(),
                "input.bin decodes to program.dxp");
        assertEquals(dir.getFileName().toString(),
                SyscallCrash.token(p, SyscallCrash.check(p, config).violation().orElseThrow()), "the token names the bug");
    }
}
