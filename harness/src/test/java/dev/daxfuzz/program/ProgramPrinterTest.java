package dev.daxfuzz.program;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.daxfuzz.posix.Errno;
import java.util.List;
import java.util.Optional;
import java.util.SplittableRandom;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Goal: the printer's canonical form is what its Javadoc promises, and printing then parsing
 * gives back the same program. Method: exact expected text for chosen programs; the round-trip
 * property on hand-written programs, on 2400 seeded random programs, on random respellings of
 * them, and on 1200 random corruptions (which must parse or fail with a {@link DxpSyntaxError},
 * never with another exception).
 */
class ProgramPrinterTest {
    private static final int RANDOM_PROGRAMS = 2400;
    private static final int CORRUPTED_PROGRAMS = 1200;

    private static Program parse(String text) throws DxpSyntaxError {
        return ProgramParser.parse("t.dxp", text);
    }

    private static void assertRoundTrip(Program p) throws DxpSyntaxError {
        String printed = ProgramPrinter.print(p);
        Program reparsed = parse(printed);
        assertEquals(p, reparsed, printed);
        assertEquals(printed, ProgramPrinter.print(reparsed));
    }

    static Stream<Arguments> canonicalForms() {
        return Stream.of(
                Arguments.of("fs none\nstore 4096 \"a\"\n", "fs none\nstore 0x1000 \"a\"\n"),
                Arguments.of("fs none\nstore 0X1F u8:0\n", "fs none\nstore 0x1f u8:0x0\n"),
                Arguments.of("fs none\nntstore 0 u64:18446744073709551615\n",
                        "fs none\nntstore 0x0 u64:0xffffffffffffffff\n"),
                Arguments.of("fs none\nclflushopt 64 => ok\n", "fs none\nclflushopt 0x40 => ok\n"),
                Arguments.of("fs none\nload 0x10 16 => hex:00FF\n", "fs none\nload 0x10 16 => hex:00ff\n"),
                Arguments.of("fs none\nstore 0 fill:171*4096\n", "fs none\nstore 0x0 fill:0xab*4K\n"),
                Arguments.of("fs none\nstore 0 fill:0*1000\n", "fs none\nstore 0x0 fill:0x00*1000\n"),
                Arguments.of("fs none\nstore 0 \"q\\\"b\\\\s\\tt\\nn\\x7f\\x00é#\"\n",
                        "fs none\nstore 0x0 \"q\\\"b\\\\s\\tt\\nn\\x7f\\x00\\xc3\\xa9#\"\n"),
                Arguments.of("open f /a rdwr,creat\ntruncate f 8192\nmmap m f 4096 2M sync,shared-validate\n"
                        + "mstore m 4096 \"durable\"\npersist m 4096 7\ncrash\n",
                        "open f /a creat,rdwr\ntruncate f 8K\nmmap m f 0x1000 2M shared-validate,sync\n"
                        + "mstore m 0x1000 \"durable\"\npersist m 0x1000 7\ncrash\n"),
                Arguments.of("open f /a dsync,append,rdwr,wronly,rdonly,trunc,excl,creat\n",
                        "open f /a creat,excl,trunc,rdonly,wronly,rdwr,append,dsync\n"),
                Arguments.of("open f /a creat\nread f 1 1025 => \"x\"\nfallocate f punch 1K 1536\n",
                        "open f /a creat\nread f 0x1 1025 => \"x\"\nfallocate f punch 0x400 1536\n"),
                Arguments.of("daxctl /a static 0x200000 => EPERM\ndaxctl /a get => dynamic\ncred drop CAP_X => ok\n",
                        "daxctl /a static 2M => EPERM\ndaxctl /a get => dynamic\ncred drop CAP_X => ok\n"),
                Arguments.of("bug pte-before-commit\ndaxfile rfc-v1\nsync-fault drop-lock-retry\nfs journal\n"
                        + "persistency eadr\ndevice 0x200000\nbug fault-maps-unwritten\n",
                        "device 2M\npersistency eadr\nsync-fault drop-lock-retry\ndaxfile rfc-v1\n"
                        + "bug pte-before-commit\nbug fault-maps-unwritten\n"),
                Arguments.of("device 1M\nfs journal\npersistency adr\n# nothing else\n", ""),
                Arguments.of("fs none\ndevice 12K\n", "device 12K\nfs none\n"),
                Arguments.of("device 3M\n", "device 3M\n"),
                Arguments.of("device 0x14000\n", "device 80K\n"),
                Arguments.of("open f /a creat\npoison /a 4096 8192 => ok\npoison /b 0x7fffffffffffffff"
                        + " 9223372036854775807 => ENOENT\n", "open f /a creat\npoison /a 0x1000 8K => ok\n"
                        + "poison /b 0x7fffffffffffffff 9223372036854775807 => ENOENT\n"),
                Arguments.of("fs none\npoison 64 64\nload 64 1 => SIGBUS\n",
                        "fs none\npoison 0x40 64\nload 0x40 1 => SIGBUS\n"));
    }

    @ParameterizedTest(name = "[{index}] {0}")
    @MethodSource("canonicalForms")
    void printsCanonicalText(String source, String canonical) throws DxpSyntaxError {
        Program p = parse(source);
        assertEquals(canonical, ProgramPrinter.print(p));
        assertRoundTrip(p);
    }

    @Test
    void printsOneStepWithoutALineEnd() {
        Step step = new Step(new Op.MLoad("m", 0x40, 8),
                Optional.of(new Expectation.Returns(new Data.UInt(8, 0x1122334455667788L))), new SourcePos(9, 1));
        assertEquals("mload m 0x40 8 => u64:0x1122334455667788", ProgramPrinter.print(step));
        Step failure = new Step(new Op.Rename(FsPath.root(), new FsPath(List.of("b"))),
                Optional.of(new Expectation.Failure(Errno.EBUSY)), new SourcePos(1, 1));
        assertEquals("rename / /b => EBUSY", ProgramPrinter.print(failure));
        assertEquals("sfence", ProgramPrinter.print(new Step(new Op.Fence(Op.FenceKind.SFENCE), Optional.empty(),
                new SourcePos(1, 1))));
    }

    @Test
    void textEscapesEveryByteThatIsNotPrintableAscii() {
        byte[] all = new byte[256];
        for (int i = 0; i < all.length; i++) {
            all[i] = (byte) i;
        }
        String printed = ProgramPrinter.print(new Data.Text(Bytes.of(all)));
        assertTrue(printed.startsWith("\"\\x00\\x01"), printed);
        assertTrue(printed.contains("\\x08\\t\\n\\x0b"), printed);
        assertTrue(printed.contains(" !\\\"#$%"), printed);
        assertTrue(printed.contains("Z[\\\\]^"), printed);
        assertTrue(printed.contains("}~\\x7f\\x80\\x81"), printed);
        assertTrue(printed.endsWith("\\xff\""), printed);
        assertTrue(printed.chars().allMatch(c -> c >= 0x20 && c < 0x7f), "only printable ASCII");
    }

    @ParameterizedTest
    @ValueSource(strings = {
        "",
        "fs none\ndevice 4K\nstore 0 \"\\xff\"\nntstore 0xff8 u64:0x8000000000000000\nclwb 0xfff\nsfence\ncrash\n"
            + "load 0 4K => fill:0x00*4K\n",
        "persistency eadr\nfs none\nstore 0 fill:0xff*1M\nmfence\nload 0xfffff 1 => \"\\xff\"\n",
        "mkdir /a\nopen f /a/b creat,excl\nwrite f 0x7fffffffffffffff hex:\nfsync f\nfdatasync f\nclose f\nsync\n"
            + "link /a/b /c\nrename /c /a/d\nunlink /a/b\nrmdir /a => ENOTEMPTY\n",
        "open f /x creat,rdwr\nfallocate f alloc 0 16K\nfallocate f keep-size 16K 4K\nfallocate f zero 0 1\n"
            + "mmap m f 0 16K shared-validate,sync\nmntstore m 8 u16:0xffff\nmclflush m 0\nmclflushopt m 64\n"
            + "mclwb m 128\nmsync m 0 16K\nmload m 8 2 => u16:0xffff\nmunmap m\nmload m 0 1 => SIGBUS\n",
        "daxfile rfc-v1\nbug daxfile-no-cap-check\nopen f /i creat\ndaxctl /i static\ndaxctl /i get => static\n"
            + "cred drop CAP_LINUX_IMMUTABLE\ndaxctl /i clear => EPERM\ncred grant CAP_LINUX_IMMUTABLE\n",
        "open f /日本/é creat\nwrite f 0 \"日本 # => \\\"ok\\\"\"\nread f 0 1024M => fill:0x00*1024M\n",
        "fs none\nstore 0 u8:0\nstore 1 u16:0\nstore 3 u32:0\nstore 7 u64:0\nload 0 15 => hex:000000000000000000000000000000\n",
    })
    void handWrittenProgramsRoundTrip(String text) throws DxpSyntaxError {
        assertRoundTrip(parse(text));
    }

    @Test
    void randomProgramsRoundTrip() throws DxpSyntaxError {
        for (long seed = 0; seed < RANDOM_PROGRAMS; seed++) {
            Program p = RandomPrograms.program(new SplittableRandom(seed));
            try {
                assertRoundTrip(p);
            } catch (DxpSyntaxError | AssertionError e) {
                throw new AssertionError("seed " + seed + ":\n" + ProgramPrinter.print(p), e);
            }
        }
    }

    @Test
    void randomRespellingsParseToTheSameProgram() throws DxpSyntaxError {
        for (long seed = 0; seed < RANDOM_PROGRAMS; seed++) {
            SplittableRandom r = new SplittableRandom(seed);
            Program p = RandomPrograms.program(r);
            String text = RandomPrograms.noisy(r, p);
            try {
                assertEquals(p, parse(text));
            } catch (DxpSyntaxError | AssertionError e) {
                throw new AssertionError("seed " + seed + ":\n" + text, e);
            }
        }
    }

    @Test
    void corruptedProgramsParseOrFailCleanly() {
        String noise = "\"#\\ \t\n,x0:/=>*Kf-.\u00e9";
        int rejected = 0;
        for (long seed = 0; seed < CORRUPTED_PROGRAMS; seed++) {
            SplittableRandom r = new SplittableRandom(seed);
            StringBuilder text = new StringBuilder(RandomPrograms.noisy(r, RandomPrograms.program(r)));
            int edits = r.nextInt(1, 4);
            for (int i = 0; i < edits; i++) {
                int at = r.nextInt(text.length() + 1);
                char c = noise.charAt(r.nextInt(noise.length()));
                switch (r.nextInt(3)) {
                    case 0 -> text.insert(at, c);
                    case 1 -> {
                        if (at < text.length()) {
                            text.deleteCharAt(at);
                        }
                    }
                    default -> {
                        if (at < text.length()) {
                            text.setCharAt(at, c);
                        }
                    }
                }
            }
            String source = text.toString();
            try {
                assertRoundTrip(parse(source));
            } catch (DxpSyntaxError e) {
                rejected++;
                long lines = source.chars().filter(c -> c == '\n').count() + 1;
                assertTrue(e.pos().line() <= lines, e.getMessage());
                assertTrue(e.getMessage().startsWith("t.dxp:" + e.pos() + ": "), e.getMessage());
            }
        }
        // Most corruptions must be caught, or this test is not exercising the error paths.
        assertTrue(rejected > CORRUPTED_PROGRAMS / 4, "rejected " + rejected);
    }
}
