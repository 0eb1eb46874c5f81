package dev.daxfuzz.bench;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import java.io.IOException;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

/**
 * The benchmark's results as {@code results.md}, {@code results.json} and SVG plots, each written
 * to a temporary file and renamed into place, so a run cut short leaves the previous results whole.
 *
 * <p>Every section reports medians and ranges over repeated runs, and the header names the machine,
 * the date and the commit, so figures from two machines are never mistaken for one another.
 */
public final class BenchReport {
    private BenchReport() {
    }

    /**
     * Where and when the benchmark ran.
     *
     * @param commit {@code git rev-parse HEAD}, with {@code +dirty} for uncommitted changes
     */
    public record Meta(String date, String commit, String cpuModel, int cpus, String java, String os,
                       long maxHeapBytes, String command, long wallMillis) {
    }

    /**
     * All sections; a section not run is empty.
     *
     * @param findingTimes the time-to-first-finding sections, one per start (from nothing, from the corpus), in that order
     */
    public record Results(Meta meta, Optional<Throughput.Result> throughput, Optional<SearchSpace.Result> searchSpace,
                          Optional<CatalogCoverage.Result> catalog, List<FindingTime.Result> findingTimes,
                          Optional<MemoryCampaign.Result> memory, Optional<RecoveryCost.Result> recovery,
                          Optional<TaskCost.Result> tasks) {
        public Results {
            findingTimes = List.copyOf(findingTimes);
        }
    }

    /** Writes the files into {@code dir}; returns the paths written. */
    public static List<Path> write(Results r, Path dir) throws IOException {
        Files.createDirectories(dir);
        List<Path> written = new ArrayList<>();
        written.add(atomically(dir.resolve("results.md"), markdown(r)));
        written.add(atomically(dir.resolve("results.json"), json(r)));
        if (r.throughput().isPresent()) {
            written.add(atomically(dir.resolve("throughput.svg"), throughputSvg(r.throughput().get())));
        }
        if (r.memory().isPresent()) {
            written.add(atomically(dir.resolve("memory.svg"), r.memory().get().svg()));
        }
        return written;
    }

    static Path atomically(Path file, String text) throws IOException {
        Path tmp = Files.createTempFile(file.getParent(), "." + file.getFileName(), ".tmp");
        try {
            Files.writeString(tmp, text, StandardCharsets.UTF_8);
            Files.move(tmp, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        } finally {
            Files.deleteIfExists(tmp);
        }
        return file;
    }

    // ---- markdown ----------------------------------------------------------------------------------

    static String markdown(Results r) {
        Meta m = r.meta();
        StringBuilder b = new StringBuilder();
        b.append("# daxfuzz bench results\n\n");
        b.append("Measured ").append(m.date()).append(" at commit `").append(m.commit()).append("` on ")
                .append(m.cpuModel()).append(", ").append(m.cpus()).append(" CPUs, ").append(m.os()).append(", Java ")
                .append(m.java()).append(", max heap ").append(m.maxHeapBytes() >> 20).append(" MiB. Command: `")
                .append(m.command()).append("`; the whole run took ").append(fmt1(m.wallMillis() / 60000.0))
                .append(" min.\n\n");
        b.append("daxfuzz checks models of a file system and of the memory-management code in-process;"
                + " the peers named below test real kernels in virtual machines. Their figures are set beside"
                + " these only as orders of magnitude: see the README's performance section.\n\n");
        r.throughput().ifPresent(t -> throughputMd(t, b));
        r.searchSpace().ifPresent(s -> searchMd(s, b));
        r.catalog().ifPresent(c -> catalogMd(c, b));
        r.findingTimes().forEach(f -> b.append(f.markdown()).append('\n'));
        r.memory().ifPresent(mem -> b.append(mem.markdown()).append('\n'));
        r.recovery().ifPresent(rc -> recoveryMd(rc, b));
        r.tasks().ifPresent(t -> b.append(t.markdown()));
        return b.toString();
    }

    private static void throughputMd(Throughput.Result t, StringBuilder b) {
        Throughput.Options o = t.options();
        b.append("## Throughput\n\n");
        b.append("Crash states checked per second on one core (one thread), median over ").append(o.rounds())
                .append(" rounds of ").append(fmt1(o.roundMillis() / 1000.0)).append(" s each after one warm-up"
                        + " round, range in brackets. daxfuzz: the whole program with every crash state of every"
                        + " crash point recovered, fsck'd and compared (lazy images: one check stands for every"
                        + " image that reads the same). Baseline, in the same run: every distinct image copied"
                        + " out in full and recovered from the copy, first ")
                .append(o.baselineStatesPerPoint()).append(" images of each crash point.\n\n");
        b.append("| program | calls | crash points | daxfuzz states per run | daxfuzz states/s | baseline images/s"
                + " | ratio (medians) |\n|---|---|---|---|---|---|---|\n");
        for (Throughput.Row row : t.rows()) {
            b.append("| `").append(row.program()).append("` | ").append(row.calls()).append(" | ")
                    .append(row.crashPoints()).append(" | ").append(row.lazyStates()).append(" | ")
                    .append(fmt0(row.lazyMedian())).append(" [").append(fmt0(Stats.min(row.lazyPerSecond())))
                    .append("–").append(fmt0(Stats.max(row.lazyPerSecond()))).append("] | ")
                    .append(fmt0(row.baselineMedian())).append(" [").append(fmt0(Stats.min(row.baselinePerSecond())))
                    .append("–").append(fmt0(Stats.max(row.baselinePerSecond()))).append("] | ")
                    .append(fmt1(row.ratio())).append("× |\n");
        }
        b.append("\nThe ratio is per check. The baseline also has to make far more checks for the same program"
                + " (next section), so the gap for a whole program is the ratio times the reduction.\n"
                + "Plot: [throughput.svg](throughput.svg).\n\n");
    }

    private static void recoveryMd(RecoveryCost.Result rc, StringBuilder b) {
        RecoveryCost.Options o = rc.options();
        b.append("## Crashes during recovery\n\n");
        b.append("What `recovery-crashes N` costs: each program explored whole (every crash point and state, every"
                + " oracle) with N = 0, 1 and 2; wall time of one exploration on one core, median over ")
                .append(o.rounds()).append(" rounds of ").append(fmt1(o.roundMillis() / 1000.0))
                .append(" s after one warm-up round, range in brackets. Recovery images: images left by a crashed"
                        + " recovery that were recovered again (at every level).\n\n");
        b.append("| program | calls | N | crash states | recovery images | ms per exploration | × N = 0 |\n"
                + "|---|---|---|---|---|---|---|\n");
        for (RecoveryCost.Row row : rc.rows()) {
            b.append("| `").append(row.program()).append("` | ").append(row.calls()).append(" | ").append(row.depth())
                    .append(" | ").append(row.crashStates()).append(" | ").append(row.recoveryImages())
                    .append(row.cutRecoveries() > 0 ? " (" + row.cutRecoveries() + " cut)" : "").append(" | ")
                    .append(fmt1(row.medianMillis())).append(" [").append(fmt1(Stats.min(row.millisPerRun())))
                    .append("–").append(fmt1(Stats.max(row.millisPerRun()))).append("] | ")
                    .append(fmt1(row.medianMillis() / rc.base(row.program()).medianMillis())).append("× |\n");
        }
        b.append('\n');
    }

    private static void searchMd(SearchSpace.Result s, StringBuilder b) {
        b.append("## Search space\n\n");
        b.append("Crash images each method checks for the same programs, summed over daxfuzz's crash points; w"
                + " is the number of writes in flight (per-line parts of stores that may or may not have"
                + " persisted) at a crash point. All subsets: 2^w (Yat; pmreorder ReorderFull). k-subsets:"
                + " Σ C(w, ≤k) (Chipmunk: k = 2 with ACE, 5 with Syzkaller). daxfuzz: crash states checked.\n\n");
        b.append("| program | crash points | max w | all subsets | k ≤ 5 | k ≤ 2 | daxfuzz | reduction vs all |"
                + " vs k ≤ 2 |\n|---|---|---|---|---|---|---|---|---|\n");
        for (SearchSpace.Row row : s.rows()) {
            BigInteger dx = BigInteger.valueOf(Math.max(1, row.daxfuzzStates()));
            b.append("| `").append(row.program()).append("` | ").append(row.writesInFlight().size()).append(" | ")
                    .append(row.maxWritesInFlight()).append(" | ").append(big(row.allSubsets())).append(" | ")
                    .append(big(row.kSubsets5())).append(" | ").append(big(row.kSubsets2())).append(" | ")
                    .append(row.daxfuzzStates()).append(" | ").append(ratio(row.allSubsets(), dx)).append(" | ")
                    .append(ratio(row.kSubsets2(), dx)).append(" |\n");
        }
        b.append("\nThe peer counts are given daxfuzz's crash points and write granularity, so they compare"
                + " enumeration methods, not the tools end to end; they also ignore that writes to one line"
                + " persist in order, which daxfuzz honours (fewer real images than 2^w).\n\n");
    }

    private static void catalogMd(CatalogCoverage.Result c, StringBuilder b) {
        b.append("## Catalog bugs caught by each method\n\n");
        b.append("Each seeded bug's catalog reproducer (`findings/catalog/`), explored until the first"
                + " violation. The eager methods are bounded at ").append(c.maxImagesPerPoint())
                .append(" images checked per crash point; \"(cut)\" marks a run where the bound was reached,"
                        + " so a miss there means \"not within the bound\". A bug marked \"no crash needed\" shows"
                        + " without a power failure (a wrong result or a missing check), so every method sees it.\n\n");
        b.append("| bug | needs a crash |");
        for (String method : CatalogCoverage.METHODS) {
            b.append(' ').append(method).append(" |");
        }
        b.append("\n|---|---|").append("---|".repeat(CatalogCoverage.METHODS.size())).append('\n');
        int[] caught = new int[CatalogCoverage.METHODS.size()];
        for (CatalogCoverage.Row row : c.rows()) {
            b.append("| `").append(row.bug()).append("` | ").append(row.needsCrash() ? "yes" : "no crash needed")
                    .append(" |");
            for (int i = 0; i < row.catches().size(); i++) {
                CatalogCoverage.Catch k = row.catches().get(i);
                caught[i] += k.caught() ? 1 : 0;
                b.append(' ').append(k.caught() ? "caught" : "**missed**").append(" (").append(k.checks())
                        .append(k.cut() ? ", cut" : "").append(") |");
            }
            b.append('\n');
        }
        b.append("| **caught** | |");
        for (int n : caught) {
            b.append(" **").append(n).append('/').append(c.rows().size()).append("** |");
        }
        b.append("\n\nIn brackets: images (daxfuzz: crash states) checked until the first violation or the end.\n\n");
    }

    // ---- JSON ----------------------------------------------------------------------------------------

    static String json(Results r) {
        StringWriter w = new StringWriter();
        try (JsonGenerator g = new JsonFactory().createGenerator(w)) {
            g.useDefaultPrettyPrinter();
            g.writeStartObject();
            Meta m = r.meta();
            g.writeObjectFieldStart("meta");
            g.writeStringField("date", m.date());
            g.writeStringField("commit", m.commit());
            g.writeStringField("cpuModel", m.cpuModel());
            g.writeNumberField("cpus", m.cpus());
            g.writeStringField("java", m.java());
            g.writeStringField("os", m.os());
            g.writeNumberField("maxHeapBytes", m.maxHeapBytes());
            g.writeStringField("command", m.command());
            g.writeNumberField("wallMillis", m.wallMillis());
            g.writeEndObject();
            if (r.throughput().isPresent()) {
                Throughput.Result t = r.throughput().get();
                g.writeObjectFieldStart("throughput");
                g.writeNumberField("rounds", t.options().rounds());
                g.writeNumberField("roundMillis", t.options().roundMillis());
                g.writeNumberField("baselineStatesPerPoint", t.options().baselineStatesPerPoint());
                g.writeArrayFieldStart("programs");
                for (Throughput.Row row : t.rows()) {
                    g.writeStartObject();
                    g.writeStringField("program", row.program());
                    g.writeNumberField("calls", row.calls());
                    g.writeNumberField("crashPoints", row.crashPoints());
                    g.writeNumberField("daxfuzzStatesPerRun", row.lazyStates());
                    numbers(g, "daxfuzzStatesPerSecond", row.lazyPerSecond());
                    g.writeNumberField("daxfuzzMedian", row.lazyMedian());
                    g.writeNumberField("baselineImagesPerRun", row.baselineImages());
                    numbers(g, "baselineImagesPerSecond", row.baselinePerSecond());
                    g.writeNumberField("baselineMedian", row.baselineMedian());
                    g.writeNumberField("ratio", row.ratio());
                    g.writeEndObject();
                }
                g.writeEndArray();
                g.writeEndObject();
            }
            if (r.searchSpace().isPresent()) {
                g.writeArrayFieldStart("searchSpace");
                for (SearchSpace.Row row : r.searchSpace().get().rows()) {
                    g.writeStartObject();
                    g.writeStringField("program", row.program());
                    g.writeArrayFieldStart("writesInFlight");
                    for (int x : row.writesInFlight()) {
                        g.writeNumber(x);
                    }
                    g.writeEndArray();
                    g.writeStringField("allSubsets", row.allSubsets().toString());
                    g.writeStringField("kSubsets5", row.kSubsets5().toString());
                    g.writeStringField("kSubsets2", row.kSubsets2().toString());
                    g.writeNumberField("daxfuzzStates", row.daxfuzzStates());
                    g.writeNumberField("distinctObservations", row.distinctObservations());
                    g.writeEndObject();
                }
                g.writeEndArray();
            }
            if (r.catalog().isPresent()) {
                CatalogCoverage.Result c = r.catalog().get();
                g.writeObjectFieldStart("catalog");
                g.writeNumberField("maxImagesPerPoint", c.maxImagesPerPoint());
                g.writeArrayFieldStart("bugs");
                for (CatalogCoverage.Row row : c.rows()) {
                    g.writeStartObject();
                    g.writeStringField("bug", row.bug());
                    g.writeBooleanField("needsCrash", row.needsCrash());
                    g.writeArrayFieldStart("methods");
                    for (CatalogCoverage.Catch k : row.catches()) {
                        g.writeStartObject();
                        g.writeStringField("method", k.method());
                        g.writeBooleanField("caught", k.caught());
                        g.writeNumberField("checks", k.checks());
                        g.writeBooleanField("cut", k.cut());
                        g.writeEndObject();
                    }
                    g.writeEndArray();
                    g.writeEndObject();
                }
                g.writeEndArray();
                g.writeEndObject();
            }
            for (FindingTime.Result f : r.findingTimes()) {
                g.writeFieldName(f.options().fromCorpus() ? "timeToFirstFindingFromCorpus" : "timeToFirstFinding");
                f.writeJson(g);
            }
            if (r.tasks().isPresent()) {
                g.writeArrayFieldStart("racingTasks");
                for (TaskCost.Row row : r.tasks().get().rows()) {
                    g.writeStartObject();
                    g.writeStringField("program", row.program());
                    g.writeNumberField("tasks", row.tasks());
                    g.writeNumberField("schedules", row.schedules());
                    numbers(g, "millisPerExploration", row.millisPerExploration());
                    numbers(g, "millisOneTask", row.millisOneTask());
                    g.writeNumberField("schedulesPerSecond", row.schedulesPerSecond());
                    g.writeNumberField("ratio", row.ratio());
                    g.writeEndObject();
                }
                g.writeEndArray();
            }
            if (r.recovery().isPresent()) {
                g.writeArrayFieldStart("recoveryCrashes");
                for (RecoveryCost.Row row : r.recovery().get().rows()) {
                    g.writeStartObject();
                    g.writeStringField("program", row.program());
                    g.writeNumberField("depth", row.depth());
                    g.writeNumberField("crashStates", row.crashStates());
                    g.writeNumberField("recoveryImages", row.recoveryImages());
                    g.writeNumberField("cutRecoveries", row.cutRecoveries());
                    numbers(g, "millisPerExploration", row.millisPerRun());
                    g.writeNumberField("medianMillis", row.medianMillis());
                    g.writeEndObject();
                }
                g.writeEndArray();
            }
            if (r.memory().isPresent()) {
                g.writeFieldName("memory");
                r.memory().get().writeJson(g);
            }
            g.writeEndObject();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return w + "\n";
    }

    private static void numbers(JsonGenerator g, String name, List<Double> xs) throws IOException {
        g.writeArrayFieldStart(name);
        for (double x : xs) {
            g.writeNumber(Math.round(x * 10) / 10.0);
        }
        g.writeEndArray();
    }

    // ---- plot ----------------------------------------------------------------------------------------

    /** Grouped bars on a log scale: daxfuzz states/s and baseline images/s per program. */
    static String throughputSvg(Throughput.Result t) {
        int width = 640;
        int height = 360;
        int left = 70;
        int bottom = 300;
        int top = 40;
        double maxV = 1;
        for (Throughput.Row row : t.rows()) {
            maxV = Math.max(maxV, Math.max(row.lazyMedian(), row.baselineMedian()));
        }
        int decades = (int) Math.ceil(Math.log10(maxV));
        StringBuilder s = new StringBuilder();
        s.append(String.format(Locale.ROOT, "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"%d\" height=\"%d\""
                + " font-family=\"sans-serif\" font-size=\"12\">%n", width, height));
        s.append("<rect width=\"100%\" height=\"100%\" fill=\"white\"/>\n");
        s.append("<text x=\"").append(width / 2).append("\" y=\"20\" text-anchor=\"middle\" font-size=\"14\">"
                + "Checks per second, one core (log scale; median of rounds)</text>\n");
        for (int d = 0; d <= decades; d++) {
            double y = bottom - (bottom - top) * d / (double) decades;
            s.append(String.format(Locale.ROOT, "<line x1=\"%d\" y1=\"%.1f\" x2=\"%d\" y2=\"%.1f\" stroke=\"#ddd\"/>%n",
                    left, y, width - 20, y));
            s.append(String.format(Locale.ROOT, "<text x=\"%d\" y=\"%.1f\" text-anchor=\"end\">1e%d</text>%n", left - 6,
                    y + 4, d));
        }
        int groups = t.rows().size();
        double groupW = (width - 20 - left) / (double) Math.max(1, groups);
        for (int i = 0; i < groups; i++) {
            Throughput.Row row = t.rows().get(i);
            double x0 = left + i * groupW + groupW * 0.15;
            double barW = groupW * 0.3;
            bar(s, x0, barW, row.lazyMedian(), decades, top, bottom, "#1f77b4");
            bar(s, x0 + barW, barW, row.baselineMedian(), decades, top, bottom, "#ff7f0e");
            s.append(String.format(Locale.ROOT, "<text x=\"%.1f\" y=\"%d\" text-anchor=\"middle\">%s (%d calls)</text>%n",
                    x0 + barW, bottom + 18, row.program(), row.calls()));
        }
        s.append(String.format(Locale.ROOT, "<rect x=\"%d\" y=\"%d\" width=\"12\" height=\"12\" fill=\"#1f77b4\"/>"
                + "<text x=\"%d\" y=\"%d\">daxfuzz: crash states checked/s (lazy images)</text>%n", left, bottom + 32,
                left + 16, bottom + 42));
        s.append(String.format(Locale.ROOT, "<rect x=\"%d\" y=\"%d\" width=\"12\" height=\"12\" fill=\"#ff7f0e\"/>"
                + "<text x=\"%d\" y=\"%d\">baseline: images checked/s (full copy + full recovery)</text>%n", left,
                bottom + 48, left + 16, bottom + 58));
        s.append("</svg>\n");
        return s.toString();
    }

    private static void bar(StringBuilder s, double x, double w, double v, int decades, int top, int bottom,
                            String color) {
        double h = v <= 1 ? 0 : (bottom - top) * Math.log10(v) / decades;
        s.append(String.format(Locale.ROOT, "<rect x=\"%.1f\" y=\"%.1f\" width=\"%.1f\" height=\"%.1f\" fill=\"%s\"/>%n",
                x, bottom - h, w * 0.95, h, color));
        s.append(String.format(Locale.ROOT, "<text x=\"%.1f\" y=\"%.1f\" text-anchor=\"middle\" font-size=\"10\">%s</text>%n",
                x + w / 2, bottom - h - 3, fmt0(v)));
    }

    // ---- formatting ----------------------------------------------------------------------------------

    static String fmt0(double v) {
        return Double.isNaN(v) ? "–" : String.format(Locale.ROOT, "%,.0f", v);
    }

    static String fmt1(double v) {
        return Double.isNaN(v) ? "–" : String.format(Locale.ROOT, "%,.1f", v);
    }

    /** A big count: exact up to a million, then as a power of ten. */
    static String big(BigInteger v) {
        if (v.compareTo(BigInteger.valueOf(1_000_000)) <= 0) {
            return String.format(Locale.ROOT, "%,d", v.longValueExact());
        }
        int digits = v.toString().length();
        double mantissa = new java.math.BigDecimal(v).movePointLeft(digits - 1).doubleValue();
        return String.format(Locale.ROOT, "%.1f·10^%d", mantissa, digits - 1);
    }

    static String ratio(BigInteger num, BigInteger den) {
        BigInteger q = num.divide(den);
        if (q.compareTo(BigInteger.valueOf(1000)) < 0) {
            return String.format(Locale.ROOT, "%.1f×", num.doubleValue() / den.doubleValue());
        }
        return big(q) + "×";
    }
}
