package dev.daxfuzz.oracle.model;

import static dev.daxfuzz.oracle.model.CallSemanticsTest.p;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Goal: {@link TreeSnapshot} lists the live namespace, one entry per name, sorted by path, with
 * hard links sharing an inode id; it compares by value, prints one line per entry, and its
 * canonical form hides the numbering but not the link structure.
 */
class SnapshotTest {

    @Test
    void emptyFileSystemHasNoEntries() {
        TreeSnapshot s = new PosixModel(ModelRun.ROOMY).snapshot();
        assertEquals(List.of(), s.entries());
        assertEquals("", s.toString());
        assertEquals("", s.canonical());
    }

    @Test
    void entriesAreSortedByPathStringWithSizes() {
        ModelRun r = ModelRun.of(p("mkdir /a", "open f /a/z creat,rdwr", "write f 0 \"abc\"", "open g /a-b creat",
                "mkdir /a/b"));
        assertEquals(List.of(
                new TreeSnapshot.Entry("/a", true, 2, 0),
                new TreeSnapshot.Entry("/a-b", false, 4, 0),
                new TreeSnapshot.Entry("/a/b", true, 5, 0),
                new TreeSnapshot.Entry("/a/z", false, 3, 3)), r.model.snapshot().entries());
        assertEquals("/a dir #2\n/a-b file #4 size=0\n/a/b dir #5\n/a/z file #3 size=3", r.model.snapshot().toString());
    }

    @Test
    void hardLinksShareTheInodeId() {
        ModelRun r = ModelRun.of(p("open f /x creat", "mkdir /d", "link /x /d/y"));
        assertEquals(r.inode("/x"), r.inode("/d/y"));
        assertEquals("/d dir @/d\n/d/y file @/d/y size=0\n/x file @/d/y size=0", r.model.snapshot().canonical());
    }

    @Test
    void canonicalFormIgnoresNumbering() {
        ModelRun one = ModelRun.of(p("mkdir /a", "open f /b creat", "link /b /c"));
        ModelRun two = ModelRun.of(p("open f /b creat", "mkdir /a", "link /b /c"));
        assertNotEquals(one.model.snapshot(), two.model.snapshot());
        assertEquals(one.model.snapshot().canonical(), two.model.snapshot().canonical());
    }

    @Test
    void canonicalFormKeepsLinkStructure() {
        ModelRun linked = ModelRun.of(p("open f /b creat", "link /b /c"));
        ModelRun separate = ModelRun.of(p("open f /b creat", "open g /c creat"));
        assertNotEquals(linked.model.snapshot().canonical(), separate.model.snapshot().canonical());
    }

    @Test
    void snapshotsHaveValueEquality() {
        String prog = p("mkdir /a", "open f /a/b creat,rdwr", "write f 0 \"x\"");
        assertEquals(ModelRun.of(prog).model.snapshot(), ModelRun.of(prog).model.snapshot());
        assertEquals(ModelRun.of(prog).model.snapshot().hashCode(), ModelRun.of(prog).model.snapshot().hashCode());
    }

    @Test
    void unlinkedAndRemovedNamesLeaveTheSnapshotButIdsAreNotReused() {
        ModelRun r = ModelRun.of(p("open f /a creat", "mkdir /d", "unlink /a", "rmdir /d", "open g /e creat"));
        assertEquals(List.of(new TreeSnapshot.Entry("/e", false, 4, 0)), r.model.snapshot().entries());
    }

    @Test
    void entryLooksUpAPath() {
        ModelRun r = ModelRun.of(p("mkdir /a"));
        assertEquals(true, r.model.snapshot().entry("/a").orElseThrow().directory());
        assertEquals(true, r.model.snapshot().entry("/b").isEmpty());
    }

    @Test
    void unsortedEntriesAreRefused() {
        assertThrows(IllegalArgumentException.class, () -> new TreeSnapshot(List.of(
                new TreeSnapshot.Entry("/b", true, 2, 0), new TreeSnapshot.Entry("/a", true, 3, 0))));
    }
}
