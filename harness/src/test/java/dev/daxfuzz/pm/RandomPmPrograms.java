package dev.daxfuzz.pm;

import java.util.SplittableRandom;

/** Seeded random single-CPU instruction sequences on a 256-byte device, for emulator tests. */
final class RandomPmPrograms {
    private RandomPmPrograms() {
    }

    /** Up to seven instructions: stores (some non-temporal, some wide), flushes and fences. */
    static PersistentMemory generate(SplittableRandom r, Persistency p) {
        PersistentMemory pm = new PersistentMemory(PmOptions.of(256, p));
        int n = 1 + r.nextInt(7);
        for (int i = 0; i < n; i++) {
            int roll = r.nextInt(10);
            int addr = r.nextInt(240);
            if (roll < 4) {
                pm.storeLong(0, addr, r.nextLong(), 1 << r.nextInt(4), i);
            } else if (roll < 6) {
                byte[] data = new byte[1 + r.nextInt(40)];
                r.nextBytes(data);
                pm.ntStore(0, r.nextInt(256 - data.length), data, 0, data.length, i);
            } else if (roll < 7) {
                pm.clwb(0, addr, i);
            } else if (roll < 8) {
                pm.clflush(0, addr, i);
            } else if (roll < 9) {
                pm.sfence(0, i);
            } else {
                pm.mfence(0, i);
            }
        }
        return pm;
    }
}
