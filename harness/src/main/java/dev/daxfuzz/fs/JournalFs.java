package dev.daxfuzz.fs;

import dev.daxfuzz.pm.PersistentMemory;
import dev.daxfuzz.program.Bytes;
import dev.daxfuzz.program.FsPath;
import dev.daxfuzz.vm.AddressSpace;
import dev.daxfuzz.vm.LockChecker;
import dev.daxfuzz.vm.LockClass;
import dev.daxfuzz.vm.Vma;
import dev.daxfuzz.vm.VmFault;
import dev.daxfuzz.vm.VmOperations;
import it.unimi.dsi.fastutil.ints.IntAVLTreeSet;
import java.util.Set;

/**
 * The {@code journal} design: an ext4/XFS-like DAX file system whose persistent state lives only
 * in the emulated persistent memory (see {@link FsGeometry} for the layout, {@link Journal} for
 * the journal).
 *
 * <ul>
 *   <li><b>Metadata</b> (inodes, bitmap, directory and indirect blocks) changes in a buffer cache
 *   and reaches the media through the journal only: a call's changes all join the running
 *   transaction, so each call is atomic.
 *   <li><b>Data</b> goes straight to persistent memory (DAX), as {@code dax_iomap_rw} with the pmem
 *   driver's {@code memcpy_flushcache}: 8-byte-aligned words with non-temporal stores, unaligned
 *   head and tail bytes through the cache followed by clwb. A block a write allocates or converts
 *   from unwritten is zeroed where the write does not cover it, so no stale bytes show; the fence
 *   before the next commit record orders that data before the metadata that exposes it.
 *   <li><b>Freed blocks</b> are not reused until the checkpoint after the freeing transaction, so
 *   neither a direct data write nor a replay of an older journalled copy can clobber a block that
 *   a committed state still uses (jbd2 needs revoke records for the second).
 *   <li><b>fsync</b> commits the running transaction when it holds a change of the inode
 *   (i_sync_tid); <b>fdatasync</b> only when it holds a size or allocation change
 *   (i_datasync_tid); both, and sync, end with a fence so that data written with non-temporal
 *   stores is durable. A {@code dsync} descriptor makes each write an fdatasync.
 *   <li><b>Errno results</b> follow Linux (ext4) for every call; limits are {@link FsGeometry#LIMITS}.
 *
 *   <li><b>Mappings</b> ({@link #fault}): the DAX fault handler for both sync-fault designs;
 *   mmap, munmap and msync follow docs/mappings.md; the process's address space is {@link #mm()}.
 *   Truncate, punch and zero range unmap the pages whose blocks they change first.
 *   <li><b>daxctl</b>: the 2017 RFC's checks in both daxfile designs (rfc-v1: in-memory flag and a
 *   pinned reference; sealed: conversion, persistent flag, commit); static files refuse block-map
 *   changes as docs/mappings.md tabulates.
 *   <li><b>Locks</b>: i_rwsem, the invalidate lock, mmap_lock and journal handles go through one
 *   {@link LockChecker}; waiting for a commit is a lock acquisition, so waiting while holding a
 *   handle is reported as the deadlock it is.
 * </ul>
 *
 * <p>Every call returns with the caller's store buffer still holding what the call issued; the
 * caller (the runner) crashes there if it wants, then calls {@link #endCall()}, which drains the
 * buffer as the return to user space does. Not thread-safe.
 *
 * <p>Media poison ({@code poison PATH OFF LEN}) is resolved through the block map and marks the
 * lines of written blocks bad in the emulator. A read over one is EIO ({@code dax_direct_access}
 * fails on badblocks), a write that covers one only in part is EIO, one that covers it whole
 * clears it ({@code dax_recovery_write}); every block the design allocates is zeroed whole first,
 * which clears its poison, so metadata (directory and indirect blocks) never lands on poison.
 *
 * <p><b>Layout.</b> This class is the thin façade: it implements the system-call interface
 * ({@link FileSystemCalls}) and the memory-management core's {@link VmOperations}, brackets every
 * call (its handle, its locks, the end of the call in the journal), and wires the parts, which
 * follow the lines Linux draws: {@link Namei} (namespace calls, {@code fs/namei.c}),
 * {@link Files} (descriptors and the data calls, {@code fs/open.c}, {@code fs/read_write.c},
 * {@code fs/sync.c}), {@link DaxFault} (page faults and write-back, {@code fs/dax.c}),
 * {@link DaxIo} (the DAX data path and poison), {@link Inodes} (the inode table and block maps,
 * {@code fs/ext4/inode.c}), {@link Balloc} (the allocator, {@code fs/ext4/balloc.c}),
 * {@link Daxfile} (daxctl, the 2017 RFC's {@code sys_daxctl}) and {@link Journal}; they share
 * a {@link FsContext}.
 *
 * <p>Limits: no permissions or owners beyond one capability; timestamps are logical mtime/ctime;
 * directories use twelve blocks at most; crash during recovery is not modelled; one process.
 */
public final class JournalFs implements FileSystemCalls<CallResult>, VmOperations {
    private final FsContext ctx;
    private final PersistentMemory pm;
    private final Journal journal;
    private final LockChecker locks;
    private final AddressSpace mm;
    private final DaxIo daxIo;
    private final Balloc balloc;
    private final Inodes inodes;
    private final DaxFault daxFault;
    private final Daxfile daxfile;
    private final Namei namei;
    private final Files files;

    private JournalFs(PersistentMemory pm, FsGeometry g, FsOptions options) {
        // The allocator's quarantine ends at every checkpoint of the journal the context starts.
        IntAVLTreeSet quarantined = new IntAVLTreeSet();
        this.ctx = new FsContext(pm, g, options, this, quarantined::clear);
        this.pm = pm;
        this.journal = ctx.journal;
        this.locks = ctx.locks;
        this.mm = ctx.mm;
        this.daxIo = new DaxIo(ctx);
        this.balloc = new Balloc(ctx, quarantined);
        this.inodes = new Inodes(ctx, daxIo, balloc);
        this.daxFault = new DaxFault(ctx, daxIo, balloc, inodes);
        this.daxfile = new Daxfile(ctx, daxIo, inodes, daxFault);
        this.namei = new Namei(ctx, daxIo, balloc, inodes, daxfile);
        this.files = new Files(ctx, daxIo, balloc, inodes, daxFault, daxfile, namei);
    }

    /** Formats the device (as if long before the program started) and mounts it. */
    public static JournalFs format(PersistentMemory pm, FsGeometry g) {
        return format(pm, g, FsOptions.DEFAULT);
    }

    /** Formats the device and mounts it, with the given options. */
    public static JournalFs format(PersistentMemory pm, FsGeometry g, FsOptions options) {
        byte[] img = Mkfs.metadataImage(g);
        pm.initialize(0, img, 0, img.length);
        return new JournalFs(pm, g, options);
    }

    public FsGeometry geometry() {
        return ctx.g;
    }

    /** The structure as the running file system sees it (cache included). */
    public Volume volume() {
        return ctx.vol;
    }

    /**
     * How lock reports name a statement: by default by its index; the runner names them by
     * their source line, as every other part of a report does.
     */
    public void nameStepsWith(java.util.function.IntFunction<String> names) {
        ctx.stepNames = java.util.Objects.requireNonNull(names);
    }

    /** The calling process's address space (its mappings and page table). */
    public AddressSpace mm() {
        return mm;
    }

    /** The lock checker every lock of this kernel model goes through. */
    public LockChecker locks() {
        return locks;
    }

    public FsOptions options() {
        return ctx.options;
    }

    /** The inode a path names now, or -1 (for oracles that follow a file by its name). */
    public int inodeOf(FsPath path) {
        try {
            return namei.resolve(path);
        } catch (Fail f) {
            return -1;
        }
    }

    /** The inode FD name {@code fd} is bound to, or -1 (for checks outside the file system). */
    public int inodeOfDescriptor(String fd) {
        return files.inodeOfDescriptor(fd);
    }

    /** Whether inode {@code ino}'s block map is static (daxctl), in the running design. */
    public boolean isStatic(int ino) {
        return daxfile.isStatic(ino);
    }

    /** References held on inode {@code ino}: open descriptions, mappings and daxfile pins. */
    public int references(int ino) {
        return inodes.openCount.get(ino);
    }

    /** How deep this run has gone so far (see {@link FsStats}). */
    public FsStats.Snapshot stats() {
        return ctx.stats.snapshot();
    }

    /** Sequence number of the running transaction (for tests). */
    public long runningSequence() {
        return journal.runningSequence();
    }

    /**
     * Runs one system call of statement {@code stepIndex}: sets the logical clock, runs the call,
     * then stops its handle, ends the call in the journal and runs deferred zeroing. A failed
     * call ({@link Fail}) returns its errno after the same ending.
     */
    private CallResult syscall(int stepIndex, java.util.function.Supplier<CallResult> body) {
        ctx.setStep(stepIndex);
        try {
            CallResult r = body.get();
            ctx.stopHandle();
            journal.endOfCall(ctx.step());
            daxIo.runDeferredZeros();
            return r;
        } catch (Fail f) {
            ctx.stopHandle();
            journal.endOfCall(ctx.step());
            daxIo.runDeferredZeros();
            return CallResult.failed(f.errno);
        }
    }

    /**
     * Process exit at the end of the program: every mapping is unmapped and every descriptor
     * closed, as {@code do_exit} does. Returns with the store buffer drained.
     */
    public void exitProcess(int stepIndex) {
        ctx.setStep(stepIndex);
        mm.exit();
        files.closeAll();
        ctx.stopHandle();
        journal.endOfCall(ctx.step());
        pm.serialize();
    }

    /**
     * The inodes still referenced at unmount, with their reference counts: what the kernel's
     * "Busy inodes after unmount" check would see. After {@link #exitProcess} only daxfile pins
     * (rfc-v1) may remain.
     */
    public java.util.SortedMap<Integer, Integer> busyInodes() {
        return inodes.busy();
    }

    /** The return to user space: drains the store buffer (not a fence). */
    public void endCall() {
        pm.serialize();
    }

    // ---- the system calls (FileSystemCalls) ------------------------------------------------------

    /**
     * Runs a namespace change holding the directory lock exclusively, from the lookup to the
     * change (Linux's {@code filename_create} and {@code lock_rename}), and stops the call's
     * handle before dropping it.
     */
    private CallResult namespace(String where, java.util.function.Supplier<CallResult> body) {
        locks.acquire(LockClass.DIR_RWSEM, true, where);
        try {
            return body.get();
        } finally {
            ctx.stopHandle();
            locks.release(LockClass.DIR_RWSEM);
        }
    }

    @Override
    public CallResult mkdir(int stepIndex, FsPath path) {
        return syscall(stepIndex, () -> namespace("mkdir", () -> namei.mkdir(path)));
    }

    @Override
    public CallResult rmdir(int stepIndex, FsPath path) {
        return syscall(stepIndex, () -> namespace("rmdir", () -> namei.rmdir(path)));
    }

    @Override
    public CallResult open(int stepIndex, String fd, FsPath path, Set<OpenFlag> flags) {
        return syscall(stepIndex, () -> files.open(fd, path, flags));
    }

    @Override
    public CallResult close(int stepIndex, String fd) {
        return syscall(stepIndex, () -> files.close(fd));
    }

    @Override
    public CallResult write(int stepIndex, String fd, long off, Bytes data) {
        return syscall(stepIndex, () -> {
            ctx.lockInode(false, "write");
            try {
                return files.write(fd, off, data);
            } finally {
                ctx.stopHandle();
                ctx.unlockInode(false);
            }
        });
    }

    @Override
    public CallResult read(int stepIndex, String fd, long off, long len) {
        return syscall(stepIndex, () -> {
            // ext4_dax_read_iter: inode_lock_shared, so a read never sees a write or a truncate half done.
            locks.acquire(LockClass.I_RWSEM, false, "read");
            try {
                return files.read(fd, off, len);
            } finally {
                locks.release(LockClass.I_RWSEM);
            }
        });
    }

    @Override
    public CallResult truncate(int stepIndex, String fd, long len) {
        return syscall(stepIndex, () -> {
            ctx.lockInode(true, "truncate");
            try {
                return files.truncate(fd, len);
            } finally {
                ctx.stopHandle();
                ctx.unlockInode(true);
            }
        });
    }

    @Override
    public CallResult fallocate(int stepIndex, String fd, FallocMode mode, long off, long len) {
        return syscall(stepIndex, () -> {
            ctx.lockInode(true, "fallocate");
            try {
                return files.fallocate(fd, mode, off, len);
            } finally {
                ctx.stopHandle();
                ctx.unlockInode(true);
            }
        });
    }

    @Override
    public CallResult fsync(int stepIndex, String fd) {
        return syscall(stepIndex, () -> files.fsync(fd, false));
    }

    @Override
    public CallResult fdatasync(int stepIndex, String fd) {
        return syscall(stepIndex, () -> files.fsync(fd, true));
    }

    @Override
    public CallResult sync(int stepIndex) {
        return syscall(stepIndex, files::sync);
    }

    @Override
    public CallResult unlink(int stepIndex, FsPath path) {
        return syscall(stepIndex, () -> namespace("unlink", () -> namei.unlink(path)));
    }

    @Override
    public CallResult link(int stepIndex, FsPath oldPath, FsPath newPath) {
        return syscall(stepIndex, () -> namespace("link", () -> namei.link(oldPath, newPath)));
    }

    @Override
    public CallResult rename(int stepIndex, FsPath oldPath, FsPath newPath) {
        return syscall(stepIndex, () -> namespace("rename", () -> namei.rename(oldPath, newPath)));
    }

    @Override
    public CallResult mmap(int stepIndex, String map, String fd, long off, long len, Set<MapFlag> flags) {
        return syscall(stepIndex, () -> files.mmap(map, fd, off, len, flags));
    }

    @Override
    public CallResult munmap(int stepIndex, String map) {
        return syscall(stepIndex, () -> files.munmap(map));
    }

    @Override
    public CallResult msync(int stepIndex, String map, long off, long len) {
        return syscall(stepIndex, () -> files.msync(map, off, len));
    }

    @Override
    public CallResult daxctl(int stepIndex, FsPath path, DaxctlAction action, java.util.OptionalLong align) {
        return syscall(stepIndex, () -> {
            try {
                return daxfile.daxctl(namei.resolve(path), action, align);
            } finally {
                ctx.stopHandle();
                if (locks.holds(LockClass.I_RWSEM)) {
                    locks.release(LockClass.I_RWSEM);
                }
            }
        });
    }

    @Override
    public CallResult cred(int stepIndex, CredAction action, String capability) {
        return syscall(stepIndex, () -> daxfile.cred(action, capability));
    }

    @Override
    public CallResult poison(int stepIndex, FsPath path, long off, long len) {
        return syscall(stepIndex, () -> files.poison(path, off, len));
    }

    // ---- VmOperations: what the memory-management core calls ---------------------------------------

    /** The DAX fault handler: see {@link DaxFault#fault}. */
    @Override
    public VmFault.Result fault(VmFault vmf, AddressSpace space) {
        return daxFault.fault(vmf, space);
    }

    @Override
    public long sizeBytes(int ino) {
        return ctx.vol.size(ino);
    }

    @Override
    public void close(Vma vma) {
        inodes.openCount.addTo(vma.file().ino(), -1);
        boolean inHandle = ctx.inHandle();
        inodes.releaseIfUnused(vma.file().ino());
        if (!inHandle) {
            // The last reference's __fput -> ext4_evict_inode starts and stops its own handle;
            // keeping it open would hold jbd2_handle across the next VMA's mmap_lock (exit unmaps
            // one VMA after another), an inversion Linux never has.
            ctx.stopHandle();
        }
    }
}
