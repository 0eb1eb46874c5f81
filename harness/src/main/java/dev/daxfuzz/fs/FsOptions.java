package dev.daxfuzz.fs;

import dev.daxfuzz.program.Header;
import java.util.EnumSet;
import java.util.Set;

/**
 * How to build a {@code journal} file system.
 *
 * @param journalBlocks journal size in blocks; 0 for the default (a thirty-second of the device)
 * @param variants deliberately broken variants, for tests that prove the oracles catch what they
 *     should; empty for the correct design
 * @param syncFault how a MAP_SYNC write fault makes dirty metadata durable (program header
 *     {@code sync-fault})
 * @param daxfile the immutable-file design behind {@code daxctl} (program header {@code daxfile})
 * @param journalCommit how a commit record is ordered after its log (header {@code journal-commit})
 */
public record FsOptions(int journalBlocks, Set<Variant> variants, Header.SyncFault syncFault,
                        Header.DaxfileDesign daxfile, Header.JournalCommit journalCommit) {
    public FsOptions {
        java.util.Objects.requireNonNull(syncFault, "syncFault");
        java.util.Objects.requireNonNull(journalCommit, "journalCommit");
        java.util.Objects.requireNonNull(daxfile, "daxfile");
        if (journalBlocks < 0) {
            throw new IllegalArgumentException("journal blocks must not be negative");
        }
        variants = variants.isEmpty() ? Set.of() : Set.copyOf(EnumSet.copyOf(variants));
    }

    /** Synchronous commits with the given fault and daxfile designs. */
    public FsOptions(int journalBlocks, Set<Variant> variants, Header.SyncFault syncFault,
                     Header.DaxfileDesign daxfile) {
        this(journalBlocks, variants, syncFault, daxfile, Header.JournalCommit.SYNC);
    }

    /** Default designs (fsync-before-pte, sealed, sync commit) with the given journal size and variants. */
    public FsOptions(int journalBlocks, Set<Variant> variants) {
        this(journalBlocks, variants, Header.SyncFault.FSYNC_BEFORE_PTE, Header.DaxfileDesign.SEALED);
    }

    /** The correct design with default sizes. */
    public static final FsOptions DEFAULT = new FsOptions(0, Set.of());

    /** The designs and seeded bugs a program header asks for, default sizes. */
    public static FsOptions of(Header header) {
        return new FsOptions(0, bugVariants(header.bugs()), header.syncFault(), header.daxfile(),
                header.journalCommit());
    }

    /** The switches of catalog bugs named {@code names}; every name must be implemented. */
    public static Set<Variant> bugVariants(java.util.List<String> names) {
        EnumSet<Variant> v = EnumSet.noneOf(Variant.class);
        for (String n : names) {
            v.add(Bug.byName(n).orElseThrow(() -> new IllegalArgumentException("unknown bug " + n)).variant());
        }
        return v;
    }

    /** The same options with another variant set. */
    public FsOptions withVariants(Set<Variant> v) {
        return new FsOptions(journalBlocks, v, syncFault, daxfile, journalCommit);
    }

    /** Broken variants of the design. Each must be caught; none is ever the default. */
    public enum Variant {
        /** Commit without the fence between the log and the commit record. */
        DROP_LOG_FENCE,
        /** No journal at all: each call writes its metadata lines home at its end, unfenced. */
        NO_JOURNAL,
        /** fsync and fdatasync only fence: they never commit the journal. */
        FSYNC_ONLY_FENCES,
        /** rmdir removes a directory even when it has entries. */
        RMDIR_IGNORES_ENTRIES,
        /** A synchronous write fault installs the writable PTE without committing first. */
        PTE_BEFORE_COMMIT,
        /** fsync-before-pte: the fault waits for the commit before stopping its journal handle. */
        COMMIT_WHILE_HOLDING_HANDLE,
        /** drop-lock-retry: a timestamp-only change counts as dirty, so the retried fault never ends. */
        RETRY_DIRTY_ON_MTIME,
        /** daxctl sets or clears the flag without CAP_LINUX_IMMUTABLE. */
        DAXFILE_NO_CAP_CHECK,
        /** rfc-v1: clearing the flag keeps the pinned file reference. */
        DAXFILE_CLEAR_KEEPS_REF,
        /** The MAP_SYNC fault syncs only when the inode is already clean (inverted dirty test). */
        SYNC_FAULT_INVERTED_DIRTY,
        /** A write fault maps an unwritten block without zeroing and converting it. */
        FAULT_MAPS_UNWRITTEN,
        /** A static file's truncate and fallocate go ahead. */
        DAXFILE_ALLOWS_TRUNCATE,
        /** daxctl static skips the hole check. */
        DAXFILE_ALLOWS_HOLES,
        /** sealed: daxctl static leaves unwritten extents unconverted. */
        DAXFILE_SKIPS_UNWRITTEN,
        /** The DAX copy stores an unaligned tail through the cache and never flushes it. */
        UNALIGNED_TAIL_CACHED,
        /** Recovery replays a transaction without checking its commit checksum. */
        REPLAY_IGNORES_CHECKSUM,
        /** Every call also writes its dirty metadata lines home, before its transaction commits. */
        INPLACE_BEFORE_COMMIT,
        /** The block bitmap is stored in place (cached store + clwb), never journalled. */
        BITMAP_OUTSIDE_JOURNAL,
        /** rename commits the new name in one transaction and removes the old one in the next. */
        RENAME_TWO_TRANSACTIONS,
        /** Link counts are stored in place (cached store + clwb), never journalled. */
        NLINK_OUTSIDE_JOURNAL,
        /** The zeroing of a newly allocated block's unwritten parts runs after the call's commit. */
        SIZE_BEFORE_ZEROING,
        /** Freed blocks are reusable at once, before the freeing transaction commits. */
        FREE_BEFORE_COMMIT,
        /** A size change alone does not make the inode datasync-dirty. */
        FDATASYNC_SKIPS_SIZE,
        /** sealed: the static flag commits in its own transaction before the map conversion. */
        DAXFILE_FLAG_BEFORE_MAP,
        /** Recovery resets the journal with no barrier after the replayed lines: both persist unordered. */
        RECOVERY_RESETS_JOURNAL_EARLY,
        /** Orphan cleanup frees the blocks and clears the inode with no barrier between them. */
        ORPHAN_CLEANUP_UNORDERED,
        /** A read over poisoned media returns zeros for the poisoned lines instead of EIO. */
        POISON_READ_RETURNS_ZEROS,
        /** Truncate and hole punch free blocks without unmapping their pages first (no dax_layout_busy_page). */
        TRUNCATE_SKIPS_UNMAP,
        /** The DAX fault does not take the invalidate lock, so it races with hole punch and truncate. */
        FAULT_WITHOUT_INVALIDATE_LOCK,
        /** drop-lock-retry: the retried fault maps the block the first attempt looked up, without looking again. */
        RETRY_SKIPS_REVALIDATE,
        /** daxctl static walks the block map before it takes i_rwsem, so the map can change before the flag is set. */
        DAXCTL_CHECK_UNLOCKED
    }

    public boolean has(Variant v) {
        return variants.contains(v);
    }
}
