package dev.daxfuzz.fs;

import dev.daxfuzz.posix.Errno;
import it.unimi.dsi.fastutil.ints.IntAVLTreeSet;

/**
 * The block allocator of the {@code journal} design: the on-media bitmap (changed through the
 * journal), first-fit allocation, and the quarantine of freed blocks. Corresponds to
 * {@code fs/ext4/balloc.c} and {@code fs/ext4/mballoc.c} (without groups, preallocation or
 * buddy lists), with jbd2's rule that a block freed by an uncommitted transaction is not reused
 * ({@code ext4_free_blocks} defers the free to commit; here until the next checkpoint).
 *
 * <p>{@link #reserve} is the ENOSPC check a call makes before it changes anything (committing and
 * checkpointing first when quarantined blocks would make room, as ext4 retries an allocation
 * after {@code jbd2_journal_force_commit_nested}). Limits: one flat bitmap, linear scans; the
 * seeded bugs {@code bitmap-outside-journal} and {@code free-before-commit} live here.
 */
final class Balloc {
    private final FsContext ctx;
    private final FsGeometry g;
    private final MetaCache cache;
    private final Journal journal;
    private final FsOptions options;
    private final FsStats stats;

    /** Blocks freed since the last checkpoint: not reusable yet. */
    private final IntAVLTreeSet quarantined;

    /** Blocks this run has freed at some point (for {@link FsStats#blocksReused}). */
    private final it.unimi.dsi.fastutil.ints.IntOpenHashSet everFreed = new it.unimi.dsi.fastutil.ints.IntOpenHashSet();

    Balloc(FsContext ctx, IntAVLTreeSet quarantined) {
        this.ctx = ctx;
        this.g = ctx.g;
        this.cache = ctx.cache;
        this.journal = ctx.journal;
        this.options = ctx.options;
        this.stats = ctx.stats;
        this.quarantined = quarantined;
    }

    boolean bit(int b) {
        byte[] bm = cache.block(g.bitmapBlock() + b / (FsGeometry.BLOCK_BYTES * 8));
        int i = b % (FsGeometry.BLOCK_BYTES * 8);
        return (bm[i / 8] & (1 << (i % 8))) != 0;
    }

    void setBit(int b, boolean on) {
        int block = g.bitmapBlock() + b / (FsGeometry.BLOCK_BYTES * 8);
        byte[] bm = cache.block(block);
        int i = b % (FsGeometry.BLOCK_BYTES * 8);
        if (on) {
            bm[i / 8] |= (byte) (1 << (i % 8));
        } else {
            bm[i / 8] &= (byte) ~(1 << (i % 8));
        }
        if (options.has(FsOptions.Variant.BITMAP_OUTSIDE_JOURNAL)) {
            ctx.storeInPlace(block, i / 8, 1);
            return;
        }
        journal.dirty(block, i / 8, 1);
    }

    int available() {
        int n = 0;
        for (int b = g.dataStart(); b < g.blocks(); b++) {
            if (!bit(b) && !quarantined.contains(b)) {
                n++;
            }
        }
        return n;
    }

    /**
     * Makes sure {@code n} blocks can be allocated by this call, before it changes anything: when
     * freed blocks wait for a checkpoint, commits and checkpoints first (no handle is open yet, so
     * committing here cannot split this call), else fails with ENOSPC.
     */
    void reserve(int n) {
        if (n == 0 || available() >= n) {
            return;
        }
        if (!quarantined.isEmpty()) {
            journal.commit(ctx.step());
            journal.checkpoint(ctx.step());
        }
        if (available() < n) {
            stats.enospc++;
            throw new Fail(Errno.ENOSPC);
        }
    }

    int allocBlock() {
        for (int b = g.dataStart(); b < g.blocks(); b++) {
            if (!bit(b) && !quarantined.contains(b)) {
                setBit(b, true);
                if (everFreed.contains(b)) {
                    stats.blocksReused++;
                }
                return b;
            }
        }
        throw new IllegalStateException("allocation after a successful reserve failed");
    }

    /**
     * Frees block {@code b}. It stays quarantined until a checkpoint: until the freeing
     * transaction commits, a crash brings the old owner back, so reusing the block sooner lets
     * another file's data overwrite a block that recovery hands back to its old owner.
     */
    void freeBlock(int b) {
        setBit(b, false);
        everFreed.add(b);
        if (!options.has(FsOptions.Variant.FREE_BEFORE_COMMIT)) {
            quarantined.add(b);
        }
        cache.forget(b);
    }
}
