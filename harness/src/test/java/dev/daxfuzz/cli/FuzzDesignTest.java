package dev.daxfuzz.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.List;
import org.junit.jupiter.api.Test;

/** {@code fuzz --bug B} without {@code --design} fuzzes the daxfile design B lives in. */
class FuzzDesignTest {
    @Test
    void designFollowsTheBugs() {
        assertEquals("sealed", FuzzCommand.designOfBugs(List.of()));
        assertEquals("sealed", FuzzCommand.designOfBugs(List.of("rename-two-transactions")));
        assertEquals("sealed", FuzzCommand.designOfBugs(List.of("daxfile-no-cap-check")), "both designs: the default");
        assertEquals("rfc-v1", FuzzCommand.designOfBugs(List.of("daxfile-clear-keeps-ref", "daxfile-allows-holes")));
        assertEquals("sealed", FuzzCommand.designOfBugs(List.of("daxfile-flag-before-map")));
        assertThrows(UsageException.class,
                () -> FuzzCommand.designOfBugs(List.of("daxfile-clear-keeps-ref", "daxfile-flag-before-map")));
    }
}
