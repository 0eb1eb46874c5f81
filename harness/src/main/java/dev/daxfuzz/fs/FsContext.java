package dev.daxfuzz.fs;

import dev.daxfuzz.fs.layout.JournalFormat;
import dev.daxfuzz.fs.layout.Le;
import dev.daxfuzz.pm.PersistentMemory;
import dev.daxfuzz.vm.AddressSpace;
import dev.daxfuzz.vm.LockChecker;
import dev.daxfuzz.vm.TaskScheduler;
import dev.daxfuzz.vm.LockClass;
import dev.daxfuzz.vm.VmOperations;

/**
 * What every part of a mounted {@code journal} file system shares: the device, the geometry, the
 * metadata cache and the volume read through it, the journal, the options, the lock checker,
 * the process's address space and the statistics, plus the running call (its statement index,
 * the logical clock) and its journal handle. Corresponds to ext4's {@code struct ext4_sb_info}
 * with the handle helpers of {@code fs/ext4/ext4_jbd2.c} ({@code ext4_journal_start},
 * {@code ext4_journal_stop}) and {@code jbd2_log_wait_commit}.
 *
 * <p>Limits: one task: one running call and at most one open handle at a time; not thread-safe.
 */
final class FsContext {
    static final int CPU = 0;
    static final int FIRST_INO = 2;

    final PersistentMemory pm;
    final FsGeometry g;
    final MetaCache cache;
    final Volume vol;
    final Journal journal;
    final FsStats stats = new FsStats();
    final FsOptions options;
    final LockChecker locks = new LockChecker();
    final AddressSpace mm;
    /** The file system as the memory-management core knows it (mappings name it as their ops). */
    final VmOperations vmOps;
    /**
     * Per task (index {@link TaskScheduler#currentTask()} + 1; 0 outside racing tasks): the
     * statement the running call belongs to (the logical clock and the label of its stores) and
     * whether it holds a journal handle. Linux keeps both per task too ({@code current->journal_info}).
     */
    private final int[] steps = filled(-1);
    private final int[] handleDepths = new int[TASK_SLOTS];
    private static final int TASK_SLOTS = 65;

    private static int[] filled(int v) {
        int[] a = new int[TASK_SLOTS];
        java.util.Arrays.fill(a, v);
        return a;
    }

    /** The statement the calling task's call belongs to. */
    int step() {
        return steps[TaskScheduler.currentTask() + 1];
    }

    void setStep(int step) {
        steps[TaskScheduler.currentTask() + 1] = step;
    }

    /** Whether the calling task holds a journal handle. */
    boolean inHandle() {
        return handleDepths[TaskScheduler.currentTask() + 1] > 0;
    }
    java.util.function.IntFunction<String> stepNames = k -> "statement " + (k + 1);

    /**
     * Mounts: reads the journal's position from its superblock line and starts the journal;
     * {@code onCheckpoint} runs after every checkpoint (the allocator's quarantine ends there).
     */
    FsContext(PersistentMemory pm, FsGeometry g, FsOptions options, VmOperations vmOps, Runnable onCheckpoint) {
        this.vmOps = vmOps;
        this.pm = pm;
        this.options = options;
        this.g = g;
        this.cache = new MetaCache(pm, g);
        this.vol = new Volume(g, cache);
        byte[] jsb = new byte[FsGeometry.LINE_BYTES];
        pm.load(CPU, g.journalLineAddr(0), jsb, 0, jsb.length);
        long pos = Le.u64(jsb, 8);
        this.journal = new Journal(pm, g, cache, JournalFormat.positionLine(pos), JournalFormat.positionSequence(pos),
                onCheckpoint, options);
        this.journal.onDirty(this::ensureHandle);
        this.journal.beforeCommit(() -> {
            TaskScheduler s = TaskScheduler.current();
            if (s != null) {
                // jbd2 commits only once every handle of the transaction has stopped.
                s.awaitOthersRelease(new TaskScheduler.LockId(LockClass.JBD2_HANDLE, 0), "the commit of a transaction");
            }
        });
        this.journal.stats = stats;
        this.mm = new AddressSpace(pm, locks);
    }

    // ---- journal handles and the locks of a call ---------------------------------------------------

    /** jbd2_journal_start: the first change of a call or fault joins the running transaction. */
    void ensureHandle() {
        int t = TaskScheduler.currentTask() + 1;
        if (handleDepths[t] == 0) {
            locks.acquire(LockClass.JBD2_HANDLE, false, "the journal handle of " + stepNames.apply(step()));
            handleDepths[t] = 1;
        }
    }

    /** jbd2_journal_stop. */
    void stopHandle() {
        int t = TaskScheduler.currentTask() + 1;
        if (handleDepths[t] > 0) {
            handleDepths[t] = 0;
            locks.release(LockClass.JBD2_HANDLE);
        }
    }

    /** The task waits for the running transaction to commit (jbd2_log_wait_commit). */
    void commitAndWait(String where) {
        locks.waitFor(LockClass.JBD2_HANDLE, where);
        journal.commit(step());
    }

    /** Takes the locks a call holds for its whole length, in the documented order. */
    void lockInode(boolean invalidate, String where) {
        locks.acquire(LockClass.I_RWSEM, true, where);
        if (invalidate) {
            locks.acquire(LockClass.INVALIDATE_LOCK, true, where);
        }
    }

    void unlockInode(boolean invalidate) {
        if (invalidate) {
            locks.release(LockClass.INVALIDATE_LOCK);
        }
        locks.release(LockClass.I_RWSEM);
    }

    /**
     * Writes bytes [off, off+len) of cached metadata block {@code block} to their home location
     * with cached stores and a clwb, outside the journal: only seeded bugs do this.
     */
    void storeInPlace(int block, int off, int len) {
        long addr = FsGeometry.blockAddr(block) + off;
        pm.store(CPU, addr, cache.block(block), off, len, Site.IN_PLACE.at(step()));
        for (long line = addr & ~(FsGeometry.LINE_BYTES - 1L); line < addr + len; line += FsGeometry.LINE_BYTES) {
            pm.clwb(CPU, line, Site.IN_PLACE.at(step()));
        }
    }

    /** The file block holding byte {@code off}. */
    static int firstBlock(long off) {
        return (int) (off / FsGeometry.BLOCK_BYTES);
    }
}
