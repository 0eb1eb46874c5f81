package dev.daxfuzz.pm;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/**
 * {@link CrashPoint#rangeTerms1}, which hashes the partial variants of a write by shared
 * prefixes, against {@link CrashPoint#variantTerm1}, which hashes each variant's content on its
 * own: every variant of every line, over every sub-range, must get the same term.
 */
class RangeTermsTest {

    @Test
    void everyRangeGetsTheTermsOfItsVariants() {
        SplittableRandom r = new SplittableRandom(0x7E4A5L);
        int partials = 0;
        for (int program = 0; program < 200; program++) {
            PersistentMemory pm = new PersistentMemory(PmOptions.of(4096, Persistency.ADR));
            int stores = 1 + r.nextInt(4);
            for (int i = 0; i < stores; i++) {
                // Stores within the first two lines, some over zeros, some over earlier stores,
                // some of a repeated byte (pieces that change nothing), of 1 to 64 bytes.
                int len = 1 + r.nextInt(64);
                int addr = r.nextInt(128 - len + 1);
                byte[] data = new byte[len];
                if (r.nextInt(3) == 0) {
                    java.util.Arrays.fill(data, (byte) r.nextInt(3));
                } else {
                    r.nextBytes(data);
                }
                pm.store(0, addr, data, 0, len, i);
            }
            pm.serialize();
            CrashPoint cp = pm.crashPoint();
            for (int s = 0; s < cp.slotCount; s++) {
                int last = cp.varPos[cp.varFrom[s + 1] - 1];
                for (int a = 0; a <= last; a += 1 + r.nextInt(Math.max(1, last / 3 + 1))) {
                    int b = a + r.nextInt(last - a + 1);
                    long[] terms = cp.rangeTerms1(s, a, b);
                    assertEquals(b - a + 1, terms.length);
                    for (int v = a; v <= b; v++) {
                        assertEquals(cp.variantTerm1(s, v), terms[v - a], "slot " + s + " variant " + v
                                + " of range [" + a + ", " + b + "] (program " + program + ")");
                        if (cp.fullWritesOf(s, v) < cp.writeFrom[s + 1] - cp.writeFrom[s]
                                && cp.varPos[cp.varFrom[s] + cp.fullWritesOf(s, v)] != v) {
                            partials++;
                        }
                    }
                }
            }
        }
        assertTrue(partials > 1000, "the programs must have many partial variants to compare: " + partials);
    }
}
