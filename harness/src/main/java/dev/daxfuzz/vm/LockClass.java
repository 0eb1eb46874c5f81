package dev.daxfuzz.vm;

/**
 * The lock classes daxfuzz tracks, named as in Linux. Lockdep reasons about classes, not lock
 * instances: every inode's invalidate lock is one class, so an order seen on one inode constrains
 * all of them.
 *
 * <p>The documented order (fs/ext4/super.c's lock-order comment, mm/rmap.c): a directory's
 * {@code i_rwsem} before a file's, {@code i_rwsem} before {@code mmap_lock} for write paths; the fault path takes {@code mmap_lock}, then
 * {@code invalidate_lock} (shared), then starts a journal handle. A journal handle ranks below
 * all of them: a task that holds a handle may not wait for the commit of its transaction,
 * because the commit waits for every handle to stop.
 */
public enum LockClass {
    /**
     * A directory's {@code i_rwsem} ({@code I_MUTEX_PARENT}): the namespace calls (mkdir, rmdir,
     * unlink, link, rename, and open's lookup and create) hold it exclusively while they look a
     * name up and change it, so two of them never both see a name free and both take it. Taken
     * before any file's own {@code i_rwsem}, as Linux locks a parent before its child.
     */
    DIR_RWSEM("dir->i_rwsem"),
    /** {@code inode->i_rwsem}: write, truncate, fallocate and daxctl hold it exclusively, read shared. */
    I_RWSEM("inode->i_rwsem"),
    /** {@code mm->mmap_lock} (mmap_sem before 5.8): faults shared, mmap and munmap exclusive. */
    MMAP_LOCK("mm->mmap_lock"),
    /**
     * {@code mapping->invalidate_lock} (ext4's i_mmap_sem, XFS's MMAPLOCK before 5.15): faults
     * shared, truncate and hole punch exclusive.
     */
    INVALIDATE_LOCK("mapping->invalidate_lock"),
    /**
     * jbd2's {@code j_trans_commit_map}: holding a journal handle takes it shared
     * ({@code start_this_handle}); waiting for a transaction to commit takes it exclusively for
     * an instant ({@code jbd2_might_wait_for_commit}), so that lockdep sees "wait for commit while
     * holding a handle" as the self-deadlock it is.
     */
    JBD2_HANDLE("jbd2_handle");

    private final String kernelName;

    LockClass(String kernelName) {
        this.kernelName = kernelName;
    }

    /** The name the kernel's lockdep reports use. */
    public String kernelName() {
        return kernelName;
    }
}
