package dev.daxfuzz.fs;

import dev.daxfuzz.fs.layout.DirentFormat;
import dev.daxfuzz.fs.layout.InodeFormat;
import dev.daxfuzz.fs.layout.JournalFormat;
import dev.daxfuzz.fs.layout.Le;
import dev.daxfuzz.pm.PersistentMemory;
import dev.daxfuzz.posix.Errno;
import dev.daxfuzz.program.Bytes;
import dev.daxfuzz.program.FsPath;
import dev.daxfuzz.program.Op;
import it.unimi.dsi.fastutil.ints.Int2IntOpenHashMap;
import it.unimi.dsi.fastutil.ints.IntAVLTreeSet;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
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
 * </ul>
 *
 * <p>Every call returns with the caller's store buffer still holding what the call issued; the
 * caller (the runner) crashes there if it wants, then calls {@link #endCall()}, which drains the
 * buffer as the return to user space does. Not thread-safe.
 *
 * <p>Limits: no mappings or daxfile calls yet (they answer {@link UnsupportedOperationException});
 * no permissions, owners or timestamps beyond logical mtime/ctime; directories use twelve blocks
 * at most; crash during recovery is not modelled.
 */
public final class JournalFs {
    private static final int CPU = 0;
    private static final int FIRST_INO = 2;

    private final PersistentMemory pm;
    private final FsGeometry g;
    private final MetaCache cache;
    private final Volume vol;
    private final Journal journal;
    private final Map<String, OpenFile> fds = new TreeMap<>();
    private final Int2IntOpenHashMap openCount = new Int2IntOpenHashMap();
    /** Blocks freed since the last checkpoint: not reusable yet. */
    private final IntAVLTreeSet quarantined = new IntAVLTreeSet();
    private final Int2IntOpenHashMap syncTid = new Int2IntOpenHashMap();
    private final Int2IntOpenHashMap datasyncTid = new Int2IntOpenHashMap();
    private final FsOptions options;
    private int openFiles;
    private int step = -1;

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

    /** Sequence number of the running transaction (for tests). */
    public long runningSequence() {
        return journal.runningSequence();
    }

    /**
     * Runs one call of statement {@code stepIndex}. Mapping and daxfile calls throw
     * {@link UnsupportedOperationException}.
     */
    public CallResult call(int stepIndex, Op op) {
        this.step = stepIndex;
        try {
            CallResult r = dispatch(op);
            journal.endOfCall(step);
            return r;
        } catch (Fail f) {
            journal.endOfCall(step);
            return CallResult.failed(f.errno);
        }
    }

    /** The return to user space: drains the store buffer (not a fence). */
    public void endCall() {
        pm.serialize();
    }

    private CallResult dispatch(Op op) {
        if (op instanceof Op.Mkdir m) {
            return mkdir(m.path());
        } else if (op instanceof Op.Rmdir r) {
            return rmdir(r.path());
        } else if (op instanceof Op.Open o) {
            return open(o);
        } else if (op instanceof Op.Close c) {
            return close(c.fd());
        } else if (op instanceof Op.Write w) {
            return write(w.fd(), w.off(), w.data().bytes());
        } else if (op instanceof Op.Read r) {
            return read(r.fd(), r.off(), r.len());
        } else if (op instanceof Op.Truncate t) {
            return truncate(t.fd(), t.len());
        } else if (op instanceof Op.Fallocate f) {
            return fallocate(f);
        } else if (op instanceof Op.Fsync f) {
            return fsync(f.fd(), false);
        } else if (op instanceof Op.Fdatasync f) {
            return fsync(f.fd(), true);
        } else if (op instanceof Op.Sync) {
            journal.commit(step);
            pm.sfence(CPU, Site.DATA_FLUSH.at(step));
            return CallResult.OK;
        } else if (op instanceof Op.Unlink u) {
            return unlink(u.path());
        } else if (op instanceof Op.Link l) {
            return link(l.oldPath(), l.newPath());
        } else if (op instanceof Op.Rename r) {
            return rename(r.oldPath(), r.newPath());
        }
        throw new UnsupportedOperationException("'" + op.keyword() + "' is not implemented by the journal design yet");
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

    private CallResult mkdir(FsPath path) {
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

    private CallResult rmdir(FsPath path) {
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

    private CallResult open(Op.Open o) {
        int modes = (o.flags().contains(Op.OpenFlag.RDONLY) ? 1 : 0) + (o.flags().contains(Op.OpenFlag.WRONLY) ? 1 : 0)
                + (o.flags().contains(Op.OpenFlag.RDWR) ? 1 : 0);
        if (modes > 1) {
            throw new Fail(Errno.EINVAL);
        }
        if (openFiles >= FsGeometry.OPEN_FILES_MAX) {
            throw new Fail(Errno.EMFILE);
        }
        boolean writable = o.flags().contains(Op.OpenFlag.WRONLY) || o.flags().contains(Op.OpenFlag.RDWR);
        boolean readable = !o.flags().contains(Op.OpenFlag.WRONLY);
        boolean creat = o.flags().contains(Op.OpenFlag.CREAT);
        boolean excl = o.flags().contains(Op.OpenFlag.EXCL);
        boolean trunc = o.flags().contains(Op.OpenFlag.TRUNC);
        int ino;
        if (o.path().isRoot()) {
            if (creat && excl) {
                throw new Fail(Errno.EEXIST);
            }
            ino = FsGeometry.ROOT_INO;
        } else {
            Target t = target(o.path());
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
            truncateTo(ino, 0);
        }
        OpenFile f = new OpenFile(ino, readable, writable, o.flags().contains(Op.OpenFlag.APPEND),
                o.flags().contains(Op.OpenFlag.DSYNC), dir);
        fds.put(o.fd(), f);
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

    private CallResult unlink(FsPath path) {
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
        removeEntry(t.dir(), t.entry());
        setNlink(ino, vol.nlink(ino) - 1);
        releaseIfUnused(ino);
        return CallResult.OK;
    }

    private CallResult link(FsPath oldPath, FsPath newPath) {
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

    private CallResult rename(FsPath oldPath, FsPath newPath) {
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

    private CallResult write(String fdName, long off, Bytes data) {
        OpenFile f = fd(fdName);
        if (!f.writable()) {
            throw new Fail(Errno.EBADF);
        }
        if (data.length() == 0) {
            return CallResult.OK;
        }
        int ino = f.ino();
        long pos = f.append() ? vol.size(ino) : off;
        long end = pos + data.length();
        if (end > FsGeometry.LIMITS.fileSizeMaxBytes()) {
            throw new Fail(Errno.EFBIG);
        }
        reserve(blocksToAllocate(ino, pos, end));
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
                setPointer(ino, fb, b);
                allocationChanged = true;
                long addr = FsGeometry.blockAddr(b);
                daxZero(addr, (int) (from - blockStart));
                daxZero(addr + (to - blockStart), (int) (blockStart + FsGeometry.BLOCK_BYTES - to));
            } else {
                b = InodeFormat.blockOf(ptr);
            }
            daxCopy(FsGeometry.blockAddr(b) + (from - blockStart), bytes, (int) (from - pos), (int) (to - from));
        }
        if (end > vol.size(ino)) {
            setInode(ino, InodeFormat.Field.SIZE, end);
            allocationChanged = true;
        }
        setInode(ino, InodeFormat.Field.MTIME, step + 1);
        setInode(ino, InodeFormat.Field.CTIME, step + 1);
        markDirty(ino, allocationChanged);
        if (f.dsync()) {
            syncInode(ino, true);
        }
        return CallResult.OK;
    }

    private CallResult read(String fdName, long off, long len) {
        OpenFile f = fd(fdName);
        if (!f.readable()) {
            throw new Fail(Errno.EBADF);
        }
        if (f.directory()) {
            throw new Fail(Errno.EISDIR);
        }
        long size = vol.size(f.ino());
        if (off >= size || len == 0) {
            return new CallResult.Data(Bytes.empty());
        }
        int n = (int) Math.min(len, size - off);
        return new CallResult.Data(Bytes.of(vol.read(f.ino(), off, n)));
    }

    private CallResult truncate(String fdName, long len) {
        OpenFile f = fd(fdName);
        if (!f.writable() || f.directory()) {
            throw new Fail(Errno.EINVAL);
        }
        if (len > FsGeometry.LIMITS.fileSizeMaxBytes()) {
            throw new Fail(Errno.EFBIG);
        }
        truncateTo(f.ino(), len);
        return CallResult.OK;
    }

    private CallResult fallocate(Op.Fallocate op) {
        OpenFile f = fd(op.fd());
        // Linux: fdget (EBADF), then vfs_fallocate's range check (EINVAL), then FMODE_WRITE (EBADF).
        if (op.len() == 0) {
            throw new Fail(Errno.EINVAL);
        }
        if (!f.writable()) {
            throw new Fail(Errno.EBADF);
        }
        long off = op.off();
        long end = off + op.len();
        if (end > FsGeometry.LIMITS.fileSizeMaxBytes() || end < off) {
            throw new Fail(Errno.EFBIG);
        }
        int ino = f.ino();
        long size = vol.size(ino);
        boolean changed = false;
        switch (op.mode()) {
            case ALLOC, KEEP_SIZE -> {
                reserve(blocksToAllocate(ino, off, end));
                for (int fb = firstBlock(off); (long) fb * FsGeometry.BLOCK_BYTES < end; fb++) {
                    if (!InodeFormat.allocated(vol.pointer(ino, fb))) {
                        setPointer(ino, fb, allocBlock() | InodeFormat.UNWRITTEN);
                        changed = true;
                    }
                }
                if (op.mode() == Op.FallocMode.ALLOC && end > size) {
                    setInode(ino, InodeFormat.Field.SIZE, end);
                    changed = true;
                }
            }
            case PUNCH -> {
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
            default -> throw new AssertionError(op.mode());
        }
        setInode(ino, InodeFormat.Field.MTIME, step + 1);
        setInode(ino, InodeFormat.Field.CTIME, step + 1);
        markDirty(ino, changed);
        return CallResult.OK;
    }

    private static int firstBlock(long off) {
        return (int) (off / FsGeometry.BLOCK_BYTES);
    }

    private CallResult fsync(String fdName, boolean dataOnly) {
        OpenFile f = fd(fdName);
        syncInode(f.ino(), dataOnly);
        return CallResult.OK;
    }

    /** Commits if the running transaction holds (datasync-relevant) changes of {@code ino}; fences. */
    private void syncInode(int ino, boolean dataOnly) {
        Int2IntOpenHashMap tids = dataOnly ? datasyncTid : syncTid;
        if (!journal.runningEmpty() && tids.get(ino) == (int) journal.runningSequence()
                && !options.has(FsOptions.Variant.FSYNC_ONLY_FENCES)) {
            journal.commit(step);
        }
        pm.sfence(CPU, Site.DATA_FLUSH.at(step));
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
            int keep = (int) ((len + FsGeometry.BLOCK_BYTES - 1) / FsGeometry.BLOCK_BYTES);
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
        markDirty(ino, changed);
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
        setInode(ino, InodeFormat.Field.NLINK, nlink);
        setInode(ino, InodeFormat.Field.CTIME, step + 1);
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
        journal.dirty(block, i / 8, 1);
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
            throw new Fail(Errno.ENOSPC);
        }
    }

    private int allocBlock() {
        for (int b = g.dataStart(); b < g.blocks(); b++) {
            if (!bit(b) && !quarantined.contains(b)) {
                setBit(b, true);
                return b;
            }
        }
        throw new IllegalStateException("allocation after a successful reserve failed");
    }

    private void freeBlock(int b) {
        setBit(b, false);
        quarantined.add(b);
        cache.forget(b);
    }

    // ---- directories ------------------------------------------------------------------------------------

    /** Whether adding an entry to {@code dir} needs a new block; ENOSPC when the directory is full. */
    private boolean needsDirBlock(int dir) {
        if (freeSlot(dir) >= 0) {
            return false;
        }
        if (vol.dirBlocks(dir) >= FsGeometry.DIR_BLOCKS_MAX) {
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
            pm.clwb(CPU, a, Site.DATA_FLUSH.at(step));
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
