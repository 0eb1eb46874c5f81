package dev.daxfuzz.pm;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Media poison in the emulator: per line, immediate and durable, in every crash image, cleared only whole. */
class PoisonTest {
    private static PersistentMemory device(Persistency p) {
        return new PersistentMemory(PmOptions.of(4096, p));
    }

    @Test
    void poisonCoversEveryOverlappingLineAndNothingElse() {
        PersistentMemory pm = device(Persistency.ADR);
        assertFalse(pm.anyPoison());
        assertFalse(pm.poisoned(0, 4096));
        pm.poison(100, 20);
        assertTrue(pm.anyPoison());
        assertTrue(pm.poisoned(64, 1));
        assertTrue(pm.poisoned(127, 1));
        assertTrue(pm.poisoned(0, 65), "a range that reaches into the line");
        assertFalse(pm.poisoned(0, 64));
        assertFalse(pm.poisoned(128, 64));
        pm.poison(120, 20);
        assertTrue(pm.poisoned(128, 1), "a range crossing into the next line poisons it too");
        assertFalse(pm.poisoned(192, 3904));
    }

    @Test
    void onlyAWholeLineClearsPoison() {
        PersistentMemory pm = device(Persistency.ADR);
        pm.poison(64, 128);
        assertEquals(0, pm.clearPoison(70, 100), "covers no line whole");
        assertTrue(pm.poisoned(64, 128));
        assertEquals(1, pm.clearPoison(64, 100), "covers [64,128) whole, [128,192) in part");
        assertFalse(pm.poisoned(64, 64));
        assertTrue(pm.poisoned(128, 64));
        assertEquals(1, pm.clearPoison(0, 4096));
        assertFalse(pm.anyPoison());
    }

    @Test
    void everyCrashImageCarriesThePoisonOfItsInstantUnderAdrAndEadr() {
        for (Persistency p : Persistency.values()) {
            PersistentMemory pm = device(p);
            // Two lines in flight keep the enumeration small (a 200-byte store took a minute).
            byte[] data = new byte[80];
            java.util.Arrays.fill(data, (byte) 0x41);
            pm.store(0, 0, data, 0, data.length, 1);
            pm.clwb(0, 0, 2);
            pm.poison(128, 1);
            pm.store(0, 512, data, 0, 8, 3);
            CrashPoint cp = pm.crashPoint();
            List<Boolean> seen = new ArrayList<>();
            long states = cp.enumerate(Long.MAX_VALUE, null, s -> {
                seen.add(s.image().poisoned(130, 1));
                seen.add(s.image().poisoned(0, 128));
                return true;
            }).states();
            assertTrue(states > 1, p + ": several images");
            for (int i = 0; i < seen.size(); i += 2) {
                assertTrue(seen.get(i), p + ": poisoned in every image");
                assertFalse(seen.get(i + 1), p + ": nothing else is");
            }
            cp.forEachBox(box -> {
                LazyImage lazy = new LazyImage(box, new DepthFirstChooser());
                assertTrue(lazy.poisoned(128, 64));
                assertFalse(lazy.poisoned(192, 64));
                return true;
            });
        }
    }

    @Test
    void poisonSurvivesLaterInstructionsAndImagesDifferByIt() {
        PersistentMemory pm = device(Persistency.ADR);
        pm.mfence(0, 0);
        long before = pm.durableFp1;
        pm.poison(0, 1);
        assertNotEquals(before, pm.durableFp1, "an image with poison is a different image");
        pm.sfence(0, 1);
        pm.mfence(0, 2);
        pm.serialize();
        CrashPoint cp = pm.crashPoint();
        cp.enumerate(Long.MAX_VALUE, null, s -> {
            assertTrue(s.image().poisoned(0, 64), "still poisoned after fences and serialisation");
            return true;
        });
        pm.clearPoison(0, 64);
        assertEquals(before, pm.durableFp1, "clearing takes its term out again");
        CrashPoint later = pm.crashPoint();
        later.enumerate(Long.MAX_VALUE, null, s -> {
            assertFalse(s.image().poisoned(0, 64));
            return true;
        });
    }
}
