package dev.daxfuzz.oracle.model;

import static dev.daxfuzz.oracle.model.CallSemanticsTest.p;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Goal: {@link PosixModel#metadataFloor()} rises exactly as the brief's journal rule says: fsync
 * to the inode's last dirtying step, fdatasync to its last size or block-state change, sync to
 * itself; never down. Method: programs whose floor is checked after every step, and the block
 * states behind fdatasync's decisions.
 */
class DurabilityFloorTest {

    private static List<Integer> floors(ModelRun r) {
        return r.floors;
    }

    @Test
    void floorStartsBelowStepZero() {
        assertEquals(-1, new PosixModel(ModelRun.ROOMY).metadataFloor());
    }

    @Test
    void syncRaisesTheFloorToItsOwnStep() {
        ModelRun r = ModelRun.of(p("mkdir /a", "crash", "sync", "mkdir /b", "sync"));
        assertEquals(List.of(-1, -1, 2, 2, 4), floors(r));
    }

    @Test
    void fsyncRaisesTheFloorToTheInodesLastDirtyingStep() {
        ModelRun r = ModelRun.of(p("open f /a creat,rdwr", "mkdir /d", "write f 0 \"x\"", "mkdir /e", "fsync f"));
        assertEquals(2, r.floorAfter(4));
    }

    @Test
    void fsyncOfAFreshFileCoversItsCreation() {
        ModelRun r = ModelRun.of(p("mkdir /d", "open f /a creat", "mkdir /e", "fsync f"));
        assertEquals(1, r.floorAfter(3));
    }

    @Test
    void fsyncOfAnUnchangedFileLeavesTheFloor() {
        ModelRun r = ModelRun.of(p("open f /a creat", "sync", "mkdir /d", "fsync f"));
        assertEquals(1, r.floorAfter(3));
    }

    @Test
    void fsyncOfADirectoryCoversEntryChanges() {
        ModelRun r = ModelRun.of(p("mkdir /d", "open d /d rdonly", "open f /d/f creat", "mkdir /x", "fsync d"));
        assertEquals(2, r.floorAfter(4));
    }

    @Test
    void linkCountAndRenameDirtyTheFile() {
        ModelRun linked = ModelRun.of(p("open f /a creat", "mkdir /d", "link /a /d/b", "mkdir /x", "fsync f"));
        assertEquals(2, linked.floorAfter(4));
        ModelRun renamed = ModelRun.of(p("open f /a creat", "mkdir /d", "rename /a /d/b", "mkdir /x", "fsync f"));
        assertEquals(2, renamed.floorAfter(4));
        ModelRun unlinked = ModelRun.of(p("open f /a creat", "unlink /a", "mkdir /x", "fsync f"));
        assertEquals(1, unlinked.floorAfter(3));
    }

    @Test
    void floorNeverGoesDown() {
        ModelRun r = ModelRun.of(p("open f /a creat,rdwr", "write f 0 \"x\"", "sync", "fsync f", "fdatasync f"));
        assertEquals(List.of(-1, -1, 2, 2, 2), floors(r));
    }

    @Test
    void fdatasyncIgnoresOverwritesOfWrittenBlocks() {
        ModelRun r = ModelRun.of(p("open f /a creat,rdwr", "write f 0 fill:1*4K", "fdatasync f",
                "write f 100 \"over\"", "fdatasync f", "fsync f"));
        assertEquals(List.of(-1, -1, 1, 1, 1, 3), floors(r), "the overwrite changed neither size nor blocks");
    }

    @Test
    void fdatasyncCoversAWriteIntoAHole() {
        ModelRun r = ModelRun.of(p("open f /a creat,rdwr", "write f 0 fill:1*4K", "truncate f 16K",
                "fdatasync f", "write f 8K \"x\"", "fdatasync f"));
        assertEquals(2, r.floorAfter(3), "the truncate changed the size");
        assertEquals(4, r.floorAfter(5), "the write allocated a hole inside the size");
    }

    @Test
    void fdatasyncCoversAnExtendingWrite() {
        ModelRun r = ModelRun.of(p("open f /a creat,rdwr", "write f 0 \"ab\"", "fdatasync f", "write f 2 \"c\"",
                "fdatasync f"));
        assertEquals(List.of(-1, -1, 1, 1, 3), floors(r), "same block, but the size grew");
    }

    @Test
    void fdatasyncCoversConversionOfUnwrittenBlocks() {
        ModelRun r = ModelRun.of(p("open f /a creat,rdwr", "fallocate f alloc 0 8K", "fdatasync f",
                "write f 0 \"x\"", "fdatasync f", "write f 1 \"y\"", "fdatasync f"));
        assertEquals(List.of(-1, -1, 1, 1, 3, 3, 3), floors(r));
    }

    @Test
    void fdatasyncIgnoresAnFallocateThatChangesNothing() {
        ModelRun r = ModelRun.of(p("open f /a creat,rdwr", "fallocate f keep-size 0 8K", "fdatasync f",
                "fallocate f keep-size 0 8K", "fdatasync f", "fsync f"));
        assertEquals(List.of(-1, -1, 1, 1, 1, 3), floors(r), "but fsync sees the fallocate (ctime)");
    }

    @Test
    void fdatasyncOfAFreshEmptyFileLeavesTheFloor() {
        ModelRun r = ModelRun.of(p("open f /a creat", "fdatasync f", "fsync f"));
        assertEquals(List.of(-1, -1, 0), floors(r));
    }

    @Test
    void fdatasyncOfADirectoryNeverRaisesTheFloor() {
        ModelRun r = ModelRun.of(p("open d / rdonly", "mkdir /a", "fdatasync d", "fsync d"));
        assertEquals(List.of(-1, -1, -1, 1), floors(r));
    }

    @Test
    void truncateToTheSameSizeDirtiesOnlyForFsync() {
        ModelRun r = ModelRun.of(p("open f /a creat,rdwr", "truncate f 10", "sync", "truncate f 10",
                "fdatasync f", "fsync f"));
        assertEquals(List.of(-1, -1, 2, 2, 2, 3), floors(r));
    }

    @Test
    void punchOfAPartialBlockChangesNoBlockState() {
        ModelRun r = ModelRun.of(p("open f /a creat,rdwr", "write f 0 fill:1*8K", "sync", "fallocate f punch 10 100",
                "fdatasync f", "fallocate f punch 4K 4K", "fdatasync f"));
        assertEquals(List.of(-1, -1, 2, 2, 2, 2, 5), floors(r));
    }

    @Test
    void blockStatesFollowWritesTruncatesAndFallocates() {
        ModelRun r = ModelRun.of(p("open f /a creat,rdwr", "write f 5000 \"x\"", "fallocate f keep-size 0 16K"));
        int a = r.inode("/a");
        PosixModel m = r.model;
        assertEquals(BlockState.UNWRITTEN, m.blockState(a, 0));
        assertEquals(BlockState.WRITTEN, m.blockState(a, 1));
        assertEquals(BlockState.UNWRITTEN, m.blockState(a, 3));
        assertEquals(BlockState.HOLE, m.blockState(a, 4));

        ModelRun t = ModelRun.of(p("open f /a creat,rdwr", "write f 0 fill:1*16K", "truncate f 5000"));
        int ta = t.inode("/a");
        assertEquals(BlockState.WRITTEN, t.model.blockState(ta, 1), "the partial last block stays");
        assertEquals(BlockState.HOLE, t.model.blockState(ta, 2));

        ModelRun up = ModelRun.of(p("open f /a creat,rdwr", "write f 0 \"x\"", "truncate f 16K"));
        assertEquals(BlockState.HOLE, up.model.blockState(up.inode("/a"), 1), "truncate up allocates nothing");

        ModelRun pre = ModelRun.of(p("open f /a creat,rdwr", "fallocate f keep-size 0 16K", "truncate f 0",
                "fallocate f keep-size 0 16K", "open g /a rdonly,trunc"));
        assertEquals(BlockState.UNWRITTEN, pre.model.blockState(pre.inode("/a"), 3),
                "truncate to the same size (0) frees no preallocation");

        ModelRun punch = ModelRun.of(p("open f /a creat,rdwr", "write f 0 fill:1*16K", "fallocate f punch 2K 8K"));
        int pa = punch.inode("/a");
        assertEquals(BlockState.WRITTEN, punch.model.blockState(pa, 0));
        assertEquals(BlockState.HOLE, punch.model.blockState(pa, 1));
        assertEquals(BlockState.WRITTEN, punch.model.blockState(pa, 2));

        ModelRun zero = ModelRun.of(p("open f /a creat,rdwr", "write f 0 fill:1*4K", "write f 8K fill:1*4K",
                "fallocate f zero 2K 16K"));
        int za = zero.inode("/a");
        assertEquals(BlockState.WRITTEN, zero.model.blockState(za, 0), "partially zeroed written block stays");
        assertEquals(BlockState.UNWRITTEN, zero.model.blockState(za, 1), "hole wholly inside");
        assertEquals(BlockState.UNWRITTEN, zero.model.blockState(za, 2), "written block wholly inside");
        assertEquals(BlockState.UNWRITTEN, zero.model.blockState(za, 4), "hole touched partially");
        assertEquals(BlockState.HOLE, zero.model.blockState(za, 5));
    }
}
