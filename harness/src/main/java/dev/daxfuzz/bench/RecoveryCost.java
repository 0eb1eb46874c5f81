package dev.daxfuzz.bench;

import dev.daxfuzz.program.Program;
import dev.daxfuzz.run.FsRunner;
import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.List;

/**
 * What power failing during recovery costs: each benchmark program explored whole (every crash
 * point, every state, every oracle) with {@code recovery-crashes} 0, 1 and 2, the same program
 * again and again for a round's time, as {@link Throughput} does.
 *
 * <p>Reports per program and depth the wall time of one exploration (median over rounds), the
 * crash states of the program's own crash points, and the images left by crashed recoveries that
 * were recovered again. Limits: single-threaded wall time on a possibly shared machine, one
 * discarded warm-up round; the programs are the throughput section's.
 */
public final class RecoveryCost {
    /** The depths measured. */
    public static final List<Integer> DEPTHS = List.of(0, 1, 2);

    private RecoveryCost() {
    }

    /**
     * @param programs the programs, by name
     * @param rounds measured rounds (one more is run first and discarded)
     * @param roundMillis how long each (program, depth) runs again and again per round
     */
    public record Options(List<Throughput.NamedProgram> programs, int rounds, long roundMillis) {
        public Options {
            programs = List.copyOf(programs);
            if (rounds < 1 || roundMillis < 1) {
                throw new IllegalArgumentException("rounds and roundMillis must be positive");
            }
        }
    }

    /**
     * One program at one depth.
     *
     * @param millisPerRun wall time of one whole exploration, one per round
     * @param crashStates crash states of the program's crash points in one run
     * @param recoveryImages images of crashed recoveries recovered again in one run
     * @param cutRecoveries recoveries whose crash exploration hit its bound in one run
     */
    public record Row(String program, int calls, int depth, List<Double> millisPerRun, long crashStates,
                      long recoveryImages, long cutRecoveries) {
        public Row {
            millisPerRun = List.copyOf(millisPerRun);
        }

        public double medianMillis() {
            return Stats.median(millisPerRun);
        }
    }

    /** The section's result. */
    public record Result(Options options, List<Row> rows) {
        public Result {
            rows = List.copyOf(rows);
        }

        /** The row of {@code program} at depth 0. */
        public Row base(String program) {
            for (Row r : rows) {
                if (r.program().equals(program) && r.depth() == 0) {
                    return r;
                }
            }
            throw new IllegalArgumentException(program);
        }
    }

    /** Measures every program at every depth; prints one line per round. */
    public static Result run(Options o, PrintWriter progress) {
        List<Row> rows = new ArrayList<>();
        for (Throughput.NamedProgram named : o.programs()) {
            for (int depth : DEPTHS) {
                Program p = new Program(named.program().header().withRecoveryCrashes(depth), named.program().steps());
                List<Double> millis = new ArrayList<>();
                FsRunner.Result last = null;
                for (int round = 0; round <= o.rounds(); round++) {
                    Stopwatch clock = new Stopwatch();
                    int runs = 0;
                    do {
                        last = FsRunner.measure(p, Long.MAX_VALUE, FsRunner.Exploration.LAZY, false).result();
                        runs++;
                    } while (clock.millis() < o.roundMillis());
                    double perRun = clock.nanos() / 1e6 / runs;
                    if (round == 0) {
                        continue; // warm-up
                    }
                    millis.add(perRun);
                    progress.printf("recovery %s recovery-crashes %d round %d: %.1f ms per exploration%n", named.name(),
                            depth, round, perRun);
                    progress.flush();
                }
                rows.add(new Row(named.name(), named.calls(), depth, millis, last.crashStates(),
                        last.recoveryCrashes().images(), last.recoveryCrashes().cutRecoveries()));
            }
        }
        return new Result(o, rows);
    }
}
