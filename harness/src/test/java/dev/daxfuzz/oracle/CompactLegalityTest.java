package dev.daxfuzz.oracle;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.daxfuzz.oracle.model.DataEvent;
import dev.daxfuzz.program.Bytes;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;

/**
 * Goal: the oracle's compact forms decide exactly what the per-byte definitions decide.
 * {@link DataLegality.FilePlan} against {@link DataLegality#legalSet} for every byte and value of
 * random data histories, and {@link PromisedBytes} against the map from the text
 * {@code "inode:offset"} to the latest promised store that the MAP_SYNC check used to build,
 * byte for byte and in the same order. Seeded, so a failure reproduces.
 */
class CompactLegalityTest {
    @Test
    void filePlanAgreesWithTheByteByByteDefinition() {
        Random rnd = new Random(14);
        for (int round = 0; round < 300; round++) {
            List<DataEvent> events = new ArrayList<>();
            int steps = 1 + rnd.nextInt(12);
            for (int step = 0; step < steps; step++) {
                int kind = rnd.nextInt(5);
                long off = rnd.nextInt(96);
                int len = 1 + rnd.nextInt(40);
                if (kind <= 1) {
                    byte[] b = new byte[len];
                    for (int i = 0; i < len; i++) {
                        b[i] = (byte) rnd.nextInt(4);
                    }
                    events.add(DataEvent.write(step, kind == 1 && rnd.nextBoolean(), off, Bytes.of(b)));
                } else if (kind == 2) {
                    events.add(DataEvent.discard(step, off, len));
                } else if (kind == 3) {
                    events.add(DataEvent.sync(step));
                }
            }
            int current = rnd.nextInt(steps + 1) - 1;
            int completed = Math.max(-1, current - rnd.nextInt(2));
            int committed = -1 + rnd.nextInt(current + 2);
            DataLegality.FilePlan plan = DataLegality.plan(events, completed, current, committed);
            // Out of order on purpose: the plan's segment cursor must not care.
            for (int k = 0; k < 200; k++) {
                long o = k < 150 ? k : rnd.nextInt(200);
                long[] set = DataLegality.legalSet(events, o, completed, current, committed);
                for (int v = 0; v < 6; v++) {
                    boolean want = (set[v >>> 6] & (1L << (v & 63))) != 0;
                    assertEquals(want, plan.legal(o, v), "round " + round + " offset " + o + " value " + v);
                }
            }
            // Runs of bytes and runs of zeros: the first illegal one, as the byte-by-byte loop finds it.
            for (int k = 0; k < 20; k++) {
                long from = rnd.nextInt(160);
                int len = 1 + rnd.nextInt(64);
                byte[] bytes = new byte[len + 3];
                for (int i = 0; i < bytes.length; i++) {
                    bytes[i] = (byte) rnd.nextInt(4);
                }
                int wantByte = -1;
                long wantZero = -1;
                for (int i = len - 1; i >= 0; i--) {
                    long[] set = DataLegality.legalSet(events, from + i, completed, current, committed);
                    if ((set[0] & (1L << bytes[3 + i])) == 0) {
                        wantByte = i;
                    }
                    if ((set[0] & 1L) == 0) {
                        wantZero = from + i;
                    }
                }
                assertEquals(wantByte, plan.firstIllegal(from, bytes, 3, len), "round " + round);
                assertEquals(wantZero, plan.firstIllegalZero(from, from + len), "round " + round);
            }
        }
    }

    @Test
    void promisedBytesVisitsTheLatestStoreOfEachByteInTextOrder() {
        Random rnd = new Random(9);
        for (int round = 0; round < 200; round++) {
            List<PromisedStore> stores = new ArrayList<>();
            int n = 1 + rnd.nextInt(8);
            for (int k = 0; k < n; k++) {
                int len = 1 + rnd.nextInt(rnd.nextBoolean() ? 30 : 300);
                long off = rnd.nextInt(rnd.nextBoolean() ? 150 : 1200);
                int inode = rnd.nextInt(3) * (rnd.nextBoolean() ? 1 : 11);
                stores.add(new PromisedStore(k, inode, off, 0x10000 + off, new byte[len], new byte[len], "MAP_SYNC"));
            }
            int current = rnd.nextInt(n + 1) - 1;
            TreeMap<String, long[]> latest = new TreeMap<>();
            for (int si = 0; si < stores.size() && stores.get(si).step() <= current; si++) {
                PromisedStore s = stores.get(si);
                for (int i = 0; i < s.bytes().length; i++) {
                    latest.put(s.modelInode() + ":" + (s.fileOffset() + i), new long[] {si, i});
                }
            }
            List<String> want = new ArrayList<>();
            for (Map.Entry<String, long[]> e : latest.entrySet()) {
                want.add(e.getKey() + "=" + e.getValue()[0] + "/" + e.getValue()[1]);
            }
            List<String> got = new ArrayList<>();
            assertTrue(PromisedBytes.of(stores, current).forEachLatest((s, i) -> {
                got.add(s.modelInode() + ":" + (s.fileOffset() + i) + "=" + stores.indexOf(s) + "/" + i);
                return true;
            }));
            assertEquals(want, got, "round " + round);
        }
    }

    @Test
    void promisedBytesStopsWhenAsked() {
        List<PromisedStore> stores = List.of(new PromisedStore(0, 1, 0, 0, new byte[100], new byte[100], "MAP_SYNC"));
        int[] seen = {0};
        boolean done = PromisedBytes.of(stores, 0).forEachLatest((s, i) -> ++seen[0] < 5);
        assertEquals(false, done);
        assertEquals(5, seen[0]);
    }
}
