package dev.daxfuzz.fs;

/**
 * Where everything lives on the device for the {@code journal} design. Block size 4096.
 *
 * <pre>
 *  block 0                  superblock (line 0; static after mkfs)
 *  blocks 1 ..              inode table, 128-byte inodes, 32 per block
 *  then                     block-allocation bitmap, one bit per device block
 *  then                     the journal: line 0 its superblock, the other lines a circular log
 *  the rest                 data: file data, directory blocks, indirect blocks
 * </pre>
 *
 * The journal is addressed in 64-byte lines: jbd2's structure (descriptor blocks with tags,
 * journalled copies, a checksummed commit block) with a journal block the size of what persistent
 * memory persists atomically in order, a cache line. A 4 KiB journal block would be the same logic
 * with 64 times as many lines in flight at every crash point.
 *
 * @param blocks device blocks
 * @param inodeCount inodes, inode 0 unused, inode 1 the root
 * @param inodeTableBlock first inode-table block
 * @param bitmapBlock first bitmap block
 * @param journalBlock first journal block
 * @param journalBlocks journal blocks
 */
public record FsGeometry(int blocks, int inodeCount, int inodeTableBlock, int bitmapBlock, int journalBlock,
                         int journalBlocks) {
    public static final int BLOCK_BYTES = 4096;
    public static final int LINE_BYTES = 64;
    public static final int LINES_PER_BLOCK = BLOCK_BYTES / LINE_BYTES;
    public static final int INODE_BYTES = 128;
    public static final int INODES_PER_BLOCK = BLOCK_BYTES / INODE_BYTES;
    public static final int ROOT_INO = 1;
    /** Direct block pointers in an inode. */
    public static final int DIRECT_BLOCKS = 12;
    /** Pointers in an indirect block. */
    public static final int POINTERS_PER_BLOCK = BLOCK_BYTES / 4;
    /** Largest file, in blocks: twelve direct pointers and one indirect block. */
    public static final int FILE_BLOCKS_MAX = DIRECT_BLOCKS + POINTERS_PER_BLOCK;
    /** Directory entries are 32 bytes: the name gets 24 of them. */
    public static final int DIRENT_BYTES = 32;
    public static final int NAME_MAX_BYTES = 24;
    public static final int DIRENTS_PER_BLOCK = BLOCK_BYTES / DIRENT_BYTES;
    /** Directories use direct blocks only. */
    public static final int DIR_BLOCKS_MAX = DIRECT_BLOCKS;
    public static final int LINK_MAX = 32;
    public static final int OPEN_FILES_MAX = 32;
    /** The smallest device that leaves room for a few data blocks (the parser refuses smaller ones). */
    public static final int BLOCKS_MIN = (int) (dev.daxfuzz.program.Header.JOURNAL_DEVICE_BYTES_MIN / BLOCK_BYTES);

    /** The limits this design imposes (they decide ENAMETOOLONG, EMLINK, EMFILE, EFBIG). */
    public static final FsLimits LIMITS = new FsLimits(NAME_MAX_BYTES, LINK_MAX, OPEN_FILES_MAX,
            (long) FILE_BLOCKS_MAX * BLOCK_BYTES, BLOCK_BYTES);

    /**
     * The layout of a device of {@code deviceBytes}: an inode per four blocks (32 to 1024), and a
     * journal of a thirty-second of the device (2 to 256 blocks) unless {@code journalBlocks} is
     * positive.
     */
    public static FsGeometry forDevice(long deviceBytes, int journalBlocks) {
        long blocksLong = deviceBytes / BLOCK_BYTES;
        if (blocksLong < BLOCKS_MIN || blocksLong > Integer.MAX_VALUE / LINES_PER_BLOCK) {
            throw new IllegalArgumentException("device of " + deviceBytes + " bytes: the journal design needs "
                    + BLOCKS_MIN * BLOCK_BYTES + " bytes or more");
        }
        int blocks = (int) blocksLong;
        int inodes = Math.max(32, Math.min(1024, blocks / 4));
        inodes = (inodes + INODES_PER_BLOCK - 1) / INODES_PER_BLOCK * INODES_PER_BLOCK;
        int inodeTable = 1;
        int bitmap = inodeTable + inodes / INODES_PER_BLOCK;
        int bitmapBlocks = (blocks + BLOCK_BYTES * 8 - 1) / (BLOCK_BYTES * 8);
        int journal = bitmap + bitmapBlocks;
        int jBlocks = journalBlocks > 0 ? journalBlocks : Math.max(2, Math.min(256, blocks / 32));
        FsGeometry g = new FsGeometry(blocks, inodes, inodeTable, bitmap, journal, jBlocks);
        if (g.dataStart() + 4 > blocks) {
            throw new IllegalArgumentException("device of " + deviceBytes + " bytes leaves no room for data");
        }
        return g;
    }

    public int bitmapBlocks() {
        return journalBlock - bitmapBlock;
    }

    /** First block not reserved for metadata regions. */
    public int dataStart() {
        return journalBlock + journalBlocks;
    }

    /** Lines in the journal, its superblock included. */
    public int journalLines() {
        return journalBlocks * LINES_PER_BLOCK;
    }

    /** Device address of journal line {@code i}. */
    public long journalLineAddr(int i) {
        return (long) journalBlock * BLOCK_BYTES + (long) i * LINE_BYTES;
    }

    /** Device address of inode {@code ino}. */
    public long inodeAddr(int ino) {
        return (long) inodeTableBlock * BLOCK_BYTES + (long) ino * INODE_BYTES;
    }

    /** Device address of block {@code b}. */
    public static long blockAddr(int b) {
        return (long) b * BLOCK_BYTES;
    }

    /** True when line number {@code line} (device address / 64) is inside the journal. */
    public boolean inJournal(long line) {
        long first = (long) journalBlock * LINES_PER_BLOCK;
        return line >= first && line < first + journalLines();
    }
}
