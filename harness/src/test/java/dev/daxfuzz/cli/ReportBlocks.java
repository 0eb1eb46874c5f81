package dev.daxfuzz.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.daxfuzz.program.Program;
import dev.daxfuzz.program.ProgramParser;
import dev.daxfuzz.run.FsRunner;
import dev.daxfuzz.run.RunReport;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Checks that a committed report's "What daxfuzz prints" block is exactly what {@code daxfuzz
 * explore} prints for its program today, run from the repository root as the report's
 * {@code reproduce with:} line says. The test runs in {@code harness/}, so it reads the program
 * by its real path and shows it by its repository path, as the command would.
 */
final class ReportBlocks {
    private static final String HEADING = "## What daxfuzz prints";

    private ReportBlocks() {
    }

    /** The first fenced block after the "What daxfuzz prints" heading, or "" when there is none. */
    static String printedBlock(String markdown) {
        int h = markdown.indexOf(HEADING);
        if (h < 0) {
            return "";
        }
        int start = markdown.indexOf("```\n", h);
        int end = markdown.indexOf("\n```", start + 4);
        return start < 0 || end < 0 ? "" : markdown.substring(start + 4, end + 1);
    }

    static void assertReportMatches(Path program, Path report) throws Exception {
        Path repo = Path.of("..");
        String shown = repo.relativize(program).toString();
        Program p = ProgramParser.parse(shown, Files.readString(program));
        String now;
        if (p.hasTasks()) {
            dev.daxfuzz.run.TaskRunner.Result t = dev.daxfuzz.run.TaskRunner.run(p, FsRunner.MAX_STATES_DEFAULT,
                    dev.daxfuzz.run.TaskRunner.Options.DEFAULT, (v, n) -> true);
            now = new RunReport(p, dev.daxfuzz.run.TaskRunner.merged(t), shown, "./daxfuzz explore " + shown, t).text();
        } else {
            FsRunner.Result r = FsRunner.run(p, FsRunner.MAX_STATES_DEFAULT, (v, n) -> true);
            now = new RunReport(p, r, shown, "./daxfuzz explore " + shown).text();
        }
        assertEquals(now, printedBlock(read(report)), report + ": its \"What daxfuzz prints\" block is not what `"
                + "./daxfuzz explore " + shown + "` prints today; refresh it (tools/refresh-reports.sh) if the change"
                + " is intended");
    }

    private static String read(Path p) throws IOException {
        return Files.readString(p);
    }
}
