package dev.daxfuzz.fs;

import static dev.daxfuzz.fs.FsContext.CPU;

import dev.daxfuzz.fs.layout.InodeFormat;
import dev.daxfuzz.pm.PersistentMemory;
import dev.daxfuzz.program.Header;
import dev.daxfuzz.vm.AddressSpace;
import dev.daxfuzz.vm.LockChecker;
import dev.daxfuzz.vm.TaskScheduler;
import dev.daxfuzz.vm.LockClass;
import dev.daxfuzz.vm.VmFault;
import it.unimi.dsi.fastutil.ints.Int2ObjectAVLTreeMap;
import it.unimi.dsi.fastutil.longs.LongAVLTreeSet;
import it.unimi.dsi.fastutil.longs.LongIterator;

/**
 * The DAX page-fault and write-back path of the {@code journal} design: the fault handler for
 * both sync-fault designs, the dirty tags of DAX mapping entries, their write-back by fsync and
 * msync, and the unmapping of pages whose blocks change. Corresponds to {@code fs/dax.c}
 * ({@code dax_iomap_pte_fault}, {@code dax_finish_sync_fault},
 * {@code dax_writeback_mapping_range}, {@code dax_entry_mkclean}) and
 * {@code fs/ext4/file.c} ({@code ext4_dax_huge_fault}), with {@code unmap_mapping_range}
 * ({@code mm/memory.c}).
 *
 * <p>Limits: 4 KiB pages only (no PMD faults); the page tables and the fault core's retry are
 * {@code vm.AddressSpace}'s; the seeded sync-fault bugs ({@code sync-fault-inverted-dirty},
 * {@code pte-before-commit}, {@code fault-maps-unwritten}, {@code commit-while-holding-handle},
 * {@code retry-dirty-on-mtime}) live here.
 */
final class DaxFault {
    private final FsContext ctx;
    private final PersistentMemory pm;
    private final Volume vol;
    private final Journal journal;
    private final FsOptions options;
    private final LockChecker locks;
    private final AddressSpace mm;
    private final FsStats stats;
    private final DaxIo daxIo;
    private final Balloc balloc;
    private final Inodes inodes;

    /** The DAX mapping entries tagged dirty (PAGECACHE_TAG_DIRTY), by inode: written back by fsync. */
    final Int2ObjectAVLTreeMap<LongAVLTreeSet> dirtyPages = new Int2ObjectAVLTreeMap<>();

    /** Pages written back and write-protected, as ino << 32 | page (for {@link FsStats#refaults}). */
    private final it.unimi.dsi.fastutil.longs.LongOpenHashSet cleaned = new it.unimi.dsi.fastutil.longs.LongOpenHashSet();

    DaxFault(FsContext ctx, DaxIo daxIo, Balloc balloc, Inodes inodes) {
        this.ctx = ctx;
        this.pm = ctx.pm;
        this.vol = ctx.vol;
        this.journal = ctx.journal;
        this.options = ctx.options;
        this.locks = ctx.locks;
        this.mm = ctx.mm;
        this.stats = ctx.stats;
        this.daxIo = daxIo;
        this.balloc = balloc;
        this.inodes = inodes;
    }

    /**
     * {@code ext4_dax_huge_fault} with {@code dax_iomap_pte_fault} and, for a synchronous write
     * fault, {@code dax_finish_sync_fault} (Linux 4.15, "dax, ext4, xfs: Synchronous page
     * faults"), for one 4 KiB page.
     *
     * <p>A write fault updates the timestamps (file_update_time, its own short handle), takes the
     * invalidate lock shared and starts a handle; beyond end of file it is SIGBUS; a hole gets a
     * newly allocated, zeroed, written block (ext4 allocates pre-zeroed written blocks for DAX
     * faults, ba5843f51d46) and an unwritten block is zeroed and converted; then the handle stops.
     * The fault is synchronous when the mapping has VM_SYNC and the inode is fdatasync-dirty
     * (IOMAP_F_DIRTY: allocation, conversion or size still in an uncommitted transaction;
     * timestamps do not count). Then, by the design under test:
     * <ul>
     *   <li><b>fsync-before-pte</b>: commit (vfs_fsync_range, datasync), fence, re-validate the
     *   block (a raced truncate would make it NOPAGE without a PTE, and the fault is taken again),
     *   install the writable PTE: the mapping becomes writable only after the metadata that finds
     *   its block is durable.
     *   <li><b>drop-lock-retry</b> (Andy Lutomirski's 2017 proposal): release the invalidate lock
     *   and mmap_lock (the file pinned meanwhile), commit, and return VM_FAULT_RETRY without a PTE;
     *   the core retakes mmap_lock, finds the VMA again and retries, and the retried fault finds
     *   the metadata clean.
     * </ul>
     * A read fault maps the block read-only, or the zero page for a hole or unwritten block.
     * Every write fault tags the entry dirty, so fsync and msync write the page back.
     */
    /**
     * Only for {@link FsOptions.Variant#RETRY_SKIPS_REVALIDATE}: the block each fault that returned
     * VM_FAULT_RETRY had looked up, by (inode, page).
     */
    private final it.unimi.dsi.fastutil.longs.Long2LongOpenHashMap lookedUpBeforeRetry =
            new it.unimi.dsi.fastutil.longs.Long2LongOpenHashMap();

    /** The scheduling point of dax_iomap_pte_fault's unlocked window (racing tasks only). */
    private static final String LOOKUP_TO_PTE = "dax_iomap_pte_fault, between the block lookup and the PTE";

    VmFault.Result fault(VmFault vmf, AddressSpace space) {
        ctx.setStep(vmf.step());
        int ino = vmf.vma().file().ino();
        long pgoff = vmf.pgoff();
        if (vmf.write()) {
            fileUpdateTime(ino);
        }
        boolean invalidateHeld = !options.has(FsOptions.Variant.FAULT_WITHOUT_INVALIDATE_LOCK);
        if (invalidateHeld) {
            locks.acquire(LockClass.INVALIDATE_LOCK, false, "page fault (" + (vmf.write() ? "write" : "read") + ")");
        }
        try {
            long key = ((long) ino << 32) | pgoff;
            if (vmf.write() && vmf.tried() && options.has(FsOptions.Variant.RETRY_SKIPS_REVALIDATE)
                    && lookedUpBeforeRetry.containsKey(key)) {
                // The bug: the block found before mmap_lock was dropped is trusted without a new lookup.
                long stale = lookedUpBeforeRetry.remove(key);
                TaskScheduler.pointHere(LOOKUP_TO_PTE);
                space.installPte(vmf.address(), FsGeometry.blockAddr((int) stale), true);
                return VmFault.Result.NOPAGE;
            }
            if (pgoff * FsGeometry.BLOCK_BYTES >= vol.size(ino) || pgoff >= FsGeometry.FILE_BLOCKS_MAX) {
                return VmFault.Result.SIGBUS;
            }
            int fb = (int) pgoff;
            int ptr = vol.pointer(ino, fb);
            if (!vmf.write()) {
                TaskScheduler.pointHere(LOOKUP_TO_PTE);
                if (!InodeFormat.allocated(ptr) || InodeFormat.unwritten(ptr)) {
                    space.installZeroPage(vmf.address());
                } else {
                    space.installPte(vmf.address(), FsGeometry.blockAddr(InodeFormat.blockOf(ptr)), false);
                }
                return VmFault.Result.NOPAGE;
            }
            stats.writeFaults++;
            if (cleaned.remove(((long) ino << 32) | pgoff)) {
                stats.refaults++;
            }
            if (!InodeFormat.allocated(ptr)) {
                try {
                    // No handle is open yet: reserve may commit to free balloc.quarantined blocks, as
                    // ext4 retries a DAX fault's ENOSPC after a journal commit (22446423108f).
                    balloc.reserve(inodes.blocksToAllocate(ino, (long) fb * FsGeometry.BLOCK_BYTES, (long) (fb + 1) * FsGeometry.BLOCK_BYTES));
                } catch (Fail f) {
                    return VmFault.Result.SIGBUS;
                }
            }
            ctx.ensureHandle();
            int block;
            if (!InodeFormat.allocated(ptr)) {
                block = balloc.allocBlock();
                daxIo.daxZero(FsGeometry.blockAddr(block), FsGeometry.BLOCK_BYTES);
                inodes.setPointer(ino, fb, block);
                inodes.markDirty(ino, true);
            } else if (InodeFormat.unwritten(ptr)) {
                block = InodeFormat.blockOf(ptr);
                if (!options.has(FsOptions.Variant.FAULT_MAPS_UNWRITTEN)) {
                    daxIo.daxZero(FsGeometry.blockAddr(block), FsGeometry.BLOCK_BYTES);
                    inodes.setPointer(ino, fb, block);
                    inodes.markDirty(ino, true);
                }
            } else {
                block = InodeFormat.blockOf(ptr);
            }
            boolean dirty = inodes.inodeDirty(ino, !options.has(FsOptions.Variant.RETRY_DIRTY_ON_MTIME));
            boolean sync = vmf.vma().sync()
                    && (options.has(FsOptions.Variant.SYNC_FAULT_INVERTED_DIRTY) ? !dirty : dirty);
            if (options.has(FsOptions.Variant.PTE_BEFORE_COMMIT)) {
                // The commit is left to a later fsync: the writable PTE goes in at once.
                sync = false;
            }
            if (sync) {
                stats.syncFaults++;
            }
            if (sync && options.has(FsOptions.Variant.COMMIT_WHILE_HOLDING_HANDLE)) {
                ctx.commitAndWait("dax_finish_sync_fault, before ext4_journal_stop");
            }
            dirtyPages.computeIfAbsent(ino, k -> new LongAVLTreeSet()).add(pgoff);
            ctx.stopHandle();
            if (sync && options.syncFault() == Header.SyncFault.DROP_LOCK_RETRY && vmf.allowRetry()) {
                if (invalidateHeld) {
                    locks.release(LockClass.INVALIDATE_LOCK);
                    invalidateHeld = false;
                }
                if (options.has(FsOptions.Variant.RETRY_SKIPS_REVALIDATE)) {
                    lookedUpBeforeRetry.put(((long) ino << 32) | pgoff, block);
                }
                // maybe_unlock_mmap_for_io: pin the file, drop mmap_lock, then do the slow work.
                inodes.openCount.addTo(ino, 1);
                locks.release(LockClass.MMAP_LOCK);
                ctx.commitAndWait("the retried write fault's sync");
                pm.sfence(CPU, Site.JOURNAL_COMMIT_FENCE.at(ctx.step()));
                inodes.openCount.addTo(ino, -1);
                stats.retries++;
                return VmFault.Result.RETRY;
            }
            if (sync) {
                ctx.commitAndWait("dax_finish_sync_fault");
                pm.sfence(CPU, Site.JOURNAL_COMMIT_FENCE.at(ctx.step()));
                if (vol.pointer(ino, fb) != block) {
                    // dax_insert_pfn_mkwrite: the entry changed while we synced: fault again.
                    return VmFault.Result.NOPAGE;
                }
            }
            TaskScheduler.pointHere(LOOKUP_TO_PTE);
            space.installPte(vmf.address(), FsGeometry.blockAddr(block), true);
            return VmFault.Result.NOPAGE;
        } finally {
            ctx.stopHandle();
            if (invalidateHeld) {
                locks.release(LockClass.INVALIDATE_LOCK);
            }
        }
    }

    /** file_update_time on a write fault: a timestamp-only change, in its own handle. */
    void fileUpdateTime(int ino) {
        inodes.setInode(ino, InodeFormat.Field.MTIME, ctx.step() + 1);
        inodes.setInode(ino, InodeFormat.Field.CTIME, ctx.step() + 1);
        inodes.markDirty(ino, false);
        ctx.stopHandle();
    }

    /**
     * dax_writeback_mapping_range: every dirty DAX entry of {@code ino} is written back (a clwb of
     * each line of its block) and write-protected again (dax_entry_mkclean), so that the next
     * store through a mapping faults and dirties it anew. The caller's fence orders the flushes.
     */
    void writebackDirtyPages(int ino) {
        LongAVLTreeSet pages = dirtyPages.remove(ino);
        if (pages == null) {
            return;
        }
        LongIterator it = pages.iterator();
        while (it.hasNext()) {
            long pg = it.nextLong();
            int ptr = pg < FsGeometry.FILE_BLOCKS_MAX ? vol.pointer(ino, (int) pg) : 0;
            if (InodeFormat.allocated(ptr) && !InodeFormat.unwritten(ptr)) {
                long base = FsGeometry.blockAddr(InodeFormat.blockOf(ptr));
                for (long a = base; a < base + FsGeometry.BLOCK_BYTES; a += FsGeometry.LINE_BYTES) {
                    pm.clwb(CPU, a, Site.DAX_WRITEBACK.at(ctx.step()));
                }
            }
            mm.mkclean(ctx.vmOps, ino, pg);
            stats.pagesWrittenBack++;
            cleaned.add(((long) ino << 32) | pg);
        }
    }

    /**
     * Forgets dirty entries and PTEs of file pages [fromPage, toPage) before their blocks change;
     * with {@code evenCows} (truncate only) also private copies of them
     * ({@link dev.daxfuzz.vm.AddressSpace#unmapMappingRange}).
     */
    void unmapPages(int ino, long fromPage, long toPage, boolean evenCows) {
        if (fromPage >= toPage) {
            return;
        }
        mm.unmapMappingRange(ctx.vmOps, ino, fromPage, toPage, evenCows);
        LongAVLTreeSet pages = dirtyPages.get(ino);
        if (pages != null) {
            pages.subSet(fromPage, toPage).clear();
            if (pages.isEmpty()) {
                dirtyPages.remove(ino);
            }
        }
        // Linux's window between truncate_pagecache and freeing the blocks: a racing fault may map
        // them again unless the invalidate lock keeps it out.
        TaskScheduler.pointHere("between unmapping pages " + fromPage + ".." + (toPage == Long.MAX_VALUE ? "end"
                : String.valueOf(toPage)) + " and changing their blocks");
    }
}
