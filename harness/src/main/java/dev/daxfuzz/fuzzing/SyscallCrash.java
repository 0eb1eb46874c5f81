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
