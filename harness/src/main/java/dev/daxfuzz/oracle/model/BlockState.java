package dev.daxfuzz.oracle.model;

/**
 * The allocation state of one block of a regular file, as far as {@code fdatasync} cares: a change
 * from one state to another is an allocation change whose metadata {@code fdatasync} must commit.
 *
 * <p>Limits: no physical placement, no extent boundaries; only the three states ext4 and XFS
 * distinguish for reading and for data integrity.
 */
enum BlockState {
    /** Not allocated; reads as zeros. Not stored in a {@link BlockMap}. */
    HOLE,
    /** Allocated but never written since (fallocate, zero-range): reads as zeros. */
    UNWRITTEN,
    /** Allocated and holding written data. */
    WRITTEN
}
