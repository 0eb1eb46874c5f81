package dev.daxfuzz.program;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.daxfuzz.pm.Persistency;
import dev.daxfuzz.posix.Errno;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.EnumSet;
import java.util.HexFormat;
import java.util.List;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Goal: every form of spec §1–§3 (and the {@code load} extension) parses to the AST it means.
 * Method: one statement at a time after a prefix that makes it valid (the right {@code fs}, the
 * names it uses bound), comparing the last step with a hand-built one; then the lexical rules
 * (comments, blanks, CRLF, literals) and the file entry point.
 */
class ProgramParserTest {
    /** Binds fd f and map m on a file system. */
    private static final String FS_PREFIX = "open f /f creat,rdwr\nmmap m f 0 8K shared\n";

    static Program parse(String text) throws DxpSyntaxError {
        return ProgramParser.parse("t.dxp", text);
    }

    private static Step lastStep(String line, Op.Domain domain) throws DxpSyntaxError {
        String prefix = domain == Op.Domain.RAW_DEVICE ? "fs none\n" : FS_PREFIX;
        List<Step> steps = parse(prefix + line + "\n").steps();
        return steps.get(steps.size() - 1);
    }

    private static Bytes hex(String hex) {
        return Bytes.of(HexFormat.of().parseHex(hex));
    }

    static Stream<Arguments> operations() {
        FsPath a = new FsPath(List.of("a"));
        FsPath ab = new FsPath(List.of("a", "b"));
        return Stream.of(
                // §3.1 processor instructions.
                Arguments.of("store 0x1000 \"durable\"", new Op.Store(0x1000, Data.Text.of("durable"))),
                Arguments.of("store 4096 hex:00ff1A", new Op.Store(4096, new Data.Hex(hex("00ff1a")))),
                Arguments.of("store 0 fill:0xab*4096", new Op.Store(0, new Data.Fill(0xab, 4096))),
                Arguments.of("store 0 fill:7*4K", new Op.Store(0, new Data.Fill(7, 4096))),
                Arguments.of("store 8 u8:255", new Op.Store(8, new Data.UInt(1, 255))),
                Arguments.of("store 8 u16:0xbeef", new Op.Store(8, new Data.UInt(2, 0xbeef))),
                Arguments.of("store 8 u32:4K", new Op.Store(8, new Data.UInt(4, 4096))),
                Arguments.of("store 8 u64:0xffffffffffffffff", new Op.Store(8, new Data.UInt(8, -1L))),
                Arguments.of("store 8 u64:18446744073709551615", new Op.Store(8, new Data.UInt(8, -1L))),
                Arguments.of("ntstore 64 u64:1", new Op.NtStore(64, new Data.UInt(8, 1))),
                Arguments.of("clflush 0x40", new Op.Flush(Op.FlushKind.CLFLUSH, 0x40)),
                Arguments.of("clflushopt 64", new Op.Flush(Op.FlushKind.CLFLUSHOPT, 64)),
                Arguments.of("clwb 1K", new Op.Flush(Op.FlushKind.CLWB, 1024)),
                Arguments.of("sfence", new Op.Fence(Op.FenceKind.SFENCE)),
                Arguments.of("mfence", new Op.Fence(Op.FenceKind.MFENCE)),
                Arguments.of("crash", new Op.Crash()),
                Arguments.of("crash choose hex:00ff", new Op.Crash(Optional.of(new Data.Hex(Bytes.of(new byte[] {0, -1}))))),
                Arguments.of("load 0xff8 8", new Op.Load(0xff8, 8)),
                // §3.2 file-system calls.
                Arguments.of("mkdir /a", new Op.Mkdir(a)),
                Arguments.of("rmdir /a/b", new Op.Rmdir(ab)),
                Arguments.of("open g /a/b creat,excl,trunc,rdonly,wronly,rdwr,append,dsync",
                        new Op.Open("g", ab, EnumSet.allOf(Op.OpenFlag.class))),
                Arguments.of("open f / rdonly", new Op.Open("f", FsPath.root(), EnumSet.of(Op.OpenFlag.RDONLY))),
                Arguments.of("close f", new Op.Close("f")),
                Arguments.of("write f 0 \"x\"", new Op.Write("f", 0, Data.Text.of("x"))),
                Arguments.of("write f 4K hex:", new Op.Write("f", 4096, new Data.Hex(Bytes.empty()))),
                Arguments.of("read f 4K 16", new Op.Read("f", 4096, 16)),
                Arguments.of("truncate f 8K", new Op.Truncate("f", 8192)),
                Arguments.of("fallocate f alloc 0 4K", new Op.Fallocate("f", Op.FallocMode.ALLOC, 0, 4096)),
                Arguments.of("fallocate f keep-size 4K 1M",
                        new Op.Fallocate("f", Op.FallocMode.KEEP_SIZE, 4096, 1 << 20)),
                Arguments.of("fallocate f punch 0 4096", new Op.Fallocate("f", Op.FallocMode.PUNCH, 0, 4096)),
                Arguments.of("fallocate f zero 1 2", new Op.Fallocate("f", Op.FallocMode.ZERO, 1, 2)),
                Arguments.of("fsync f", new Op.Fsync("f")),
                Arguments.of("fdatasync f", new Op.Fdatasync("f")),
                Arguments.of("sync", new Op.Sync()),
                Arguments.of("unlink /a", new Op.Unlink(a)),
                Arguments.of("link /a /a/b", new Op.Link(a, ab)),
                Arguments.of("rename /a/b /a", new Op.Rename(ab, a)),
                Arguments.of("mmap n f 0 8K shared-validate,sync",
                        new Op.Mmap("n", "f", 0, 8192, EnumSet.of(Op.MapFlag.SHARED_VALIDATE, Op.MapFlag.SYNC))),
                Arguments.of("mmap n f 4K 4K ro,private,shared",
                        new Op.Mmap("n", "f", 4096, 4096, EnumSet.of(Op.MapFlag.RO, Op.MapFlag.PRIVATE,
                                Op.MapFlag.SHARED))),
                Arguments.of("munmap m", new Op.Munmap("m")),
                Arguments.of("msync m 0 4K", new Op.Msync("m", 0, 4096)),
                Arguments.of("mstore m 4096 \"durable\"", new Op.MStore("m", 4096, Data.Text.of("durable"))),
                Arguments.of("mntstore m 0 u32:7", new Op.MNtStore("m", 0, new Data.UInt(4, 7))),
                Arguments.of("mclwb m 0", new Op.MFlush(Op.FlushKind.CLWB, "m", 0)),
                Arguments.of("mclflushopt m 64", new Op.MFlush(Op.FlushKind.CLFLUSHOPT, "m", 64)),
                Arguments.of("mclflush m 0x80", new Op.MFlush(Op.FlushKind.CLFLUSH, "m", 128)),
                Arguments.of("mload m 0 7", new Op.MLoad("m", 0, 7)),
                Arguments.of("persist m 4096 7", new Op.Persist("m", 4096, 7)),
                Arguments.of("daxctl /a static", new Op.Daxctl(a, Op.DaxctlAction.STATIC, OptionalLong.empty())),
                Arguments.of("daxctl /a static 2M", new Op.Daxctl(a, Op.DaxctlAction.STATIC, OptionalLong.of(1 << 21))),
                Arguments.of("daxctl /a clear", new Op.Daxctl(a, Op.DaxctlAction.CLEAR, OptionalLong.empty())),
                Arguments.of("daxctl /a get", new Op.Daxctl(a, Op.DaxctlAction.GET, OptionalLong.empty())),
                Arguments.of("cred drop CAP_LINUX_IMMUTABLE", new Op.Cred(Op.CredAction.DROP, "CAP_LINUX_IMMUTABLE")),
                Arguments.of("cred grant CAP_SYS_ADMIN", new Op.Cred(Op.CredAction.GRANT, "CAP_SYS_ADMIN")),
                Arguments.of("sfence # a comment", new Op.Fence(Op.FenceKind.SFENCE)));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("operations")
    void operationParsesToItsRecord(String line, Op expected) throws DxpSyntaxError {
        Step step = lastStep(line, expected.domain());
        assertEquals(expected, step.op());
        assertEquals(Optional.empty(), step.expectation());
        assertEquals(line.split(" ")[0], step.op().keyword());
    }

    static Stream<Arguments> expectations() {
        return Stream.of(
                Arguments.of("sync => ok", new Expectation.Ok()),
                Arguments.of("open g /a rdonly => ENOENT", new Expectation.Failure(Errno.ENOENT)),
                Arguments.of("cred drop CAP_LINUX_IMMUTABLE => EPERM", new Expectation.Failure(Errno.EPERM)),
                Arguments.of("truncate f 0 => E2BIG", new Expectation.Failure(Errno.E2BIG)),
                Arguments.of("daxctl /f get => static", new Expectation.Word(Expectation.ResultWord.STATIC)),
                Arguments.of("daxctl /f get => dynamic", new Expectation.Word(Expectation.ResultWord.DYNAMIC)),
                Arguments.of("mstore m 0 u8:1 => SIGBUS", new Expectation.Word(Expectation.ResultWord.SIGBUS)),
                Arguments.of("persist m 0 64 => SIGBUS", new Expectation.Word(Expectation.ResultWord.SIGBUS)),
                Arguments.of("read f 0 7 => \"durable\"", new Expectation.Returns(Data.Text.of("durable"))),
                Arguments.of("mload m 0 2 => hex:beef", new Expectation.Returns(new Data.Hex(hex("beef")))),
                Arguments.of("mload m 0 4 => u32:0xdeadbeef", new Expectation.Returns(new Data.UInt(4, 0xdeadbeefL))),
                Arguments.of("read f 0 4K => fill:0*4K", new Expectation.Returns(new Data.Fill(0, 4096))),
                Arguments.of("read f 0 0 => \"\"", new Expectation.Returns(Data.Text.of(""))),
                Arguments.of("sync\t=>\tok\t# tabs", new Expectation.Ok()));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("expectations")
    void expectationParsesToItsRecord(String line, Expectation expected) throws DxpSyntaxError {
        assertEquals(Optional.of(expected), lastStep(line, Op.Domain.FILE_SYSTEM).expectation());
    }

    @ParameterizedTest
    @CsvSource({"sfence", "mfence", "crash"})
    void fencesAndCrashGoWithEitherKindOfFs(String line) throws DxpSyntaxError {
        assertEquals(lastStep(line, Op.Domain.RAW_DEVICE).op(), lastStep(line, Op.Domain.FILE_SYSTEM).op());
        assertEquals(Op.Domain.ANY, lastStep(line, Op.Domain.RAW_DEVICE).op().domain());
    }

    @Test
    void loadTakesADataExpectationOnTheRawDevice() throws DxpSyntaxError {
        Step step = lastStep("load 0 8 => u64:0x0102030405060708", Op.Domain.RAW_DEVICE);
        assertEquals(new Op.Load(0, 8), step.op());
        assertEquals(Optional.of(new Expectation.Returns(new Data.UInt(8, 0x0102030405060708L))), step.expectation());
    }

    @Test
    void emptyTextIsTheDefaultProgram() throws DxpSyntaxError {
        Program empty = new Program(Header.defaults(), List.of());
        assertEquals(empty, parse(""));
        assertEquals(empty, parse("\n\n  \t \n# only a comment\n   # indented comment\r\n"));
    }

    @Test
    void headerLinesSetTheirFields() throws DxpSyntaxError {
        Program p = parse("device 2M\npersistency eadr\nfs none\nsync-fault drop-lock-retry\ndaxfile rfc-v1\n"
                + "journal-commit async\nbug pte-before-commit\nbug daxfile-no-cap-check\n");
        Header expected = new Header(2 << 20, Persistency.EADR, "none", Header.SyncFault.DROP_LOCK_RETRY,
                Header.DaxfileDesign.RFC_V1, Header.JournalCommit.ASYNC, List.of("pte-before-commit", "daxfile-no-cap-check"));
        assertEquals(expected, p.header());
        assertTrue(p.steps().isEmpty());
    }

    @Test
    void headerLinesSpellingOutTheDefaultsChangeNothing() throws DxpSyntaxError {
        assertEquals(Header.defaults(), parse("persistency adr\ndaxfile sealed\nfs journal\ndevice 0x100000\n"
                + "sync-fault fsync-before-pte\n").header());
    }

    @ParameterizedTest
    @CsvSource({"fs journal, journal", "fs none, none"})
    void fsNamesADesignThisVersionRuns(String line, String fs) throws DxpSyntaxError {
        assertEquals(fs, parse(line + "\n").header().fs());
    }

    @Test
    void everyCatalogBugParses() throws DxpSyntaxError {
        StringBuilder text = new StringBuilder();
        for (String bug : BugNames.ALL) {
            text.append("bug ").append(bug).append('\n');
        }
        assertEquals(BugNames.ALL, parse(text.toString()).header().bugs());
    }

    @ParameterizedTest
    @CsvSource({"0, 0", "4096, 4096", "0x1000, 4096", "0X1F, 31", "0xAbC, 2748", "4K, 4096", "1M, 1048576",
        "0x10K, 16384", "007, 7", "0x0, 0", "9223372036854775807, 9223372036854775807",
        "0x7fffffffffffffff, 9223372036854775807", "8796093022207M, 9223372036853727232"})
    void integersAreDecimalOrHexWithBinarySuffixes(String text, long value) throws DxpSyntaxError {
        assertEquals(new Op.Truncate("f", value), lastStep("truncate f " + text, Op.Domain.FILE_SYSTEM).op());
    }

    static Stream<Arguments> texts() {
        return Stream.of(
                Arguments.of("\"\"", ""),
                Arguments.of("\"a b\\tc\\n\"", "6120620963 0a"),
                Arguments.of("\"\\\\ \\\"\"", "5c2022"),
                Arguments.of("\"\\x00\\xff\\xAb\"", "00ffab"),
                Arguments.of("\"# not a comment\"", "23206e6f74206120636f6d6d656e74"),
                Arguments.of("\"=> ok\"", "3d3e206f6b"),
                Arguments.of("\"é日😀\"", "c3a9e697a5f09f9880"),
                Arguments.of("\"\t\"", "09"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("texts")
    void textLiteralsResolveEscapesToBytes(String literal, String hexBytes) throws DxpSyntaxError {
        Op op = lastStep("write f 0 " + literal, Op.Domain.FILE_SYSTEM).op();
        assertEquals(new Op.Write("f", 0, new Data.Text(hex(hexBytes.replace(" ", "")))), op);
    }

    @Test
    void hashInsideAStringIsDataAndAfterItAComment() throws DxpSyntaxError {
        Op op = lastStep("write f 0 \"a#b\" # \"c", Op.Domain.FILE_SYSTEM).op();
        assertEquals(new Op.Write("f", 0, Data.Text.of("a#b")), op);
        Op glued = lastStep("write f 0 \"a#b\"#c", Op.Domain.FILE_SYSTEM).op();
        assertEquals(op, glued);
    }

    @Test
    void aCommentMayHoldQuotesAndArrows() throws DxpSyntaxError {
        Program p = parse("# \"unbalanced\n# \" => EPERM\nsync # it's \"fine => ok\n");
        assertEquals(List.of(new Step(new Op.Sync(), Optional.empty(), new SourcePos(3, 1))), p.steps());
    }

    @Test
    void aCommentGluedToAWordEndsTheWord() throws DxpSyntaxError {
        assertEquals(new Op.Truncate("f", 8), lastStep("truncate f 8#bytes", Op.Domain.FILE_SYSTEM).op());
        assertEquals(Optional.of(new Expectation.Ok()), lastStep("sync => ok#done", Op.Domain.FILE_SYSTEM)
                .expectation());
    }

    @Test
    void blanksTabsAndCrlfAreSeparators() throws DxpSyntaxError {
        Program p = parse("\tfs none\r\n\r\n  store\t\t0x10   u8:1 \t=>  ok  \r\nsfence\r\n");
        assertEquals(Header.FS_NONE, p.header().fs());
        assertEquals(List.of(new Step(new Op.Store(16, new Data.UInt(1, 1)), Optional.of(new Expectation.Ok()),
                new SourcePos(3, 3)), new Step(new Op.Fence(Op.FenceKind.SFENCE), Optional.empty(),
                new SourcePos(4, 1))), p.steps());
    }

    @Test
    void stepsRememberTheirLineAndColumn() throws DxpSyntaxError {
        Program p = parse("# header\nfs none\n\n\t  crash\nsfence\n");
        assertEquals(new SourcePos(4, 4), p.steps().get(0).pos());
        assertEquals(new SourcePos(5, 1), p.steps().get(1).pos());
    }

    @Test
    void pathsKeepUnicodeAndSyntaxLookingCharacters() throws DxpSyntaxError {
        String longest = "x".repeat(FsPath.COMPONENT_BYTES_MAX);
        String eightDeep = "/1/2/3/4/5/6/7/" + longest;
        assertEquals(new Op.Mkdir(new FsPath(List.of("1", "2", "3", "4", "5", "6", "7", longest))),
                lastStep("mkdir " + eightDeep, Op.Domain.FILE_SYSTEM).op());
        assertEquals(new Op.Unlink(new FsPath(List.of("日本語", "a.b", "...", "=>", "x,y\\z"))),
                lastStep("unlink /日本語/a.b/.../=>/x,y\\z", Op.Domain.FILE_SYSTEM).op());
    }

    @Test
    void rebindingAndUseAfterCloseAreLeftToTheRun() throws DxpSyntaxError {
        Program p = parse("open f /a creat\nclose f\nwrite f 0 \"x\" => EBADF\nopen f /b creat\n"
                + "mmap m f 0 4K shared\nmunmap m\nmload m 0 1 => SIGBUS\nmmap m f 0 4K private\n");
        assertEquals(8, p.steps().size());
    }

    @Test
    void specSection6ExampleParsesVerbatim() throws DxpSyntaxError {
        String text = """
                # MAP_SYNC: data flushed through a synchronous mapping must survive power failure
                fs journal
                sync-fault fsync-before-pte
                open f /a creat,rdwr
                truncate f 8K
                mmap m f 0 8K shared-validate,sync
                mstore m 4096 "durable"
                persist m 4096 7
                crash
                """;
        Program p = parse(text);
        assertEquals(Header.defaults(), p.header());
        List<Op> ops = p.steps().stream().map(Step::op).toList();
        assertEquals(List.of(
                new Op.Open("f", new FsPath(List.of("a")), EnumSet.of(Op.OpenFlag.CREAT, Op.OpenFlag.RDWR)),
                new Op.Truncate("f", 8192),
                new Op.Mmap("m", "f", 0, 8192, EnumSet.of(Op.MapFlag.SHARED_VALIDATE, Op.MapFlag.SYNC)),
                new Op.MStore("m", 4096, Data.Text.of("durable")),
                new Op.Persist("m", 4096, 7),
                new Op.Crash()), ops);
        assertEquals(new SourcePos(4, 1), p.steps().get(0).pos());

        Program buggy = parse(text.replace("sync-fault fsync-before-pte\n",
                "sync-fault fsync-before-pte\nbug pte-before-commit\n"));
        assertEquals(List.of("pte-before-commit"), buggy.header().bugs());
        assertEquals(p.steps(), buggy.steps());
    }

    // ---- files -------------------------------------------------------------------------------------

    @Test
    void fileWithBomAndCrlfParses(@TempDir Path dir) throws Exception {
        Path file = dir.resolve("prog.dxp");
        Files.write(file, "\uFEFFfs none\r\nstore 0 \"é\"\r\n".getBytes(StandardCharsets.UTF_8));
        Program p = ProgramParser.parse(file);
        assertEquals(new Op.Store(0, Data.Text.of("é")), p.steps().get(0).op());
        assertEquals(new SourcePos(2, 1), p.steps().get(0).pos());
    }

    static Stream<Arguments> invalidUtf8() {
        return Stream.of(
                Arguments.of("sync\nmkdir /a\u00ff", "2:9: expected UTF-8 text, found byte 0xff, which cannot start a"
                        + " UTF-8 character"),
                Arguments.of("mkdir /\u00c3\u00a9\u0080", "1:9: expected UTF-8 text, found byte 0x80, which cannot start a UTF-8"
                        + " character"),
                Arguments.of("mkdir /\u00c3(", "1:8: expected UTF-8 text, found the invalid UTF-8 sequence 0xc3 0x28"),
                Arguments.of("#\u00c0\u0080", "1:2: expected UTF-8 text, found byte 0xc0, which cannot start a UTF-8"
                        + " character"),
                Arguments.of("# \u00e0\u0080\u0080", "1:3: expected UTF-8 text, found the invalid UTF-8 sequence 0xe0 0x80"),
                Arguments.of("\n\n# \u00ed\u00a0\u0080", "3:3: expected UTF-8 text, found the invalid UTF-8 sequence"
                        + " 0xed 0xa0"),
                Arguments.of("# \u00f4\u0090\u0080\u0080", "1:3: expected UTF-8 text, found the invalid UTF-8 sequence"
                        + " 0xf4 0x90"),
                Arguments.of("sync # \u00e2\u0082", "1:8: expected UTF-8 text, found a truncated UTF-8 sequence 0xe2"
                        + " 0x82 at the end of the file"),
                Arguments.of("\u00ef\u00bb\u00bfsync \u00ff", "1:6: expected UTF-8 text, found byte 0xff, which cannot"
                        + " start a UTF-8 character"));
    }

    /** Each char of {@code latin1} is one byte of the file, so tests can write any byte sequence. */
    @ParameterizedTest(name = "{1}")
    @MethodSource("invalidUtf8")
    void invalidUtf8IsAnErrorAtTheFirstBadByte(String latin1, String expected, @TempDir Path dir) throws IOException {
        Path file = dir.resolve("bad.dxp");
        Files.write(file, latin1.getBytes(StandardCharsets.ISO_8859_1));
        DxpSyntaxError e = assertThrows(DxpSyntaxError.class, () -> ProgramParser.parse(file));
        assertEquals(file + ":" + expected, e.getMessage());
        assertEquals(file.toString(), e.source());
    }

    @Test
    void fourByteCharactersCountAsOneColumn(@TempDir Path dir) throws IOException {
        Path file = dir.resolve("emoji.dxp");
        Files.write(file, "mkdir /😀 x".getBytes(StandardCharsets.UTF_8));
        DxpSyntaxError e = assertThrows(DxpSyntaxError.class, () -> ProgramParser.parse(file));
        assertEquals(new SourcePos(1, 10), e.pos());
    }

    @Test
    void missingFileIsAnIoException(@TempDir Path dir) {
        assertThrows(NoSuchFileException.class, () -> ProgramParser.parse(dir.resolve("absent.dxp")));
    }

    @Test
    void syntaxErrorSplitsItsParts() {
        DxpSyntaxError e = assertThrows(DxpSyntaxError.class, () -> ProgramParser.parse("prog.dxp",
                "open f /a creat\nwrite f 0 \"x\"\ntruncate f   zz\n"));
        assertEquals("prog.dxp:3:14: expected an integer (decimal, 0x hex, optional K or M suffix), found 'zz'",
                e.getMessage());
        assertEquals("prog.dxp", e.source());
        assertEquals(new SourcePos(3, 14), e.pos());
        assertEquals("expected an integer (decimal, 0x hex, optional K or M suffix), found 'zz'", e.detail());
    }
}
