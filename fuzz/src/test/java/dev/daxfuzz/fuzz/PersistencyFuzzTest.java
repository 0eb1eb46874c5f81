package dev.daxfuzz.fuzz;

import static org.junit.jupiter.api.Assertions.assertEquals;

import com.code_intelligence.jazzer.api.FuzzedDataProvider;
import com.code_intelligence.jazzer.junit.FuzzTest;
import dev.daxfuzz.pm.DifferentialTest;
import dev.daxfuzz.pm.EntryKind;
import dev.daxfuzz.pm.Persistency;
import dev.daxfuzz.pm.ReferenceModel;
import dev.daxfuzz.pm.ReferenceModel.Instr;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/**
 * Coverage-guided differential fuzzing of the persistent-memory emulator: the fuzzer writes a
 * small single-CPU program of stores, non-temporal stores, flushes, fences and serialising points
 * on a 256-byte device, and the fast crash-state enumerator must give, after every prefix, exactly
 * the images the step-by-step {@link ReferenceModel} reaches. Programs are capped at five
 * instructions, and stores at 12 bytes, so the reference stays fast.
 */
class PersistencyFuzzTest {
    private static final EntryKind[] KINDS = EntryKind.values();

    @FuzzTest(maxDuration = "2m")
    void fastEnumeratorMatchesReference(FuzzedDataProvider data) {
        Persistency persistency = data.consumeBoolean() ? Persistency.EADR : Persistency.ADR;
        int length = data.consumeInt(1, 5);
        List<Instr> program = new ArrayList<>();
        int value = 1;
        for (int i = 0; i < length; i++) {
            int k = data.consumeInt(0, KINDS.length);
            if (k == KINDS.length) {
                program.add(Instr.serializePoint());
                continue;
            }
            EntryKind kind = KINDS[k];
            if (kind.isWrite()) {
                int len = data.consumeInt(1, 12);
                int addr = data.consumeInt(0, DifferentialTest.DEVICE_BYTES - len);
                byte[] bytes = new byte[len];
                for (int b = 0; b < len; b++) {
                    bytes[b] = (byte) value++;
                }
                program.add(kind == EntryKind.STORE ? Instr.store(addr, bytes) : Instr.ntStore(addr, bytes));
            } else {
                program.add(Instr.op(kind, data.consumeInt(0, DifferentialTest.DEVICE_BYTES - 1)));
            }
        }
        List<Set<String>> expected = new ReferenceModel(program, DifferentialTest.DEVICE_BYTES, 1, persistency)
                .crashImages();
        List<Set<String>> actual = DifferentialTest.fastImages(program, persistency, 1);
        assertEquals(expected, actual, persistency + " " + program);
    }
}
