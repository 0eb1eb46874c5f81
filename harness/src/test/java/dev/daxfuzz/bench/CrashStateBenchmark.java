package dev.daxfuzz.bench;

import dev.daxfuzz.pm.CrashImage;
import dev.daxfuzz.pm.CrashPoint;
import dev.daxfuzz.pm.CrashState;
import dev.daxfuzz.pm.EnumerationResult;
import dev.daxfuzz.pm.PersistentMemory;
import dev.daxfuzz.pm.Persistency;
import dev.daxfuzz.pm.PmOptions;
import dev.daxfuzz.pm.SeededChooser;
import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.AuxCounters;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;
import org.openjdk.jmh.infra.Blackhole;

/**
 * Crash states enumerated per second, and the cost of building one crash image, for programs of
 * {@code stores} 8-byte stores spread over {@code lines} dirty cache lines.
 *
 * <p>The program is a typical persistent update, fixed by a seed: stores to the dirty lines in
 * turn, a clwb of the line just written after every fourth store and an sfence after every
 * eighth, no mfence, so every instruction is still in flight at the crash point. EnumerationResult is
 * bounded at {@value #STATES_MAX} states a crash point, as {@code --max-states} would bound it;
 * the visitor reads one byte of every state's image so that the overlay is really consulted.
 *
 * <p>Run with {@code mvn -B -Pbench -pl harness -am verify -DskipTests} (see the README).
 */
@State(Scope.Thread)
@Fork(1)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
public class CrashStateBenchmark {
    static final long STATES_MAX = 20_000;

    @Param({"10", "100", "1000"})
    int stores;

    @Param({"1", "8", "64"})
    int lines;

    private PersistentMemory pm;
    private CrashPoint point;
    private long draws;

    @Setup(Level.Trial)
    public void program() {
        pm = new PersistentMemory(PmOptions.of(1 << 20, Persistency.ADR));
        SplittableRandom r = new SplittableRandom(0xBE7C4L + stores * 131L + lines);
        for (int i = 0; i < stores; i++) {
            long line = i % lines;
            long addr = line * 64 + 8L * r.nextInt(8);
            pm.storeLong(0, addr, r.nextLong(), 8, i);
            if (i % 4 == 3) {
                pm.clwb(0, addr, i);
            }
            if (i % 8 == 7) {
                pm.sfence(0, i);
            }
        }
    }

    @Setup(Level.Iteration)
    public void crashPoint() {
        point = pm.crashPoint();
    }

    /** Counts states so that JMH reports them per second. */
    @AuxCounters(AuxCounters.Type.OPERATIONS)
    @State(Scope.Thread)
    public static class Counters {
        public long states;
    }

    @Benchmark
    @BenchmarkMode(Mode.Throughput)
    @OutputTimeUnit(TimeUnit.SECONDS)
    public long enumerate(Counters counters, Blackhole bh) {
        CrashPoint cp = pm.crashPoint();
        EnumerationResult e = cp.enumerate(STATES_MAX, null, s -> {
            bh.consume(s.image().read(0));
            return true;
        });
        counters.states += e.states();
        return e.states();
    }

    /** Draws one crash state of a prepared crash point and reads every line in flight through its overlay. */
    @Benchmark
    @BenchmarkMode(Mode.AverageTime)
    @OutputTimeUnit(TimeUnit.NANOSECONDS)
    public void buildImage(Blackhole bh) {
        CrashState s = point.draw(new SeededChooser(draws++));
        CrashImage image = s.image();
        byte[] line = new byte[64];
        for (int l = 0; l < lines; l++) {
            image.read(l * 64L, line, 0, 64);
            bh.consume(line[7]);
        }
    }
}
