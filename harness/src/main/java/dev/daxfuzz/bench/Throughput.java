package dev.daxfuzz.bench;

import dev.daxfuzz.program.Program;
import dev.daxfuzz.run.FsRunner;
import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.List;

/**
 * Crash states checked per second on one core, daxfuzz's lazy exploration against the naive
 * baseline measured in the same run.
 *
 * <p>daxfuzz: {@link FsRunner.Exploration#LAZY}, the whole program (file system, model, every
 * crash point, every crash state recovered, fsck'd and compared), repeated for a round's time.
 * Baseline: {@link FsRunner.Exploration.Eager} with no bound on the persisted writes, as Yat or a
 * record-and-replay tester works: every distinct image copied out of the emulator in full (1 MiB)
 * and recovered from the copy. The baseline cannot finish the larger programs (their crash points
 * have up to 2<sup>w</sup> images), so it is timed on the first {@code baselineStatesPerPoint}
 * images of every crash point and reported as images per second.
 *
 * <p>Limits: single-threaded, so "per second" is per core; JIT warm-up is one discarded round;
 * rounds are wall time on a possibly shared machine, so the report gives the median and the
 * range over rounds, never one run.
 */
public final class Throughput {
    private Throughput() {
    }

    /**
     * @param programs the programs, by name
     * @param rounds measured rounds (one more is run first and discarded)
     * @param roundMillis how long each side of a round runs the program again and again
     * @param baselineStatesPerPoint the baseline's bound on images per crash point
     */
    public record Options(List<NamedProgram> programs, int rounds, long roundMillis, long baselineStatesPerPoint) {
        public Options {
            programs = List.copyOf(programs);
            if (rounds < 1 || roundMillis < 1 || baselineStatesPerPoint < 1) {
                throw new IllegalArgumentException("rounds, roundMillis and baselineStatesPerPoint must be positive");
            }
        }
    }

    /** A program and the name the report gives it. */
    public record NamedProgram(String name, int calls, Program program) {
    }

    /**
     * One program's figures.
     *
     * @param lazyStates crash states one lazy run checks
     * @param lazyPerSecond crash states checked per second, one per round
     * @param baselineImages images one bounded baseline run checks
     * @param baselinePerSecond baseline images checked per second, one per round
     */
    public record Row(String program, int calls, int crashPoints, long lazyStates, List<Double> lazyPerSecond,
                      long baselineImages, List<Double> baselinePerSecond) {
        public Row {
            lazyPerSecond = List.copyOf(lazyPerSecond);
            baselinePerSecond = List.copyOf(baselinePerSecond);
        }

        public double lazyMedian() {
            return Stats.median(lazyPerSecond);
        }

        public double baselineMedian() {
            return Stats.median(baselinePerSecond);
        }

        /** How many times more checks per second daxfuzz makes than the baseline (medians). */
        public double ratio() {
            return lazyMedian() / baselineMedian();
        }
    }

    /** The section's result. */
    public record Result(Options options, List<Row> rows) {
        public Result {
            rows = List.copyOf(rows);
        }
    }

    /** Measures every program; prints one line per round. */
    public static Result run(Options o, PrintWriter progress) {
        List<Row> rows = new ArrayList<>();
        for (NamedProgram p : o.programs()) {
            List<Double> lazy = new ArrayList<>();
            List<Double> naive = new ArrayList<>();
            long lazyStates = 0;
            long naiveImages = 0;
            int points = 0;
            for (int round = 0; round <= o.rounds(); round++) {
                Rate l = rate(p.program(), Long.MAX_VALUE, FsRunner.Exploration.LAZY, o.roundMillis());
                Rate n = rate(p.program(), o.baselineStatesPerPoint(), new FsRunner.Exploration.Eager(
                        FsRunner.Exploration.Eager.ALL), o.roundMillis());
                lazyStates = l.statesPerRun();
                naiveImages = n.statesPerRun();
                points = l.points();
                if (round == 0) {
                    continue; // warm-up
                }
                lazy.add(l.perSecond());
                naive.add(n.perSecond());
                progress.printf("throughput %s round %d: daxfuzz %.0f states/s, baseline %.0f images/s%n", p.name(),
                        round, l.perSecond(), n.perSecond());
                progress.flush();
            }
            rows.add(new Row(p.name(), p.calls(), points, lazyStates, lazy, naiveImages, naive));
        }
        return new Result(o, rows);
    }

    private record Rate(double perSecond, long statesPerRun, int points) {
    }

    /** Runs the program again and again for {@code millis}; whole runs only. */
    private static Rate rate(Program program, long maxStates, FsRunner.Exploration exploration, long millis) {
        Stopwatch clock = new Stopwatch();
        long states = 0;
        long perRun = 0;
        int points = 0;
        do {
            FsRunner.Result r = FsRunner.measure(program, maxStates, exploration, false).result();
            states += r.crashStates();
            perRun = r.crashStates();
            points = r.crashPoints();
        } while (clock.millis() < millis);
        return new Rate(states * 1e9 / clock.nanos(), perRun, points);
    }
}
