package dev.daxfuzz.fs;

/**
 * Where a persistent-memory instruction of the file system came from: the program statement
 * being executed and the place in the file system's code, packed into the emulator's {@code site}
 * number so that crash-state provenance can say "the commit record of the fsync at line 7".
 */
public enum Site {
    /** A journal descriptor or journalled copy. */
    JOURNAL_LOG("journal log"),
    /** The fence that makes the log durable before the commit record. */
    JOURNAL_LOG_FENCE("fence before commit"),
    /** A journal commit record. */
    JOURNAL_COMMIT("journal commit"),
    /** The fence after a commit record. */
    JOURNAL_COMMIT_FENCE("fence after commit"),
    /** Checkpoint: a metadata line written home. */
    CHECKPOINT_HOME("checkpoint write"),
    /** The fence between checkpoint writes and the journal-superblock update. */
    CHECKPOINT_FENCE("checkpoint fence"),
    /** The journal superblock update that retires checkpointed transactions. */
    JOURNAL_SUPERBLOCK("journal superblock"),
    /** The fence after the journal superblock update. */
    JOURNAL_SUPERBLOCK_FENCE("journal superblock fence"),
    /** File data written by write(2). */
    DATA("data"),
    /** Zeroing of a newly allocated or converted block, or of a truncated or punched range. */
    ZEROING("zeroing"),
    /** A cache-line flush of unaligned data written through the cache. */
    DATA_FLUSH("data flush"),
    /** Metadata written in place, outside the journal (only seeded bugs do this). */
    IN_PLACE("in-place metadata"),
    /** A write-back of a dirty DAX page by fsync, fdatasync, msync or sync (dax_writeback_one). */
    DAX_WRITEBACK("dirty-page write-back"),
    /** A user-space store through a mapping. */
    USER_STORE("user store"),
    /** A user-space cache-line flush through a mapping. */
    USER_FLUSH("user flush"),
    /** A user-space fence. */
    USER_FENCE("user fence"),
    /** Async commit: the fence that makes ordered data durable before the log is written. */
    JOURNAL_DATA_FENCE("ordered-data fence");

    private final String description;

    Site(String description) {
        this.description = description;
    }

    public String description() {
        return description;
    }

    /** Packs statement index {@code step} (−1 for mkfs and mount) and this location. */
    public int at(int step) {
        return ((step + 1) << 5) | ordinal();
    }

    /** The statement index packed into {@code site}, or −1. */
    public static int stepOf(int site) {
        return (site >>> 5) - 1;
    }

    /** The location packed into {@code site}. */
    public static Site of(int site) {
        return values()[site & 31];
    }
}
