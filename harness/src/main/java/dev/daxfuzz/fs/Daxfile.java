package dev.daxfuzz.fs;

import static dev.daxfuzz.fs.FsContext.CPU;
import static dev.daxfuzz.fs.FsContext.firstBlock;

import dev.daxfuzz.fs.layout.InodeFormat;
import dev.daxfuzz.pm.PersistentMemory;
import dev.daxfuzz.posix.Errno;
import dev.daxfuzz.program.Header;
import dev.daxfuzz.vm.AddressSpace;
import dev.daxfuzz.vm.LockChecker;
import dev.daxfuzz.vm.TaskScheduler;
import dev.daxfuzz.vm.LockClass;
import it.unimi.dsi.fastutil.ints.IntAVLTreeSet;
import java.util.TreeSet;
import java.util.regex.Pattern;

/**
 * The daxfile designs of the {@code journal} file system: {@code daxctl} (static, clear, get) of
 * Dan Williams's June 2017 RFC ("daxfile: enable byte-addressable updates to pmem"), in its two
 * designs (rfc-v1: an in-memory flag and a pinned reference, like {@code S_SWAPFILE}; sealed: a
 * persistent flag set after converting the map to written blocks, committed), the refusals a
 * static file imposes on the other calls, and the caller's capabilities ({@code cred}).
 * Corresponds to the RFC's {@code sys_daxctl} ({@code daxfile_enable}, {@code daxfile_disable}),
 * with {@code S_SWAPFILE}'s checks in {@code fs/attr.c inode_newsize_ok} and
 * {@code fs/open.c vfs_fallocate}.
 *
 * <p>Limits: capabilities are names only ({@code CAP_LINUX_IMMUTABLE} is the one consulted); the
 * seeded daxfile bugs live here, and in the refusals the other calls ask this class for.
 */
final class Daxfile {
    private static final String CAP_LINUX_IMMUTABLE = "CAP_LINUX_IMMUTABLE";
    private static final Pattern CAPABILITY = Pattern.compile("CAP_[A-Z_]+");

    private final FsContext ctx;
    private final PersistentMemory pm;
    private final Volume vol;
    private final FsOptions options;
    private final LockChecker locks;
    private final AddressSpace mm;
    private final DaxIo daxIo;
    private final Inodes inodes;
    private final DaxFault daxFault;

    /** Capabilities the caller dropped (programs start with all of them). */
    private final TreeSet<String> droppedCaps = new TreeSet<>();

    /** rfc-v1: the in-memory S_DAXFILE flag (the pinned file reference is counted in inodes.openCount). */
    private final IntAVLTreeSet staticV1 = new IntAVLTreeSet();

    Daxfile(FsContext ctx, DaxIo daxIo, Inodes inodes, DaxFault daxFault) {
        this.ctx = ctx;
        this.pm = ctx.pm;
        this.vol = ctx.vol;
        this.options = ctx.options;
        this.locks = ctx.locks;
        this.mm = ctx.mm;
        this.daxIo = daxIo;
        this.inodes = inodes;
        this.daxFault = daxFault;
    }

    /** Whether inode {@code ino}'s block map is static (daxctl), in the running design. */
    public boolean isStatic(int ino) {
        if (options.daxfile() == Header.DaxfileDesign.RFC_V1) {
            return staticV1.contains(ino);
        }
        return vol.mode(ino) == InodeFormat.MODE_FILE && (vol.flags(ino) & InodeFormat.FLAG_DAXFILE) != 0;
    }

    /**
     * A static file refuses a block-map change: rfc-v1 with the S_SWAPFILE errno (ETXTBSY), sealed
     * with EPERM.
     */
    void refuseIfStatic(int ino, boolean truncation) {
        if (isStatic(ino) && !options.has(FsOptions.Variant.DAXFILE_ALLOWS_TRUNCATE)) {
            throw new Fail(options.daxfile() == Header.DaxfileDesign.RFC_V1 ? Errno.ETXTBSY : Errno.EPERM);
        }
    }

    /** Sealed: a static file cannot be unlinked or replaced by rename (its blocks would go). */
    void refuseRemovalIfSealed(int ino) {
        if (options.daxfile() == Header.DaxfileDesign.SEALED && isStatic(ino)) {
            throw new Fail(Errno.EPERM);
        }
    }

    boolean touchesHoleOrUnwritten(int ino, long from, long to) {
        for (int fb = firstBlock(from); (long) fb * FsGeometry.BLOCK_BYTES < to; fb++) {
            int ptr = fb < FsGeometry.FILE_BLOCKS_MAX ? vol.pointer(ino, fb) : 0;
            if (!InodeFormat.allocated(ptr) || InodeFormat.unwritten(ptr)) {
                return true;
            }
        }
        return false;
    }

    /** sys_daxctl of the June 2017 RFC, in the design under test (docs/mappings.md). */
    CallResult daxctl(int ino, FileSystemCalls.DaxctlAction action, java.util.OptionalLong alignment) {
        if (vol.isDir(ino)) {
            // file_open_name(path, O_RDWR) on a directory.
            throw new Fail(Errno.EISDIR);
        }
        if (action == FileSystemCalls.DaxctlAction.GET) {
            return new CallResult.DaxState(isStatic(ino));
        }
        if (droppedCaps.contains(CAP_LINUX_IMMUTABLE) && !options.has(FsOptions.Variant.DAXFILE_NO_CAP_CHECK)) {
            throw new Fail(Errno.EPERM);
        }
        // The bug: the static path checks the map first and takes i_rwsem only to set the flag.
        boolean unlockedCheck = action == FileSystemCalls.DaxctlAction.STATIC
                && options.has(FsOptions.Variant.DAXCTL_CHECK_UNLOCKED);
        if (!unlockedCheck) {
            locks.acquire(LockClass.I_RWSEM, true, "daxctl");
        }
        boolean v1 = options.daxfile() == Header.DaxfileDesign.RFC_V1;
        if (action == FileSystemCalls.DaxctlAction.CLEAR) {
            if (!isStatic(ino)) {
                return CallResult.OK;
            }
            if (v1) {
                // daxfile_disable: clear the flags and filp_close the pinned file.
                staticV1.remove(ino);
                if (!options.has(FsOptions.Variant.DAXFILE_CLEAR_KEEPS_REF)) {
                    inodes.openCount.addTo(ino, -1);
                    inodes.releaseIfUnused(ino);
                }
                return CallResult.OK;
            }
            if (mm.isMapped(ctx.vmOps, ino)) {
                throw new Fail(Errno.EBUSY);
            }
            inodes.setInode(ino, InodeFormat.Field.FLAGS, vol.flags(ino) & ~InodeFormat.FLAG_DAXFILE);
            inodes.markDirty(ino, true);
            ctx.stopHandle();
            ctx.commitAndWait("daxctl clear");
            pm.sfence(CPU, Site.JOURNAL_COMMIT_FENCE.at(ctx.step()));
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
        if (unlockedCheck) {
            TaskScheduler.pointHere("daxctl static: the block map checked, i_rwsem not yet taken");
            locks.acquire(LockClass.I_RWSEM, true, "daxctl");
        }
        if (v1) {
            // The RFC's intentionally leaked reference: the file stays open on a global list.
            staticV1.add(ino);
            inodes.openCount.addTo(ino, 1);
            return CallResult.OK;
        }
        boolean flagFirst = options.has(FsOptions.Variant.DAXFILE_FLAG_BEFORE_MAP);
        if (flagFirst) {
            // The seal committed on its own, ahead of the block map it is meant to protect.
            inodes.setInode(ino, InodeFormat.Field.FLAGS, vol.flags(ino) | InodeFormat.FLAG_DAXFILE);
            inodes.markDirty(ino, true);
            ctx.stopHandle();
            ctx.commitAndWait("daxctl static (flag)");
        }
        int blocks = (int) Math.min(FsGeometry.FILE_BLOCKS_MAX, (size + FsGeometry.BLOCK_BYTES - 1) / FsGeometry.BLOCK_BYTES);
        for (int fb = 0; fb < blocks; fb++) {
            int ptr = vol.pointer(ino, fb);
            if (InodeFormat.unwritten(ptr) && !options.has(FsOptions.Variant.DAXFILE_SKIPS_UNWRITTEN)) {
                // Dave Chinner's rule: fully allocated and zeroed before the map is frozen.
                daxIo.daxZero(FsGeometry.blockAddr(InodeFormat.blockOf(ptr)), FsGeometry.BLOCK_BYTES);
                daxFault.unmapPages(ino, fb, fb + 1, false);
                inodes.setPointer(ino, fb, InodeFormat.blockOf(ptr));
            }
        }
        if (!flagFirst) {
            inodes.setInode(ino, InodeFormat.Field.FLAGS, vol.flags(ino) | InodeFormat.FLAG_DAXFILE);
        }
        inodes.markDirty(ino, true);
        daxFault.writebackDirtyPages(ino);
        ctx.stopHandle();
        ctx.commitAndWait("daxctl static");
        pm.sfence(CPU, Site.JOURNAL_COMMIT_FENCE.at(ctx.step()));
        return CallResult.OK;
    }

    CallResult cred(FileSystemCalls.CredAction action, String capability) {
        if (!CAPABILITY.matcher(capability).matches()) {
            throw new Fail(Errno.EINVAL);
        }
        if (action == FileSystemCalls.CredAction.DROP) {
            droppedCaps.add(capability);
        } else {
            droppedCaps.remove(capability);
        }
        return CallResult.OK;
    }
}
