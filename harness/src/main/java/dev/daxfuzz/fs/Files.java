package dev.daxfuzz.fs;

import static dev.daxfuzz.fs.FsContext.CPU;
import static dev.daxfuzz.fs.FsContext.firstBlock;

import dev.daxfuzz.fs.layout.DirentFormat;
import dev.daxfuzz.fs.layout.InodeFormat;
import dev.daxfuzz.pm.PersistentMemory;
import dev.daxfuzz.posix.Errno;
import dev.daxfuzz.program.Bytes;
import dev.daxfuzz.program.FsPath;
import dev.daxfuzz.program.Header;
import dev.daxfuzz.vm.AddressSpace;
import dev.daxfuzz.vm.LockClass;
import dev.daxfuzz.vm.MappedFile;
import dev.daxfuzz.vm.Vma;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/**
 * The file calls of the {@code journal} design and its descriptor table: open, close, pwrite,
 * pread, ftruncate, fallocate, fsync, fdatasync, sync, the system-call halves of mmap, munmap
 * and msync, and the injected media poison. Corresponds to {@code fs/open.c},
 * {@code fs/read_write.c}, {@code fs/sync.c}, {@code fs/ext4/file.c} ({@code ext4_file_mmap}),
 * {@code fs/ext4/inode.c}'s truncate and {@code fs/ext4/extents.c}'s fallocate modes, and the
 * x86 {@code sys_mmap} / {@code sys_msync} checks ({@code mm/mmap.c}, {@code mm/msync.c}).
 *
 * <p>Descriptors are named as the program names them; an open that rebinds a name leaves the
 * old description open and unreachable until exit ({@link #orphans}). fsync commits when the
 * running transaction holds a change of the inode; fdatasync only for a size or allocation
 * change; both end with a fence. Limits: one process, positional I/O only, no O_DIRECT
 * distinction (every file is DAX).
 */
final class Files {
    private final FsContext ctx;
    private final PersistentMemory pm;
    private final Volume vol;
    private final FsOptions options;
    private final AddressSpace mm;
    private final DaxIo daxIo;
    private final Balloc balloc;
    private final Inodes inodes;
    private final DaxFault daxFault;
    private final Daxfile daxfile;
    private final Namei namei;

    /** The descriptor table, by the names the program bound. */
    private final Map<String, OpenFile> fds = new TreeMap<>();
    /** Open descriptions no FD name reaches any more (their name was rebound by a later open). */
    private final List<OpenFile> orphans = new ArrayList<>();
    /** Open descriptions, reachable or not (for EMFILE). */
    private int openFiles;

    Files(FsContext ctx, DaxIo daxIo, Balloc balloc, Inodes inodes, DaxFault daxFault, Daxfile daxfile, Namei namei) {
        this.ctx = ctx;
        this.pm = ctx.pm;
        this.vol = ctx.vol;
        this.options = ctx.options;
        this.mm = ctx.mm;
        this.daxIo = daxIo;
        this.balloc = balloc;
        this.inodes = inodes;
        this.daxFault = daxFault;
        this.daxfile = daxfile;
        this.namei = namei;
    }

    /** An open file description. */
    record OpenFile(int ino, boolean readable, boolean writable, boolean append, boolean dsync,
                    boolean directory) {
    }

    OpenFile fd(String name) {
        OpenFile f = fds.get(name);
        if (f == null) {
            throw new Fail(Errno.EBADF);
        }
        return f;
    }

    CallResult open(String fdName, FsPath path, Set<FileSystemCalls.OpenFlag> flags) {
        int modes = (flags.contains(FileSystemCalls.OpenFlag.RDONLY) ? 1 : 0) + (flags.contains(FileSystemCalls.OpenFlag.WRONLY) ? 1 : 0)
                + (flags.contains(FileSystemCalls.OpenFlag.RDWR) ? 1 : 0);
        if (modes > 1) {
            throw new Fail(Errno.EINVAL);
        }
        if (openFiles >= FsGeometry.OPEN_FILES_MAX) {
            throw new Fail(Errno.EMFILE);
        }
        boolean writable = flags.contains(FileSystemCalls.OpenFlag.WRONLY) || flags.contains(FileSystemCalls.OpenFlag.RDWR);
        boolean readable = !flags.contains(FileSystemCalls.OpenFlag.WRONLY);
        boolean creat = flags.contains(FileSystemCalls.OpenFlag.CREAT);
        boolean excl = flags.contains(FileSystemCalls.OpenFlag.EXCL);
        boolean trunc = flags.contains(FileSystemCalls.OpenFlag.TRUNC);
        int ino;
        // The lookup and a create hold the directory lock (open_last_lookups); O_TRUNC then runs
        // under the file's own locks (handle_truncate -> do_truncate), after it is dropped.
        ctx.locks.acquire(LockClass.DIR_RWSEM, true, "open");
        try {
            if (path.isRoot()) {
                if (creat && excl) {
                    throw new Fail(Errno.EEXIST);
                }
                ino = FsGeometry.ROOT_INO;
            } else {
                Namei.Target t = namei.target(path);
                if (!t.exists()) {
                    if (!creat) {
                        throw new Fail(Errno.ENOENT);
                    }
                    ino = inodes.freeInode();
                    balloc.reserve(namei.needsDirBlock(t.dir()) ? 1 : 0);
                    inodes.initInode(ino, InodeFormat.MODE_FILE, 1, 0);
                    namei.addEntry(t.dir(), t.name(), ino, DirentFormat.TYPE_FILE);
                } else {
                    if (creat && excl) {
                        throw new Fail(Errno.EEXIST);
                    }
                    ino = t.entry().ino();
                }
            }
        } finally {
            ctx.stopHandle();
            ctx.locks.release(LockClass.DIR_RWSEM);
        }
        boolean dir = vol.isDir(ino);
        if (dir && (writable || creat || trunc)) {
            throw new Fail(Errno.EISDIR);
        }
        if (!dir && trunc) {
            ctx.lockInode(true, "open (O_TRUNC)");
            try {
                // do_truncate -> inode_newsize_ok: a static file refuses truncation.
                daxfile.refuseIfStatic(ino, true);
                truncateTo(ino, 0);
            } finally {
                ctx.stopHandle();
                ctx.unlockInode(true);
            }
        }
        OpenFile f = new OpenFile(ino, readable, writable, flags.contains(FileSystemCalls.OpenFlag.APPEND),
                flags.contains(FileSystemCalls.OpenFlag.DSYNC), dir);
        OpenFile previous = fds.put(fdName, f);
        if (previous != null) {
            // The name moves on; the description it named stays open, unreachable, until exit.
            orphans.add(previous);
        }
        openFiles++;
        inodes.openCount.addTo(ino, 1);
        return CallResult.OK;
    }

    CallResult close(String fd) {
        OpenFile f = fds.remove(fd);
        if (f == null) {
            throw new Fail(Errno.EBADF);
        }
        openFiles--;
        inodes.openCount.addTo(f.ino(), -1);
        inodes.releaseIfUnused(f.ino());
        return CallResult.OK;
    }

    /**
     * pwrite(2), in the order Linux checks it: {@code vfs_write} (EBADF without FMODE_WRITE), then
     * {@code rw_verify_area} (EINVAL when {@code off + count} overflows {@code loff_t}, checked on
     * the offset given even for O_APPEND), then {@code generic_write_check_limits} with
     * {@code s_maxbytes} = {@link FsLimits#fileSizeMaxBytes()}: a write starting at or past the
     * limit is EFBIG, one that starts below it and would end past it is cut short at the limit
     * (ext4's {@code ext4_generic_write_checks} does the same with {@code s_bitmap_maxbytes} for
     * block-mapped files like these). A short write still returns ok: the format's result carries
     * no byte count, the bytes past the limit are simply not written.
     */
    CallResult write(String fdName, long off, Bytes data) {
        OpenFile f = fd(fdName);
        if (!f.writable()) {
            throw new Fail(Errno.EBADF);
        }
        if (data.length() == 0) {
            return CallResult.OK;
        }
        if (off > Long.MAX_VALUE - data.length()) {
            throw new Fail(Errno.EINVAL);
        }
        int ino = f.ino();
        long pos = f.append() ? vol.size(ino) : off;
        long limit = FsGeometry.LIMITS.fileSizeMaxBytes();
        if (pos >= limit) {
            throw new Fail(Errno.EFBIG);
        }
        long end = pos + Math.min(data.length(), limit - pos);
        if (options.daxfile() == Header.DaxfileDesign.SEALED && daxfile.isStatic(ino)
                && (end > vol.size(ino) || daxfile.touchesHoleOrUnwritten(ino, pos, end))) {
            // The sealed design: no write may change a static file's size or block map.
            throw new Fail(Errno.EPERM);
        }
        if (daxIo.partlyCoveredPoison(ino, pos, end)) {
            // pmem_recovery_write refuses a write that does not cover the poisoned unit whole
            // ("Found poison, but addr or bytes not page aligned"): -EIO, nothing written.
            throw new Fail(Errno.EIO);
        }
        balloc.reserve(inodes.blocksToAllocate(ino, pos, end));
        // A short write copies only the bytes below the limit: the loop stops at end.
        byte[] bytes = data.toArray();
        boolean allocationChanged = false;
        for (int fb = (int) (pos / FsGeometry.BLOCK_BYTES); (long) fb * FsGeometry.BLOCK_BYTES < end; fb++) {
            long blockStart = (long) fb * FsGeometry.BLOCK_BYTES;
            long from = Math.max(pos, blockStart);
            long to = Math.min(end, blockStart + FsGeometry.BLOCK_BYTES);
            int ptr = vol.pointer(ino, fb);
            int b;
            if (!InodeFormat.allocated(ptr) || InodeFormat.unwritten(ptr)) {
                b = InodeFormat.allocated(ptr) ? InodeFormat.blockOf(ptr) : balloc.allocBlock();
                // dax_iomap_iter: "Write can allocate block for an area which has a hole page
                // mapped into page tables. We have to tear down these mappings so that data
                // written by write(2) is visible in mmap." A read fault mapped the zero page here.
                daxFault.unmapPages(ino, fb, fb + 1, false);
                inodes.setPointer(ino, fb, b);
                allocationChanged = true;
                long addr = FsGeometry.blockAddr(b);
                // The block is zeroed whole before use (ext4's EXT4_GET_BLOCKS_ZERO, through
                // blkdev_issue_zeroout, which clears the poison of what it zeroes): here by
                // zeroing and the copy below together.
                pm.clearPoison(addr, FsGeometry.BLOCK_BYTES);
                daxIo.zeroNewBlockPart(addr, (int) (from - blockStart));
                daxIo.zeroNewBlockPart(addr + (to - blockStart), (int) (blockStart + FsGeometry.BLOCK_BYTES - to));
            } else {
                b = InodeFormat.blockOf(ptr);
                // dax_recovery_write: the lines this write covers whole lose their poison (the
                // partly covered ones were refused above).
                pm.clearPoison(FsGeometry.blockAddr(b) + (from - blockStart), (int) (to - from));
            }
            daxIo.daxCopy(FsGeometry.blockAddr(b) + (from - blockStart), bytes, (int) (from - pos), (int) (to - from));
        }
        if (end > vol.size(ino)) {
            inodes.setInode(ino, InodeFormat.Field.SIZE, end);
            // i_disksize changes are datasync-relevant (ext4_update_inode_fsync_trans(..., 1)).
            allocationChanged |= !options.has(FsOptions.Variant.FDATASYNC_SKIPS_SIZE);
        }
        inodes.setInode(ino, InodeFormat.Field.MTIME, ctx.step() + 1);
        inodes.setInode(ino, InodeFormat.Field.CTIME, ctx.step() + 1);
        inodes.markDirty(ino, allocationChanged);
        if (f.dsync()) {
            // generic_write_sync runs after ext4_journal_stop: never wait for a commit holding a handle.
            ctx.stopHandle();
            syncInode(ino, true);
        }
        return CallResult.OK;
    }

    /**
     * pread(2): EBADF without FMODE_READ ({@code vfs_read}), EINVAL when {@code off + len}
     * overflows {@code loff_t} ({@code rw_verify_area}), EISDIR for a directory; then at most
     * the bytes up to end of file.
     */
    CallResult read(String fdName, long off, long len) {
        OpenFile f = fd(fdName);
        if (!f.readable()) {
            throw new Fail(Errno.EBADF);
        }
        if (off > Long.MAX_VALUE - len) {
            throw new Fail(Errno.EINVAL);
        }
        if (f.directory()) {
            throw new Fail(Errno.EISDIR);
        }
        long size = vol.size(f.ino());
        if (off >= size || len == 0) {
            return new CallResult.Data(Bytes.empty());
        }
        int n = (int) Math.min(len, size - off);
        if (daxIo.poisonBehind(f.ino(), off, n, null)) {
            if (!options.has(FsOptions.Variant.POISON_READ_RETURNS_ZEROS)) {
                // dax_iomap_rw: dax_direct_access fails on a badblocks range (pmem_dax_direct_access
                // returns -EIO), and the read returns EIO rather than the bytes.
                throw new Fail(Errno.EIO);
            }
            // The seeded bug: the poisoned lines read as zeros, silently.
            byte[] bytes = vol.read(f.ino(), off, n);
            daxIo.poisonBehind(f.ino(), off, n, bytes);
            return new CallResult.Data(Bytes.of(bytes));
        }
        return new CallResult.Data(Bytes.of(vol.read(f.ino(), off, n)));
    }

    /**
     * {@code poison PATH OFF LEN}: the injected fault. Resolves the range through the block map
     * now and poisons the lines of its written blocks; holes and unwritten extents have nothing
     * on the media (iomap reports IOMAP_HOLE or IOMAP_UNWRITTEN and reads them as zeros), so
     * nothing happens there. The range is cut at end of file; a directory is EISDIR.
     */
    CallResult poison(FsPath path, long off, long len) {
        int ino = namei.resolve(path);
        if (vol.isDir(ino)) {
            throw new Fail(Errno.EISDIR);
        }
        long size = vol.size(ino);
        if (off >= size) {
            return CallResult.OK;
        }
        // Written as a comparison with a difference: off + len may overflow.
        long end = off > size - len ? size : off + len;
        for (int fb = firstBlock(off); (long) fb * FsGeometry.BLOCK_BYTES < end; fb++) {
            int ptr = vol.pointer(ino, fb);
            if (!InodeFormat.allocated(ptr) || InodeFormat.unwritten(ptr)) {
                continue;
            }
            long blockStart = (long) fb * FsGeometry.BLOCK_BYTES;
            long from = Math.max(off, blockStart);
            long to = Math.min(end, blockStart + FsGeometry.BLOCK_BYTES);
            pm.poison(FsGeometry.blockAddr(InodeFormat.blockOf(ptr)) + (from - blockStart), to - from);
        }
        return CallResult.OK;
    }

    CallResult truncate(String fdName, long len) {
        OpenFile f = fd(fdName);
        if (!f.writable() || f.directory()) {
            throw new Fail(Errno.EINVAL);
        }
        if (options.daxfile() == Header.DaxfileDesign.SEALED && daxfile.isStatic(f.ino())
                && !options.has(FsOptions.Variant.DAXFILE_ALLOWS_TRUNCATE)) {
            throw new Fail(Errno.EPERM);
        }
        if (len > FsGeometry.LIMITS.fileSizeMaxBytes()) {
            throw new Fail(Errno.EFBIG);
        }
        if (len <= vol.size(f.ino())) {
            // inode_newsize_ok: truncation of an in-use swapfile (S_SWAPFILE) is disallowed.
            daxfile.refuseIfStatic(f.ino(), true);
        }
        truncateTo(f.ino(), len);
        return CallResult.OK;
    }

    /** Sets the size of regular file {@code ino}, freeing blocks past a smaller size. */
    void truncateTo(int ino, long len) {
        long size = vol.size(ino);
        boolean changed = len != size;
        if (len < size) {
            // Zero the tail of the last block so that growing the file again exposes zeros.
            daxIo.zeroPartial(ino, len, Math.min(size, (len + FsGeometry.BLOCK_BYTES - 1) / FsGeometry.BLOCK_BYTES
                    * FsGeometry.BLOCK_BYTES));
            daxIo.clearTailPoison(ino, len);
            int keep = (int) ((len + FsGeometry.BLOCK_BYTES - 1) / FsGeometry.BLOCK_BYTES);
            // truncate_pagecache: no PTE may keep pointing at a block about to be freed.
            if (!options.has(FsOptions.Variant.TRUNCATE_SKIPS_UNMAP)) {
                daxFault.unmapPages(ino, keep, Long.MAX_VALUE, true);
            }
            for (int fb = keep; fb < FsGeometry.FILE_BLOCKS_MAX; fb++) {
                int ptr = vol.pointer(ino, fb);
                if (InodeFormat.allocated(ptr)) {
                    balloc.freeBlock(InodeFormat.blockOf(ptr));
                    inodes.setPointer(ino, fb, 0);
                }
            }
            inodes.dropEmptyIndirect(ino);
        }
        if (changed) {
            inodes.setInode(ino, InodeFormat.Field.SIZE, len);
        }
        inodes.setInode(ino, InodeFormat.Field.MTIME, ctx.step() + 1);
        inodes.setInode(ino, InodeFormat.Field.CTIME, ctx.step() + 1);
        inodes.markDirty(ino, len < size || changed && !options.has(FsOptions.Variant.FDATASYNC_SKIPS_SIZE));
    }

    CallResult fallocate(String fdName, FileSystemCalls.FallocMode mode, long off, long len) {
        OpenFile f = fd(fdName);
        // Linux: fdget (EBADF), then vfs_fallocate's range check (EINVAL), then FMODE_WRITE (EBADF).
        if (len == 0) {
            throw new Fail(Errno.EINVAL);
        }
        if (!f.writable()) {
            throw new Fail(Errno.EBADF);
        }
        // vfs_fallocate: "We cannot allow any fallocate operation on an active swapfile".
        daxfile.refuseIfStatic(f.ino(), false);
                // vfs_fallocate: "Check for wrap through zero too" (offset + len > s_maxbytes or < 0),
        // written as a subtraction so that the sum is only formed once it is known to fit.
        if (off > FsGeometry.LIMITS.fileSizeMaxBytes() - len) {
            throw new Fail(Errno.EFBIG);
        }
        long end = off + len;
        int ino = f.ino();
        long size = vol.size(ino);
        boolean changed = false;
        switch (mode) {
            case ALLOC, KEEP_SIZE -> {
                balloc.reserve(inodes.blocksToAllocate(ino, off, end));
                for (int fb = firstBlock(off); (long) fb * FsGeometry.BLOCK_BYTES < end; fb++) {
                    if (!InodeFormat.allocated(vol.pointer(ino, fb))) {
                        inodes.setPointer(ino, fb, balloc.allocBlock() | InodeFormat.UNWRITTEN);
                        changed = true;
                    }
                }
                if (mode == FileSystemCalls.FallocMode.ALLOC && end > size) {
                    inodes.setInode(ino, InodeFormat.Field.SIZE, end);
                    changed = true;
                }
            }
            case PUNCH -> {
                if (!options.has(FsOptions.Variant.TRUNCATE_SKIPS_UNMAP)) {
                    daxFault.unmapPages(ino, firstBlock(off + FsGeometry.BLOCK_BYTES - 1), end / FsGeometry.BLOCK_BYTES,
                            false);
                }
                daxIo.zeroPartial(ino, off, Math.min(end, size));
                for (int fb = firstBlock(off); (long) (fb + 1) * FsGeometry.BLOCK_BYTES <= end; fb++) {
                    if ((long) fb * FsGeometry.BLOCK_BYTES >= off && InodeFormat.allocated(vol.pointer(ino, fb))) {
                        balloc.freeBlock(InodeFormat.blockOf(vol.pointer(ino, fb)));
                        inodes.setPointer(ino, fb, 0);
                        changed = true;
                    }
                }
                changed |= inodes.dropEmptyIndirect(ino);
            }
            case ZERO -> {
                balloc.reserve(inodes.blocksToAllocate(ino, off, end));
                // Whole blocks become unwritten: mapped pages must fault again to see zeros.
                daxFault.unmapPages(ino, firstBlock(off + FsGeometry.BLOCK_BYTES - 1), end / FsGeometry.BLOCK_BYTES, false);
                for (int fb = firstBlock(off); (long) fb * FsGeometry.BLOCK_BYTES < end; fb++) {
                    long blockStart = (long) fb * FsGeometry.BLOCK_BYTES;
                    boolean whole = blockStart >= off && blockStart + FsGeometry.BLOCK_BYTES <= end;
                    int ptr = vol.pointer(ino, fb);
                    if (!InodeFormat.allocated(ptr)) {
                        inodes.setPointer(ino, fb, balloc.allocBlock() | InodeFormat.UNWRITTEN);
                        changed = true;
                    } else if (whole && !InodeFormat.unwritten(ptr)) {
                        inodes.setPointer(ino, fb, InodeFormat.blockOf(ptr) | InodeFormat.UNWRITTEN);
                        changed = true;
                    } else if (!whole && !InodeFormat.unwritten(ptr)) {
                        long from = Math.max(off, blockStart);
                        long to = Math.min(end, blockStart + FsGeometry.BLOCK_BYTES);
                        daxIo.daxZero(FsGeometry.blockAddr(InodeFormat.blockOf(ptr)) + (from - blockStart), (int) (to - from));
                    }
                }
                if (end > size) {
                    inodes.setInode(ino, InodeFormat.Field.SIZE, end);
                    changed = true;
                }
            }
            default -> throw new AssertionError(mode);
        }
        inodes.setInode(ino, InodeFormat.Field.MTIME, ctx.step() + 1);
        inodes.setInode(ino, InodeFormat.Field.CTIME, ctx.step() + 1);
        inodes.markDirty(ino, changed);
        return CallResult.OK;
    }

    CallResult fsync(String fdName, boolean dataOnly) {
        OpenFile f = fd(fdName);
        syncInode(f.ino(), dataOnly);
        return CallResult.OK;
    }

    /** Commits if the running transaction holds (datasync-relevant) changes of {@code ino}; fences. */
    void syncInode(int ino, boolean dataOnly) {
        daxFault.writebackDirtyPages(ino);
        if (inodes.inodeDirty(ino, dataOnly) && !options.has(FsOptions.Variant.FSYNC_ONLY_FENCES)) {
            ctx.commitAndWait(dataOnly ? "fdatasync" : "fsync");
        }
        pm.sfence(CPU, Site.DATA_FLUSH.at(ctx.step()));
    }

    /** mmap(2) as x86 sys_mmap and do_mmap check it (docs/mappings.md). */
    CallResult mmap(String map, String fdName, long off, long len, Set<FileSystemCalls.MapFlag> flags) {
        if (off % AddressSpace.PAGE_BYTES != 0 || off < 0) {
            throw new Fail(Errno.EINVAL);
        }
        OpenFile f = fd(fdName);
        if (len == 0) {
            throw new Fail(Errno.EINVAL);
        }
        if (len < 0 || len > (1L << 40)) {
            throw new Fail(Errno.ENOMEM);
        }
        // file_mmap_ok: the mapping's last byte must lie at or below MAX_LFS_FILESIZE (2^63-1).
        if (off > Long.MAX_VALUE - pageAlign(len)) {
            throw new Fail(Errno.EOVERFLOW);
        }
        int types = (flags.contains(FileSystemCalls.MapFlag.SHARED) ? 1 : 0)
                + (flags.contains(FileSystemCalls.MapFlag.SHARED_VALIDATE) ? 1 : 0)
                + (flags.contains(FileSystemCalls.MapFlag.PRIVATE) ? 1 : 0);
        if (types != 1) {
            throw new Fail(Errno.EINVAL);
        }
        boolean shared = !flags.contains(FileSystemCalls.MapFlag.PRIVATE);
        boolean writable = !flags.contains(FileSystemCalls.MapFlag.RO);
        if (shared && writable && !f.writable()) {
            throw new Fail(Errno.EACCES);
        }
        if (!f.readable()) {
            throw new Fail(Errno.EACCES);
        }
        if (f.directory()) {
            throw new Fail(Errno.ENODEV);
        }
        // MAP_SHARED masks unknown flags off (LEGACY_MAP_MASK); MAP_PRIVATE never validates them;
        // every file here is DAX, so MAP_SHARED_VALIDATE accepts MAP_SYNC (ext4_file_mmap).
        boolean sync = flags.contains(FileSystemCalls.MapFlag.SHARED_VALIDATE) && flags.contains(FileSystemCalls.MapFlag.SYNC);
        mm.mmap(map, new MappedFile(ctx.vmOps, f.ino()), off, len, shared, sync, writable);
        inodes.openCount.addTo(f.ino(), 1);
        return CallResult.OK;
    }

    /**
     * msync(MS_SYNC): fdatasync of the whole file behind a shared mapping (docs/mappings.md).
     * ENOMEM when the range, its length rounded up to pages as {@code sys_msync} does, runs past
     * the VMA (which covers whole pages); compared without forming {@code off + len}.
     */
    CallResult msync(String map, long off, long len) {
        if (off % AddressSpace.PAGE_BYTES != 0 || off < 0 || len < 0) {
            throw new Fail(Errno.EINVAL);
        }
        Vma vma = mm.vma(map);
        if (vma == null) {
            throw new Fail(Errno.ENOMEM);
        }
        if (len == 0) {
            return CallResult.OK;
        }
        if (vma.shared()) {
            // msync drops mmap_lock around vfs_fsync_range: it holds no lock while it waits.
            syncInode(vma.file().ino(), true);
        }
        long covered = pageAlign(vma.lengthBytes());
        if (off > covered || pageAlign(len) > covered - off) {
            throw new Fail(Errno.ENOMEM);
        }
        return CallResult.OK;
    }

    /** {@code PAGE_ALIGN(len)} without overflow: a length too large to round is returned as 2^63-1. */
    static long pageAlign(long len) {
        long pages = len / AddressSpace.PAGE_BYTES + (len % AddressSpace.PAGE_BYTES == 0 ? 0 : 1);
        return pages > Long.MAX_VALUE / AddressSpace.PAGE_BYTES ? Long.MAX_VALUE : pages * AddressSpace.PAGE_BYTES;
    }

    /** sync(2): writes back every dirty DAX entry, commits and waits, and fences. */
    CallResult sync() {
        for (int ino : new ArrayList<>(daxFault.dirtyPages.keySet())) {
            daxFault.writebackDirtyPages(ino);
        }
        ctx.commitAndWait("sync");
        pm.sfence(CPU, Site.DATA_FLUSH.at(ctx.step()));
        return CallResult.OK;
    }

    /** munmap(2) of the whole mapping: EINVAL for a name bound to none. */
    CallResult munmap(String map) {
        return mm.munmap(map) ? CallResult.OK : CallResult.failed(Errno.EINVAL);
    }

    /** The inode FD name {@code fd} is bound to, or -1. */
    int inodeOfDescriptor(String fd) {
        OpenFile f = fds.get(fd);
        return f == null ? -1 : f.ino();
    }

    /** do_exit's close_files: every descriptor closed, then the unreachable descriptions released. */
    void closeAll() {
        for (String fd : new ArrayList<>(fds.keySet())) {
            close(fd);
        }
        for (OpenFile f : orphans) {
            openFiles--;
            inodes.openCount.addTo(f.ino(), -1);
            inodes.releaseIfUnused(f.ino());
        }
        orphans.clear();
    }
}
