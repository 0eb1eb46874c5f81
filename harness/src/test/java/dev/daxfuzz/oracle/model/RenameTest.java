package dev.daxfuzz.oracle.model;

import static dev.daxfuzz.oracle.model.CallSemanticsTest.SMALL;
import static dev.daxfuzz.oracle.model.CallSemanticsTest.p;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Goal: rename follows Linux renameat2 without flags: its checks in Linux's order, and its effect
 * on names, link counts and replaced inodes. Method: a table of small programs for the results,
 * then programs whose end state is inspected.
 */
class RenameTest {

    static Stream<Arguments> results() {
        return Stream.of(
                Arguments.of("a missing OLD is ENOENT", p("rename /a /b => ENOENT")),
                Arguments.of("OLD's parent is resolved first", p(
                        "open f /f creat", "rename /x/a /f/b => ENOENT", "rename /f/a /x/b => ENOTDIR")),
                Arguments.of("NEW's parent errors come after OLD's", p(
                        "open f /a creat", "rename /a /x/b => ENOENT", "rename /a /a/b => ENOTDIR")),
                Arguments.of("the root as OLD or NEW is EBUSY", p(
                        "mkdir /a", "rename / /b => EBUSY", "rename /a / => EBUSY", "rename /missing / => EBUSY",
                        "rename / / => EBUSY")),
                Arguments.of("parent errors come before EBUSY", p("rename /x/y / => ENOENT", "rename / /x/y => ENOENT")),
                Arguments.of("a missing OLD is ENOENT even when NEW exists", p("open f /b creat", "rename /a /b => ENOENT")),
                Arguments.of("the same path is a no-op", p("open f /a creat", "rename /a /a", "mkdir /d", "rename /d /d")),
                Arguments.of("two links of one file is a no-op", p("open f /a creat", "link /a /b", "rename /a /b",
                        "open g /a rdonly", "open h /b rdonly")),
                Arguments.of("a directory into itself is EINVAL", p(
                        "mkdir /a", "rename /a /a/b => EINVAL", "mkdir /a/b", "rename /a /a/b => EINVAL",
                        "rename /a /a/b/c => EINVAL")),
                Arguments.of("a name onto its own ancestor is ENOTEMPTY", p(
                        "mkdir /a", "mkdir /a/b", "rename /a/b /a => ENOTEMPTY", "open f /a/b/f creat",
                        "rename /a/b/f /a => ENOTEMPTY", "rename /a/b/f /a/b => ENOTEMPTY")),
                Arguments.of("a file onto a directory is EISDIR", p(
                        "open f /f creat", "mkdir /d", "rename /f /d => EISDIR")),
                Arguments.of("a file onto a non-empty directory is EISDIR", p(
                        "open f /f creat", "mkdir /d", "mkdir /d/e", "rename /f /d => EISDIR")),
                Arguments.of("a directory onto a file is ENOTDIR", p(
                        "open f /f creat", "mkdir /d", "rename /d /f => ENOTDIR")),
                Arguments.of("a directory onto a non-empty directory is ENOTEMPTY", p(
                        "mkdir /a", "mkdir /b", "mkdir /b/c", "rename /a /b => ENOTEMPTY",
                        "rmdir /b/c", "rename /a /b")),
                Arguments.of("a file onto a file replaces it", p(
                        "open f /a creat,rdwr", "write f 0 \"new\"", "open g /b creat,rdwr", "write g 0 \"old\"",
                        "rename /a /b", "open h /b rdonly", "read h 0 9 => \"new\"", "open i /a rdonly => ENOENT",
                        "read g 0 9 => \"old\"")),
                Arguments.of("a directory moves with its contents", p(
                        "mkdir /a", "mkdir /a/b", "open f /a/b/f creat,rdwr", "write f 0 \"x\"", "mkdir /c",
                        "rename /a/b /c/b", "open g /c/b/f rdonly", "read g 0 1 => \"x\"",
                        "open h /a/b/f rdonly => ENOENT", "rmdir /a")));
    }

    static Stream<Arguments> smallResults() {
        return Stream.of(
                Arguments.of("a long NEW name is ENAMETOOLONG", p(
                        "open f /a creat", "rename /a /abcdefghi => ENAMETOOLONG")),
                Arguments.of("a missing OLD wins over a long NEW", p("rename /a /abcdefghi => ENOENT")),
                Arguments.of("a long OLD name is ENAMETOOLONG (Linux's lookup)", p(
                        "rename /abcdefghi /b => ENAMETOOLONG")),
                Arguments.of("a directory into a parent at the link limit is EMLINK", p(
                        "mkdir /p", "mkdir /p/x", "mkdir /p/y", "mkdir /q", "rename /q /p/q => EMLINK",
                        "open f /f creat", "rename /f /p/f")),
                Arguments.of("moving within the full parent is fine", p(
                        "mkdir /p", "mkdir /p/x", "mkdir /p/y", "rename /p/x /p/z")),
                Arguments.of("replacing an empty directory in the full parent is fine", p(
                        "mkdir /p", "mkdir /p/x", "mkdir /p/y", "mkdir /q", "rename /q /p/x", "mkdir /q")),
                Arguments.of("EISDIR comes before EMLINK", p(
                        "mkdir /p", "mkdir /p/x", "mkdir /p/y", "open f /f creat", "rename /f /p/x => EISDIR")));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("results")
    void renameGivesLinuxResult(String name, String program) {
        ModelRun.of(program);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("smallResults")
    void renameGivesLinuxResultAtTheLimits(String name, String program) {
        ModelRun.of(SMALL, program);
    }

    @Test
    void movingADirectoryMovesOneLinkBetweenParents() {
        ModelRun r = ModelRun.of(p("mkdir /a", "mkdir /b", "mkdir /a/d", "rename /a/d /b/d"));
        assertEquals(2, r.model.linkCount(r.inode("/a")));
        assertEquals(3, r.model.linkCount(r.inode("/b")));
        assertEquals(2, r.model.linkCount(r.inode("/b/d")));
        assertEquals(4, r.model.linkCount(PosixModel.ROOT_INODE_ID));
    }

    @Test
    void replacingAnEmptyDirectoryRemovesIt() {
        ModelRun r = ModelRun.of(p("mkdir /a", "mkdir /b", "mkdir /a/d", "mkdir /b/e"));
        int e = r.inode("/b/e");
        int d = r.inode("/a/d");
        ModelRun moved = ModelRun.of(p("mkdir /a", "mkdir /b", "mkdir /a/d", "mkdir /b/e", "rename /a/d /b/e"));
        assertEquals(d, moved.inode("/b/e"), "numbering is deterministic, so ids carry across runs");
        assertFalse(moved.model.exists(e));
        assertEquals(2, moved.model.linkCount(moved.inode("/a")));
        assertEquals(3, moved.model.linkCount(moved.inode("/b")), "+1 for the move, -1 for the replaced dir");
        assertEquals(4, moved.model.linkCount(PosixModel.ROOT_INODE_ID));
    }

    @Test
    void replacingAnEmptyDirectoryInTheSameParentDropsOneLink() {
        ModelRun r = ModelRun.of(p("mkdir /a", "mkdir /b", "rename /a /b"));
        assertEquals(3, r.model.linkCount(PosixModel.ROOT_INODE_ID));
        assertEquals("/b dir @/b", r.model.snapshot().canonical());
    }

    @Test
    void aReplacedFileLosesOneLinkAndLivesWhileOpen() {
        ModelRun r = ModelRun.of(p("open f /a creat", "open g /b creat", "link /b /c", "rename /a /b"));
        int c = r.inode("/c");
        assertEquals(1, r.model.linkCount(c));
        assertEquals(r.inode("/b"), r.model.descriptorInode("f").getAsInt());

        ModelRun orphan = ModelRun.of(p("open f /a creat", "open g /b creat", "rename /a /b"));
        int old = orphan.model.descriptorInode("g").getAsInt();
        assertTrue(orphan.model.exists(old), "open description keeps it");
        assertEquals(0, orphan.model.linkCount(old));
        ModelRun closed = ModelRun.of(p("open f /a creat", "open g /b creat", "rename /a /b", "close g"));
        assertFalse(closed.model.exists(old));
    }

    @Test
    void aNoOpRenameChangesNothingAndDirtiesNothing() {
        ModelRun r = ModelRun.of(p("open f /a creat", "link /a /b", "sync", "rename /a /b", "fsync f"));
        assertEquals("/a file @/a size=0\n/b file @/a size=0", r.model.snapshot().canonical());
        assertEquals(2, r.floorAfter(4), "the no-op dirtied nothing, so fsync stays at the sync");
    }
}
