package dev.daxfuzz.bench;

import com.fasterxml.jackson.core.JsonGenerator;
import java.io.BufferedReader;
import java.io.BufferedWriter;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.PrintWriter;
import java.io.UncheckedIOException;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Deque;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.SortedMap;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The memory section of {@code daxfuzz bench}: runs the campaign users leave running
 * ({@code daxfuzz fuzz} on the correct designs from the seed corpus) as a subprocess, with the
 * fuzzing JVM (the one running Jazzer's driver and the target, not the {@code daxfuzz} command's
 * own JVM) at a given {@code -Xmx} and logging its GC pauses, then reads the log: the peak heap in
 * use, the heap left after each GC, and whether that grows over the campaign.
 *
 * <p>Limits. The heap is seen only at GC pauses (see {@link GcLog}). With G1 the heap after a young
 * GC still holds old-generation garbage until a concurrent marking cycle and mixed collections
 * reclaim it, so the "after GC" sizes are an upper bound on the live set, and a rise that falls
 * back at a Remark or mixed pause is not a leak: the verdict is a screen, the plot is the evidence.
 * Off-heap memory (metaspace, code cache, libFuzzer's native corpus and coverage maps, the RSS
 * libFuzzer prints) is not measured. One campaign, one seed: a single run.
 */
public final class MemoryCampaign {
    /** The plot's file name that {@link Result#markdown()} links to. */
    public static final String PLOT_FILE = "memory.svg";

    /** Skipped before judging growth: JVM start-up, JIT, Jazzer's instrumentation, loading the seeds. */
    static final long WARMUP_MILLIS = 60_000;
    /** Each compared window is this fraction of the time after the warm-up. */
    static final double WINDOW_FRACTION = 0.2;
    /** "Grows" needs a rise of more than this fraction of the first window's median ... */
    static final double MIN_RISE_FRACTION = 0.10;
    /** ... and more than this many bytes, so a small heap's 1 MiB rounding steps never count. */
    static final long MIN_RISE_BYTES = 4L << 20;
    /** Fewer GCs than this in either window and the medians mean little: the verdict is unknown. */
    static final int MIN_WINDOW_SAMPLES = 3;

    /** The growth rule in words, for the report and the JSON. */
    public static final String RULE = "skip the first 60 s; split the rest of the campaign by time and take the median"
            + " heap after GC in its first 20 % and in its last 20 %; the heap grows when the last median exceeds the"
            + " first by more than the larger of 10 % of the first and 4 MiB, and the least-squares slope of the heap"
            + " after GC over the whole rest is positive; it is flat otherwise, and unknown when either 20 % holds"
            + " fewer than 3 GC pauses";

    private static final long MIB = 1L << 20;
    /** {@code daxfuzz fuzz}'s summary line: {@code done: N execs, …, corpus C; F failing input(s) -> …}. */
    static final Pattern DONE = Pattern.compile(
            "daxfuzz: done: (\\d+) execs, .*?[,;] (\\d+) failing inputs?\\b");

    private MemoryCampaign() {
    }

    /**
     * What to run: {@code durationSeconds} of {@code target} with libFuzzer seed {@code seed}, the
     * fuzzing JVM at {@code -Xmx<maxHeapMegabytes>m}; {@code repoRoot} holds the {@code daxfuzz}
     * launcher.
     */
    public record Options(Path repoRoot, long durationSeconds, String target, int seed, long maxHeapMegabytes) {
        /** Rejects a campaign that cannot run rather than measuring nothing. */
        public Options {
            if (durationSeconds <= 0) {
                throw new IllegalArgumentException("durationSeconds must be positive: " + durationSeconds);
            }
            if (maxHeapMegabytes < 16) {
                throw new IllegalArgumentException("maxHeapMegabytes is too small for a JVM: " + maxHeapMegabytes);
            }
        }

        /**
         * Ten minutes of {@code syscall-crash}, seed 1, at the fuzzing JVM's usual -Xmx2g
         * ({@code daxfuzz fuzz}'s own default, so the numbers are those of a user's campaign).
         */
        public static Options defaults(Path repoRoot) {
            return new Options(repoRoot, 600, "syscall-crash", 1, 2048);
        }
    }

    /** One GC pause: the fuzzing JVM's uptime and the heap in use before and after it. */
    public record Sample(long uptimeMillis, long heapAfterGcBytes, long heapBeforeGcBytes) {
    }

    /** The growth verdict. */
    public enum Verdict {
        GROWS, FLAT, UNKNOWN;

        /** Lower-case word for reports. */
        public String word() {
            return name().toLowerCase(Locale.ROOT);
        }
    }

    /**
     * The numbers behind the growth verdict (see {@link #RULE}): the span judged
     * ({@code fromMillis} to {@code toMillis} of uptime), the two windows, their sample counts and
     * median heap after GC, the threshold the rise had to pass, and the least-squares slope of the
     * heap after GC over the span in MiB per minute. Medians and counts are zero when a window is
     * empty.
     */
    public record Growth(Verdict verdict, long warmupMillis, long fromMillis, long toMillis, long firstWindowEndMillis,
            long lastWindowStartMillis, int firstWindowSamples, int lastWindowSamples, long firstMedianBytes,
            long lastMedianBytes, long thresholdBytes, double slopeMiBPerMinute, int samplesJudged) {

        /** How much the last window's median is above the first's (negative when below). */
        public long riseBytes() {
            return lastMedianBytes - firstMedianBytes;
        }

        /** Applies the rule to samples in uptime order. */
        static Growth of(List<Sample> samples, long warmupMillis) {
            List<Sample> judged = samples.stream().filter(s -> s.uptimeMillis() >= warmupMillis).toList();
            if (judged.isEmpty()) {
                return new Growth(Verdict.UNKNOWN, warmupMillis, warmupMillis, warmupMillis, warmupMillis, warmupMillis,
                        0, 0, 0, 0, 0, 0, 0);
            }
            long from = warmupMillis;
            long to = judged.get(judged.size() - 1).uptimeMillis();
            long window = Math.round((to - from) * WINDOW_FRACTION);
            long firstEnd = from + window;
            long lastStart = to - window;
            List<Sample> first = judged.stream().filter(s -> s.uptimeMillis() <= firstEnd).toList();
            List<Sample> last = judged.stream().filter(s -> s.uptimeMillis() >= lastStart).toList();
            long firstMedian = median(first);
            long lastMedian = median(last);
            long threshold = Math.max(Math.round(firstMedian * MIN_RISE_FRACTION), MIN_RISE_BYTES);
            double slope = slopeMiBPerMinute(judged);
            Verdict v;
            if (first.size() < MIN_WINDOW_SAMPLES || last.size() < MIN_WINDOW_SAMPLES) {
                v = Verdict.UNKNOWN;
            } else if (lastMedian - firstMedian > threshold && slope > 0) {
                v = Verdict.GROWS;
            } else {
                v = Verdict.FLAT;
            }
            return new Growth(v, warmupMillis, from, to, firstEnd, lastStart, first.size(), last.size(), firstMedian,
                    lastMedian, threshold, slope, judged.size());
        }

        private static long median(List<Sample> s) {
            if (s.isEmpty()) {
                return 0;
            }
            long[] v = s.stream().mapToLong(Sample::heapAfterGcBytes).sorted().toArray();
            int n = v.length;
            return n % 2 == 1 ? v[n / 2] : v[n / 2 - 1] + (v[n / 2] - v[n / 2 - 1]) / 2;
        }

        /** Ordinary least squares of heap after GC (MiB) on uptime (minutes); 0 without spread in time. */
        private static double slopeMiBPerMinute(List<Sample> s) {
            int n = s.size();
            if (n < 2) {
                return 0;
            }
            double mx = 0;
            double my = 0;
            for (Sample x : s) {
                mx += x.uptimeMillis() / 60_000.0;
                my += (double) x.heapAfterGcBytes() / MIB;
            }
            mx /= n;
            my /= n;
            double sxy = 0;
            double sxx = 0;
            for (Sample x : s) {
                double dx = x.uptimeMillis() / 60_000.0 - mx;
                sxy += dx * ((double) x.heapAfterGcBytes() / MIB - my);
                sxx += dx * dx;
            }
            return sxx == 0 ? 0 : sxy / sxx;
        }
    }

    /**
     * What one campaign showed. {@code peakHeapBytes}: the largest heap in use at the start of a GC;
     * {@code peakLiveBytes}: the largest heap left after a GC (an upper bound on the live set, see
     * the class comment); {@code heapCapacityBytes}: the largest committed heap the log showed;
     * {@code pauseKinds}: GC pauses by kind ({@link GcLog#kind}); {@code execs} and
     * {@code failingInputs} from the campaign's summary line (failing inputs on the correct
     * designs are daxfuzz bugs, and worth more attention than the memory).
     */
    public record Result(Options options, List<Sample> samples, long peakHeapBytes, long peakLiveBytes, long execs,
            boolean grows, Growth growth, long heapCapacityBytes, SortedMap<String, Integer> pauseKinds,
            long failingInputs) {

        /** Copies the collections so the result cannot change under its reader. */
        public Result {
            samples = List.copyOf(samples);
            pauseKinds = Collections.unmodifiableSortedMap(new TreeMap<>(pauseKinds));
        }

        /** Builds the result from the pauses a GC log showed and the campaign's summary numbers. */
        static Result of(Options o, List<GcLog.Pause> pauses, long execs, long failingInputs) {
            List<Sample> samples = new ArrayList<>();
            TreeMap<String, Integer> kinds = new TreeMap<>();
            long peak = 0;
            long live = 0;
            long capacity = 0;
            for (GcLog.Pause p : pauses) {
                samples.add(new Sample(p.uptimeMillis(), p.afterBytes(), p.beforeBytes()));
                kinds.merge(p.kind(), 1, Integer::sum);
                peak = Math.max(peak, p.beforeBytes());
                live = Math.max(live, p.afterBytes());
                capacity = Math.max(capacity, p.capacityBytes());
            }
            // Uptime order, whatever order the lines came in (one JVM writes them in order anyway).
            samples.sort(java.util.Comparator.comparingLong(Sample::uptimeMillis));
            Growth g = Growth.of(samples, WARMUP_MILLIS);
            return new Result(o, samples, peak, live, execs, g.verdict() == Verdict.GROWS, g, capacity, kinds,
                    failingInputs);
        }

        /** GC pauses in the log. */
        public int gcPauses() {
            return samples.size();
        }

        /** The section, linking the plot as {@link #PLOT_FILE}. */
        public String markdown() {
            return markdown(PLOT_FILE);
        }

        /** The section "## Memory", linking the plot under {@code plotFile} (relative to the report). */
        public String markdown(String plotFile) {
            StringBuilder b = new StringBuilder();
            Options o = options;
            b.append("## Memory\n\n");
            b.append(String.format(Locale.ROOT, "One %s `%s` campaign (libFuzzer seed %d) on the correct designs from the"
                    + " seed corpus, as `daxfuzz fuzz` runs by default, with the fuzzing JVM (Jazzer's driver and the"
                    + " target, not the `daxfuzz` command's JVM) at `-Xmx%dm` and its GC pauses logged"
                    + " (`-Xlog:gc`). Sizes are those the JVM printed at each pause, in whole MiB for G1.\n\n",
                    duration(o.durationSeconds()), o.target(), o.seed(), o.maxHeapMegabytes()));
            b.append("| measure | value |\n|---|---|\n");
            b.append("| peak heap in use (largest size at the start of a GC) | ").append(mib(peakHeapBytes))
                    .append(String.format(Locale.ROOT, " (%.0f %% of -Xmx)", 100.0 * peakHeapBytes
                            / (o.maxHeapMegabytes() * MIB))).append(" |\n");
            b.append("| peak live set, upper bound (largest size after a GC) | ").append(mib(peakLiveBytes)).append(" |\n");
            b.append("| largest committed heap | ").append(mib(heapCapacityBytes)).append(" |\n");
            b.append("| -Xmx of the fuzzing JVM | ").append(o.maxHeapMegabytes()).append(" MiB |\n");
            b.append("| GC pauses | ").append(gcPauses());
            if (!pauseKinds.isEmpty()) {
                List<String> parts = new ArrayList<>();
                for (Map.Entry<String, Integer> e : pauseKinds.entrySet()) {
                    parts.add(e.getKey() + " " + e.getValue());
                }
                b.append(" (").append(String.join(", ", parts)).append(")");
            }
            b.append(" |\n");
            b.append("| full GCs | ").append(pauseKinds.getOrDefault("Full", 0)).append(" |\n");
            b.append(String.format(Locale.ROOT, "| executions | %d (%.1f/s) |\n", execs,
                    (double) execs / o.durationSeconds()));
            b.append("| failing inputs (expected 0 on the correct designs) | ").append(failingInputs).append(" |\n\n");
            b.append("**Heap after GC: ").append(growth.verdict().word()).append(".** ").append(explain()).append("\n\n");
            b.append("The rule: ").append(RULE).append(". With G1 the heap after a young GC still holds"
                    + " old-generation garbage until a concurrent marking cycle (a Remark pause) and mixed collections"
                    + " reclaim it, so a rise that falls back at those pauses is not a leak; the plot shows which."
                    + " The peak before GC mostly shows how much young space the collector chose to fill under this"
                    + " -Xmx, not what the fuzzer needs: the heap after GC is the figure to watch."
                    + " Off-heap memory (metaspace, code cache, libFuzzer's native buffers) is not measured.\n\n");
            b.append("![Heap after each GC (dark) and before it (light) over the campaign](").append(plotFile)
                    .append(")\n");
            return b.toString();
        }

        private String explain() {
            Growth g = growth;
            if (g.samplesJudged() == 0) {
                return String.format(Locale.ROOT, "No GC pause after the first %s, so nothing to judge.",
                        seconds(g.warmupMillis()));
            }
            String windows = String.format(Locale.ROOT, "After the first %s (JVM start-up, JIT, instrumentation, loading"
                    + " the seeds), the median heap after GC was %s in the first fifth of the rest (%s–%s of uptime,"
                    + " %d pauses) and %s in the last fifth (%s–%s, %d pauses): %s%s, against a threshold of %s;"
                    + " the least-squares slope of the heap after GC over %s–%s (%d pauses) is %+.2f MiB/minute.",
                    seconds(g.warmupMillis()), mib(g.firstMedianBytes()), seconds(g.fromMillis()),
                    seconds(g.firstWindowEndMillis()), g.firstWindowSamples(), mib(g.lastMedianBytes()),
                    seconds(g.lastWindowStartMillis()), seconds(g.toMillis()), g.lastWindowSamples(),
                    g.riseBytes() >= 0 ? "+" : "-", mib(Math.abs(g.riseBytes())), mib(g.thresholdBytes()),
                    seconds(g.fromMillis()), seconds(g.toMillis()), g.samplesJudged(), g.slopeMiBPerMinute());
            String why = switch (g.verdict()) {
                case GROWS -> " The rise passes the threshold and the slope is positive.";
                case FLAT -> g.riseBytes() > g.thresholdBytes()
                        ? " The rise passes the threshold but the slope is not positive."
                        : " The rise does not pass the threshold.";
                case UNKNOWN -> " Too few pauses in a window to tell (at least " + MIN_WINDOW_SAMPLES
                        + " are needed): run longer.";
            };
            return windows + why;
        }

        /** One JSON object: the options, the figures, the growth numbers with the rule, and every sample. */
        public void writeJson(JsonGenerator g) throws IOException {
            Options o = options;
            g.writeStartObject();
            g.writeStringField("section", "memory");
            g.writeStringField("target", o.target());
            g.writeNumberField("seed", o.seed());
            g.writeNumberField("durationSeconds", o.durationSeconds());
            g.writeNumberField("maxHeapMegabytes", o.maxHeapMegabytes());
            g.writeNumberField("execs", execs);
            g.writeNumberField("failingInputs", failingInputs);
            g.writeNumberField("peakHeapBytes", peakHeapBytes);
            g.writeNumberField("peakLiveBytes", peakLiveBytes);
            g.writeNumberField("heapCapacityBytes", heapCapacityBytes);
            g.writeNumberField("gcPauses", gcPauses());
            g.writeObjectFieldStart("pauseKinds");
            for (Map.Entry<String, Integer> e : pauseKinds.entrySet()) {
                g.writeNumberField(e.getKey(), e.getValue());
            }
            g.writeEndObject();
            Growth w = growth;
            g.writeObjectFieldStart("growth");
            g.writeStringField("verdict", w.verdict().word());
            g.writeBooleanField("grows", grows);
            g.writeStringField("rule", RULE);
            g.writeNumberField("warmupMillis", w.warmupMillis());
            g.writeNumberField("fromMillis", w.fromMillis());
            g.writeNumberField("toMillis", w.toMillis());
            g.writeNumberField("firstWindowEndMillis", w.firstWindowEndMillis());
            g.writeNumberField("lastWindowStartMillis", w.lastWindowStartMillis());
            g.writeNumberField("firstWindowSamples", w.firstWindowSamples());
            g.writeNumberField("lastWindowSamples", w.lastWindowSamples());
            g.writeNumberField("firstMedianAfterGcBytes", w.firstMedianBytes());
            g.writeNumberField("lastMedianAfterGcBytes", w.lastMedianBytes());
            g.writeNumberField("riseBytes", w.riseBytes());
            g.writeNumberField("thresholdBytes", w.thresholdBytes());
            g.writeNumberField("slopeMiBPerMinute", w.slopeMiBPerMinute());
            g.writeNumberField("samplesJudged", w.samplesJudged());
            g.writeEndObject();
            g.writeArrayFieldStart("samples");
            for (Sample s : samples) {
                g.writeStartObject();
                g.writeNumberField("uptimeMillis", s.uptimeMillis());
                g.writeNumberField("heapAfterGcBytes", s.heapAfterGcBytes());
                g.writeNumberField("heapBeforeGcBytes", s.heapBeforeGcBytes());
                g.writeEndObject();
            }
            g.writeEndArray();
            g.writeEndObject();
        }

        /**
         * A self-contained SVG line plot: heap after each GC (dark) and before it (light), in MiB,
         * over the fuzzing JVM's uptime in minutes; the skipped warm-up shaded, the two windows'
         * medians as dashed segments, and -Xmx as a red line when it falls within the plotted range.
         */
        public String svg() {
            return Plot.svg(this);
        }
    }

    /**
     * Runs the campaign and reads its GC log. The temporary directory with the GC log, the
     * campaign's output, its working corpus and any findings is kept (its path goes to
     * {@code progress}) so a surprising number can be checked.
     *
     * @throws IllegalStateException when the campaign did not finish with its summary line, or no
     *     GC log appeared (the option did not reach the fuzzing JVM)
     */
    public static Result run(Options o, PrintWriter progress) {
        PrintWriter say = progress != null ? progress : new PrintWriter(Writer.nullWriter());
        Process p = null;
        try {
            Path tmp = Files.createTempDirectory("daxfuzz-memory-");
            Path gcLog = tmp.resolve("gc.log");
            Path out = tmp.resolve("campaign.log");
            List<String> cmd = command(o, tmp, gcLog);
            say.println("memory: " + String.join(" ", cmd));
            say.flush();
            ProcessBuilder pb = new ProcessBuilder(cmd).directory(o.repoRoot().toFile()).redirectErrorStream(true);
            p = pb.start();
            // The driver reads no input; a closed stdin keeps the bench's terminal out of it.
            p.getOutputStream().close();
            long execs = -1;
            long failing = 0;
            Deque<String> tail = new ArrayDeque<>();
            try (BufferedReader r = new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8));
                 BufferedWriter w = Files.newBufferedWriter(out, StandardCharsets.UTF_8)) {
                String line;
                while ((line = r.readLine()) != null) {
                    w.write(line);
                    w.newLine();
                    tail.addLast(line);
                    if (tail.size() > 15) {
                        tail.removeFirst();
                    }
                    Matcher d = DONE.matcher(line);
                    if (d.find()) {
                        execs = Long.parseLong(d.group(1));
                        failing = Long.parseLong(d.group(2));
                    }
                    if (line.startsWith("daxfuzz:")) {
                        say.println("memory: " + line);
                        say.flush();
                    }
                }
            }
            int rc = p.waitFor();
            if (execs < 0) {
                throw new IllegalStateException("the campaign ended (exit " + rc + ") without its summary line; its"
                        + " output is in " + out + ", ending:\n" + String.join("\n", tail));
            }
            if (!Files.exists(gcLog)) {
                throw new IllegalStateException("the fuzzing JVM wrote no GC log at " + gcLog + " (exit " + rc
                        + "); its output is in " + out);
            }
            List<GcLog.Pause> pauses = GcLog.parse(Files.readAllLines(gcLog, StandardCharsets.UTF_8));
            say.println("memory: " + pauses.size() + " GC pauses read; GC log, output and corpus kept in " + tmp);
            say.flush();
            return Result.of(o, pauses, execs, failing);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while the memory campaign ran", e);
        } finally {
            if (p != null && p.isAlive()) {
                p.destroy();
            }
        }
    }

    /** The {@code daxfuzz fuzz} command line: the JVM options go to the fuzzing JVM via --jvm-arg. */
    static List<String> command(Options o, Path tmp, Path gcLog) {
        return List.of(o.repoRoot().resolve("daxfuzz").toAbsolutePath().toString(), "fuzz",
                "--target", o.target(), "--seed", Integer.toString(o.seed()),
                "--time", o.durationSeconds() + "s",
                "--work", tmp.resolve("w").toString(), "--findings", tmp.resolve("f").toString(),
                "--jvm-arg=-Xmx" + o.maxHeapMegabytes() + "m", "--jvm-arg=" + GcLog.jvmOption(gcLog));
    }

    static String mib(long bytes) {
        return String.format(Locale.ROOT, "%.1f MiB", (double) bytes / MIB);
    }

    private static String seconds(long millis) {
        return String.format(Locale.ROOT, "%.0f s", millis / 1000.0);
    }

    private static String duration(long seconds) {
        return seconds % 60 == 0 ? (seconds / 60) + "-minute" : seconds + "-second";
    }

    /** Draws {@link Result#svg()}: plain SVG 1.1, no scripts, no external fonts or styles. */
    private static final class Plot {
        private static final int W = 760;
        private static final int H = 400;
        private static final int LEFT = 72;
        private static final int RIGHT = 24;
        private static final int TOP = 60;
        private static final int BOTTOM = 56;

        private Plot() {
        }

        static String svg(Result r) {
            double pw = W - LEFT - RIGHT;
            double ph = H - TOP - BOTTOM;
            List<Sample> s = r.samples();
            double lastMinute = s.isEmpty() ? 1 : s.get(s.size() - 1).uptimeMillis() / 60_000.0;
            double xStep = step(Math.max(lastMinute, 0.1));
            double xMax = Math.max(xStep, Math.ceil(lastMinute / xStep) * xStep);
            double peakMiB = Math.max(1, (double) r.peakHeapBytes() / MIB);
            double yStep = step(peakMiB * 1.05);
            double yMax = Math.ceil(peakMiB * 1.05 / yStep) * yStep;
            StringBuilder b = new StringBuilder();
            b.append(String.format(Locale.ROOT, "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"%d\" height=\"%d\""
                    + " viewBox=\"0 0 %d %d\" font-family=\"sans-serif\" font-size=\"12\">%n", W, H, W, H));
            b.append(String.format(Locale.ROOT, "<rect width=\"%d\" height=\"%d\" fill=\"white\"/>%n", W, H));
            b.append(String.format(Locale.ROOT, "<text x=\"%d\" y=\"20\" font-size=\"14\" font-weight=\"bold\">%s</text>%n",
                    LEFT, xml("Heap around each GC: " + r.options().target() + ", seed " + r.options().seed() + ", -Xmx"
                            + r.options().maxHeapMegabytes() + "m, verdict " + r.growth().verdict().word())));
            // Warm-up, not judged: shaded so the reader sees why the early ramp does not count.
            double warm = Math.min(r.growth().warmupMillis() / 60_000.0, xMax);
            b.append(String.format(Locale.ROOT, "<rect x=\"%.1f\" y=\"%d\" width=\"%.1f\" height=\"%.1f\" fill=\"#eeeeee\"/>%n",
                    (double) LEFT, TOP, warm / xMax * pw, ph));
            b.append(String.format(Locale.ROOT, "<text x=\"%.1f\" y=\"%d\" fill=\"#777777\">warm-up (not judged)</text>%n",
                    LEFT + 4.0, TOP + 14));
            for (double x = 0; x <= xMax + xStep / 2; x += xStep) {
                double px = LEFT + x / xMax * pw;
                b.append(String.format(Locale.ROOT, "<line x1=\"%.1f\" y1=\"%d\" x2=\"%.1f\" y2=\"%.1f\" stroke=\"#dddddd\"/>%n",
                        px, TOP, px, TOP + ph));
                b.append(String.format(Locale.ROOT, "<text x=\"%.1f\" y=\"%.1f\" text-anchor=\"middle\">%s</text>%n",
                        px, TOP + ph + 16, label(x, xStep)));
            }
            for (double y = 0; y <= yMax + yStep / 2; y += yStep) {
                double py = TOP + ph - y / yMax * ph;
                b.append(String.format(Locale.ROOT, "<line x1=\"%d\" y1=\"%.1f\" x2=\"%.1f\" y2=\"%.1f\" stroke=\"#dddddd\"/>%n",
                        LEFT, py, LEFT + pw, py));
                b.append(String.format(Locale.ROOT, "<text x=\"%d\" y=\"%.1f\" text-anchor=\"end\">%s</text>%n",
                        LEFT - 6, py + 4, label(y, yStep)));
            }
            b.append(String.format(Locale.ROOT, "<rect x=\"%d\" y=\"%d\" width=\"%.1f\" height=\"%.1f\" fill=\"none\" stroke=\"black\"/>%n",
                    LEFT, TOP, pw, ph));
            b.append(String.format(Locale.ROOT, "<text x=\"%.1f\" y=\"%d\" text-anchor=\"middle\">campaign time"
                    + " (minutes of the fuzzing JVM's uptime)</text>%n", LEFT + pw / 2, H - 14));
            b.append(String.format(Locale.ROOT, "<text transform=\"translate(18 %.1f) rotate(-90)\" text-anchor=\"middle\">"
                    + "heap in use (MiB)</text>%n", TOP + ph / 2));
            double xmx = r.options().maxHeapMegabytes();
            if (xmx <= yMax) {
                double py = TOP + ph - xmx / yMax * ph;
                b.append(String.format(Locale.ROOT, "<line x1=\"%d\" y1=\"%.1f\" x2=\"%.1f\" y2=\"%.1f\" stroke=\"#cc0000\""
                        + " stroke-dasharray=\"6 3\"/>%n", LEFT, py, LEFT + pw, py));
                b.append(String.format(Locale.ROOT, "<text x=\"%.1f\" y=\"%.1f\" text-anchor=\"end\" fill=\"#cc0000\">-Xmx</text>%n",
                        LEFT + pw - 4, py - 4));
            }
            if (s.isEmpty()) {
                b.append(String.format(Locale.ROOT, "<text x=\"%.1f\" y=\"%.1f\" text-anchor=\"middle\">no GC pause was logged"
                        + "</text>%n", LEFT + pw / 2, TOP + ph / 2));
            } else {
                b.append(polyline(s, true, xMax, yMax, pw, ph, "#9ecae1", 1));
                b.append(polyline(s, false, xMax, yMax, pw, ph, "#08519c", 1.5));
            }
            Growth g = r.growth();
            if (g.firstWindowSamples() > 0 && g.lastWindowSamples() > 0) {
                b.append(median(g.fromMillis(), g.firstWindowEndMillis(), g.firstMedianBytes(), xMax, yMax, pw, ph));
                b.append(median(g.lastWindowStartMillis(), g.toMillis(), g.lastMedianBytes(), xMax, yMax, pw, ph));
            }
            // Legend in one row between the title and the frame, where no data can hide it.
            String[][] legend = {{"#08519c", "heap after GC", ""}, {"#9ecae1", "heap before GC", ""},
                {"#e6550d", "median after GC, first and last fifth judged", " stroke-dasharray=\"5 3\""}};
            double lx = LEFT;
            for (String[] item : legend) {
                b.append(String.format(Locale.ROOT, "<line x1=\"%.1f\" y1=\"38\" x2=\"%.1f\" y2=\"38\" stroke=\"%s\""
                        + " stroke-width=\"2\"%s/>%n", lx, lx + 24, item[0], item[2]));
                b.append(String.format(Locale.ROOT, "<text x=\"%.1f\" y=\"42\">%s</text>%n", lx + 30, item[1]));
                lx += 30 + 7.0 * item[1].length() + 24;
            }
            b.append("</svg>\n");
            return b.toString();
        }

        private static String polyline(List<Sample> s, boolean before, double xMax, double yMax, double pw, double ph,
                String colour, double width) {
            StringBuilder b = new StringBuilder();
            b.append(String.format(Locale.ROOT, "<polyline fill=\"none\" stroke=\"%s\" stroke-width=\"%.1f\" points=\"",
                    colour, width));
            for (Sample x : s) {
                double mib = (double) (before ? x.heapBeforeGcBytes() : x.heapAfterGcBytes()) / MIB;
                b.append(String.format(Locale.ROOT, "%.1f,%.1f ", LEFT + x.uptimeMillis() / 60_000.0 / xMax * pw,
                        TOP + ph - mib / yMax * ph));
            }
            b.append("\"/>\n");
            return b.toString();
        }

        private static String median(long fromMillis, long toMillis, long bytes, double xMax, double yMax, double pw,
                double ph) {
            double py = TOP + ph - (double) bytes / MIB / yMax * ph;
            return String.format(Locale.ROOT, "<line x1=\"%.1f\" y1=\"%.1f\" x2=\"%.1f\" y2=\"%.1f\" stroke=\"#e6550d\""
                    + " stroke-width=\"2\" stroke-dasharray=\"5 3\"/>%n", LEFT + fromMillis / 60_000.0 / xMax * pw, py,
                    LEFT + toMillis / 60_000.0 / xMax * pw, py);
        }

        /** A tick step of 1, 2 or 5 times a power of ten giving about six ticks over {@code range}. */
        static double step(double range) {
            double raw = range / 6;
            double mag = Math.pow(10, Math.floor(Math.log10(raw)));
            double n = raw / mag;
            return (n <= 1 ? 1 : n <= 2 ? 2 : n <= 5 ? 5 : 10) * mag;
        }

        private static String label(double v, double step) {
            int decimals = (int) Math.max(0, -Math.floor(Math.log10(step) + 1e-9));
            return String.format(Locale.ROOT, "%." + decimals + "f", v);
        }

        private static String xml(String t) {
            return t.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace("\"", "&quot;");
        }
    }
}
