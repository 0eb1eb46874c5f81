package dev.daxfuzz.vm;

import java.util.ArrayList;
import java.util.List;

/**
 * A lock-dependency checker in the spirit of Linux's lockdep (kernel/locking/lockdep.c): it
 * watches every acquisition of a {@link LockClass} by the (single) task, remembers which classes
 * were held when another was taken, and reports a {@link LockViolation.Kind#DEADLOCK} the moment
 * an acquisition could close a cycle, or a task waits for a lock it already holds in a mode that
 * excludes it. Like lockdep, it finds deadlocks that need two tasks to happen while running one:
 * an order A then B seen once, and B then A seen later, is an inversion whatever the timing.
 *
 * <p>Rules: shared acquisitions of {@link LockClass#JBD2_HANDLE} nest (jbd2 lets a task that holds
 * a handle start another on the same transaction: {@code h_ref}); every other recursive
 * acquisition is a self-deadlock (an rwsem read taken twice can block behind a waiting writer).
 * {@link #waitFor} is an exclusive acquisition released at once: it waits until nobody holds the
 * class.
 *
 * <p>Racing tasks ({@link TaskScheduler}): each task has its own held-lock stack, the order graph
 * is shared (an order one task showed constrains all), and every acquisition and release is also
 * a scheduling point where the task may block on the lock.
 *
 * <p>Limits: classes, not instances (an inode's lock against another inode's lock is the same
 * class, and in a racing execution two tasks working on different inodes exclude each other on
 * it: fewer interleavings than Linux allows, never more); read-read orderings count as real
 * orderings (lockdep is subtler about recursive readers).
 */
public final class LockChecker {
    /** A lock the task holds. */
    public record Held(LockClass lock, boolean exclusive, String where) {
    }

    /** Per task of a racing execution (index 0 outside one and for the setup): lockdep's held-lock stack. */
    private final List<List<Held>> heldByTask = new ArrayList<>();
    private final int n = LockClass.values().length;
    /** after[a][b]: b was taken while a was held; firstSeen says where. */
    private final boolean[][] after = new boolean[n][n];
    private final String[][] firstSeen = new String[n][n];

    /**
     * The held-lock stack of the calling task. Tasks are threads: lockdep keeps one stack per task
     * and one order graph for all of them.
     */
    private List<Held> stack() {
        int task = TaskScheduler.currentTask() + 1;
        while (heldByTask.size() <= task) {
            heldByTask.add(new ArrayList<>());
        }
        return heldByTask.get(task);
    }

    /**
     * Takes {@code lock} (shared or exclusive) at {@code where}; throws on a deadlock lockdep
     * predicts. In a racing execution ({@link TaskScheduler#current()}) the attempt is also a
     * scheduling point, and the task blocks while another holds the lock in a mode that excludes
     * this one.
     */
    public void acquire(LockClass lock, boolean exclusive, String where) {
        List<Held> held = stack();
        for (Held h : held) {
            if (h.lock() == lock) {
                boolean nests = lock == LockClass.JBD2_HANDLE && !exclusive && !h.exclusive();
                if (!nests) {
                    throw selfDeadlock(h, lock, exclusive, where);
                }
            }
        }
        for (Held h : held) {
            if (h.lock() != lock && reaches(lock, h.lock())) {
                throw inversion(h, lock, where);
            }
        }
        for (Held h : held) {
            int a = h.lock().ordinal();
            int b = lock.ordinal();
            if (a != b && !after[a][b]) {
                after[a][b] = true;
                firstSeen[a][b] = where;
            }
        }
        TaskScheduler scheduler = TaskScheduler.current();
        if (scheduler != null) {
            scheduler.acquire(new TaskScheduler.LockId(lock, 0), exclusive, where);
        }
        held.add(new Held(lock, exclusive, where));
    }

    /** Releases the most recent acquisition of {@code lock} (in a racing execution, a scheduling point after it). */
    public void release(LockClass lock) {
        List<Held> held = stack();
        for (int i = held.size() - 1; i >= 0; i--) {
            if (held.get(i).lock() == lock) {
                Held h = held.remove(i);
                TaskScheduler scheduler = TaskScheduler.current();
                if (scheduler != null) {
                    scheduler.release(new TaskScheduler.LockId(lock, 0), h.exclusive(), "releasing " + lock.kernelName()
                            + " taken at " + h.where());
                }
                return;
            }
        }
        throw new IllegalStateException(lock.kernelName() + " released but not held");
    }

    /** Waits until no task holds {@code lock} (an exclusive acquire and release), at {@code where}. */
    public void waitFor(LockClass lock, String where) {
        acquire(lock, true, where);
        release(lock);
    }

    public boolean holds(LockClass lock) {
        for (Held h : stack()) {
            if (h.lock() == lock) {
                return true;
            }
        }
        return false;
    }

    /** The locks held now, oldest first. */
    public List<Held> held() {
        return List.copyOf(stack());
    }

    /** Whether b was (transitively) taken while a was held. */
    private boolean reaches(LockClass from, LockClass to) {
        boolean[] seen = new boolean[n];
        return reaches(from.ordinal(), to.ordinal(), seen);
    }

    private boolean reaches(int a, int b, boolean[] seen) {
        if (a == b) {
            return true;
        }
        seen[a] = true;
        for (int c = 0; c < n; c++) {
            if (after[a][c] && !seen[c] && reaches(c, b, seen)) {
                return true;
            }
        }
        return false;
    }

    private static LockViolation selfDeadlock(Held h, LockClass lock, boolean exclusive, String where) {
        List<String> why = new ArrayList<>();
        why.add("Let the task hold " + lock.kernelName() + (h.exclusive() ? " exclusively" : " shared")
                + ", taken at " + h.where() + ".");
        if (lock == LockClass.JBD2_HANDLE && exclusive) {
            why.add("Then, at " + where + ", it waits for the running transaction to commit.");
            why.add("A commit waits until every handle of its transaction is stopped (t_updates drops"
                    + " to zero), and this task's handle is stopped only after its wait ends: neither"
                    + " can ever proceed, a contradiction.");
        } else {
            why.add("Then, at " + where + ", it takes " + lock.kernelName() + (exclusive ? " exclusively" : " shared")
                    + " again, which waits for the holder to release it: itself.");
        }
        String what = lock == LockClass.JBD2_HANDLE && exclusive
                ? "waits for the journal commit while holding a journal handle"
                : "takes " + lock.kernelName() + " while already holding it";
        return new LockViolation(LockViolation.Kind.DEADLOCK, "deadlock: the task " + what, why);
    }

    private LockViolation inversion(Held h, LockClass lock, String where) {
        List<String> why = new ArrayList<>();
        String earlier = firstSeen[lock.ordinal()][h.lock().ordinal()];
        why.add("Let task T1 hold " + lock.kernelName() + " and then take " + h.lock().kernelName()
                + (earlier != null ? " (as at " + earlier + ")" : " (through a chain of locks seen earlier)") + ".");
        why.add("Let task T2 hold " + h.lock().kernelName() + " (taken at " + h.where() + ") and then take "
                + lock.kernelName() + " (at " + where + ").");
        why.add("If both run at once, each waits for the lock the other holds: a deadlock, whatever the timing.");
        return new LockViolation(LockViolation.Kind.DEADLOCK, "lock inversion: " + h.lock().kernelName() + " then "
                + lock.kernelName() + ", but " + lock.kernelName() + " then " + h.lock().kernelName() + " was seen before",
                why);
    }
}
