package dev.daxfuzz.cli;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * How {@code fuzz} and {@code cmin} start Jazzer's standalone driver: a child JVM on the fuzz
 * module's test class path (which the {@code daxfuzz} launcher builds and passes in
 * {@code DAXFUZZ_FUZZ_CP}), with the instrumentation restricted to daxfuzz's own classes and the
 * campaign's design passed as system properties (they reach -fork children too).
 */
final class JazzerDriver {
    /**
     * Fuzz targets by command-line name: target class of the fuzz module, and for a JUnit
     * {@code @FuzzTest} without a static entry point, {@code #method}.
     */
    static final java.util.SortedMap<String, String> TARGETS = new java.util.TreeMap<>(java.util.Map.of(
            "syscall-crash", "dev.daxfuzz.fuzz.SyscallCrashFuzzTest",
            "syscall-crash-typed", "dev.daxfuzz.fuzz.SyscallCrashTypedFuzzTest#ops",
            "recovery", "dev.daxfuzz.fuzz.RecoveryFuzzTest",
            "pm-model", "dev.daxfuzz.fuzz.PersistencyFuzzTest#fastEnumeratorMatchesReference"));

    private JazzerDriver() {
    }

    /**
     * The repository the launcher ran from ({@code DAXFUZZ_ROOT}, or the system property
     * {@code daxfuzz.root} for tests that run the command line in-process), else the current
     * directory.
     */
    static Path root() {
        String r = System.getProperty("daxfuzz.root", System.getenv("DAXFUZZ_ROOT"));
        return r == null || r.isBlank() ? Path.of("") : Path.of(r);
    }

    /** The fuzz targets' class path: {@code DAXFUZZ_FUZZ_CP}, or the property {@code daxfuzz.fuzzClassPath}. */
    static String classPath() {
        String cp = System.getProperty("daxfuzz.fuzzClassPath", System.getenv("DAXFUZZ_FUZZ_CP"));
        if (cp == null || cp.isBlank()) {
            throw new UsageException("the fuzz targets' class path is not set: run this command through the ./daxfuzz"
                    + " launcher, which builds the fuzz module and sets DAXFUZZ_FUZZ_CP");
        }
        return cp;
    }

    static String targetClass(String target) {
        String c = TARGETS.get(target);
        if (c == null) {
            throw new UsageException("--target " + target + ": unknown target; targets: " + String.join(", ", TARGETS.keySet()));
        }
        return c;
    }

    /**
     * How a campaign searches. {@code STRUCTURED} (the default): coverage counters only in the code
     * under test (the file system and the memory-management model for the syscall targets, the
     * file system for {@code recovery}, the emulator for {@code pm-model}), no comparison tracing,
     * depth feedback, a statement dictionary and generated seeds. {@code CLASSIC}: what daxfuzz did
     * before, kept for measuring the difference: every daxfuzz class instrumented (the emulator's
     * and the oracles' loops included) with Jazzer's default comparison tracing, and nothing else.
     */
    enum Search {
        STRUCTURED, CLASSIC;

        /** The command-line spelling. */
        String keyword() {
            return name().toLowerCase(java.util.Locale.ROOT);
        }
    }

    /** The classes whose coverage guides a {@code STRUCTURED} campaign of {@code target}. */
    static String instrumented(String target) {
        return switch (target) {
            case "recovery" -> "dev.daxfuzz.fs.**";
            case "pm-model" -> "dev.daxfuzz.pm.**";
            default -> "dev.daxfuzz.fs.**:dev.daxfuzz.vm.**";
        };
    }

    static List<String> command(String target, List<String> systemProperties, List<String> args) {
        return command(target, Search.STRUCTURED, systemProperties, args);
    }

    static List<String> command(String target, Search search, List<String> systemProperties, List<String> args) {
        List<String> cmd = new ArrayList<>();
        cmd.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        cmd.add("-Xmx2g");
        cmd.addAll(systemProperties);
        cmd.add("-cp");
        cmd.add(classPath());
        cmd.add("com.code_intelligence.jazzer.Jazzer");
        String[] t = targetClass(target).split("#");
        cmd.add("--target_class=" + t[0]);
        if (t.length > 1) {
            cmd.add("--target_method=" + t[1]);
        }
        if (search == Search.CLASSIC) {
            cmd.add("--instrumentation_includes=dev.daxfuzz.**");
        } else {
            // Counters in the emulator's and the oracles' loops made every execution several times
            // dearer and rewarded nothing about the system under test (measured in the README).
            cmd.add("--instrumentation_includes=" + instrumented(target));
            cmd.add("--trace=cov");
        }
        cmd.addAll(args);
        return cmd;
    }
}
