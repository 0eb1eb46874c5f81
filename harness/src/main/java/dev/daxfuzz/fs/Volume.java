package dev.daxfuzz.fs;

import dev.daxfuzz.fs.layout.InodeFormat;
import dev.daxfuzz.fs.layout.Le;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * Read-only structure of a {@code journal} file system over a {@link BlockSource}: inodes, block
 * maps, directories and file contents. The live file system and recovery share it, so the code
 * that reads a recovered image is the code that wrote it.
 *
 * <p>Reads ask for exactly the fields they use. Every read checks what it follows (inode numbers,
 * block pointers, entry lengths) and throws {@link FsCorruption} instead of reading out of bounds;
 * loops are bounded by the geometry.
 */
public class Volume {
    protected final FsGeometry geometry;
    protected final BlockSource blocks;
    private final byte[] scratch = new byte[FsGeometry.INODE_BYTES];

    public Volume(FsGeometry geometry, BlockSource blocks) {
        this.geometry = geometry;
        this.blocks = blocks;
    }

    public FsGeometry geometry() {
        return geometry;
    }

    /** The source this volume reads (for checks that read raw metadata, such as fsck). */
    public BlockSource source() {
        return blocks;
    }

    private long field(long addr, int width) {
        blocks.readMeta(addr, scratch, 0, width);
        return switch (width) {
            case 1 -> Le.u8(scratch, 0);
            case 2 -> Le.u16(scratch, 0);
            case 4 -> Le.u32(scratch, 0);
            case 8 -> Le.u64(scratch, 0);
            default -> throw new AssertionError(width);
        };
    }

    // ---- inodes -------------------------------------------------------------------------------

    public void checkIno(int ino) {
        if (ino < 1 || ino >= geometry.inodeCount()) {
            throw new FsCorruption("inode number " + ino + " out of range");
        }
    }

    private long inodeField(int ino, InodeFormat.Field f) {
        checkIno(ino);
        return field(geometry.inodeAddr(ino) + f.offset, f.width);
    }

    public int mode(int ino) {
        return (int) inodeField(ino, InodeFormat.Field.MODE);
    }

    public int flags(int ino) {
        return (int) inodeField(ino, InodeFormat.Field.FLAGS);
    }

    public long nlink(int ino) {
        return inodeField(ino, InodeFormat.Field.NLINK);
    }

    public long size(int ino) {
        return inodeField(ino, InodeFormat.Field.SIZE);
    }

    public long mtime(int ino) {
        return inodeField(ino, InodeFormat.Field.MTIME);
    }

    public int parent(int ino) {
        return (int) inodeField(ino, InodeFormat.Field.PARENT);
    }

    public int indirect(int ino) {
        return (int) inodeField(ino, InodeFormat.Field.INDIRECT);
    }

    public boolean isDir(int ino) {
        return mode(ino) == InodeFormat.MODE_DIR;
    }

    public boolean isFile(int ino) {
        return mode(ino) == InodeFormat.MODE_FILE;
    }

    /** True when the stored checksum of the inode matches its content. */
    public boolean inodeChecksumOk(int ino) {
        checkIno(ino);
        byte[] b = new byte[FsGeometry.INODE_BYTES];
        blocks.digestStart();
        try {
            blocks.readMeta(geometry.inodeAddr(ino), b, 0, b.length);
        } finally {
            blocks.digestEnd();
        }
        return InodeFormat.storedCrc(b, 0) == InodeFormat.computeCrc(b, 0);
    }

    // ---- block maps -----------------------------------------------------------------------------

    /** The pointer of file block {@code fb} of {@code ino}: 0 for a hole, bit 31 for unwritten. */
    public int pointer(int ino, int fb) {
        if (fb < 0 || fb >= FsGeometry.FILE_BLOCKS_MAX) {
            return 0;
        }
        checkIno(ino);
        if (fb < FsGeometry.DIRECT_BLOCKS) {
            return checkPointer((int) field(geometry.inodeAddr(ino) + InodeFormat.directOffset(fb), 4));
        }
        int ind = indirect(ino);
        if (ind == 0) {
            return 0;
        }
        checkDataBlock(ind);
        return checkPointer((int) field(FsGeometry.blockAddr(ind) + 4L * (fb - FsGeometry.DIRECT_BLOCKS), 4));
    }

    private int checkPointer(int ptr) {
        if (InodeFormat.allocated(ptr)) {
            checkDataBlock(InodeFormat.blockOf(ptr));
        }
        return ptr;
    }

    /** Fails unless {@code b} is a block of the data area. */
    public void checkDataBlock(int b) {
        if (b < geometry.dataStart() || b >= geometry.blocks()) {
            throw new FsCorruption("block pointer " + b + " outside the data area");
        }
    }

    /**
     * Reads the allocation bitmap's bytes for blocks {@code [first, first + 8 * len)} into
     * {@code dst} ({@code first} a multiple of 8): block b is bit {@code b % 8} of byte
     * {@code b / 8}. One read of a range, where a bit at a time would read each byte again.
     */
    public void bitmapBytes(int first, byte[] dst, int len) {
        blocks.readMeta(FsGeometry.blockAddr(geometry.bitmapBlock()) + first / 8, dst, 0, len);
    }

    // ---- directories --------------------------------------------------------------------------

    /** One directory entry and where it sits. */
    public record Entry(int ino, String name, int type, int dirBlockIndex, int slot) {
    }

    /** Blocks of directory {@code dir} (size / 4096, at most {@link FsGeometry#DIR_BLOCKS_MAX}). */
    public int dirBlocks(int dir) {
        long size = size(dir);
        if (size % FsGeometry.BLOCK_BYTES != 0 || size / FsGeometry.BLOCK_BYTES > FsGeometry.DIR_BLOCKS_MAX) {
            throw new FsCorruption("directory " + dir + " has impossible size " + size);
        }
        return (int) (size / FsGeometry.BLOCK_BYTES);
    }

    private long dirBlockAddr(int dir, int i) {
        int ptr = pointer(dir, i);
        if (!InodeFormat.allocated(ptr)) {
            throw new FsCorruption("directory " + dir + " has a hole at block " + i);
        }
        return FsGeometry.blockAddr(InodeFormat.blockOf(ptr));
    }

    private Entry entryAt(long addr, int blockIndex, int slot) {
        int ino = (int) field(addr, 4);
        if (ino == 0) {
            return null;
        }
        blocks.readMeta(addr + 4, scratch, 0, 2);
        int len = Le.u8(scratch, 0);
        int type = Le.u8(scratch, 1);
        if (len < 1 || len > FsGeometry.NAME_MAX_BYTES) {
            throw new FsCorruption("directory entry with name length " + len);
        }
        byte[] name = new byte[len];
        blocks.readMeta(addr + 8, name, 0, len);
        return new Entry(ino, new String(name, StandardCharsets.UTF_8), type, blockIndex, slot);
    }

    /** The live entries of directory {@code dir}, in on-media order. */
    public List<Entry> entries(int dir) {
        List<Entry> out = new ArrayList<>();
        int n = dirBlocks(dir);
        for (int i = 0; i < n; i++) {
            long base = dirBlockAddr(dir, i);
            for (int s = 0; s < FsGeometry.DIRENTS_PER_BLOCK; s++) {
                Entry e = entryAt(base + (long) s * FsGeometry.DIRENT_BYTES, i, s);
                if (e != null) {
                    out.add(e);
                }
            }
        }
        return out;
    }

    /** The entry named {@code name} in directory {@code dir}, or null. */
    public Entry lookup(int dir, String name) {
        byte[] want = name.getBytes(StandardCharsets.UTF_8);
        byte[] got = new byte[want.length];
        int n = dirBlocks(dir);
        for (int i = 0; i < n; i++) {
            long base = dirBlockAddr(dir, i);
            for (int s = 0; s < FsGeometry.DIRENTS_PER_BLOCK; s++) {
                long addr = base + (long) s * FsGeometry.DIRENT_BYTES;
                int ino = (int) field(addr, 4);
                if (ino == 0 || field(addr + 4, 1) != want.length) {
                    continue;
                }
                blocks.readMeta(addr + 8, got, 0, got.length);
                if (Arrays.equals(got, want)) {
                    return new Entry(ino, name, (int) field(addr + 5, 1), i, s);
                }
            }
        }
        return null;
    }

    /** A free entry slot of {@code dir} as blockIndex * slots + slot, or −1. */
    public int freeSlot(int dir) {
        int n = dirBlocks(dir);
        for (int i = 0; i < n; i++) {
            long base = dirBlockAddr(dir, i);
            for (int s = 0; s < FsGeometry.DIRENTS_PER_BLOCK; s++) {
                if (field(base + (long) s * FsGeometry.DIRENT_BYTES, 4) == 0) {
                    return i * FsGeometry.DIRENTS_PER_BLOCK + s;
                }
            }
        }
        return -1;
    }

    // ---- file data -------------------------------------------------------------------------------

    /** A run of a file's bytes: at device address {@code addr}, or zeros when {@code addr} is −1. */
    public record Extent(long fileOffset, int len, long addr) {
    }

    /** Where the bytes [off, off+len) of file {@code ino} live, block by block. */
    public List<Extent> extents(int ino, long off, long len) {
        List<Extent> out = new ArrayList<>();
        long pos = off;
        long end = off + len;
        while (pos < end) {
            int fb = (int) (pos / FsGeometry.BLOCK_BYTES);
            int inBlock = (int) (pos % FsGeometry.BLOCK_BYTES);
            int n = (int) Math.min(end - pos, FsGeometry.BLOCK_BYTES - inBlock);
            int ptr = pointer(ino, fb);
            long addr = InodeFormat.allocated(ptr) && !InodeFormat.unwritten(ptr)
                    ? FsGeometry.blockAddr(InodeFormat.blockOf(ptr)) + inBlock : -1;
            out.add(new Extent(pos, n, addr));
            pos += n;
        }
        return out;
    }

    /** Reads {@code len} bytes at {@code off} of file {@code ino} (zeros for holes and unwritten). */
    public byte[] read(int ino, long off, int len) {
        byte[] out = new byte[len];
        for (Extent e : extents(ino, off, len)) {
            if (e.addr() >= 0) {
                blocks.readData(e.addr(), out, (int) (e.fileOffset() - off), e.len());
            }
        }
        return out;
    }
}
