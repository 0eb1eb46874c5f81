package dev.daxfuzz.fs.layout;

import dev.daxfuzz.fs.FsGeometry;

/**
 * A 128-byte inode, two cache lines, in the inode table.
 *
 * <pre>
 *  0 mode u16 (0 free, 1 regular file, 2 directory)   2 flags u16   4 nlink u32   8 size u64
 * 16 mtime u64   24 ctime u64   32 parent u32 (directories)   36 indirect block u32
 * 40 direct[12] u32   88..123 reserved   124 crc32c of bytes 0..123 u32
 * </pre>
 *
 * A block pointer is a block number in its low 31 bits, 0 for a hole; bit 31 marks an unwritten
 * extent (allocated, reads as zeros), as ext4's extent flag does. Timestamps are logical: the
 * statement number that set them. The checksum lets mount and fsck tell a torn inode from a real
 * one.
 */
public final class InodeFormat {
    public static final int MODE_FREE = 0;
    public static final int MODE_FILE = 1;
    public static final int MODE_DIR = 2;
    /** Flag: the inode is a static daxfile (persisted by the sealed design). */
    public static final int FLAG_DAXFILE = 1;
    public static final int UNWRITTEN = 0x8000_0000;
    public static final int BLOCK_MASK = 0x7fff_ffff;

    static final int MODE = 0;
    static final int FLAGS = 2;
    static final int NLINK = 4;
    static final int SIZE = 8;
    static final int MTIME = 16;
    static final int CTIME = 24;
    static final int PARENT = 32;
    static final int INDIRECT = 36;
    static final int DIRECT = 40;
    static final int CRC = 124;

    private InodeFormat() {
    }

    public static int mode(byte[] b, int off) {
        return Le.u16(b, off + MODE);
    }

    public static int flags(byte[] b, int off) {
        return Le.u16(b, off + FLAGS);
    }

    public static long nlink(byte[] b, int off) {
        return Le.u32(b, off + NLINK);
    }

    public static long size(byte[] b, int off) {
        return Le.u64(b, off + SIZE);
    }

    public static long mtime(byte[] b, int off) {
        return Le.u64(b, off + MTIME);
    }

    public static long ctime(byte[] b, int off) {
        return Le.u64(b, off + CTIME);
    }

    public static int parent(byte[] b, int off) {
        return Le.i32(b, off + PARENT);
    }

    public static int indirect(byte[] b, int off) {
        return Le.i32(b, off + INDIRECT);
    }

    public static int direct(byte[] b, int off, int i) {
        return Le.i32(b, off + DIRECT + 4 * i);
    }

    public static int storedCrc(byte[] b, int off) {
        return Le.i32(b, off + CRC);
    }

    public static int computeCrc(byte[] b, int off) {
        return Le.crc32c(b, off, CRC);
    }

    /** Offsets of fields, for writers that mark exactly the lines they change. */
    public enum Field {
        MODE(InodeFormat.MODE, 2), FLAGS(InodeFormat.FLAGS, 2), NLINK(InodeFormat.NLINK, 4),
        SIZE(InodeFormat.SIZE, 8), MTIME(InodeFormat.MTIME, 8), CTIME(InodeFormat.CTIME, 8),
        PARENT(InodeFormat.PARENT, 4), INDIRECT(InodeFormat.INDIRECT, 4);

        public final int offset;
        public final int width;

        Field(int offset, int width) {
            this.offset = offset;
            this.width = width;
        }
    }

    public static int directOffset(int i) {
        return DIRECT + 4 * i;
    }

    public static int crcOffset() {
        return CRC;
    }

    /** True when the pointer is allocated (written or unwritten). */
    public static boolean allocated(int ptr) {
        return (ptr & BLOCK_MASK) != 0;
    }

    public static int blockOf(int ptr) {
        return ptr & BLOCK_MASK;
    }

    public static boolean unwritten(int ptr) {
        return (ptr & UNWRITTEN) != 0;
    }

    /** Bytes of the inode table block holding inode {@code ino}. */
    public static int offsetInBlock(int ino) {
        return (ino % FsGeometry.INODES_PER_BLOCK) * FsGeometry.INODE_BYTES;
    }
}
