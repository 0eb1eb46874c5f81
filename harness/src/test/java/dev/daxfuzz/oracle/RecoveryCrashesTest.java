package dev.daxfuzz.oracle;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.daxfuzz.fs.RecoveryWrites;
import dev.daxfuzz.pm.ByteImage;
import dev.daxfuzz.pm.Persistency;
import dev.daxfuzz.pm.PersistentMemory;
import java.lang.reflect.Constructor;
import java.lang.reflect.Method;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;

/**
 * The images {@link RecoveryCrashes} visits are exactly those of a slow reference written from
 * the x86 rules for one CPU that issues cached stores, write-backs and fences: under ADR, at a
 * crash before a barrier, every store of earlier epochs has persisted, and each line written in
 * this epoch holds a prefix of its writes plus any subset of the 8-byte words of the next one;
 * under eADR, a prefix of the epoch's stores plus any subset of the words of the next. Both read
 * the bytes recovery did not write from the image being recovered.
 */
class RecoveryCrashesTest {
    private static final int LINES = 6;
    private static final int DEVICE = 4096;

    /** A store within the test's few lines. */
    private record St(long addr, byte[] bytes) {
    }

    @Test
    void lazyImagesOverTheUnderlayAreExactlyTheReferenceImages() throws Exception {
        SplittableRandom r = new SplittableRandom(0xC0FFEEL);
        long compared = 0;
        for (int round = 0; round < 300; round++) {
            Persistency persistency = round % 3 == 2 ? Persistency.EADR : Persistency.ADR;
            byte[] base = new byte[DEVICE];
            r.nextBytes(base);
            List<Object> log = randomLog(r, persistency == Persistency.EADR);
            if (persistency == Persistency.ADR && adrImagesAtMost(log) > 2048) {
                // Reading every byte resolves every line: keep the product small enough to list.
                continue;
            }
            Map<String, TreeSet<String>> ref = persistency == Persistency.ADR ? reference(base, log, persistency)
                    : emulatorReference(base, log, persistency);
            Map<String, TreeSet<String>> lazy = new LinkedHashMap<>();
            RecoveryCrashes rc = new RecoveryCrashes(persistency);
            rc.startPoint(100_000);
            assertTrue(rc.forEach(new ByteImage(base), toWrites(log), (where, image) -> {
                lazy.computeIfAbsent(where, k -> new TreeSet<>()).add(HexFormat.of().formatHex(image.toBytes()));
                return true;
            }));
            assertEquals(0, rc.cuts());
            assertEquals(ref.keySet(), lazy.keySet(), "crash points, round " + round);
            for (String k : ref.keySet()) {
                assertEquals("", difference(ref.get(k), lazy.get(k), base),
                        "images " + k + ", round " + round + " (" + persistency + "), log " + describe(log));
                compared += ref.get(k).size();
            }
        }
        assertTrue(compared > 1000, "enough images compared: " + compared);
    }

    @Test
    void thePointsBoundCutsTheExplorationAndSaysSo() throws Exception {
        List<Object> log = List.of(new St(0, new byte[64]), new St(64, new byte[64]), "b1");
        byte[] base = new byte[DEVICE];
        java.util.Arrays.fill(base, (byte) 1);
        RecoveryCrashes rc = new RecoveryCrashes(Persistency.ADR);
        rc.startPoint(5);
        int[] seen = {0};
        rc.forEach(new ByteImage(base), toWrites(log), (w, i) -> {
            i.toBytes();
            seen[0]++;
            return true;
        });
        assertEquals(5, seen[0]);
        assertEquals(1, rc.cuts());
        rc.forEach(new ByteImage(base), toWrites(log), (w, i) -> true);
        assertEquals(1, rc.cuts(), "one cut per crash point");
        rc.startPoint(1_000_000);
        seen[0] = 0;
        rc.forEach(new ByteImage(base), toWrites(log), (w, i) -> {
            i.toBytes();
            seen[0]++;
            return true;
        });
        assertEquals(256 * 256, seen[0], "two torn lines: every combination of their pieces, even where a"
                + " piece writes zeros over zeros the emulator would not tell apart");
        assertEquals(1, rc.cuts());
    }

    @Test
    void aRecoveryThatWroteNothingHasNoCrashImages() {
        RecoveryCrashes rc = new RecoveryCrashes(Persistency.ADR);
        assertTrue(rc.forEach(new ByteImage(new byte[DEVICE]), RecoveryWrites.NONE, (w, i) -> {
            throw new AssertionError("visited");
        }));
        assertEquals(0, rc.runs());
    }

    @Test
    void theVisitorCanStopTheExploration() throws Exception {
        List<Object> log = List.of(new St(0, new byte[] {1, 2, 3}), "b1", new St(64, new byte[] {4}), "b2");
        RecoveryCrashes rc = new RecoveryCrashes(Persistency.ADR);
        int[] seen = {0};
        assertFalse(rc.forEach(new ByteImage(new byte[DEVICE]), toWrites(log), (w, i) -> ++seen[0] < 2));
        assertEquals(2, seen[0]);
    }

    /** "" when equal; else how many images each side lacks, and the first one's bytes that differ from the base. */
    private static String difference(TreeSet<String> ref, TreeSet<String> lazy, byte[] base) {
        if (ref.equals(lazy)) {
            return "";
        }
        TreeSet<String> missing = new TreeSet<>(ref);
        missing.removeAll(lazy);
        TreeSet<String> extra = new TreeSet<>(lazy);
        extra.removeAll(ref);
        StringBuilder all = new StringBuilder();
        for (String m : missing) {
            all.append(" [").append(changes(m, base)).append("]");
        }
        all.append(" visited:");
        for (String m : lazy) {
            all.append(" [").append(changes(m, base)).append("]");
        }
        return missing.size() + " reference images not visited:" + all + "; first: "
                + (missing.isEmpty() ? "-" : changes(missing.first(), base)) + "; " + extra.size()
                + " images visited that the reference lacks, first: " + (extra.isEmpty() ? "-" : changes(extra.first(), base));
    }

    private static String changes(String hex, byte[] base) {
        byte[] b = HexFormat.of().parseHex(hex);
        StringBuilder sb = new StringBuilder();
        for (int i = 0; i < b.length; i++) {
            if (b[i] != base[i]) {
                sb.append(String.format("%d=%02x ", i, b[i] & 0xff));
            }
        }
        return sb.toString();
    }

    private static String describe(List<Object> log) {
        StringBuilder sb = new StringBuilder();
        for (Object o : log) {
            sb.append(o instanceof St s ? "store@" + s.addr() + "+" + s.bytes().length : "|" + o).append(' ');
        }
        return sb.toString();
    }

    // ---- the log and the reference ---------------------------------------------------------------

    private static List<Object> randomLog(SplittableRandom r, boolean oneLineStores) {
        List<Object> log = new ArrayList<>();
        int n = 1 + r.nextInt(5);
        for (int i = 0; i < n; i++) {
            int line = r.nextInt(LINES);
            int start = r.nextInt(64);
            int max = oneLineStores ? 64 - start : 64 * (LINES - line) - start;
            int len = 1 + r.nextInt(Math.min(max, r.nextBoolean() ? 16 : 80));
            byte[] b = new byte[len];
            r.nextBytes(b);
            log.add(new St((long) line * 64 + start, b));
            if (r.nextInt(3) == 0 || i == n - 1) {
                log.add("barrier " + i);
            }
        }
        return log;
    }

    private static RecoveryWrites toWrites(List<Object> log) throws Exception {
        Class<?> builder = Class.forName("dev.daxfuzz.fs.RecoveryWrites$Builder");
        Constructor<?> c = builder.getDeclaredConstructor();
        c.setAccessible(true);
        Object b = c.newInstance();
        Method write = builder.getDeclaredMethod("write", long.class, byte[].class, int.class, int.class);
        Method barrier = builder.getDeclaredMethod("barrier", String.class);
        Method build = builder.getDeclaredMethod("build");
        write.setAccessible(true);
        barrier.setAccessible(true);
        build.setAccessible(true);
        for (Object o : log) {
            if (o instanceof St s) {
                write.invoke(b, s.addr(), s.bytes(), 0, s.bytes().length);
            } else {
                barrier.invoke(b, (String) o);
            }
        }
        return (RecoveryWrites) build.invoke(b);
    }

    /**
     * The emulator's own images, eagerly: a whole device holding the base, the same stores as
     * data, and every distinct image of each crash point copied out. Used for eADR, where the
     * emulator's rule for a store caught half-way is its own (its litmus tests pin it).
     */
    private static Map<String, TreeSet<String>> emulatorReference(byte[] base, List<Object> log, Persistency persistency) {
        dev.daxfuzz.pm.PersistentMemory pm = new dev.daxfuzz.pm.PersistentMemory(
                dev.daxfuzz.pm.PmOptions.of(DEVICE, persistency));
        pm.initialize(0, base, 0, base.length);
        Map<String, TreeSet<String>> out = new LinkedHashMap<>();
        TreeSet<Integer> dirty = new TreeSet<>();
        for (Object o : log) {
            if (o instanceof St s) {
                pm.store(0, s.addr(), s.bytes(), 0, s.bytes().length, 0);
                for (Part p : parts(s)) {
                    dirty.add(p.line());
                }
                continue;
            }
            if (dirty.isEmpty()) {
                continue;
            }
            if (persistency == Persistency.ADR) {
                pm.serialize();
            }
            TreeSet<String> images = new TreeSet<>();
            pm.crashPoint().enumerate(Long.MAX_VALUE, new dev.daxfuzz.pm.FingerprintSet(), st -> {
                images.add(HexFormat.of().formatHex(st.image().toBytes()));
                return true;
            });
            out.put("before \"" + o + "\" was durable", images);
            for (int line : dirty) {
                pm.clwb(0, (long) line * 64, 0);
            }
            dirty.clear();
            pm.mfence(0, 0);
        }
        return out;
    }

    /** An upper bound on the ADR images the reference lists: per epoch, the product over lines. */
    private static long adrImagesAtMost(List<Object> log) {
        long total = 0;
        Map<Integer, List<Part>> byLine = new LinkedHashMap<>();
        for (Object o : log) {
            if (o instanceof St s) {
                for (Part p : parts(s)) {
                    byLine.computeIfAbsent(p.line(), k -> new ArrayList<>()).add(p);
                }
                continue;
            }
            long product = 1;
            for (List<Part> writes : byLine.values()) {
                long variants = writes.size() + 1;
                for (Part p : writes) {
                    variants += (1L << Integer.bitCount(p.words())) - 2;
                }
                product = Math.min(1L << 40, product * variants);
            }
            total += byLine.isEmpty() ? 0 : product;
            byLine.clear();
        }
        return total;
    }

    /** One store's part within one line. */
    private record Part(int line, int start, byte[] bytes) {
        int words() {
            int first = start / 8;
            int last = (start + bytes.length - 1) / 8;
            return ((1 << (last + 1)) - 1) & ~((1 << first) - 1);
        }

        void applyWords(byte[] image, int words) {
            for (int i = 0; i < bytes.length; i++) {
                if ((words & (1 << ((start + i) / 8))) != 0) {
                    image[line * 64 + start + i] = bytes[i];
                }
            }
        }
    }

    private static List<Part> parts(St s) {
        List<Part> out = new ArrayList<>();
        int done = 0;
        while (done < s.bytes().length) {
            long a = s.addr() + done;
            int in = (int) (a % 64);
            int n = Math.min(s.bytes().length - done, 64 - in);
            byte[] piece = new byte[n];
            System.arraycopy(s.bytes(), done, piece, 0, n);
            out.add(new Part((int) (a / 64), in, piece));
            done += n;
        }
        return out;
    }

    private static Map<String, TreeSet<String>> reference(byte[] base, List<Object> log, Persistency persistency) {
        Map<String, TreeSet<String>> out = new LinkedHashMap<>();
        byte[] committed = base.clone();
        List<St> epoch = new ArrayList<>();
        for (Object o : log) {
            if (o instanceof St s) {
                epoch.add(s);
                continue;
            }
            if (epoch.isEmpty()) {
                continue;
            }
            TreeSet<String> images = new TreeSet<>();
            if (persistency == Persistency.ADR) {
                Map<Integer, List<Part>> byLine = new LinkedHashMap<>();
                for (St s : epoch) {
                    for (Part p : parts(s)) {
                        byLine.computeIfAbsent(p.line(), k -> new ArrayList<>()).add(p);
                    }
                }
                product(new ArrayList<>(byLine.values()), 0, committed.clone(), images);
            } else {
                byte[] img = committed.clone();
                for (St s : epoch) {
                    Part p = parts(s).get(0);
                    for (int sub = 0; sub < 256; sub++) {
                        if ((sub & ~p.words()) == 0) {
                            byte[] t = img.clone();
                            p.applyWords(t, sub);
                            images.add(HexFormat.of().formatHex(t));
                        }
                    }
                    p.applyWords(img, p.words());
                }
                images.add(HexFormat.of().formatHex(img));
            }
            out.put("before \"" + o + "\" was durable", images);
            for (St s : epoch) {
                for (Part p : parts(s)) {
                    p.applyWords(committed, p.words());
                }
            }
            epoch.clear();
        }
        return out;
    }

    /** Every combination, over the lines, of a prefix of the line's writes and words of the next. */
    private static void product(List<List<Part>> lines, int i, byte[] img, TreeSet<String> out) {
        if (i == lines.size()) {
            out.add(HexFormat.of().formatHex(img));
            return;
        }
        List<Part> writes = lines.get(i);
        byte[] cur = img.clone();
        for (int p = 0; p <= writes.size(); p++) {
            product(lines, i + 1, cur, out);
            if (p == writes.size()) {
                break;
            }
            Part next = writes.get(p);
            for (int sub = 1; sub < 256; sub++) {
                if ((sub & ~next.words()) == 0 && sub != next.words()) {
                    byte[] t = cur.clone();
                    next.applyWords(t, sub);
                    product(lines, i + 1, t, out);
                }
            }
            cur = cur.clone();
            next.applyWords(cur, next.words());
        }
    }

    static {
        if (PersistentMemory.LINE_BYTES != 64) {
            throw new AssertionError("the reference assumes 64-byte lines");
        }
    }
}
