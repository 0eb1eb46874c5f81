package dev.daxfuzz.run;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.daxfuzz.program.ProgramParser;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** {@code poison ADDR LEN} on the raw device: a load of a poisoned line is SIGBUS; crash states carry the poison. */
class RawDevicePoisonTest {
    @Test
    void aLoadOfAPoisonedLineIsAMachineCheckAndThePoisonOutlivesCrashes() throws Exception {
        String text = "fs none\ndevice 4K\nstore 0 u64:7\nclwb 0\nsfence\npoison 70 2\nload 0 8 => u64:7\n"
                + "load 64 8 => SIGBUS\nload 60 8 => SIGBUS\nload 128 8 => hex:0000000000000000\ncrash\n"
                + "store 64 u8:1\nload 64 1 => SIGBUS\nmfence\n";
        RawDeviceRunner.Result r = RawDeviceRunner.run(ProgramParser.parse("raw.dxp", text), 1000, (p, s) -> true);
        assertEquals(List.of(), r.failures());
        List<Boolean> poisoned = new ArrayList<>();
        RawDeviceRunner.run(ProgramParser.parse("raw.dxp", text), 1000, (p, s) -> {
            poisoned.add(s.image().poisoned(64, 1) && !s.image().poisoned(0, 64));
            return true;
        });
        assertTrue(poisoned.size() >= 2, "crash states at both points: " + poisoned);
        assertTrue(poisoned.stream().allMatch(b -> b), "every crash image carries the poison: " + poisoned);
    }

    @Test
    void aFailedExpectationSaysWhatTheLoadDid() throws Exception {
        String text = "fs none\ndevice 4K\npoison 0 1\nload 0 1 => hex:00\n";
        RawDeviceRunner.Result r = RawDeviceRunner.run(ProgramParser.parse("raw.dxp", text), 1000, (p, s) -> true);
        assertEquals(1, r.failures().size());
        assertTrue(r.failures().get(0).toString().contains("SIGBUS"), r.failures().toString());
    }
}
