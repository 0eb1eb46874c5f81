package dev.daxfuzz.fs;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.daxfuzz.oracle.ViolationReport;
import dev.daxfuzz.program.DxpSyntaxError;
import dev.daxfuzz.program.Program;
import dev.daxfuzz.program.ProgramParser;
import dev.daxfuzz.run.FsRunner;
import java.util.List;
import java.util.stream.Collectors;

/** Runs a scenario through the real runner: the file system, the model, and every crash state. */
final class FsScenarios {
    private FsScenarios() {
    }

    static Program parse(String... lines) {
        try {
            return ProgramParser.parse("scenario.dxp", String.join("\n", lines) + "\n");
        } catch (DxpSyntaxError e) {
            throw new AssertionError(e.getMessage(), e);
        }
    }

    /** Runs and returns the result, failing on any violation or failed expectation. */
    static FsRunner.Result clean(String... lines) {
        return clean(FsOptions.DEFAULT, lines);
    }

    static FsRunner.Result clean(FsOptions options, String... lines) {
        Program p = parse(lines);
        FsRunner.Result r = FsRunner.run(p, 20_000, options, (v, n) -> true);
        FsGeometry g = FsGeometry.forDevice(p.header().deviceBytes(), options.journalBlocks());
        String violations = r.violations().stream()
                .map(f -> new ViolationReport(p, g, "test").render(f.violation(), 1, f.states()))
                .collect(Collectors.joining("\n"));
        assertEquals("", violations, "violations");
        assertEquals(List.of(), r.failures(), "expectations");
        assertEquals(List.of(), r.truncatedAt(), "exploration was cut");
        return r;
    }

    /** Runs and returns the result, whatever it shows. */
    static FsRunner.Result run(FsOptions options, String... lines) {
        return FsRunner.run(parse(lines), 20_000, options, (v, n) -> true);
    }
}
