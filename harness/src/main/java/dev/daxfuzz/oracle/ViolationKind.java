package dev.daxfuzz.oracle;

/** What went wrong, as a fixed taxonomy: each violation has exactly one kind. */
public enum ViolationKind {
    /** The crash image does not mount: recovery reports corruption or fails outright. */
    RECOVERY_FAILED("recovery failed"),
    /**
     * Mounting the image a completed recovery left fails, or changes it: recovery is not
     * idempotent, so it cannot be restarted safely after a power failure during recovery.
     */
    RECOVERY_NOT_IDEMPOTENT("recovery not idempotent"),
    /** The recovered file system breaks a structural invariant (see {@code Fsck.Invariant}). */
    FSCK("fsck found a broken invariant"),
    /** State that a completed fsync, fdatasync, sync or O_DSYNC write made durable is gone. */
    LOST_DURABLE_DATA("durable data or metadata lost"),
    /** The recovered namespace is not the state after any prefix of the calls: a call half-done. */
    NOT_ATOMIC("a call was not atomic"),
    /** A file shows bytes never written to it at that offset: stale data of a freed block. */
    STALE_DATA("stale data exposed"),
    /** A call returned something other than what Linux returns. */
    WRONG_RESULT("wrong result"),
    /**
     * A store through a mapping that promised durability once flushed (MAP_SYNC, or any shared
     * mapping of a static daxfile) reached the media, yet recovery does not show it at its file
     * offset.
     */
    LOST_SYNCED_DATA("data stored through a synchronous mapping lost"),
    /** The block map of a static daxfile changed, or a call that must refuse to change it did not. */
    IMMUTABLE_VIOLATED("the block map of a static file changed"),
    /** A call that needs CAP_LINUX_IMMUTABLE succeeded without it. */
    PRIVILEGE("privilege not enforced"),
    /** A wait that can never end: a lock inversion or waiting for a commit while holding a handle. */
    DEADLOCK("deadlock"),
    /** A page fault that keeps retrying and never completes. */
    LIVELOCK("livelock"),
    /** A reference nothing accounts for is still held when the file system unmounts. */
    LEAK("reference leaked"),
    /**
     * A read or a load through a mapping returned bytes although the media behind them is
     * poisoned: whatever they are, they are not the file's data, and the caller cannot tell.
     */
    SILENT_CORRUPTION("bytes returned for poisoned media");

    private final String title;

    ViolationKind(String title) {
        this.title = title;
    }

    /** A few words for report headings. */
    public String title() {
        return title;
    }
}
