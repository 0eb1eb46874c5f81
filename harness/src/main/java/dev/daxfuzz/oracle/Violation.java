package dev.daxfuzz.oracle;

import dev.daxfuzz.pm.Provenance;
import java.util.List;
import java.util.Optional;

/**
 * A computed violation, before anyone explains it: what kind, where, what was expected and what
 * was seen. {@link ViolationReport} turns it into words.
 *
 * @param kind the taxonomy entry
 * @param step the statement it is about (the call in progress, or the call that returned wrongly)
 * @param crashPoint the crash point's description, or empty for a wrong result
 * @param summary one sentence
 * @param expected what the model allows, in lines a diff can show
 * @param actual what recovery (or the call) showed, in the same notation
 * @param provenance how the crash image came about, when there is one
 * @param argument the reasoning in sentences, when the finder computed it (lock checker); empty
 *     when the report derives it from the kind
 * @param recoveryCrashes when power failed again while recovery ran ({@code recovery-crashes}),
 *     each recovery crash point in order, after the program's crash point; empty otherwise
 */
public record Violation(ViolationKind kind, int step, Optional<String> crashPoint, String summary,
                        List<String> expected, List<String> actual, Optional<Provenance> provenance,
                        List<String> argument, List<String> recoveryCrashes) {
    public Violation {
        expected = List.copyOf(expected);
        actual = List.copyOf(actual);
        argument = List.copyOf(argument);
        recoveryCrashes = List.copyOf(recoveryCrashes);
    }

    public Violation(ViolationKind kind, int step, Optional<String> crashPoint, String summary, List<String> expected,
                     List<String> actual, Optional<Provenance> provenance, List<String> argument) {
        this(kind, step, crashPoint, summary, expected, actual, provenance, argument, List.of());
    }

    /** The same violation, seen after recovery crashed at {@code chain} (outermost first). */
    public Violation afterRecoveryCrashes(List<String> chain) {
        return chain.isEmpty() ? this
                : new Violation(kind, step, crashPoint, summary, expected, actual, provenance, argument, chain);
    }

    public Violation(ViolationKind kind, int step, Optional<String> crashPoint, String summary, List<String> expected,
                     List<String> actual, Optional<Provenance> provenance) {
        this(kind, step, crashPoint, summary, expected, actual, provenance, List.of());
    }

    /** The same violation with the crash image's provenance attached. */
    public Violation withProvenance(Provenance p) {
        return new Violation(kind, step, crashPoint, summary, expected, actual, Optional.of(p), argument,
                recoveryCrashes);
    }
}
