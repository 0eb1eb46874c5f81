package dev.daxfuzz.run;

import dev.daxfuzz.fs.CallResult;
import dev.daxfuzz.pm.CrashPoint;
import dev.daxfuzz.pm.CrashState;
import dev.daxfuzz.pm.EnumerationResult;
import dev.daxfuzz.pm.FingerprintSet;
import dev.daxfuzz.pm.PersistentMemory;
import dev.daxfuzz.pm.PmOptions;
import dev.daxfuzz.program.Bytes;
import dev.daxfuzz.program.Expectation;
import dev.daxfuzz.program.Op;
import dev.daxfuzz.program.Program;
import dev.daxfuzz.program.ProgramPrinter;
import dev.daxfuzz.program.Step;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Runs an {@code fs none} program on the persistent-memory emulator (one CPU) and hands every
 * crash state of its crash points to a visitor.
 *
 * <p>Crash points are the program's {@code crash} statements. A program without any is crashed
 * just before every {@code mfence} and at its end: between those points the set of reachable
 * images only grows (a crash later can always leave the younger entries in the store buffer),
 * and only an mfence, by draining the buffer, removes images. So these points cover every
 * instant of the program. Each distinct image is visited once per crash point; the run-wide
 * count of distinct images is kept too.
 *
 * <p>Statement sites passed to the emulator are statement indexes, so provenance names the
 * statement (and through {@link Step#pos()} its line).
 *
 * <p>{@code poison ADDR LEN} poisons device lines ({@link PersistentMemory#poison}); a later
 * {@code load} that touches one returns SIGBUS (a machine check in user mode) and no bytes. Crash
 * outcomes are otherwise unaffected: the poison set is part of every later crash image.
 */
public final class RawDeviceRunner {
    private static final int CPU = 0;

    /** Receives the crash states; return false to stop the run. */
    @FunctionalInterface
    public interface Visitor {
        boolean visit(CrashPointInfo point, CrashState state);
    }

    /**
     * Where a crash point sits.
     *
     * @param index crash point number, from 0
     * @param stepIndex the statement it is at ({@code crash}) or before (an mfence), or the
     *     number of statements for the end of the program
     * @param description e.g. "line 7 (crash)", "before line 5 (mfence)", "end of program"
     */
    public record CrashPointInfo(int index, int stepIndex, String description) {
    }

    /**
     * The outcome of a run.
     *
     * @param crashPoints crash points explored
     * @param crashStates distinct images summed over crash points
     * @param distinctImages distinct images over the whole run
     * @param truncatedAt crash points where {@code maxStates} cut the enumeration
     * @param failures expectations that did not hold
     * @param stopped true when the visitor stopped the run early
     */
    public record Result(int crashPoints, long crashStates, long distinctImages, List<CrashPointInfo> truncatedAt,
                         List<ExpectationFailure> failures, boolean stopped) {
        public Result {
            truncatedAt = List.copyOf(truncatedAt);
            failures = List.copyOf(failures);
        }
    }

    private RawDeviceRunner() {
    }

    /** Runs {@code program}, which must be an {@code fs none} program. */
    public static Result run(Program program, long maxStatesPerPoint, Visitor visitor) {
        if (!program.header().rawDevice()) {
            throw new IllegalArgumentException("not an fs none program");
        }
        PersistentMemory pm = new PersistentMemory(
                PmOptions.of(program.header().deviceBytes(), program.header().persistency()));
        List<Step> steps = program.steps();
        boolean explicit = steps.stream().anyMatch(s -> s.op() instanceof Op.Crash);
        FingerprintSet runSeen = new FingerprintSet(1024);
        List<CrashPointInfo> truncated = new ArrayList<>();
        List<ExpectationFailure> failures = new ArrayList<>();
        int points = 0;
        long states = 0;
        for (int i = 0; i <= steps.size(); i++) {
            Step step = i < steps.size() ? steps.get(i) : null;
            CrashPointInfo info = null;
            if (step == null && !explicit) {
                info = new CrashPointInfo(points, i, "end of program");
            } else if (step != null && step.op() instanceof Op.Crash) {
                info = new CrashPointInfo(points, i, "line " + step.pos().line() + " (crash)");
            } else if (step != null && !explicit && step.op() instanceof Op.Fence f
                    && f.kind() == Op.FenceKind.MFENCE) {
                info = new CrashPointInfo(points, i, "before line " + step.pos().line() + " (mfence)");
            }
            if (info != null) {
                points++;
                CrashPoint cp = pm.crashPoint();
                final CrashPointInfo at = info;
                EnumerationResult e = cp.enumerate(maxStatesPerPoint, runSeen, s -> visitor.visit(at, s));
                states += e.states();
                if (e.truncated()) {
                    truncated.add(info);
                }
                if (e.stopped()) {
                    return new Result(points, states, runSeen.size(), truncated, failures, true);
                }
            }
            if (step != null) {
                execute(pm, step, i).ifPresent(failures::add);
            }
        }
        return new Result(points, states, runSeen.size(), truncated, failures, false);
    }

    private static Optional<ExpectationFailure> execute(PersistentMemory pm, Step step, int site) {
        Op op = step.op();
        Bytes loaded = null;
        boolean machineCheck = false;
        if (op instanceof Op.Store s) {
            byte[] b = s.data().bytes().toArray();
            pm.store(CPU, s.addr(), b, 0, b.length, site);
        } else if (op instanceof Op.NtStore s) {
            byte[] b = s.data().bytes().toArray();
            pm.ntStore(CPU, s.addr(), b, 0, b.length, site);
        } else if (op instanceof Op.Flush f) {
            switch (f.kind()) {
                case CLFLUSH -> pm.clflush(CPU, f.addr(), site);
                case CLFLUSHOPT -> pm.clflushopt(CPU, f.addr(), site);
                case CLWB -> pm.clwb(CPU, f.addr(), site);
                default -> throw new AssertionError(f.kind());
            }
        } else if (op instanceof Op.Fence f) {
            if (f.kind() == Op.FenceKind.SFENCE) {
                pm.sfence(CPU, site);
            } else {
                pm.mfence(CPU, site);
            }
        } else if (op instanceof Op.Load l) {
            if (pm.poisoned(l.addr(), l.len())) {
                // A load that consumes poison takes a machine check: in user mode, SIGBUS.
                machineCheck = true;
            } else {
                byte[] b = new byte[Math.toIntExact(l.len())];
                pm.load(CPU, l.addr(), b, 0, b.length);
                loaded = Bytes.of(b);
            }
        } else if (op instanceof Op.PoisonDevice p) {
            pm.poison(p.addr(), p.len());
        } else if (!(op instanceof Op.Crash)) {
            throw new IllegalArgumentException("'" + op.keyword() + "' needs a file system");
        }
        if (step.expectation().isEmpty()) {
            return Optional.empty();
        }
        Expectation want = step.expectation().get();
        CallResult actual = machineCheck ? CallResult.SIGBUS : loaded != null ? new CallResult.Data(loaded) : CallResult.OK;
        if (Results.matches(want, actual)) {
            return Optional.empty();
        }
        return Optional.of(new ExpectationFailure(step.pos(), ProgramPrinter.print(step), Results.describe(want),
                actual.toString()));
    }
}
