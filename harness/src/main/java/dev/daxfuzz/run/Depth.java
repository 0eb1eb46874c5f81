package dev.daxfuzz.run;

import dev.daxfuzz.fs.FsStats;
import dev.daxfuzz.oracle.CrashChecker;

/**
 * How deep one run went, beyond which code it covered: the file system's own counters (journal
 * commits, wraps and checkpoints, ENOSPC, reused blocks, sync and retried faults, pages written back
 * and faulted again, indirect blocks), what recovery had to do across the crash states (the most
 * transactions one replay applied, replays across the end of the log, orphans freed), and the most
 * writes in flight at one crash point. A coverage-guided fuzzer keeps an input that reaches a new
 * bucket of any of these, so it is rewarded for deep persistent states that reuse code it has
 * already covered. Nothing in a verdict depends on it.
 *
 * @param fs the file system's counters at the end of the run
 * @param recovery what recovery did, over every crash state checked
 * @param maxWritesInFlight the most per-line writes in flight at one crash point
 */
public record Depth(FsStats.Snapshot fs, CrashChecker.RecoveryDepth recovery, int maxWritesInFlight) {
    /** Names of {@link #features()}, in order, for reports and tests. */
    public static final java.util.List<String> FEATURES = java.util.List.of("commits", "checkpoints", "log-wraps",
            "enospc", "blocks-reused", "write-faults", "sync-faults", "retries", "pages-written-back", "refaults",
            "indirect-blocks", "max-transactions-replayed", "wrapped-replays", "orphans-freed", "max-writes-in-flight");

    /**
     * Each counter as a small bucket: 0, 1, 2, 3, then one bucket per power of two (4–7, 8–15, …),
     * so that reaching a counter's next order of magnitude is new, and its exact value is not.
     */
    public byte[] features() {
        int[] f = fs.values();
        byte[] out = new byte[FEATURES.size()];
        for (int i = 0; i < f.length; i++) {
            out[i] = bucket(f[i]);
        }
        out[f.length] = bucket(recovery.maxTransactionsReplayed());
        out[f.length + 1] = bucket(recovery.wrappedReplays());
        out[f.length + 2] = bucket(recovery.orphansFreed());
        out[f.length + 3] = bucket(maxWritesInFlight);
        return out;
    }

    static byte bucket(int v) {
        if (v <= 3) {
            return (byte) Math.max(0, v);
        }
        return (byte) (31 - Integer.numberOfLeadingZeros(v) + 2);
    }
}
