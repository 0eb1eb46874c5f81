package dev.daxfuzz.pm;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;

/** The chooser walks exactly the sequences with at most k deviations, each once. */
class BoundedDeviationChooserTest {
    /** Four decisions with 3, 2, 3 and 2 options; returns every sequence the chooser walks. */
    private static List<String> walk(int k) {
        BoundedDeviationChooser c = new BoundedDeviationChooser(k);
        List<String> seen = new ArrayList<>();
        do {
            StringBuilder s = new StringBuilder();
            for (int bound : new int[] {3, 2, 1, 3, 2}) {
                s.append(c.choose(bound));
            }
            seen.add(s.toString());
        } while (c.advance());
        return seen;
    }

    private static int deviations(String s) {
        int[] bounds = {3, 2, 1, 3, 2};
        int n = 0;
        for (int i = 0; i < s.length(); i++) {
            if (bounds[i] > 1 && s.charAt(i) - '0' != bounds[i] - 1) {
                n++;
            }
        }
        return n;
    }

    @Test
    void walksExactlyTheSequencesWithinK() {
        for (int k = 0; k <= 4; k++) {
            List<String> seen = walk(k);
            assertEquals(seen.size(), new TreeSet<>(seen).size(), "each sequence once");
            assertEquals("21021", seen.get(0), "least persisted everywhere first");
            for (String s : seen) {
                assertTrue(deviations(s) <= k, s + " has more than " + k + " deviations");
            }
            // Count the sequences within k directly: options 3, 2, 3, 2 with one "last" each.
            int expected = 0;
            for (int a = 0; a < 3; a++) {
                for (int b = 0; b < 2; b++) {
                    for (int d = 0; d < 3; d++) {
                        for (int e = 0; e < 2; e++) {
                            if ((a != 2 ? 1 : 0) + (b != 1 ? 1 : 0) + (d != 2 ? 1 : 0) + (e != 1 ? 1 : 0) <= k) {
                                expected++;
                            }
                        }
                    }
                }
            }
            assertEquals(expected, seen.size(), "k = " + k);
        }
        assertEquals(36, walk(4).size(), "k = every decision: all 3·2·3·2 sequences");
    }
}
