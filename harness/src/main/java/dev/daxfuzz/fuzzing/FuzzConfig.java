package dev.daxfuzz.fuzzing;

import dev.daxfuzz.fs.Bug;
import dev.daxfuzz.program.Header;
import java.util.List;

/**
 * What a fuzzing campaign runs its inputs on: the daxfile design and the seeded bugs (none: the
 * correct designs), and how many crash states it checks per crash point. The platform choices
 * (persistency, sync-fault design, commit mode, device size) are in each input instead, so the
 * fuzzer explores them.
 *
 * @param daxfile the immutable-file design behind {@code daxctl}
 * @param bugs seeded bugs switched on, catalog names
 * @param maxStatesPerPoint bound on the crash states checked at one crash point
 */
public record FuzzConfig(Header.DaxfileDesign daxfile, List<String> bugs, long maxStatesPerPoint) {
    /** The default bound: enough for every catalog reproducer, small enough for thousands of execs. */
    public static final long MAX_STATES_DEFAULT = 2_000;
    /** The correct designs. */
    public static final FuzzConfig CORRECT = new FuzzConfig(Header.DaxfileDesign.SEALED, List.of(), MAX_STATES_DEFAULT);

    public FuzzConfig {
        java.util.Objects.requireNonNull(daxfile, "daxfile");
        bugs = List.copyOf(bugs);
        for (String b : bugs) {
            if (Bug.byName(b).isEmpty()) {
                throw new IllegalArgumentException("unknown bug " + b);
            }
        }
        if (maxStatesPerPoint < 1) {
            throw new IllegalArgumentException("maxStatesPerPoint must be positive");
        }
    }

    /** The header with this configuration's design and bugs. */
    public Header apply(Header h) {
        return h.withDaxfile(daxfile).withBugs(bugs);
    }

    /**
     * Reads the configuration a fuzzing JVM was started with: system properties
     * {@code daxfuzz.daxfile} ({@code sealed} or {@code rfc-v1}), {@code daxfuzz.bugs}
     * (comma-separated) and {@code daxfuzz.maxStates}, else environment variables
     * {@code DAXFUZZ_DAXFILE}, {@code DAXFUZZ_BUGS}, {@code DAXFUZZ_MAX_STATES}. Nothing set: the
     * correct designs.
     */
    public static FuzzConfig fromEnvironment() {
        String daxfile = setting("daxfuzz.daxfile", "DAXFUZZ_DAXFILE");
        String bugs = setting("daxfuzz.bugs", "DAXFUZZ_BUGS");
        String max = setting("daxfuzz.maxStates", "DAXFUZZ_MAX_STATES");
        Header.DaxfileDesign d = Header.DaxfileDesign.SEALED;
        if (daxfile != null && !daxfile.isBlank()) {
            d = java.util.Arrays.stream(Header.DaxfileDesign.values()).filter(x -> x.keyword().equals(daxfile.trim()))
                    .findFirst().orElseThrow(() -> new IllegalArgumentException("unknown daxfile design " + daxfile));
        }
        List<String> b = bugs == null || bugs.isBlank() ? List.of()
                : java.util.Arrays.stream(bugs.split(",")).map(String::trim).filter(x -> !x.isEmpty()).toList();
        long m = max == null || max.isBlank() ? MAX_STATES_DEFAULT : Long.parseLong(max.trim());
        return new FuzzConfig(d, b, m);
    }

    private static String setting(String property, String env) {
        String v = System.getProperty(property);
        return v != null ? v : System.getenv(env);
    }
}
