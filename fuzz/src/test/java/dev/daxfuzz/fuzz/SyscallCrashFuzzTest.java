package dev.daxfuzz.fuzz;

import com.code_intelligence.jazzer.api.Jazzer;
import com.code_intelligence.jazzer.junit.FuzzTest;
import dev.daxfuzz.fuzzing.FuzzConfig;
import dev.daxfuzz.fuzzing.SyscallCrash;

/**
 * {@code SyscallCrash}, byte encoding: the input decodes (totally, {@code ByteCodec}) to a program
 * of file-system calls, mappings, user stores, flushes, fences and crash points over a small name
 * space, on the design of the campaign's configuration ({@link FuzzConfig#fromEnvironment()}:
 * correct designs unless {@code daxfuzz.bugs} or {@code DAXFUZZ_BUGS} name seeded bugs). A sample
 * of every crash point's states ({@link SyscallCrash#sample}), or with {@code -Ddaxfuzz.check=all}
 * every state within the configuration's bounds, is recovered and checked by every oracle; a
 * violation is thrown as a {@link CrashConsistencyViolation} named by its dedup token.
 *
 * <p>{@link #fuzzerTestOneInput} is the standalone-driver and OSS-Fuzz entry point ({@code daxfuzz
 * fuzz} runs it); {@link #bytes} is the same target for JUnit (regression inputs in
 * {@code SyscallCrashFuzzTestInputs/}).
 */
public class SyscallCrashFuzzTest {
    private static final FuzzConfig CONFIG = FuzzConfig.fromEnvironment();
    /**
     * Under {@code daxfuzz fuzz} ({@code -Ddaxfuzz.stats=N}): print the counters every N
     * executions and once more when the JVM exits, for its status line and summary; silent
     * otherwise (under JUnit, for one).
     */
    private static final int STATS_EVERY = Integer.getInteger("daxfuzz.stats", 0);
    /**
     * Depth feedback ({@code -Ddaxfuzz.feedback=none} turns it off, for measuring what it adds):
     * each of the run's depth counters ({@link dev.daxfuzz.run.Depth}), bucketed, is an abstract
     * state for Jazzer's {@code exploreState}, so an input that first wraps the journal, hits
     * ENOSPC or makes recovery replay more transactions is kept even when it covers no new branch.
     */
    private static final boolean FEEDBACK = !"none".equals(System.getProperty("daxfuzz.feedback"));
    /** exploreState ids are a 32-bit space shared with nothing else in this target. */
    private static final int FEEDBACK_ID = 0x0da0;
    /**
     * {@code -Ddaxfuzz.check=all} checks every crash state within the bounds, as before sampling
     * (for measuring what the sample misses); by default each input checks a sample, a few times
     * faster on inputs with large stores, and the campaign's triage confirms what it finds.
     */
    private static final boolean CHECK_ALL = "all".equals(System.getProperty("daxfuzz.check"));
    private static long execs;
    private static long states;
    private static long nanos;
    private static long shortExecs;
    private static long shortNanos;

    static {
        if (STATS_EVERY > 0) {
            Runtime.getRuntime().addShutdownHook(new Thread(SyscallCrashFuzzTest::printStats));
        }
    }

    private static synchronized void printStats() {
        // Time in the target (decoding and checking), for the speed figures only: nothing the
        // target decides depends on it.
        System.err.println("daxfuzz-stats execs=" + execs + " states=" + states + " micros=" + nanos / 1000
                + " short=" + shortExecs + " shortMicros=" + shortNanos / 1000);
        System.err.flush();
    }

    public static void fuzzerTestOneInput(byte[] data) {
        check(data);
    }

    @FuzzTest(maxDuration = "30s")
    void bytes(byte[] data) {
        check(data);
    }

    static void check(byte[] data) {
        long t0 = System.nanoTime();
        SyscallCrash.Outcome o = CHECK_ALL ? SyscallCrash.check(data, CONFIG) : SyscallCrash.sample(data, CONFIG);
        long took = System.nanoTime() - t0;
        if (FEEDBACK) {
            byte[] f = o.result().depth().features();
            for (int i = 0; i < f.length; i++) {
                Jazzer.exploreState(f[i], FEEDBACK_ID + i);
            }
        }
        synchronized (SyscallCrashFuzzTest.class) {
            execs++;
            states += o.crashStates();
            nanos += took;
            if (o.program().steps().size() <= SyscallCrash.SHORT_STATEMENTS) {
                shortExecs++;
                shortNanos += took;
            }
        }
        if (STATS_EVERY > 0 && execs % STATS_EVERY == 0) {
            printStats();
        }
        o.violation().ifPresent(v -> {
            // The input in the byte encoding, for `daxfuzz fuzz`: a typed target's own artifact is
            // in Jazzer's serialisation, which nothing else reads.
            System.err.println("daxfuzz-input " + java.util.HexFormat.of().formatHex(data));
            throw new CrashConsistencyViolation(SyscallCrash.dedupKey(o.program(), v), v.kind() + ": " + v.summary());
        });
    }
}
