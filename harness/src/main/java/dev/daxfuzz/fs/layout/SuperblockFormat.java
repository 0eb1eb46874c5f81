package dev.daxfuzz.fs.layout;

import dev.daxfuzz.fs.FsGeometry;
import java.util.Optional;

/**
 * The superblock: line 0 of block 0. Written once by mkfs and never again, so it needs no
 * journalling; mount validates its magic, version, checksum and that the geometry it records is
 * the geometry of the device.
 *
 * <pre>
 *  0 magic u64   8 version u32   12 block bytes u32   16 blocks u32   20 inodes u32
 * 24 inode-table block u32   28 bitmap block u32   32 journal block u32   36 journal blocks u32
 * 40 root inode u32   44 crc32c of bytes 0..43 u32
 * </pre>
 */
public final class SuperblockFormat {
    public static final long MAGIC = 0x3153465A46584144L; // "DAXFZFS1" little-endian
    public static final int VERSION = 1;
    private static final int CRC = 44;

    private SuperblockFormat() {
    }

    public static byte[] encode(FsGeometry g) {
        byte[] b = new byte[FsGeometry.LINE_BYTES];
        Le.put64(b, 0, MAGIC);
        Le.put32(b, 8, VERSION);
        Le.put32(b, 12, FsGeometry.BLOCK_BYTES);
        Le.put32(b, 16, g.blocks());
        Le.put32(b, 20, g.inodeCount());
        Le.put32(b, 24, g.inodeTableBlock());
        Le.put32(b, 28, g.bitmapBlock());
        Le.put32(b, 32, g.journalBlock());
        Le.put32(b, 36, g.journalBlocks());
        Le.put32(b, 40, FsGeometry.ROOT_INO);
        Le.put32(b, CRC, Le.crc32c(b, 0, CRC));
        return b;
    }

    /** The geometry recorded in {@code line}, or what is wrong with it. */
    public static Optional<String> validate(byte[] line, FsGeometry expected) {
        if (Le.u64(line, 0) != MAGIC) {
            return Optional.of("bad superblock magic");
        }
        if (Le.i32(line, CRC) != Le.crc32c(line, 0, CRC)) {
            return Optional.of("superblock checksum mismatch");
        }
        if (Le.u32(line, 8) != VERSION) {
            return Optional.of("unknown superblock version " + Le.u32(line, 8));
        }
        byte[] want = encode(expected);
        for (int i = 0; i < CRC; i++) {
            if (line[i] != want[i]) {
                return Optional.of("superblock geometry does not match the device");
            }
        }
        return Optional.empty();
    }
}
