package dev.daxfuzz.fs;

import dev.daxfuzz.fs.layout.DirentFormat;
import dev.daxfuzz.fs.layout.InodeFormat;
import dev.daxfuzz.posix.Errno;
import dev.daxfuzz.program.FsPath;
import java.nio.charset.StandardCharsets;
import java.util.List;

/**
 * The namespace calls of the {@code journal} design: path lookup and mkdir, rmdir, unlink, link
 * and rename, with the directory entries they add, remove and replace. Corresponds to
 * {@code fs/namei.c} (lookup, the order of its checks and errnos) and {@code fs/ext4/namei.c}
 * (directory blocks of fixed-size entries).
 *
 * <p>A call's changes all join the running transaction, so each is atomic; rename checks in
 * {@code renameat2}'s order (both parents first). Limits: absolute paths only, no symbolic
 * links, no permissions; a directory holds at most {@link FsGeometry#DIR_BLOCKS_MAX} blocks;
 * the variants {@code RENAME_TWO_TRANSACTIONS} (a seeded bug) and {@code RMDIR_IGNORES_ENTRIES}
 * live here.
 */
final class Namei {
    private final FsContext ctx;
    private final MetaCache cache;
    private final Volume vol;
    private final Journal journal;
    private final FsOptions options;
    private final FsStats stats;
    private final DaxIo daxIo;
    private final Balloc balloc;
    private final Inodes inodes;
    private final Daxfile daxfile;

    Namei(FsContext ctx, DaxIo daxIo, Balloc balloc, Inodes inodes, Daxfile daxfile) {
        this.ctx = ctx;
        this.cache = ctx.cache;
        this.vol = ctx.vol;
        this.journal = ctx.journal;
        this.options = ctx.options;
        this.stats = ctx.stats;
        this.daxIo = daxIo;
        this.balloc = balloc;
        this.inodes = inodes;
        this.daxfile = daxfile;
    }

    /** The parent directory and final name of a path, and the entry if it exists. */
    record Target(int dir, String name, Volume.Entry entry) {
        boolean exists() {
            return entry != null;
        }
    }

    static int nameBytes(String name) {
        return name.getBytes(StandardCharsets.UTF_8).length;
    }

    /** Walks all components but the last; checks the last one's length; looks it up. */
    Target target(FsPath path) {
        List<String> c = path.components();
        int dir = FsGeometry.ROOT_INO;
        for (int i = 0; i < c.size() - 1; i++) {
            dir = walk(dir, c.get(i));
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

    int walk(int dir, String name) {
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
    int resolve(FsPath path) {
        if (path.isRoot()) {
            return FsGeometry.ROOT_INO;
        }
        Target t = target(path);
        if (!t.exists()) {
            throw new Fail(Errno.ENOENT);
        }
        return t.entry().ino();
    }

    CallResult mkdir(FsPath path) {
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
        int ino = inodes.freeInode();
        balloc.reserve(needsDirBlock(t.dir()) ? 1 : 0);
        inodes.initInode(ino, InodeFormat.MODE_DIR, 2, t.dir());
        addEntry(t.dir(), t.name(), ino, DirentFormat.TYPE_DIR);
        inodes.setNlink(t.dir(), vol.nlink(t.dir()) + 1);
        return CallResult.OK;
    }

    CallResult rmdir(FsPath path) {
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
        inodes.setNlink(t.dir(), vol.nlink(t.dir()) - 1);
        inodes.setNlink(ino, 0);
        inodes.releaseIfUnused(ino);
        return CallResult.OK;
    }

    CallResult unlink(FsPath path) {
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
        daxfile.refuseRemovalIfSealed(ino);
        removeEntry(t.dir(), t.entry());
        inodes.setNlink(ino, vol.nlink(ino) - 1);
        inodes.releaseIfUnused(ino);
        return CallResult.OK;
    }

    CallResult link(FsPath oldPath, FsPath newPath) {
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
        balloc.reserve(needsDirBlock(t.dir()) ? 1 : 0);
        addEntry(t.dir(), t.name(), ino, DirentFormat.TYPE_FILE);
        inodes.setNlink(ino, vol.nlink(ino) + 1);
        return CallResult.OK;
    }

    CallResult rename(FsPath oldPath, FsPath newPath) {
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
            daxfile.refuseRemovalIfSealed(newEntry.ino());
        }
        balloc.reserve(newEntry == null && needsDirBlock(newDir) ? 1 : 0);
        int type = isDir ? DirentFormat.TYPE_DIR : DirentFormat.TYPE_FILE;
        if (newEntry != null) {
            int victim = newEntry.ino();
            replaceEntry(newDir, newEntry, ino, type);
            if (vol.isDir(victim)) {
                inodes.setNlink(victim, 0);
                inodes.setNlink(newDir, vol.nlink(newDir) - 1);
            } else {
                inodes.setNlink(victim, vol.nlink(victim) - 1);
            }
            inodes.releaseIfUnused(victim);
        } else {
            addEntry(newDir, newName, ino, type);
        }
        if (options.has(FsOptions.Variant.RENAME_TWO_TRANSACTIONS)) {
            // NOVA #116: the new name is committed by itself; the old one goes in the next transaction.
            ctx.stopHandle();
            journal.commit(ctx.step());
        }
        // Look the old entry up again: adding to the same directory may not move it, but be exact.
        removeEntry(oldDir, vol.lookup(oldDir, oldName));
        if (moveDir) {
            inodes.setInode(ino, InodeFormat.Field.PARENT, newDir);
            inodes.setNlink(oldDir, vol.nlink(oldDir) - 1);
            inodes.setNlink(newDir, vol.nlink(newDir) + 1);
        }
        inodes.setInode(ino, InodeFormat.Field.CTIME, ctx.step() + 1);
        inodes.markDirty(ino, false);
        return CallResult.OK;
    }

    int parentOf(List<String> c) {
        int dir = FsGeometry.ROOT_INO;
        for (int i = 0; i < c.size() - 1; i++) {
            dir = walk(dir, c.get(i));
        }
        if (!vol.isDir(dir)) {
            throw new Fail(Errno.ENOTDIR);
        }
        return dir;
    }

    static boolean isProperAncestor(List<String> a, List<String> b) {
        return a.size() < b.size() && b.subList(0, a.size()).equals(a);
    }

    /** Whether adding an entry to {@code dir} needs a new block; ENOSPC when the directory is full. */
    boolean needsDirBlock(int dir) {
        if (freeSlot(dir) >= 0) {
            return false;
        }
        if (vol.dirBlocks(dir) >= FsGeometry.DIR_BLOCKS_MAX) {
            stats.enospc++;
            throw new Fail(Errno.ENOSPC);
        }
        return true;
    }

    int freeSlot(int dir) {
        return vol.freeSlot(dir);
    }

    void addEntry(int dir, String name, int ino, int type) {
        int slot = freeSlot(dir);
        if (slot < 0) {
            int i = vol.dirBlocks(dir);
            int b = balloc.allocBlock();
            // A directory block may hold stale bytes: zero it on the media (ordered before the
            // commit by the commit's fence) and start its cached copy as zeros.
            daxIo.daxZero(FsGeometry.blockAddr(b), FsGeometry.BLOCK_BYTES);
            cache.fresh(b);
            inodes.setPointer(dir, i, b);
            inodes.setInode(dir, InodeFormat.Field.SIZE, (long) (i + 1) * FsGeometry.BLOCK_BYTES);
            slot = i * FsGeometry.DIRENTS_PER_BLOCK;
        }
        int block = InodeFormat.blockOf(vol.pointer(dir, slot / FsGeometry.DIRENTS_PER_BLOCK));
        int off = (slot % FsGeometry.DIRENTS_PER_BLOCK) * FsGeometry.DIRENT_BYTES;
        DirentFormat.put(cache.block(block), off, ino, name.getBytes(StandardCharsets.UTF_8), type);
        journal.dirty(block, off, FsGeometry.DIRENT_BYTES);
        touchDir(dir);
    }

    void removeEntry(int dir, Volume.Entry e) {
        int block = InodeFormat.blockOf(vol.pointer(dir, e.dirBlockIndex()));
        int off = e.slot() * FsGeometry.DIRENT_BYTES;
        java.util.Arrays.fill(cache.block(block), off, off + FsGeometry.DIRENT_BYTES, (byte) 0);
        journal.dirty(block, off, FsGeometry.DIRENT_BYTES);
        touchDir(dir);
    }

    void replaceEntry(int dir, Volume.Entry e, int ino, int type) {
        int block = InodeFormat.blockOf(vol.pointer(dir, e.dirBlockIndex()));
        int off = e.slot() * FsGeometry.DIRENT_BYTES;
        DirentFormat.put(cache.block(block), off, ino, e.name().getBytes(StandardCharsets.UTF_8), type);
        journal.dirty(block, off, FsGeometry.DIRENT_BYTES);
        touchDir(dir);
    }

    void touchDir(int dir) {
        inodes.setInode(dir, InodeFormat.Field.MTIME, ctx.step() + 1);
        inodes.setInode(dir, InodeFormat.Field.CTIME, ctx.step() + 1);
        inodes.markDirty(dir, false);
    }
}
