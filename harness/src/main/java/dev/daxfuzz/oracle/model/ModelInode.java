package dev.daxfuzz.oracle.model;

import java.util.TreeMap;

/**
 * One inode of the reference model: a directory (its entries) or a regular file (size, bytes,
 * block states), with its link count, how many open file descriptions refer to it, and the last
 * steps that dirtied it for {@code fsync} and for {@code fdatasync}.
 *
 * <p>Limits: no permissions, owners, timestamps or extended attributes; a timestamp change is
 * represented only by the step it dirties. Directories have no size and no blocks.
 */
final class ModelInode {
    /** The model's own inode number, stable for the inode's life, never reused. */
    final int id;
    final boolean directory;
    /** Links: names for a file; 2 + subdirectories for a directory; 0 once removed. */
    int nlink;
    /** Name to child, sorted; null for a regular file. */
    final TreeMap<String, ModelInode> entries;
    /** Bytes; 0 for a directory. */
    long size;
    /** Null for a directory. */
    final FileContent content;
    /** Null for a directory. */
    final BlockMap blocks;
    /** Open file descriptions referring to this inode, reachable by a name or not. */
    int openDescriptions;
    /** The last step that dirtied the inode in any way; -1 for never. */
    int lastDirty = -1;
    /** The last step that changed its size or a block state; -1 for never. */
    int lastDatasyncDirty = -1;
    /** Mappings of this file (each holds a reference, as a VMA holds its struct file). */
    int mappings;
    /** The daxfile flag: the block map is static. */
    boolean isStatic;
    /** rfc-v1's pinned file reference (held while the flag is set). */
    boolean pinned;
    /**
     * The file offsets of the 64-byte lines the program poisoned that no call has cleared since:
     * where a read may be EIO and an access through a mapping SIGBUS. Null until the first
     * {@code poison}, and for a directory.
     */
    it.unimi.dsi.fastutil.longs.LongAVLTreeSet poisoned;

    ModelInode(int id, boolean directory) {
        this.id = id;
        this.directory = directory;
        this.entries = directory ? new TreeMap<>() : null;
        this.content = directory ? null : new FileContent();
        this.blocks = directory ? null : new BlockMap();
    }

    /** Records that step {@code step} dirtied this inode (for {@code fsync}). */
    void dirty(int step) {
        lastDirty = Math.max(lastDirty, step);
    }

    /** Records that step {@code step} changed the size or block states (for {@code fdatasync} too). */
    void datasyncDirty(int step) {
        dirty(step);
        lastDatasyncDirty = Math.max(lastDatasyncDirty, step);
    }

    /** True while some name, open description, mapping or daxfile pin keeps the inode alive. */
    boolean alive() {
        return nlink > 0 || openDescriptions > 0 || mappings > 0 || pinned;
    }

    @Override
    public String toString() {
        return (directory ? "dir#" : "file#") + id;
    }
}
