package dev.daxfuzz.vm;

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.TreeMap;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;

/**
 * The kernel's scheduler for one execution of racing tasks (threads of one process, each on its
 * own CPU): exactly one task runs at a time, and at every scheduling point a {@link Chooser}
 * decides which runnable task goes on. Running one task at a time on a uniprocessor-like baton
 * is what makes an interleaving a value: the same choices give the same run, on any machine.
 *
 * <p><b>What it models.</b> Tasks are Java threads, but only the one holding the baton runs; the
 * others wait at a scheduling point. The points are where the code under test calls
 * {@link #point}, {@link #acquire} or {@link #release}: in daxfuzz the start and end of every
 * call and user instruction, every acquisition and release of a modelled lock, and the windows
 * where Linux races without a lock on purpose (a fault between its block lookup and its PTE, a
 * truncate between unmapping and freeing). Locks are sleeping reader-writer semaphores
 * ({@code rwsem}, {@code mmap_lock}): readers share, a writer excludes everyone, and a task that
 * cannot take a lock is blocked, so it is not runnable and no choice can pick it until the lock
 * is released. A wait with nobody runnable is a deadlock: the execution ends with
 * {@link Outcome#DEADLOCK} and says who waits for what.
 *
 * <p><b>Limits.</b> Lock acquisition is not fair or FIFO: any runnable waiter may win a released
 * lock, which covers every order a real rwsem grants (a real one is stricter, so a schedule
 * shown here may need a writer's hand-off a real rwsem would not give; the reports name the
 * schedule). Time does not pass: there are no timeouts, and a task that never reaches a
 * scheduling point is not preempted. The code between two points of a task runs atomically,
 * so a race inside it is invisible unless a point marks it.
 */
public final class TaskScheduler {
    /** How an execution ended. */
    public enum Outcome {
        /** Every task ran to its end. */
        DONE,
        /** Every unfinished task waits for a lock another holds. */
        DEADLOCK,
        /** A task threw: {@link Result#failure()} says what. */
        FAILED,
        /** The chooser stopped the execution (more points than the explorer allows, for example). */
        STOPPED
    }

    /**
     * One scheduling decision.
     *
     * @param point its index in the execution (0 is the start: which task runs first)
     * @param current the task that reached the point (-1 at the start)
     * @param runnable bit i set: task i may run now
     * @param where what the current task is doing there, for reports
     */
    public record Decision(int point, int current, long runnable, String where) {
        /** Whether choosing {@code task} here switches away from a task that could have gone on. */
        public boolean preempts(int task) {
            return current >= 0 && task != current && (runnable & (1L << current)) != 0;
        }

        /** The runnable tasks, the current one first (going on is the default), then by index. */
        public int[] candidates() {
            int[] out = new int[Long.bitCount(runnable)];
            int n = 0;
            if (current >= 0 && (runnable & (1L << current)) != 0) {
                out[n++] = current;
            }
            for (int t = 0; t < 64; t++) {
                if ((runnable & (1L << t)) != 0 && t != current) {
                    out[n++] = t;
                }
            }
            return out;
        }
    }

    /** Decides who runs at each point; returns a runnable task, or -1 to stop the execution. */
    @FunctionalInterface
    public interface Chooser {
        int choose(Decision d);
    }

    /**
     * A lock instance: a lock class and which object's lock it is (an inode number, or 0 for a
     * lock of the process or the file system).
     */
    public record LockId(LockClass lockClass, long instance) implements Comparable<LockId> {
        public LockId {
            Objects.requireNonNull(lockClass, "lockClass");
        }

        @Override
        public int compareTo(LockId o) {
            int c = lockClass.compareTo(o.lockClass);
            return c != 0 ? c : Long.compare(instance, o.instance);
        }

        @Override
        public String toString() {
            return lockClass.kernelName() + (instance == 0 ? "" : " of inode " + instance);
        }
    }

    /**
     * How an execution went.
     *
     * @param decisions every decision, in order, with what was chosen ({@link #choices()})
     * @param deadlock for {@link Outcome#DEADLOCK}: who waits for what, one line per task
     * @param failure for {@link Outcome#FAILED}: what the task threw
     */
    public record Result(Outcome outcome, List<Decision> decisions, List<Integer> choices, List<String> deadlock,
                         Throwable failure, int failedTask) {
        public Result {
            decisions = List.copyOf(decisions);
            choices = List.copyOf(choices);
            deadlock = List.copyOf(deadlock);
        }

        /** Switches away from a task that could have gone on. */
        public int preemptions() {
            int n = 0;
            for (int i = 0; i < decisions.size(); i++) {
                if (decisions.get(i).preempts(choices.get(i))) {
                    n++;
                }
            }
            return n;
        }
    }

    /** Thrown in a task's thread to unwind it when the execution ends early; never escapes {@link #run}. */
    private static final class Unwind extends Error {
        Unwind() {
            super(null, null, false, false);
        }
    }

    private enum State { NEW, RUNNABLE, BLOCKED, DONE }

    private static final class Holders {
        int exclusiveOwner = -1;
        final int[] shared;

        Holders(int tasks) {
            shared = new int[tasks];
        }

        boolean free(int task, boolean exclusive) {
            if (exclusiveOwner >= 0) {
                return false;
            }
            if (!exclusive) {
                return true;
            }
            for (int t = 0; t < shared.length; t++) {
                if (shared[t] > 0) {
                    return false;
                }
            }
            return true;
        }

        boolean heldByOthers(int task) {
            if (exclusiveOwner >= 0 && exclusiveOwner != task) {
                return true;
            }
            for (int t = 0; t < shared.length; t++) {
                if (t != task && shared[t] > 0) {
                    return true;
                }
            }
            return false;
        }

        String describe(List<String> names) {
            if (exclusiveOwner >= 0) {
                return "held exclusively by " + names.get(exclusiveOwner);
            }
            List<String> readers = new ArrayList<>();
            for (int t = 0; t < shared.length; t++) {
                if (shared[t] > 0) {
                    readers.add(names.get(t));
                }
            }
            return "held shared by " + String.join(", ", readers);
        }
    }

    private static final ThreadLocal<TaskScheduler> CURRENT = new ThreadLocal<>();
    private static final ThreadLocal<Integer> TASK = new ThreadLocal<>();

    private final List<String> names;
    private final Chooser chooser;
    private final java.util.function.IntFunction<String> contexts;
    private final ReentrantLock baton = new ReentrantLock();
    private final Condition changed = baton.newCondition();
    private final State[] state;
    private final LockId[] waitingFor;
    private final boolean[] waitingExclusive;
    private final String[] waitingWhere;
    /** Sorted by lock, so a deadlock report lists them in the same order on every machine. */
    private final TreeMap<LockId, Holders> locks = new TreeMap<>();
    private final List<Decision> decisions = new ArrayList<>();
    private final List<Integer> choices = new ArrayList<>();
    private int running = -1;
    private boolean ended;
    private Outcome outcome;
    private Throwable failure;
    private int failedTask = -1;
    private final List<String> deadlock = new ArrayList<>();

    /** A scheduler for tasks named {@code names} (at most 64), deciding with {@code chooser}. */
    public TaskScheduler(List<String> names, Chooser chooser) {
        this(names, chooser, task -> null);
    }

    /**
     * As {@link #TaskScheduler(List, Chooser)}; {@code contexts} says where a task is (the
     * statement it runs, say) for the decisions' descriptions, or null.
     */
    public TaskScheduler(List<String> names, Chooser chooser, java.util.function.IntFunction<String> contexts) {
        this.contexts = Objects.requireNonNull(contexts, "contexts");
        if (names.isEmpty() || names.size() > 64) {
            throw new IllegalArgumentException("1 to 64 tasks, not " + names.size());
        }
        this.names = List.copyOf(names);
        this.chooser = Objects.requireNonNull(chooser, "chooser");
        state = new State[names.size()];
        java.util.Arrays.fill(state, State.NEW);
        waitingFor = new LockId[names.size()];
        waitingExclusive = new boolean[names.size()];
        waitingWhere = new String[names.size()];
    }

    /** The scheduler of the calling thread's execution, or null outside one (a program without tasks). */
    public static TaskScheduler current() {
        return CURRENT.get();
    }

    /** The calling task's index in its execution (-1 outside one). */
    public static int currentTask() {
        Integer t = TASK.get();
        return t == null ? -1 : t;
    }

    public List<String> names() {
        return names;
    }

    /**
     * Runs {@code bodies} (one per task, in the order of the names) as racing tasks to their end,
     * a deadlock, a failure or a stop, and says how it went. Returns only when every task's
     * thread has ended.
     */
    public Result run(List<Runnable> bodies) {
        if (bodies.size() != names.size()) {
            throw new IllegalArgumentException(bodies.size() + " bodies for " + names.size() + " tasks");
        }
        List<Thread> threads = new ArrayList<>();
        for (int i = 0; i < bodies.size(); i++) {
            int task = i;
            Runnable body = bodies.get(i);
            Thread t = new Thread(() -> taskMain(task, body), "daxfuzz-task-" + names.get(i));
            t.setDaemon(true);
            threads.add(t);
        }
        baton.lock();
        try {
            for (int i = 0; i < state.length; i++) {
                state[i] = State.RUNNABLE;
            }
            handOver(-1, "start");
        } finally {
            baton.unlock();
        }
        threads.forEach(Thread::start);
        baton.lock();
        try {
            while (!ended) {
                changed.awaitUninterruptibly();
            }
        } finally {
            baton.unlock();
        }
        for (Thread t : threads) {
            boolean interrupted = false;
            while (t.isAlive()) {
                try {
                    t.join();
                } catch (InterruptedException e) {
                    interrupted = true;
                }
            }
            if (interrupted) {
                Thread.currentThread().interrupt();
            }
        }
        return new Result(outcome, decisions, choices, deadlock, failure, failedTask);
    }

    private void taskMain(int task, Runnable body) {
        CURRENT.set(this);
        TASK.set(task);
        baton.lock();
        try {
            awaitTurn(task);
        } catch (Unwind u) {
            baton.unlock();
            return;
        }
        baton.unlock();
        try {
            body.run();
        } catch (Unwind u) {
            return;
        } catch (RuntimeException | Error e) {
            baton.lock();
            try {
                if (!ended) {
                    failure = e;
                    failedTask = task;
                    end(Outcome.FAILED);
                }
            } finally {
                baton.unlock();
            }
            return;
        }
        baton.lock();
        try {
            state[task] = State.DONE;
            if (!ended) {
                handOver(task, names.get(task) + " ends");
            }
        } finally {
            baton.unlock();
        }
    }

    /**
     * A scheduling point of the calling task: another runnable task may run now, and this one
     * goes on when a later choice picks it. Outside an execution, nothing happens.
     */
    public static void pointHere(String where) {
        TaskScheduler s = CURRENT.get();
        if (s != null) {
            s.point(where);
        }
    }

    /** A scheduling point of the calling task (see {@link #pointHere}). */
    public void point(String where) {
        int me = self();
        baton.lock();
        try {
            checkNotEnded();
            handOver(me, where);
            awaitTurn(me);
        } finally {
            baton.unlock();
        }
    }

    /**
     * Takes {@code lock} for the calling task, shared or exclusive: a scheduling point before the
     * attempt, then, while another task holds the lock in a mode that excludes this one, the task
     * is blocked and others run.
     */
    public void acquire(LockId lock, boolean exclusive, String where) {
        int me = self();
        baton.lock();
        try {
            Holders h = pointThenWait(me, lock, exclusive, where, " waits for " + lock + " at " + where,
                    x -> !x.free(me, exclusive));
            if (exclusive) {
                h.exclusiveOwner = me;
            } else {
                h.shared[me]++;
            }
        } finally {
            baton.unlock();
        }
    }

    /**
     * Waits until no other task holds {@code lock} in any mode, without taking it: how a jbd2
     * commit waits for every other handle of its transaction to stop ({@code t_updates} falling
     * to zero). A scheduling point before the wait.
     */
    public void awaitOthersRelease(LockId lock, String where) {
        int me = self();
        baton.lock();
        try {
            pointThenWait(me, lock, true, where, " waits for the other holders of " + lock + " at " + where,
                    x -> x.heldByOthers(me));
        } finally {
            baton.unlock();
        }
    }

    /**
     * A scheduling point at {@code where}, then, while {@code mustWait} holds for the lock's
     * holders, the task is blocked on it and others run. The baton is held.
     */
    private Holders pointThenWait(int me, LockId lock, boolean exclusive, String where, String waiting,
                                  java.util.function.Predicate<Holders> mustWait) {
        checkNotEnded();
        handOver(me, where);
        awaitTurn(me);
        Holders h = locks.computeIfAbsent(lock, k -> new Holders(names.size()));
        while (mustWait.test(h)) {
            state[me] = State.BLOCKED;
            waitingFor[me] = lock;
            waitingExclusive[me] = exclusive;
            waitingWhere[me] = where;
            handOver(me, names.get(me) + waiting);
            awaitTurn(me);
        }
        return h;
    }

    /** Releases the calling task's hold of {@code lock}, waking its waiters; then a scheduling point. */
    public void release(LockId lock, boolean exclusive, String where) {
        int me = self();
        baton.lock();
        try {
            checkNotEnded();
            Holders h = locks.get(lock);
            if (h == null || (exclusive ? h.exclusiveOwner != me : h.shared[me] == 0)) {
                throw new IllegalStateException(names.get(me) + " releases " + lock + " it does not hold");
            }
            if (exclusive) {
                h.exclusiveOwner = -1;
            } else {
                h.shared[me]--;
            }
            for (int t = 0; t < state.length; t++) {
                if (state[t] == State.BLOCKED && lock.equals(waitingFor[t])) {
                    state[t] = State.RUNNABLE;
                    waitingFor[t] = null;
                }
            }
            handOver(me, where);
            awaitTurn(me);
        } finally {
            baton.unlock();
        }
    }

    private int self() {
        Integer t = TASK.get();
        if (t == null || CURRENT.get() != this) {
            throw new IllegalStateException("not a task of this execution");
        }
        return t;
    }

    private void checkNotEnded() {
        if (ended) {
            throw new Unwind();
        }
    }

    /** Picks who runs next after {@code current} reached {@code where}; the baton is held. */
    private void handOver(int current, String where) {
        long runnable = 0;
        for (int t = 0; t < state.length; t++) {
            if (state[t] == State.RUNNABLE) {
                runnable |= 1L << t;
            }
        }
        if (runnable == 0) {
            boolean allDone = true;
            for (State s : state) {
                allDone &= s == State.DONE;
            }
            if (allDone) {
                end(Outcome.DONE);
            } else {
                explainDeadlock();
                end(Outcome.DEADLOCK);
            }
            return;
        }
        String context = current >= 0 ? contexts.apply(current) : null;
        Decision d = new Decision(decisions.size(), current, runnable, context == null ? where : context + ": " + where);
        int next = chooser.choose(d);
        if (next < 0) {
            end(Outcome.STOPPED);
            return;
        }
        if (next >= state.length || (runnable & (1L << next)) == 0) {
            throw new IllegalStateException("the chooser picked task " + next + ", which cannot run at " + d);
        }
        decisions.add(d);
        choices.add(next);
        running = next;
        changed.signalAll();
    }

    private void awaitTurn(int me) {
        while (running != me && !ended) {
            changed.awaitUninterruptibly();
        }
        if (ended) {
            throw new Unwind();
        }
    }

    private void end(Outcome o) {
        outcome = o;
        ended = true;
        running = -1;
        changed.signalAll();
    }

    private void explainDeadlock() {
        for (int t = 0; t < state.length; t++) {
            if (state[t] == State.BLOCKED) {
                Holders h = locks.get(waitingFor[t]);
                deadlock.add(names.get(t) + " waits at " + waitingWhere[t] + " to take " + waitingFor[t]
                        + (waitingExclusive[t] ? " exclusively" : " shared") + ", " + h.describe(names));
            }
        }
    }
}
