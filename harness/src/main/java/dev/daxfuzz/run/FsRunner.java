package dev.daxfuzz.run;

import dev.daxfuzz.fs.CallResult;
import dev.daxfuzz.fs.FsGeometry;
import dev.daxfuzz.fs.FsOptions;
import dev.daxfuzz.fs.JournalFs;
import dev.daxfuzz.fs.Recovery;
import dev.daxfuzz.oracle.CrashChecker;
import dev.daxfuzz.oracle.CrashContext;
import dev.daxfuzz.oracle.PromisedStore;
import dev.daxfuzz.oracle.StaticMap;
import dev.daxfuzz.oracle.Violation;
import dev.daxfuzz.oracle.ViolationKind;
import dev.daxfuzz.oracle.model.PosixModel;
import dev.daxfuzz.oracle.model.TreeSnapshot;
import dev.daxfuzz.pm.ByteChooser;
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
import dev.daxfuzz.fs.Site;
import dev.daxfuzz.fs.layout.InodeFormat;
import dev.daxfuzz.posix.Errno;
import dev.daxfuzz.program.FsPath;
import dev.daxfuzz.vm.AddressSpace;
import dev.daxfuzz.program.Bytes;
import dev.daxfuzz.vm.LockViolation;
import dev.daxfuzz.vm.Vma;
import it.unimi.dsi.fastutil.longs.Long2LongOpenHashMap;
import java.util.TreeMap;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.SplittableRandom;

/**
 * Runs a file-system program on the {@code journal} design and the reference model side by side,
 * crashes it, and checks every crash state.
 *
 * <p><b>Calls.</b> Each call runs on the file system and on the model; a result the model does not
 * allow is a WRONG_RESULT violation, after which the two have diverged and no further crash point
 * is checked. {@code =>} expectations are checked against the file system's result.
 *
 * <p><b>Poison.</b> A {@code read} or {@code mload} that returns bytes is checked against the
 * emulator's media, through the block map or the page table, not the file system's answer: bytes
 * that lie on a poisoned line are SILENT_CORRUPTION, reported instead of a WRONG_RESULT for the
 * same call.
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
 * distinct image. {@code maxStatesPerPoint} bounds the runs of a crash point. A {@code crash choose
 * DATA} point is not explored but sampled: one run per box, its choices read from DATA.
 *
 * <p><b>User instructions</b> ({@code mstore}, {@code mntstore}, {@code mload}, the flushes,
 * {@code persist}, the fences) run through the process's address space; they do not serialise,
 * so their crash point is at the end of the statement with the store buffer as it is. A page
 * fault is kernel code: it gets its own crash point just before its serialising return. Stores
 * through a MAP_SYNC mapping, or through a shared mapping of a static daxfile, are remembered as
 * {@link PromisedStore}s for the oracle.
 *
 * <p><b>Runtime checks</b> beside the crash checks: a lock checker's DEADLOCK or the fault core's
 * LIVELOCK ends the run (the task would hang there); after every statement the block map of each
 * static file is compared with the one it was made static with (IMMUTABLE_VIOLATED); a wrong
 * result of daxctl without CAP_LINUX_IMMUTABLE is PRIVILEGE, a static file's forbidden change
 * not refused as Linux refuses it (accepted, or stopped by a later check such as EFBIG) is
 * IMMUTABLE_VIOLATED; at the end the process exits and a reference still held on an
 * inode that nothing accounts for is a LEAK.
 */
public final class FsRunner {
    private static final int CPU = 0;
    /** Boxes of a crash point a sampled run checks before it starts skipping (see runSampled). */
    private static final long SAMPLED_BOXES = 8;

    /**
     * The default bound on crash states checked per crash point for {@code explore} and
     * {@code repro}: no crash point of the correct designs' test programs needs it.
     */
    public static final long MAX_STATES_DEFAULT = 100_000;

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
     * @param depth how deep the run took the file system and its recoveries (fuzzing feedback)
     */
    public record Result(int crashPoints, long crashStates, long distinctImages, long imagesCovered,
                         List<Found> violations, List<String> truncatedAt, List<ExpectationFailure> failures,
                         boolean diverged, Depth depth, RecoveryCrashCount recoveryCrashes) {
        public Result {
            violations = List.copyOf(violations);
            truncatedAt = List.copyOf(truncatedAt);
            failures = List.copyOf(failures);
        }
    }

    /**
     * What {@code recovery-crashes} added: images left by a crashed recovery that were recovered
     * again (at every level), and crash points whose bound (the one on their crash states) cut the
     * exploration of crashed recoveries.
     */
    public record RecoveryCrashCount(long images, long cutRecoveries) {
    }

    /**
     * Receives how far a run has got, often (after every crash state checked, and now and then
     * while a crash point's boxes are being walked): cheap to call, so a listener that prints
     * decides itself how often to. The run never depends on it.
     */
    @FunctionalInterface
    public interface ProgressListener {
        /** No progress reporting. */
        ProgressListener NONE = p -> { };

        void progress(Progress p);
    }

    /**
     * How far a run has got.
     *
     * @param statement the statement running (1-based; 0 before the first)
     * @param statements the program's statements
     * @param crashPoints crash points reached so far (the one being explored included)
     * @param crashStates crash states checked so far
     */
    public record Progress(int statement, int statements, int crashPoints, long crashStates) {
    }

    /** A violation and the number of crash states that showed it. */
    public record Found(Violation violation, long states) {
    }

    /**
     * How a crash point's states are checked. {@link Lazy} is daxfuzz's way (and the only one
     * findings come from): one run per distinguishable outcome. {@link Eager} is the naive
     * baseline the benchmark compares with: every distinct image of every box, each copied out of
     * the emulator in full and recovered from the copy, optionally only those where at most
     * {@code maxPersisted} of the writes in flight persisted (Chipmunk's k-subsets).
     */
    public sealed interface Exploration {
        /** daxfuzz's lazy exploration. */
        Exploration LAZY = new Lazy();

        /** Lazy exploration ({@link LazyImage} with a {@link DepthFirstChooser}). */
        record Lazy() implements Exploration {
        }

        /**
         * Every image, in full: {@code maxPersisted} bounds how many lines of the image hold
         * more than their least persisted content in its box ({@link #ALL} for no bound), walked
         * by a {@link dev.daxfuzz.pm.BoundedDeviationChooser}. Every in-flight write that persists
         * moves at least one line, so the images Chipmunk's subsets of at most k writes reach are
         * among these (a bug this misses, Chipmunk's k misses too, within the bound).
         */
        record Eager(int maxPersisted) implements Exploration {
            /** No bound on the persisted writes: every image (Yat, pmreorder ReorderFull). */
            public static final int ALL = Integer.MAX_VALUE;
        }
    }

    /**
     * A run with what the benchmark needs beside its result.
     *
     * @param result the run's result
     * @param writesInFlight for each crash point explored, {@link CrashPoint#writesInFlight()}
     */
    public record Measured(Result result, List<Integer> writesInFlight) {
        public Measured {
            writesInFlight = List.copyOf(writesInFlight);
        }
    }

    private FsRunner() {
    }

    /**
     * Runs {@code program} exploring crash points as {@code exploration} says, recording the
     * writes in flight at each; stops at the first violation if asked to.
     */
    public static Measured measure(Program program, long maxStatesPerPoint, Exploration exploration,
                                   boolean stopAtFirstViolation) {
        Execution e = new Execution(program, maxStatesPerPoint, FsOptions.DEFAULT, (v, n) -> !stopAtFirstViolation);
        e.exploration = exploration;
        Result r = e.run();
        return new Measured(r, e.inFlight);
    }

    /** Runs {@code program}, which must have a file system ({@code fs journal}). */
    public static Result run(Program program, long maxStatesPerPoint, Listener listener) {
        return run(program, maxStatesPerPoint, FsOptions.DEFAULT, listener);
    }

    /** Runs {@code program} on a file system built with {@code options}. */
    public static Result run(Program program, long maxStatesPerPoint, FsOptions options, Listener listener) {
        return new Execution(program, maxStatesPerPoint, options, listener).run();
    }

    /**
     * As {@link #run(Program, long, FsOptions, Listener)}, with its own bound on the images of
     * crashed recoveries explored per crash point ({@code recovery-crashes}); the others use the
     * crash-state bound for both. A fuzzer sets it low: an input is then cheap, and another input
     * reaches the recovery crashes this one left out.
     */
    public static Result run(Program program, long maxStatesPerPoint, long maxRecoveryImagesPerPoint, FsOptions options,
                             Listener listener) {
        Execution e = new Execution(program, maxStatesPerPoint, options, listener);
        e.maxRecoveryImages = maxRecoveryImagesPerPoint;
        return e.run();
    }

    /**
     * Runs {@code program} checking a sample of its crash states instead of all of them, for
     * fuzzing. At each crash point it checks every state of the point's first 8 boxes and then of
     * box i with probability 8/(i+1), drawn from {@code sampleSeed} and the point's index, up to
     * {@code maxStatesPerPoint} states checked (not skipped) in all: under
     * eADR a store of many lines makes a box per prefix of the store buffer, thousands for one
     * large write, and this keeps about 8(1 + ln(n/8)) of n. Crashed recoveries are explored up to
     * {@code maxRecoveryImagesPerPoint} images per point and {@code maxRecoveryImagesPerBarrier}
     * per barrier the recovery crashes before, so every barrier of a recovery gets a few.
     *
     * <p>Each box it keeps is explored whole, not one drawn run: drawing one state per box missed
     * bugs whose witness is one ordering among many (a commit record persisted before its log, in
     * 0 of 200 seeds). Every state it checks is a reachable crash state of the program, one that
     * {@link #run} without bounds checks too, so a violation found here is real; a sample can
     * miss a violation a full run finds, and can reach a state past a bounded run's cut. The same
     * program and seed always check the same states.
     */
    public static Result runSampled(Program program, long sampleSeed, long maxStatesPerPoint,
                                    long maxRecoveryImagesPerPoint, long maxRecoveryImagesPerBarrier, FsOptions options,
                                    Listener listener) {
        Execution e = new Execution(program, maxStatesPerPoint, options, listener);
        e.maxRecoveryImages = maxRecoveryImagesPerPoint;
        e.maxRecoveryImagesPerBarrier = maxRecoveryImagesPerBarrier;
        e.sampleSeed = sampleSeed;
        e.sampled = true;
        return e.run();
    }

    /** Runs {@code program}, telling {@code progress} how far it has got as it goes. */
    public static Result run(Program program, long maxStatesPerPoint, Listener listener, ProgressListener progress) {
        Execution e = new Execution(program, maxStatesPerPoint, FsOptions.DEFAULT, listener);
        e.progress = progress;
        return e.run();
    }

    /** The block pointers of file {@code ino} below its size (what a static file's watch compares). */
    static int[] pointers(JournalFs fs, int ino) {
        long size = fs.volume().size(ino);
        int blocks = (int) Math.min(FsGeometry.FILE_BLOCKS_MAX, (size + FsGeometry.BLOCK_BYTES - 1) / FsGeometry.BLOCK_BYTES);
        int[] p = new int[blocks];
        for (int fb = 0; fb < blocks; fb++) {
            p[fb] = fs.volume().pointer(ino, fb);
        }
        return p;
    }

    /** {@code options} with the program header's design choices and bug switches. */
    static FsOptions designed(Program program, FsOptions options) {
        java.util.EnumSet<FsOptions.Variant> variants = java.util.EnumSet.noneOf(FsOptions.Variant.class);
        variants.addAll(options.variants());
        variants.addAll(FsOptions.bugVariants(program.header().bugs()));
        return new FsOptions(options.journalBlocks(), variants, program.header().syncFault(),
                program.header().daxfile(), program.header().journalCommit());
    }

    private static final class Execution {
        private final Program program;
        private final long maxStates;
        private long maxRecoveryImages;
        private long maxRecoveryImagesPerBarrier = Long.MAX_VALUE;
        private final Listener listener;
        private final PersistentMemory pm;
        private final FsGeometry geometry;
        private final JournalFs fs;
        private final PosixModel model;
        private final CrashChecker checker;
        private final List<TreeSnapshot> snapshots = new ArrayList<>();
        private final List<String> canonicals = new ArrayList<>();
        private final FingerprintSet seen = new FingerprintSet(1024);
        /**
         * For each user page a store through a promising mapping write-faulted, the file's size
         * then: what that fault made durable, the bound on what later stores through the same
         * PTE promise (see UserSide#mstore).
         */
        private final Long2LongOpenHashMap sizeAtWriteFault = new Long2LongOpenHashMap();
        private final Map<String, Found> found = new LinkedHashMap<>();
        private Exploration exploration = Exploration.LAZY;
        private boolean sampled;
        private long sampleSeed;
        private ProgressListener progress = ProgressListener.NONE;
        private final List<Integer> inFlight = new ArrayList<>();
        private final List<String> truncated = new ArrayList<>();
        private final List<ExpectationFailure> failures = new ArrayList<>();
        private int points;
        private long states;
        private long covered;
        private boolean diverged;
        private boolean stopped;
        private final boolean explicit;
        private final List<PromisedStore> promised = new ArrayList<>();
        private final UserSide userAccesses;
        private final List<StaticMap> statics = new ArrayList<>();
        /** Model inode id -> the file system's inode and block map when it was made static. */
        private final TreeMap<Integer, StaticRecord> staticNow = new TreeMap<>();
        private int completed = -1;
        private int currentLine;

        private record StaticRecord(int fsIno, String path, int[] pointers) {
        }

        Execution(Program program, long maxStates, FsOptions options, Listener listener) {
            if (program.hasTasks()) {
                // In file order a task program is one schedule of many: TaskRunner runs them all.
                throw new IllegalArgumentException("a program with tasks: use TaskRunner");
            }
            this.program = program;
            this.maxStates = maxStates;
            this.maxRecoveryImages = maxStates;
            this.listener = listener;
            this.pm = new PersistentMemory(PmOptions.of(program.header().deviceBytes(), program.header().persistency()));
            this.geometry = FsGeometry.forDevice(program.header().deviceBytes(), options.journalBlocks());
            FsOptions designed = designed(program, options);
            this.fs = JournalFs.format(pm, geometry, designed);
            this.userAccesses = new UserSide();
            this.model = new PosixModel(FsGeometry.LIMITS, program.header().daxfile());
            this.checker = new CrashChecker(geometry, Recovery.Options.of(designed), program.header().recoveryCrashes(),
                    program.header().persistency());
            this.explicit = program.steps().stream().anyMatch(s -> s.op() instanceof Op.Crash);
            fs.mm().onFaultReturn(this::faultReturns);
            fs.nameStepsWith(k -> k >= 0 && k < program.steps().size()
                    ? "line " + program.steps().get(k).pos().line() : "statement " + (k + 1));
            record();
        }

        private void record() {
            TreeSnapshot s = model.snapshot();
            snapshots.add(s);
            canonicals.add(s.canonical());
        }

        Result run() {
            List<Step> steps = program.steps();
            try {
                for (int i = 0; i < steps.size() && !stopped; i++) {
                    runStep(i, steps.get(i));
                }
                if (!stopped && !diverged) {
                    exitAndUnmount(steps.size());
                }
            } catch (LockViolation lv) {
                reportHang(lv);
            }
            int maxInFlight = 0;
            for (int w : inFlight) {
                maxInFlight = Math.max(maxInFlight, w);
            }
            return new Result(points, states, seen.size(), covered, new ArrayList<>(found.values()), truncated,
                    failures, diverged, new Depth(fs.stats(), checker.recoveryDepth(), maxInFlight),
                    new RecoveryCrashCount(checker.recoveryCrashPoints().runs(), checker.recoveryCrashPoints().cuts()));
        }

        private void runStep(int i, Step step) {
            Op op = step.op();
            currentLine = step.pos().line();
            if (op instanceof Op.Crash c) {
                // Between calls: everything before has returned.
                explore(completed, completed, model.metadataFloor(), "at line " + step.pos().line() + " (crash)",
                        c.choices().map(d -> d.bytes().toArray()).orElse(null));
                record();
                return;
            }
            if (op instanceof Op.Fence f) {
                if (f.kind() == Op.FenceKind.SFENCE) {
                    pm.sfence(CPU, Site.USER_FENCE.at(i));
                } else {
                    pm.mfence(CPU, Site.USER_FENCE.at(i));
                }
                check(step, CallResult.OK);
                record();
                if (!explicit) {
                    explore(i, completed, model.metadataFloor(), "after line " + step.pos().line() + " ("
                            + ProgramPrinter.print(op) + ")");
                }
                completed = i;
                return;
            }
            int floorBefore = model.metadataFloor();
            boolean user = SyscallDispatch.isUserInstruction(op);
            CallResult r = user ? SyscallDispatch.access(i, op, userAccesses) : SyscallDispatch.call(i, op, fs);
            Optional<Violation> silent = silentCorruption(i, step, op, r);
            PosixModel.Verdict verdict = SyscallDispatch.statement(i, op, model).judge(r);
            record();
            check(step, r);
            silent.ifPresent(this::report);
            if (silent.isEmpty() && !verdict.accepted() && !diverged) {
                diverged = true;
                report(wrongResult(i, step, op, r, verdict));
            }
            if (op instanceof Op.Daxctl d && verdict.accepted() && r.equals(CallResult.OK)) {
                daxctlDone(i, d);
            }
            checkStaticMaps(i);
            if (!explicit) {
                String what = (user ? "after line " : "during line ") + step.pos().line() + " ("
                        + ProgramPrinter.print(op) + ")";
                explore(i, completed, floorBefore, what);
            }
            if (!user) {
                fs.endCall();
            }
            completed = i;
        }

        /**
         * The process's user instructions on the system under test: through the address space
         * of the file system's process, remembering the stores promised durable.
         */
        private final class UserSide extends PlainUserAccesses {
            UserSide() {
                super(fs);
            }

            @Override
            public CallResult mstore(int i, String map, long off, Bytes bytes, boolean nonTemporal) {
                AddressSpace mm = fs.mm();
                byte[] data = bytes.toArray();
                String why = promise(map);
                List<PromisedStore> pieces = new ArrayList<>();
                // Only bytes inside the file are promised: past EOF they are not file data. And
                // only below the size the file had when the page's writable PTE was installed: the
                // fault made that size durable (MAP_SYNC), but a later extension (an extending
                // truncate, say) does not fault the page again, so a store through the same PTE
                // past the old size can lie past the end of file after a crash, on Linux too.
                long eof = model.mappedFileSize(map);
                Vma target = mm.vma(map);
                if (why != null && target != null) {
                    long page = AddressSpace.PAGE_BYTES;
                    for (long p = off / page * page; p < off + data.length && p < target.lengthBytes(); p += page) {
                        if (!mm.writable(target.start() + p)) {
                            sizeAtWriteFault.put(target.start() + p, eof);
                        }
                    }
                }
                AddressSpace.StoreSink sink = why == null ? null : (vma, fileOffset, pmAddr, stored, prior) -> {
                    long userPage = vma.start() + (fileOffset - vma.fileOffsetBytes()) / AddressSpace.PAGE_BYTES
                            * AddressSpace.PAGE_BYTES;
                    long bound = Math.min(eof, sizeAtWriteFault.getOrDefault(userPage, eof));
                    int inFile = (int) Math.max(0, Math.min(stored.length, bound - fileOffset));
                    if (inFile > 0) {
                        pieces.add(new PromisedStore(i, model.mapping(map).orElseThrow().inodeId(), fileOffset,
                                pmAddr, java.util.Arrays.copyOf(stored, inFile), java.util.Arrays.copyOf(prior, inFile),
                                why));
                    }
                };
                AddressSpace.Access a = mm.store(map, off, data, nonTemporal, i, Site.USER_STORE.at(i), sink);
                if (a.ok()) {
                    promised.addAll(pieces);
                }
                return result(a);
            }

        }

        /**
         * The check that does not take the file system's word: when a {@code read} or an
         * {@code mload} returned bytes, none of the device lines behind them may be poisoned. The
         * runner resolves the range itself, through the block map (read) or the page table (mload),
         * and asks the emulator. A read of a hole or an unwritten extent touches no media.
         */
        private Optional<Violation> silentCorruption(int i, Step step, Op op, CallResult r) {
            if (!pm.anyPoison() || !(r instanceof CallResult.Data d) || d.bytes().length() == 0) {
                return Optional.empty();
            }
            long n = d.bytes().length();
            long hit = -1;
            long fileByte = -1;
            if (op instanceof Op.Read read) {
                int ino = fs.inodeOfDescriptor(read.fd());
                if (ino < 0) {
                    return Optional.empty();
                }
                for (dev.daxfuzz.fs.Volume.Extent x : fs.volume().extents(ino, read.off(), n)) {
                    if (x.addr() >= 0 && pm.poisoned(x.addr(), x.len())) {
                        for (long b = 0; b < x.len() && hit < 0; b++) {
                            if (pm.poisoned(x.addr() + b, 1)) {
                                hit = x.addr() + b;
                                fileByte = x.fileOffset() + b;
                            }
                        }
                        break;
                    }
                }
            } else if (op instanceof Op.MLoad load) {
                dev.daxfuzz.vm.Vma vma = fs.mm().vma(load.map());
                for (long b = 0; vma != null && b < n && hit < 0; b++) {
                    long phys = fs.mm().physical(vma.start() + load.off() + b);
                    if (phys >= 0 && pm.poisoned(phys, 1)) {
                        hit = phys;
                        fileByte = vma.fileOffsetBytes() + load.off() + b;
                    }
                }
            }
            if (hit < 0) {
                return Optional.empty();
            }
            long line = hit & -PersistentMemory.LINE_BYTES;
            String want = op instanceof Op.Read ? "EIO" : "SIGBUS";
            return Optional.of(new Violation(ViolationKind.SILENT_CORRUPTION, i, Optional.empty(), String.format(
                    "`%s` returned %d bytes, though file byte %d lies on device line 0x%x, which is poisoned",
                    ProgramPrinter.print(op), n, fileByte, line),
                    List.of(want + " (the media under file byte " + fileByte + " is poisoned)"),
                    List.of(r.toString()), Optional.empty()));
        }

        /** Why a store through {@code map} is promised durable once flushed, or null. */
        private String promise(String map) {
            Optional<PosixModel.MappingView> m = model.mapping(map);
            if (m.isEmpty() || !m.get().shared() || !m.get().writable()) {
                return null;
            }
            if (m.get().sync()) {
                return "MAP_SYNC";
            }
            return model.isStatic(m.get().inodeId()) ? "static daxfile" : null;
        }

        /** A page fault is about to return to user space: its own crash point. */
        private void faultReturns(int step) {
            if (!explicit && !stopped) {
                explore(completed, completed, model.metadataFloor(), "inside the page fault of line " + currentLine);
            }
        }

        private Violation wrongResult(int i, Step step, Op op, CallResult r, PosixModel.Verdict verdict) {
            ViolationKind kind = ViolationKind.WRONG_RESULT;
            // Linux checks the immutable/swapfile flag and the capability before anything else the
            // call could fail on (notify_change and vfs_fallocate test IS_IMMUTABLE before
            // inode_newsize_ok's EFBIG), so any other result, success or another errno, means the
            // file system skipped that check: one violation of one promise, whatever stopped the call.
            boolean refused = verdict.expected() instanceof CallResult.Failed f
                    && (f.errno() == Errno.EPERM || f.errno() == Errno.ETXTBSY) && !r.equals(verdict.expected());
            if (refused && op instanceof Op.Daxctl && !model.hasCapability("CAP_LINUX_IMMUTABLE")) {
                kind = ViolationKind.PRIVILEGE;
            } else if (refused && (op instanceof Op.Truncate || op instanceof Op.Fallocate || op instanceof Op.Write
                    || op instanceof Op.Open || op instanceof Op.Unlink || op instanceof Op.Rename)) {
                kind = ViolationKind.IMMUTABLE_VIOLATED;
            }
            return new Violation(kind, i, Optional.empty(), "line " + step.pos().line() + ": `"
                    + ProgramPrinter.print(op) + "` returned " + r + " where Linux returns " + verdict.expected(),
                    List.of(String.valueOf(verdict.expected())), List.of(String.valueOf(r)), Optional.empty());
        }

        /** A daxctl that succeeded: start or stop watching the file's block map. */
        private void daxctlDone(int i, Op.Daxctl d) {
            int ino = fs.inodeOf(d.path());
            java.util.OptionalInt modelIno = modelInodeOf(d.path());
            if (ino < 0 || modelIno.isEmpty()) {
                return;
            }
            if (d.action() == Op.DaxctlAction.STATIC && model.isStatic(modelIno.getAsInt())) {
                int[] ptrs = pointers(ino);
                staticNow.put(modelIno.getAsInt(), new StaticRecord(ino, d.path().toString(), ptrs));
                if (program.header().daxfile() == dev.daxfuzz.program.Header.DaxfileDesign.SEALED) {
                    statics.add(new StaticMap(i, d.path().toString(), ino, ptrs));
                    for (int fb = 0; fb < ptrs.length; fb++) {
                        if (!InodeFormat.allocated(ptrs[fb]) || InodeFormat.unwritten(ptrs[fb])) {
                            report(new Violation(ViolationKind.IMMUTABLE_VIOLATED, i, Optional.empty(),
                                    "line " + currentLine + ": sealing left block " + fb + " of " + d.path()
                                            + (InodeFormat.allocated(ptrs[fb]) ? " unwritten" : " a hole")
                                            + ": the frozen map is not fully allocated and written",
                                    List.of(d.path() + " block " + fb + " -> a written block"),
                                    List.of(d.path() + " block " + fb + " -> " + (InodeFormat.allocated(ptrs[fb])
                                            ? "block " + InodeFormat.blockOf(ptrs[fb]) + " (unwritten)" : "hole")),
                                    Optional.empty()));
                            break;
                        }
                    }
                }
            }
        }

        private java.util.OptionalInt modelInodeOf(FsPath path) {
            for (dev.daxfuzz.oracle.model.TreeSnapshot.Entry e : model.snapshot().entries()) {
                if (e.path().equals(path.toString())) {
                    return java.util.OptionalInt.of(e.inodeId());
                }
            }
            return java.util.OptionalInt.empty();
        }

        private int[] pointers(int ino) {
            return FsRunner.pointers(fs, ino);
        }

        /** After every statement: a static file's block map is the one it was made static with. */
        private void checkStaticMaps(int i) {
            if (staticNow.isEmpty()) {
                return;
            }
            for (Integer id : new ArrayList<>(staticNow.keySet())) {
                StaticRecord rec = staticNow.get(id);
                if (!model.isStatic(id)) {
                    staticNow.remove(id);
                    continue;
                }
                int[] now = fs.volume().mode(rec.fsIno()) == InodeFormat.MODE_FILE ? pointers(rec.fsIno()) : new int[0];
                if (!sameMap(now, rec.pointers())) {
                    List<String> want = new ArrayList<>();
                    List<String> got = new ArrayList<>();
                    for (int fb = 0; fb < Math.max(now.length, rec.pointers().length); fb++) {
                        want.add(rec.path() + " block " + fb + " -> " + describe(fb < rec.pointers().length ? rec.pointers()[fb] : 0));
                        got.add(rec.path() + " block " + fb + " -> " + describe(fb < now.length ? now[fb] : 0));
                    }
                    report(new Violation(ViolationKind.IMMUTABLE_VIOLATED, i, Optional.empty(), "line " + currentLine
                            + " changed the block map of static file " + rec.path(), want, got, Optional.empty()));
                    staticNow.put(id, new StaticRecord(rec.fsIno(), rec.path(), now));
                }
            }
        }

        /** Equal block maps, a missing tail counting as holes (a size change alone maps nothing). */
        private static boolean sameMap(int[] a, int[] b) {
            for (int i = 0; i < Math.max(a.length, b.length); i++) {
                if ((i < a.length ? a[i] : 0) != (i < b.length ? b[i] : 0)) {
                    return false;
                }
            }
            return true;
        }

        private static String describe(int ptr) {
            if (!InodeFormat.allocated(ptr)) {
                return "hole";
            }
            return "block " + InodeFormat.blockOf(ptr) + (InodeFormat.unwritten(ptr) ? " (unwritten)" : "");
        }

        /** Process exit and unmount: a reference nothing accounts for is a LEAK. */
        private void exitAndUnmount(int stepIndex) {
            fs.exitProcess(stepIndex);
            java.util.SortedMap<Integer, Integer> busy = fs.busyInodes();
            for (java.util.Map.Entry<Integer, Integer> e : busy.entrySet()) {
                int allowed = 0;
                for (java.util.Map.Entry<Integer, StaticRecord> s : staticNow.entrySet()) {
                    if (s.getValue().fsIno() == e.getKey() && model.isStatic(s.getKey())
                            && program.header().daxfile() == dev.daxfuzz.program.Header.DaxfileDesign.RFC_V1) {
                        allowed = 1;
                    }
                }
                if (e.getValue() > allowed) {
                    int last = program.steps().size() - 1;
                    report(new Violation(ViolationKind.LEAK, last, Optional.of("at unmount"), "inode " + e.getKey()
                            + " still has " + e.getValue() + (e.getValue() == 1 ? " reference" : " references")
                            + " after every descriptor was closed and every mapping unmapped"
                            + (allowed == 1 ? " (one is the pin of its daxfile flag)" : ""),
                            List.of("inode " + e.getKey() + ": " + allowed + " references"),
                            List.of("inode " + e.getKey() + ": " + e.getValue() + " references"), Optional.empty()));
                }
            }
        }

        private void reportHang(LockViolation lv) {
            diverged = true;
            ViolationKind kind = lv.kind() == LockViolation.Kind.DEADLOCK ? ViolationKind.DEADLOCK : ViolationKind.LIVELOCK;
            int step = Math.max(0, Math.min(completed + 1, program.steps().size() - 1));
            report(new Violation(kind, step, Optional.empty(), lv.getMessage(), List.of("the statement completes"),
                    List.of("it waits forever"), Optional.empty(), lv.explanation()));
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
            explore(current, completedThrough, floor, description, null);
        }

        /**
         * Checks the crash point's states: all of them, or with {@code choices} ({@code crash
         * choose}) one per box, drawn by a {@link ByteChooser} that reads the choices in order
         * across the boxes.
         */
        private void explore(int current, int completedThrough, int floor, String description, byte[] choices) {
            if (diverged || stopped) {
                return;
            }
            int index = points++;
            CrashContext ctx = new CrashContext(index, description, current, completedThrough, floor,
                    List.copyOf(snapshots), model::events, List.copyOf(promised), List.copyOf(statics),
                    k -> program.steps().get(k).pos().line());
            CrashPoint cp = pm.crashPoint();
            checker.startCrashPoint(maxRecoveryImages, maxRecoveryImagesPerBarrier);
            inFlight.add(cp.writesInFlight());
            long[] runs = {0};
            boolean[] cut = {false};
            if (exploration instanceof Exploration.Eager eager && choices == null) {
                exploreEagerly(cp, ctx, eager.maxPersisted(), runs, cut);
                states += runs[0];
                if (cut[0]) {
                    truncated.add(description);
                }
                return;
            }
            ByteChooser drawn = choices == null ? null : new ByteChooser(choices);
            SplittableRandom boxDraw = sampled && choices == null ? new SplittableRandom(sampleSeed * 31 + index) : null;
            long[] boxes = {0};
            cp.forEachBox(() -> tick(runs[0]), box -> {
                if (boxDraw != null) {
                    // A store of many lines makes as many boxes as it has pieces (eADR: every
                    // prefix of the buffer): check the first few and then fewer and fewer, box i
                    // with probability k/i, about k(1 + ln(n/k)) of n in all.
                    long i = boxes[0]++;
                    if (i >= SAMPLED_BOXES && boxDraw.nextLong(i + 1) >= SAMPLED_BOXES) {
                        return true;
                    }
                }
                if (drawn != null) {
                    LazyImage image = new LazyImage(box, drawn);
                    Optional<Violation> v = checker.check(image, ctx, canonicals);
                    runs[0]++;
                    covered = saturatingAdd(covered, image.imagesStoodFor());
                    seen.add(image.observation1(), image.observation2());
                    v.ifPresent(w -> report(w.withProvenance(image.provenance())));
                    return !stopped;
                }
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
                    tick(runs[0]);
                    if (v.isPresent()) {
                        Violation w = v.get();
                        report(w.withProvenance(image.provenance()));
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

        /**
         * The naive baseline: each distinct image of each box copied out in full (reading every
         * byte resolves every line, so the chooser walks every combination) and checked from the
         * copy, which recovery then reads in full.
         */
        private void exploreEagerly(CrashPoint cp, CrashContext ctx, int maxPersisted, long[] runs, boolean[] cut) {
            boolean all = maxPersisted == Exploration.Eager.ALL;
            cp.forEachBox(box -> {
                // Reading a whole image makes one choice per line in flight, so the bounded
                // chooser's deviations are lines away from their least persisted content.
                DepthFirstChooser every = all ? new DepthFirstChooser() : null;
                dev.daxfuzz.pm.BoundedDeviationChooser near = all ? null
                        : new dev.daxfuzz.pm.BoundedDeviationChooser(maxPersisted);
                do {
                    if (runs[0] >= maxStates) {
                        cut[0] = true;
                        return false;
                    }
                    LazyImage lazy = new LazyImage(box, all ? every : near);
                    byte[] copy = lazy.toBytes();
                    Optional<Violation> v = checker.check(new dev.daxfuzz.pm.ByteImage(copy), ctx, canonicals);
                    runs[0]++;
                    covered = saturatingAdd(covered, 1);
                    seen.add(lazy.observation1(), lazy.observation2());
                    if (v.isPresent()) {
                        report(v.get().withProvenance(lazy.provenance()));
                    }
                } while (all ? every.advance() : near.advance());
                return true;
            });
        }

        private void tick(long statesOfThisPoint) {
            // The statement after the last completed one is the one running (1-based).
            progress.progress(new Progress(Math.min(completed + 2, program.steps().size()), program.steps().size(),
                    points, states + statesOfThisPoint));
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
