package dev.daxfuzz.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import java.io.IOException;
import java.io.StringWriter;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.function.LongUnaryOperator;
import org.junit.jupiter.api.Test;

/** The GC log parser on hand-written HotSpot lines, and the growth rule on made-up series. */
class GcLogTest {
    private static final long MIB = 1L << 20;

    @Test
    void readsG1PausesOfEveryKind() {
        List<GcLog.Pause> p = GcLog.parse(List.of(
                "[4ms] Using G1",
                "[1539ms] GC(3) Pause Young (Normal) (G1 Evacuation Pause) 234M->35M(380M) 33.732ms",
                "[2.000s] GC(4) Pause Young (Concurrent Start) (G1 Humongous Allocation) 100M->80M(256M) 2.100ms",
                "[2.010s] GC(5) Concurrent Mark Cycle",
                "[2.050s] GC(5) Pause Remark 90M->85M(256M) 1.234ms",
                "[2.060s] GC(5) Pause Cleanup 85M->84M(256M) 0.100ms",
                "[2.100s] GC(5) Concurrent Mark Cycle 90.123ms",
                "[3.5s] GC(6) Pause Young (Prepare Mixed) (G1 Evacuation Pause) 120M->90M(256M) 3.0ms",
                "[12.345s] GC(7) Pause Young (Mixed) (G1 Evacuation Pause) 300M->120M(512M) 8.1ms",
                "[30.000s] GC(9) Pause Full (G1 Compaction Pause) 500M->200M(512M) 120.5ms"));
        assertEquals(7, p.size());
        GcLog.Pause young = p.get(0);
        assertEquals(1539, young.uptimeMillis());
        assertEquals(3, young.gcId());
        assertEquals("Young (Normal)", young.kind());
        assertEquals(234 * MIB, young.beforeBytes());
        assertEquals(35 * MIB, young.afterBytes());
        assertEquals(380 * MIB, young.capacityBytes());
        assertFalse(young.full());
        assertEquals(List.of("Young (Normal)", "Young (Concurrent Start)", "Remark", "Cleanup", "Young (Prepare Mixed)",
                "Young (Mixed)", "Full"), p.stream().map(GcLog.Pause::kind).toList());
        assertEquals(List.of(1539L, 2000L, 2050L, 2060L, 3500L, 12345L, 30000L),
                p.stream().map(GcLog.Pause::uptimeMillis).toList());
        assertTrue(p.get(6).full());
        assertEquals(200 * MIB, p.get(6).afterBytes());
    }

    @Test
    void readsParallelAndSerialStyleLinesWithOtherDecorators() {
        GcLog.Pause p = GcLog.parseLine(
                "[0.250s][info][gc] GC(0) Pause Young (Allocation Failure) 65536K->4096K(251392K) 3.2ms").orElseThrow();
        assertEquals(250, p.uptimeMillis());
        assertEquals("Young", p.kind());
        assertEquals(64 * MIB, p.beforeBytes());
        assertEquals(4 * MIB, p.afterBytes());
        GcLog.Pause f = GcLog.parseLine("[7.5s][info][gc] GC(12) Pause Full (System.gc()) 1G->20M(2G) 50.0ms")
                .orElseThrow();
        assertEquals("Full", f.kind());
        assertEquals(1L << 30, f.beforeBytes());
        assertEquals(7500, f.uptimeMillis());
    }

    @Test
    void skipsWhatIsNotACompletePauseWithoutThrowing() {
        List<String> junk = List.of(
                "",
                "garbage ->(",
                "[0.004s] Using G1",
                "[2.100s] GC(5) Concurrent Mark Cycle 90.123ms",
                // Cut short by a dying JVM.
                "[3.0s] GC(6) Pause Young (Normal) (G1 Evacuation Pause) 120M->3",
                // No uptime decorator: no time to put it at.
                "GC(3) Pause Young (Normal) (G1 Evacuation Pause) 120M->30M(256M) 4.5ms",
                // ZGC's format has percentages, not a before->after(capacity) transition.
                "[1.234s] GC(0) Garbage Collection (Warmup) 12M(1%)->8M(1%)",
                // Numbers no JVM writes.
                "[99999999999999999999ms] GC(1) Pause Young (Normal) (G1 Evacuation Pause) 1M->1M(2M) 1ms",
                "[1ms] GC(99999999999) Pause Young (Normal) (G1 Evacuation Pause) 1M->1M(2M) 1ms",
                "[1ms] GC(1) Pause Young (Normal) (G1 Evacuation Pause) 99999999999999999999G->1M(2M) 1ms");
        assertEquals(List.of(), GcLog.parse(junk));
    }

    @Test
    void jvmOptionLogsUptimeInMillisWithoutRotation() {
        assertEquals("-Xlog:gc:file=/tmp/x/gc.log:uptimemillis:filecount=0", GcLog.jvmOption(Path.of("/tmp/x/gc.log")));
    }

    /** A pause every 2 s over {@code minutes}, heap after GC given by {@code after} (of uptime ms). */
    private static List<MemoryCampaign.Sample> series(int minutes, LongUnaryOperator after) {
        List<MemoryCampaign.Sample> s = new ArrayList<>();
        for (long t = 1_000; t <= minutes * 60_000L; t += 2_000) {
            long a = after.applyAsLong(t);
            s.add(new MemoryCampaign.Sample(t, a, a + 200 * MIB));
        }
        return s;
    }

    @Test
    void aFlatNoisySeriesIsFlat() {
        // 100 MiB with a few MiB of deterministic jitter.
        MemoryCampaign.Growth g = MemoryCampaign.Growth.of(
                series(10, t -> 100 * MIB + ((t / 2_000) % 7 - 3) * MIB), MemoryCampaign.WARMUP_MILLIS);
        assertEquals(MemoryCampaign.Verdict.FLAT, g.verdict());
        assertTrue(Math.abs(g.riseBytes()) <= MIB, "rise " + g.riseBytes());
        assertTrue(Math.abs(g.slopeMiBPerMinute()) < 0.1, "slope " + g.slopeMiBPerMinute());
        assertEquals(60_000, g.fromMillis());
        assertEquals(599_000, g.toMillis());
    }

    @Test
    void aRisingSeriesGrows() {
        // 3 MiB a minute: about 24 MiB between the windows' medians, over the 10 MiB threshold.
        MemoryCampaign.Growth g = MemoryCampaign.Growth.of(
                series(10, t -> 100 * MIB + t * 3 * MIB / 60_000), MemoryCampaign.WARMUP_MILLIS);
        assertEquals(MemoryCampaign.Verdict.GROWS, g.verdict());
        assertEquals(3.0, g.slopeMiBPerMinute(), 0.01);
        assertTrue(g.riseBytes() > g.thresholdBytes());
        assertEquals(Math.round(g.firstMedianBytes() * 0.10), g.thresholdBytes());
    }

    @Test
    void aSmallRiseBelowTheThresholdIsFlat() {
        // Half a MiB a minute: positive slope, but about 4 MiB between medians, under 10 % of 100 MiB.
        MemoryCampaign.Growth g = MemoryCampaign.Growth.of(
                series(10, t -> 100 * MIB + t * MIB / 120_000), MemoryCampaign.WARMUP_MILLIS);
        assertTrue(g.slopeMiBPerMinute() > 0);
        assertEquals(MemoryCampaign.Verdict.FLAT, g.verdict());
    }

    @Test
    void aSmallHeapNeedsAtLeastFourMiB() {
        // 10 MiB heap rising 2 MiB over the campaign: 10 % would be 1 MiB, but the floor is 4 MiB.
        MemoryCampaign.Growth g = MemoryCampaign.Growth.of(
                series(10, t -> 10 * MIB + t * 2 * MIB / 600_000), MemoryCampaign.WARMUP_MILLIS);
        assertEquals(MemoryCampaign.MIN_RISE_BYTES, g.thresholdBytes());
        assertEquals(MemoryCampaign.Verdict.FLAT, g.verdict());
    }

    @Test
    void theWarmUpDoesNotCount() {
        // Loading the seeds fills the heap in the first minute; after that it is flat.
        List<MemoryCampaign.Sample> s = series(10, t -> t < 60_000 ? 20 * MIB : 100 * MIB);
        assertEquals(MemoryCampaign.Verdict.FLAT, MemoryCampaign.Growth.of(s, MemoryCampaign.WARMUP_MILLIS).verdict());
        // Without the skip the same series would be judged growing: the skip is what decides.
        assertEquals(MemoryCampaign.Verdict.GROWS, MemoryCampaign.Growth.of(s, 0).verdict());
    }

    @Test
    void tooFewPausesIsUnknownNotFlat() {
        assertEquals(MemoryCampaign.Verdict.UNKNOWN,
                MemoryCampaign.Growth.of(series(1, t -> 100 * MIB), MemoryCampaign.WARMUP_MILLIS).verdict());
        List<MemoryCampaign.Sample> sparse = List.of(new MemoryCampaign.Sample(70_000, MIB, 2 * MIB),
                new MemoryCampaign.Sample(300_000, 90 * MIB, 100 * MIB));
        assertEquals(MemoryCampaign.Verdict.UNKNOWN, MemoryCampaign.Growth.of(sparse, MemoryCampaign.WARMUP_MILLIS).verdict());
    }

    @Test
    void resultSummarisesTheLogAndWritesOneJsonObject() throws IOException {
        List<GcLog.Pause> pauses = new ArrayList<>();
        for (int i = 0; i < 60; i++) {
            long t = 2_000L * i + 1_000;
            pauses.add(new GcLog.Pause(t, i, "Young (Normal)", 300 * MIB, 100 * MIB + t * 4 * MIB / 60_000, 512 * MIB));
        }
        pauses.add(new GcLog.Pause(121_500, 60, "Full", 400 * MIB, 90 * MIB, 512 * MIB));
        MemoryCampaign.Options o = new MemoryCampaign.Options(Path.of("."), 125, "syscall-crash", 1, 512);
        MemoryCampaign.Result r = MemoryCampaign.Result.of(o, pauses, 1234, 0);
        assertEquals(400 * MIB, r.peakHeapBytes());
        assertEquals(100 * MIB + 119_000 * 4 * MIB / 60_000, r.peakLiveBytes());
        assertEquals(61, r.gcPauses());
        assertEquals(1, r.pauseKinds().get("Full"));
        assertEquals(r.growth().verdict() == MemoryCampaign.Verdict.GROWS, r.grows());

        String md = r.markdown("plots/memory.svg");
        assertTrue(md.startsWith("## Memory\n"), md);
        assertTrue(md.contains("-Xmx512m"), md);
        assertTrue(md.contains("| full GCs | 1 |"), md);
        assertTrue(md.contains("**Heap after GC: " + r.growth().verdict().word() + ".**"), md);
        assertTrue(md.contains("](plots/memory.svg)"), md);

        String svg = r.svg();
        assertTrue(svg.startsWith("<svg xmlns=\"http://www.w3.org/2000/svg\""), svg);
        assertTrue(svg.trim().endsWith("</svg>"));
        assertEquals(2, svg.split("<polyline", -1).length - 1, "a line for after and one for before");
        assertTrue(svg.contains("heap in use (MiB)") && svg.contains("minutes"));

        StringWriter w = new StringWriter();
        JsonFactory f = new JsonFactory();
        try (JsonGenerator g = f.createGenerator(w)) {
            r.writeJson(g);
        }
        int depth = 0;
        int topLevelObjects = 0;
        int samples = 0;
        boolean inSamples = false;
        try (JsonParser p = f.createParser(w.toString())) {
            JsonToken t;
            while ((t = p.nextToken()) != null) {
                if (t == JsonToken.FIELD_NAME && depth == 1 && p.currentName().equals("samples")) {
                    inSamples = true;
                } else if (t == JsonToken.START_OBJECT) {
                    if (depth == 0) {
                        topLevelObjects++;
                    } else if (inSamples && depth == 2) {
                        samples++;
                    }
                    depth++;
                } else if (t == JsonToken.END_OBJECT) {
                    depth--;
                } else if (t == JsonToken.START_ARRAY) {
                    depth++;
                } else if (t == JsonToken.END_ARRAY) {
                    depth--;
                    if (depth == 1) {
                        inSamples = false;
                    }
                }
            }
        }
        assertEquals(1, topLevelObjects);
        assertEquals(61, samples);
        assertTrue(w.toString().contains("\"verdict\":\"" + r.growth().verdict().word() + "\""));
    }

    @Test
    void theMemoryCampaignReadsTheFuzzSummaryLine() {
        for (String line : List.of(
                "daxfuzz: done: 84955 execs, 5806525 crash states checked, coverage 1911, corpus 1170; 3 failing inputs"
                        + " -> 2 findings (2 new): wrong-result-96e31061c593, immutable-violated-108a9ba932d8",
                "daxfuzz: done: 5009 execs, 278156 crash states checked, coverage 1876, corpus 583; 0 failing inputs -> 0 findings",
                "daxfuzz: done: 40 execs, 900 crash states checked, coverage 12, corpus 3; 1 failing input -> 1 finding (1 new): x")) {
            java.util.regex.Matcher m = MemoryCampaign.DONE.matcher(line);
            org.junit.jupiter.api.Assertions.assertTrue(m.find(), line);
            org.junit.jupiter.api.Assertions.assertEquals(line.split("done: ")[1].split(" ")[0], m.group(1));
        }
    }
}
