package dev.daxfuzz.cli;

import dev.daxfuzz.bench.Stopwatch;
import dev.daxfuzz.run.FsRunner;
import dev.daxfuzz.run.RawDeviceRunner;
import java.io.PrintWriter;
import java.util.Locale;

/**
 * Progress lines on stderr for a long {@code explore}: none in the first two seconds (a short run
 * prints nothing), then one every two seconds, such as
 * {@code daxfuzz: explore: statement 4/6, crash point 17, 12,345 crash states, 8.1 s}.
 *
 * <p>The elapsed time comes from {@link Stopwatch}, the harness's one clock, and decides only
 * when to print: the runners hand their counts over and never see the time, so the run, its
 * stdout and its exit code stay the same whatever the clock says.
 */
final class ProgressPrinter {
    private static final long QUIET_MS = 2000;
    private static final long EVERY_MS = 2000;

    private final PrintWriter err;
    private final Stopwatch clock = new Stopwatch();
    private long next = QUIET_MS;
    private long rawStates;

    ProgressPrinter(PrintWriter err) {
        this.err = err;
    }

    /** For {@link FsRunner}: called often, prints when it is time. */
    void fs(FsRunner.Progress p) {
        print(p.statement(), p.statements(), p.crashPoints(), p.crashStates());
    }

    /** For {@link RawDeviceRunner}'s visitor: one call per crash state; never stops the run. */
    boolean raw(RawDeviceRunner.CrashPointInfo point, int statements) {
        rawStates++;
        print(Math.min(point.stepIndex() + 1, statements), statements, point.index() + 1, rawStates);
        return true;
    }

    private void print(int statement, int statements, int crashPoints, long states) {
        long ms = clock.millis();
        if (ms < next) {
            return;
        }
        next = ms + EVERY_MS;
        err.println(String.format(Locale.ROOT, "daxfuzz: explore: statement %d/%d, crash point %d, %,d crash states, %.1f s",
                statement, statements, crashPoints, states, ms / 1000.0));
        err.flush();
    }
}
