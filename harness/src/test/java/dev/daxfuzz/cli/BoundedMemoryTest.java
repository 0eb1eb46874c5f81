package dev.daxfuzz.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Goal: exploring large stores keeps a bounded heap. A 4 MiB write with fsync on a 16 MiB device,
 * then 64 KiB stored through a MAP_SYNC mapping (16 page faults, each a crash point), explored in
 * a JVM of its own with a 128 MiB heap: before the emulator kept fingerprint terms for every
 * partial variant of every line in flight and the oracle a 256-bit set per file byte, this
 * program needed several hundred MiB and died of OutOfMemoryError at this bound. Not a timing
 * test: the heap bound is the assertion, and the counts show the exploration was complete.
 */
class BoundedMemoryTest {
    @Test
    void fourMebibytesAndAMapSyncStoreFitIn128MebibytesOfHeap(@TempDir Path dir) throws Exception {
        Path program = dir.resolve("big.dxp");
        Files.write(program, List.of(
                "device 16M",
                "open f /a creat,rdwr",
                "write f 0 fill:0x41*4M",
                "fsync f",
                "open g /b creat,rdwr",
                "truncate g 64K",
                "mmap m g 0 64K shared-validate,sync",
                "mstore m 0 fill:0x42*64K",
                "persist m 0 64K"));
        Result r = explore(program, "-Xmx128m");
        assertEquals(0, r.exit(), r.err());
        assertEquals("24 crash points, 193 crash states, 135 distinct images, 0 violations\n", r.out(), r.err());
    }

    private record Result(int exit, String out, String err) {
    }

    private static Result explore(Path program, String heap) throws IOException, InterruptedException {
        Path java = Path.of(System.getProperty("java.home"), "bin", "java");
        Path errFile = program.resolveSibling("stderr.txt");
        Process p = new ProcessBuilder(java.toString(), heap, "-cp", System.getProperty("java.class.path"),
                Main.class.getName(), "explore", program.toString()).redirectError(errFile.toFile()).start();
        byte[] out = p.getInputStream().readAllBytes();
        if (!p.waitFor(5, TimeUnit.MINUTES)) {
            p.destroyForcibly();
            throw new AssertionError("explore did not finish in 5 minutes");
        }
        return new Result(p.exitValue(), new String(out, StandardCharsets.UTF_8), Files.readString(errFile));
    }
}
