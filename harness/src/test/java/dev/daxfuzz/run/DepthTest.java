package dev.daxfuzz.run;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.daxfuzz.fs.FsStats;
import dev.daxfuzz.oracle.CrashChecker;
import org.junit.jupiter.api.Test;

class DepthTest {
    @Test
    void bucketsAreExactToThreeThenOnePerPowerOfTwo() {
        int[] values = {0, 1, 2, 3, 4, 7, 8, 15, 16, 1000, Integer.MAX_VALUE};
        int[] buckets = {0, 1, 2, 3, 4, 4, 5, 5, 6, 11, 32};
        for (int i = 0; i < values.length; i++) {
            assertEquals(buckets[i], Depth.bucket(values[i]), "bucket of " + values[i]);
        }
    }

    @Test
    void everyCounterHasANamedFeature() {
        Depth d = new Depth(FsStats.Snapshot.NONE, new CrashChecker.RecoveryDepth(5, 1, 2), 9);
        byte[] f = d.features();
        assertEquals(Depth.FEATURES.size(), f.length);
        assertEquals(FsStats.Snapshot.NONE.values().length + 4, f.length);
        assertEquals(Depth.bucket(5), f[Depth.FEATURES.indexOf("max-transactions-replayed")]);
        assertEquals(Depth.bucket(9), f[Depth.FEATURES.indexOf("max-writes-in-flight")]);
    }
}
