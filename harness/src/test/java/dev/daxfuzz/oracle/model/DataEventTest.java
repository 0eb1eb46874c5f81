package dev.daxfuzz.oracle.model;

import static dev.daxfuzz.oracle.model.CallSemanticsTest.p;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.daxfuzz.program.Bytes;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Goal: each regular file's data history lists exactly the successful writes (plain or dsync, at
 * the offset they really landed), the discards (truncate down, open with trunc, punch, zero) and
 * the syncs that reach it, in order, with their step numbers.
 */
class DataEventTest {

    private static Bytes b(String s) {
        return Bytes.of(s.getBytes(StandardCharsets.UTF_8));
    }

    @Test
    void writesAreRecordedWithStepOffsetAndBytes() {
        ModelRun r = ModelRun.of(p("open f /a creat,rdwr", "write f 5 \"abc\"", "crash", "write f 0 \"z\""));
        assertEquals(List.of(DataEvent.write(1, false, 5, b("abc")), DataEvent.write(3, false, 0, b("z"))),
                r.events("/a"));
    }

    @Test
    void appendWritesAreRecordedAtTheEndOfFile() {
        ModelRun r = ModelRun.of(p("open f /a creat,rdwr,append", "write f 0 \"abc\"", "write f 0 \"de\""));
        assertEquals(List.of(DataEvent.write(1, false, 0, b("abc")), DataEvent.write(2, false, 3, b("de"))),
                r.events("/a"));
    }

    @Test
    void dsyncWritesAreDsyncEvents() {
        ModelRun r = ModelRun.of(p("open f /a creat,wronly,dsync", "write f 0 \"abc\"", "open g /a wronly",
                "write g 1 \"x\""));
        assertEquals(List.of(new DataEvent(1, DataEvent.Kind.DSYNC_WRITE, 0, 3, b("abc")),
                DataEvent.write(3, false, 1, b("x"))), r.events("/a"));
    }

    @Test
    void failedAndEmptyWritesLeaveNoEvent() {
        ModelRun r = ModelRun.of(CallSemanticsTest.SMALL, p("open f /a creat,rdwr", "write f 65536 \"ab\" => EFBIG",
                "write f 0 \"\"", "open g /a rdonly", "write g 0 \"x\" => EBADF",
                "write f 9223372036854775807 \"x\" => EINVAL"));
        assertEquals(List.of(), r.events("/a"));
    }

    @Test
    void aShortWriteRecordsOnlyTheBytesBelowTheLimit() {
        ModelRun r = ModelRun.of(CallSemanticsTest.SMALL, p("open f /a creat,rdwr", "write f 65534 \"abcd\""));
        assertEquals(List.of(DataEvent.write(1, false, 65534, b("ab"))), r.events("/a"));
    }

    @Test
    void truncateDownDiscardsTheCutRangeAndTruncateUpNothing() {
        ModelRun r = ModelRun.of(p("open f /a creat,rdwr", "write f 0 \"abcdef\"", "truncate f 2", "truncate f 10",
                "truncate f 10"));
        assertEquals(List.of(DataEvent.write(1, false, 0, b("abcdef")), DataEvent.discard(2, 2, 4)), r.events("/a"));
    }

    @Test
    void openWithTruncDiscardsTheOldContent() {
        ModelRun r = ModelRun.of(p("open f /a creat,rdwr", "write f 3 \"abc\"", "open g /a rdonly,trunc",
                "open h /a rdonly,trunc"));
        assertEquals(List.of(DataEvent.write(1, false, 3, b("abc")), DataEvent.discard(2, 0, 6)), r.events("/a"),
                "the second trunc found an empty file: nothing destroyed");
    }

    @Test
    void punchDiscardsOnlyUpToTheSize() {
        ModelRun r = ModelRun.of(p("open f /a creat,rdwr", "write f 0 \"abcdef\"", "fallocate f punch 4 100",
                "fallocate f punch 10 5"));
        assertEquals(List.of(DataEvent.write(1, false, 0, b("abcdef")), DataEvent.discard(2, 4, 2)), r.events("/a"));
    }

    @Test
    void zeroDiscardsTheWholeRange() {
        ModelRun r = ModelRun.of(p("open f /a creat,rdwr", "write f 0 \"abcdef\"", "fallocate f zero 4 100"));
        assertEquals(List.of(DataEvent.write(1, false, 0, b("abcdef")), DataEvent.discard(2, 4, 100)), r.events("/a"));
        assertEquals(104, r.size("/a"));
    }

    @Test
    void allocAndKeepSizeLeaveNoDataEvent() {
        ModelRun r = ModelRun.of(p("open f /a creat,rdwr", "fallocate f alloc 0 8K", "fallocate f keep-size 8K 8K"));
        assertEquals(List.of(), r.events("/a"));
    }

    @Test
    void fsyncAndFdatasyncRecordASyncOnTheirInodeOnly() {
        ModelRun r = ModelRun.of(p("open f /a creat,rdwr", "open g /b creat,rdwr", "write f 0 \"x\"", "fsync f",
                "fdatasync f", "open d / rdonly", "fsync d"));
        assertEquals(List.of(DataEvent.write(2, false, 0, b("x")), DataEvent.sync(3), DataEvent.sync(4)),
                r.events("/a"));
        assertEquals(List.of(), r.events("/b"));
        assertEquals(List.of(), r.model.events(PosixModel.ROOT_INODE_ID), "directories have no data history");
    }

    @Test
    void syncReachesEveryExistingFileIncludingOpenOrphans() {
        ModelRun r = ModelRun.of(p("open f /a creat,rdwr", "mkdir /d", "open g /d/b creat", "open h /c creat",
                "unlink /c", "open i /gone creat", "unlink /gone", "close i", "sync"));
        int a = r.inode("/a");
        int b = r.inode("/d/b");
        int c = r.model.descriptorInode("h").getAsInt();
        assertEquals(List.of(DataEvent.sync(8)), r.model.events(a));
        assertEquals(List.of(DataEvent.sync(8)), r.model.events(b));
        assertEquals(List.of(DataEvent.sync(8)), r.model.events(c));
        int gone = c + 1;
        assertEquals(List.of(), r.model.events(gone), "a file gone before the sync gets none");
    }

    @Test
    void historyOutlivesTheInode() {
        ModelRun r = ModelRun.of(p("open f /a creat,rdwr", "write f 0 \"x\"", "unlink /a", "close f"));
        assertEquals(List.of(DataEvent.write(1, false, 0, b("x"))), r.model.events(2));
        assertEquals(List.of(), r.model.events(999));
    }

    @Test
    void eventsAreValidated() {
        assertThrows(IllegalArgumentException.class, () -> new DataEvent(0, DataEvent.Kind.WRITE, 0, 2, b("x")));
        assertThrows(IllegalArgumentException.class, () -> new DataEvent(0, DataEvent.Kind.DISCARD, 0, 1, b("x")));
        assertThrows(IllegalArgumentException.class, () -> new DataEvent(0, DataEvent.Kind.SYNC, 1, 0, Bytes.empty()));
        assertThrows(IllegalArgumentException.class, () -> new DataEvent(0, DataEvent.Kind.DISCARD, -1, 1, Bytes.empty()));
    }
}
