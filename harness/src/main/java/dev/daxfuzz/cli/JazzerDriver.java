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

    static List<String> command(String target, List<String> systemProperties, List<String> args) {
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
        cmd.add("--instrumentation_includes=dev.daxfuzz.**");
        cmd.addAll(args);
        return cmd;
    }
}
