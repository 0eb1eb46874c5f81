package dev.daxfuzz.fs;

import dev.daxfuzz.fs.layout.InodeFormat;
import dev.daxfuzz.fs.layout.JournalFormat;
import dev.daxfuzz.fs.layout.Le;
import dev.daxfuzz.fs.layout.SuperblockFormat;

/**
 * Builds the image of a freshly formatted {@code journal} file system: superblock, inode table
 * with an empty root directory, bitmap with the metadata regions marked, and an empty journal
 * (start at log line 1, sequence 1). The image is written to the device as already durable.
 */
public final class Mkfs {
    private Mkfs() {
    }

    /** The bytes of blocks [0, dataStart) of a fresh file system. */
    public static byte[] metadataImage(FsGeometry g) {
        byte[] img = new byte[g.dataStart() * FsGeometry.BLOCK_BYTES];
        byte[] sb = SuperblockFormat.encode(g);
        System.arraycopy(sb, 0, img, 0, sb.length);
        int root = (int) g.inodeAddr(FsGeometry.ROOT_INO);
        Le.put16(img, root + InodeFormat.Field.MODE.offset, InodeFormat.MODE_DIR);
        Le.put32(img, root + InodeFormat.Field.NLINK.offset, 2);
        Le.put32(img, root + InodeFormat.Field.PARENT.offset, FsGeometry.ROOT_INO);
        Le.put32(img, root + InodeFormat.crcOffset(), InodeFormat.computeCrc(img, root));
        int bitmap = g.bitmapBlock() * FsGeometry.BLOCK_BYTES;
        for (int b = 0; b < g.dataStart(); b++) {
            img[bitmap + b / 8] |= (byte) (1 << (b % 8));
        }
        byte[] jsb = JournalFormat.superblock(1, 1);
        System.arraycopy(jsb, 0, img, (int) g.journalLineAddr(0), jsb.length);
        return img;
    }
}
