package dev.daxfuzz.fuzzing;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.EnumMap;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/** The Recovery target's harness mounts or fails cleanly on random inputs, and both happen. */
class RecoveryInputTest {
    @Test
    void randomCorruptionsMountOrFailCleanly() {
        SplittableRandom r = new SplittableRandom(3);
        EnumMap<RecoveryInput.Result, Integer> seen = new EnumMap<>(RecoveryInput.Result.class);
        for (int i = 0; i < 1500; i++) {
            byte[] b = new byte[1 + 3 * r.nextInt(6)];
            r.nextBytes(b);
            seen.merge(RecoveryInput.mount(b), 1, Integer::sum);
        }
        assertTrue(seen.getOrDefault(RecoveryInput.Result.MOUNTED, 0) > 50
                && seen.getOrDefault(RecoveryInput.Result.FAILED_CLEANLY, 0) > 0, seen.toString());
    }
}
