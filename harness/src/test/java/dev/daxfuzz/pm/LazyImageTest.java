package dev.daxfuzz.pm;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.HexFormat;
import java.util.Set;
import java.util.SplittableRandom;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;

/**
 * Lazy exploration against eager enumeration: running a check once per choice sequence of a
 * {@link LazyImage}, over every box of a crash point, must observe exactly what the eager
 * enumeration's images show at the bytes the check reads, and never more runs than needed.
 */
class LazyImageTest {

    private static PersistentMemory randomProgram(SplittableRandom r, Persistency p) {
        return RandomPmPrograms.generate(r, p);
    }

    /** Eager images projected onto the observed words. */
    private static Set<String> eager(CrashPoint cp, int[] words) {
        Set<String> out = new TreeSet<>();
        cp.enumerate(Long.MAX_VALUE, null, s -> {
            out.add(project(s.image(), words));
            return true;
        });
        return out;
    }

    private static String project(CrashImage image, int[] words) {
        StringBuilder sb = new StringBuilder();
        byte[] w = new byte[8];
        for (int word : words) {
            image.read(word * 8L, w, 0, 8);
            sb.append(HexFormat.of().formatHex(w)).append(' ');
        }
        return sb.toString();
    }

    private static int runsAndObservations(CrashPoint cp, int[] words, Set<String> seen) {
        int[] runs = {0};
        cp.forEachBox(box -> {
            DepthFirstChooser chooser = new DepthFirstChooser();
            do {
                LazyImage image = new LazyImage(box, chooser);
                seen.add(project(image, words));
                runs[0]++;
            } while (chooser.advance());
            return true;
        });
        return runs[0];
    }

    @Test
    void readingEverythingSeesExactlyTheEagerImages() {
        SplittableRandom r = new SplittableRandom(0x1A2B);
        int[] all = new int[32];
        for (int i = 0; i < 32; i++) {
            all[i] = i;
        }
        for (int program = 0; program < 300; program++) {
            Persistency p = program % 3 == 0 ? Persistency.EADR : Persistency.ADR;
            CrashPoint cp = randomProgram(r, p).crashPoint();
            Set<String> lazy = new TreeSet<>();
            runsAndObservations(cp, all, lazy);
            assertEquals(eager(cp, all), lazy, "program " + program);
        }
    }

    @Test
    void readingAFewWordsBranchesOnlyOnThem() {
        SplittableRandom r = new SplittableRandom(0x3C4D);
        long lazyRuns = 0;
        long eagerImages = 0;
        for (int program = 0; program < 300; program++) {
            Persistency p = program % 3 == 0 ? Persistency.EADR : Persistency.ADR;
            CrashPoint cp = randomProgram(r, p).crashPoint();
            int[] words = {r.nextInt(32), r.nextInt(32)};
            Set<String> lazy = new TreeSet<>();
            lazyRuns += runsAndObservations(cp, words, lazy);
            assertEquals(eager(cp, words), lazy, "program " + program);
            eagerImages += cp.enumerate(Long.MAX_VALUE, null, s -> true).states();
        }
        assertTrue(lazyRuns < eagerImages, "lazy runs " + lazyRuns + " should be fewer than images " + eagerImages);
    }

    /** Every (byte offset, value) pair the eager images show in [addr, addr+len). */
    private static Set<String> eagerBytes(CrashPoint cp, long addr, int len) {
        Set<String> out = new TreeSet<>();
        cp.enumerate(Long.MAX_VALUE, null, s -> {
            byte[] b = new byte[len];
            s.image().read(addr, b, 0, len);
            for (int i = 0; i < len; i++) {
                out.add((addr + i) + "=" + (b[i] & 0xff));
            }
            return true;
        });
        return out;
    }

    @Test
    void forEachPossibleShowsEveryValueOfEveryByteWithoutBranching() {
        SplittableRandom r = new SplittableRandom(0x5E6F);
        for (int program = 0; program < 300; program++) {
            Persistency p = program % 3 == 0 ? Persistency.EADR : Persistency.ADR;
            CrashPoint cp = randomProgram(r, p).crashPoint();
            long addr = 8L * r.nextInt(30);
            int len = 16; // two pieces: per-byte values, not every combination, must be shown
            Set<String> possible = new TreeSet<>();
            cp.forEachBox(box -> {
                DepthFirstChooser chooser = new DepthFirstChooser();
                LazyImage image = new LazyImage(box, chooser);
                image.forEachPossible(addr, len, (a, bytes, off, n) -> {
                    for (int i = 0; i < n; i++) {
                        possible.add((a + i) + "=" + (bytes[off + i] & 0xff));
                    }
                    return true;
                });
                assertEquals(0, image.choicesMade());
                assertTrue(!chooser.advance(), "no choice was made, so one run covers the box");
                return true;
            });
            assertEquals(eagerBytes(cp, addr, len), possible, "program " + program);
        }
    }
}
