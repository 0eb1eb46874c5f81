package dev.daxfuzz.fuzzing;

import dev.daxfuzz.oracle.Violation;
import dev.daxfuzz.program.Program;
import java.util.Optional;

/**
 * What happens to a failing input before anyone decides whether it is new: replay it under the
 * campaign's configuration, minimise it (within a budget of candidate runs, so the same input
 * always gives the same result), and sign the minimised reproducer ({@link Signature}). Two
 * inputs of one bug minimise to programs with one signature, so they make one finding.
 */
public final class Triage {
    /**
     * Candidate runs a campaign spends minimising one failing input: a 40-statement input needs
     * a few hundred at most; the bound keeps a pathological one from stalling the campaign.
     */
    public static final int MINIMIZE_RUNS = 600;

    private Triage() {
    }

    /**
     * A failing input, triaged.
     *
     * @param raw the input as the fuzzer found it
     * @param decoded what it decodes to under the configuration
     * @param minimized the smallest program found with the same kind of violation and check
     * @param violation the minimised program's first violation
     * @param token the finding token ({@link Signature#token})
     * @param runs candidate programs the minimiser ran
     * @param budgetExhausted true when the budget ran out (smaller, perhaps not minimal)
     */
    public record Triaged(byte[] raw, Program decoded, Program minimized, Violation violation, String token, int runs,
                          boolean budgetExhausted) {
    }

    /** Triages {@code raw}; empty when it shows no violation under {@code config}. */
    public static Optional<Triaged> of(byte[] raw, FuzzConfig config, int maxRuns) {
        return of(raw, ByteCodec.decode(raw, config), config, maxRuns);
    }

    /** Triages a program (a hand-written or decoded one); {@code raw} may be null. */
    public static Optional<Triaged> of(byte[] raw, Program program, FuzzConfig config, int maxRuns) {
        return Minimizer.minimize(program, config, maxRuns).map(m -> new Triaged(raw, program, m.program(),
                m.violation(), Signature.token(m.program(), m.violation()), m.runs(), m.budgetExhausted()));
    }
}
