package dev.daxfuzz.run;

import dev.daxfuzz.fs.CallResult;
import dev.daxfuzz.fs.FsGeometry;
import dev.daxfuzz.fs.FsOptions;
import dev.daxfuzz.fs.JournalFs;
import dev.daxfuzz.fs.Recovery;
import dev.daxfuzz.oracle.CrashChecker;
import dev.daxfuzz.oracle.CrashContext;
import dev.daxfuzz.oracle.Violation;
import dev.daxfuzz.oracle.ViolationKind;
import dev.daxfuzz.oracle.model.PosixModel;
import dev.daxfuzz.oracle.model.TreeSnapshot;
import dev.daxfuzz.pm.CrashPoint;
import dev.daxfuzz.pm.DepthFirstChooser;
import dev.daxfuzz.pm.FingerprintSet;
import dev.daxfuzz.pm.LazyImage;
import dev.daxfuzz.pm.PersistentMemory;
import dev.daxfuzz.pm.PmOptions;
import dev.daxfuzz.program.Expectation;
import dev.daxfuzz.program.Op;
import dev.daxfuzz.program.Program;
import dev.daxfuzz.program.ProgramPrinter;
import dev.daxfuzz.program.Step;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Runs a file-system program on the {@code journal} design and the reference model side by side,
 * crashes it, and checks every crash state.
 *
 * <p><b>Calls.</b> Each call runs on the file system and on the model; a result the model does not
 * allow is a WRONG_RESULT violation, after which the two have diverged and no further crash point
 * is checked. {@code =>} expectations are checked against the file system's result.
 *
 * <p><b>Crash points.</b> The program's {@code crash} statements, or, without any, one at the end
 * of every call, just before its return drains the store buffer: the reachable images only grow
 * while a call runs (later instructions may still be buffered) and only a drain removes any, so
 * that one point covers every instant of the call and the instant before it. The file system
 * issues no mfence of its own.
 *
 * <p><b>Exploration.</b> Every crash point is explored box by box ({@link CrashPoint#forEachBox});
 * each box is checked with a {@link LazyImage} under a {@link DepthFirstChooser}, once per way the
 * checks can go, so that every image of the crash point is covered without listing them. A run
 * is a crash state; runs that read exactly the same bytes are the same recovery and count as one
 * distinct image. {@code maxStatesPerPoint} bounds the runs of a crash point.
 */
public final class FsRunner {
    private static final int CPU = 0;

    /** Receives the violations as they are found; return false to stop the run. */
    @FunctionalInterface
    public interface Listener {
        boolean violation(Violation v, int occurrence);
    }

    /**
     * The outcome of a run.
     *
     * @param crashPoints crash points explored
     * @param crashStates checks run (each standing for every image it cannot tell apart)
     * @param distinctImages checks that read different bytes, over the whole run
     * @param imagesCovered persistence outcomes the checks stood for, summed over runs: an upper
     *     bound on the images covered (outcomes with equal bytes, and overlapping boxes, count more
     *     than once; saturating)
     * @param violations distinct violations (first occurrence each), with how many states showed it
     * @param truncatedAt crash points where the bound cut the exploration
     * @param failures expectations that did not hold
     * @param diverged true when a wrong result ended crash checking early
     */
    public record Result(int crashPoints, long crashStates, long distinctImages, long imagesCovered,
                         List<Found> violations, List<String> truncatedAt, List<ExpectationFailure> failures,
                         boolean diverged) {
        public Result {
            violations = List.copyOf(violations);
            truncatedAt = List.copyOf(truncatedAt);
            failures = List.copyOf(failures);
        }
    }

    /** A violation and the number of crash states that showed it. */
    public record Found(Violation violation, long states) {
    }

    private FsRunner() {
    }

    /** Runs {@code program}, which must have a file system ({@code fs journal}). */
    public static Result run(Program program, long maxStatesPerPoint, Listener listener) {
        return run(program, maxStatesPerPoint, FsOptions.DEFAULT, listener);
    }

    /** Runs {@code program} on a file system built with {@code options}. */
    public static Result run(Program program, long maxStatesPerPoint, FsOptions options, Listener listener) {
        return new Execution(program, maxStatesPerPoint, options, listener).run();
    }

    private static final class Execution {
        private final Program program;
        private final long maxStates;
        private final Listener listener;
        private final PersistentMemory pm;
        private final FsGeometry geometry;
        private final JournalFs fs;
        private final PosixModel model;
        private final CrashChecker checker;
        private final List<TreeSnapshot> snapshots = new ArrayList<>();
        private final List<String> canonicals = new ArrayList<>();
        private final FingerprintSet seen = new FingerprintSet(1024);
        private final Map<String, Found> found = new LinkedHashMap<>();
        private final List<String> truncated = new ArrayList<>();
        private final List<ExpectationFailure> failures = new ArrayList<>();
        private int points;
        private long states;
        private long covered;
        private boolean diverged;
        private boolean stopped;

        Execution(Program program, long maxStates, FsOptions options, Listener listener) {
            this.program = program;
            this.maxStates = maxStates;
            this.listener = listener;
            this.pm = new PersistentMemory(PmOptions.of(program.header().deviceBytes(), program.header().persistency()));
            this.geometry = FsGeometry.forDevice(program.header().deviceBytes(), options.journalBlocks());
            this.fs = JournalFs.format(pm, geometry, options);
            this.model = new PosixModel(FsGeometry.LIMITS);
            this.checker = new CrashChecker(geometry, Recovery.Options.DEFAULT);
            record();
        }

        private void record() {
            TreeSnapshot s = model.snapshot();
            snapshots.add(s);
            canonicals.add(s.canonical());
        }

        Result run() {
            List<Step> steps = program.steps();
            boolean explicit = steps.stream().anyMatch(s -> s.op() instanceof Op.Crash);
            int completed = -1;
            for (int i = 0; i < steps.size() && !stopped; i++) {
                Step step = steps.get(i);
                Op op = step.op();
                if (op instanceof Op.Crash) {
                    // Between calls: everything before has returned.
                    explore(completed, completed, model.metadataFloor(), "at line " + step.pos().line() + " (crash)");
                    record();
                    continue;
                }
                if (op instanceof Op.Fence f) {
                    if (f.kind() == Op.FenceKind.SFENCE) {
                        pm.sfence(CPU, i);
                    } else {
                        pm.mfence(CPU, i);
                    }
                    check(step, CallResult.OK);
                    record();
                    completed = i;
                    continue;
                }
                CallResult r = fs.call(i, op);
                // A crash during the call sees the durability promised before it, not by it.
                int floorBefore = model.metadataFloor();
                PosixModel.Verdict verdict = model.apply(i, op, r);
                record();
                check(step, r);
                if (!verdict.accepted() && !diverged) {
                    diverged = true;
                    report(new Violation(ViolationKind.WRONG_RESULT, i, Optional.empty(),
                            "line " + step.pos().line() + ": `" + ProgramPrinter.print(op) + "` returned " + r
                                    + " where Linux returns " + verdict.expected(),
                            List.of(String.valueOf(verdict.expected())), List.of(String.valueOf(r)), Optional.empty()));
                }
                if (!explicit) {
                    explore(i, completed, floorBefore,
                            "during line " + step.pos().line() + " (" + ProgramPrinter.print(op) + ")");
                }
                fs.endCall();
                completed = i;
            }
            return new Result(points, states, seen.size(), covered, new ArrayList<>(found.values()), truncated,
                    failures, diverged);
        }

        private void check(Step step, CallResult r) {
            if (step.expectation().isEmpty()) {
                return;
            }
            Expectation want = step.expectation().get();
            String expected = Results.describe(want);
            if (!Results.matches(want, r)) {
                failures.add(new ExpectationFailure(step.pos(), ProgramPrinter.print(step), expected, r.toString()));
            }
        }

        private void explore(int current, int completedThrough, int floor, String description) {
            if (diverged || stopped) {
                return;
            }
            int index = points++;
            CrashContext ctx = new CrashContext(index, description, current, completedThrough, floor,
                    List.copyOf(snapshots), model::events);
            CrashPoint cp = pm.crashPoint();
            long[] runs = {0};
            boolean[] cut = {false};
            cp.forEachBox(box -> {
                DepthFirstChooser chooser = new DepthFirstChooser();
                do {
                    if (runs[0] >= maxStates) {
                        cut[0] = true;
                        return false;
                    }
                    LazyImage image = new LazyImage(box, chooser);
                    Optional<Violation> v = checker.check(image, ctx, canonicals);
                    runs[0]++;
                    covered = saturatingAdd(covered, image.imagesStoodFor());
                    seen.add(image.observation1(), image.observation2());
                    if (v.isPresent()) {
                        Violation w = v.get();
                        report(new Violation(w.kind(), w.step(), w.crashPoint(), w.summary(), w.expected(), w.actual(),
                                Optional.of(image.provenance())));
                        if (stopped) {
                            return false;
                        }
                    }
                } while (chooser.advance());
                return true;
            });
            states += runs[0];
            if (cut[0]) {
                truncated.add(description);
            }
        }

        private void report(Violation v) {
            String key = v.kind() + "|" + v.step() + "|" + v.crashPoint().orElse("");
            Found f = found.get(key);
            if (f == null) {
                found.put(key, new Found(v, 1));
                if (!listener.violation(v, 1)) {
                    stopped = true;
                }
            } else {
                found.put(key, new Found(f.violation(), f.states() + 1));
            }
        }

        private static long saturatingAdd(long a, long b) {
            long r = a + b;
            return r < 0 ? Long.MAX_VALUE : r;
        }
    }
}
