package dev.daxfuzz.fs;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.daxfuzz.oracle.ViolationKind;
import dev.daxfuzz.pm.CrashPoint;
import dev.daxfuzz.pm.PersistentMemory;
import dev.daxfuzz.pm.Persistency;
import dev.daxfuzz.pm.PmOptions;
import dev.daxfuzz.run.FsRunner;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.api.Test;

/**
 * {@code poison} on the journal design, through the real runner (the model must allow every
 * result, every crash state must pass the oracles, the runner must find no bytes returned for
 * poisoned media): what Linux does with badblocks under DAX.
 */
class PoisonScenarioTest {
    private static final String A = "open f /a creat,rdwr\nwrite f 0 fill:0x41*8192\nfsync f";

    static Stream<Arguments> scenarios() {
        return Stream.of(
                Arguments.of("a read over a poisoned line is EIO; around it reads work",
                        A + "\npoison /a 100 10 => ok\nread f 0 64 => fill:0x41*64\nread f 64 64 => EIO"
                                + "\nread f 0 8192 => EIO\nread f 128 100 => fill:0x41*100"),
                Arguments.of("a write covering the poisoned line whole clears it (dax_recovery_write)",
                        A + "\npoison /a 64 64\nwrite f 64 fill:0x42*64 => ok\nread f 0 192 => hex:"
                                + "41".repeat(64) + "42".repeat(64) + "41".repeat(64)),
                Arguments.of("a write covering a poisoned line in part is EIO and writes nothing",
                        A + "\npoison /a 64 1\nwrite f 70 \"xx\" => EIO\nwrite f 0 fill:0x43*100 => EIO"
                                + "\nread f 0 64 => fill:0x41*64\nread f 64 1 => EIO"),
                Arguments.of("poison under a hole or an unwritten extent does nothing",
                        "open f /a creat,rdwr\ntruncate f 8192\nfallocate f keep-size 8192 4096\nfallocate f zero 4096 100"
                                + "\npoison /a 0 8192 => ok\nread f 0 8192 => fill:0x00*8192"
                                + "\nwrite f 10 \"x\" => ok\nread f 0 11 => hex:00000000000000000000" + "78"),
                Arguments.of("past end of file the range is cut; a missing file is ENOENT, a directory EISDIR",
                        A + "\npoison /a 8192 100 => ok\npoison /a 9223372036854775807 9223372036854775807 => ok"
                                + "\nread f 0 8192 => fill:0x41*8192\npoison /b 0 1 => ENOENT\nmkdir /d"
                                + "\npoison /d 0 1 => EISDIR\npoison / 0 1 => EISDIR\npoison /a/x 0 1 => ENOTDIR"),
                Arguments.of("the largest offset and length do not overflow",
                        A + "\npoison /a 0 9223372036854775807 => ok\nread f 8191 1 => EIO"),
                Arguments.of("truncate drops what lies beyond; the freed block, reallocated, is zeroed clean",
                        "device 64K\n" + A + "\npoison /a 0 8192\ntruncate f 0\nfsync f\nsync"
                                + "\nopen g /b creat,rdwr\nwrite g 4196 \"hi\" => ok\nread g 0 4198 => hex:"
                                + "00".repeat(4196) + "6869" + "\ntruncate f 100\nread f 0 100 => fill:0x00*100"),
                Arguments.of("a shrinking truncate clears the lines past the new end; the one across it stays",
                        A + "\npoison /a 0 4096\ntruncate f 100\ntruncate f 4096\nread f 128 3968 => fill:0x00*3968"
                                + "\nread f 64 64 => EIO\nwrite f 64 fill:0x44*64 => ok\nread f 64 64 => fill:0x44*64"),
                Arguments.of("hole punch and zero range clear the lines they cover whole",
                        A + "\npoison /a 0 8192\nfallocate f punch 64 64\nread f 64 64 => fill:0x00*64"
                                + "\nfallocate f zero 128 100\nread f 128 64 => fill:0x00*64\nread f 192 1 => EIO"
                                + "\nfallocate f punch 4096 4096\nread f 4096 4096 => fill:0x00*4096"),
                Arguments.of("mload over poison is SIGBUS, mstore too; a covering write makes both work again",
                        A + "\nmmap m f 0 8192 shared\npoison /a 5000 1\nmload m 4096 64 => fill:0x41*64"
                                + "\nmload m 4990 4 => SIGBUS\nmstore m 4992 \"z\" => SIGBUS\nmload m 4992 1 => SIGBUS"
                                + "\nwrite f 4992 fill:0x45*64 => ok\nmload m 4992 2 => \"EE\"\nmstore m 4992 \"z\" => ok"
                                + "\nmload m 4992 2 => \"zE\""),
                Arguments.of("a private mapping cannot copy a poisoned page: SIGBUS",
                        A + "\nmmap m f 0 8192 private\npoison /a 5000 1\nmstore m 100 \"z\" => ok"
                                + "\nmstore m 4096 \"z\" => SIGBUS\nmload m 100 1 => \"z\""),
                Arguments.of("a MAP_SYNC write fault into an unwritten extent zeroes it clean",
                        "open f /a creat,rdwr\nfallocate f alloc 0 4096\nmmap m f 0 4096 shared-validate,sync"
                                + "\npoison /a 0 4096\nmstore m 0 \"q\" => ok\nmload m 0 2 => hex:7100"
                                + "\nread f 0 4096 => hex:71" + "00".repeat(4095)),
                Arguments.of("poison survives the crash: the data check skips poisoned lines, the read after stays EIO",
                        A + "\npoison /a 0 64\nwrite f 4096 \"later\"\ncrash\nfsync f\ncrash\nread f 0 1 => EIO"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("scenarios")
    void asLinuxAndCleanUnderAdr(String name, String program) {
        FsScenarios.clean(program.split("\n"));
    }

    @ParameterizedTest(name = "under eADR: {0}")
    @MethodSource("scenarios")
    void asLinuxAndCleanUnderEadr(String name, String program) {
        FsScenarios.clean(("persistency eadr\n" + program).split("\n"));
    }

    @Test
    void theSeededBugIsSilentCorruptionAndTheCorrectDesignIsNot() {
        String[] program = (A + "\npoison /a 64 1\nread f 0 128").split("\n");
        FsRunner.Result clean = FsScenarios.run(FsOptions.DEFAULT, program);
        assertEquals(java.util.List.of(), clean.violations());
        java.util.EnumSet<FsOptions.Variant> bug = java.util.EnumSet.of(FsOptions.Variant.POISON_READ_RETURNS_ZEROS);
        FsOptions buggy = new FsOptions(FsOptions.DEFAULT.journalBlocks(), bug, FsOptions.DEFAULT.syncFault(),
                FsOptions.DEFAULT.daxfile(), FsOptions.DEFAULT.journalCommit());
        FsRunner.Result found = FsScenarios.run(buggy, program);
        assertEquals(1, found.violations().size(), "one violation");
        assertEquals(ViolationKind.SILENT_CORRUPTION, found.violations().get(0).violation().kind());
        assertTrue(found.violations().get(0).violation().summary().contains("file byte 64"),
                found.violations().get(0).violation().summary());
    }

    @Test
    void recoveryThatMeetsPoisonedMetadataFailsCleanlyWithEio() {
        PersistentMemory pm = new PersistentMemory(PmOptions.of(1 << 20, Persistency.ADR));
        FsGeometry g = FsGeometry.forDevice(1 << 20, 0);
        JournalFs fs = JournalFs.format(pm, g);
        fs.mkdir(0, new dev.daxfuzz.program.FsPath(java.util.List.of("d")));
        fs.endCall();
        fs.sync(1);
        fs.endCall();
        pm.mfence(0, 0);
        // The root inode's line of the inode table: recovery must read it.
        long rootInode = g.inodeAddr(FsGeometry.ROOT_INO);
        pm.poison(rootInode, 1);
        CrashPoint cp = pm.crashPoint();
        long[] failures = new long[1];
        cp.enumerate(Long.MAX_VALUE, null, s -> {
            Recovery.Outcome o = Recovery.mount(s.image(), g);
            Recovery.Failed f = assertInstanceOf(Recovery.Failed.class, o);
            assertTrue(f.mediaError(), "a media error, not corruption: " + f.reason());
            assertTrue(f.reason().contains("poisoned"), f.reason());
            failures[0]++;
            return true;
        });
        assertTrue(failures[0] > 0);
        // And the oracle takes the clean failure as allowed: no RECOVERY_FAILED.
        dev.daxfuzz.oracle.CrashChecker checker = new dev.daxfuzz.oracle.CrashChecker(g, Recovery.Options.DEFAULT);
        CrashPoint again = pm.crashPoint();
        again.enumerate(Long.MAX_VALUE, null, s -> {
            assertEquals(java.util.Optional.empty(), checker.check(s.image(), null, java.util.List.of()));
            return true;
        });
    }
}
