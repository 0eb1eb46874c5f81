package dev.daxfuzz.bench;

/**
 * Elapsed wall time, for reports of how long something took (time to the first finding, a
 * benchmark's rate) and for the benchmark's time budgets. The one place the harness reads a
 * clock: what it measures is reported, and only {@code daxfuzz bench} and {@code daxfuzz fuzz}
 * let it decide when to stop measuring; exploration, checking and reports of findings never
 * depend on it, so runs stay deterministic (ArchitectureTest allows this file alone).
 */
public final class Stopwatch {
    private final long start = System.nanoTime();

    /** Milliseconds since this stopwatch was made. */
    public long millis() {
        return (System.nanoTime() - start) / 1_000_000;
    }

    /** Today's date (UTC) as {@code yyyy-mm-dd}, to name when a benchmark was measured. */
    public static String today() {
        return java.time.LocalDate.now(java.time.ZoneOffset.UTC).toString();
    }

    /** Nanoseconds since this stopwatch was made. */
    public long nanos() {
        return System.nanoTime() - start;
    }
}
