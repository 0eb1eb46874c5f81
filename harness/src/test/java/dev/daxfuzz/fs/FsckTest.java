package dev.daxfuzz.fs;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.daxfuzz.fs.layout.DirentFormat;
import dev.daxfuzz.fs.layout.InodeFormat;
import dev.daxfuzz.fs.layout.Le;
import java.util.List;
import java.util.function.Consumer;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/**
 * fsck on hand-corrupted images: each corruption must be reported under the invariant it breaks,
 * and a clean image under none. Corruptions are made after recovery, in its overlay, so that a
 * journal replay cannot repair them first.
 */
class FsckTest {
    private static final int ROOT = FsGeometry.ROOT_INO;
    // Inode numbers the setup below gets: /d is 2, /d/a is 3, /b is 4.
    private static final int DIR = 2;
    private static final int FILE = 3;
    private static final int OTHER = 4;

    private static Recovery.Mounted mounted() {
        FsImages f = new FsImages(1 << 20, 0).run("mkdir /d", "open x /d/a creat,rdwr", "write x 0 fill:0x41*5000",
                "open y /b creat,rdwr", "write y 0 \"b\"", "close x", "close y", "sync");
        Recovery.Mounted m = f.mount(f.image());
        assertEquals(List.of(), Fsck.check(m.volume()), "the setup image is clean");
        return m;
    }

    private static void setInode(Recovery.Mounted m, int ino, int offset, int width, long value) {
        FsGeometry g = m.volume().geometry();
        byte[] inode = new byte[FsGeometry.INODE_BYTES];
        m.blocks().readMeta(g.inodeAddr(ino), inode, 0, inode.length);
        if (width == 4) {
            Le.put32(inode, offset, value);
        } else if (width == 8) {
            Le.put64(inode, offset, value);
        } else {
            Le.put16(inode, offset, (int) value);
        }
        Le.put32(inode, InodeFormat.crcOffset(), InodeFormat.computeCrc(inode, 0));
        m.blocks().write(g.inodeAddr(ino), inode, 0, inode.length);
    }

    private static void assertReports(Fsck.Invariant invariant, Consumer<Recovery.Mounted> corrupt) {
        Recovery.Mounted m = mounted();
        corrupt.accept(m);
        List<Fsck.Problem> problems = Fsck.check(m.volume());
        assertTrue(problems.stream().anyMatch(p -> p.invariant() == invariant),
                () -> "expected " + invariant + " among " + problems);
    }

    private static int firstBlock(Recovery.Mounted m, int ino) {
        return InodeFormat.blockOf(m.volume().pointer(ino, 0));
    }

    private static void setBit(Recovery.Mounted m, int b, boolean on) {
        long addr = FsGeometry.blockAddr(m.volume().geometry().bitmapBlock()) + b / 8;
        byte[] one = new byte[1];
        m.blocks().readMeta(addr, one, 0, 1);
        one[0] = (byte) (on ? one[0] | (1 << (b % 8)) : one[0] & ~(1 << (b % 8)));
        m.blocks().write(addr, one, 0, 1);
    }

    @Test
    @DisplayName("fsck: a torn inode fails its checksum")
    void inodeChecksum() {
        assertReports(Fsck.Invariant.INODE_CHECKSUM, m -> m.blocks().write(m.volume().geometry().inodeAddr(FILE) + 8,
                new byte[] {9}, 0, 1));
    }

    @Test
    @DisplayName("fsck: a link count that is not the number of names")
    void linkCount() {
        assertReports(Fsck.Invariant.LINK_COUNT, m -> setInode(m, FILE, InodeFormat.Field.NLINK.offset, 4, 2));
    }

    @Test
    @DisplayName("fsck: a used block free in the bitmap")
    void blockNotMarked() {
        assertReports(Fsck.Invariant.BLOCK_NOT_MARKED, m -> setBit(m, firstBlock(m, FILE), false));
    }

    @Test
    @DisplayName("fsck: a block marked in the bitmap that nothing uses")
    void blockLeaked() {
        assertReports(Fsck.Invariant.BLOCK_LEAKED, m -> setBit(m, m.volume().geometry().blocks() - 1, true));
    }

    @Test
    @DisplayName("fsck: two files sharing a block")
    void blockShared() {
        assertReports(Fsck.Invariant.BLOCK_SHARED, m -> setInode(m, OTHER, InodeFormat.directOffset(0), 4,
                firstBlock(m, FILE)));
    }

    @Test
    @DisplayName("fsck: a block pointer outside the data area")
    void blockRange() {
        assertReports(Fsck.Invariant.BLOCK_RANGE, m -> setInode(m, OTHER, InodeFormat.directOffset(1), 4, 3));
    }

    @Test
    @DisplayName("fsck: a written block past the end of the file")
    void fileSize() {
        assertReports(Fsck.Invariant.FILE_SIZE, m -> setInode(m, FILE, InodeFormat.Field.SIZE.offset, 8, 10));
    }

    @Test
    @DisplayName("fsck: a directory entry naming a free inode")
    void danglingEntry() {
        assertReports(Fsck.Invariant.ENTRY_DANGLING, m -> m.blocks().write(m.volume().geometry().inodeAddr(OTHER),
                new byte[FsGeometry.INODE_BYTES], 0, FsGeometry.INODE_BYTES));
    }

    @Test
    @DisplayName("fsck: an entry whose type disagrees with its inode")
    void entryType() {
        assertReports(Fsck.Invariant.ENTRY_TYPE, m -> {
            Volume.Entry e = m.volume().lookup(ROOT, "b");
            long addr = FsGeometry.blockAddr(firstBlock(m, ROOT)) + (long) e.slot() * FsGeometry.DIRENT_BYTES + 5;
            m.blocks().write(addr, new byte[] {DirentFormat.TYPE_DIR}, 0, 1);
        });
    }

    @Test
    @DisplayName("fsck: a directory that contains an ancestor (a cycle)")
    void cycle() {
        assertReports(Fsck.Invariant.DIR_LINKED_TWICE, m -> {
            Volume.Entry e = m.volume().lookup(DIR, "a");
            long addr = FsGeometry.blockAddr(firstBlock(m, DIR)) + (long) e.slot() * FsGeometry.DIRENT_BYTES;
            byte[] entry = new byte[FsGeometry.DIRENT_BYTES];
            DirentFormat.put(entry, 0, ROOT, "up".getBytes(java.nio.charset.StandardCharsets.UTF_8), DirentFormat.TYPE_DIR);
            m.blocks().write(addr, entry, 0, entry.length);
        });
    }

    @Test
    @DisplayName("fsck: an allocated inode no directory names")
    void unreachable() {
        assertReports(Fsck.Invariant.UNREACHABLE, m -> {
            Volume.Entry e = m.volume().lookup(ROOT, "b");
            long addr = FsGeometry.blockAddr(firstBlock(m, ROOT)) + (long) e.slot() * FsGeometry.DIRENT_BYTES;
            m.blocks().write(addr, new byte[FsGeometry.DIRENT_BYTES], 0, FsGeometry.DIRENT_BYTES);
        });
    }

    @Test
    @DisplayName("fsck: a directory whose parent field is wrong")
    void dirParent() {
        assertReports(Fsck.Invariant.DIR_PARENT, m -> setInode(m, DIR, InodeFormat.Field.PARENT.offset, 4, DIR));
    }

    @Test
    @DisplayName("fsck: a metadata region block free in the bitmap")
    void metadataNotMarked() {
        assertReports(Fsck.Invariant.METADATA_NOT_MARKED, m -> setBit(m, 1, false));
    }
}
