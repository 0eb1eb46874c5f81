package dev.daxfuzz.bench;

import dev.daxfuzz.fs.FsOptions;
import dev.daxfuzz.program.DxpSyntaxError;
import dev.daxfuzz.program.Program;
import dev.daxfuzz.program.ProgramParser;
import dev.daxfuzz.run.FsRunner;
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

/**
 * Crash states checked per second by {@code daxfuzz explore} on a typical 10-call program of the
 * journal design: the whole run (file system, model, every crash point explored exhaustively,
 * each crash state recovered, fsck'd and compared). The figure counts checks run; each stands for
 * every image it cannot tell apart (see {@code LazyImage}).
 */
@State(Scope.Thread)
@Fork(1)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
public class ExploreBenchmark {
    static final String TEN_CALLS = String.join("\n",
            "mkdir /d",
            "open f /d/a creat,rdwr",
            "write f 0 \"hello, persistent world\"",
            "write f 4090 fill:0x61*300",
            "fsync f",
            "rename /d/a /d/b",
            "link /d/b /c",
            "truncate f 100",
            "fdatasync f",
            "unlink /c") + "\n";

    @Param({"adr", "eadr"})
    String persistency;

    private Program program;

    @Setup(Level.Trial)
    public void parse() throws DxpSyntaxError {
        program = ProgramParser.parse("bench.dxp", "persistency " + persistency + "\n" + TEN_CALLS);
    }

    /** Counts crash states so that JMH reports them per second. */
    @AuxCounters(AuxCounters.Type.OPERATIONS)
    @State(Scope.Thread)
    public static class Counters {
        public long crashStates;
    }

    @Benchmark
    @BenchmarkMode(Mode.Throughput)
    @OutputTimeUnit(TimeUnit.SECONDS)
    public long explore(Counters counters) {
        FsRunner.Result r = FsRunner.run(program, Long.MAX_VALUE, FsOptions.DEFAULT, (v, n) -> true);
        if (!r.violations().isEmpty() || !r.truncatedAt().isEmpty()) {
            throw new IllegalStateException("the benchmark program must be clean and fully explored");
        }
        counters.crashStates += r.crashStates();
        return r.crashStates();
    }
}
