package dev.daxfuzz.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.daxfuzz.program.DxpSyntaxError;
import dev.daxfuzz.program.Program;
import dev.daxfuzz.program.ProgramParser;
import dev.daxfuzz.program.SourcePos;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.Callable;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine.Command;

/**
 * Nothing but a violation is exit 1: inputs that cannot be read are refused at once (exit 2, one
 * wording for every command), programs that cannot fit the heap are refused before they run (exit
 * 2, naming the line and the limit), and an Error that still escapes a command is exit 4 with the
 * internal-error banner.
 */
class InputRefusalTest {
    @TempDir
    Path dir;

    private static final List<List<String>> READERS = List.of(List.of("explore"), List.of("repro"), List.of("decode"),
            List.of("minimize"), List.of("outcomes", "--observe", "0:1"));

    private static void assertRefused(CliRun run, String message) {
        assertEquals(2, run.exitCode(), run.err());
        assertEquals("", run.out());
        assertEquals(message + "\n", run.err());
    }

    private static CliRun run(List<String> command, Path file) {
        String[] args = new String[command.size() + 1];
        args[0] = command.get(0);
        args[1] = file.toString();
        for (int i = 1; i < command.size(); i++) {
            args[i + 1] = command.get(i);
        }
        return CliRun.of(args);
    }

    @Test
    void aMissingFileIsWordedTheSameByEveryCommand() {
        for (List<String> c : READERS) {
            for (String name : List.of("missing.dxp", "missing.bin")) {
                Path f = dir.resolve(name);
                assertRefused(run(c, f), f + ": no such file");
            }
        }
        Path f = dir.resolve("missing.dxp");
        assertRefused(CliRun.of("encode", f.toString(), "--out", dir.resolve("out").toString()), f + ": no such file");
    }

    @Test
    void devicesAndDirectoriesAreRefusedWithoutReadingThem() throws IOException {
        Path zero = Path.of("/dev/zero");
        assumeTrue(Files.exists(zero), "needs /dev/zero");
        assertRefused(CliRun.of("explore", "/dev/zero"), "/dev/zero: not a regular file (a device, FIFO or socket),"
                + " expected a .dxp program");
        assertRefused(CliRun.of("repro", "/dev/urandom"), "/dev/urandom: not a regular file (a device, FIFO or"
                + " socket), expected a raw fuzzer input");
        assertRefused(CliRun.of("decode", "/dev/zero"), "/dev/zero: not a regular file (a device, FIFO or socket),"
                + " expected a raw fuzzer input");
        Path d = Files.createDirectory(dir.resolve("d.dxp"));
        assertRefused(CliRun.of("explore", d.toString()), d + ": is a directory, expected a .dxp program");
        assertRefused(CliRun.of("repro", dir.toString()), dir + ": is a directory, expected a raw fuzzer input");
    }

    @Test
    void aFifoIsRefusedWithoutBlocking() throws Exception {
        Path fifo = dir.resolve("fifo.dxp");
        Process p;
        try {
            p = new ProcessBuilder("mkfifo", fifo.toString()).start();
        } catch (IOException e) {
            assumeTrue(false, "needs mkfifo");
            return;
        }
        assumeTrue(p.waitFor() == 0 && Files.exists(fifo), "mkfifo failed");
        assertRefused(CliRun.of("explore", fifo.toString()), fifo + ": not a regular file (a device, FIFO or socket),"
                + " expected a .dxp program");
    }

    @Test
    void filesOverTheirLimitAreRefused() throws IOException {
        Path program = dir.resolve("big.dxp");
        Files.write(program, "#".repeat((int) InputFiles.PROGRAM_BYTES_MAX + 1).getBytes(StandardCharsets.US_ASCII));
        assertRefused(CliRun.of("explore", program.toString()), program + ": larger than 16 MiB, the limit for a .dxp"
                + " program");
        Files.write(program, ("#".repeat((int) InputFiles.PROGRAM_BYTES_MAX - 5) + "\nsync").getBytes(StandardCharsets.US_ASCII));
        assertEquals(0, CliRun.of("explore", program.toString()).exitCode(), "a program at the limit runs");
        Path raw = dir.resolve("big.bin");
        Files.write(raw, new byte[(int) InputFiles.RAW_INPUT_BYTES_MAX + 1]);
        assertRefused(CliRun.of("repro", raw.toString()), raw + ": larger than 1 MiB, the limit for a raw fuzzer input");
        assertRefused(CliRun.of("decode", raw.toString()), raw + ": larger than 1 MiB, the limit for a raw fuzzer input");
    }

    private static ProgramParser.Parsed parse(String text) throws DxpSyntaxError {
        return ProgramParser.parse("p.dxp", text.getBytes(StandardCharsets.UTF_8));
    }

    private static void requireFits(String text, long maxHeap) throws DxpSyntaxError {
        ProgramParser.Parsed p = parse(text);
        HeapBudget.requireFits(p.program(), "p.dxp", Optional.ofNullable(p.headerArguments().get("device")), maxHeap,
                false);
    }

    @Test
    void aDeviceTooLargeForTheHeapIsRefusedAtItsLine() throws DxpSyntaxError {
        UsageException e = assertThrows(UsageException.class,
                () -> requireFits("# big\ndevice   1024M\nopen f /a creat,rdwr\nwrite f 0 \"x\"\n", 1L << 30));
        assertEquals("p.dxp:2:10: expected a program that fits the Java heap: a device of 1024 MiB needs about 3.0 GiB"
                + " of heap, but the heap is limited to 1.0 GiB; raise the limit with DAXFUZZ_JAVA_OPTS=-Xmx4g (the"
                + " daxfuzz launcher passes it to java)", e.getMessage());
        requireFits("device 1024M\nsync\n", 4L << 30);
    }

    @Test
    void aDataLiteralTooLargeForTheHeapIsRefusedAtItsLine() throws DxpSyntaxError {
        UsageException e = assertThrows(UsageException.class,
                () -> requireFits("open f /a creat,rdwr\nwrite f 0 \"x\"\n  write f 0 fill:0x41*1000M\n", 256L << 20));
        assertTrue(e.getMessage().startsWith("p.dxp:3:3: expected a program that fits the Java heap: a data literal of"
                + " 1000 MiB (on a 1 MiB device) needs about 3.0 GiB of heap, but the heap is limited to 256 MiB;"
                + " raise the limit with DAXFUZZ_JAVA_OPTS=-Xmx4g"), e.getMessage());
        UsageException raw = assertThrows(UsageException.class,
                () -> requireFits("fs none\ndevice 64M\nstore 0 fill:0x41*32M\n", 512L << 20));
        assertTrue(raw.getMessage().startsWith("p.dxp:3:1: expected a program that fits the Java heap: a data literal"
                + " of 32 MiB (on a 64 MiB device) needs about 615 MiB"), raw.getMessage());
        UsageException read = assertThrows(UsageException.class,
                () -> requireFits("open f /a creat,rdwr\nread f 0 1 => fill:0x41*64M\n", 256L << 20));
        assertTrue(read.getMessage().startsWith("p.dxp:2:1: expected a program that fits the Java heap: a data literal"
                + " of 64 MiB"), read.getMessage());
        requireFits("open f /a creat,rdwr\nwrite f 0 fill:0x41*1000M\n", 4L << 30);
    }

    @Test
    void theEstimateIsTheSumOfTheDeviceAndTheLargestLiteral() throws DxpSyntaxError {
        Program p = parse("device 128M\nopen f /a creat,rdwr\nwrite f 0 fill:0x41*2M\nwrite f 0 fill:0x41*1M\n").program();
        HeapBudget.Need need = HeapBudget.need(p, Optional.of(new SourcePos(1, 8)));
        long expected = HeapBudget.BASELINE_BYTES + 3 * (128L << 20) + (3 + 10) * (2L << 20);
        assertEquals(expected, need.bytes());
        assertEquals(Optional.of(new SourcePos(1, 8)), need.where(), "the device costs more than the literal");
    }

    /** A command that throws an Error, as an out-of-memory or a runaway recursion would. */
    @Command(name = "throws")
    static final class Throws implements Callable<Integer> {
        final Error error;

        Throws(Error error) {
            this.error = error;
        }

        @Override
        public Integer call() {
            throw error;
        }
    }

    @Test
    void anErrorFromACommandIsExitFourWithTheBanner() {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        int code = Main.run(new Throws(new StackOverflowError()), new String[0], new PrintWriter(out), new PrintWriter(err));
        assertEquals(4, code);
        assertTrue(err.toString().startsWith("daxfuzz: internal error (a bug in daxfuzz, please report it with the"
                + " input):\njava.lang.StackOverflowError"), err.toString());

        StringWriter oomErr = new StringWriter();
        int oom = Main.run(new Throws(new OutOfMemoryError("Java heap space")), new String[0], new PrintWriter(out),
                new PrintWriter(oomErr));
        assertEquals(4, oom);
        assertTrue(oomErr.toString().startsWith("daxfuzz: out of memory: the Java heap (at most "), oomErr.toString());
        assertTrue(oomErr.toString().contains("raise it with DAXFUZZ_JAVA_OPTS=-Xmx8g"), oomErr.toString());
        assertTrue(oomErr.toString().contains("daxfuzz: internal error (a bug in daxfuzz, please report it with the"
                + " input):\njava.lang.OutOfMemoryError: Java heap space"), oomErr.toString());
        assertEquals("", out.toString());
    }
}
