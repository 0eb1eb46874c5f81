package dev.daxfuzz.bench;

import dev.daxfuzz.run.FsRunner;
import java.io.PrintWriter;
import java.math.BigInteger;
import java.util.ArrayList;
import java.util.List;

/**
 * How many crash images each method would check for the benchmark programs.
 *
 * <p>For every crash point of a lazy daxfuzz run, w = {@link dev.daxfuzz.pm.CrashPoint#writesInFlight()}
 * (per-line parts of stores that may or may not have persisted). From it: all subsets, 2<sup>w</sup>
 * (Yat; pmreorder's ReorderFull within one barrier); subsets of at most k writes,
 * &Sigma;<sub>i&le;k</sub> C(w, i), for Chipmunk's k = 2 (its ACE harness) and k = 5 (its
 * Syzkaller executor); and daxfuzz's crash states checked (each standing for every image that
 * reads the same to recovery and the checks). The sums are over crash points, as each tool checks
 * each crash point on its own.
 *
 * <p>Limits: the peers' own counts depend on where they place crash points (Chipmunk at fences
 * and syscall ends, Yat at barriers) and on what they log as one write; here every tool is given
 * daxfuzz's crash points and its per-line writes, so the figures compare the enumeration methods,
 * not the tools' end-to-end numbers. The counts ignore ordering constraints (a write cannot persist
 * before an older write to its own line), which the peers mostly ignore too; daxfuzz honours them.
 */
public final class SearchSpace {
    private SearchSpace() {
    }

    /**
     * One program's counts.
     *
     * @param writesInFlight w at each crash point
     * @param allSubsets &Sigma; 2<sup>w</sup>
     * @param kSubsets2 &Sigma; C(w, &le;2)
     * @param kSubsets5 &Sigma; C(w, &le;5)
     * @param daxfuzzStates crash states daxfuzz checked
     * @param distinctObservations of those, runs that read different bytes
     */
    public record Row(String program, int calls, List<Integer> writesInFlight, BigInteger allSubsets,
                      BigInteger kSubsets2, BigInteger kSubsets5, long daxfuzzStates, long distinctObservations) {
        public Row {
            writesInFlight = List.copyOf(writesInFlight);
        }

        public int maxWritesInFlight() {
            return writesInFlight.stream().mapToInt(Integer::intValue).max().orElse(0);
        }
    }

    /** The section's result. */
    public record Result(List<Row> rows) {
        public Result {
            rows = List.copyOf(rows);
        }
    }

    /** Counts for every program. */
    public static Result run(List<Throughput.NamedProgram> programs, PrintWriter progress) {
        List<Row> rows = new ArrayList<>();
        for (Throughput.NamedProgram p : programs) {
            FsRunner.Measured m = FsRunner.measure(p.program(), Long.MAX_VALUE, FsRunner.Exploration.LAZY, false);
            BigInteger all = BigInteger.ZERO;
            BigInteger k2 = BigInteger.ZERO;
            BigInteger k5 = BigInteger.ZERO;
            for (int w : m.writesInFlight()) {
                all = all.add(BigInteger.ONE.shiftLeft(w));
                k2 = k2.add(subsetsUpTo(w, 2));
                k5 = k5.add(subsetsUpTo(w, 5));
            }
            Row row = new Row(p.name(), p.calls(), m.writesInFlight(), all, k2, k5, m.result().crashStates(),
                    m.result().distinctImages());
            rows.add(row);
            progress.printf("search space %s: max w %d, all subsets %s, k<=2 %s, k<=5 %s, daxfuzz %d%n", p.name(),
                    row.maxWritesInFlight(), all, k2, k5, row.daxfuzzStates());
            progress.flush();
        }
        return new Result(rows);
    }

    /** &Sigma;<sub>i=0..k</sub> C(w, i). */
    static BigInteger subsetsUpTo(int w, int k) {
        BigInteger sum = BigInteger.ZERO;
        BigInteger c = BigInteger.ONE;
        for (int i = 0; i <= Math.min(k, w); i++) {
            sum = sum.add(c);
            c = c.multiply(BigInteger.valueOf(w - i)).divide(BigInteger.valueOf(i + 1));
        }
        return sum;
    }
}
