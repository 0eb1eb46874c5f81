package dev.daxfuzz.cli;

/**
 * Elapsed wall time, for reports of how long something took (time to the first finding, a
 * benchmark's rate). The one place the harness reads a clock: what it measures is printed,
 * never used to decide what runs, so runs stay deterministic (ArchitectureTest allows this file
 * alone).
 */
final class Stopwatch {
    private final long start = System.nanoTime();

    /** Milliseconds since this stopwatch was made. */
    long millis() {
        return (System.nanoTime() - start) / 1_000_000;
    }

    /** Nanoseconds since this stopwatch was made. */
    long nanos() {
        return System.nanoTime() - start;
    }
}
