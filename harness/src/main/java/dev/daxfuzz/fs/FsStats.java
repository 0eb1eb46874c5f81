package dev.daxfuzz.fs;

/**
 * How deep one run took the file system: counts of the events that only long or unusual call
 * sequences reach (a journal that wraps, a checkpoint, ENOSPC, a freed block handed out again, a
 * sync fault, a retried fault, a written-back page faulted again). The run reads them once at the
 * end; a fuzz target turns them into feedback so that coverage guidance rewards reaching these
 * states, not only new branches (the role of Jazzer's {@code exploreState}).
 *
 * <p>Counting never changes what the file system does: the counters are written, never read, by
 * the file system itself.
 */
public final class FsStats {
    int commits;
    int checkpoints;
    int logWraps;
    int enospc;
    int blocksReused;
    int writeFaults;
    int syncFaults;
    int retries;
    int pagesWrittenBack;
    int refaults;
    int indirectBlocks;

    FsStats() {
    }

    /** A copy of the counters as they stand. */
    public Snapshot snapshot() {
        return new Snapshot(commits, checkpoints, logWraps, enospc, blocksReused, writeFaults, syncFaults, retries,
                pagesWrittenBack, refaults, indirectBlocks);
    }

    /**
     * The counters of one run.
     *
     * @param commits journal commits that wrote a transaction
     * @param checkpoints checkpoints (committed lines written home, log retired)
     * @param logWraps log writes that wrapped from the end of the circular log to its start
     * @param enospc calls and faults that found no free block (before or after a checkpoint)
     * @param blocksReused blocks allocated that this run had freed before
     * @param writeFaults write faults on a shared file mapping
     * @param syncFaults write faults that synced metadata before installing the PTE (MAP_SYNC)
     * @param retries faults that dropped the locks, synced and returned VM_FAULT_RETRY
     * @param pagesWrittenBack dirty DAX pages written back by fsync/msync (dax_writeback_mapping_range)
     * @param refaults write faults on a page that had been written back and write-protected before
     * @param indirectBlocks indirect blocks allocated (files past the direct pointers)
     */
    public record Snapshot(int commits, int checkpoints, int logWraps, int enospc, int blocksReused,
                           int writeFaults, int syncFaults, int retries, int pagesWrittenBack, int refaults,
                           int indirectBlocks) {
        /** No run yet. */
        public static final Snapshot NONE = new Snapshot(0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0);

        /** The counters in declaration order, for feedback that numbers them. */
        public int[] values() {
            return new int[] {commits, checkpoints, logWraps, enospc, blocksReused, writeFaults, syncFaults, retries,
                pagesWrittenBack, refaults, indirectBlocks};
        }
    }
}
