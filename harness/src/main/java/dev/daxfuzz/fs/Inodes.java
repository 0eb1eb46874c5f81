package dev.daxfuzz.fs;

import static dev.daxfuzz.fs.FsContext.FIRST_INO;
import static dev.daxfuzz.fs.FsContext.firstBlock;

import dev.daxfuzz.fs.layout.InodeFormat;
import dev.daxfuzz.fs.layout.Le;
import dev.daxfuzz.posix.Errno;
import it.unimi.dsi.fastutil.ints.Int2IntOpenHashMap;

/**
 * The inode table of the {@code journal} design: allocation, the fields of an inode (size,
 * timestamps, link count, flags, parent, block pointers) changed through the journal with the
 * inode checksum kept current, the block map (twelve direct pointers and one indirect block),
 * the reference counts of open descriptions, mappings and pins, and the transaction each inode
 * last changed in. Corresponds to {@code fs/ext4/inode.c}, {@code fs/ext4/ialloc.c} and
 * {@code fs/ext4/indirect.c}, with ext4's {@code i_sync_tid} / {@code i_datasync_tid}
 * ({@code ext4_update_inode_fsync_trans}) behind fsync and fdatasync.
 *
 * <p>An inode with no names and no references is freed with its blocks
 * ({@link #releaseIfUnused}, {@code ext4_evict_inode}). Limits: no extents, no double-indirect
 * blocks, logical timestamps (the statement index); the seeded bug {@code nlink-outside-journal}
 * lives here.
 */
final class Inodes {
    private final FsContext ctx;
    private final FsGeometry g;
    private final MetaCache cache;
    private final Volume vol;
    private final Journal journal;
    private final FsOptions options;
    private final FsStats stats;
    private final DaxIo daxIo;
    private final Balloc balloc;

    /** References by inode: open descriptions, mappings, daxfile pins (i_count, roughly). */
    final Int2IntOpenHashMap openCount = new Int2IntOpenHashMap();
    /** The transaction that last changed each inode (i_sync_tid). */
    private final Int2IntOpenHashMap syncTid = new Int2IntOpenHashMap();
    /** The transaction that last changed each inode's size or allocation (i_datasync_tid). */
    private final Int2IntOpenHashMap datasyncTid = new Int2IntOpenHashMap();

    Inodes(FsContext ctx, DaxIo daxIo, Balloc balloc) {
        this.ctx = ctx;
        this.g = ctx.g;
        this.cache = ctx.cache;
        this.vol = ctx.vol;
        this.journal = ctx.journal;
        this.options = ctx.options;
        this.stats = ctx.stats;
        this.daxIo = daxIo;
        this.balloc = balloc;
    }

    int freeInode() {
        for (int ino = FIRST_INO; ino < g.inodeCount(); ino++) {
            if (vol.mode(ino) == InodeFormat.MODE_FREE && openCount.get(ino) == 0) {
                return ino;
            }
        }
        throw new Fail(Errno.ENOSPC);
    }

    void initInode(int ino, int mode, long nlink, int parent) {
        int block = g.inodeTableBlock() + ino / FsGeometry.INODES_PER_BLOCK;
        int off = InodeFormat.offsetInBlock(ino);
        byte[] b = cache.block(block);
        java.util.Arrays.fill(b, off, off + FsGeometry.INODE_BYTES, (byte) 0);
        Le.put16(b, off + InodeFormat.Field.MODE.offset, mode);
        Le.put32(b, off + InodeFormat.Field.NLINK.offset, nlink);
        Le.put32(b, off + InodeFormat.Field.PARENT.offset, parent);
        Le.put64(b, off + InodeFormat.Field.MTIME.offset, ctx.step() + 1);
        Le.put64(b, off + InodeFormat.Field.CTIME.offset, ctx.step() + 1);
        Le.put32(b, off + InodeFormat.crcOffset(), InodeFormat.computeCrc(b, off));
        journal.dirty(block, off, FsGeometry.INODE_BYTES);
        markDirty(ino, false);
    }

    void setInode(int ino, InodeFormat.Field field, long value) {
        putInode(ino, field.offset, field.width, value);
    }

    void putInode(int ino, int fieldOffset, int width, long value) {
        int block = g.inodeTableBlock() + ino / FsGeometry.INODES_PER_BLOCK;
        int off = InodeFormat.offsetInBlock(ino);
        byte[] b = cache.block(block);
        switch (width) {
            case 2 -> Le.put16(b, off + fieldOffset, (int) value);
            case 4 -> Le.put32(b, off + fieldOffset, value);
            case 8 -> Le.put64(b, off + fieldOffset, value);
            default -> throw new AssertionError(width);
        }
        journal.dirty(block, off + fieldOffset, width);
        Le.put32(b, off + InodeFormat.crcOffset(), InodeFormat.computeCrc(b, off));
        journal.dirty(block, off + InodeFormat.crcOffset(), 4);
    }

    void setNlink(int ino, long nlink) {
        setInode(ino, InodeFormat.Field.CTIME, ctx.step() + 1);
        if (options.has(FsOptions.Variant.NLINK_OUTSIDE_JOURNAL)) {
            // NOVA's link-count bugs: the count (and the inode checksum over it) updated in place.
            int block = g.inodeTableBlock() + ino / FsGeometry.INODES_PER_BLOCK;
            int off = InodeFormat.offsetInBlock(ino);
            byte[] b = cache.block(block);
            Le.put32(b, off + InodeFormat.Field.NLINK.offset, nlink);
            Le.put32(b, off + InodeFormat.crcOffset(), InodeFormat.computeCrc(b, off));
            ctx.storeInPlace(block, off + InodeFormat.Field.NLINK.offset, InodeFormat.Field.NLINK.width);
            ctx.storeInPlace(block, off + InodeFormat.crcOffset(), 4);
        } else {
            setInode(ino, InodeFormat.Field.NLINK, nlink);
        }
        markDirty(ino, false);
    }

    /** Records that the running transaction changed {@code ino} (for fsync and fdatasync). */
    void markDirty(int ino, boolean datasync) {
        int seq = (int) journal.runningSequence();
        syncTid.put(ino, seq);
        if (datasync) {
            datasyncTid.put(ino, seq);
        }
    }

    /** Frees an inode (and its blocks) that has no names and no open descriptions left. */
    void releaseIfUnused(int ino) {
        if (vol.nlink(ino) > 0 || openCount.get(ino) > 0 || vol.mode(ino) == InodeFormat.MODE_FREE) {
            return;
        }
        int blocks = vol.isDir(ino) ? vol.dirBlocks(ino) : FsGeometry.FILE_BLOCKS_MAX;
        for (int fb = 0; fb < blocks; fb++) {
            int ptr = vol.pointer(ino, fb);
            if (InodeFormat.allocated(ptr)) {
                balloc.freeBlock(InodeFormat.blockOf(ptr));
            }
        }
        if (vol.indirect(ino) != 0) {
            balloc.freeBlock(vol.indirect(ino));
        }
        int block = g.inodeTableBlock() + ino / FsGeometry.INODES_PER_BLOCK;
        int off = InodeFormat.offsetInBlock(ino);
        byte[] b = cache.block(block);
        java.util.Arrays.fill(b, off, off + FsGeometry.INODE_BYTES, (byte) 0);
        journal.dirty(block, off, FsGeometry.INODE_BYTES);
        markDirty(ino, true);
    }

    void setPointer(int ino, int fb, int ptr) {
        if (fb < FsGeometry.DIRECT_BLOCKS) {
            putInode(ino, InodeFormat.directOffset(fb), 4, ptr & 0xffffffffL);
            return;
        }
        int ind = vol.indirect(ino);
        if (ind == 0) {
            if (ptr == 0) {
                return;
            }
            ind = balloc.allocBlock();
            stats.indirectBlocks++;
            // As for directory blocks: zero on the media, ordered before the commit by its fence.
            daxIo.daxZero(FsGeometry.blockAddr(ind), FsGeometry.BLOCK_BYTES);
            cache.fresh(ind);
            setInode(ino, InodeFormat.Field.INDIRECT, ind);
        }
        byte[] b = cache.block(ind);
        int at = 4 * (fb - FsGeometry.DIRECT_BLOCKS);
        Le.put32(b, at, ptr & 0xffffffffL);
        journal.dirty(ind, at, 4);
    }

    /** Frees the indirect block of {@code ino} when no pointer in it is left. */
    boolean dropEmptyIndirect(int ino) {
        int ind = vol.indirect(ino);
        if (ind == 0) {
            return false;
        }
        byte[] b = cache.block(ind);
        for (int i = 0; i < FsGeometry.POINTERS_PER_BLOCK; i++) {
            if (Le.i32(b, 4 * i) != 0) {
                return false;
            }
        }
        balloc.freeBlock(ind);
        setInode(ino, InodeFormat.Field.INDIRECT, 0);
        return true;
    }

    /** Holes in [from, to) of {@code ino}, plus an indirect block if one is needed and missing. */
    int blocksToAllocate(int ino, long from, long to) {
        int n = 0;
        boolean needIndirect = false;
        for (int fb = firstBlock(from); (long) fb * FsGeometry.BLOCK_BYTES < to; fb++) {
            if (!InodeFormat.allocated(vol.pointer(ino, fb))) {
                n++;
                needIndirect |= fb >= FsGeometry.DIRECT_BLOCKS;
            }
        }
        if (needIndirect && vol.indirect(ino) == 0) {
            n++;
        }
        return n;
    }

    /**
     * Whether the running transaction holds a change of {@code ino} that fsync
     * ({@code dataOnly == false}) or fdatasync must commit: ext4's i_sync_tid / i_datasync_tid
     * test, {@code ext4_inode_datasync_dirty} for the latter.
     */
    boolean inodeDirty(int ino, boolean dataOnly) {
        Int2IntOpenHashMap tids = dataOnly ? datasyncTid : syncTid;
        return !journal.runningEmpty() && tids.containsKey(ino) && tids.get(ino) == (int) journal.runningSequence();
    }

    /** The inodes still referenced, with their reference counts (the unmount check). */
    java.util.SortedMap<Integer, Integer> busy() {
        java.util.TreeMap<Integer, Integer> busy = new java.util.TreeMap<>();
        for (int ino = FIRST_INO; ino < g.inodeCount(); ino++) {
            if (openCount.get(ino) > 0) {
                busy.put(ino, openCount.get(ino));
            }
        }
        return busy;
    }
}
