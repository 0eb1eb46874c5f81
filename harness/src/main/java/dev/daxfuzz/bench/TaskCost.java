package dev.daxfuzz.bench;

import dev.daxfuzz.program.Program;
import dev.daxfuzz.program.Step;
import dev.daxfuzz.run.TaskRunner;
import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * What racing tasks cost: each program with tasks explored in every schedule within the default
 * preemption bound (2), again and again for a round's time, beside the same calls in one task
 * (its statements in file order: one schedule). Reports schedules per exploration, schedules per
 * second, and how many times the one-task run the whole exploration costs.
 *
 * <p>Limits: single-threaded wall time on a possibly shared machine, one discarded warm-up
 * round; the setup's crash points are explored in both, the tasks' are not (this version does not
 * crash inside tasks), so the figures are the schedule search's cost, not a crash search's.
 */
public final class TaskCost {
    private TaskCost() {
    }

    /**
     * @param programs programs with tasks, by name
     * @param rounds measured rounds (one more is run first and discarded)
     * @param roundMillis how long each program runs again and again per round
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
     * One program.
     *
     * @param schedules schedules of one exploration
     * @param millisPerExploration wall time of one whole exploration, median per round
     * @param millisOneTask wall time of the same calls in one task, median per round
     */
    public record Row(String program, int tasks, long schedules, List<Double> millisPerExploration,
                      List<Double> millisOneTask) {
        public Row {
            millisPerExploration = List.copyOf(millisPerExploration);
            millisOneTask = List.copyOf(millisOneTask);
        }

        public double schedulesPerSecond() {
            return schedules * 1000.0 / Stats.median(millisPerExploration);
        }

        /** The whole exploration's cost in one-task runs of the same calls. */
        public double ratio() {
            return Stats.median(millisPerExploration) / Stats.median(millisOneTask);
        }
    }

    /** The section's result. */
    public record Result(Options options, List<Row> rows) {
        public Result {
            rows = List.copyOf(rows);
        }

        /** The section in Markdown, starting with {@code ## Racing tasks}. */
        public String markdown() {
            StringBuilder b = new StringBuilder("## Racing tasks\n\n");
            b.append(String.format(Locale.ROOT, "Each program explored in every schedule with at most 2 preemptions, "
                    + "median over %d rounds of %.1f s after one warm-up round; beside it the same calls in one task "
                    + "(file order, one schedule). The setup's crash points are explored in both, the tasks' are not "
                    + "(this version does not crash inside tasks).%n%n", options.rounds(), options.roundMillis() / 1000.0));
            b.append("| program | tasks | schedules | ms per exploration | schedules/s | ms, one task | ratio |\n");
            b.append("|---|---|---|---|---|---|---|\n");
            for (Row r : rows) {
                b.append(String.format(Locale.ROOT, "| `%s` | %d | %d | %.1f | %,.0f | %.2f | %.0f× |%n", r.program(),
                        r.tasks(), r.schedules(), Stats.median(r.millisPerExploration()), r.schedulesPerSecond(),
                        Stats.median(r.millisOneTask()), r.ratio()));
            }
            return b.append('\n').toString();
        }
    }

    /** {@code p} with every statement in one task, in file order. */
    static Program oneTask(Program p) {
        List<Step> steps = new ArrayList<>();
        for (Step s : p.steps()) {
            steps.add(s.inSetup() ? s : s.inTask("A"));
        }
        return new Program(p.header(), steps);
    }

    /** Measures every program; prints one line per round. */
    public static Result run(Options o, PrintWriter progress) {
        List<Row> rows = new ArrayList<>();
        for (Throughput.NamedProgram named : o.programs()) {
            Program racing = named.program();
            Program serial = oneTask(racing);
            List<Double> explore = new ArrayList<>();
            List<Double> one = new ArrayList<>();
            long schedules = 0;
            for (int round = 0; round <= o.rounds(); round++) {
                double[] e = timed(racing, o.roundMillis());
                double[] s = timed(serial, o.roundMillis());
                schedules = (long) e[1];
                if (round > 0) {
                    explore.add(e[0]);
                    one.add(s[0]);
                }
                synchronized (progress) {
                    progress.println(String.format(Locale.ROOT, "tasks %s round %d: %d schedules in %.1f ms, one task %.2f ms",
                            named.name(), round, schedules, e[0], s[0]));
                    progress.flush();
                }
            }
            rows.add(new Row(named.name(), racing.tasks().size(), schedules, explore, one));
        }
        return new Result(o, rows);
    }

    /** Runs {@code p} again and again for {@code millis}: ms per run, and the schedules of the last. */
    private static double[] timed(Program p, long millis) {
        Stopwatch clock = new Stopwatch();
        long runs = 0;
        long schedules = 0;
        do {
            schedules = TaskRunner.run(p, 1_000, TaskRunner.Options.DEFAULT, (v, n) -> true).schedules();
            runs++;
        } while (clock.millis() < millis);
        return new double[] {clock.millis() / (double) runs, schedules};
    }
}
