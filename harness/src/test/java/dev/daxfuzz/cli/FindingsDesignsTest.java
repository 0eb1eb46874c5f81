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
 * Replays every result about a whole design in {@code findings/designs/}: {@code daxfuzz explore}
 * must still report each violation kind its {@code # expect:} line names (exit 1), so a finding
 * stays found; and each has its report beside it, showing what {@code explore} prints today.
 */
class FindingsDesignsTest {
    static Stream<Path> programs() throws IOException {
        try (Stream<Path> s = Files.list(Path.of("..", "findings", "designs"))) {
            List<Path> files = s.filter(p -> p.toString().endsWith(".dxp")).sorted().collect(Collectors.toList());
            assertFalse(files.isEmpty());
            return files.stream();
        }
    }

    @ParameterizedTest
    @MethodSource("programs")
    void findingIsStillFound(Path program) throws Exception {
        List<String> expect = Files.readAllLines(program).stream().filter(l -> l.startsWith("# expect:"))
                .flatMap(l -> Stream.of(l.substring("# expect:".length()).split(","))).map(String::trim).toList();
        assertFalse(expect.isEmpty(), program + " names the violation kinds it expects");
        CliRun run = CliRun.of("explore", program.toString());
        // A program with tasks says on stderr which schedules ran; nothing else may appear there.
        assertEquals("", run.err().lines().filter(l -> !l.startsWith("daxfuzz: note: ")).collect(Collectors.joining("\n")));
        assertEquals(1, run.exitCode(), run.out());
        for (String kind : expect) {
            assertTrue(run.out().contains(": " + kind + " ("), kind + " in\n" + run.out());
        }
        Path report = Path.of(program.toString().replaceAll("\\.dxp$", ".md"));
        assertTrue(Files.exists(report), "a report explains " + program);
        ReportBlocks.assertReportMatches(program, report);
    }
}
