package dev.daxfuzz.cli;

import dev.daxfuzz.fs.FsGeometry;
import dev.daxfuzz.program.Data;
import dev.daxfuzz.program.Expectation;
import dev.daxfuzz.program.Op;
import dev.daxfuzz.program.Program;
import dev.daxfuzz.program.SourcePos;
import dev.daxfuzz.program.Step;
import java.util.Optional;

/**
 * Refuses, before it runs, a program whose stated sizes cannot fit the Java heap: the device
 * size, and the largest data literal. Without this, {@code device 1024M} under {@code -Xmx1g} or
 * {@code fill:0x41*1000M} under {@code -Xmx256m} ran into an {@code OutOfMemoryError}; now they
 * are a usage error (exit 2) that names the line, what it needs, the heap's limit and how to
 * raise it. The estimate deliberately errs low (it takes the single largest literal, not the
 * sum of all): a program it lets through may still run out, which {@link Main} reports as an
 * internal error saying so, but a program it refuses surely cannot run.
 *
 * <p>{@link #need} is the one place that knows what a run keeps in memory; update it (and its
 * measurements below) when the emulator or the runner changes how much they keep.
 */
final class HeapBudget {
    // Measured with tools/measure-heap.sh (the smallest -Xmx, in steps of 8 MiB, with which
    // `explore` completes under the serial GC) on 2026-12-03. Each figure is rounded down, so the
    // estimate errs low: what it refuses surely cannot run.

    /** The JVM, the classes and a small program's working set: a 1 MiB program ran in 7 MiB. */
    static final long BASELINE_BYTES = 7L << 20;
    /**
     * Heap bytes per device byte: the emulator's durable image and its cache, plus the crash image
     * a recovery reads: 199 MiB for a 64 MiB device, 390 MiB for 128 MiB, i.e. 3.0 to 3.1.
     */
    static final int DEVICE_BYTES_PER_BYTE = 3;
    /** A data literal materialised (its bytes, their copy into the call): 3.06 measured for 64 MiB. */
    static final int LITERAL_BYTES_PER_BYTE = 3;
    /** A {@code => DATA} expectation is materialised twice (the literal and the comparison): 6.2 measured. */
    static final int EXPECTED_BYTES_PER_BYTE = 6;
    /**
     * A raw-device {@code store} or {@code ntstore}, beyond its literal: every byte is pending in
     * the emulator at the crash points after it. A 4 MiB store on a 16 MiB device ran in 111 MiB,
     * a 1 MiB one in 63 MiB: about 11 more per stored byte; the estimate uses 10.
     */
    static final int RAW_STORE_BYTES_PER_BYTE = 10;
    /**
     * A {@code write} through the journal file system, beyond its literal, for the bytes that can
     * land (at most the largest file): its non-temporal stores and the model's data history. A
     * 4 MiB write and fsync on a 16 MiB device ran in 111 MiB, a 1 MiB one in 55 MiB: about 11
     * more per byte; the estimate uses 10.
     */
    static final int FS_WRITE_BYTES_PER_BYTE = 10;
    /**
     * A store through a mapping ({@code mstore}, {@code mntstore}), beyond its literal: its
     * pending lines and the promise the oracle keeps for a MAP_SYNC store. A 4 MiB MAP_SYNC store
     * and persist on a 16 MiB device ran in 119 MiB: about 13 more per byte; the estimate uses 12.
     */
    static final int USER_STORE_BYTES_PER_BYTE = 12;

    private HeapBudget() {
    }

    /**
     * What a program needs most: the heap bytes its largest stated size costs, what that size is,
     * and where it was written (empty for the device when the header did not say).
     */
    record Need(long bytes, String what, Optional<SourcePos> where) {
    }

    /**
     * The estimate: the baseline, the device's copies, and the single most expensive data literal
     * with its per-byte cost for the statement that carries it.
     */
    static Need need(Program program, Optional<SourcePos> deviceLine) {
        long device = program.header().deviceBytes();
        long deviceCost = DEVICE_BYTES_PER_BYTE * device;
        Step largest = null;
        long literalCost = 0;
        for (Step step : program.steps()) {
            long cost = literalCost(step);
            if (cost > literalCost) {
                literalCost = cost;
                largest = step;
            }
        }
        long total = BASELINE_BYTES + deviceCost + literalCost;
        // Name what costs more: the device line, or the statement with the largest literal.
        if (largest == null || deviceCost >= literalCost) {
            return new Need(total, "a device of " + InputFiles.size(device), deviceLine);
        }
        return new Need(total, "a data literal of " + InputFiles.size(literalLength(largest)) + " (on a "
                + InputFiles.size(device) + " device)", Optional.of(largest.pos()));
    }

    /** The heap bytes the data literals of {@code step} cost. */
    private static long literalCost(Step step) {
        Op op = step.op();
        long n = opLiteralLength(op);
        long cost = LITERAL_BYTES_PER_BYTE * n;
        if (op instanceof Op.Store || op instanceof Op.NtStore) {
            cost += RAW_STORE_BYTES_PER_BYTE * n;
        } else if (op instanceof Op.Write) {
            cost += FS_WRITE_BYTES_PER_BYTE * Math.min(n, FsGeometry.LIMITS.fileSizeMaxBytes());
        } else if (op instanceof Op.MStore || op instanceof Op.MNtStore) {
            cost += USER_STORE_BYTES_PER_BYTE * n;
        }
        return Math.max(cost, EXPECTED_BYTES_PER_BYTE * expectedLiteralLength(step));
    }

    /** The length of the largest data literal of {@code step}. */
    private static long literalLength(Step step) {
        return Math.max(opLiteralLength(step.op()), expectedLiteralLength(step));
    }

    private static long opLiteralLength(Op op) {
        Data data = null;
        if (op instanceof Op.Store s) {
            data = s.data();
        } else if (op instanceof Op.NtStore s) {
            data = s.data();
        } else if (op instanceof Op.Write w) {
            data = w.data();
        } else if (op instanceof Op.MStore s) {
            data = s.data();
        } else if (op instanceof Op.MNtStore s) {
            data = s.data();
        } else if (op instanceof Op.Crash c && c.choices().isPresent()) {
            data = c.choices().get();
        }
        return data == null ? 0 : data.length();
    }

    private static long expectedLiteralLength(Step step) {
        return step.expectation().orElse(null) instanceof Expectation.Returns r ? r.data().length() : 0;
    }

    /**
     * Refuses {@code program} (a usage error) when {@link #need} exceeds {@code maxHeap}
     * ({@code Runtime.maxMemory()} in production).
     *
     * @param source the file, as the user named it
     * @param decoded the program was decoded from a raw input: its positions number statements
     */
    static void requireFits(Program program, String source, Optional<SourcePos> deviceLine, long maxHeap,
                            boolean decoded) {
        Need need = need(program, deviceLine);
        // Off only to re-measure the constants above (tools/measure-heap.sh).
        if (need.bytes() <= maxHeap || Boolean.getBoolean("daxfuzz.measureHeap")) {
            return;
        }
        String where = need.where().map(p -> decoded ? source + ": decoded statement " + p.line() + ": "
                : source + ":" + p + ": ").orElse(source + ": ");
        long suggestGiB = (need.bytes() + need.bytes() / 4 + (1L << 30) - 1) >> 30;
        throw new UsageException(where + "expected a program that fits the Java heap: " + need.what() + " needs about "
                + gib(need.bytes()) + " of heap, but the heap is limited to " + gib(maxHeap) + "; raise the limit with"
                + " DAXFUZZ_JAVA_OPTS=-Xmx" + suggestGiB + "g (the daxfuzz launcher passes it to java)");
    }

    /** {@code bytes} in MiB below a GiB, else in GiB with one decimal. */
    static String gib(long bytes) {
        if (bytes < (1L << 30)) {
            return ((bytes + (1L << 20) - 1) >> 20) + " MiB";
        }
        return String.format(java.util.Locale.ROOT, "%.1f GiB", bytes / (double) (1L << 30));
    }
}
