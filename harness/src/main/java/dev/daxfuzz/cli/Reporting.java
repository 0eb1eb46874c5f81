package dev.daxfuzz.cli;

import dev.daxfuzz.run.ExpectationFailure;
import dev.daxfuzz.run.RawDeviceRunner;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Collectors;

/** Messages the commands share: truncation notes and failed expectations. */
final class Reporting {
    private Reporting() {
    }

    static void truncationNote(PrintWriter err, RawDeviceRunner.Result result, long maxStates, String what) {
        if (result.truncatedAt().isEmpty()) {
            return;
        }
        err.println("daxfuzz: note: --max-states " + maxStates + " cut the enumeration at "
                + result.truncatedAt().size() + " crash point(s) ("
                + result.truncatedAt().stream().map(RawDeviceRunner.CrashPointInfo::description)
                        .collect(Collectors.joining(", "))
                + "); the " + what + " above are incomplete");
    }

    static void expectationFailures(PrintWriter err, Path file, List<ExpectationFailure> failures) {
        for (ExpectationFailure f : failures) {
            err.println(file + ":" + f.pos().line() + ":" + f.pos().column() + ": expectation failed: `"
                    + f.statement() + "` returned " + f.actual() + ", expected " + f.expected());
        }
    }

    /**
     * Prints a file-system run as {@code explore} and {@code repro} do (the report on standard
     * output, notes and failed expectations on standard error) and returns the exit code.
     */
    static int printFsRun(PrintWriter out, PrintWriter err, dev.daxfuzz.run.RunReport report,
                          dev.daxfuzz.run.FsRunner.Result result, Path file, long maxStates, boolean json) {
        out.print(json ? report.json() : report.text());
        for (String note : report.notes(maxStates)) {
            err.println("daxfuzz: " + note);
        }
        expectationFailures(err, file, result.failures());
        out.flush();
        err.flush();
        if (!result.violations().isEmpty()) {
            return ExitCode.VIOLATION;
        }
        return result.failures().isEmpty() ? ExitCode.OK : ExitCode.EXPECTATION;
    }
}
