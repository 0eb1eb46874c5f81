package dev.daxfuzz.fuzz;

import com.code_intelligence.jazzer.junit.FuzzTest;
import dev.daxfuzz.fuzzing.RecoveryInput;

/**
 * {@code Recovery}: corrupted crash images (real images from seed programs, then the input's byte
 * mutations) must mount or fail with a reason; any other exception is a finding, and a hang is
 * the driver's timeout finding. See {@link RecoveryInput}.
 */
public class RecoveryFuzzTest {
    public static void fuzzerTestOneInput(byte[] data) {
        RecoveryInput.mount(data);
    }

    @FuzzTest(maxDuration = "30s")
    void images(byte[] data) {
        RecoveryInput.mount(data);
    }
}
