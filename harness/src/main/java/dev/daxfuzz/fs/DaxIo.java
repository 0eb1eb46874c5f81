package dev.daxfuzz.fs;

import static dev.daxfuzz.fs.FsContext.CPU;
import static dev.daxfuzz.fs.FsContext.firstBlock;

import dev.daxfuzz.fs.layout.InodeFormat;
import dev.daxfuzz.pm.PersistentMemory;

/**
 * The DAX data path of the {@code journal} design: how file data and zeroes reach persistent
 * memory, and the media-poison checks on the way. Corresponds to {@code fs/dax.c}
 * ({@code dax_iomap_rw}, {@code dax_zero_range}, {@code dax_recovery_write}) with the pmem
 * driver's {@code memcpy_flushcache} and {@code pmem_clear_poison}
 * ({@code drivers/nvdimm/pmem.c}).
 *
 * <p>Data is copied with {@link #daxCopy} (non-temporal stores for the 8-byte-aligned middle,
 * cached stores and clwb for the unaligned head and tail), zeroed with {@link #daxZero}
 * (memset through the cache, then clwb); neither fences: the commit's fence or the caller's
 * orders them. Limits: one CPU; poison is per 64-byte line; the seeded bug
 * {@code size-before-zeroing} defers zeroing to the end of the call.
 */
final class DaxIo {
    private final FsContext ctx;
    private final PersistentMemory pm;
    private final MetaCache cache;
    private final Volume vol;
    private final FsOptions options;

    /** size-before-zeroing: zeroing deferred to the end of the call, as (address, length) pairs. */
    private final it.unimi.dsi.fastutil.longs.LongArrayList deferredZeros = new it.unimi.dsi.fastutil.longs.LongArrayList();

    DaxIo(FsContext ctx) {
        this.ctx = ctx;
        this.pm = ctx.pm;
        this.cache = ctx.cache;
        this.vol = ctx.vol;
        this.options = ctx.options;
    }

    void runDeferredZeros() {
        for (int i = 0; i < deferredZeros.size(); i += 2) {
            daxZero(deferredZeros.getLong(i), (int) deferredZeros.getLong(i + 1));
        }
        deferredZeros.clear();
    }

    /**
     * memcpy_flushcache: unaligned head and tail bytes through the cache, each followed by a clwb
     * of its line; the 8-byte-aligned middle with non-temporal stores, one per line.
     */
    void daxCopy(long addr, byte[] src, int off, int len) {
        long a = addr;
        int o = off;
        int left = len;
        int head = (int) Math.min(left, (8 - (a & 7)) & 7);
        if (head > 0) {
            pm.store(CPU, a, src, o, head, Site.DATA.at(ctx.step()));
            pm.clwb(CPU, a, Site.DATA_FLUSH.at(ctx.step()));
            a += head;
            o += head;
            left -= head;
        }
        while (left >= 8) {
            int n = (int) Math.min(left & ~7, FsGeometry.LINE_BYTES - (a & (FsGeometry.LINE_BYTES - 1)));
            pm.ntStore(CPU, a, src, o, n, Site.DATA.at(ctx.step()));
            a += n;
            o += n;
            left -= n;
        }
        if (left > 0) {
            pm.store(CPU, a, src, o, left, Site.DATA.at(ctx.step()));
            if (!options.has(FsOptions.Variant.UNALIGNED_TAIL_CACHED)) {
                pm.clwb(CPU, a, Site.DATA_FLUSH.at(ctx.step()));
            }
        }
    }

    /**
     * Zeroes {@code len} bytes at {@code addr} as fs/dax.c's {@code dax_zero_range} does: a memset
     * through the cache, then a clwb of every line it touched ({@code dax_flush}).
     */
    void daxZero(long addr, int len) {
        if (len <= 0) {
            return;
        }
        // dax_zero_page_range goes through the driver's write path, which clears the poison of what
        // it overwrites whole (pmem_clear_poison); a line it covers only in part stays poisoned,
        // its bytes unreadable whatever the memset leaves in them.
        pm.clearPoison(addr, len);
        long end = addr + len;
        for (long a = addr; a < end; ) {
            int n = (int) Math.min(end - a, FsGeometry.LINE_BYTES - (a & (FsGeometry.LINE_BYTES - 1)));
            pm.storeFill(CPU, a, (byte) 0, n, Site.ZEROING.at(ctx.step()));
            a += n;
        }
        for (long line = addr & ~(FsGeometry.LINE_BYTES - 1L); line < end; line += FsGeometry.LINE_BYTES) {
            pm.clwb(CPU, line, Site.DATA_FLUSH.at(ctx.step()));
        }
    }

    /**
     * Zeroes the part of a newly allocated block that this write does not cover; the commit's
     * fence must find it flushed, or the new size and map expose the block's old bytes.
     */
    void zeroNewBlockPart(long addr, int len) {
        if (options.has(FsOptions.Variant.SIZE_BEFORE_ZEROING)) {
            if (len > 0) {
                deferredZeros.add(addr);
                deferredZeros.add(len);
            }
            return;
        }
        daxZero(addr, len);
    }

    /**
     * Whether a poisoned line lies behind file bytes [off, off+n) of {@code ino} (in a written
     * block: holes and unwritten extents read as zeros without touching the media). When
     * {@code zeroOut} is not null (the bytes read from {@code off}), the bytes of poisoned lines
     * in it are set to zero: only the seeded bug does that.
     */
    boolean poisonBehind(int ino, long off, int n, byte[] zeroOut) {
        if (!pm.anyPoison() || n <= 0) {
            return false;
        }
        boolean found = false;
        long end = off + n;
        for (long a = off & -FsGeometry.LINE_BYTES; a < end; a += FsGeometry.LINE_BYTES) {
            int ptr = vol.pointer(ino, firstBlock(a));
            if (!InodeFormat.allocated(ptr) || InodeFormat.unwritten(ptr)) {
                continue;
            }
            if (pm.poisoned(FsGeometry.blockAddr(InodeFormat.blockOf(ptr)) + a % FsGeometry.BLOCK_BYTES, 1)) {
                found = true;
                if (zeroOut == null) {
                    return true;
                }
                long from = Math.max(a, off);
                long to = Math.min(a + FsGeometry.LINE_BYTES, end);
                java.util.Arrays.fill(zeroOut, (int) (from - off), (int) (to - off), (byte) 0);
            }
        }
        return found;
    }

    /**
     * Whether a write of file bytes [pos, end) would cover a poisoned line of a written block only
     * in part: its first or its last line (every line between is covered whole).
     */
    boolean partlyCoveredPoison(int ino, long pos, long end) {
        if (!pm.anyPoison() || pos >= end) {
            return false;
        }
        long headLine = pos & -FsGeometry.LINE_BYTES;
        long tailLine = (end - 1) & -FsGeometry.LINE_BYTES;
        boolean headPartial = pos != headLine || end < headLine + FsGeometry.LINE_BYTES;
        boolean tailPartial = end != tailLine + FsGeometry.LINE_BYTES || pos > tailLine;
        return headPartial && poisonBehind(ino, headLine, 1, null)
                || tailPartial && poisonBehind(ino, tailLine, 1, null);
    }

    /**
     * ext4_block_truncate_page zeroes the kept last block from the new size to the block's end;
     * this design zeroes only up to the old size (the rest is zero already), so the poison of the
     * lines past the old size that the real zeroing would have covered whole is cleared here, as
     * that zeroing would clear it.
     */
    void clearTailPoison(int ino, long len) {
        if (!pm.anyPoison() || len % FsGeometry.BLOCK_BYTES == 0) {
            return;
        }
        int ptr = vol.pointer(ino, firstBlock(len));
        if (InodeFormat.allocated(ptr) && !InodeFormat.unwritten(ptr)) {
            long in = len % FsGeometry.BLOCK_BYTES;
            pm.clearPoison(FsGeometry.blockAddr(InodeFormat.blockOf(ptr)) + in, FsGeometry.BLOCK_BYTES - in);
        }
    }

    /** Zeroes the written bytes of [from, to) of file {@code ino} that lie in partially covered blocks. */
    void zeroPartial(int ino, long from, long to) {
        if (from >= to) {
            return;
        }
        for (int fb = firstBlock(from); (long) fb * FsGeometry.BLOCK_BYTES < to; fb++) {
            long blockStart = (long) fb * FsGeometry.BLOCK_BYTES;
            long a = Math.max(from, blockStart);
            long b = Math.min(to, blockStart + FsGeometry.BLOCK_BYTES);
            boolean whole = a == blockStart && b == blockStart + FsGeometry.BLOCK_BYTES;
            int ptr = vol.pointer(ino, fb);
            if (!whole && InodeFormat.allocated(ptr) && !InodeFormat.unwritten(ptr)) {
                daxZero(FsGeometry.blockAddr(InodeFormat.blockOf(ptr)) + (a - blockStart), (int) (b - a));
            }
        }
    }
}
