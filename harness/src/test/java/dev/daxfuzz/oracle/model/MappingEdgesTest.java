package dev.daxfuzz.oracle.model;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.daxfuzz.fs.CallResult;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The model's user-access checks at the edges (docs/mappings.md, "Ranges, pages and overflow"):
 * an offset near 2^63 is SIGSEGV (outside every mapping), never wrapped back into range and
 * never SIGBUS; the bytes between a mapping's length and the end of its last page are inside it.
 * The program format has no {@code => SIGSEGV}, so the predictions are read from the verdicts.
 */
class MappingEdgesTest {
    private static final List<String> SETUP = List.of("open f /a creat,rdwr", "fallocate f alloc 0 8K",
            "mmap m f 0 8K shared", "mmap s f 0 100 shared");

    private static CallResult predicted(String statement) {
        ModelRun r = ModelRun.of(String.join("\n", SETUP) + "\n" + statement + "\n");
        return r.verdicts.get(SETUP.size()).expected();
    }

    @Test
    void offsetsNear2To63AreSigsegv() {
        for (String s : List.of("mstore m 9223372036854775807 \"x\"", "mstore m 9223372036854775800 fill:0x41*16",
                "mntstore m 9223372036854775800 fill:0x41*16", "mload m 9223372036854775807 1",
                "mload m 1 9223372036854775807", "mclwb m 9223372036854775807", "mclflushopt m 9223372036854775807",
                "mclflush m 9223372036854775807", "persist m 9223372036854775807 1", "persist m 64 9223372036854775807",
                "mstore m 8192 \"x\"", "mstore m 8191 \"xy\"", "mstore s 4096 \"x\"")) {
            assertEquals(CallResult.SIGSEGV, predicted(s), s);
        }
    }

    @Test
    void theLastPageOfAMappingIsMappedPastItsLength() {
        assertEquals(CallResult.OK, predicted("mstore s 100 \"x\""));
        assertEquals(CallResult.OK, predicted("mstore s 4095 \"x\""));
        assertEquals(CallResult.OK, predicted("persist s 0 4096"));
        assertEquals(CallResult.OK, predicted("msync s 0 4096"));
        assertEquals(CallResult.OK, predicted("mstore m 8191 \"x\""));
    }
}
