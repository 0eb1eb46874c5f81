package dev.daxfuzz.oracle;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/**
 * The linearizability check on a register (write V, read => V): histories that fit some order
 * consistent with real time are accepted with that order, the others are refuted with the calls
 * that cannot come next, pending calls may or may not have taken effect, and random histories
 * made by running the calls atomically at an instant inside their intervals are always accepted.
 */
class LinearizabilityTest {
    /** A register call: a write of value, or a read that returned value. */
    private record Op(boolean write, int value) {
    }

    private static Linearizability.Model register(List<Op> ops, List<Linearizability.Call> calls) {
        return order -> {
            int v = 0;
            for (int i = 0; i < order.length; i++) {
                Op op = ops.get(order[i]);
                if (op.write()) {
                    v = op.value();
                } else if (!calls.get(order[i]).pending() && op.value() != v) {
                    return Linearizability.Replay.mismatch(i, "read => " + v);
                }
            }
            return Linearizability.Replay.fits(v + 1);
        };
    }

    private static Linearizability.Call call(String task, Op op, long start, long end) {
        return new Linearizability.Call(task, (op.write() ? "write " : "read => ") + op.value(), start, end);
    }

    private static Linearizability.Verdict check(List<Op> ops, List<Linearizability.Call> calls) {
        return Linearizability.check(calls, register(ops, calls), 100_000);
    }

    @Test
    void anOverlappingReadMaySeeTheWrite() {
        List<Op> ops = List.of(new Op(true, 1), new Op(false, 1));
        List<Linearizability.Call> calls = List.of(call("A", ops.get(0), 0, 3), call("B", ops.get(1), 1, 2));
        Linearizability.Verdict v = check(ops, calls);
        assertEquals(new Linearizability.Linearizable(List.of(0, 1)), v);
        assertTrue(String.join("\n", Linearizability.explain(calls, v)).contains("explained by the order A1, B1"));
    }

    @Test
    void aReadThatEndedBeforeTheWriteBeganCannotSeeIt() {
        List<Op> ops = List.of(new Op(true, 1), new Op(false, 1));
        List<Linearizability.Call> calls = List.of(call("A", ops.get(0), 2, 3), call("B", ops.get(1), 0, 1));
        Linearizability.Verdict v = check(ops, calls);
        Linearizability.NotLinearizable x = assertInstanceOf(Linearizability.NotLinearizable.class, v);
        assertEquals(List.of(), x.prefix());
        assertEquals(List.of(new Linearizability.Refuted(1, "read => 0")), x.refuted());
        String words = String.join("\n", Linearizability.explain(calls, v));
        assertTrue(words.contains("if B1 came next, the model would give read => 0, not what was seen"), words);
        assertTrue(words.contains("a contradiction"), words);
    }

    @Test
    void programOrderHolds() {
        // B reads 2 then 1: only possible if the writes came 2 then 1, but A wrote 1 then 2.
        List<Op> ops = List.of(new Op(true, 1), new Op(true, 2), new Op(false, 2), new Op(false, 1));
        List<Linearizability.Call> calls = List.of(call("A", ops.get(0), 0, 10), call("A", ops.get(1), 11, 20),
                call("B", ops.get(2), 0, 15), call("B", ops.get(3), 16, 30));
        assertInstanceOf(Linearizability.NotLinearizable.class, check(ops, calls));
    }

    @Test
    void aPendingCallMayHaveTakenEffectOrNot() {
        List<Op> seesIt = List.of(new Op(true, 1), new Op(false, 1));
        List<Linearizability.Call> c1 = List.of(call("A", seesIt.get(0), 0, Long.MAX_VALUE), call("B", seesIt.get(1), 1, 2));
        assertEquals(new Linearizability.Linearizable(List.of(0, 1)), check(seesIt, c1));
        List<Op> missesIt = List.of(new Op(true, 1), new Op(false, 0));
        List<Linearizability.Call> c2 = List.of(call("A", missesIt.get(0), 0, Long.MAX_VALUE), call("B", missesIt.get(1), 1, 2));
        assertEquals(new Linearizability.Linearizable(List.of(1)), check(missesIt, c2));
    }

    @Test
    void aCutSearchClaimsNothing() {
        List<Op> ops = List.of(new Op(true, 1), new Op(true, 2), new Op(false, 3));
        List<Linearizability.Call> calls = List.of(call("A", ops.get(0), 0, 9), call("B", ops.get(1), 0, 9),
                call("C", ops.get(2), 0, 9));
        assertInstanceOf(Linearizability.Undecided.class, Linearizability.check(calls, register(ops, calls), 2));
        assertInstanceOf(Linearizability.NotLinearizable.class, check(ops, calls));
    }

    @Test
    void historiesOfAtomicCallsAreAlwaysAccepted() {
        SplittableRandom rnd = new SplittableRandom(7);
        for (int round = 0; round < 2_000; round++) {
            int tasks = 2 + rnd.nextInt(2);
            int perTask = 1 + rnd.nextInt(4);
            // Each task's calls take effect at increasing instants; the register runs them in instant order.
            List<long[]> effects = new ArrayList<>();
            for (int t = 0; t < tasks; t++) {
                long at = 0;
                for (int k = 0; k < perTask; k++) {
                    at += 3 + rnd.nextInt(20);
                    effects.add(new long[] {at * 8 + t, t, rnd.nextBoolean() ? 1 : 0, 1 + rnd.nextInt(3)});
                }
            }
            effects.sort((a, b) -> Long.compare(a[0], b[0]));
            List<Op> ops = new ArrayList<>();
            List<Linearizability.Call> calls = new ArrayList<>();
            long[] lastEnd = new long[tasks];
            int v = 0;
            for (long[] e : effects) {
                int t = (int) e[1];
                Op op;
                if (e[2] == 1) {
                    v = (int) e[3];
                    op = new Op(true, v);
                } else {
                    op = new Op(false, v);
                }
                // An interval around the instant, after the task's previous call ended and before its
                // next call's instant (instants of one task are at least 24 apart).
                long start = Math.max(lastEnd[t] + 1, e[0] - rnd.nextInt(40));
                long end = e[0] + 1 + rnd.nextInt(20);
                boolean pending = rnd.nextInt(10) == 0;
                lastEnd[t] = end;
                ops.add(op);
                calls.add(call(String.valueOf((char) ('A' + t)), op, start, pending ? Long.MAX_VALUE : end));
            }
            Linearizability.Verdict verdict = check(ops, calls);
            assertInstanceOf(Linearizability.Linearizable.class, verdict, () -> String.join("\n",
                    Linearizability.explain(calls, verdict)));
        }
    }
}
