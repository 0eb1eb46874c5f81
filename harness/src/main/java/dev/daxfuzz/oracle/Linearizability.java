package dev.daxfuzz.oracle;

import it.unimi.dsi.fastutil.longs.LongOpenHashSet;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * The oracle for concurrent histories: is there an order of the calls, consistent with each
 * task's program order and with real time (a call that ended before another began comes first),
 * in which a sequential model gives every call the result it had? That is linearizability
 * (Herlihy and Wing, 1990): each call takes effect atomically at one instant between its start
 * and its end. The search is Wing and Gong's (1993): place, one by one, a call that no unplaced
 * call must precede, keep it if the model agrees with its result, backtrack if not; with the
 * model's state fingerprints it also remembers which (placed calls, model state) pairs already
 * failed, as Lowe's refinement (2017) does.
 *
 * <p>Calls may be <em>pending</em> (started, not ended: a crash point or a deadlock cut them);
 * a pending call may have taken effect or not, so an order may leave it out, and its result is
 * not judged.
 *
 * <p>The verdict is computed here; {@link #explain} says it in words separately, Elle style: the
 * calls that can be ordered, then for each call that could come next, what the model would have
 * answered instead of what was seen.
 *
 * <p>Limits: at most 64 calls per history; the search is exponential in the number of calls
 * that overlap in time, so {@code maxNodes} bounds it and a cut search is reported as such (it
 * never claims a violation it did not prove).
 */
public final class Linearizability {
    /**
     * One call of a history.
     *
     * @param task the task that made it
     * @param text the call as the program wrote it (with its result), for reports
     * @param start the instant it started, in one order of events shared by all tasks
     * @param end the instant it ended, or {@link Long#MAX_VALUE} when it is pending
     */
    public record Call(String task, String text, long start, long end) {
        public Call {
            Objects.requireNonNull(task, "task");
            Objects.requireNonNull(text, "text");
            if (end <= start) {
                throw new IllegalArgumentException("a call ends after it starts: " + start + ".." + end);
            }
        }

        public boolean pending() {
            return end == Long.MAX_VALUE;
        }
    }

    /**
     * Replays calls on a fresh sequential model.
     */
    @FunctionalInterface
    public interface Model {
        /**
         * Runs the calls of {@code order} (indices into the history) in that order on a fresh model
         * and says whether each completed call's result is what the model gives.
         */
        Replay replay(int[] order);
    }

    /**
     * What a replay found.
     *
     * @param mismatchAt the position in the order of the first completed call whose result the
     *     model does not give, or -1 when every one fits
     * @param expected what the model gives there instead (for the explanation), or null
     * @param stateFingerprint the model's whole state after the order when everything fit: equal
     *     fingerprints must mean states that answer every later call alike (contents included),
     *     or the memo prunes an order that would have fit; 0 when the model has none to offer,
     *     and nothing is then remembered
     */
    public record Replay(int mismatchAt, String expected, long stateFingerprint) {
        public static Replay fits(long fingerprint) {
            return new Replay(-1, null, fingerprint);
        }

        public static Replay mismatch(int at, String expected) {
            return new Replay(at, expected, 0);
        }
    }

    /** The outcome of a check. */
    public sealed interface Verdict permits Linearizable, NotLinearizable, Undecided {
    }

    /** An order that explains every result (pending calls left out are not in it). */
    public record Linearizable(List<Integer> order) implements Verdict {
        public Linearizable {
            order = List.copyOf(order);
        }
    }

    /**
     * No order explains the results.
     *
     * @param prefix the longest order that fit, as far as it goes
     * @param refuted each call that could come after it, with what the model gives there instead
     */
    public record NotLinearizable(List<Integer> prefix, List<Refuted> refuted) implements Verdict {
        public NotLinearizable {
            prefix = List.copyOf(prefix);
            refuted = List.copyOf(refuted);
        }
    }

    /** A call placed after {@link NotLinearizable#prefix()}, and what the model answered there. */
    public record Refuted(int call, String expected) {
    }

    /** The search reached its bound without deciding. */
    public record Undecided(long nodes) implements Verdict {
    }

    private Linearizability() {
    }

    /** Checks {@code calls} against {@code model}, exploring at most {@code maxNodes} placements. */
    public static Verdict check(List<Call> calls, Model model, long maxNodes) {
        if (calls.size() > 64) {
            throw new IllegalArgumentException("at most 64 calls, not " + calls.size());
        }
        Search s = new Search(calls, model, maxNodes);
        return s.run();
    }

    private static final class Search {
        final List<Call> calls;
        final Model model;
        final long maxNodes;
        final int n;
        final long completedMask;
        final LongOpenHashSet failed = new LongOpenHashSet();
        long nodes;
        boolean cut;
        int[] best = new int[0];
        final List<Refuted> bestRefuted = new ArrayList<>();
        int[] found;

        Search(List<Call> calls, Model model, long maxNodes) {
            this.calls = List.copyOf(calls);
            this.model = model;
            this.maxNodes = maxNodes;
            n = calls.size();
            long m = 0;
            for (int i = 0; i < n; i++) {
                if (!calls.get(i).pending()) {
                    m |= 1L << i;
                }
            }
            completedMask = m;
        }

        Verdict run() {
            dfs(new int[0], 0L, 0L);
            if (found != null) {
                List<Integer> order = new ArrayList<>();
                for (int c : found) {
                    order.add(c);
                }
                return new Linearizable(order);
            }
            if (cut) {
                return new Undecided(nodes);
            }
            List<Integer> prefix = new ArrayList<>();
            for (int c : best) {
                prefix.add(c);
            }
            return new NotLinearizable(prefix, bestRefuted);
        }

        /** Whether {@code c} may be placed next: no unplaced call must precede it. */
        boolean minimal(int c, long placed) {
            Call x = calls.get(c);
            for (int d = 0; d < n; d++) {
                if (d == c || (placed & (1L << d)) != 0) {
                    continue;
                }
                Call y = calls.get(d);
                // Real time (which includes a task's program order): y ended before x started.
                if (y.end() < x.start()) {
                    return false;
                }
            }
            return true;
        }

        boolean dfs(int[] order, long placed, long fingerprint) {
            if ((placed & completedMask) == completedMask) {
                found = order;
                return true;
            }
            if (fingerprint != 0 && failed.contains(mix(placed, fingerprint))) {
                return false;
            }
            List<Refuted> refuted = new ArrayList<>();
            for (int c = 0; c < n; c++) {
                if ((placed & (1L << c)) != 0 || !minimal(c, placed)) {
                    continue;
                }
                if (++nodes > maxNodes) {
                    cut = true;
                    return false;
                }
                int[] next = java.util.Arrays.copyOf(order, order.length + 1);
                next[order.length] = c;
                Replay r = model.replay(next);
                if (r.mismatchAt() >= 0) {
                    refuted.add(new Refuted(c, r.expected()));
                    continue;
                }
                if (dfs(next, placed | (1L << c), r.stateFingerprint())) {
                    return true;
                }
                if (cut) {
                    return false;
                }
            }
            if (order.length > best.length || (order.length == best.length && bestRefuted.isEmpty())) {
                best = order;
                bestRefuted.clear();
                bestRefuted.addAll(refuted);
            }
            if (fingerprint != 0) {
                failed.add(mix(placed, fingerprint));
            }
            return false;
        }

        private static long mix(long placed, long fingerprint) {
            long h = placed * 0x9E3779B97F4A7C15L ^ fingerprint;
            return h == 0 ? 1 : h;
        }
    }

    /**
     * The verdict in words: which order explains the results, or why none does.
     *
     * @param calls the history the verdict is about
     */
    public static List<String> explain(List<Call> calls, Verdict verdict) {
        // Sentences, not a table: reports flow them into one paragraph.
        List<String> out = new ArrayList<>();
        List<String> lets = new ArrayList<>();
        for (int i = 0; i < calls.size(); i++) {
            Call c = calls.get(i);
            lets.add(name(calls, i) + " = task " + c.task() + "'s `" + c.text() + "`" + (c.pending()
                    ? " (started at instant " + c.start() + ", not ended)"
                    : " (from instant " + c.start() + " to " + c.end() + ")"));
        }
        out.add("Let " + String.join(", ", lets) + ".");
        if (verdict instanceof Linearizable l) {
            out.add("They are explained by the order " + names(calls, l.order())
                    + ": each call takes effect in that order, between its start and its end, and the model gives"
                    + " every result seen.");
        } else if (verdict instanceof Undecided u) {
            out.add("The search for an order stopped after " + u.nodes()
                    + " placements without deciding; nothing is claimed.");
        } else if (verdict instanceof NotLinearizable x) {
            List<String> refuted = new ArrayList<>();
            for (Refuted r : x.refuted()) {
                refuted.add("if " + name(calls, r.call()) + " came next, the model would give "
                        + (r.expected() == null ? "another result" : r.expected()) + ", not what was seen");
            }
            out.add((x.prefix().isEmpty() ? "No call can take effect first: "
                    : "The calls can take effect in the order " + names(calls, x.prefix())
                            + " with every result as seen, but no call can come next: ")
                    + String.join("; ", refuted) + ".");
            out.add("Every other order is refuted the same way or breaks real time (a call that ended before"
                    + " another began must come first), so no order of the calls explains what was seen:"
                    + " a contradiction.");
        }
        return out;
    }

    private static String name(List<Call> calls, int i) {
        Call c = calls.get(i);
        int k = 0;
        for (int j = 0; j <= i; j++) {
            if (calls.get(j).task().equals(c.task())) {
                k++;
            }
        }
        return c.task() + k;
    }

    private static String names(List<Call> calls, List<Integer> order) {
        List<String> s = new ArrayList<>();
        for (int c : order) {
            s.add(name(calls, c));
        }
        return String.join(", ", s);
    }
}
