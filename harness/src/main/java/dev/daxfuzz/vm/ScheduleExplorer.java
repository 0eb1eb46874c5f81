package dev.daxfuzz.vm;

import java.util.ArrayList;
import java.util.List;
import java.util.function.Function;

/**
 * Runs an execution of racing tasks once per schedule, depth first, until every schedule with at
 * most {@code preemptionBound} preemptions has run: CHESS's iterative context bounding (Musuvathi
 * and Qadeer, PLDI 2007), stateless, by replaying each schedule from the start. A preemption is a
 * switch away from a task that could have gone on; switches forced by a task blocking or ending
 * are free, so with bound 0 every task runs until it blocks or ends.
 *
 * <p>Each schedule is the sequence of choices at the execution's scheduling points
 * ({@link TaskScheduler.Decision}). The first run takes the default everywhere (go on with the
 * current task; else the lowest runnable one); each later run keeps a prefix of the previous one
 * and takes the next candidate at its last decision that has one within the bound, then defaults
 * again. Executions must be deterministic: the same choices must reach the same points with the
 * same runnable tasks, which the explorer checks (a difference is a bug of the execution, not a
 * schedule).
 *
 * <p>Limits: no partial-order reduction yet: schedules that differ only in the order of
 * independent steps are all run. {@code maxSchedules} cuts the search; the result says so.
 */
public final class ScheduleExplorer {
    /**
     * Bounds of a search.
     *
     * @param preemptionBound switches away from a runnable task allowed per schedule
     * @param maxSchedules schedules run at most (the search is reported cut beyond)
     * @param maxPointsPerSchedule scheduling points one execution may reach before it is stopped
     */
    public record Options(int preemptionBound, long maxSchedules, int maxPointsPerSchedule) {
        public Options {
            if (preemptionBound < 0 || maxSchedules < 1 || maxPointsPerSchedule < 1) {
                throw new IllegalArgumentException("bounds must be non-negative and limits positive");
            }
        }
    }

    /**
     * What a search did.
     *
     * @param schedules executions run
     * @param beyondBound alternatives not run because they would exceed the preemption bound
     * @param cut true when {@code maxSchedules} ended the search before every schedule ran
     */
    public record Summary(long schedules, long beyondBound, boolean cut) {
    }

    /** Receives each execution's result; return false to stop the search. */
    @FunctionalInterface
    public interface Visitor {
        boolean visit(TaskScheduler.Result result);
    }

    private ScheduleExplorer() {
    }

    /**
     * Explores every schedule of {@code execution} within {@code options}. {@code execution} runs
     * one execution with the chooser it is given (building a fresh system and a
     * {@link TaskScheduler} around it) and returns its result.
     */
    public static Summary explore(Options options, Function<TaskScheduler.Chooser, TaskScheduler.Result> execution,
                                  Visitor visitor) {
        // The candidate index (into Decision.candidates()) taken at each decision of the schedule to run.
        List<Integer> prefix = new ArrayList<>();
        List<TaskScheduler.Decision> previous = List.of();
        long schedules = 0;
        long beyond = 0;
        while (true) {
            Replay replay = new Replay(prefix, previous, options.maxPointsPerSchedule());
            TaskScheduler.Result r = execution.apply(replay);
            schedules++;
            if (!visitor.visit(r)) {
                return new Summary(schedules, beyond, false);
            }
            // Backtrack: the deepest decision with a next candidate within the bound.
            List<TaskScheduler.Decision> ds = r.decisions();
            List<Integer> taken = replay.taken;
            int[] preemptionsBefore = new int[ds.size() + 1];
            for (int i = 0; i < ds.size(); i++) {
                preemptionsBefore[i + 1] = preemptionsBefore[i] + (ds.get(i).preempts(r.choices().get(i)) ? 1 : 0);
            }
            int at = -1;
            int next = -1;
            for (int i = ds.size() - 1; i >= 0 && at < 0; i--) {
                int[] cands = ds.get(i).candidates();
                for (int k = taken.get(i) + 1; k < cands.length; k++) {
                    if (preemptionsBefore[i] + (ds.get(i).preempts(cands[k]) ? 1 : 0) <= options.preemptionBound()) {
                        at = i;
                        next = k;
                        break;
                    }
                    beyond++;
                }
            }
            if (at < 0) {
                return new Summary(schedules, beyond, false);
            }
            if (schedules >= options.maxSchedules()) {
                return new Summary(schedules, beyond, true);
            }
            prefix = new ArrayList<>(taken.subList(0, at));
            prefix.add(next);
            previous = ds;
        }
    }

    /** Takes the prefix's candidates, then the default (candidate 0), recording what it took. */
    private static final class Replay implements TaskScheduler.Chooser {
        private final List<Integer> prefix;
        private final List<TaskScheduler.Decision> previous;
        private final int maxPoints;
        final List<Integer> taken = new ArrayList<>();

        Replay(List<Integer> prefix, List<TaskScheduler.Decision> previous, int maxPoints) {
            this.prefix = prefix;
            this.previous = previous;
            this.maxPoints = maxPoints;
        }

        @Override
        public int choose(TaskScheduler.Decision d) {
            int i = taken.size();
            if (i >= maxPoints) {
                return -1;
            }
            int k = 0;
            if (i < prefix.size()) {
                TaskScheduler.Decision before = previous.get(i);
                if (before.current() != d.current() || before.runnable() != d.runnable()) {
                    throw new IllegalStateException("the execution is not deterministic: at scheduling point " + i
                            + " the last run had " + before + ", this one " + d);
                }
                k = prefix.get(i);
            }
            taken.add(k);
            return d.candidates()[k];
        }
    }
}
