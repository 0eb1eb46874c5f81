package dev.daxfuzz.fs;

import dev.daxfuzz.fs.layout.DirentFormat;
import dev.daxfuzz.fs.layout.InodeFormat;
import dev.daxfuzz.fs.layout.JournalFormat;
import dev.daxfuzz.fs.layout.Le;
import dev.daxfuzz.pm.PersistentMemory;
import dev.daxfuzz.posix.Errno;
import dev.daxfuzz.program.Bytes;
import dev.daxfuzz.program.FsPath;
import dev.daxfuzz.program.Header;
import dev.daxfuzz.vm.AddressSpace;
import dev.daxfuzz.vm.LockChecker;
import dev.daxfuzz.vm.LockClass;
import dev.daxfuzz.vm.MappedFile;
import dev.daxfuzz.vm.Vma;
import dev.daxfuzz.vm.VmFault;
import dev.daxfuzz.vm.VmOperations;
import it.unimi.dsi.fastutil.ints.Int2IntOpenHashMap;
import it.unimi.dsi.fastutil.ints.Int2ObjectAVLTreeMap;
import it.unimi.dsi.fastutil.ints.IntAVLTreeSet;
import it.unimi.dsi.fastutil.longs.LongAVLTreeSet;
import it.unimi.dsi.fastutil.longs.LongIterator;
import java.util.ArrayList;
import java.util.TreeSet;
import java.util.regex.Pattern;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

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
 * <p>Every call returns with the caller's store buffer still holding what the call issued; the
 * caller (the runner) crashes there if it wants, then calls {@link #endCall()}, which drains the
 * buffer as the return to user space does. Not thread-safe.
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
 * <p>Media poison ({@code poison PATH OFF LEN}) is resolved through the block map and marks the
 * lines of written blocks bad in the emulator. A read over one is EIO ({@code dax_direct_access}
 * fails on badblocks), a write that covers one only in part is EIO, one that covers it whole
 * clears it ({@code dax_recovery_write}); every block the design allocates is zeroed whole first,
 * which clears its poison, so metadata (directory and indirect blocks) never lands on poison.
 *
 * <p>Limits: no permissions or owners beyond one capability; timestamps are logical mtime/ctime;
 * directories use twelve blocks at most; crash during recovery is not modelled; one process.
 */
public final class JournalFs implements FileSystemCalls<CallResult>, VmOperations {
    private static final int CPU = 0;
    private static final int FIRST_INO = 2;
    private static final String CAP_LINUX_IMMUTABLE = "CAP_LINUX_IMMUTABLE";
    private static final Pattern CAPABILITY = Pattern.compile("CAP_[A-Z_]+");

    private final PersistentMemory pm;
    private final FsGeometry g;
    private final MetaCache cache;
    private final Volume vol;
    private final Journal journal;
    private final Map<String, OpenFile> fds = new TreeMap<>();
    /** Open descriptions no FD name reaches any more (their name was rebound by a later open). */
    private final List<OpenFile> orphans = new ArrayList<>();
    private final Int2IntOpenHashMap openCount = new Int2IntOpenHashMap();
    /** Blocks freed since the last checkpoint: not reusable yet. */
    private final IntAVLTreeSet quarantined = new IntAVLTreeSet();
    /** Blocks this run has freed at some point (for {@link FsStats#blocksReused}). */
    private final it.unimi.dsi.fastutil.ints.IntOpenHashSet everFreed = new it.unimi.dsi.fastutil.ints.IntOpenHashSet();
    /** Pages written back and write-protected, as ino << 32 | page (for {@link FsStats#refaults}). */
    private final it.unimi.dsi.fastutil.longs.LongOpenHashSet cleaned = new it.unimi.dsi.fastutil.longs.LongOpenHashSet();
    private final FsStats stats = new FsStats();
    private final Int2IntOpenHashMap syncTid = new Int2IntOpenHashMap();
    private final Int2IntOpenHashMap datasyncTid = new Int2IntOpenHashMap();
    private final FsOptions options;
    private final LockChecker locks = new LockChecker();
    private final AddressSpace mm;
    /** Capabilities the caller dropped (programs start with all of them). */
    private final TreeSet<String> droppedCaps = new TreeSet<>();
    /** rfc-v1: the in-memory S_DAXFILE flag (the pinned file reference is counted in openCount). */
    private final IntAVLTreeSet staticV1 = new IntAVLTreeSet();
    /** The DAX mapping entries tagged dirty (PAGECACHE_TAG_DIRTY), by inode: written back by fsync. */
    private final Int2ObjectAVLTreeMap<LongAVLTreeSet> dirtyPages = new Int2ObjectAVLTreeMap<>();
    private int openFiles;
    private int step = -1;
    private int handleDepth;
    /** size-before-zeroing: zeroing deferred to the end of the call, as (address, length) pairs. */
    private final it.unimi.dsi.fastutil.longs.LongArrayList deferredZeros = new it.unimi.dsi.fastutil.longs.LongArrayList();

    /** An open file description. */
    private record OpenFile(int ino, boolean readable, boolean writable, boolean append, boolean dsync,
                            boolean directory) {
    }

    /** A failed call, as control flow: no stack trace. */
    private static final class Fail extends RuntimeException {
        private static final long serialVersionUID = 1L;
        final Errno errno;

        Fail(Errno errno) {
            super(errno.name(), null, false, false);
            this.errno = errno;
        }
    }

    private java.util.function.IntFunction<String> stepNames = k -> "statement " + (k + 1);

    private JournalFs(PersistentMemory pm, FsGeometry g, FsOptions options) {
        this.pm = pm;
        this.options = options;
        this.g = g;
        this.cache = new MetaCache(pm, g);
        this.vol = new Volume(g, cache);
        byte[] jsb = new byte[FsGeometry.LINE_BYTES];
        pm.load(CPU, g.journalLineAddr(0), jsb, 0, jsb.length);
        long pos = Le.u64(jsb, 8);
        this.journal = new Journal(pm, g, cache, JournalFormat.positionLine(pos), JournalFormat.positionSequence(pos),
                quarantined::clear, options);
        this.journal.onDirty(this::ensureHandle);
        this.journal.stats = stats;
        this.mm = new AddressSpace(pm, locks);
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
        return g;
    }

    /** The structure as the running file system sees it (cache included). */
    public Volume volume() {
        return vol;
    }

    /**
     * How lock reports name a statement: by default by its index; the runner names them by
     * their source line, as every other part of a report does.
     */
    public void nameStepsWith(java.util.function.IntFunction<String> names) {
        this.stepNames = java.util.Objects.requireNonNull(names);
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
        return options;
    }

    /** The inode a path names now, or -1 (for oracles that follow a file by its name). */
    public int inodeOf(FsPath path) {
        try {
            return resolve(path);
        } catch (Fail f) {
            return -1;
        }
    }

    /** The inode FD name {@code fd} is bound to, or -1 (for checks outside the file system). */
    public int inodeOfDescriptor(String fd) {
        OpenFile f = fds.get(fd);
        return f == null ? -1 : f.ino();
    }

    /** Whether inode {@code ino}'s block map is static (daxctl), in the running design. */
    public boolean isStatic(int ino) {
        if (options.daxfile() == Header.DaxfileDesign.RFC_V1) {
            return staticV1.contains(ino);
        }
        return vol.mode(ino) == InodeFormat.MODE_FILE && (vol.flags(ino) & InodeFormat.FLAG_DAXFILE) != 0;
    }

    /** References held on inode {@code ino}: open descriptions, mappings and daxfile pins. */
    public int references(int ino) {
        return openCount.get(ino);
    }

    /** Sequence number of the running transaction (for tests). */
    /** How deep this run has gone so far (see {@link FsStats}). */
    public FsStats.Snapshot stats() {
        return stats.snapshot();
    }

    public long runningSequence() {
        return journal.runningSequence();
    }

    /**
     * Runs one system call of statement {@code stepIndex}: sets the logical clock, runs the call,
     * stops its handle and ends the call in the journal, as {@link #call} always did. A failed
     * call ({@link Fail}) returns its errno.
     */
    private CallResult syscall(int stepIndex, java.util.function.Supplier<CallResult> body) {
        this.step = stepIndex;
        try {
            CallResult r = body.get();
            stopHandle();
            journal.endOfCall(step);
            runDeferredZeros();
            return r;
        } catch (Fail f) {
            stopHandle();
            journal.endOfCall(step);
            runDeferredZeros();
            return CallResult.failed(f.errno);
        }
    }

    /**
     * Process exit at the end of the program: every mapping is unmapped and every descriptor
     * closed, as {@code do_exit} does. Returns with the store buffer drained.
     */
    public void exitProcess(int stepIndex) {
        this.step = stepIndex;
        mm.exit();
        for (String fd : new ArrayList<>(fds.keySet())) {
            close(fd);
        }
        for (OpenFile f : orphans) {
            openFiles--;
            openCount.addTo(f.ino(), -1);
            releaseIfUnused(f.ino());
        }
        orphans.clear();
        stopHandle();
        journal.endOfCall(step);
        pm.serialize();
    }

    /**
     * The inodes still referenced at unmount, with their reference counts: what the kernel's
     * "Busy inodes after unmount" check would see. After {@link #exitProcess} only daxfile pins
     * (rfc-v1) may remain.
     */
    public java.util.SortedMap<Integer, Integer> busyInodes() {
        java.util.TreeMap<Integer, Integer> busy = new java.util.TreeMap<>();
        for (int ino = FIRST_INO; ino < g.inodeCount(); ino++) {
            if (openCount.get(ino) > 0) {
                busy.put(ino, openCount.get(ino));
            }
        }
        return busy;
    }

    // ---- journal handles --------------------------------------------------------------------------

    /** jbd2_journal_start: the first change of a call or fault joins the running transaction. */
    private void ensureHandle() {
        if (handleDepth == 0) {
            locks.acquire(LockClass.JBD2_HANDLE, false, "the journal handle of " + stepNames.apply(step));
            handleDepth = 1;
        }
    }

    /** jbd2_journal_stop. */
    private void stopHandle() {
        if (handleDepth > 0) {
            handleDepth = 0;
            locks.release(LockClass.JBD2_HANDLE);
        }
    }

    /** The task waits for the running transaction to commit (jbd2_log_wait_commit). */
    private void commitAndWait(String where) {
        locks.waitFor(LockClass.JBD2_HANDLE, where);
        journal.commit(step);
    }

    /** Takes the locks a call holds for its whole length, in the documented order. */
    private void lockInode(boolean invalidate, String where) {
        locks.acquire(LockClass.I_RWSEM, true, where);
        if (invalidate) {
            locks.acquire(LockClass.INVALIDATE_LOCK, true, where);
        }
    }

    private void unlockInode(boolean invalidate) {
        if (invalidate) {
            locks.release(LockClass.INVALIDATE_LOCK);
        }
        locks.release(LockClass.I_RWSEM);
    }

    private void runDeferredZeros() {
        for (int i = 0; i < deferredZeros.size(); i += 2) {
            daxZero(deferredZeros.getLong(i), (int) deferredZeros.getLong(i + 1));
        }
        deferredZeros.clear();
    }

    /** The return to user space: drains the store buffer (not a fence). */
    public void endCall() {
        pm.serialize();
    }

    // ---- the system calls (FileSystemCalls) ------------------------------------------------------

    @Override
    public CallResult mkdir(int stepIndex, FsPath path) {
        return syscall(stepIndex, () -> mkdirCall(path));
    }

    @Override
    public CallResult rmdir(int stepIndex, FsPath path) {
        return syscall(stepIndex, () -> rmdirCall(path));
    }

    @Override
    public CallResult open(int stepIndex, String fd, FsPath path, Set<OpenFlag> flags) {
        return syscall(stepIndex, () -> openCall(fd, path, flags));
    }

    @Override
    public CallResult close(int stepIndex, String fd) {
        return syscall(stepIndex, () -> close(fd));
    }

    @Override
    public CallResult write(int stepIndex, String fd, long off, Bytes data) {
        return syscall(stepIndex, () -> {
            lockInode(false, "write");
            try {
                return writeCall(fd, off, data);
            } finally {
                stopHandle();
                unlockInode(false);
            }
        });
    }

    @Override
    public CallResult read(int stepIndex, String fd, long off, long len) {
        return syscall(stepIndex, () -> readCall(fd, off, len));
    }

    @Override
    public CallResult truncate(int stepIndex, String fd, long len) {
        return syscall(stepIndex, () -> {
            lockInode(true, "truncate");
            try {
                return truncateCall(fd, len);
            } finally {
                stopHandle();
                unlockInode(true);
            }
        });
    }

    @Override
    public CallResult fallocate(int stepIndex, String fd, FallocMode mode, long off, long len) {
        return syscall(stepIndex, () -> {
            lockInode(true, "fallocate");
            try {
                return fallocateCall(fd, mode, off, len);
            } finally {
                stopHandle();
                unlockInode(true);
            }
        });
    }

    @Override
    public CallResult fsync(int stepIndex, String fd) {
        return syscall(stepIndex, () -> fsyncCall(fd, false));
    }

    @Override
    public CallResult fdatasync(int stepIndex, String fd) {
        return syscall(stepIndex, () -> fsyncCall(fd, true));
    }

    @Override
    public CallResult sync(int stepIndex) {
        return syscall(stepIndex, () -> {
            for (int ino : new ArrayList<>(dirtyPages.keySet())) {
                writebackDirtyPages(ino);
            }
            commitAndWait("sync");
            pm.sfence(CPU, Site.DATA_FLUSH.at(step));
            return CallResult.OK;
        });
    }

    @Override
    public CallResult unlink(int stepIndex, FsPath path) {
        return syscall(stepIndex, () -> unlinkCall(path));
    }

    @Override
    public CallResult link(int stepIndex, FsPath oldPath, FsPath newPath) {
        return syscall(stepIndex, () -> linkCall(oldPath, newPath));
    }

    @Override
    public CallResult rename(int stepIndex, FsPath oldPath, FsPath newPath) {
        return syscall(stepIndex, () -> renameCall(oldPath, newPath));
    }

    @Override
    public CallResult mmap(int stepIndex, String map, String fd, long off, long len, Set<MapFlag> flags) {
        return syscall(stepIndex, () -> mmapCall(map, fd, off, len, flags));
    }

    @Override
    public CallResult munmap(int stepIndex, String map) {
        return syscall(stepIndex, () -> mm.munmap(map) ? CallResult.OK : CallResult.failed(Errno.EINVAL));
    }

    @Override
    public CallResult msync(int stepIndex, String map, long off, long len) {
        return syscall(stepIndex, () -> msyncCall(map, off, len));
    }

    @Override
    public CallResult daxctl(int stepIndex, FsPath path, DaxctlAction action, java.util.OptionalLong align) {
        return syscall(stepIndex, () -> {
            try {
                return daxctlCall(path, action, align);
            } finally {
                stopHandle();
                if (locks.holds(LockClass.I_RWSEM)) {
                    locks.release(LockClass.I_RWSEM);
                }
            }
        });
    }

    @Override
    public CallResult cred(int stepIndex, CredAction action, String capability) {
        return syscall(stepIndex, () -> credCall(action, capability));
    }

    @Override
    public CallResult poison(int stepIndex, FsPath path, long off, long len) {
        return syscall(stepIndex, () -> poisonCall(path, off, len));
    }

    // ---- path resolution ------------------------------------------------------------------------

    /** The parent directory and final name of a path, and the entry if it exists. */
    private record Target(int dir, String name, Volume.Entry entry) {
        boolean exists() {
            return entry != null;
        }
    }

    private static int nameBytes(String name) {
        return name.getBytes(StandardCharsets.UTF_8).length;
    }

    /** Walks all components but the last; checks the last one's length; looks it up. */
    private Target target(FsPath path) {
        List<String> c = path.components();
        int dir = FsGeometry.ROOT_INO;
        for (int i = 0; i < c.size() - 1; i++) {
            dir = step(dir, c.get(i));
        }
        if (!vol.isDir(dir)) {
            throw new Fail(Errno.ENOTDIR);
        }
        String name = c.get(c.size() - 1);
        if (nameBytes(name) > FsGeometry.NAME_MAX_BYTES) {
            throw new Fail(Errno.ENAMETOOLONG);
        }
        return new Target(dir, name, vol.lookup(dir, name));
    }

    private int step(int dir, String name) {
        if (!vol.isDir(dir)) {
            throw new Fail(Errno.ENOTDIR);
        }
        if (nameBytes(name) > FsGeometry.NAME_MAX_BYTES) {
            throw new Fail(Errno.ENAMETOOLONG);
        }
        Volume.Entry e = vol.lookup(dir, name);
        if (e == null) {
            throw new Fail(Errno.ENOENT);
        }
        return e.ino();
    }

    /** Resolves a whole path to an inode. */
    private int resolve(FsPath path) {
        if (path.isRoot()) {
            return FsGeometry.ROOT_INO;
        }
        Target t = target(path);
        if (!t.exists()) {
            throw new Fail(Errno.ENOENT);
        }
        return t.entry().ino();
    }

    // ---- namespace calls ---------------------------------------------------------------------------

    private CallResult mkdirCall(FsPath path) {
        if (path.isRoot()) {
            throw new Fail(Errno.EEXIST);
        }
        Target t = target(path);
        if (t.exists()) {
            throw new Fail(Errno.EEXIST);
        }
        if (vol.nlink(t.dir()) >= FsGeometry.LINK_MAX) {
            throw new Fail(Errno.EMLINK);
        }
        int ino = freeInode();
        reserve(needsDirBlock(t.dir()) ? 1 : 0);
        initInode(ino, InodeFormat.MODE_DIR, 2, t.dir());
        addEntry(t.dir(), t.name(), ino, DirentFormat.TYPE_DIR);
        setNlink(t.dir(), vol.nlink(t.dir()) + 1);
        return CallResult.OK;
    }

    private CallResult rmdirCall(FsPath path) {
        if (path.isRoot()) {
            throw new Fail(Errno.EBUSY);
        }
        Target t = target(path);
        if (!t.exists()) {
            throw new Fail(Errno.ENOENT);
        }
        int ino = t.entry().ino();
        if (!vol.isDir(ino)) {
            throw new Fail(Errno.ENOTDIR);
        }
        if (!vol.entries(ino).isEmpty() && !options.has(FsOptions.Variant.RMDIR_IGNORES_ENTRIES)) {
            throw new Fail(Errno.ENOTEMPTY);
        }
        removeEntry(t.dir(), t.entry());
        setNlink(t.dir(), vol.nlink(t.dir()) - 1);
        setNlink(ino, 0);
        releaseIfUnused(ino);
        return CallResult.OK;
    }

    private CallResult openCall(String fdName, FsPath path, Set<OpenFlag> flags) {
        int modes = (flags.contains(OpenFlag.RDONLY) ? 1 : 0) + (flags.contains(OpenFlag.WRONLY) ? 1 : 0)
                + (flags.contains(OpenFlag.RDWR) ? 1 : 0);
        if (modes > 1) {
            throw new Fail(Errno.EINVAL);
        }
        if (openFiles >= FsGeometry.OPEN_FILES_MAX) {
            throw new Fail(Errno.EMFILE);
        }
        boolean writable = flags.contains(OpenFlag.WRONLY) || flags.contains(OpenFlag.RDWR);
        boolean readable = !flags.contains(OpenFlag.WRONLY);
        boolean creat = flags.contains(OpenFlag.CREAT);
        boolean excl = flags.contains(OpenFlag.EXCL);
        boolean trunc = flags.contains(OpenFlag.TRUNC);
        int ino;
        if (path.isRoot()) {
            if (creat && excl) {
                throw new Fail(Errno.EEXIST);
            }
            ino = FsGeometry.ROOT_INO;
        } else {
            Target t = target(path);
            if (!t.exists()) {
                if (!creat) {
                    throw new Fail(Errno.ENOENT);
                }
                ino = freeInode();
                reserve(needsDirBlock(t.dir()) ? 1 : 0);
                initInode(ino, InodeFormat.MODE_FILE, 1, 0);
                addEntry(t.dir(), t.name(), ino, DirentFormat.TYPE_FILE);
            } else {
                if (creat && excl) {
                    throw new Fail(Errno.EEXIST);
                }
                ino = t.entry().ino();
            }
        }
        boolean dir = vol.isDir(ino);
        if (dir && (writable || creat || trunc)) {
            throw new Fail(Errno.EISDIR);
        }
        if (!dir && trunc) {
            // do_truncate -> inode_newsize_ok: a static file refuses truncation.
            refuseIfStatic(ino, true);
            truncateTo(ino, 0);
        }
        OpenFile f = new OpenFile(ino, readable, writable, flags.contains(OpenFlag.APPEND),
                flags.contains(OpenFlag.DSYNC), dir);
        OpenFile previous = fds.put(fdName, f);
        if (previous != null) {
            // The name moves on; the description it named stays open, unreachable, until exit.
            orphans.add(previous);
        }
        openFiles++;
        openCount.addTo(ino, 1);
        return CallResult.OK;
    }

    private CallResult close(String fd) {
        OpenFile f = fds.remove(fd);
        if (f == null) {
            throw new Fail(Errno.EBADF);
        }
        openFiles--;
        openCount.addTo(f.ino(), -1);
        releaseIfUnused(f.ino());
        return CallResult.OK;
    }

    private CallResult unlinkCall(FsPath path) {
        if (path.isRoot()) {
            throw new Fail(Errno.EISDIR);
        }
        Target t = target(path);
        if (!t.exists()) {
            throw new Fail(Errno.ENOENT);
        }
        int ino = t.entry().ino();
        if (vol.isDir(ino)) {
            throw new Fail(Errno.EISDIR);
        }
        refuseRemovalIfSealed(ino);
        removeEntry(t.dir(), t.entry());
        setNlink(ino, vol.nlink(ino) - 1);
        releaseIfUnused(ino);
        return CallResult.OK;
    }

    private CallResult linkCall(FsPath oldPath, FsPath newPath) {
        int ino = resolve(oldPath);
        if (newPath.isRoot()) {
            throw new Fail(Errno.EEXIST);
        }
        Target t = target(newPath);
        if (t.exists()) {
            throw new Fail(Errno.EEXIST);
        }
        if (vol.isDir(ino)) {
            throw new Fail(Errno.EPERM);
        }
        if (vol.nlink(ino) >= FsGeometry.LINK_MAX) {
            throw new Fail(Errno.EMLINK);
        }
        reserve(needsDirBlock(t.dir()) ? 1 : 0);
        addEntry(t.dir(), t.name(), ino, DirentFormat.TYPE_FILE);
        setNlink(ino, vol.nlink(ino) + 1);
        return CallResult.OK;
    }

    private CallResult renameCall(FsPath oldPath, FsPath newPath) {
        List<String> oc = oldPath.components();
        List<String> nc = newPath.components();
        // Parents first (old's, then new's), as renameat2 resolves them.
        int oldDir = oldPath.isRoot() ? FsGeometry.ROOT_INO : parentOf(oc);
        int newDir = newPath.isRoot() ? FsGeometry.ROOT_INO : parentOf(nc);
        if (oldPath.isRoot() || newPath.isRoot()) {
            throw new Fail(Errno.EBUSY);
        }
        String oldName = oc.get(oc.size() - 1);
        String newName = nc.get(nc.size() - 1);
        if (nameBytes(oldName) > FsGeometry.NAME_MAX_BYTES) {
            throw new Fail(Errno.ENAMETOOLONG);
        }
        Volume.Entry oldEntry = vol.lookup(oldDir, oldName);
        if (oldEntry == null) {
            throw new Fail(Errno.ENOENT);
        }
        if (nameBytes(newName) > FsGeometry.NAME_MAX_BYTES) {
            throw new Fail(Errno.ENAMETOOLONG);
        }
        Volume.Entry newEntry = vol.lookup(newDir, newName);
        int ino = oldEntry.ino();
        if (newEntry != null && newEntry.ino() == ino) {
            return CallResult.OK;
        }
        boolean isDir = vol.isDir(ino);
        if (isDir && isProperAncestor(oc, nc)) {
            throw new Fail(Errno.EINVAL);
        }
        if (newEntry != null && isProperAncestor(nc, oc)) {
            throw new Fail(Errno.ENOTEMPTY);
        }
        if (newEntry != null) {
            boolean targetDir = vol.isDir(newEntry.ino());
            if (!isDir && targetDir) {
                throw new Fail(Errno.EISDIR);
            }
            if (isDir && !targetDir) {
                throw new Fail(Errno.ENOTDIR);
            }
            if (targetDir && !vol.entries(newEntry.ino()).isEmpty()) {
                throw new Fail(Errno.ENOTEMPTY);
            }
        }
        boolean moveDir = isDir && oldDir != newDir;
        boolean replacesDir = newEntry != null && vol.isDir(newEntry.ino());
        if (moveDir && !replacesDir && vol.nlink(newDir) >= FsGeometry.LINK_MAX) {
            throw new Fail(Errno.EMLINK);
        }
        if (newEntry != null && !vol.isDir(newEntry.ino())) {
            refuseRemovalIfSealed(newEntry.ino());
        }
        reserve(newEntry == null && needsDirBlock(newDir) ? 1 : 0);
        int type = isDir ? DirentFormat.TYPE_DIR : DirentFormat.TYPE_FILE;
        if (newEntry != null) {
            int victim = newEntry.ino();
            replaceEntry(newDir, newEntry, ino, type);
            if (vol.isDir(victim)) {
                setNlink(victim, 0);
                setNlink(newDir, vol.nlink(newDir) - 1);
            } else {
                setNlink(victim, vol.nlink(victim) - 1);
            }
            releaseIfUnused(victim);
        } else {
            addEntry(newDir, newName, ino, type);
        }
        if (options.has(FsOptions.Variant.RENAME_TWO_TRANSACTIONS)) {
            // NOVA #116: the new name is committed by itself; the old one goes in the next transaction.
            stopHandle();
            journal.commit(step);
        }
        // Look the old entry up again: adding to the same directory may not move it, but be exact.
        removeEntry(oldDir, vol.lookup(oldDir, oldName));
        if (moveDir) {
            setInode(ino, InodeFormat.Field.PARENT, newDir);
            setNlink(oldDir, vol.nlink(oldDir) - 1);
            setNlink(newDir, vol.nlink(newDir) + 1);
        }
        setInode(ino, InodeFormat.Field.CTIME, step + 1);
        markDirty(ino, false);
        return CallResult.OK;
    }

    private int parentOf(List<String> c) {
        int dir = FsGeometry.ROOT_INO;
        for (int i = 0; i < c.size() - 1; i++) {
            dir = step(dir, c.get(i));
        }
        if (!vol.isDir(dir)) {
            throw new Fail(Errno.ENOTDIR);
        }
        return dir;
    }

    private static boolean isProperAncestor(List<String> a, List<String> b) {
        return a.size() < b.size() && b.subList(0, a.size()).equals(a);
    }

    // ---- data calls --------------------------------------------------------------------------------

    private OpenFile fd(String name) {
        OpenFile f = fds.get(name);
        if (f == null) {
            throw new Fail(Errno.EBADF);
        }
        return f;
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
    private CallResult writeCall(String fdName, long off, Bytes data) {
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
        if (options.daxfile() == Header.DaxfileDesign.SEALED && isStatic(ino)
                && (end > vol.size(ino) || touchesHoleOrUnwritten(ino, pos, end))) {
            // The sealed design: no write may change a static file's size or block map.
            throw new Fail(Errno.EPERM);
        }
        if (partlyCoveredPoison(ino, pos, end)) {
            // pmem_recovery_write refuses a write that does not cover the poisoned unit whole
            // ("Found poison, but addr or bytes not page aligned"): -EIO, nothing written.
            throw new Fail(Errno.EIO);
        }
        reserve(blocksToAllocate(ino, pos, end));
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
                b = InodeFormat.allocated(ptr) ? InodeFormat.blockOf(ptr) : allocBlock();
                // dax_iomap_iter: "Write can allocate block for an area which has a hole page
                // mapped into page tables. We have to tear down these mappings so that data
                // written by write(2) is visible in mmap." A read fault mapped the zero page here.
                unmapPages(ino, fb, fb + 1);
                setPointer(ino, fb, b);
                allocationChanged = true;
                long addr = FsGeometry.blockAddr(b);
                // The block is zeroed whole before use (ext4's EXT4_GET_BLOCKS_ZERO, through
                // blkdev_issue_zeroout, which clears the poison of what it zeroes): here by
                // zeroing and the copy below together.
                pm.clearPoison(addr, FsGeometry.BLOCK_BYTES);
                zeroNewBlockPart(addr, (int) (from - blockStart));
                zeroNewBlockPart(addr + (to - blockStart), (int) (blockStart + FsGeometry.BLOCK_BYTES - to));
            } else {
                b = InodeFormat.blockOf(ptr);
                // dax_recovery_write: the lines this write covers whole lose their poison (the
                // partly covered ones were refused above).
                pm.clearPoison(FsGeometry.blockAddr(b) + (from - blockStart), (int) (to - from));
            }
            daxCopy(FsGeometry.blockAddr(b) + (from - blockStart), bytes, (int) (from - pos), (int) (to - from));
        }
        if (end > vol.size(ino)) {
            setInode(ino, InodeFormat.Field.SIZE, end);
            // i_disksize changes are datasync-relevant (ext4_update_inode_fsync_trans(..., 1)).
            allocationChanged |= !options.has(FsOptions.Variant.FDATASYNC_SKIPS_SIZE);
        }
        setInode(ino, InodeFormat.Field.MTIME, step + 1);
        setInode(ino, InodeFormat.Field.CTIME, step + 1);
        markDirty(ino, allocationChanged);
        if (f.dsync()) {
            // generic_write_sync runs after ext4_journal_stop: never wait for a commit holding a handle.
            stopHandle();
            syncInode(ino, true);
        }
        return CallResult.OK;
    }

    /**
     * Zeroes the part of a newly allocated block that this write does not cover; the commit's
     * fence must find it flushed, or the new size and map expose the block's old bytes.
     */
    private void zeroNewBlockPart(long addr, int len) {
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
     * pread(2): EBADF without FMODE_READ ({@code vfs_read}), EINVAL when {@code off + len}
     * overflows {@code loff_t} ({@code rw_verify_area}), EISDIR for a directory; then at most
     * the bytes up to end of file.
     */
    private CallResult readCall(String fdName, long off, long len) {
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
        if (poisonBehind(f.ino(), off, n, null)) {
            if (!options.has(FsOptions.Variant.POISON_READ_RETURNS_ZEROS)) {
                // dax_iomap_rw: dax_direct_access fails on a badblocks range (pmem_dax_direct_access
                // returns -EIO), and the read returns EIO rather than the bytes.
                throw new Fail(Errno.EIO);
            }
            // The seeded bug: the poisoned lines read as zeros, silently.
            byte[] bytes = vol.read(f.ino(), off, n);
            poisonBehind(f.ino(), off, n, bytes);
            return new CallResult.Data(Bytes.of(bytes));
        }
        return new CallResult.Data(Bytes.of(vol.read(f.ino(), off, n)));
    }

    // ---- media poison (badblocks) ------------------------------------------------------------------

    /**
     * {@code poison PATH OFF LEN}: the injected fault. Resolves the range through the block map
     * now and poisons the lines of its written blocks; holes and unwritten extents have nothing
     * on the media (iomap reports IOMAP_HOLE or IOMAP_UNWRITTEN and reads them as zeros), so
     * nothing happens there. The range is cut at end of file; a directory is EISDIR.
     */
    private CallResult poisonCall(FsPath path, long off, long len) {
        int ino = resolve(path);
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

    /**
     * Whether a poisoned line lies behind file bytes [off, off+n) of {@code ino} (in a written
     * block: holes and unwritten extents read as zeros without touching the media). When
     * {@code zeroOut} is not null (the bytes read from {@code off}), the bytes of poisoned lines
     * in it are set to zero: only the seeded bug does that.
     */
    private boolean poisonBehind(int ino, long off, int n, byte[] zeroOut) {
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
    private boolean partlyCoveredPoison(int ino, long pos, long end) {
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

    private CallResult truncateCall(String fdName, long len) {
        OpenFile f = fd(fdName);
        if (!f.writable() || f.directory()) {
            throw new Fail(Errno.EINVAL);
        }
        if (options.daxfile() == Header.DaxfileDesign.SEALED && isStatic(f.ino())
                && !options.has(FsOptions.Variant.DAXFILE_ALLOWS_TRUNCATE)) {
            throw new Fail(Errno.EPERM);
        }
        if (len > FsGeometry.LIMITS.fileSizeMaxBytes()) {
            throw new Fail(Errno.EFBIG);
        }
        if (len <= vol.size(f.ino())) {
            // inode_newsize_ok: truncation of an in-use swapfile (S_SWAPFILE) is disallowed.
            refuseIfStatic(f.ino(), true);
        }
        truncateTo(f.ino(), len);
        return CallResult.OK;
    }

    private CallResult fallocateCall(String fdName, FallocMode mode, long off, long len) {
        OpenFile f = fd(fdName);
        // Linux: fdget (EBADF), then vfs_fallocate's range check (EINVAL), then FMODE_WRITE (EBADF).
        if (len == 0) {
            throw new Fail(Errno.EINVAL);
        }
        if (!f.writable()) {
            throw new Fail(Errno.EBADF);
        }
        // vfs_fallocate: "We cannot allow any fallocate operation on an active swapfile".
        refuseIfStatic(f.ino(), false);
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
                reserve(blocksToAllocate(ino, off, end));
                for (int fb = firstBlock(off); (long) fb * FsGeometry.BLOCK_BYTES < end; fb++) {
                    if (!InodeFormat.allocated(vol.pointer(ino, fb))) {
                        setPointer(ino, fb, allocBlock() | InodeFormat.UNWRITTEN);
                        changed = true;
                    }
                }
                if (mode == FallocMode.ALLOC && end > size) {
                    setInode(ino, InodeFormat.Field.SIZE, end);
                    changed = true;
                }
            }
            case PUNCH -> {
                unmapPages(ino, firstBlock(off + FsGeometry.BLOCK_BYTES - 1), end / FsGeometry.BLOCK_BYTES);
                zeroPartial(ino, off, Math.min(end, size));
                for (int fb = firstBlock(off); (long) (fb + 1) * FsGeometry.BLOCK_BYTES <= end; fb++) {
                    if ((long) fb * FsGeometry.BLOCK_BYTES >= off && InodeFormat.allocated(vol.pointer(ino, fb))) {
                        freeBlock(InodeFormat.blockOf(vol.pointer(ino, fb)));
                        setPointer(ino, fb, 0);
                        changed = true;
                    }
                }
                changed |= dropEmptyIndirect(ino);
            }
            case ZERO -> {
                reserve(blocksToAllocate(ino, off, end));
                // Whole blocks become unwritten: mapped pages must fault again to see zeros.
                unmapPages(ino, firstBlock(off + FsGeometry.BLOCK_BYTES - 1), end / FsGeometry.BLOCK_BYTES);
                for (int fb = firstBlock(off); (long) fb * FsGeometry.BLOCK_BYTES < end; fb++) {
                    long blockStart = (long) fb * FsGeometry.BLOCK_BYTES;
                    boolean whole = blockStart >= off && blockStart + FsGeometry.BLOCK_BYTES <= end;
                    int ptr = vol.pointer(ino, fb);
                    if (!InodeFormat.allocated(ptr)) {
                        setPointer(ino, fb, allocBlock() | InodeFormat.UNWRITTEN);
                        changed = true;
                    } else if (whole && !InodeFormat.unwritten(ptr)) {
                        setPointer(ino, fb, InodeFormat.blockOf(ptr) | InodeFormat.UNWRITTEN);
                        changed = true;
                    } else if (!whole && !InodeFormat.unwritten(ptr)) {
                        long from = Math.max(off, blockStart);
                        long to = Math.min(end, blockStart + FsGeometry.BLOCK_BYTES);
                        daxZero(FsGeometry.blockAddr(InodeFormat.blockOf(ptr)) + (from - blockStart), (int) (to - from));
                    }
                }
                if (end > size) {
                    setInode(ino, InodeFormat.Field.SIZE, end);
                    changed = true;
                }
            }
            default -> throw new AssertionError(mode);
        }
        setInode(ino, InodeFormat.Field.MTIME, step + 1);
        setInode(ino, InodeFormat.Field.CTIME, step + 1);
        markDirty(ino, changed);
        return CallResult.OK;
    }

    private static int firstBlock(long off) {
        return (int) (off / FsGeometry.BLOCK_BYTES);
    }

    private CallResult fsyncCall(String fdName, boolean dataOnly) {
        OpenFile f = fd(fdName);
        syncInode(f.ino(), dataOnly);
        return CallResult.OK;
    }

    /** Commits if the running transaction holds (datasync-relevant) changes of {@code ino}; fences. */
    private void syncInode(int ino, boolean dataOnly) {
        writebackDirtyPages(ino);
        if (inodeDirty(ino, dataOnly) && !options.has(FsOptions.Variant.FSYNC_ONLY_FENCES)) {
            commitAndWait(dataOnly ? "fdatasync" : "fsync");
        }
        pm.sfence(CPU, Site.DATA_FLUSH.at(step));
    }

    /**
     * Whether the running transaction holds a change of {@code ino} that fsync
     * ({@code dataOnly == false}) or fdatasync must commit: ext4's i_sync_tid / i_datasync_tid
     * test, {@code ext4_inode_datasync_dirty} for the latter.
     */
    private boolean inodeDirty(int ino, boolean dataOnly) {
        Int2IntOpenHashMap tids = dataOnly ? datasyncTid : syncTid;
        return !journal.runningEmpty() && tids.containsKey(ino) && tids.get(ino) == (int) journal.runningSequence();
    }

    /**
     * dax_writeback_mapping_range: every dirty DAX entry of {@code ino} is written back (a clwb of
     * each line of its block) and write-protected again (dax_entry_mkclean), so that the next
     * store through a mapping faults and dirties it anew. The caller's fence orders the flushes.
     */
    private void writebackDirtyPages(int ino) {
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
                    pm.clwb(CPU, a, Site.DAX_WRITEBACK.at(step));
                }
            }
            mm.mkclean(this, ino, pg);
            stats.pagesWrittenBack++;
            cleaned.add(((long) ino << 32) | pg);
        }
    }

    /** Forgets dirty entries and PTEs of file pages [fromPage, toPage) before their blocks change. */
    private void unmapPages(int ino, long fromPage, long toPage) {
        if (fromPage >= toPage) {
            return;
        }
        mm.unmapMappingRange(this, ino, fromPage, toPage);
        LongAVLTreeSet pages = dirtyPages.get(ino);
        if (pages != null) {
            pages.subSet(fromPage, toPage).clear();
            if (pages.isEmpty()) {
                dirtyPages.remove(ino);
            }
        }
    }

    // ---- daxfile restrictions -----------------------------------------------------------------------

    /**
     * A static file refuses a block-map change: rfc-v1 with the S_SWAPFILE errno (ETXTBSY), sealed
     * with EPERM.
     */
    private void refuseIfStatic(int ino, boolean truncation) {
        if (isStatic(ino) && !options.has(FsOptions.Variant.DAXFILE_ALLOWS_TRUNCATE)) {
            throw new Fail(options.daxfile() == Header.DaxfileDesign.RFC_V1 ? Errno.ETXTBSY : Errno.EPERM);
        }
    }

    /** Sealed: a static file cannot be unlinked or replaced by rename (its blocks would go). */
    private void refuseRemovalIfSealed(int ino) {
        if (options.daxfile() == Header.DaxfileDesign.SEALED && isStatic(ino)) {
            throw new Fail(Errno.EPERM);
        }
    }

    private boolean touchesHoleOrUnwritten(int ino, long from, long to) {
        for (int fb = firstBlock(from); (long) fb * FsGeometry.BLOCK_BYTES < to; fb++) {
            int ptr = fb < FsGeometry.FILE_BLOCKS_MAX ? vol.pointer(ino, fb) : 0;
            if (!InodeFormat.allocated(ptr) || InodeFormat.unwritten(ptr)) {
                return true;
            }
        }
        return false;
    }

    // ---- mmap, msync (the syscall halves; the core is vm.AddressSpace) --------------------------------

    /** mmap(2) as x86 sys_mmap and do_mmap check it (docs/mappings.md). */
    private CallResult mmapCall(String map, String fdName, long off, long len, Set<MapFlag> flags) {
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
        int types = (flags.contains(MapFlag.SHARED) ? 1 : 0)
                + (flags.contains(MapFlag.SHARED_VALIDATE) ? 1 : 0)
                + (flags.contains(MapFlag.PRIVATE) ? 1 : 0);
        if (types != 1) {
            throw new Fail(Errno.EINVAL);
        }
        boolean shared = !flags.contains(MapFlag.PRIVATE);
        boolean writable = !flags.contains(MapFlag.RO);
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
        boolean sync = flags.contains(MapFlag.SHARED_VALIDATE) && flags.contains(MapFlag.SYNC);
        mm.mmap(map, new MappedFile(this, f.ino()), off, len, shared, sync, writable);
        openCount.addTo(f.ino(), 1);
        return CallResult.OK;
    }

    /**
     * msync(MS_SYNC): fdatasync of the whole file behind a shared mapping (docs/mappings.md).
     * ENOMEM when the range, its length rounded up to pages as {@code sys_msync} does, runs past
     * the VMA (which covers whole pages); compared without forming {@code off + len}.
     */
    private CallResult msyncCall(String map, long off, long len) {
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
    private static long pageAlign(long len) {
        long pages = len / AddressSpace.PAGE_BYTES + (len % AddressSpace.PAGE_BYTES == 0 ? 0 : 1);
        return pages > Long.MAX_VALUE / AddressSpace.PAGE_BYTES ? Long.MAX_VALUE : pages * AddressSpace.PAGE_BYTES;
    }

    @Override
    public long sizeBytes(int ino) {
        return vol.size(ino);
    }

    @Override
    public void close(Vma vma) {
        openCount.addTo(vma.file().ino(), -1);
        boolean inHandle = handleDepth > 0;
        releaseIfUnused(vma.file().ino());
        if (!inHandle) {
            // The last reference's __fput -> ext4_evict_inode starts and stops its own handle;
            // keeping it open would hold jbd2_handle across the next VMA's mmap_lock (exit unmaps
            // one VMA after another), an inversion Linux never has.
            stopHandle();
        }
    }

    // ---- the DAX fault handler --------------------------------------------------------------------

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
    @Override
    public VmFault.Result fault(VmFault vmf, AddressSpace space) {
        this.step = vmf.step();
        int ino = vmf.vma().file().ino();
        long pgoff = vmf.pgoff();
        if (vmf.write()) {
            fileUpdateTime(ino);
        }
        locks.acquire(LockClass.INVALIDATE_LOCK, false, "page fault (" + (vmf.write() ? "write" : "read") + ")");
        boolean invalidateHeld = true;
        try {
            if (pgoff * FsGeometry.BLOCK_BYTES >= vol.size(ino) || pgoff >= FsGeometry.FILE_BLOCKS_MAX) {
                return VmFault.Result.SIGBUS;
            }
            int fb = (int) pgoff;
            int ptr = vol.pointer(ino, fb);
            if (!vmf.write()) {
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
                    // No handle is open yet: reserve may commit to free quarantined blocks, as
                    // ext4 retries a DAX fault's ENOSPC after a journal commit (22446423108f).
                    reserve(blocksToAllocate(ino, (long) fb * FsGeometry.BLOCK_BYTES, (long) (fb + 1) * FsGeometry.BLOCK_BYTES));
                } catch (Fail f) {
                    return VmFault.Result.SIGBUS;
                }
            }
            ensureHandle();
            int block;
            if (!InodeFormat.allocated(ptr)) {
                block = allocBlock();
                daxZero(FsGeometry.blockAddr(block), FsGeometry.BLOCK_BYTES);
                setPointer(ino, fb, block);
                markDirty(ino, true);
            } else if (InodeFormat.unwritten(ptr)) {
                block = InodeFormat.blockOf(ptr);
                if (!options.has(FsOptions.Variant.FAULT_MAPS_UNWRITTEN)) {
                    daxZero(FsGeometry.blockAddr(block), FsGeometry.BLOCK_BYTES);
                    setPointer(ino, fb, block);
                    markDirty(ino, true);
                }
            } else {
                block = InodeFormat.blockOf(ptr);
            }
            boolean dirty = inodeDirty(ino, !options.has(FsOptions.Variant.RETRY_DIRTY_ON_MTIME));
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
                commitAndWait("dax_finish_sync_fault, before ext4_journal_stop");
            }
            dirtyPages.computeIfAbsent(ino, k -> new LongAVLTreeSet()).add(pgoff);
            stopHandle();
            if (sync && options.syncFault() == Header.SyncFault.DROP_LOCK_RETRY && vmf.allowRetry()) {
                locks.release(LockClass.INVALIDATE_LOCK);
                invalidateHeld = false;
                // maybe_unlock_mmap_for_io: pin the file, drop mmap_lock, then do the slow work.
                openCount.addTo(ino, 1);
                locks.release(LockClass.MMAP_LOCK);
                commitAndWait("the retried write fault's sync");
                pm.sfence(CPU, Site.JOURNAL_COMMIT_FENCE.at(step));
                openCount.addTo(ino, -1);
                stats.retries++;
                return VmFault.Result.RETRY;
            }
            if (sync) {
                commitAndWait("dax_finish_sync_fault");
                pm.sfence(CPU, Site.JOURNAL_COMMIT_FENCE.at(step));
                if (vol.pointer(ino, fb) != block) {
                    // dax_insert_pfn_mkwrite: the entry changed while we synced: fault again.
                    return VmFault.Result.NOPAGE;
                }
            }
            space.installPte(vmf.address(), FsGeometry.blockAddr(block), true);
            return VmFault.Result.NOPAGE;
        } finally {
            stopHandle();
            if (invalidateHeld) {
                locks.release(LockClass.INVALIDATE_LOCK);
            }
        }
    }

    /** file_update_time on a write fault: a timestamp-only change, in its own handle. */
    private void fileUpdateTime(int ino) {
        setInode(ino, InodeFormat.Field.MTIME, step + 1);
        setInode(ino, InodeFormat.Field.CTIME, step + 1);
        markDirty(ino, false);
        stopHandle();
    }

    // ---- daxctl and cred ----------------------------------------------------------------------------

    /** sys_daxctl of the June 2017 RFC, in the design under test (docs/mappings.md). */
    private CallResult daxctlCall(FsPath path, DaxctlAction action, java.util.OptionalLong alignment) {
        int ino = resolve(path);
        if (vol.isDir(ino)) {
            // file_open_name(path, O_RDWR) on a directory.
            throw new Fail(Errno.EISDIR);
        }
        if (action == DaxctlAction.GET) {
            return new CallResult.DaxState(isStatic(ino));
        }
        if (droppedCaps.contains(CAP_LINUX_IMMUTABLE) && !options.has(FsOptions.Variant.DAXFILE_NO_CAP_CHECK)) {
            throw new Fail(Errno.EPERM);
        }
        locks.acquire(LockClass.I_RWSEM, true, "daxctl");
        boolean v1 = options.daxfile() == Header.DaxfileDesign.RFC_V1;
        if (action == DaxctlAction.CLEAR) {
            if (!isStatic(ino)) {
                return CallResult.OK;
            }
            if (v1) {
                // daxfile_disable: clear the flags and filp_close the pinned file.
                staticV1.remove(ino);
                if (!options.has(FsOptions.Variant.DAXFILE_CLEAR_KEEPS_REF)) {
                    openCount.addTo(ino, -1);
                    releaseIfUnused(ino);
                }
                return CallResult.OK;
            }
            if (mm.isMapped(this, ino)) {
                throw new Fail(Errno.EBUSY);
            }
            setInode(ino, InodeFormat.Field.FLAGS, vol.flags(ino) & ~InodeFormat.FLAG_DAXFILE);
            markDirty(ino, true);
            stopHandle();
            commitAndWait("daxctl clear");
            pm.sfence(CPU, Site.JOURNAL_COMMIT_FENCE.at(step));
            return CallResult.OK;
        }
        if (isStatic(ino)) {
            throw new Fail(Errno.EBUSY);
        }
        long align = alignment.orElse(AddressSpace.PAGE_BYTES);
        if (align < AddressSpace.PAGE_BYTES || Long.bitCount(align) != 1) {
            throw new Fail(Errno.EINVAL);
        }
        long size = vol.size(ino);
        // rfc-v1's bmap_walk stops at i_size >> blkbits: a partial last chunk goes unchecked.
        long end = v1 ? size / align * align : (size + FsGeometry.BLOCK_BYTES - 1) / FsGeometry.BLOCK_BYTES * FsGeometry.BLOCK_BYTES;
        int blocksPerChunk = (int) Math.min(align / FsGeometry.BLOCK_BYTES, FsGeometry.FILE_BLOCKS_MAX);
        for (long chunk = 0; chunk < end; chunk += align) {
            int first = -1;
            for (int i = 0; i < blocksPerChunk && chunk + (long) i * FsGeometry.BLOCK_BYTES < end; i++) {
                int fb = (int) (chunk / FsGeometry.BLOCK_BYTES) + i;
                int ptr = fb < FsGeometry.FILE_BLOCKS_MAX ? vol.pointer(ino, fb) : 0;
                if (!InodeFormat.allocated(ptr)) {
                    if (options.has(FsOptions.Variant.DAXFILE_ALLOWS_HOLES)) {
                        continue;
                    }
                    throw new Fail(Errno.EINVAL);
                }
                int b = InodeFormat.blockOf(ptr);
                if (i == 0) {
                    first = b;
                    if (FsGeometry.blockAddr(b) % align != 0) {
                        throw new Fail(Errno.EINVAL);
                    }
                } else if (b != first + i) {
                    throw new Fail(Errno.EINVAL);
                }
            }
        }
        if (v1) {
            // The RFC's intentionally leaked reference: the file stays open on a global list.
            staticV1.add(ino);
            openCount.addTo(ino, 1);
            return CallResult.OK;
        }
        boolean flagFirst = options.has(FsOptions.Variant.DAXFILE_FLAG_BEFORE_MAP);
        if (flagFirst) {
            // The seal committed on its own, ahead of the block map it is meant to protect.
            setInode(ino, InodeFormat.Field.FLAGS, vol.flags(ino) | InodeFormat.FLAG_DAXFILE);
            markDirty(ino, true);
            stopHandle();
            commitAndWait("daxctl static (flag)");
        }
        int blocks = (int) Math.min(FsGeometry.FILE_BLOCKS_MAX, (size + FsGeometry.BLOCK_BYTES - 1) / FsGeometry.BLOCK_BYTES);
        for (int fb = 0; fb < blocks; fb++) {
            int ptr = vol.pointer(ino, fb);
            if (InodeFormat.unwritten(ptr) && !options.has(FsOptions.Variant.DAXFILE_SKIPS_UNWRITTEN)) {
                // Dave Chinner's rule: fully allocated and zeroed before the map is frozen.
                daxZero(FsGeometry.blockAddr(InodeFormat.blockOf(ptr)), FsGeometry.BLOCK_BYTES);
                unmapPages(ino, fb, fb + 1);
                setPointer(ino, fb, InodeFormat.blockOf(ptr));
            }
        }
        if (!flagFirst) {
            setInode(ino, InodeFormat.Field.FLAGS, vol.flags(ino) | InodeFormat.FLAG_DAXFILE);
        }
        markDirty(ino, true);
        writebackDirtyPages(ino);
        stopHandle();
        commitAndWait("daxctl static");
        pm.sfence(CPU, Site.JOURNAL_COMMIT_FENCE.at(step));
        return CallResult.OK;
    }

    private CallResult credCall(CredAction action, String capability) {
        if (!CAPABILITY.matcher(capability).matches()) {
            throw new Fail(Errno.EINVAL);
        }
        if (action == CredAction.DROP) {
            droppedCaps.add(capability);
        } else {
            droppedCaps.remove(capability);
        }
        return CallResult.OK;
    }

    // ---- size changes --------------------------------------------------------------------------------

    /** Sets the size of regular file {@code ino}, freeing blocks past a smaller size. */
    private void truncateTo(int ino, long len) {
        long size = vol.size(ino);
        boolean changed = len != size;
        if (len < size) {
            // Zero the tail of the last block so that growing the file again exposes zeros.
            zeroPartial(ino, len, Math.min(size, (len + FsGeometry.BLOCK_BYTES - 1) / FsGeometry.BLOCK_BYTES
                    * FsGeometry.BLOCK_BYTES));
            clearTailPoison(ino, len);
            int keep = (int) ((len + FsGeometry.BLOCK_BYTES - 1) / FsGeometry.BLOCK_BYTES);
            // truncate_pagecache: no PTE may keep pointing at a block about to be freed.
            unmapPages(ino, keep, Long.MAX_VALUE);
            for (int fb = keep; fb < FsGeometry.FILE_BLOCKS_MAX; fb++) {
                int ptr = vol.pointer(ino, fb);
                if (InodeFormat.allocated(ptr)) {
                    freeBlock(InodeFormat.blockOf(ptr));
                    setPointer(ino, fb, 0);
                }
            }
            dropEmptyIndirect(ino);
        }
        if (changed) {
            setInode(ino, InodeFormat.Field.SIZE, len);
        }
        setInode(ino, InodeFormat.Field.MTIME, step + 1);
        setInode(ino, InodeFormat.Field.CTIME, step + 1);
        markDirty(ino, len < size || changed && !options.has(FsOptions.Variant.FDATASYNC_SKIPS_SIZE));
    }

    /**
     * ext4_block_truncate_page zeroes the kept last block from the new size to the block's end;
     * this design zeroes only up to the old size (the rest is zero already), so the poison of the
     * lines past the old size that the real zeroing would have covered whole is cleared here, as
     * that zeroing would clear it.
     */
    private void clearTailPoison(int ino, long len) {
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
    private void zeroPartial(int ino, long from, long to) {
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

    /** Holes in [from, to) of {@code ino}, plus an indirect block if one is needed and missing. */
    private int blocksToAllocate(int ino, long from, long to) {
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

    // ---- inodes -----------------------------------------------------------------------------------------

    private int freeInode() {
        for (int ino = FIRST_INO; ino < g.inodeCount(); ino++) {
            if (vol.mode(ino) == InodeFormat.MODE_FREE && openCount.get(ino) == 0) {
                return ino;
            }
        }
        throw new Fail(Errno.ENOSPC);
    }

    private void initInode(int ino, int mode, long nlink, int parent) {
        int block = g.inodeTableBlock() + ino / FsGeometry.INODES_PER_BLOCK;
        int off = InodeFormat.offsetInBlock(ino);
        byte[] b = cache.block(block);
        java.util.Arrays.fill(b, off, off + FsGeometry.INODE_BYTES, (byte) 0);
        Le.put16(b, off + InodeFormat.Field.MODE.offset, mode);
        Le.put32(b, off + InodeFormat.Field.NLINK.offset, nlink);
        Le.put32(b, off + InodeFormat.Field.PARENT.offset, parent);
        Le.put64(b, off + InodeFormat.Field.MTIME.offset, step + 1);
        Le.put64(b, off + InodeFormat.Field.CTIME.offset, step + 1);
        Le.put32(b, off + InodeFormat.crcOffset(), InodeFormat.computeCrc(b, off));
        journal.dirty(block, off, FsGeometry.INODE_BYTES);
        markDirty(ino, false);
    }

    private void setInode(int ino, InodeFormat.Field field, long value) {
        putInode(ino, field.offset, field.width, value);
    }

    private void putInode(int ino, int fieldOffset, int width, long value) {
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

    private void setNlink(int ino, long nlink) {
        setInode(ino, InodeFormat.Field.CTIME, step + 1);
        if (options.has(FsOptions.Variant.NLINK_OUTSIDE_JOURNAL)) {
            // NOVA's link-count bugs: the count (and the inode checksum over it) updated in place.
            int block = g.inodeTableBlock() + ino / FsGeometry.INODES_PER_BLOCK;
            int off = InodeFormat.offsetInBlock(ino);
            byte[] b = cache.block(block);
            Le.put32(b, off + InodeFormat.Field.NLINK.offset, nlink);
            Le.put32(b, off + InodeFormat.crcOffset(), InodeFormat.computeCrc(b, off));
            storeInPlace(block, off + InodeFormat.Field.NLINK.offset, InodeFormat.Field.NLINK.width);
            storeInPlace(block, off + InodeFormat.crcOffset(), 4);
        } else {
            setInode(ino, InodeFormat.Field.NLINK, nlink);
        }
        markDirty(ino, false);
    }

    /** Records that the running transaction changed {@code ino} (for fsync and fdatasync). */
    private void markDirty(int ino, boolean datasync) {
        int seq = (int) journal.runningSequence();
        syncTid.put(ino, seq);
        if (datasync) {
            datasyncTid.put(ino, seq);
        }
    }

    /** Frees an inode (and its blocks) that has no names and no open descriptions left. */
    private void releaseIfUnused(int ino) {
        if (vol.nlink(ino) > 0 || openCount.get(ino) > 0 || vol.mode(ino) == InodeFormat.MODE_FREE) {
            return;
        }
        int blocks = vol.isDir(ino) ? vol.dirBlocks(ino) : FsGeometry.FILE_BLOCKS_MAX;
        for (int fb = 0; fb < blocks; fb++) {
            int ptr = vol.pointer(ino, fb);
            if (InodeFormat.allocated(ptr)) {
                freeBlock(InodeFormat.blockOf(ptr));
            }
        }
        if (vol.indirect(ino) != 0) {
            freeBlock(vol.indirect(ino));
        }
        int block = g.inodeTableBlock() + ino / FsGeometry.INODES_PER_BLOCK;
        int off = InodeFormat.offsetInBlock(ino);
        byte[] b = cache.block(block);
        java.util.Arrays.fill(b, off, off + FsGeometry.INODE_BYTES, (byte) 0);
        journal.dirty(block, off, FsGeometry.INODE_BYTES);
        markDirty(ino, true);
    }

    // ---- block maps -------------------------------------------------------------------------------------

    private void setPointer(int ino, int fb, int ptr) {
        if (fb < FsGeometry.DIRECT_BLOCKS) {
            putInode(ino, InodeFormat.directOffset(fb), 4, ptr & 0xffffffffL);
            return;
        }
        int ind = vol.indirect(ino);
        if (ind == 0) {
            if (ptr == 0) {
                return;
            }
            ind = allocBlock();
            stats.indirectBlocks++;
            // As for directory blocks: zero on the media, ordered before the commit by its fence.
            daxZero(FsGeometry.blockAddr(ind), FsGeometry.BLOCK_BYTES);
            cache.fresh(ind);
            setInode(ino, InodeFormat.Field.INDIRECT, ind);
        }
        byte[] b = cache.block(ind);
        int at = 4 * (fb - FsGeometry.DIRECT_BLOCKS);
        Le.put32(b, at, ptr & 0xffffffffL);
        journal.dirty(ind, at, 4);
    }

    /** Frees the indirect block of {@code ino} when no pointer in it is left. */
    private boolean dropEmptyIndirect(int ino) {
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
        freeBlock(ind);
        setInode(ino, InodeFormat.Field.INDIRECT, 0);
        return true;
    }

    // ---- block allocation -----------------------------------------------------------------------------

    private boolean bit(int b) {
        byte[] bm = cache.block(g.bitmapBlock() + b / (FsGeometry.BLOCK_BYTES * 8));
        int i = b % (FsGeometry.BLOCK_BYTES * 8);
        return (bm[i / 8] & (1 << (i % 8))) != 0;
    }

    private void setBit(int b, boolean on) {
        int block = g.bitmapBlock() + b / (FsGeometry.BLOCK_BYTES * 8);
        byte[] bm = cache.block(block);
        int i = b % (FsGeometry.BLOCK_BYTES * 8);
        if (on) {
            bm[i / 8] |= (byte) (1 << (i % 8));
        } else {
            bm[i / 8] &= (byte) ~(1 << (i % 8));
        }
        if (options.has(FsOptions.Variant.BITMAP_OUTSIDE_JOURNAL)) {
            storeInPlace(block, i / 8, 1);
            return;
        }
        journal.dirty(block, i / 8, 1);
    }

    /**
     * Writes bytes [off, off+len) of cached metadata block {@code block} to their home location
     * with cached stores and a clwb, outside the journal: only seeded bugs do this.
     */
    private void storeInPlace(int block, int off, int len) {
        long addr = FsGeometry.blockAddr(block) + off;
        pm.store(CPU, addr, cache.block(block), off, len, Site.IN_PLACE.at(step));
        for (long line = addr & ~(FsGeometry.LINE_BYTES - 1L); line < addr + len; line += FsGeometry.LINE_BYTES) {
            pm.clwb(CPU, line, Site.IN_PLACE.at(step));
        }
    }

    private int available() {
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
    private void reserve(int n) {
        if (n == 0 || available() >= n) {
            return;
        }
        if (!quarantined.isEmpty()) {
            journal.commit(step);
            journal.checkpoint(step);
        }
        if (available() < n) {
            stats.enospc++;
            throw new Fail(Errno.ENOSPC);
        }
    }

    private int allocBlock() {
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
    private void freeBlock(int b) {
        setBit(b, false);
        everFreed.add(b);
        if (!options.has(FsOptions.Variant.FREE_BEFORE_COMMIT)) {
            quarantined.add(b);
        }
        cache.forget(b);
    }

    // ---- directories ------------------------------------------------------------------------------------

    /** Whether adding an entry to {@code dir} needs a new block; ENOSPC when the directory is full. */
    private boolean needsDirBlock(int dir) {
        if (freeSlot(dir) >= 0) {
            return false;
        }
        if (vol.dirBlocks(dir) >= FsGeometry.DIR_BLOCKS_MAX) {
            stats.enospc++;
            throw new Fail(Errno.ENOSPC);
        }
        return true;
    }

    private int freeSlot(int dir) {
        return vol.freeSlot(dir);
    }

    private void addEntry(int dir, String name, int ino, int type) {
        int slot = freeSlot(dir);
        if (slot < 0) {
            int i = vol.dirBlocks(dir);
            int b = allocBlock();
            // A directory block may hold stale bytes: zero it on the media (ordered before the
            // commit by the commit's fence) and start its cached copy as zeros.
            daxZero(FsGeometry.blockAddr(b), FsGeometry.BLOCK_BYTES);
            cache.fresh(b);
            setPointer(dir, i, b);
            setInode(dir, InodeFormat.Field.SIZE, (long) (i + 1) * FsGeometry.BLOCK_BYTES);
            slot = i * FsGeometry.DIRENTS_PER_BLOCK;
        }
        int block = InodeFormat.blockOf(vol.pointer(dir, slot / FsGeometry.DIRENTS_PER_BLOCK));
        int off = (slot % FsGeometry.DIRENTS_PER_BLOCK) * FsGeometry.DIRENT_BYTES;
        DirentFormat.put(cache.block(block), off, ino, name.getBytes(StandardCharsets.UTF_8), type);
        journal.dirty(block, off, FsGeometry.DIRENT_BYTES);
        touchDir(dir);
    }

    private void removeEntry(int dir, Volume.Entry e) {
        int block = InodeFormat.blockOf(vol.pointer(dir, e.dirBlockIndex()));
        int off = e.slot() * FsGeometry.DIRENT_BYTES;
        java.util.Arrays.fill(cache.block(block), off, off + FsGeometry.DIRENT_BYTES, (byte) 0);
        journal.dirty(block, off, FsGeometry.DIRENT_BYTES);
        touchDir(dir);
    }

    private void replaceEntry(int dir, Volume.Entry e, int ino, int type) {
        int block = InodeFormat.blockOf(vol.pointer(dir, e.dirBlockIndex()));
        int off = e.slot() * FsGeometry.DIRENT_BYTES;
        DirentFormat.put(cache.block(block), off, ino, e.name().getBytes(StandardCharsets.UTF_8), type);
        journal.dirty(block, off, FsGeometry.DIRENT_BYTES);
        touchDir(dir);
    }

    private void touchDir(int dir) {
        setInode(dir, InodeFormat.Field.MTIME, step + 1);
        setInode(dir, InodeFormat.Field.CTIME, step + 1);
        markDirty(dir, false);
    }

    // ---- the DAX data path -------------------------------------------------------------------------------

    /**
     * memcpy_flushcache: unaligned head and tail bytes through the cache, each followed by a clwb
     * of its line; the 8-byte-aligned middle with non-temporal stores, one per line.
     */
    private void daxCopy(long addr, byte[] src, int off, int len) {
        long a = addr;
        int o = off;
        int left = len;
        int head = (int) Math.min(left, (8 - (a & 7)) & 7);
        if (head > 0) {
            pm.store(CPU, a, src, o, head, Site.DATA.at(step));
            pm.clwb(CPU, a, Site.DATA_FLUSH.at(step));
            a += head;
            o += head;
            left -= head;
        }
        while (left >= 8) {
            int n = (int) Math.min(left & ~7, FsGeometry.LINE_BYTES - (a & (FsGeometry.LINE_BYTES - 1)));
            pm.ntStore(CPU, a, src, o, n, Site.DATA.at(step));
            a += n;
            o += n;
            left -= n;
        }
        if (left > 0) {
            pm.store(CPU, a, src, o, left, Site.DATA.at(step));
            if (!options.has(FsOptions.Variant.UNALIGNED_TAIL_CACHED)) {
                pm.clwb(CPU, a, Site.DATA_FLUSH.at(step));
            }
        }
    }

    /**
     * Zeroes {@code len} bytes at {@code addr} as fs/dax.c's {@code dax_zero_range} does: a memset
     * through the cache, then a clwb of every line it touched ({@code dax_flush}).
     */
    private void daxZero(long addr, int len) {
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
            pm.storeFill(CPU, a, (byte) 0, n, Site.ZEROING.at(step));
            a += n;
        }
        for (long line = addr & ~(FsGeometry.LINE_BYTES - 1L); line < end; line += FsGeometry.LINE_BYTES) {
            pm.clwb(CPU, line, Site.DATA_FLUSH.at(step));
        }
    }
}
