package dev.daxfuzz.fuzzing;

import dev.daxfuzz.fs.FsGeometry;
import dev.daxfuzz.fs.FsOptions;
import dev.daxfuzz.oracle.Violation;
import dev.daxfuzz.oracle.ViolationReport;
import dev.daxfuzz.program.Program;
import dev.daxfuzz.program.ProgramPrinter;
import dev.daxfuzz.run.FsRunner;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
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

    /** Decodes {@code input} under {@code config} and checks it. */
    public static Outcome check(byte[] input, FuzzConfig config) {
        return check(ByteCodec.decode(input, config), config);
    }

    /** Checks {@code program} (its header already names the design and bugs). */
    public static Outcome check(Program program, FuzzConfig config) {
        FsRunner.Result r = FsRunner.run(program, config.maxStatesPerPoint(), FsOptions.DEFAULT, (v, n) -> false);
        return new Outcome(program, r);
    }

    /**
     * The deduplication token of a violation: a hash of its kind, the oracle that judged it (the
     * fsck invariant for FSCK) and its code location (the operation in progress and whether the
     * power failed during it, between calls, at unmount, or not at all), never of messages, line
     * numbers or data, so that two inputs hitting one bug share a token.
     */
    public static String token(Program program, Violation v) {
        String oracle = switch (v.kind()) {
            case FSCK -> v.actual().isEmpty() ? "fsck" : v.actual().get(0).split(":", 2)[0];
            default -> v.kind().name();
        };
        String op = v.step() >= 0 && v.step() < program.steps().size()
                ? ProgramPrinter.print(program.steps().get(v.step()).op()).split(" ", 2)[0] : "program";
        String where = v.crashPoint().map(SyscallCrash::crashClass).orElse("result");
        String key = v.kind().name() + "|" + oracle + "|" + op + "|" + where;
        try {
            byte[] h = MessageDigest.getInstance("SHA-256").digest(key.getBytes(StandardCharsets.UTF_8));
            return v.kind().name().toLowerCase(java.util.Locale.ROOT).replace('_', '-') + "-"
                    + HexFormat.of().formatHex(h, 0, 6);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
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

    /** The violation explained, with a {@code reproduce with:} line. */
    public static String report(Program program, Violation v, long states, String reproduce) {
        return new ViolationReport(program, FsGeometry.forDevice(program.header().deviceBytes(), 0), reproduce)
                .render(v, 1, states);
    }
}
