package dev.daxfuzz.fs;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Every call of the journal design with its Linux semantics and errno results, each scenario run
 * through the real runner: its {@code =>} expectations must hold on the file system, the model must
 * agree with every result, and every crash state of every call must pass the oracles.
 */
class JournalFsCallTest {

    static Stream<Arguments> scenarios() {
        return Stream.of(
                // ---- mkdir / rmdir
                Arguments.of("mkdir creates a directory; a second mkdir is EEXIST",
                        new String[] {"mkdir /d => ok", "mkdir /d => EEXIST", "mkdir / => EEXIST"}),
                Arguments.of("mkdir under a missing parent is ENOENT, under a file ENOTDIR",
                        new String[] {"mkdir /x/y => ENOENT", "open f /f creat,rdwr", "mkdir /f/y => ENOTDIR"}),
                Arguments.of("names longer than 24 bytes are ENAMETOOLONG",
                        new String[] {"mkdir /abcdefghijklmnopqrstuvwxy => ENAMETOOLONG",
                            "mkdir /abcdefghijklmnopqrstuvwx => ok"}),
                Arguments.of("rmdir removes an empty directory; non-empty is ENOTEMPTY; root is EBUSY",
                        new String[] {"mkdir /d", "mkdir /d/e", "rmdir /d => ENOTEMPTY", "rmdir /d/e => ok",
                            "rmdir /d => ok", "rmdir /d => ENOENT", "rmdir / => EBUSY"}),
                Arguments.of("rmdir of a file is ENOTDIR",
                        new String[] {"open f /f creat,rdwr", "rmdir /f => ENOTDIR"}),
                // ---- open / close
                Arguments.of("open creates with creat; without it a missing file is ENOENT",
                        new String[] {"open f /a rdwr => ENOENT", "open f /a creat,rdwr => ok", "close f => ok",
                            "close f => EBADF"}),
                Arguments.of("creat,excl on an existing file is EEXIST",
                        new String[] {"open f /a creat,rdwr", "open g /a creat,excl,rdwr => EEXIST"}),
                Arguments.of("opening a directory for writing is EISDIR; read-only works",
                        new String[] {"mkdir /d", "open f /d rdwr => EISDIR", "open f /d creat,rdonly => EISDIR",
                            "open f /d rdonly => ok", "read f 0 1 => EISDIR", "write f 0 \"x\" => EBADF"}),
                Arguments.of("trunc empties a file",
                        new String[] {"open f /a creat,rdwr", "write f 0 \"hello\"", "open g /a trunc,rdwr",
                            "read f 0 10 => \"\""}),
                Arguments.of("conflicting access modes are EINVAL",
                        new String[] {"open f /a creat,rdonly,wronly => EINVAL"}),
                // ---- write / read
                Arguments.of("write then read back, across a block boundary and unaligned",
                        new String[] {"open f /a creat,rdwr", "write f 4090 \"hello world\"",
                            "read f 4090 11 => \"hello world\"", "read f 0 4 => hex:00000000",
                            "read f 5000 4 => \"\""}),
                Arguments.of("overwrite in place, partial words",
                        new String[] {"open f /a creat,rdwr", "write f 0 \"abcdefghijklmnop\"", "write f 3 \"XY\"",
                            "read f 0 16 => \"abcXYfghijklmnop\""}),
                Arguments.of("writes through read-only descriptors are EBADF; reads through write-only EBADF",
                        new String[] {"open f /a creat,rdonly", "write f 0 \"x\" => EBADF", "open g /a wronly",
                            "read g 0 1 => EBADF"}),
                Arguments.of("append writes at the end regardless of the offset",
                        new String[] {"open f /a creat,append,rdwr", "write f 0 \"ab\"", "write f 0 \"cd\"",
                            "read f 0 10 => \"abcd\""}),
                Arguments.of("a write from the largest file's end is EFBIG; one crossing it is cut short",
                        new String[] {"open f /a creat,rdwr", "write f 4243456 \"x\" => EFBIG",
                            "write f 4243455 \"xyz\" => ok", "read f 4243454 4 => hex:0078",
                            "write f 9223372036854775807 \"x\" => EINVAL", "read f 9223372036854775807 1 => EINVAL",
                            "read f 1 9223372036854775807 => EINVAL", "write f 9223372036854775807 \"\" => ok",
                            "fallocate f alloc 9223372036854775807 1 => EFBIG", "truncate f 9223372036854775807 => EFBIG"}),
                Arguments.of("a sparse file reads zeros in its hole; large writes use the indirect block",
                        new String[] {"open f /a creat,rdwr", "write f 60000 \"tail\"", "read f 0 4 => hex:00000000",
                            "read f 60000 4 => \"tail\""}),
                Arguments.of("dsync writes", new String[] {"open f /a creat,dsync,rdwr", "write f 0 \"durable\"",
                    "read f 0 7 => \"durable\""}),
                // ---- truncate / fallocate
                Arguments.of("truncate shrinks and grows with zeros",
                        new String[] {"open f /a creat,rdwr", "write f 0 \"abcdef\"", "truncate f 2",
                            "truncate f 4", "read f 0 10 => hex:61620000"}),
                Arguments.of("truncate through a read-only descriptor is EINVAL; of a directory EINVAL",
                        new String[] {"open f /a creat,rdonly", "truncate f 0 => EINVAL", "mkdir /d",
                            "open g /d rdonly", "truncate g 0 => EINVAL"}),
                Arguments.of("truncate frees blocks past the new end",
                        new String[] {"open f /a creat,rdwr", "write f 0 fill:0x41*20000", "truncate f 4097",
                            "read f 4095 4 => hex:4141"}),
                Arguments.of("fallocate alloc extends with zeros; keep-size keeps the size",
                        new String[] {"open f /a creat,rdwr", "write f 0 \"ab\"", "fallocate f alloc 1 5",
                            "read f 0 10 => hex:616200000000", "fallocate f keep-size 0 8K",
                            "read f 0 10 => hex:616200000000"}),
                Arguments.of("fallocate punch zeroes, keeps the size, frees whole blocks",
                        new String[] {"open f /a creat,rdwr", "write f 0 fill:0x42*9000", "fallocate f punch 10 8000",
                            "read f 8 4 => hex:42420000", "read f 8008 4 => hex:00004242"}),
                Arguments.of("fallocate zero zeroes and extends",
                        new String[] {"open f /a creat,rdwr", "write f 0 \"abcdef\"", "fallocate f zero 4 4",
                            "read f 0 10 => hex:6162636400000000"}),
                Arguments.of("fallocate errors: length 0 EINVAL, read-only EBADF",
                        new String[] {"open f /a creat,rdonly", "fallocate f alloc 0 0 => EINVAL",
                            "fallocate f alloc 0 10 => EBADF"}),
                Arguments.of("writing into an unwritten extent converts it",
                        new String[] {"open f /a creat,rdwr", "fallocate f alloc 0 8K", "write f 100 \"x\"",
                            "read f 99 3 => hex:007800"}),
                // ---- sync family
                Arguments.of("fsync, fdatasync and sync succeed; a closed descriptor is EBADF",
                        new String[] {"open f /a creat,rdwr", "write f 0 \"x\"", "fsync f => ok", "fdatasync f => ok",
                            "sync => ok", "close f", "fsync f => EBADF", "fdatasync f => EBADF"}),
                Arguments.of("fsync of a directory",
                        new String[] {"mkdir /d", "open d /d rdonly", "open f /d/a creat,rdwr", "fsync d => ok"}),
                // ---- unlink / link / rename
                Arguments.of("unlink removes a name; of a directory EISDIR; missing ENOENT",
                        new String[] {"open f /a creat,rdwr", "close f", "unlink /a => ok", "unlink /a => ENOENT",
                            "mkdir /d", "unlink /d => EISDIR", "unlink / => EISDIR"}),
                Arguments.of("an unlinked open file stays readable until closed",
                        new String[] {"open f /a creat,rdwr", "write f 0 \"still\"", "unlink /a",
                            "read f 0 5 => \"still\"", "write f 5 \"!\"", "close f"}),
                Arguments.of("link adds a name; to a directory EPERM; existing EEXIST",
                        new String[] {"open f /a creat,rdwr", "link /a /b => ok", "link /a /b => EEXIST",
                            "mkdir /d", "link /d /e => EPERM", "link /x /y => ENOENT", "unlink /a",
                            "open g /b rdwr => ok"}),
                Arguments.of("rename moves files and directories",
                        new String[] {"mkdir /d", "open f /d/a creat,rdwr", "write f 0 \"x\"", "rename /d/a /b => ok",
                            "open g /b rdwr => ok", "mkdir /e", "rename /d /e/d => ok", "rmdir /e => ENOTEMPTY"}),
                Arguments.of("rename replaces a file and an empty directory",
                        new String[] {"open f /a creat,rdwr", "open g /b creat,rdwr", "rename /a /b => ok",
                            "mkdir /d", "mkdir /e", "rename /d /e => ok", "rmdir /e => ok"}),
                Arguments.of("rename errors",
                        new String[] {"mkdir /d", "mkdir /d/e", "open f /a creat,rdwr", "rename /d /d/e/x => EINVAL",
                            "rename /a /d => EISDIR", "rename /d /a => ENOTDIR", "mkdir /x", "open g /x/y creat,rdwr",
                            "rename /d/e /x => ENOTEMPTY", "rename /nope /a => ENOENT", "rename / /a => EBUSY"}),
                Arguments.of("rename onto itself or a hard link of itself does nothing",
                        new String[] {"open f /a creat,rdwr", "link /a /b", "rename /a /b => ok", "rename /a /a => ok",
                            "open g /a rdwr => ok"}),
                Arguments.of("moving a directory across parents keeps link counts right (fsck checks them)",
                        new String[] {"mkdir /a", "mkdir /b", "mkdir /a/c", "rename /a/c /b/c", "rename /b /a/b",
                            "sync"}));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("scenarios")
    void callBehavesAsLinuxAndEveryCrashStateIsClean(String name, String[] lines) {
        FsScenarios.clean(lines);
    }

    @ParameterizedTest(name = "under eADR: {0}")
    @MethodSource("scenarios")
    void sameUnderEadr(String name, String[] lines) {
        String[] withHeader = new String[lines.length + 1];
        withHeader[0] = "persistency eadr";
        System.arraycopy(lines, 0, withHeader, 1, lines.length);
        FsScenarios.clean(withHeader);
    }

    @org.junit.jupiter.api.Test
    void runningOutOfInodesAndBlocksIsEnospc() {
        // 64 KiB: 32 inodes (30 usable) and 11 data blocks. Files, so that the root's link count
        // (which mkdir raises: EMLINK at 32) does not run out first.
        StringBuilder sb = new StringBuilder("device 64K\n");
        for (int i = 0; i < 30; i++) {
            sb.append("open f /f").append(i).append(" creat,rdwr => ok\nclose f\n");
        }
        sb.append("open f /full creat,rdwr => ENOSPC\nmkdir /full => ENOSPC\n");
        FsScenarios.clean(sb.toString().split("\n"));
        FsScenarios.clean("device 64K", "open f /a creat,rdwr", "write f 0 fill:0x41*40K => ok",
                "write f 40K \"x\" => ENOSPC", "read f 40959 2 => hex:41");
    }

    @org.junit.jupiter.api.Test
    void freedBlocksAreReusedOnlyAfterACheckpoint() {
        FsScenarios.clean("device 64K", "open a /a creat,rdwr", "write a 0 fill:0x41*40K", "fsync a", "truncate a 0",
                "fsync a", "open b /b creat,rdwr", "write b 4196 \"hello\" => ok", "fsync b",
                "read b 4096 4 => hex:00000000");
    }
}
