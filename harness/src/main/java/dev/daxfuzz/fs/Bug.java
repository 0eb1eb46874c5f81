package dev.daxfuzz.fs;

import java.util.Optional;

/**
 * The seeded-bug catalog ({@code shared/spec/bug-catalog.md}): each entry puts one real mistake
 * back into a correct design by switching the code path where the real bug lived (a
 * {@link FsOptions.Variant}), never the oracle or the fuzzer. Each has a minimal reproducer in
 * {@code findings/catalog/}, replayed both ways by the tests.
 */
public enum Bug {
    COMMIT_BEFORE_LOG_PERSISTED("commit-before-log-persisted", "journal (sync commit)",
            "the commit record can persist before the transaction's log blocks (missing fence)",
            "missing-fence bugs (PMFS, WineFS, NOVA-Fortis; Chipmunk)", FsOptions.Variant.DROP_LOG_FENCE),
    REPLAY_IGNORES_CHECKSUM("replay-ignores-checksum", "journal (async commit)",
            "recovery replays a transaction whose blocks are torn", "jbd2 commit checksums; WineFS journal recovery bug",
            FsOptions.Variant.REPLAY_IGNORES_CHECKSUM),
    INPLACE_BEFORE_COMMIT("inplace-before-commit", "journal",
            "a metadata block is written to its home location before its transaction commits",
            "in-place metadata updates (Chipmunk's main lesson)",
            FsOptions.Variant.INPLACE_BEFORE_COMMIT),
    BITMAP_OUTSIDE_JOURNAL("bitmap-outside-journal", "journal",
            "the allocation bitmap is updated in place, outside the journal", "double allocation after crash",
            FsOptions.Variant.BITMAP_OUTSIDE_JOURNAL),
    RENAME_TWO_TRANSACTIONS("rename-two-transactions", "journal",
            "rename removes the old name and adds the new one in separate transactions",
            "NOVA rename (linux-nova #116), SplitFS #67",
            FsOptions.Variant.RENAME_TWO_TRANSACTIONS),
    NLINK_OUTSIDE_JOURNAL("nlink-outside-journal", "journal",
            "the link count is updated in place, outside the journal", "NOVA link-count bugs (#119, #125)",
            FsOptions.Variant.NLINK_OUTSIDE_JOURNAL),
    SIZE_BEFORE_ZEROING("size-before-zeroing", "journal",
            "a file's size grows durably before the newly exposed range is zeroed", "stale-data exposure",
            FsOptions.Variant.SIZE_BEFORE_ZEROING),
    FREE_BEFORE_COMMIT("free-before-commit", "journal",
            "blocks freed by truncate, punch or unlink are reused before the freeing transaction commits",
            "truncate-list recovery bugs (PMFS, WineFS)",
            FsOptions.Variant.FREE_BEFORE_COMMIT),
    UNALIGNED_TAIL_CACHED("unaligned-tail-cached", "journal",
            "the data path copies an unaligned tail with a cached store and never flushes it",
            "NOVA #105, PMFS/WineFS edge cache lines", FsOptions.Variant.UNALIGNED_TAIL_CACHED),
    FDATASYNC_SKIPS_SIZE("fdatasync-skips-size", "journal", "fdatasync does not commit a pending size change",
            "fdatasync semantics of i_disksize",
            FsOptions.Variant.FDATASYNC_SKIPS_SIZE),
    SYNC_FAULT_INVERTED_DIRTY("sync-fault-inverted-dirty", "sync-fault (both)",
            "the MAP_SYNC fault syncs only when the metadata is already clean",
            "ext4 fast-commit inversion of ext4_inode_datasync_dirty (2020)", FsOptions.Variant.SYNC_FAULT_INVERTED_DIRTY),
    PTE_BEFORE_COMMIT("pte-before-commit", "sync-fault (both)",
            "the write fault installs the writable PTE and returns, leaving the metadata commit to a later fsync",
            "the ordering that dax_finish_sync_fault exists to keep; MAP_SYNC accepted where it is not honoured"
                    + " (virtio-pmem, 5.3)", FsOptions.Variant.PTE_BEFORE_COMMIT),
    FAULT_MAPS_UNWRITTEN("fault-maps-unwritten", "sync-fault (both)",
            "a write fault maps an unwritten extent without converting it",
            "ext4-DAX unwritten-extent data loss (pre-zeroed allocation fix)", FsOptions.Variant.FAULT_MAPS_UNWRITTEN),
    COMMIT_WHILE_HOLDING_HANDLE("commit-while-holding-handle", "fsync-before-pte",
            "the fault waits for the journal commit while still holding its journal handle",
            "the mmap_sem vs journal deadlock discussed in the daxfile thread",
            FsOptions.Variant.COMMIT_WHILE_HOLDING_HANDLE),
    RETRY_DIRTY_ON_MTIME("retry-dirty-on-mtime", "drop-lock-retry",
            "a timestamp-only change counts as dirty metadata, so the retried fault never completes",
            "Dave Chinner's objection in the daxfile thread", FsOptions.Variant.RETRY_DIRTY_ON_MTIME),
    DAXFILE_NO_CAP_CHECK("daxfile-no-cap-check", "daxfile (both)", "an unprivileged caller can set or clear the flag",
            "CAP_LINUX_IMMUTABLE requirement", FsOptions.Variant.DAXFILE_NO_CAP_CHECK),
    DAXFILE_ALLOWS_TRUNCATE("daxfile-allows-truncate", "daxfile (both)",
            "shrinking truncate or fallocate still changes the block map of a daxfile", "S_SWAPFILE rules",
            FsOptions.Variant.DAXFILE_ALLOWS_TRUNCATE),
    DAXFILE_ALLOWS_HOLES("daxfile-allows-holes", "daxfile (both)", "the flag can be set on a sparse file",
            "bmap_walk \"daxfile has holes\" check", FsOptions.Variant.DAXFILE_ALLOWS_HOLES),
    DAXFILE_CLEAR_KEEPS_REF("daxfile-clear-keeps-ref", "daxfile rfc-v1",
            "clearing the flag does not drop the pinned file reference", "the leaked reference argued in the thread",
            FsOptions.Variant.DAXFILE_CLEAR_KEEPS_REF),
    DAXFILE_FLAG_BEFORE_MAP("daxfile-flag-before-map", "daxfile sealed",
            "the flag persists before the block map it protects is committed",
            "seal/commit ordering of FALLOC_FL_SEAL_BLOCK_MAP",
            FsOptions.Variant.DAXFILE_FLAG_BEFORE_MAP),
    DAXFILE_SKIPS_UNWRITTEN("daxfile-skips-unwritten", "daxfile sealed",
            "sealing leaves unwritten extents in the protected map", "Dave Chinner's \"fully allocated and zeroed\" rule",
            FsOptions.Variant.DAXFILE_SKIPS_UNWRITTEN),
    RECOVERY_RESETS_JOURNAL_EARLY("recovery-resets-journal-early", "journal",
            "recovery marks the journal empty before the blocks it replayed are durable at home, so a power failure"
                    + " during recovery loses committed transactions",
            "jbd2 recovery, which flushes the device before resetting the journal",
            FsOptions.Variant.RECOVERY_RESETS_JOURNAL_EARLY),
    ORPHAN_CLEANUP_NOT_IDEMPOTENT("orphan-cleanup-not-idempotent", "journal",
            "orphan cleanup at mount frees an orphan's blocks and clears the orphan record in separate, unordered"
                    + " steps, so a crash during recovery frees blocks twice or leaks them",
            "ext4 orphan-list processing across repeated mounts", FsOptions.Variant.ORPHAN_CLEANUP_UNORDERED),
    POISON_READ_RETURNS_ZEROS("poison-read-returns-zeros", "journal",
            "a read of a poisoned range returns zeros (or stale bytes) instead of EIO, silently",
            "DAX badblocks handling: dax_direct_access and pmem reads fail with an I/O error on poison",
            FsOptions.Variant.POISON_READ_RETURNS_ZEROS),
    RETRY_SKIPS_REVALIDATE("retry-skips-revalidate", "drop-lock-retry",
            "after dropping mmap_lock and syncing, the retried fault reuses the block it looked up before the sync"
                    + " instead of looking it up again, so it can map a block that a racing truncate or punch freed",
            "what VM_FAULT_RETRY obliges the handler to redo (Andy Lutomirski's proposal in the daxfile thread)",
            FsOptions.Variant.RETRY_SKIPS_REVALIDATE),
    TRUNCATE_SKIPS_UNMAP("truncate-skips-unmap", "journal",
            "truncate and hole punch free blocks without first unmapping them from user page tables, so another"
                    + " thread keeps storing into a freed (and possibly reused) block",
            "the DAX truncate race closed by dax_layout_busy_page (Linux 4.17-4.19)",
            FsOptions.Variant.TRUNCATE_SKIPS_UNMAP),
    FAULT_WITHOUT_INVALIDATE_LOCK("fault-without-invalidate-lock", "sync-fault (both)",
            "the fault does not hold the invalidate lock shared, so it races with hole punch and maps a block being"
                    + " freed", "ext4's i_mmap_sem fix for page faults racing hole punching (2015)",
            FsOptions.Variant.FAULT_WITHOUT_INVALIDATE_LOCK),
    DAXCTL_CHECK_UNLOCKED("daxctl-check-unlocked", "daxfile (both)",
            "daxctl static checks for holes and unwritten extents without holding the inode's locks, so a racing"
                    + " truncate, punch or extending write leaves a static file with a changing or incomplete map",
            "the daxfile RFC's block-map walk, which must exclude concurrent layout changes",
            FsOptions.Variant.DAXCTL_CHECK_UNLOCKED);

    private final String keyword;
    private final String design;
    private final String breaks;
    private final String modelledOn;
    private final FsOptions.Variant variant;

    Bug(String keyword, String design, String breaks, String modelledOn, FsOptions.Variant variant) {
        this.keyword = keyword;
        this.design = design;
        this.breaks = breaks;
        this.modelledOn = modelledOn;
        this.variant = java.util.Objects.requireNonNull(variant, keyword);
    }

    /** The name a {@code bug NAME} line and {@code --bug NAME} use. */
    public String keyword() {
        return keyword;
    }

    /** The design it applies to, in the catalog's words. */
    public String design() {
        return design;
    }

    /** What it breaks. */
    public String breaks() {
        return breaks;
    }

    /** The real bug it is modelled on. */
    public String modelledOn() {
        return modelledOn;
    }

    /** The code-path switch. */
    public FsOptions.Variant variant() {
        return variant;
    }

    /**
     * Whether the bug shows only when tasks race (the catalog's concurrency entries): its
     * reproducer has tasks, and the fuzzer's encodings, which carry one task, cannot reach it.
     */
    public boolean needsTasks() {
        return this == RETRY_SKIPS_REVALIDATE || this == TRUNCATE_SKIPS_UNMAP || this == FAULT_WITHOUT_INVALIDATE_LOCK
                || this == DAXCTL_CHECK_UNLOCKED;
    }

    public static Optional<Bug> byName(String name) {
        for (Bug b : values()) {
            if (b.keyword.equals(name)) {
                return Optional.of(b);
            }
        }
        return Optional.empty();
    }
}
