package dev.daxfuzz.program;

import java.util.List;

/**
 * The names a {@code bug NAME} header line may use: the seeded-bug catalog of
 * {@code shared/spec/bug-catalog.md}. The behaviour behind each name lives with the design it
 * breaks; this list only lets the parser reject a misspelt name and list the valid ones.
 */
public final class BugNames {
    /** Catalog order. */
    public static final List<String> ALL = List.of(
            "commit-before-log-persisted",
            "replay-ignores-checksum",
            "inplace-before-commit",
            "bitmap-outside-journal",
            "rename-two-transactions",
            "nlink-outside-journal",
            "size-before-zeroing",
            "free-before-commit",
            "unaligned-tail-cached",
            "fdatasync-skips-size",
            "sync-fault-inverted-dirty",
            "pte-before-commit",
            "fault-maps-unwritten",
            "commit-while-holding-handle",
            "retry-dirty-on-mtime",
            "daxfile-no-cap-check",
            "daxfile-allows-truncate",
            "daxfile-allows-holes",
            "daxfile-clear-keeps-ref",
            "daxfile-flag-before-map",
            "daxfile-skips-unwritten",
            "recovery-resets-journal-early",
            "orphan-cleanup-not-idempotent",
            "poison-read-returns-zeros",
            "retry-skips-revalidate",
            "truncate-skips-unmap",
            "fault-without-invalidate-lock",
            "daxctl-check-unlocked");

    private BugNames() {
    }
}
