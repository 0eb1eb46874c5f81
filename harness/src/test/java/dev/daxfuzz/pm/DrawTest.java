package dev.daxfuzz.pm;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.HashSet;
import java.util.HexFormat;
import java.util.List;
import java.util.Set;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/**
 * Drawing one crash state through a {@link Chooser} (what the fuzzer does) against enumerating
 * them all: every drawn state must be an enumerated one, with the same fingerprint and image, and
 * on small programs enough draws reach every enumerated state.
 */
class DrawTest {

    private static PersistentMemory randomProgram(SplittableRandom r, Persistency p) {
        return RandomPmPrograms.generate(r, p);
    }

    @Test
    void drawsReachExactlyTheEnumeratedStates() {
        SplittableRandom r = new SplittableRandom(0xD4A3L);
        int exhausted = 0;
        for (int program = 0; program < 300; program++) {
            Persistency p = program % 3 == 0 ? Persistency.EADR : Persistency.ADR;
            PersistentMemory pm = randomProgram(r, p);
            CrashPoint cp = pm.crashPoint();
            Set<String> enumerated = new HashSet<>();
            Set<String> images = new HashSet<>();
            cp.enumerate(Long.MAX_VALUE, null, s -> {
                String key = s.fingerprint1() + ":" + s.fingerprint2();
                enumerated.add(key);
                images.add(key + "=" + HexFormat.of().formatHex(s.image().toBytes()));
                return true;
            });
            // Every choice sequence of the drawer, exhaustively (small programs only).
            Set<String> drawn = new HashSet<>();
            DepthFirstChooser chooser = new DepthFirstChooser();
            int draws = 0;
            do {
                CrashState s = cp.draw(chooser);
                String key = s.fingerprint1() + ":" + s.fingerprint2();
                assertTrue(enumerated.contains(key), "drawn state not enumerated (program " + program + ")");
                assertTrue(images.contains(key + "=" + HexFormat.of().formatHex(s.image().toBytes())),
                        "drawn image differs from the enumerated image with its fingerprint");
                drawn.add(key);
                draws++;
            } while (chooser.advance() && draws < 200_000);
            if (draws < 200_000) {
                assertEquals(enumerated, drawn, "the drawer cannot reach some states (program " + program + ")");
                exhausted++;
            }
        }
        assertTrue(exhausted > 250, "most programs are small enough to draw exhaustively: " + exhausted);
    }

    @Test
    void emptyFuzzerInputMeansEverythingPropagatedAndNothingExtraPersisted() {
        PersistentMemory pm = new PersistentMemory(PmOptions.of(256, Persistency.ADR));
        pm.storeLong(0, 0, 1, 8, 0);
        pm.clwb(0, 0, 1);
        pm.storeLong(0, 64, 2, 8, 2);
        CrashState s = pm.crashPoint().draw(new ByteChooser(new byte[0]));
        assertEquals(1, s.image().readLong(0, 8), "clwb propagated and persisted x");
        assertEquals(0, s.image().readLong(64, 8), "y propagated but was not written back");
        assertEquals(List.of(), s.provenance().lost());
    }

    @Test
    void provenanceNamesLostEntriesAndPersistedWrites() {
        PersistentMemory pm = new PersistentMemory(PmOptions.of(256, Persistency.ADR));
        pm.storeLong(0, 0, 1, 8, 10);
        pm.clwb(0, 0, 11);
        pm.sfence(0, 12);
        pm.storeLong(0, 64, 2, 16 / 2, 13);
        // choices: include store, include clwb, exclude sfence (then everything younger is lost)
        CrashState s = pm.crashPoint().draw(new ByteChooser(new byte[] {0, 0, 1}));
        Provenance prov = s.provenance();
        assertEquals(List.of(12, 13), prov.lost().stream().map(Provenance.Entry::site).toList());
        Provenance.Line line0 = prov.lines().get(0);
        assertEquals(0, line0.addr());
        assertTrue(line0.fullyPersisted());
        assertEquals(10, line0.writes().get(0).site());
        Provenance.Line line1 = prov.lines().get(1);
        assertEquals(0, line1.persistedWrites());
    }

    @Test
    void crashPointRefusesUseAfterTheEmulatorMoves() {
        PersistentMemory pm = new PersistentMemory(PmOptions.of(256, Persistency.ADR));
        pm.storeLong(0, 0, 1, 8, 0);
        CrashPoint cp = pm.crashPoint();
        pm.sfence(0, 1);
        try {
            cp.draw(new SeededChooser(1));
        } catch (IllegalStateException e) {
            assertTrue(e.getMessage().contains("stale"));
            return;
        }
        throw new AssertionError("a stale crash point must refuse to draw");
    }
}
