package dev.daxfuzz.fuzzing;

import dev.daxfuzz.oracle.Violation;
import dev.daxfuzz.oracle.ViolationKind;
import dev.daxfuzz.program.Bytes;
import dev.daxfuzz.program.Data;
import dev.daxfuzz.program.DxpSyntaxError;
import dev.daxfuzz.program.Op;
import dev.daxfuzz.program.Program;
import dev.daxfuzz.program.ProgramValidator;
import dev.daxfuzz.program.SourcePos;
import dev.daxfuzz.program.Step;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Shrinks a program that shows a violation to a smaller one whose first violation has the same
 * signature ({@link Signature#of}: the kind, and for wrong results and hangs the verdict without
 * its values): Zeller's ddmin over statements (drop chunks, halving the chunk size down to single
 * statements, until no statement can go), then shrinking of data (halve each literal, fill
 * instead of bytes). Keeping the signature, not only the kind, stops the search from sliding from
 * a wrong {@code truncate} to a wrong {@code write}.
 * Candidates that are not valid programs (a descriptor used before its {@code open}) are
 * skipped. A budget of candidate runs bounds the work; the best program found so far is the
 * result when it runs out. Deterministic: the same input and budget give the same result.
 */
public final class Minimizer {
    /** Candidate runs {@code daxfuzz minimize} allows by default: enough for a 40-statement input. */
    public static final int RUNS_DEFAULT = 2_000;

    private final FuzzConfig config;
    private final ViolationKind kind;
    private final String verdict;
    private final int maxRuns;
    private int runs;

    private Minimizer(FuzzConfig config, Violation first, int maxRuns) {
        this.config = config;
        this.kind = first.kind();
        this.verdict = Signature.of(null, first);
        this.maxRuns = maxRuns;
    }

    /**
     * The result: the smallest program found, its first violation, how many candidates ran, and
     * whether the budget ran out before the search ended (the program is then smaller, not minimal).
     */
    public record Result(Program program, Violation violation, int runs, boolean budgetExhausted) {
        /** The violation's kind. */
        public ViolationKind kind() {
            return violation.kind();
        }
    }

    /** Minimises {@code program} within {@link #RUNS_DEFAULT} runs; empty when it shows no violation. */
    public static Optional<Result> minimize(Program program, FuzzConfig config) {
        return minimize(program, config, RUNS_DEFAULT);
    }

    /** Minimises {@code program} within {@code maxRuns} candidate runs; empty when it shows no violation. */
    public static Optional<Result> minimize(Program program, FuzzConfig config, int maxRuns) {
        Optional<Violation> v = SyscallCrash.confirm(program, config).violation();
        if (v.isEmpty()) {
            return Optional.empty();
        }
        Minimizer m = new Minimizer(config, v.get(), maxRuns);
        List<Step> steps = m.ddmin(new ArrayList<>(program.steps()), program);
        steps = m.shrinkData(steps, program);
        Program result = m.with(program, steps);
        Violation shown = SyscallCrash.confirm(result, config).violation().orElseThrow();
        return Optional.of(new Result(result, shown, m.runs, m.runs >= m.maxRuns));
    }

    private Program with(Program p, List<Step> steps) {
        List<Step> renumbered = new ArrayList<>();
        for (Step s : steps) {
            renumbered.add(new Step(s.op(), s.expectation(), new SourcePos(renumbered.size() + 1, 1), s.task()));
        }
        return new Program(p.header(), renumbered);
    }

    private boolean interesting(Program base, List<Step> steps) {
        if (runs >= maxRuns) {
            return false;
        }
        Program p = with(base, steps);
        try {
            ProgramValidator.validate("candidate", p);
        } catch (DxpSyntaxError e) {
            return false;
        }
        runs++;
        return SyscallCrash.confirm(p, config).violation()
                .map(v -> v.kind() == kind && Signature.of(null, v).equals(verdict)).orElse(false);
    }

    private List<Step> ddmin(List<Step> steps, Program base) {
        int n = 2;
        while (steps.size() >= 2) {
            int chunk = (steps.size() + n - 1) / n;
            boolean reduced = false;
            for (int start = 0; start < steps.size(); start += chunk) {
                List<Step> complement = new ArrayList<>(steps.subList(0, start));
                complement.addAll(steps.subList(Math.min(steps.size(), start + chunk), steps.size()));
                if (!complement.isEmpty() && interesting(base, complement)) {
                    steps = complement;
                    n = Math.max(n - 1, 2);
                    reduced = true;
                    break;
                }
            }
            if (!reduced) {
                if (chunk == 1) {
                    break;
                }
                n = Math.min(steps.size(), n * 2);
            }
        }
        return steps;
    }

    private List<Step> shrinkData(List<Step> steps, Program base) {
        for (int i = 0; i < steps.size(); i++) {
            boolean progress = true;
            while (progress) {
                progress = false;
                for (Op smaller : smaller(steps.get(i).op())) {
                    List<Step> candidate = new ArrayList<>(steps);
                    candidate.set(i, new Step(smaller, steps.get(i).expectation(), steps.get(i).pos(), steps.get(i).task()));
                    if (interesting(base, candidate)) {
                        steps = candidate;
                        progress = true;
                        break;
                    }
                }
            }
        }
        return steps;
    }

    /** Smaller versions of an operation's data, most aggressive first. */
    private static List<Op> smaller(Op op) {
        List<Op> out = new ArrayList<>();
        if (op instanceof Op.Write w) {
            for (Data d : smaller(w.data())) {
                out.add(new Op.Write(w.fd(), w.off(), d));
            }
        } else if (op instanceof Op.MStore s) {
            for (Data d : smaller(s.data())) {
                out.add(new Op.MStore(s.map(), s.off(), d));
            }
        } else if (op instanceof Op.MNtStore s) {
            for (Data d : smaller(s.data())) {
                out.add(new Op.MNtStore(s.map(), s.off(), d));
            }
        }
        return out;
    }

    private static List<Data> smaller(Data d) {
        List<Data> out = new ArrayList<>();
        long len = d.length();
        if (len > 1) {
            out.add(new Data.Fill(d.bytes().toArray()[0] & 0xff, len / 2));
            if (!(d instanceof Data.Fill)) {
                byte[] b = d.bytes().toArray();
                out.add(new Data.Hex(Bytes.of(java.util.Arrays.copyOf(b, b.length / 2))));
            }
        }
        if (!(d instanceof Data.Fill) && len > 0) {
            byte[] b = d.bytes().toArray();
            boolean same = true;
            for (byte x : b) {
                same &= x == b[0];
            }
            if (same) {
                out.add(new Data.Fill(b[0] & 0xff, len));
            }
        }
        return out;
    }
}
