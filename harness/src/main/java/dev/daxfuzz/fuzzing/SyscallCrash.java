package dev.daxfuzz.fuzzing;

import dev.daxfuzz.fs.FsOptions;
import dev.daxfuzz.oracle.Violation;
import dev.daxfuzz.program.Program;
import dev.daxfuzz.program.ProgramPrinter;
import dev.daxfuzz.run.FsRunner;
import java.util.Optional;

/**
 * The one entry point the {@code SyscallCrash} fuzz targets, {@code explore}-style replays, the
 * minimiser and the tests share: run a program on the configured design, crash it at every crash
 * point, check every crash state with every oracle, and stop at the first violation.
 */
public final class SyscallCrash {
    private SyscallCrash() {
    }

    /**
     * What one input did.
     *
     * @param program the program that ran
     * @param result the run (stopped at the first violation)
     */
    public record Outcome(Program program, FsRunner.Result result) {
        /** The first violation, if any. */
        public Optional<Violation> violation() {
            return result.violations().isEmpty() ? Optional.empty() : Optional.of(result.violations().get(0).violation());
        }

        /** Crash states checked. */
        public long crashStates() {
            return result.crashStates();
        }
    }

    /**
     * Images of crashed recoveries an execution explores per crash point. A campaign's inputs
     * with {@code recovery-crashes} cost up to seconds each when explored whole, and coverage
     * guidance keeps them; bounded, they cost a few times an input without, and the seeds and
     * reproducers that need more are replayed whole by {@code explore} and {@code repro}.
     */
    public static final long RECOVERY_IMAGES_PER_POINT = 64;

    /** Decodes {@code input} under {@code config} and checks it. */
    public static Outcome check(byte[] input, FuzzConfig config) {
        return check(ByteCodec.decode(input, config), config);
    }

    /**
     * Images of crashed recoveries a sampled execution ({@link #sample}) explores per crash
     * point, and per barrier of the recovery: with 2 per barrier, every catalog reproducer is
     * still caught on each of 20 sample seeds; with 4 per point and no bound per barrier, the
     * first barrier took them all and a non-idempotent orphan cleanup was missed.
     */
    public static final long SAMPLED_RECOVERY_IMAGES_PER_POINT = 8;
    /** See {@link #SAMPLED_RECOVERY_IMAGES_PER_POINT}. */
    public static final long SAMPLED_RECOVERY_IMAGES_PER_BARRIER = 2;

    /**
     * Programs this short are counted apart in a campaign's speed figures (the fuzz target's
     * counters, {@code daxfuzz fuzz}'s summary): the goal for short programs is measured on them.
     */
    public static final int SHORT_STATEMENTS = 8;

    /**
     * Decodes {@code input} and checks a sample of its crash states ({@link #sample(Program,
     * FuzzConfig)}): what the fuzz target does for every input.
     */
    public static Outcome sample(byte[] input, FuzzConfig config) {
        return sample(ByteCodec.decode(input, config), config);
    }

    /**
     * Checks a sample of {@code program}'s crash states ({@link FsRunner#runSampled}), at most
     * the configuration's bound per crash point, drawn with a seed hashed from the program's
     * text: the same program always checks the same states, wherever it came from, so a
     * violation the fuzz target saw is seen again by {@link #confirm} when a campaign triages the
     * input. Every state it checks is a reachable crash state, so a violation it reports is real.
     */
    public static Outcome sample(Program program, FuzzConfig config) {
        FsRunner.Result r = FsRunner.runSampled(program, seedOf(ProgramPrinter.print(program)),
                config.maxStatesPerPoint(), SAMPLED_RECOVERY_IMAGES_PER_POINT, SAMPLED_RECOVERY_IMAGES_PER_BARRIER,
                FsOptions.DEFAULT, (v, n) -> false);
        return new Outcome(program, r);
    }

    /**
     * What triage and the minimiser check: every crash state within the configuration's bounds
     * ({@link #check(Program, FuzzConfig)}), and when those show nothing, the sample the fuzz
     * target checked ({@link #sample(Program, FuzzConfig)}), which can reach states past the
     * bounds (a box far into a crash point, a barrier late in a crashed recovery). A violation
     * either shows is real; a campaign needs both so that no input that failed under the driver
     * is lost as unreproduced.
     */
    public static Outcome confirm(Program program, FuzzConfig config) {
        Outcome all = check(program, config);
        return all.violation().isPresent() ? all : sample(program, config);
    }

    /** Decodes {@code input} and confirms it ({@link #confirm(Program, FuzzConfig)}). */
    public static Outcome confirm(byte[] input, FuzzConfig config) {
        return confirm(ByteCodec.decode(input, config), config);
    }

    /** A 64-bit FNV-1a hash of {@code text}'s UTF-16 units, spread: a sample's seed. */
    static long seedOf(String text) {
        long h = 0xcbf29ce484222325L;
        for (int i = 0; i < text.length(); i++) {
            h = (h ^ text.charAt(i)) * 0x100000001b3L;
        }
        return h ^ (h >>> 29);
    }

    /** Checks {@code program} (its header already names the design and bugs). */
    public static Outcome check(Program program, FuzzConfig config) {
        FsRunner.Result r = FsRunner.run(program, config.maxStatesPerPoint(), RECOVERY_IMAGES_PER_POINT,
                FsOptions.DEFAULT, (v, n) -> false);
        return new Outcome(program, r);
    }

    /**
     * The key under which a fuzz target reports a violation to libFuzzer, which stops reporting
     * inputs whose key it has seen (it deduplicates by stack trace, and the target names its
     * single frame after this key): a hash of the kind, the check that failed ({@link
     * Signature#verdict}), the operation in progress and whether power failed during it, between
     * calls or at unmount. It is deliberately finer than a finding's token: a campaign must not
     * miss a second bug because the first shared its kind, and the finding token, which is
     * computed from the minimised reproducer ({@link Signature}), merges what this key splits.
     */
    public static String dedupKey(Program program, Violation v) {
        String op = v.step() >= 0 && v.step() < program.steps().size()
                ? ProgramPrinter.print(program.steps().get(v.step()).op()).split(" ", 2)[0] : "program";
        String where = v.crashPoint().map(SyscallCrash::crashClass).orElse("result");
        return Signature.tokenOf(v.kind().name(), v.kind().name() + "|" + Signature.verdict(v) + "|" + op + "|" + where);
    }

    private static String crashClass(String crashPoint) {
        if (crashPoint.startsWith("during")) {
            return "during";
        } else if (crashPoint.startsWith("after")) {
            return "after";
        } else if (crashPoint.contains("unmount")) {
            return "unmount";
        } else if (crashPoint.contains("(crash)")) {
            return "crash";
        }
        return crashPoint.split(" ", 2)[0];
    }
}
