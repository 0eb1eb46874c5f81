package dev.daxfuzz.fs;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.daxfuzz.fs.layout.JournalFormat;
import dev.daxfuzz.fs.layout.Le;
import dev.daxfuzz.oracle.CrashChecker;
import dev.daxfuzz.pm.ByteImage;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/**
 * Recovery of hand-made crash images: what jbd2's replay rules promise when the commit record is
 * missing or torn, when a journalled copy fails the checksum, and when the log wraps around.
 */
class RecoveryTest {

    /** Log line of the commit record of the last committed transaction, found by scanning. */
    private static int lastCommit(byte[] image, FsGeometry g, long sequence) {
        for (int i = 1; i < g.journalLines(); i++) {
            int a = (int) g.journalLineAddr(i);
            if (Le.i32(image, a) == JournalFormat.COMMIT_MAGIC && Le.u64(image, a + 8) == sequence) {
                return i;
            }
        }
        throw new AssertionError("no commit record of transaction " + sequence);
    }

    private static String tree(Recovery.Mounted m) {
        return CrashChecker.extract(m.volume()).canonical();
    }

    @Test
    @DisplayName("recovery: a committed transaction that was never checkpointed is replayed")
    void committedTransactionIsReplayed() {
        FsImages f = new FsImages(1 << 20, 0).run("mkdir /d", "open x /d/a creat,rdwr", "fsync x");
        Recovery.Mounted m = f.mount(f.image());
        assertEquals(1, m.log().transactionsReplayed());
        assertEquals("/d dir @/d\n/d/a file @/d/a size=0", tree(m));
    }

    @Test
    @DisplayName("recovery: missing commit record (crash after the log, before the commit): transaction discarded")
    void missingCommitDiscardsTransaction() {
        FsImages f = new FsImages(1 << 20, 0).run("mkdir /d", "sync", "mkdir /e", "sync");
        byte[] img = f.image();
        int commit = lastCommit(img, f.geometry, f.fs.runningSequence() - 1);
        java.util.Arrays.fill(img, (int) f.geometry.journalLineAddr(commit), (int) f.geometry.journalLineAddr(commit) + 64,
                (byte) 0);
        Recovery.Mounted m = f.mount(img);
        assertEquals("/d dir @/d", tree(m));
        assertTrue(m.log().stopReason().contains("has no commit record"), m.log().stopReason());
    }

    @Test
    @DisplayName("recovery: torn commit record (its checksum word never persisted): transaction discarded")
    void tornCommitDiscardsTransaction() {
        FsImages f = new FsImages(1 << 20, 0).run("mkdir /d", "sync", "mkdir /e", "sync");
        byte[] img = f.image();
        int commit = lastCommit(img, f.geometry, f.fs.runningSequence() - 1);
        Le.put32(img, (int) f.geometry.journalLineAddr(commit) + 16, 0);
        Recovery.Mounted m = f.mount(img);
        assertEquals("/d dir @/d", tree(m));
        assertTrue(m.log().stopReason().contains("checksum mismatch"), m.log().stopReason());
    }

    @Test
    @DisplayName("recovery: a journalled copy that does not match the checksum stops replay there")
    void checksumMismatchStopsReplay() {
        FsImages f = new FsImages(1 << 20, 0).run("mkdir /d", "sync", "mkdir /e", "sync", "mkdir /f", "sync");
        byte[] img = f.image();
        long seq = f.fs.runningSequence() - 2; // the transaction of mkdir /e
        int commit = lastCommit(img, f.geometry, seq);
        img[(int) f.geometry.journalLineAddr(commit - 1) + 5] ^= 0x40; // a byte of its last journalled line
        Recovery.Mounted m = f.mount(img);
        assertEquals("/d dir @/d", tree(m), "replay stops before /e, so /f (later) is not replayed either");
        assertTrue(m.log().stopReason().contains("transaction " + seq + ": commit checksum mismatch"),
                m.log().stopReason());
    }

    @Test
    @DisplayName("recovery: replay across the end of the circular log")
    void replayWrapsAroundTheLog() {
        // A one-block journal: 63 log lines, so a few transactions wrap it.
        FsImages f = new FsImages(1 << 20, 1);
        boolean wrapped = false;
        for (int i = 0; i < 40; i++) {
            f.run("mkdir /d" + i, "sync");
            Recovery.Mounted m = f.mount(f.image());
            assertEquals(CrashChecker.extract(f.fs.volume()).canonical(), tree(m), "after " + (i + 1) + " directories");
            assertTrue(Fsck.check(m.volume()).isEmpty(), () -> Fsck.check(m.volume()).toString());
            wrapped |= m.log().transactionsReplayed() > 0 && m.log().endLine() < m.log().startLine();
        }
        assertTrue(wrapped, "some replay crossed the end of the log");
    }

    @Test
    @DisplayName("recovery: a bad superblock or journal superblock is a clean EUCLEAN failure")
    void corruptSuperblocksFailCleanly() {
        FsImages f = new FsImages(1 << 20, 0).run("mkdir /d", "sync");
        byte[] img = f.image();
        img[3] ^= 1;
        Recovery.Outcome o = Recovery.mount(new ByteImage(img), f.geometry);
        assertTrue(assertInstanceOf(Recovery.Failed.class, o).reason().contains("superblock"));
        byte[] img2 = f.image();
        Le.put64(img2, (int) f.geometry.journalLineAddr(0) + 8, JournalFormat.packPosition(0, 1));
        Recovery.Outcome o2 = Recovery.mount(new ByteImage(img2), f.geometry);
        assertTrue(assertInstanceOf(Recovery.Failed.class, o2).reason().contains("journal start"));
    }

    @Test
    @DisplayName("recovery: an unlinked file still open at the crash is freed (orphan cleanup)")
    void orphansAreFreed() {
        FsImages f = new FsImages(1 << 20, 0).run("open x /a creat,rdwr", "write x 0 \"data\"", "unlink /a", "sync");
        Recovery.Mounted m = f.mount(f.image());
        assertEquals(1, m.log().orphansFreed());
        assertEquals("", tree(m));
        assertEquals(java.util.List.of(), Fsck.check(m.volume()));
    }
}
