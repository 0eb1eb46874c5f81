package dev.daxfuzz.vm;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.TreeSet;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The scheduler and the bounded search over its schedules: the count of schedules equals a
 * brute-force count of interleavings within the preemption bound, locks exclude and share as an
 * rwsem does, a lock-order inversion deadlocks in some schedule and is explained, and the same
 * choices give the same run.
 */
class TaskSchedulerTest {
    private static final TaskScheduler.LockId L1 = new TaskScheduler.LockId(LockClass.I_RWSEM, 12);
    private static final TaskScheduler.LockId L2 = new TaskScheduler.LockId(LockClass.MMAP_LOCK, 0);

    private static List<String> names(int n) {
        List<String> out = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            out.add(String.valueOf((char) ('A' + i)));
        }
        return out;
    }

    /** Tasks that each reach {@code points[i]} scheduling points; returns each schedule's order of segments. */
    private static List<String> runAll(int[] points, int bound, ScheduleExplorer.Summary[] summary) {
        List<String> orders = new ArrayList<>();
        summary[0] = ScheduleExplorer.explore(new ScheduleExplorer.Options(bound, 1_000_000, 10_000), chooser -> {
            TaskScheduler s = new TaskScheduler(names(points.length), chooser);
            StringBuilder order = new StringBuilder();
            List<Runnable> bodies = new ArrayList<>();
            for (int t = 0; t < points.length; t++) {
                int task = t;
                bodies.add(() -> {
                    for (int p = 0; p < points[task]; p++) {
                        order.append((char) ('A' + task));
                        TaskScheduler.pointHere("point " + p);
                    }
                    order.append((char) ('A' + task));
                });
            }
            TaskScheduler.Result r = s.run(bodies);
            orders.add(order.toString());
            return r;
        }, r -> {
            assertEquals(TaskScheduler.Outcome.DONE, r.outcome());
            return true;
        });
        return orders;
    }

    /** Every interleaving of the tasks' segments with at most {@code bound} preemptions, by brute force. */
    private static TreeSet<String> interleavings(int[] segments, int bound) {
        TreeSet<String> out = new TreeSet<>();
        extend(segments.clone(), -1, 0, bound, new StringBuilder(), out);
        return out;
    }

    private static void extend(int[] left, int last, int preemptions, int bound, StringBuilder sb, TreeSet<String> out) {
        boolean any = false;
        for (int t = 0; t < left.length; t++) {
            if (left[t] == 0) {
                continue;
            }
            any = true;
            int p = preemptions + (last >= 0 && t != last && left[last] > 0 ? 1 : 0);
            if (p > bound) {
                continue;
            }
            left[t]--;
            sb.append((char) ('A' + t));
            extend(left, t, p, bound, sb, out);
            sb.setLength(sb.length() - 1);
            left[t]++;
        }
        if (!any) {
            out.add(sb.toString());
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"1,1,0", "2,2,0", "2,2,1", "2,2,2", "2,2,9", "3,1,1", "3,2,2", "0,3,1", "1,1,1,1", "2,1,1,1", "2,2,1,2"})
    void theSearchRunsEveryInterleavingWithinTheBoundExactlyOnce(String spec) {
        String[] f = spec.split(",");
        int bound = Integer.parseInt(f[f.length - 1]);
        int[] points = new int[f.length - 1];
        int[] segments = new int[points.length];
        for (int i = 0; i < points.length; i++) {
            points[i] = Integer.parseInt(f[i]);
            segments[i] = points[i] + 1;
        }
        ScheduleExplorer.Summary[] summary = new ScheduleExplorer.Summary[1];
        List<String> orders = runAll(points, bound, summary);
        TreeSet<String> expected = interleavings(segments, bound);
        assertEquals(expected, new TreeSet<>(orders), "the same set of interleavings");
        assertEquals(expected.size(), orders.size(), "each once: " + orders);
        assertEquals(orders.size(), summary[0].schedules());
        assertFalse(summary[0].cut());
    }

    @Test
    void withBoundZeroEachTaskRunsToItsEndAndOnlyTheFirstTaskVaries() {
        ScheduleExplorer.Summary[] summary = new ScheduleExplorer.Summary[1];
        assertEquals(List.of("AAABBB", "BBBAAA"), runAll(new int[] {2, 2}, 0, summary));
        assertTrue(summary[0].beyondBound() > 0);
    }

    /** A read-modify-write of a shared counter with a scheduling point inside, with or without a lock. */
    private static TreeSet<Integer> counterOutcomes(boolean locked) {
        TreeSet<Integer> seen = new TreeSet<>();
        ScheduleExplorer.explore(new ScheduleExplorer.Options(2, 10_000, 1_000), chooser -> {
            TaskScheduler s = new TaskScheduler(names(2), chooser);
            int[] counter = {0};
            Runnable inc = () -> {
                if (locked) {
                    TaskScheduler.current().acquire(L1, true, "lock");
                }
                int v = counter[0];
                TaskScheduler.pointHere("between read and write");
                counter[0] = v + 1;
                if (locked) {
                    TaskScheduler.current().release(L1, true, "unlock");
                }
            };
            TaskScheduler.Result r = s.run(List.of(inc, inc));
            seen.add(counter[0]);
            return r;
        }, r -> r.outcome() == TaskScheduler.Outcome.DONE);
        return seen;
    }

    @Test
    void anExclusiveLockMakesAReadModifyWriteAtomicAndWithoutItAnUpdateIsLost() {
        assertEquals(new TreeSet<>(List.of(1, 2)), counterOutcomes(false));
        assertEquals(new TreeSet<>(List.of(2)), counterOutcomes(true));
    }

    @Test
    void readersShareTheLockAndAWriterWaitsForThemAll() {
        AtomicInteger bothInside = new AtomicInteger();
        AtomicInteger writerWithReader = new AtomicInteger();
        ScheduleExplorer.explore(new ScheduleExplorer.Options(3, 100_000, 1_000), chooser -> {
            TaskScheduler s = new TaskScheduler(names(3), chooser);
            int[] inside = {0};
            boolean[] writer = {false};
            Runnable reader = () -> {
                TaskScheduler.current().acquire(L2, false, "read lock");
                inside[0]++;
                if (inside[0] == 2) {
                    bothInside.incrementAndGet();
                }
                if (writer[0]) {
                    writerWithReader.incrementAndGet();
                }
                TaskScheduler.pointHere("reading");
                inside[0]--;
                TaskScheduler.current().release(L2, false, "read unlock");
            };
            Runnable write = () -> {
                TaskScheduler.current().acquire(L2, true, "write lock");
                writer[0] = true;
                if (inside[0] > 0) {
                    writerWithReader.incrementAndGet();
                }
                TaskScheduler.pointHere("writing");
                writer[0] = false;
                TaskScheduler.current().release(L2, true, "write unlock");
            };
            return s.run(List.of(reader, reader, write));
        }, r -> {
            assertEquals(TaskScheduler.Outcome.DONE, r.outcome());
            return true;
        });
        assertTrue(bothInside.get() > 0, "two readers held it at once in some schedule");
        assertEquals(0, writerWithReader.get(), "never a writer beside a reader");
    }

    @Test
    void anInversionDeadlocksInSomeScheduleAndTheReportSaysWhoWaitsForWhat() {
        List<TaskScheduler.Result> deadlocks = new ArrayList<>();
        ScheduleExplorer.Summary sum = ScheduleExplorer.explore(new ScheduleExplorer.Options(2, 10_000, 1_000), chooser -> {
            TaskScheduler s = new TaskScheduler(names(2), chooser);
            Runnable ab = () -> {
                TaskScheduler.current().acquire(L1, true, "a:1");
                TaskScheduler.current().acquire(L2, true, "a:2");
                TaskScheduler.current().release(L2, true, "a:3");
                TaskScheduler.current().release(L1, true, "a:4");
            };
            Runnable ba = () -> {
                TaskScheduler.current().acquire(L2, true, "b:1");
                TaskScheduler.current().acquire(L1, true, "b:2");
                TaskScheduler.current().release(L1, true, "b:3");
                TaskScheduler.current().release(L2, true, "b:4");
            };
            return s.run(List.of(ab, ba));
        }, r -> {
            if (r.outcome() == TaskScheduler.Outcome.DEADLOCK) {
                deadlocks.add(r);
            } else {
                assertEquals(TaskScheduler.Outcome.DONE, r.outcome());
            }
            return true;
        });
        assertFalse(deadlocks.isEmpty(), "some schedule deadlocks (of " + sum.schedules() + ")");
        assertEquals(List.of("A waits at a:2 to take mm->mmap_lock exclusively, held exclusively by B",
                "B waits at b:2 to take inode->i_rwsem of inode 12 exclusively, held exclusively by A"),
                deadlocks.get(0).deadlock());
    }

    @Test
    void aTaskThatThrowsEndsTheExecutionAndTheOthersUnwind() {
        TaskScheduler s = new TaskScheduler(names(2), d -> d.candidates()[d.candidates().length - 1]);
        AtomicInteger after = new AtomicInteger();
        TaskScheduler.Result r = s.run(List.of(() -> {
            TaskScheduler.pointHere("a");
            throw new IllegalArgumentException("boom");
        }, () -> {
            TaskScheduler.pointHere("b1");
            TaskScheduler.pointHere("b2");
            after.incrementAndGet();
        }));
        assertEquals(TaskScheduler.Outcome.FAILED, r.outcome());
        assertEquals("boom", r.failure().getMessage());
        assertEquals(0, r.failedTask());
        assertEquals(0, after.get(), "B was unwound at its point, not run on");
    }

    @Test
    void theSameChoicesGiveTheSameRun() {
        List<String> first = runAll(new int[] {2, 1, 1}, 2, new ScheduleExplorer.Summary[1]);
        List<String> second = runAll(new int[] {2, 1, 1}, 2, new ScheduleExplorer.Summary[1]);
        assertEquals(first, second);
    }

    @Test
    void outsideAnExecutionAPointIsNothing() {
        TaskScheduler.pointHere("no tasks");
        assertEquals(-1, TaskScheduler.currentTask());
    }
}
