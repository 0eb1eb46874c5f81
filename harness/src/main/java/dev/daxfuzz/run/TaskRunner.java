package dev.daxfuzz.run;

import dev.daxfuzz.fs.CallResult;
import dev.daxfuzz.fs.FsGeometry;
import dev.daxfuzz.fs.FsOptions;
import dev.daxfuzz.fs.JournalFs;
import dev.daxfuzz.fs.Site;
import dev.daxfuzz.oracle.Linearizability;
import dev.daxfuzz.oracle.Violation;
import dev.daxfuzz.oracle.ViolationKind;
import dev.daxfuzz.oracle.model.PosixModel;
import dev.daxfuzz.pm.PersistentMemory;
import dev.daxfuzz.pm.PmOptions;
import dev.daxfuzz.program.Op;
import dev.daxfuzz.program.Program;
import dev.daxfuzz.program.ProgramParser;
import dev.daxfuzz.program.ProgramPrinter;
import dev.daxfuzz.program.Step;
import dev.daxfuzz.vm.AddressSpace;
import dev.daxfuzz.vm.LockViolation;
import dev.daxfuzz.vm.ScheduleExplorer;
import dev.daxfuzz.vm.TaskScheduler;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Runs a program with tasks (threads of one process that race) on the {@code journal} design in
 * every schedule within a preemption bound, and judges each schedule's results.
 *
 * <p><b>Schedules.</b> The setup runs alone first, as {@link FsRunner} runs a program, with its
 * crash points explored once (it is the same in every schedule). Then the tasks run under a
 * {@link TaskScheduler}, one at a time, switching at the scheduling points: the start and end
 * of every statement, every acquisition and release of a modelled lock inside the file system
 * and the memory-management code (a task that cannot take a lock is blocked), and the unlocked
 * windows Linux has on purpose (a DAX fault between its block lookup and its PTE; truncate and
 * hole punch between unmapping pages and changing their blocks). {@link ScheduleExplorer} runs
 * every schedule with at most {@code preemptions} switches away from a task that could have
 * gone on, each from a fresh device, file system and model.
 *
 * <p><b>Oracles.</b> Each call of a task takes effect atomically at one instant between its start
 * and its end, so a schedule's results must fit some order of the calls that keeps each task's
 * program order and real time ({@link Linearizability}, the reference model replayed in that
 * order); a schedule that no order explains is a WRONG_RESULT, explained call by call. A
 * schedule where every unfinished task waits for a lock another holds is a DEADLOCK, and the
 * lock checker's and the fault core's runtime verdicts (lockdep's inversions, a fault retried
 * without end) are reported as {@link FsRunner} reports them. {@code =>} expectations of task
 * statements must hold in every schedule.
 *
 * <p><b>Limits.</b> Crash points inside the tasks are not explored yet: a schedule is judged by
 * its results and its hangs, not by crash images (the setup's crash points are). All tasks share
 * CPU 0's store buffer, which only removes interleavings of buffered stores (a fence of one task
 * drains another's stores); locks are per lock class, not per inode (two tasks on different files
 * still exclude each other), so some interleavings Linux allows are not run. A schedule's model
 * replay does not check the oracle's promises (MAP_SYNC, static daxfiles): those are crash-image
 * checks.
 */
public final class TaskRunner {
    /**
     * Bounds of the search.
     *
     * @param preemptions switches away from a task that could have gone on, per schedule (CHESS's
     *     bound; 2 finds most races)
     * @param maxSchedules schedules run at most; the result says when this cut the search
     * @param maxPointsPerSchedule scheduling points one schedule may reach (a bound on a run that
     *     would not end)
     * @param maxLinearizationNodes placements the order search may try per schedule
     */
    public record Options(int preemptions, long maxSchedules, int maxPointsPerSchedule, long maxLinearizationNodes) {
        /** Two preemptions, as the program format's {@code --preemptions} default. */
        public static final Options DEFAULT = new Options(2, 1_000_000, 100_000, 1_000_000);

        public Options {
            if (preemptions < 0 || maxSchedules < 1 || maxPointsPerSchedule < 1 || maxLinearizationNodes < 1) {
                throw new IllegalArgumentException("bounds must be non-negative and limits positive");
            }
        }
    }

    /**
     * What the search found.
     *
     * @param setup the setup's run, with its crash points
     * @param schedules schedules run
     * @param beyondBound alternatives not run because they exceed the preemption bound
     * @param cut true when {@code maxSchedules} stopped the search early
     * @param violations distinct violations over all schedules, each with the schedules that showed it
     * @param failures expectations that did not hold, each once, with the first schedule that broke it
     * @param undecided schedules whose order search hit its bound (nothing was claimed about them)
     */
    public record Result(FsRunner.Result setup, long schedules, long beyondBound, boolean cut,
                         List<FsRunner.Found> violations, List<ExpectationFailure> failures, long undecided) {
        public Result {
            violations = List.copyOf(violations);
            failures = List.copyOf(failures);
        }
    }

    private TaskRunner() {
    }

    /**
     * The setup's run with the schedules' violations and expectation failures added, as one
     * result for the reports (crash points and states are the setup's).
     */
    public static FsRunner.Result merged(Result r) {
        List<FsRunner.Found> violations = new ArrayList<>(r.setup().violations());
        violations.addAll(r.violations());
        List<ExpectationFailure> failures = new ArrayList<>(r.setup().failures());
        failures.addAll(r.failures());
        FsRunner.Result s = r.setup();
        return new FsRunner.Result(s.crashPoints(), s.crashStates(), s.distinctImages(), s.imagesCovered(), violations,
                s.truncatedAt(), failures, s.diverged(), s.depth(), s.recoveryCrashes());
    }

    /**
     * Runs {@code program}'s setup and then its tasks in every schedule within {@code options};
     * {@code listener} gets each new violation (return false to stop).
     */
    public static Result run(Program program, long maxStatesPerPoint, Options options, FsRunner.Listener listener) {
        if (!program.hasTasks()) {
            throw new IllegalArgumentException("a program without tasks: use FsRunner");
        }
        Program setupOnly = new Program(program.header(), program.stepsOf(Step.SETUP));
        FsRunner.Result setup = FsRunner.run(setupOnly, maxStatesPerPoint, listener);
        Map<String, FsRunner.Found> found = new LinkedHashMap<>();
        Map<Integer, ExpectationFailure> failures = new LinkedHashMap<>();
        if (!setup.violations().isEmpty() || setup.diverged()) {
            return new Result(setup, 0, 0, false, List.of(), List.of(), 0);
        }
        if (!program.header().schedule().isEmpty()) {
            // The program names its schedule: run that one alone.
            Scripted script = new Scripted(ProgramParser.scheduleItems(program.header().schedule()), program.tasks());
            return one(program, setup, options, listener, script);
        }
        long[] undecided = {0};
        boolean[] stopped = {false};
        ScheduleExplorer.Summary summary = ScheduleExplorer.explore(new ScheduleExplorer.Options(options.preemptions(),
                options.maxSchedules(), options.maxPointsPerSchedule()), chooser -> {
                    Execution e = new Execution(program, options);
                    TaskScheduler.Result r = e.run(chooser);
                    e.judge(r, found, failures, undecided, listener, stopped);
                    return r;
                }, r -> !stopped[0]);
        return new Result(setup, summary.schedules(), summary.beyondBound(), summary.cut(),
                new ArrayList<>(found.values()), new ArrayList<>(failures.values()), undecided[0]);
    }

    /**
     * Runs the tasks of {@code program} (after its setup, explored as {@link #run} explores it)
     * in the one schedule {@code chooser} makes, decision by decision: for a directed
     * experiment, such as an adversary that starves a task. Each violation's explanation ends with
     * the {@code schedule} header line that replays it.
     */
    public static Result runOne(Program program, TaskScheduler.Chooser chooser) {
        Program setupOnly = new Program(program.header(), program.stepsOf(Step.SETUP));
        FsRunner.Result setup = FsRunner.run(setupOnly, FsRunner.MAX_STATES_DEFAULT, (v, n) -> true);
        return one(program, setup, Options.DEFAULT, (v, n) -> true, chooser);
    }

    /** The tasks in the one schedule {@code chooser} makes, after a setup that ran as {@code setup}. */
    private static Result one(Program program, FsRunner.Result setup, Options options, FsRunner.Listener listener,
                              TaskScheduler.Chooser chooser) {
        Map<String, FsRunner.Found> found = new LinkedHashMap<>();
        Map<Integer, ExpectationFailure> failures = new LinkedHashMap<>();
        long[] undecided = {0};
        Execution e = new Execution(program, options);
        TaskScheduler.Result r = e.run(chooser);
        if (chooser instanceof Scripted script && script.mismatch != null) {
            throw new IllegalArgumentException(script.mismatch);
        }
        e.judge(r, found, failures, undecided, listener, new boolean[1]);
        return new Result(setup, 1, 0, false, new ArrayList<>(found.values()), new ArrayList<>(failures.values()),
                undecided[0]);
    }

    /**
     * A {@code schedule} line's choices: the task it names at each decision while they last, then
     * the default. A named task that cannot run there stops the execution and says why.
     */
    private static final class Scripted implements TaskScheduler.Chooser {
        private final List<String> items;
        private final List<String> names;
        private String mismatch;

        Scripted(List<String> items, List<String> names) {
            this.items = items;
            this.names = names;
        }

        @Override
        public int choose(TaskScheduler.Decision d) {
            if (d.point() >= items.size()) {
                return d.candidates()[0];
            }
            int t = names.indexOf(items.get(d.point()));
            if ((d.runnable() & (1L << t)) == 0) {
                mismatch = "the schedule's decision " + (d.point() + 1) + " names task " + items.get(d.point())
                        + ", which cannot run there (" + d.where() + "; it is blocked or has ended)";
                return -1;
            }
            return t;
        }
    }

    /** One call a task made: the statement, its result, and when it started and ended. */
    private record TaskCall(int step, String task, Op op, CallResult result, long start, long end) {
    }

    /** One schedule: a fresh system, the setup, then the tasks under a scheduler. */
    private static final class Execution {
        private final Program program;
        private final Options options;
        private final PersistentMemory pm;
        private final JournalFs fs;
        private final List<TaskCall> calls = new ArrayList<>();
        /** Stores remember no promises here: those are crash-image checks. */
        private final PlainUserAccesses user;
        /** What each setup statement returned, for the model's replays (ENOSPC is a legal alternative). */
        private final List<CallResult> setupResults = new ArrayList<>();
        /** Calls started and not ended, per task index (null when none). */
        private final TaskCall[] inFlight;
        private final List<String> names;
        private long clock;
        private LockViolation hang;
        /** The first access through a stale PTE in this schedule, or null. */
        private Violation stale;
        /** The first daxctl static that froze an incomplete map in this schedule, or null. */
        private Violation incomplete;
        /** The first change to a static file's block map in this schedule, or null. */
        private Violation changedMap;
        /** Static files by inode: the block map they were frozen with, and their path. */
        private final java.util.TreeMap<Integer, int[]> frozen = new java.util.TreeMap<>();
        private final java.util.TreeMap<Integer, String> frozenPath = new java.util.TreeMap<>();
        private int hangStep = -1;

        Execution(Program program, Options options) {
            this.program = program;
            this.options = options;
            this.names = program.tasks();
            this.inFlight = new TaskCall[names.size()];
            pm = new PersistentMemory(PmOptions.of(program.header().deviceBytes(), program.header().persistency()));
            FsGeometry geometry = FsGeometry.forDevice(program.header().deviceBytes(), FsOptions.DEFAULT.journalBlocks());
            fs = JournalFs.format(pm, geometry, FsRunner.designed(program, FsOptions.DEFAULT));
            user = new PlainUserAccesses(fs);
            List<Step> steps = program.steps();
            fs.nameStepsWith(k -> k >= 0 && k < steps.size() ? "line " + steps.get(k).pos().line() : "statement " + (k + 1));
        }

        TaskScheduler.Result run(TaskScheduler.Chooser chooser) {
            List<Step> steps = program.steps();
            for (int i = 0; i < steps.size() && steps.get(i).inSetup(); i++) {
                setupResults.add(perform(i, steps.get(i).op()));
            }
            List<Runnable> bodies = new ArrayList<>();
            for (int t = 0; t < names.size(); t++) {
                int task = t;
                String name = names.get(t);
                bodies.add(() -> {
                    for (int k = 0; k < steps.size(); k++) {
                        if (steps.get(k).task().equals(name)) {
                            runStep(task, k);
                        }
                    }
                });
            }
            TaskScheduler scheduler = new TaskScheduler(names, chooser,
                    t -> inFlight[t] == null ? null : "line " + steps.get(inFlight[t].step()).pos().line());
            return scheduler.run(bodies);
        }

        private void runStep(int task, int k) {
            Step step = program.steps().get(k);
            TaskScheduler.pointHere("line " + step.pos().line() + " starts (" + ProgramPrinter.print(step.op()) + ")");
            long start = ++clock;
            // A daxctl static is judged on the blocks below the size its file had when it began: a
            // racing extension after the map was frozen only adds size (a hole past the old end).
            long sizeBefore = -1;
            if (step.op() instanceof Op.Daxctl d0 && d0.action() == Op.DaxctlAction.STATIC && fs.inodeOf(d0.path()) >= 0) {
                sizeBefore = fs.volume().size(fs.inodeOf(d0.path()));
            }
            inFlight[task] = new TaskCall(k, names.get(task), step.op(), null, start, Long.MAX_VALUE);
            CallResult r;
            try {
                r = perform(k, step.op());
            } catch (LockViolation lv) {
                // The task would hang here (lockdep's predicted deadlock, a fault retried without end).
                if (hang == null) {
                    hang = lv;
                    hangStep = k;
                }
                throw lv;
            }
            inFlight[task] = null;
            if (SyscallDispatch.isUserInstruction(step.op()) && r.equals(CallResult.OK) || r instanceof CallResult.Data) {
                stalePte(task, k, step.op());
            }
            if (step.op() instanceof Op.Daxctl d && d.action() == Op.DaxctlAction.STATIC && r.equals(CallResult.OK)) {
                incompleteStaticMap(task, k, d, sizeBefore);
                int ino = fs.inodeOf(d.path());
                if (ino >= 0 && fs.isStatic(ino)) {
                    frozen.put(ino, pointers(ino));
                    frozenPath.put(ino, d.path().toString());
                }
            }
            watchStaticMaps(task, k);
            calls.add(new TaskCall(k, names.get(task), step.op(), r, start, ++clock));
            TaskScheduler.pointHere("line " + step.pos().line() + " ends");
        }

        private CallResult perform(int i, Op op) {
            if (op instanceof Op.Crash) {
                return CallResult.OK;
            }
            if (op instanceof Op.Fence f) {
                if (f.kind() == Op.FenceKind.SFENCE) {
                    pm.sfence(0, Site.USER_FENCE.at(i));
                } else {
                    pm.mfence(0, Site.USER_FENCE.at(i));
                }
                return CallResult.OK;
            }
            return SyscallDispatch.isUserInstruction(op) ? SyscallDispatch.access(i, op, user)
                    : SyscallDispatch.call(i, op, fs);
        }

        /**
         * The runtime check of a user access: every page it reached went through a PTE to the
         * block the file has at that page now. A PTE to a block the file no longer has there (freed
         * by a truncate or a hole punch, perhaps reused by another file) lets the access read or
         * write memory the file system gave away: STALE_DATA. Correct code never leaves such a PTE:
         * truncate and punch unmap the pages before they change the blocks, and a fault installs
         * its PTE under the locks that keep them out (the invalidate lock).
         */
        private void stalePte(int task, int k, Op op) {
            String map;
            long off;
            long len;
            if (op instanceof Op.MStore x) {
                map = x.map();
                off = x.off();
                len = x.data().bytes().length();
            } else if (op instanceof Op.MNtStore x) {
                map = x.map();
                off = x.off();
                len = x.data().bytes().length();
            } else if (op instanceof Op.MLoad x) {
                map = x.map();
                off = x.off();
                len = x.len();
            } else if (op instanceof Op.Persist x) {
                map = x.map();
                off = x.off();
                len = x.len();
            } else if (op instanceof Op.MFlush x) {
                map = x.map();
                off = x.off();
                len = 1;
            } else {
                return;
            }
            dev.daxfuzz.vm.Vma vma = fs.mm().vma(map);
            if (vma == null || len <= 0) {
                return;
            }
            long from = vma.pgoff(vma.start() + off);
            long to = vma.pgoff(vma.start() + off + len - 1);
            for (AddressSpace.FilePte pte : fs.mm().filePtes()) {
                if (pte.ino() != vma.file().ino() || pte.pgoff() < from || pte.pgoff() > to) {
                    continue;
                }
                long now = fs.volume().extents(pte.ino(), pte.pgoff() * AddressSpace.PAGE_BYTES, 1).get(0).addr();
                if (now != pte.pmAddr() && stale == null) {
                    Step step = program.steps().get(k);
                    stale = new Violation(ViolationKind.STALE_DATA, k, Optional.empty(), String.format(
                            "task %s's `%s` went through a PTE to device block 0x%x for file page %d, which the file no"
                                    + " longer has there (%s)", names.get(task), ProgramPrinter.print(op), pte.pmAddr(),
                            pte.pgoff(), now < 0 ? "a hole now" : String.format("it has block 0x%x now", now)),
                            List.of("page " + pte.pgoff() + " maps the file's block " + (now < 0 ? "(none: a hole)"
                                    : String.format("0x%x", now))),
                            List.of(String.format("page %d maps freed or foreign block 0x%x", pte.pgoff(), pte.pmAddr())),
                            Optional.empty(), List.of("At line " + step.pos().line() + " task " + names.get(task)
                                    + " reached file page " + pte.pgoff() + " through a PTE installed for device block "
                                    + String.format("0x%x", pte.pmAddr()) + ".",
                                    "The file's block map has " + (now < 0 ? "no block" : String.format("block 0x%x", now))
                                            + " at that page: the block changed while the PTE stayed, so the access"
                                            + " reached memory the file system no longer gives this file.",
                                    "Linux unmaps the pages (and waits for DAX accesses, dax_layout_busy_page) before a"
                                            + " truncate or a hole punch changes their blocks, and faults install PTEs under"
                                            + " the invalidate lock, so no correct schedule leaves such a PTE."));
                }
            }
        }

        /**
         * The runtime check of a daxctl static that succeeded: the file it froze has a block
         * below its size for every page, and in the sealed design none of them unwritten, as the
         * map walk demands. Another task changing the map between the walk and the flag (the walk
         * was not under the inode's lock) leaves a static file whose map is not what was checked:
         * IMMUTABLE_VIOLATED.
         */
        private void incompleteStaticMap(int task, int k, Op.Daxctl d, long sizeBefore) {
            int ino = fs.inodeOf(d.path());
            if (ino < 0 || !fs.isStatic(ino) || sizeBefore < 0) {
                return;
            }
            long size = Math.min(sizeBefore, fs.volume().size(ino));
            boolean sealed = program.header().daxfile() == dev.daxfuzz.program.Header.DaxfileDesign.SEALED;
            // rfc-v1's walk stops at i_size >> blkbits, leaving a partial last block unchecked by design
            // (a documented flaw of that design, not a race): only what the walk covers is judged.
            long covered = sealed ? size + FsGeometry.BLOCK_BYTES - 1 : size;
            int blocks = (int) Math.min(FsGeometry.FILE_BLOCKS_MAX, covered / FsGeometry.BLOCK_BYTES);
            for (int fb = 0; fb < blocks && incomplete == null; fb++) {
                int ptr = fs.volume().pointer(ino, fb);
                boolean hole = !dev.daxfuzz.fs.layout.InodeFormat.allocated(ptr);
                if (hole || sealed && dev.daxfuzz.fs.layout.InodeFormat.unwritten(ptr)) {
                    Step step = program.steps().get(k);
                    String what = hole ? "a hole" : "unwritten";
                    incomplete = new Violation(ViolationKind.IMMUTABLE_VIOLATED, k, Optional.empty(),
                            "task " + names.get(task) + "'s `" + ProgramPrinter.print(d) + "` succeeded, yet block " + fb
                                    + " of " + d.path() + " is " + what + " in the map it froze",
                            List.of(d.path() + " block " + fb + " -> a " + (sealed ? "written" : "allocated") + " block"),
                            List.of(d.path() + " block " + fb + " -> " + what), Optional.empty(),
                            List.of("At line " + step.pos().line() + " daxctl made " + d.path() + " static: from then on"
                                            + " its block map may not change, and it must have been complete (the map walk"
                                            + " refuses holes" + (sealed ? " and converts unwritten blocks" : "") + ").",
                                    "Yet block " + fb + " is " + what + " when daxctl returns: the map changed between the"
                                            + " walk that checked it and the flag that froze it, so the walk did not exclude"
                                            + " the racing layout change."));
                }
            }
        }

        private int[] pointers(int ino) {
            return FsRunner.pointers(fs, ino);
        }

        /**
         * After every statement of any task: the block map of a file made static is the one it
         * was frozen with (a missing tail counts as holes: a size change alone maps nothing), as
         * FsRunner checks in a single-task run. A change is IMMUTABLE_VIOLATED.
         */
        private void watchStaticMaps(int task, int k) {
            for (Integer ino : new ArrayList<>(frozen.keySet())) {
                if (!fs.isStatic(ino)) {
                    frozen.remove(ino);
                    continue;
                }
                int[] was = frozen.get(ino);
                int[] now = pointers(ino);
                for (int fb = 0; fb < Math.max(was.length, now.length) && changedMap == null; fb++) {
                    int a = fb < was.length ? was[fb] : 0;
                    int b = fb < now.length ? now[fb] : 0;
                    if (a != b) {
                        Step step = program.steps().get(k);
                        changedMap = new Violation(ViolationKind.IMMUTABLE_VIOLATED, k, Optional.empty(),
                                "line " + step.pos().line() + " (task " + names.get(task) + ") changed the block map of"
                                        + " static file " + frozenPath.get(ino),
                                List.of(frozenPath.get(ino) + " block " + fb + " -> " + describePointer(a)),
                                List.of(frozenPath.get(ino) + " block " + fb + " -> " + describePointer(b)),
                                Optional.empty(), List.of("When daxctl made " + frozenPath.get(ino) + " static, block "
                                        + fb + " was " + describePointer(a) + "; after line " + step.pos().line()
                                        + " it is " + describePointer(b) + ", though a static file's map may not change."));
                    }
                }
                if (changedMap != null) {
                    frozen.put(ino, now);
                }
            }
        }

        private static String describePointer(int ptr) {
            if (!dev.daxfuzz.fs.layout.InodeFormat.allocated(ptr)) {
                return "a hole";
            }
            return "block " + dev.daxfuzz.fs.layout.InodeFormat.blockOf(ptr)
                    + (dev.daxfuzz.fs.layout.InodeFormat.unwritten(ptr) ? " (unwritten)" : "");
        }

        /** Judges the schedule: hangs, expectations, then whether some order explains the results. */
        void judge(TaskScheduler.Result r, Map<String, FsRunner.Found> found, Map<Integer, ExpectationFailure> failures,
                   long[] undecided, FsRunner.Listener listener, boolean[] stopped) {
            String schedule = describe(r);
            if (r.outcome() == TaskScheduler.Outcome.FAILED && !(r.failure() instanceof LockViolation)) {
                // Not a verdict about the file system: a bug of daxfuzz, with its stack trace.
                throw new IllegalStateException("task " + names.get(r.failedTask()) + " failed in schedule " + schedule,
                        r.failure());
            }
            for (TaskCall c : calls) {
                Step step = program.steps().get(c.step());
                if (step.expectation().isPresent() && !Results.matches(step.expectation().get(), c.result())
                        && !failures.containsKey(c.step())) {
                    failures.put(c.step(), new ExpectationFailure(step.pos(), ProgramPrinter.print(step)
                            + "   [task " + c.task() + "; schedule: " + schedule + "]",
                            Results.describe(step.expectation().get()), c.result().toString()));
                }
            }
            List<Violation> vs = new ArrayList<>();
            for (Violation runtime : new Violation[] {stale, incomplete, changedMap}) {
                if (runtime != null) {
                    List<String> why = new ArrayList<>(runtime.argument());
                    why.add("The schedule: " + schedule + ".");
                    vs.add(new Violation(runtime.kind(), runtime.step(), Optional.empty(), runtime.summary(),
                            runtime.expected(), runtime.actual(), Optional.empty(), why));
                }
            }
            if (hang != null) {
                ViolationKind kind = hang.kind() == LockViolation.Kind.DEADLOCK ? ViolationKind.DEADLOCK : ViolationKind.LIVELOCK;
                List<String> why = new ArrayList<>(hang.explanation());
                why.add("The schedule: " + schedule + ".");
                vs.add(new Violation(kind, hangStep, Optional.empty(), hang.getMessage(), List.of("the statement completes"),
                        List.of("it waits forever"), Optional.empty(), why));
            } else if (r.outcome() == TaskScheduler.Outcome.DEADLOCK) {
                List<String> why = new ArrayList<>();
                why.add("The schedule: " + schedule + ".");
                for (String line : r.deadlock()) {
                    why.add("Task " + line + ".");
                }
                why.add("Every unfinished task waits for a lock that another unfinished task holds: none can go on.");
                vs.add(new Violation(ViolationKind.DEADLOCK, firstInFlight(), Optional.empty(),
                        "deadlock between tasks " + String.join(" and ", blockedNames(r)), List.of("every task completes"),
                        List.of("the tasks wait for each other forever"), Optional.empty(), why));
            }
            if (r.outcome() == TaskScheduler.Outcome.DONE || r.outcome() == TaskScheduler.Outcome.DEADLOCK) {
                List<Linearizability.Call> history = history();
                Linearizability.Verdict v = Linearizability.check(history, this::replay, options.maxLinearizationNodes());
                if (v instanceof Linearizability.Undecided) {
                    undecided[0]++;
                } else if (v instanceof Linearizability.NotLinearizable x) {
                    List<String> why = new ArrayList<>();
                    why.add("The schedule: " + schedule + ".");
                    why.addAll(Linearizability.explain(history, v));
                    int step = x.refuted().isEmpty() ? firstInFlight() : callOf(x.refuted().get(0).call()).step();
                    vs.add(new Violation(ViolationKind.WRONG_RESULT, step, Optional.empty(),
                            "no order of the tasks' calls explains their results (line "
                                    + program.steps().get(step).pos().line() + ")",
                            List.of("results that some order of the calls gives"), List.of(resultsLine()), Optional.empty(), why));
                }
            }
            String spec = spec(r);
            for (int i = 0; i < vs.size(); i++) {
                Violation v = vs.get(i);
                if (program.header().schedule().isEmpty()) {
                    List<String> why = new ArrayList<>(v.argument());
                    why.add("To run this schedule alone, add the header line `schedule " + spec + "`.");
                    vs.set(i, new Violation(v.kind(), v.step(), v.crashPoint(), v.summary(), v.expected(), v.actual(),
                            v.provenance(), why));
                }
            }
            for (Violation v : vs) {
                String key = v.kind() + "|" + v.step() + "|" + v.summary();
                FsRunner.Found before = found.get(key);
                if (before == null) {
                    found.put(key, new FsRunner.Found(v, 1));
                    if (!listener.violation(v, 1)) {
                        stopped[0] = true;
                    }
                } else {
                    found.put(key, new FsRunner.Found(before.violation(), before.states() + 1));
                }
            }
        }

        private List<Linearizability.Call> history() {
            List<Linearizability.Call> h = new ArrayList<>();
            for (TaskCall c : calls) {
                h.add(new Linearizability.Call(c.task(), ProgramPrinter.print(c.op()) + " => " + c.result(), c.start(), c.end()));
            }
            for (TaskCall c : inFlight) {
                if (c != null) {
                    h.add(new Linearizability.Call(c.task(), ProgramPrinter.print(c.op()), c.start(), c.end()));
                }
            }
            return h;
        }

        private TaskCall callOf(int index) {
            if (index < calls.size()) {
                return calls.get(index);
            }
            int k = index - calls.size();
            for (TaskCall c : inFlight) {
                if (c != null && k-- == 0) {
                    return c;
                }
            }
            throw new IndexOutOfBoundsException(index);
        }

        /** The reference model: the setup, then the calls in {@code order}, each judged by its result. */
        private Linearizability.Replay replay(int[] order) {
            PosixModel model = new PosixModel(FsGeometry.LIMITS, program.header().daxfile());
            // The model wants increasing step numbers; an order of tasks' calls is not file order.
            int n = 0;
            for (Step s : program.steps()) {
                if (!s.inSetup()) {
                    break;
                }
                if (!(s.op() instanceof Op.Crash) && !(s.op() instanceof Op.Fence)) {
                    SyscallDispatch.statement(n, s.op(), model).judge(setupResults.get(n));
                }
                n++;
            }
            for (int pos = 0; pos < order.length; pos++) {
                TaskCall c = callOf(order[pos]);
                if (c.op() instanceof Op.Crash || c.op() instanceof Op.Fence) {
                    continue;
                }
                PosixModel.Prediction p = SyscallDispatch.statement(n + pos, c.op(), model);
                if (c.result() == null) {
                    // Pending: it may have taken effect; the model applies it as Linux would.
                    p.judge(p.expected());
                    continue;
                }
                PosixModel.Verdict v = p.judge(c.result());
                if (!v.accepted()) {
                    return Linearizability.Replay.mismatch(pos, "`" + ProgramPrinter.print(c.op()) + "` => "
                            + v.expected() + " (task " + c.task() + " saw " + c.result() + ")");
                }
            }
            // No fingerprint, so no memo: the model's namespace snapshot leaves file contents out, and
            // two orders with the same namespace but different bytes must not count as one state
            // (a random race program showed a false WRONG_RESULT when they did).
            return Linearizability.Replay.fits(0);
        }

        private String resultsLine() {
            List<String> out = new ArrayList<>();
            for (TaskCall c : calls) {
                out.add(c.task() + ": " + ProgramPrinter.print(c.op()) + " => " + c.result());
            }
            return String.join("; ", out);
        }

        private int firstInFlight() {
            for (TaskCall c : inFlight) {
                if (c != null) {
                    return c.step();
                }
            }
            return program.steps().size() - 1;
        }

        private List<String> blockedNames(TaskScheduler.Result r) {
            List<String> out = new ArrayList<>();
            for (String line : r.deadlock()) {
                out.add(line.substring(0, line.indexOf(' ')));
            }
            return out;
        }

        /** The schedule as a {@code schedule} header line's SPEC: who ran at each decision, run-length encoded. */
        private String spec(TaskScheduler.Result r) {
            List<String> items = new ArrayList<>();
            List<Integer> c = r.choices();
            for (int i = 0; i < c.size(); ) {
                int j = i;
                while (j < c.size() && c.get(j).equals(c.get(i))) {
                    j++;
                }
                items.add(names.get(c.get(i)) + (j - i > 1 ? "*" + (j - i) : ""));
                i = j;
            }
            return String.join(",", items);
        }

        /** The schedule in words: which task ran, up to which point, in turn. */
        private String describe(TaskScheduler.Result r) {
            List<String> parts = new ArrayList<>();
            int last = -1;
            for (int d = 0; d < r.decisions().size(); d++) {
                int next = r.choices().get(d);
                if (next != last) {
                    TaskScheduler.Decision x = r.decisions().get(d);
                    String at;
                    if (d == 0 || x.current() < 0) {
                        at = "";
                    } else if (x.where().equals(names.get(x.current()) + " ends")) {
                        at = " (after " + names.get(x.current()) + " ended)";
                    } else {
                        at = " (when " + names.get(x.current()) + " was at " + x.where() + ")";
                    }
                    parts.add(names.get(next) + at);
                    last = next;
                }
            }
            return String.join(", then ", parts);
        }
    }
}
