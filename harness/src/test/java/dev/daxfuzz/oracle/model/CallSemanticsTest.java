package dev.daxfuzz.oracle.model;

import dev.daxfuzz.run.SyscallDispatch;
import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.daxfuzz.fs.CallResult;
import dev.daxfuzz.fs.FsLimits;
import dev.daxfuzz.posix.Errno;
import dev.daxfuzz.program.Op;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.api.Test;

/**
 * Goal: every call of spec §3.2 gives the result, and the errno in the order, that Linux gives
 * (as agreed with the file-system author). Method: one small {@code .dxp} program per case; every
 * statement either states its result with {@code =>} or must succeed ({@link ModelRun}). The
 * rename table is in {@link RenameTest}.
 */
class CallSemanticsTest {
    /** NAME_MAX 8, 4 links, 3 open descriptions, 64 KiB files, 4 KiB blocks. */
    static final FsLimits SMALL = new FsLimits(8, 4, 3, 64 * 1024, 4096);

    static String p(String... lines) {
        return String.join("\n", lines) + "\n";
    }

    static Stream<Arguments> roomy() {
        return Stream.of(
                // ---- resolution ----
                Arguments.of("a missing intermediate directory is ENOENT", p("mkdir /x/y/z => ENOENT")),
                Arguments.of("a file as an intermediate component is ENOTDIR", p(
                        "open f /f creat", "mkdir /f/x => ENOTDIR", "mkdir /f/x/y => ENOTDIR")),
                Arguments.of("the first problem met wins: ENOENT before a later file", p(
                        "open f /f creat", "mkdir /missing/f/x => ENOENT")),
                // ---- mkdir ----
                Arguments.of("mkdir of the root is EEXIST", p("mkdir / => EEXIST")),
                Arguments.of("mkdir of an existing directory is EEXIST", p("mkdir /a", "mkdir /a => EEXIST")),
                Arguments.of("mkdir of an existing file is EEXIST", p("open f /a creat", "mkdir /a => EEXIST")),
                Arguments.of("mkdir nests", p("mkdir /a", "mkdir /a/b", "mkdir /a/b/c", "open f /a/b/c/f creat")),
                // ---- rmdir ----
                Arguments.of("rmdir of the root is EBUSY", p("rmdir / => EBUSY")),
                Arguments.of("rmdir of a missing name is ENOENT", p("rmdir /a => ENOENT", "rmdir /a/b => ENOENT")),
                Arguments.of("rmdir of a file is ENOTDIR", p("open f /f creat", "rmdir /f => ENOTDIR")),
                Arguments.of("rmdir of a directory with a subdirectory is ENOTEMPTY", p(
                        "mkdir /a", "mkdir /a/b", "rmdir /a => ENOTEMPTY", "rmdir /a/b", "rmdir /a")),
                Arguments.of("rmdir of a directory with a file is ENOTEMPTY", p(
                        "mkdir /a", "open f /a/f creat", "rmdir /a => ENOTEMPTY", "unlink /a/f", "rmdir /a")),
                Arguments.of("rmdir twice is ENOENT the second time", p("mkdir /a", "rmdir /a", "rmdir /a => ENOENT")),
                Arguments.of("a descriptor of a removed directory stays usable", p(
                        "mkdir /d", "open d /d rdonly", "rmdir /d", "fsync d", "fdatasync d",
                        "read d 0 1 => EISDIR", "close d")),
                // ---- open ----
                Arguments.of("two access modes are EINVAL", p(
                        "open f /a creat,rdonly,wronly => EINVAL", "open f /a creat,wronly,rdwr => EINVAL",
                        "open f /a creat,rdonly,rdwr => EINVAL", "open f /a rdonly => ENOENT")),
                Arguments.of("EINVAL comes before path resolution", p("open f /x/y rdonly,rdwr => EINVAL")),
                Arguments.of("open of a missing file without creat is ENOENT", p("open f /a rdwr => ENOENT")),
                Arguments.of("open creat in a missing directory is ENOENT", p("open f /a/b creat => ENOENT")),
                Arguments.of("open creat under a file is ENOTDIR", p("open g /f creat", "open f /f/x creat => ENOTDIR")),
                Arguments.of("open creat,excl of an existing file is EEXIST", p(
                        "open f /a creat", "open g /a creat,excl => EEXIST")),
                Arguments.of("excl without creat is ignored", p("open f /a creat", "open g /a excl")),
                Arguments.of("open creat of an existing file keeps its content", p(
                        "open f /a creat,wronly", "write f 0 \"abc\"", "open g /a creat", "read g 0 10 => \"abc\"")),
                Arguments.of("no access mode means read-only", p(
                        "open f /a creat", "write f 0 \"x\" => EBADF", "truncate f 1 => EINVAL",
                        "fallocate f alloc 0 1 => EBADF", "read f 0 1 => \"\"")),
                Arguments.of("a directory opened for writing is EISDIR", p(
                        "mkdir /d", "open f /d wronly => EISDIR", "open f /d rdwr => EISDIR")),
                Arguments.of("a directory with creat or trunc is EISDIR", p(
                        "mkdir /d", "open f /d creat => EISDIR", "open f /d trunc => EISDIR",
                        "open f /d rdonly,trunc => EISDIR", "open f /d creat,excl => EEXIST")),
                Arguments.of("a directory opens read-only", p("mkdir /d", "open f /d rdonly", "open g /d append")),
                Arguments.of("the root follows the directory rules", p(
                        "open f / creat => EISDIR", "open f / creat,excl => EEXIST", "open f / rdwr => EISDIR",
                        "open f / trunc => EISDIR", "open f / rdonly", "fsync f")),
                Arguments.of("trunc truncates even a read-only open", p(
                        "open f /a creat,wronly", "write f 0 \"abcdef\"", "open g /a rdonly,trunc",
                        "read g 0 10 => \"\"")),
                Arguments.of("creat,trunc of a new file is just a create", p(
                        "open f /a creat,trunc,rdwr", "read f 0 1 => \"\"")),
                // ---- close ----
                Arguments.of("close twice is EBADF", p("open f /a creat", "close f", "close f => EBADF")),
                Arguments.of("a closed name is EBADF for every call", p(
                        "open f /a creat,rdwr", "close f", "write f 0 \"x\" => EBADF", "read f 0 1 => EBADF",
                        "truncate f 0 => EBADF", "fallocate f alloc 0 1 => EBADF", "fsync f => EBADF",
                        "fdatasync f => EBADF")),
                Arguments.of("a failed open leaves the name bound as it was", p(
                        "open f /a creat,rdwr", "open f /missing rdonly => ENOENT", "write f 0 \"x\"",
                        "open g /missing rdonly => ENOENT", "close g => EBADF")),
                Arguments.of("rebinding a name leaves the old description open and its orphan alive", p(
                        "open f /a creat,rdwr", "write f 0 \"old\"", "open g /a rdonly", "unlink /a",
                        "open g /b creat,rdonly", "read f 0 3 => \"old\"", "open f /b rdwr", "close f", "close f => EBADF")),
                Arguments.of("a name can be bound again after close", p(
                        "open f /a creat", "close f", "open f /a rdwr", "write f 0 \"x\"")),
                // ---- write / read ----
                Arguments.of("write through a write-only descriptor, read through another", p(
                        "open f /a creat,wronly", "write f 0 \"hello\"", "read f 0 5 => EBADF",
                        "open g /a rdonly", "read g 0 5 => \"hello\"")),
                Arguments.of("write to a directory descriptor is EBADF", p(
                        "mkdir /d", "open d /d rdonly", "write d 0 \"x\" => EBADF")),
                Arguments.of("read of a directory descriptor is EISDIR", p(
                        "mkdir /d", "open d /d rdonly", "read d 0 1 => EISDIR")),
                Arguments.of("a write past the end leaves a zero-filled gap", p(
                        "open f /a creat,rdwr", "write f 8192 \"x\"", "read f 8190 10 => hex:000078",
                        "read f 0 2 => hex:0000")),
                Arguments.of("reads stop at the end of file", p(
                        "open f /a creat,rdwr", "write f 0 \"abcdef\"", "read f 4 100 => \"ef\"",
                        "read f 6 1 => \"\"", "read f 100 1 => \"\"", "read f 0 0 => \"\"")),
                Arguments.of("overwrites replace bytes in place", p(
                        "open f /a creat,rdwr", "write f 0 \"abcdef\"", "write f 2 \"XY\"",
                        "read f 0 6 => \"abXYef\"")),
                Arguments.of("a zero-byte write succeeds and changes nothing", p(
                        "open f /a creat,rdwr", "write f 100 \"\"", "read f 0 1 => \"\"")),
                Arguments.of("append writes at the end whatever the offset", p(
                        "open f /a creat,rdwr,append", "write f 100 \"abc\"", "write f 0 \"def\"",
                        "read f 0 10 => \"abcdef\"")),
                Arguments.of("append through one description, plain through another", p(
                        "open f /a creat,rdwr", "write f 0 \"0123456789\"", "open g /a wronly,append",
                        "write g 0 \"ab\"", "write f 0 \"X\"", "read f 0 20 => \"X123456789ab\"")),
                Arguments.of("writes go through descriptions of an unlinked file", p(
                        "open f /a creat,rdwr", "write f 0 \"hi\"", "unlink /a", "read f 0 2 => \"hi\"",
                        "write f 2 \"!\"", "read f 0 3 => \"hi!\"", "close f")),
                // ---- truncate ----
                Arguments.of("truncate through a read-only descriptor is EINVAL", p(
                        "open f /a creat,rdonly", "truncate f 10 => EINVAL")),
                Arguments.of("truncate of a directory descriptor is EINVAL", p(
                        "mkdir /d", "open d /d rdonly", "truncate d 0 => EINVAL")),
                Arguments.of("truncate down then up exposes zeros", p(
                        "open f /a creat,rdwr", "write f 0 \"abcdef\"", "truncate f 2", "read f 0 6 => \"ab\"",
                        "truncate f 6", "read f 0 6 => hex:616200000000")),
                Arguments.of("truncate through a write-only descriptor works", p(
                        "open f /a creat,wronly", "truncate f 5", "open g /a rdonly", "read g 0 9 => hex:0000000000")),
                // ---- fallocate ----
                Arguments.of("fallocate of length 0 is EINVAL", p(
                        "open f /a creat,rdwr", "fallocate f alloc 0 0 => EINVAL", "fallocate f punch 5 0 => EINVAL")),
                Arguments.of("fallocate through a read-only or directory descriptor is EBADF (after the EINVAL length check)", p(
                        "open f /a creat,rdonly", "fallocate f alloc 0 10 => EBADF", "fallocate f alloc 0 0 => EINVAL",
                        "mkdir /d", "open d /d rdonly", "fallocate d keep-size 0 10 => EBADF")),
                Arguments.of("fallocate alloc extends the size with zeros", p(
                        "open f /a creat,rdwr", "write f 0 \"ab\"", "fallocate f alloc 1 5",
                        "read f 0 10 => hex:616200000000")),
                Arguments.of("fallocate alloc keeps content and never shrinks", p(
                        "open f /a creat,rdwr", "write f 0 \"abcdef\"", "fallocate f alloc 0 2",
                        "read f 0 10 => \"abcdef\"")),
                Arguments.of("fallocate keep-size keeps the size", p(
                        "open f /a creat,rdwr", "write f 0 \"ab\"", "fallocate f keep-size 0 8K",
                        "read f 0 10 => \"ab\"")),
                Arguments.of("fallocate punch zeroes and keeps the size", p(
                        "open f /a creat,rdwr", "write f 0 \"abcdef\"", "fallocate f punch 1 2",
                        "read f 0 10 => hex:610000646566", "fallocate f punch 4 100", "read f 0 10 => hex:610000640000")),
                Arguments.of("fallocate zero zeroes and extends", p(
                        "open f /a creat,rdwr", "write f 0 \"abcdef\"", "fallocate f zero 4 4",
                        "read f 0 10 => hex:6162636400000000")),
                // ---- fsync, fdatasync, sync ----
                Arguments.of("fsync and fdatasync work on read-only and directory descriptors", p(
                        "open f /a creat,rdonly", "fsync f", "fdatasync f", "open d / rdonly", "fsync d",
                        "fdatasync d", "sync")),
                // ---- unlink ----
                Arguments.of("unlink of the root is EISDIR", p("unlink / => EISDIR")),
                Arguments.of("unlink of a missing name is ENOENT", p("unlink /a => ENOENT", "unlink /a/b => ENOENT")),
                Arguments.of("unlink of a directory is EISDIR", p("mkdir /d", "unlink /d => EISDIR")),
                Arguments.of("unlink through a file is ENOTDIR", p("open f /f creat", "unlink /f/x => ENOTDIR")),
                Arguments.of("unlink removes the name", p(
                        "open f /a creat", "unlink /a", "unlink /a => ENOENT", "open g /a rdonly => ENOENT")),
                // ---- link ----
                Arguments.of("link from a missing name is ENOENT", p("link /a /b => ENOENT", "link /x/a /b => ENOENT")),
                Arguments.of("link from under a file is ENOTDIR", p("open f /f creat", "link /f/a /b => ENOTDIR")),
                Arguments.of("link to the root is EEXIST", p("open f /a creat", "link /a / => EEXIST")),
                Arguments.of("link into a missing directory is ENOENT", p("open f /a creat", "link /a /x/b => ENOENT")),
                Arguments.of("link onto an existing name is EEXIST", p(
                        "open f /a creat", "open g /b creat", "link /a /b => EEXIST", "link /a /a => EEXIST")),
                Arguments.of("link of a directory is EPERM, after the NEW checks", p(
                        "mkdir /d", "link /d /e => EPERM", "link / /e => EPERM", "link /d /d => EEXIST",
                        "link /d /x/e => ENOENT", "link / / => EEXIST")),
                Arguments.of("OLD is resolved before NEW", p("open f /b creat", "link /a /b => ENOENT")),
                Arguments.of("a hard link shares the content", p(
                        "open f /a creat,rdwr", "link /a /b", "open g /b rdwr", "write g 0 \"shared\"",
                        "read f 0 10 => \"shared\"", "unlink /a", "read g 0 10 => \"shared\"")));
    }

    static Stream<Arguments> small() {
        return Stream.of(
                Arguments.of("a name of NAME_MAX bytes is fine", p("mkdir /abcdefgh", "open f /abcdefgh/12345678 creat")),
                Arguments.of("a final name longer than NAME_MAX is ENAMETOOLONG", p(
                        "mkdir /abcdefghi => ENAMETOOLONG", "open f /abcdefghi creat => ENAMETOOLONG",
                        "open f /abcdefghi rdonly => ENAMETOOLONG", "unlink /abcdefghi => ENAMETOOLONG",
                        "rmdir /abcdefghi => ENAMETOOLONG")),
                Arguments.of("NAME_MAX counts UTF-8 bytes", p("mkdir /ééééé => ENAMETOOLONG", "mkdir /éééé")),
                Arguments.of("a long intermediate component is ENAMETOOLONG before ENOENT", p(
                        "mkdir /abcdefghi/x => ENAMETOOLONG")),
                Arguments.of("ENOTDIR comes before ENAMETOOLONG on the same component", p(
                        "open f /f creat", "mkdir /f/abcdefghi => ENOTDIR")),
                Arguments.of("ENAMETOOLONG in link", p(
                        "open f /a creat", "link /a /abcdefghi => ENAMETOOLONG", "link /abcdefghi /b => ENAMETOOLONG")),
                Arguments.of("mkdir in a directory with linkMax links is EMLINK", p(
                        "mkdir /a", "mkdir /b", "mkdir /c => EMLINK", "open f /f creat", "rmdir /b", "mkdir /c")),
                Arguments.of("mkdir of an existing name is EEXIST even at the link limit", p(
                        "mkdir /a", "mkdir /b", "mkdir /a => EEXIST")),
                Arguments.of("link of a file with linkMax links is EMLINK", p(
                        "open f /a creat", "link /a /b", "link /a /c", "link /a /d", "link /a /e => EMLINK",
                        "unlink /d", "link /b /e")),
                Arguments.of("EINVAL is checked before EMFILE", p(
                        "open a /a creat", "open b /b creat", "open c /c creat",
                        "open d /d creat,rdonly,wronly => EINVAL", "open d /d creat => EMFILE")),
                Arguments.of("EMFILE is checked before path resolution", p(
                        "open a /a creat", "open b /a rdonly", "open c /a rdonly", "open d /missing/x rdonly => EMFILE",
                        "open d / creat => EMFILE")),
                Arguments.of("unreachable descriptions count toward the limit", p(
                        "open a /a creat", "open a /a rdonly", "open a /a rdonly", "open b /a rdonly => EMFILE",
                        "close a", "open b /a rdonly", "open c /a rdonly => EMFILE", "close a => EBADF", "close b",
                        "open c /a rdonly")),
                Arguments.of("directory descriptions count toward the limit", p(
                        "open a / rdonly", "open b / rdonly", "open c / rdonly", "open d / rdonly => EMFILE")),
                Arguments.of("a write starting at the size limit is EFBIG; one crossing it is cut short there", p(
                        "open f /a creat,rdwr", "write f 65536 \"x\" => EFBIG", "read f 0 1 => \"\"",
                        "write f 65535 \"ab\" => ok", "read f 65534 4 => hex:0061", "write f 65534 \"cd\"",
                        "read f 65534 2 => \"cd\"", "write f 70000 \"\"")),
                Arguments.of("read and write whose offset plus length overflows loff_t are EINVAL", p(
                        "open f /a creat,rdwr", "write f 9223372036854775807 \"x\" => EINVAL",
                        "write f 9223372036854775800 fill:0x41*16 => EINVAL", "write f 9223372036854775807 \"\" => ok",
                        "write f 9223372036854775800 \"x\" => EFBIG", "read f 9223372036854775807 1 => EINVAL",
                        "read f 1 9223372036854775807 => EINVAL", "read f 0 9223372036854775807 => \"\"",
                        "read f 9223372036854775807 0 => \"\"", "open r /a rdonly",
                        "write r 9223372036854775807 \"x\" => EBADF")),
                Arguments.of("an append checks the offset given for overflow, then the size for the limit", p(
                        "open f /a creat,rdwr,append", "write f 9223372036854775807 \"x\" => EINVAL",
                        "write f 9223372036854775806 \"x\" => ok", "read f 0 2 => \"x\"")),
                Arguments.of("an append past the size limit is EFBIG", p(
                        "open f /a creat,rdwr,append", "open g /a rdwr", "truncate g 64K",
                        "write f 0 \"x\" => EFBIG", "write g 0 \"y\"")),
                Arguments.of("truncate beyond the size limit is EFBIG", p(
                        "open f /a creat,rdwr", "truncate f 65537 => EFBIG", "truncate f 64K")),
                Arguments.of("fallocate beyond the size limit is EFBIG", p(
                        "open f /a creat,rdwr", "fallocate f alloc 64K 1 => EFBIG",
                        "fallocate f punch 65535 2 => EFBIG", "fallocate f keep-size 0 64K",
                        "fallocate f zero 9223372036854775807 1 => EFBIG", "fallocate f alloc 1 9223372036854775807 => EFBIG",
                        "fallocate f punch 9223372036854775807 9223372036854775807 => EFBIG",
                        "truncate f 9223372036854775807 => EFBIG")));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("roomy")
    void callGivesLinuxResult(String name, String program) {
        ModelRun.of(program);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("small")
    void callGivesLinuxResultAtTheLimits(String name, String program) {
        ModelRun.of(SMALL, program);
    }

    @Test
    void closeOfANeverBoundNameIsEbadf() {
        PosixModel m = new PosixModel(ModelRun.ROOMY);
        CallResult ebadf = CallResult.failed(Errno.EBADF);
        assertEquals(new PosixModel.Verdict(ebadf, true), SyscallDispatch.statement(0, new Op.Close("nobody"), m).judge(ebadf));
        assertEquals(new PosixModel.Verdict(ebadf, true), SyscallDispatch.statement(1, new Op.Fsync("nobody"), m).judge(ebadf));
    }
}
