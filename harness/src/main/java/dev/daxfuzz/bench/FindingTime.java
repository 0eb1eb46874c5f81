package dev.daxfuzz.bench;

import com.fasterxml.jackson.core.JsonGenerator;
import dev.daxfuzz.fs.Bug;
import dev.daxfuzz.fuzzing.AceSpace;
import dev.daxfuzz.fuzzing.FuzzConfig;
import dev.daxfuzz.fuzzing.SyscallCrash;
import dev.daxfuzz.oracle.Violation;
import dev.daxfuzz.program.BugNames;
import dev.daxfuzz.program.Header;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.SplittableRandom;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * The benchmark section "time to first finding": for each catalog bug, how long three generators
 * of {@code SyscallCrash} inputs take, from nothing, to produce an input whose check fails with
 * the bug switched on and passes on the correct design:
 * <ul>
 *   <li><b>guided</b>: {@code daxfuzz fuzz --no-seeds} (Jazzer, coverage-guided libFuzzer on the
 *   byte encoding) as a subprocess; its time is counted from libFuzzer's {@code INITED} line, so
 *   JVM start-up and the first instrumentation are excluded (classes loaded later are still
 *   instrumented on the clock, as in any campaign);
 *   <li><b>unguided</b>: uniformly random byte strings of 1 to 4096 bytes (libFuzzer's default
 *   {@code max_len}), decoded by the same total decoder, in this JVM, no feedback;
 *   <li><b>ace</b>: the bounded exhaustive workloads of {@link AceSpace} in length order (all of
 *   length 1, then 2, then 3 while the budget lasts), canonical order for seed 1 and sequences
 *   shuffled within each length for the other seeds, in this JVM.
 * </ul>
 * All three run the same check ({@link SyscallCrash#check(byte[], FuzzConfig)}) on the same
 * configuration (the bug, on the daxfile design its catalog entry names).
 *
 * <p>Limits: a run that finds nothing is counted at the budget (right-censored), so a median
 * over such runs is a lower bound; times are wall-clock on a machine shared by {@code threads}
 * parallel runs and whatever else runs there, so execution counts are the firmer figure for
 * guided and unguided; the in-process methods start with a JVM that may already be warm from
 * earlier runs while every guided run starts a cold one (its JIT warm-up after {@code INITED}
 * is on its clock); ACE's order within a length is arbitrary, so its times depend on where in
 * the order a bug's workloads fall (the seeds measure that luck).
 */
public final class FindingTime {
    /**
     * A guided run's driver is stopped this long after its budget of fuzzing time (counted from the
     * {@code fuzzing started} line, as this side sees it): findings after the budget are censored
     * anyway, so the grace only absorbs the pipe's delay.
     */
    static final long GUIDED_GRACE_MILLIS = 500;
    /**
     * What a guided run's start-up may take before fuzzing starts. libFuzzer's {@code -max_total_time}
     * clock starts before the first execution, which loads and instruments most of daxfuzz (6 s on
     * an idle machine, 30 s with another run beside it), so {@code --time} is only a safety net of
     * budget plus this; the run is stopped by this side at start + budget.
     */
    static final long GUIDED_STARTUP_ALLOWANCE_MILLIS = 180_000;
    /**
     * What the worst-case estimate assumes for one guided run's cost besides its budget: the
     * command's JVM, the driver's start-up until INITED (measured 6 s on an idle machine, 28–34 s
     * with two guided runs and another build sharing two cores) and stopping it.
     */
    static final long GUIDED_STARTUP_ESTIMATE_MILLIS = 30_000;
    /**
     * The pseudo-bug {@code none}: the correct designs, no catalog switch. For measuring a search
     * on bugs that live in the code itself (a mutant of the file system built from a patch, see
     * {@code tools/measure-mutants.sh}): an input counts as found when it violates, and the
     * script confirms each against the unmutated build ({@code inputsDir}), since this JVM runs the
     * mutant only.
     */
    public static final String NO_BUG = "none";
    /** The methods, in report order. */
    public static final List<String> METHODS = List.of("guided", "guided-all", "guided-classic", "unguided", "ace");

    private FindingTime() {
    }

    /**
     * What to measure.
     *
     * @param bugs catalog bug names (empty: all, in catalog order)
     * @param seeds runs per bug and method (seeds 1..seeds)
     * @param budgetMillis per run: fuzzing time for guided, wall time for the in-process methods
     * @param threads runs in parallel (guided runs are subprocesses; one per core at most)
     * @param repoRoot the checkout whose {@code ./daxfuzz} launcher runs the guided campaigns
     * @param methods which of {@link #METHODS} to run (kept in that order)
     * @param fromCorpus start every method from the shipped corpus ({@code corpus/syscall-crash}) instead
     *     of from nothing: guided runs read it as seeds, in-process methods check it first
     * @param inputsDir where each run's violating input is written as {@code BUG.METHOD.SEED.bin}
     *     (null: nowhere), for checking it elsewhere
     */
    public record Options(List<String> bugs, int seeds, long budgetMillis, int threads, Path repoRoot,
                          List<String> methods, boolean fromCorpus, Path inputsDir) {
        /** Every method, from nothing. */
        public Options(List<String> bugs, int seeds, long budgetMillis, int threads, Path repoRoot) {
            this(bugs, seeds, budgetMillis, threads, repoRoot, METHODS, false, null);
        }

        public Options {
            bugs = List.copyOf(bugs);
            methods = METHODS.stream().filter(methods::contains).toList();
            for (String m : methods) {
                if (!METHODS.contains(m)) {
                    throw new IllegalArgumentException("unknown method " + m + "; methods: " + String.join(", ", METHODS));
                }
            }
            if (methods.isEmpty()) {
                throw new IllegalArgumentException("no methods; methods: " + String.join(", ", METHODS));
            }
            for (String b : bugs) {
                if (!b.equals(NO_BUG) && Bug.byName(b).isEmpty()) {
                    throw new IllegalArgumentException("unknown bug " + b + "; the catalog has: " + String.join(", ", BugNames.ALL));
                }
            }
            if (seeds < 1 || budgetMillis < 1 || threads < 1) {
                throw new IllegalArgumentException("seeds, budget and threads must be positive");
            }
            java.util.Objects.requireNonNull(repoRoot, "repoRoot");
        }

        /** The bugs measured, in catalog order. */
        public List<String> bugList() {
            if (bugs.contains(NO_BUG)) {
                return List.of(NO_BUG);
            }
            // By default the bugs a single-task input can show: the races need tasks, which the
            // searches measured here do not generate.
            return bugs.isEmpty() ? BugNames.ALL.stream().filter(b -> !Bug.byName(b).orElseThrow().needsTasks()).toList()
                    : BugNames.ALL.stream().filter(bugs::contains).toList();
        }
    }

    /**
     * One run.
     *
     * @param method {@code guided}, {@code unguided} or {@code ace}
     * @param found a violating input, clean on the correct design, within the budget
     * @param millis time to that input, else the budget
     * @param execs inputs checked until then (for guided as counted by the driver's status lines)
     */
    public record Run(String bug, String method, int seed, boolean found, long millis, long execs) {
    }

    /** How a run ended. */
    public enum Outcome {
        /** A violation with the bug on that the correct design does not show. */
        FOUND,
        /** The budget ran out. */
        BUDGET,
        /** ACE only: every workload up to {@link AceSpace#MAX_LENGTH} checked, none violates: not in the bounded space. */
        EXHAUSTED,
        /**
         * The first violating input also violates with the bug off, so it is not a finding of the
         * bug. On the sealed design that is a false positive of daxfuzz; on the rfc-v1 design it
         * can be that design's own documented flaw ({@code findings/designs/rfc-v1-*}), which the
         * rfc-v1 catalog bugs sit on.
         */
        WITHOUT_BUG,
        /** The run could not complete (driver failed, check threw): a problem of daxfuzz or the machine. */
        FAILED
    }

    /**
     * What else is known about a run (same order as {@link Result#runs()}).
     *
     * @param outcome how it ended
     * @param violation the violation kind of the first violating input, or null
     * @param note details: guided start-up, ACE length reached, a failure's reason
     * @param wallMillis the run's whole cost in wall time (for guided including JVM start-up)
     * @param startupMillis guided: from launching {@code daxfuzz fuzz} to libFuzzer's INITED (-1 if never); else 0
     */
    public record Detail(String bug, String method, int seed, Outcome outcome, String violation, String note,
                         long wallMillis, long startupMillis) {
    }

    /**
     * Size of one length of the ACE space.
     *
     * @param sequences core-operation sequences
     * @param programs sequences times their platform configurations (what is checked)
     */
    public record AceSize(int length, long sequences, long programs) {
    }

    /** Aggregates of one bug and method. */
    public record Summary(String bug, String method, int found, int runs, double medianMillis, boolean medianCensored,
                          long minMillis, long maxMillis, double medianExecs, int withoutBug, int exhausted,
                          int failed) {
    }

    /**
     * The section's measurements.
     *
     * @param runs sorted by bug (catalog order), method ({@link #METHODS} order), seed
     * @param details one per run, same order
     * @param aceSpace the ACE space per length
     * @param wallMillis the whole section's wall time
     * @param date when it was measured (UTC)
     * @param resumed runs taken from an earlier, interrupted invocation at the same commit ({@link RunJournal})
     */
    public record Result(Options options, List<Run> runs, List<Detail> details, List<AceSize> aceSpace,
                         long wallMillis, String date, int resumed) {
        /** A section measured in one invocation. */
        public Result(Options options, List<Run> runs, List<Detail> details, List<AceSize> aceSpace, long wallMillis,
                      String date) {
            this(options, runs, details, aceSpace, wallMillis, date, 0);
        }

        /** Aggregates per bug and method, in report order. */
        public List<Summary> summaries() {
            List<Summary> out = new ArrayList<>();
            for (String bug : options.bugList()) {
                for (String m : options.methods()) {
                    List<Run> rs = new ArrayList<>();
                    List<Detail> ds = new ArrayList<>();
                    for (int i = 0; i < runs.size(); i++) {
                        if (runs.get(i).bug().equals(bug) && runs.get(i).method().equals(m)) {
                            rs.add(runs.get(i));
                            ds.add(details.get(i));
                        }
                    }
                    if (rs.isEmpty()) {
                        continue;
                    }
                    int found = (int) rs.stream().filter(Run::found).count();
                    out.add(new Summary(bug, m, found, rs.size(), median(rs.stream().map(Run::millis).toList()),
                            // The median is a real time only when more than half the runs found the bug.
                            found <= rs.size() / 2,
                            rs.stream().mapToLong(Run::millis).min().orElse(0),
                            rs.stream().mapToLong(Run::millis).max().orElse(0),
                            median(rs.stream().map(Run::execs).toList()),
                            count(ds, Outcome.WITHOUT_BUG), count(ds, Outcome.EXHAUSTED), count(ds, Outcome.FAILED)));
                }
            }
            return out;
        }

        /** The section in Markdown, starting with {@code ## Time to first finding}. */
        public String markdown() {
            StringBuilder s = new StringBuilder();
            List<String> bugs = options.bugList();
            s.append("## Time to first finding").append(options.fromCorpus() ? " (from the shipped corpus)" : "")
                    .append("\n\n");
            s.append(String.format(Locale.ROOT, "%d bug(s) × %d seeds × %d methods, budget %s s per run, %d runs in parallel; "
                            + "measured %s in %.1f min. Times in seconds; a run that found nothing counts at the budget, "
                            + "so a median marked ≥ is a lower bound.%n%n", bugs.size(), options.seeds(), options.methods().size(),
                    seconds(options.budgetMillis()), options.threads(), date, wallMillis / 60000.0));
            if (resumed > 0) {
                s.append(String.format(Locale.ROOT, "The invocation was resumed (`--resume`): %d of the %d runs were measured "
                        + "by an earlier, interrupted invocation at the same commit and budget and taken from its run "
                        + "journal; the time above is this invocation's only.%n%n", resumed, runs.size()));
            }
            s.append("| bug | method | found | median s | min–max s | median execs | notes |\n");
            s.append("|---|---|---|---|---|---|---|\n");
            List<Summary> sums = summaries();
            for (Summary x : sums) {
                List<String> notes = new ArrayList<>();
                if (x.exhausted() > 0) {
                    notes.add("space exhausted ×" + x.exhausted());
                }
                if (x.withoutBug() > 0) {
                    notes.add("**violates without the bug ×" + x.withoutBug() + "**");
                }
                if (x.failed() > 0) {
                    notes.add("failed ×" + x.failed());
                }
                if (x.method().equals("ace")) {
                    notes.add(aceReach(x.bug()));
                }
                s.append("| ").append(x.bug()).append(" | ").append(x.method()).append(" | ").append(x.found()).append('/')
                        .append(x.runs()).append(" | ").append(x.medianCensored() ? "≥ " : "")
                        .append(seconds(Math.round(x.medianMillis()))).append(" | ").append(seconds(x.minMillis())).append('–')
                        .append(seconds(x.maxMillis())).append(" | ").append(Math.round(x.medianExecs())).append(" | ")
                        .append(String.join("; ", notes)).append(" |\n");
            }
            List<String> others = options.methods().stream().filter(m -> !m.equals("guided")).toList();
            if (options.methods().contains("guided") && !others.isEmpty()) {
                s.append("\n**Ratios of median times** (other method / guided): shown where guided's median is a real "
                        + "time (it found the bug in more than half its runs); ≥ where the other method's median is "
                        + "censored (a lower bound); — where guided's median is censored or zero.\n\n");
                s.append("| bug |");
                others.forEach(m -> s.append(' ').append(m).append("/guided |"));
                s.append("\n|---|").append("---|".repeat(others.size())).append('\n');
                for (String bug : bugs) {
                    Optional<Summary> g = find(sums, bug, "guided");
                    s.append("| ").append(bug).append(" |");
                    others.forEach(m -> s.append(' ').append(ratio(g, find(sums, bug, m))).append(" |"));
                    s.append('\n');
                }
            }
            s.append("\nBugs found at least once: ");
            List<String> per = new ArrayList<>();
            for (String m : options.methods()) {
                long n = sums.stream().filter(x -> x.method().equals(m) && x.found() > 0).count();
                long runsFound = runs.stream().filter(r -> r.method().equals(m) && r.found()).count();
                long runsAll = runs.stream().filter(r -> r.method().equals(m)).count();
                per.add(m + " " + n + "/" + bugs.size() + " (runs " + runsFound + "/" + runsAll + ")");
            }
            s.append(String.join(", ", per)).append(".\n\n");
            long fp = details.stream().filter(d -> d.outcome() == Outcome.WITHOUT_BUG).count();
            if (fp > 0) {
                s.append("**Violations without the bug: ").append(fp).append(" run(s) stopped at an input that also violates"
                        + " with the bug off**, so they are not counted as findings. On the sealed design such an input is"
                        + " a false positive of daxfuzz, to be fixed; on the rfc-v1 design it is usually that design's own"
                        + " documented flaw (an extending write or fallocate changes a \"static\" block map,"
                        + " `findings/designs/rfc-v1-*`), which the rfc-v1 bugs sit on: ");
                List<String> which = new ArrayList<>();
                for (Detail d : details) {
                    if (d.outcome() == Outcome.WITHOUT_BUG) {
                        which.add(d.bug() + " " + d.method() + " seed " + d.seed() + " (" + d.violation() + ")");
                    }
                }
                s.append(String.join(", ", which)).append(".\n\n");
            } else {
                s.append("Violations without the bug: none (every violating input was re-checked with the bug off and was"
                        + " clean there).\n\n");
            }
            long failed = details.stream().filter(d -> d.outcome() == Outcome.FAILED).count();
            if (failed > 0) {
                s.append("Failed runs (counted as not found): ");
                List<String> which = new ArrayList<>();
                for (Detail d : details) {
                    if (d.outcome() == Outcome.FAILED) {
                        which.add(d.bug() + " " + d.method() + " seed " + d.seed() + ": " + d.note());
                    }
                }
                s.append(String.join("; ", which)).append(".\n\n");
            }
            s.append("Cost per run (mean wall time): ");
            List<String> cost = new ArrayList<>();
            for (String m : options.methods()) {
                double mean = details.stream().filter(d -> d.method().equals(m)).mapToLong(Detail::wallMillis).average()
                        .orElse(0);
                cost.add(m + " " + String.format(Locale.ROOT, "%.1f s", mean / 1000));
            }
            List<Long> startups = details.stream().filter(d -> d.method().equals("guided") && d.startupMillis() > 0)
                    .map(Detail::startupMillis).toList();
            s.append(String.join(", ", cost)).append(startups.isEmpty() ? "" : String.format(Locale.ROOT,
                    "; guided start-up until INITED (not counted as search time): median %s s, %s–%s s",
                    seconds(Math.round(median(startups))), seconds(startups.stream().mapToLong(x -> x).min().orElse(0)),
                    seconds(startups.stream().mapToLong(x -> x).max().orElse(0)))).append(".\n\n");
            s.append("**ACE space** (").append(AceSpace.OPS.size()).append(" core operations per position; a program is "
                    + "a sequence on one platform configuration):\n\n| length | sequences | programs |\n|---|---|---|\n");
            for (AceSize a : aceSpace) {
                s.append("| ").append(a.length()).append(" | ").append(a.sequences()).append(" | ").append(a.programs())
                        .append(" |\n");
            }
            s.append("\n**What the methods are.** *guided*: `daxfuzz fuzz --bug B --seed S --keep-going 1` with "
                    + "today's structured search (coverage counters only in the file system and memory-management "
                    + "models, no comparison tracing, depth feedback through Jazzer's `exploreState`, the statement "
                    + "dictionary, and the generated seeds a new campaign starts with, each input checking a sample of its crash "
                    + "states, `--check sample`); *guided-all*: the same checking every crash state within the bounds "
                    + "(`--check all`, guided before sampling); *guided-classic*: the same with "
                    + "`--search classic`, the search daxfuzz had before (every daxfuzz class instrumented, default "
                    + "comparison tracing, nothing else). Both run Jazzer's libFuzzer on the `syscall-crash` byte "
                    + "encoding; their time and executions are counted from libFuzzer's `INITED` line, so JVM start-up "
                    + "and corpus loading (the start-up in the cost line) are excluded, an input that already fails "
                    + "while the corpus loads counts as found at 0 s (noted), and a finding later than start + budget "
                    + "counts as not found. *unguided*: the same decoder and check in this JVM on uniformly random byte "
                    + "strings of 1–4096 bytes (libFuzzer's default `max_len`), no feedback, seeded per bug and seed. "
                    + "*ace*: CrashMonkey-ACE-style bounded exhaustive workloads: every sequence of 1, then 2, then 3 core "
                    + "operations (create, overwrite, unaligned append, shrink, extend, fallocate and punch, MAP_SYNC and "
                    + "msync mapped writes, daxfile set and clear, unlink, link, rename, fdatasync, mkdir, sync, dropping "
                    + "CAP_LINUX_IMMUTABLE) over /a, /b, /d/a, each with or without a persistence point (fsync of the "
                    + "touched file, sync for directory operations), dependencies (create, open, mkdir) inserted and "
                    + "files closed at the end, on every platform configuration of the input header (commit mode × "
                    + "device size, × sync-fault design when a MAP_SYNC write is present; ADR only); seed 1 in canonical "
                    + "order, other seeds shuffle the sequences within each length (Fisher–Yates), so the spread is the "
                    + "luck of ordering. \"Space exhausted\" means every workload up to length 3 was checked without a "
                    + "violation: the bug is not in ACE's bounded space, which a timeout does not show. "
                    + (options.fromCorpus() ? "**Start: the shipped corpus.** Guided runs read `corpus/syscall-crash` "
                    + "as seeds; unguided and ace check its inputs first, on their clock. "
                    : "**Start: nothing.** Guided runs pass `--no-seeds` (no shipped corpus; the structured search "
                    + "still writes its generated seeds, which are part of it). ")
                    + "All methods use "
                    + "`SyscallCrash.check` with the bug on, on the daxfile design its catalog entry names; a violating "
                    + "input counts only if it is clean with the bug off.\n\n");
            s.append("**Limits.** Unfound runs are censored at the budget, so medians marked ≥ and ratios marked ≥ are "
                    + "lower bounds, and min–max spans include the budget. Wall times share the machine with the other "
                    + "parallel run (and anything else running), so the execution counts are the firmer figure for "
                    + "guided and unguided; for ace, execs are programs checked in its fixed order. In-process methods "
                    + "may run in a JVM warmed by earlier runs; each guided run starts cold, and its first seconds after "
                    + "INITED still load and instrument the classes its inputs reach (executions per second climb from "
                    + "single digits to hundreds), so short budgets penalise guided most: compare execs as well as "
                    + "seconds. The seeds are few, so a "
                    + "ratio is an order of magnitude, not a constant. ACE's op set, file set and sizes are choices "
                    + "made here from what the byte encoding expresses, not CrashMonkey's exact set.\n");
            return s.toString();
        }

        private String aceReach(String bug) {
            List<String> notes = new ArrayList<>();
            for (Detail d : details) {
                if (d.bug().equals(bug) && d.method().equals("ace") && d.note() != null) {
                    notes.add(d.note());
                }
            }
            // Per seed: the length a finding was at (L2) or how far the budget got (L2 13% of its sequences).
            return notes.isEmpty() ? "" : "reached " + String.join(", ", notes);
        }

        /** Writes the section as one JSON object. */
        public void writeJson(JsonGenerator g) throws IOException {
            g.writeStartObject();
            g.writeStringField("section", "time-to-first-finding");
            g.writeStringField("date", date);
            g.writeNumberField("budgetMillis", options.budgetMillis());
            g.writeNumberField("seeds", options.seeds());
            g.writeNumberField("threads", options.threads());
            g.writeNumberField("wallMillis", wallMillis);
            g.writeNumberField("resumedRuns", resumed);
            g.writeArrayFieldStart("bugs");
            for (String b : options.bugList()) {
                g.writeString(b);
            }
            g.writeEndArray();
            g.writeBooleanField("fromCorpus", options.fromCorpus());
            g.writeArrayFieldStart("methods");
            for (String m : options.methods()) {
                g.writeString(m);
            }
            g.writeEndArray();
            g.writeObjectFieldStart("aceSpace");
            g.writeNumberField("coreOps", AceSpace.OPS.size());
            g.writeArrayFieldStart("lengths");
            for (AceSize a : aceSpace) {
                g.writeStartObject();
                g.writeNumberField("length", a.length());
                g.writeNumberField("sequences", a.sequences());
                g.writeNumberField("programs", a.programs());
                g.writeEndObject();
            }
            g.writeEndArray();
            g.writeEndObject();
            g.writeArrayFieldStart("summary");
            for (Summary x : summaries()) {
                g.writeStartObject();
                g.writeStringField("bug", x.bug());
                g.writeStringField("method", x.method());
                g.writeNumberField("found", x.found());
                g.writeNumberField("runs", x.runs());
                g.writeNumberField("medianMillis", x.medianMillis());
                g.writeBooleanField("medianCensored", x.medianCensored());
                g.writeNumberField("minMillis", x.minMillis());
                g.writeNumberField("maxMillis", x.maxMillis());
                g.writeNumberField("medianExecs", x.medianExecs());
                g.writeNumberField("withoutBug", x.withoutBug());
                g.writeNumberField("exhausted", x.exhausted());
                g.writeNumberField("failed", x.failed());
                g.writeEndObject();
            }
            g.writeEndArray();
            g.writeArrayFieldStart("runs");
            for (int i = 0; i < runs.size(); i++) {
                Run r = runs.get(i);
                Detail d = details.get(i);
                g.writeStartObject();
                writeRunFields(g, r, d);
                g.writeEndObject();
            }
            g.writeEndArray();
            g.writeEndObject();
        }
    }

    /** A run's fields, as results.json and the run journal hold them. */
    static void writeRunFields(JsonGenerator g, Run r, Detail d) throws IOException {
        g.writeStringField("bug", r.bug());
        g.writeStringField("method", r.method());
        g.writeNumberField("seed", r.seed());
        g.writeBooleanField("found", r.found());
        g.writeNumberField("millis", r.millis());
        g.writeNumberField("execs", r.execs());
        g.writeStringField("outcome", d.outcome().name());
        g.writeStringField("violation", d.violation());
        g.writeStringField("note", d.note());
        g.writeNumberField("wallMillis", d.wallMillis());
        g.writeNumberField("startupMillis", d.startupMillis());
    }

    // ---- running -----------------------------------------------------------------------------

    /** Measures every (bug, method, seed) on {@code o.threads()} threads; {@code progress} gets one line per run. */
    public static Result run(Options o, PrintWriter progress) {
        return run(o, progress, null);
    }

    /**
     * Like {@link #run(Options, PrintWriter)}, recording each completed run in {@code journal}
     * (null: nowhere) and taking the runs it already holds instead of measuring them again.
     */
    public static Result run(Options o, PrintWriter progress, RunJournal journal) {
        Stopwatch wall = new Stopwatch();
        List<String> bugs = o.bugList();
        int total = bugs.size() * o.seeds() * o.methods().size();
        // Each thread runs its share back to back: in-process runs take the budget (plus one check),
        // guided ones start-up + budget + grace; runs that find the bug end earlier.
        long guided = GUIDED_STARTUP_ESTIMATE_MILLIS + o.budgetMillis() + GUIDED_GRACE_MILLIS;
        long worst = bugs.size() * (long) o.seeds() * (guided + 2 * o.budgetMillis()) / o.threads();
        println(progress, String.format(Locale.ROOT, "finding-time: %d runs (%d bugs × %d seeds × %d methods), budget %s s, "
                        + "%d threads: worst case about %.1f min (guided start-up taken as %d s; an in-process run can "
                        + "also end one slow check past its budget)", total, bugs.size(),
                o.seeds(), o.methods().size(), seconds(o.budgetMillis()), o.threads(), worst / 60000.0,
                GUIDED_STARTUP_ESTIMATE_MILLIS / 1000));
        if (!prepareGuided(o, progress)) {
            println(progress, "finding-time: the fuzz targets did not build; guided runs will fail");
        }
        ExecutorService pool = Executors.newFixedThreadPool(o.threads());
        List<Future<Measured>> futures = new ArrayList<>();
        int[] done = {0};
        int resumed = 0;
        // Methods interleaved per bug and seed: the long, cold-starting guided runs spread over the
        // section instead of bunching at its start or end (results are sorted afterwards anyway).
        for (String bug : bugs) {
            for (int seed = 1; seed <= o.seeds(); seed++) {
                for (String m : o.methods()) {
                    int s = seed;
                    Optional<Measured> before = journal == null ? Optional.empty()
                            : journal.earlier(o.fromCorpus(), o.budgetMillis(), bug, m, s);
                    if (before.isPresent()) {
                        resumed++;
                        futures.add(java.util.concurrent.CompletableFuture.completedFuture(before.get()));
                        synchronized (done) {
                            done[0]++;
                        }
                        continue;
                    }
                    futures.add(pool.submit(() -> {
                        Measured r = measure(o, bug, m, s);
                        if (journal != null) {
                            journal.record(o.fromCorpus(), o.budgetMillis(), r);
                        }
                        synchronized (done) {
                            done[0]++;
                            println(progress, String.format(Locale.ROOT, "finding-time %d/%d: %-28s %-8s seed %d: %s", done[0],
                                    total, bug, m, s, describe(r)));
                        }
                        return r;
                    }));
                }
            }
        }
        if (resumed > 0) {
            println(progress, String.format(Locale.ROOT, "finding-time: %d of %d runs taken from the run journal of an "
                    + "earlier invocation at this commit", resumed, total));
        }
        List<Measured> all = new ArrayList<>();
        try {
            for (Future<Measured> f : futures) {
                all.add(f.get());
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted", e);
        } catch (ExecutionException e) {
            throw new IllegalStateException(e.getCause());
        } finally {
            pool.shutdownNow();
        }
        all.sort(Comparator.comparingInt((Measured r) -> BugNames.ALL.indexOf(r.run().bug()))
                .thenComparingInt(r -> METHODS.indexOf(r.run().method())).thenComparingInt(r -> r.run().seed()));
        List<AceSize> sizes = new ArrayList<>();
        for (int len = 1; len <= AceSpace.MAX_LENGTH; len++) {
            sizes.add(new AceSize(len, AceSpace.sequences(len), AceSpace.programs(len)));
        }
        return new Result(o, all.stream().map(Measured::run).toList(), all.stream().map(Measured::detail).toList(), sizes,
                wall.millis(), Stopwatch.today(), resumed);
    }

    private static void println(PrintWriter p, String line) {
        synchronized (p) {
            p.println(line);
            p.flush();
        }
    }

    private static String describe(Measured m) {
        Run r = m.run();
        Detail d = m.detail();
        String what = switch (d.outcome()) {
            case FOUND -> "found " + d.violation() + " after " + seconds(r.millis()) + " s, " + r.execs() + " execs";
            case BUDGET -> "not found in " + seconds(r.millis()) + " s, " + r.execs() + " execs";
            case EXHAUSTED -> "space exhausted, " + r.execs() + " programs, not found";
            case WITHOUT_BUG -> "FALSE POSITIVE " + d.violation() + " (violates on the correct design too)";
            case FAILED -> "FAILED";
        };
        return what + (d.note() == null ? "" : " [" + d.note() + "]") + ", wall " + seconds(d.wallMillis()) + " s"
                + (d.startupMillis() > 0 ? " (start-up " + seconds(d.startupMillis()) + " s)" : "");
    }

    /** One run and what else is known about it. */
    public record Measured(Run run, Detail detail) {
    }

    /** The configuration a bug is measured on: the bug, on the daxfile design its catalog entry names (else sealed). */
    public static FuzzConfig configFor(String bug) {
        return new FuzzConfig(designFor(bug), NO_BUG.equals(bug) ? List.of() : List.of(bug), FuzzConfig.MAX_STATES_DEFAULT);
    }

    /** The correct design the same run is compared with: same daxfile design, no bug. */
    static FuzzConfig correctFor(String bug) {
        return new FuzzConfig(designFor(bug), List.of(), FuzzConfig.MAX_STATES_DEFAULT);
    }

    /**
     * The daxfile design a catalog bug lives in: its catalog design reads {@code daxfile rfc-v1} or
     * {@code daxfile sealed} when it applies to one only; otherwise sealed, {@code daxfuzz fuzz}'s
     * default. ({@code daxfuzz fuzz} does not infer this: a campaign for an rfc-v1 bug needs
     * {@code --design rfc-v1}, which the guided runs pass.)
     */
    public static Header.DaxfileDesign designFor(String bug) {
        if (NO_BUG.equals(bug)) {
            return Header.DaxfileDesign.SEALED;
        }
        String d = Bug.byName(bug).orElseThrow(() -> new IllegalArgumentException("unknown bug " + bug)).design();
        for (Header.DaxfileDesign x : Header.DaxfileDesign.values()) {
            if (d.equals("daxfile " + x.keyword())) {
                return x;
            }
        }
        return Header.DaxfileDesign.SEALED;
    }

    /** The random seed of an unguided run: differs per bug and seed, the same on every machine. */
    public static long seedFor(String bug, int seed) {
        // String.hashCode is specified, so this is stable across JVMs.
        return new SplittableRandom(((long) bug.hashCode() << 32) ^ seed).nextLong();
    }

    static Measured measure(Options o, String bug, String method, int seed) {
        Stopwatch wall = new Stopwatch();
        try {
            Measured m = switch (method) {
                case "guided", "guided-all", "guided-classic" -> guided(o, bug, seed, method);
                case "unguided" -> unguided(o, bug, seed);
                case "ace" -> ace(o, bug, seed);
                default -> throw new IllegalArgumentException(method);
            };
            return withWall(m, wall.millis());
        } catch (RuntimeException | IOException | StackOverflowError e) {
            // A check that throws is a crash of daxfuzz itself: report it, do not lose the section.
            return new Measured(new Run(bug, method, seed, false, o.budgetMillis(), 0),
                    new Detail(bug, method, seed, Outcome.FAILED, null, e.toString(), wall.millis(), 0));
        }
    }

    private static Measured withWall(Measured m, long wallMillis) {
        Detail d = m.detail();
        return new Measured(m.run(), new Detail(d.bug(), d.method(), d.seed(), d.outcome(), d.violation(), d.note(), wallMillis,
                d.startupMillis()));
    }

    /** The verdict on one violating input: its kind and whether the correct design shows a violation too. */
    record Verdict(String kind, boolean withoutBug) {
    }

    /** Checks {@code input} with the bug on; null when clean, else the verdict after re-checking with the bug off. */
    static Verdict judge(byte[] input, FuzzConfig withBug, FuzzConfig correct) {
        Optional<Violation> v = SyscallCrash.confirm(input, withBug).violation();
        if (v.isEmpty()) {
            return null;
        }
        if (withBug.equals(correct)) {
            // A mutant: the code under test is the bug; the unmutated build judges the input (see NO_BUG).
            return new Verdict(v.get().kind().name(), false);
        }
        return new Verdict(v.get().kind().name(), SyscallCrash.confirm(input, correct).violation().isPresent());
    }

    private static Measured ended(String bug, String method, int seed, Verdict v, long millis, long execs, long budget,
                                  String note) {
        if (v == null || millis > budget) {
            return new Measured(new Run(bug, method, seed, false, budget, execs),
                    new Detail(bug, method, seed, Outcome.BUDGET, null, note, 0, 0));
        }
        if (v.withoutBug()) {
            return new Measured(new Run(bug, method, seed, false, budget, execs),
                    new Detail(bug, method, seed, Outcome.WITHOUT_BUG, v.kind(), note, 0, 0));
        }
        return new Measured(new Run(bug, method, seed, true, millis, execs),
                new Detail(bug, method, seed, Outcome.FOUND, v.kind(), note, 0, 0));
    }

    /** Random byte strings, no feedback. */
    static Measured unguided(Options o, String bug, int seed) {
        FuzzConfig withBug = configFor(bug);
        FuzzConfig correct = correctFor(bug);
        SplittableRandom random = new SplittableRandom(seedFor(bug, seed));
        Stopwatch clock = new Stopwatch();
        List<byte[]> shipped = shippedSeeds(o);
        Measured first = firstShipped(o, bug, "unguided", seed, shipped, withBug, correct, clock);
        if (first != null) {
            return first;
        }
        long execs = shipped.size();
        while (clock.millis() < o.budgetMillis()) {
            byte[] input = new byte[1 + random.nextInt(4096)];
            random.nextBytes(input);
            execs++;
            Verdict v = judge(input, withBug, correct);
            if (v != null) {
                long t = clock.millis();
                save(o, bug, "unguided", seed, input);
                return ended(bug, "unguided", seed, v, t, execs, o.budgetMillis(), overshoot(t, o.budgetMillis()));
            }
        }
        return ended(bug, "unguided", seed, null, 0, execs, o.budgetMillis(), overshoot(clock.millis(), o.budgetMillis()));
    }

    /**
     * A check cannot be interrupted, so an in-process run ends at the first check that finishes
     * after the budget; random inputs of 4 KiB occasionally take tens of seconds (a persist over
     * megabytes of mapping). That cost is the run's, shown here, never counted as search time.
     */
    private static String overshoot(long millis, long budget) {
        return millis - budget > 1000 ? "last check ended " + seconds(millis - budget) + " s past the budget" : null;
    }

    /** ACE: lengths 1..3 in order; within a length canonical (seed 1) or shuffled order. */
    static Measured ace(Options o, String bug, int seed) {
        return ace(o, bug, seed, AceSpace.MAX_LENGTH);
    }

    /**
     * One ACE run bounded at sequences of {@code maxLength} core operations ({@link AceSpace#MAX_LENGTH}
     * in the benchmark; the tests use 1 to see a space exhausted), in this thread.
     */
    public static Measured ace(Options o, String bug, int seed, int maxLength) {
        FuzzConfig withBug = configFor(bug);
        FuzzConfig correct = correctFor(bug);
        SplittableRandom shuffle = new SplittableRandom(seed);
        Stopwatch clock = new Stopwatch();
        List<byte[]> shipped = shippedSeeds(o);
        Measured first = firstShipped(o, bug, "ace", seed, shipped, withBug, correct, clock);
        if (first != null) {
            return first;
        }
        long execs = shipped.size();
        for (int len = 1; len <= maxLength; len++) {
            long n = AceSpace.sequences(len);
            int[] order = seed == 1 ? null : permutation((int) n, shuffle);
            for (long i = 0; i < n; i++) {
                int[] sequence = AceSpace.sequence(len, order == null ? i : order[(int) i]);
                for (AceSpace.Platform p : AceSpace.platforms(sequence)) {
                    if (clock.millis() >= o.budgetMillis()) {
                        return ended(bug, "ace", seed, null, 0, execs, o.budgetMillis(),
                                String.format(Locale.ROOT, "L%d %.0f%%", len, 100.0 * i / n));
                    }
                    execs++;
                    byte[] input = AceSpace.input(sequence, p);
                    Verdict v = judge(input, withBug, correct);
                    if (v != null) {
                        long t = clock.millis();
                        save(o, bug, "ace", seed, input);
                        return ended(bug, "ace", seed, v, t, execs, o.budgetMillis(), t > o.budgetMillis()
                                ? overshoot(t, o.budgetMillis()) : "L" + len);
                    }
                }
            }
        }
        return new Measured(new Run(bug, "ace", seed, false, o.budgetMillis(), execs),
                new Detail(bug, "ace", seed, Outcome.EXHAUSTED, null,
                        "L1–" + maxLength + " exhausted in " + seconds(clock.millis()) + " s", 0, 0));
    }

    /**
     * An in-process run from the shipped corpus checks its inputs first, on its clock: the run
     * ends at the first that shows the bug; null when none does.
     */
    private static Measured firstShipped(Options o, String bug, String method, int seed, List<byte[]> shipped,
                                         FuzzConfig withBug, FuzzConfig correct, Stopwatch clock) {
        for (int i = 0; i < shipped.size(); i++) {
            Verdict v = judge(shipped.get(i), withBug, correct);
            if (v != null) {
                save(o, bug, method, seed, shipped.get(i));
                return ended(bug, method, seed, v, clock.millis(), i + 1, o.budgetMillis(), "a shipped seed");
            }
        }
        return null;
    }

    /** Writes a run's violating input into {@code inputsDir} (atomically), if one is set. */
    private static void save(Options o, String bug, String method, int seed, byte[] input) {
        if (o.inputsDir() == null) {
            return;
        }
        try {
            dev.daxfuzz.fuzzing.Campaign.writeAtomically(o.inputsDir().resolve(bug + "." + method + "." + seed + ".bin"), input);
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    /** With {@code fromCorpus}, the shipped byte seeds in name order (what an in-process method checks first); else none. */
    static List<byte[]> shippedSeeds(Options o) {
        if (!o.fromCorpus()) {
            return List.of();
        }
        Path dir = o.repoRoot().resolve("corpus").resolve("syscall-crash");
        try (Stream<Path> s = Files.list(dir)) {
            List<byte[]> out = new ArrayList<>();
            for (Path f : s.filter(Files::isRegularFile).sorted().toList()) {
                out.add(Files.readAllBytes(f));
            }
            return out;
        } catch (IOException e) {
            throw new java.io.UncheckedIOException("reading the shipped corpus " + dir, e);
        }
    }

    /** A uniformly random permutation of 0..n-1 (Fisher–Yates): ACE's order within a length for seeds above 1. */
    public static int[] permutation(int n, SplittableRandom random) {
        int[] a = new int[n];
        for (int i = 0; i < n; i++) {
            a[i] = i;
        }
        for (int i = n - 1; i > 0; i--) {
            int j = random.nextInt(i + 1);
            int t = a[i];
            a[i] = a[j];
            a[j] = t;
        }
        return a;
    }

    // ---- guided: daxfuzz fuzz as a subprocess -------------------------------------------------------

    private static final Pattern STARTED = Pattern.compile("daxfuzz: fuzzing started after (\\d+) ms");
    private static final Pattern FIRST = Pattern.compile("daxfuzz: first finding after (\\d+) ms, about (\\d+) execs");
    private static final Pattern STATUS = Pattern.compile("^daxfuzz: execs (\\d+) ");

    /** Builds the fuzz targets once ({@code daxfuzz fuzz --help} makes the launcher build them), so parallel runs do not. */
    static boolean prepareGuided(Options o, PrintWriter progress) {
        try {
            Process p = new ProcessBuilder(o.repoRoot().resolve("daxfuzz").toString(), "fuzz", "--help")
                    .directory(o.repoRoot().toFile()).redirectErrorStream(true).start();
            p.getInputStream().transferTo(java.io.OutputStream.nullOutputStream());
            if (p.waitFor() != 0) {
                return false;
            }
            return true;
        } catch (IOException e) {
            println(progress, "finding-time: " + e);
            return false;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }

    static Measured guided(Options o, String bug, int seed, String method) throws IOException {
        Path tmp = Files.createTempDirectory("daxfuzz-ttf-");
        long[] startup = {-1};
        try {
            Measured m = guidedIn(o, bug, seed, tmp, startup, method);
            Detail d = m.detail();
            return new Measured(m.run(), new Detail(d.bug(), d.method(), d.seed(), d.outcome(), d.violation(), d.note(),
                    d.wallMillis(), startup[0]));
        } finally {
            deleteTree(tmp);
        }
    }

    private static Measured guidedIn(Options o, String bug, int seed, Path tmp, long[] startup, String method)
            throws IOException {
        boolean classic = method.equals("guided-classic");
        long budget = o.budgetMillis();
        long timeSeconds = (budget + GUIDED_STARTUP_ALLOWANCE_MILLIS + 999) / 1000;
        List<String> cmd = new ArrayList<>(List.of(o.repoRoot().resolve("daxfuzz").toString(), "fuzz",
                "--design", designFor(bug).keyword(), "--seed", Integer.toString(seed), "--time", timeSeconds + "s",
                "--keep-going", "1", "--work", tmp.resolve("w").toString(), "--findings",
                tmp.resolve("f").toString(), "--search", classic ? "classic" : "structured",
                "--check", method.equals("guided") ? "sample" : "all"));
        if (!o.fromCorpus()) {
            cmd.add("--no-seeds");
        }
        if (!NO_BUG.equals(bug)) {
            cmd.add("--bug");
            cmd.add(bug);
        }
        ProcessBuilder pb = new ProcessBuilder(cmd).directory(o.repoRoot().toFile()).redirectErrorStream(true);
        // Jazzer makes a seeds directory in java.io.tmpdir and leaves it when stopped: keep it in tmp,
        // which is deleted after the run (JAVA_TOOL_OPTIONS reaches the driver's JVM too).
        Path javaTmp = Files.createDirectories(tmp.resolve("java-tmp"));
        String tool = pb.environment().getOrDefault("JAVA_TOOL_OPTIONS", "");
        pb.environment().put("JAVA_TOOL_OPTIONS", (tool + " -Djava.io.tmpdir=" + javaTmp).trim());
        Process p = pb.start();
        p.getOutputStream().close();
        // Safety net: a driver that never starts or never stops is killed with its children (all started by this run).
        p.onExit().orTimeout(GUIDED_STARTUP_ALLOWANCE_MILLIS + budget + 60_000, TimeUnit.MILLISECONDS).exceptionally(t -> {
            p.descendants().forEach(ProcessHandle::destroyForcibly);
            p.destroyForcibly();
            return null;
        });
        java.util.concurrent.atomic.AtomicBoolean stoppedHere = new java.util.concurrent.atomic.AtomicBoolean();
        Stopwatch clock = new Stopwatch();
        long startedSeen = -1;
        long started = -1;
        long first = -1;
        long firstExecs = -1;
        long execsAtBudget = 0;
        List<String> tail = new ArrayList<>();
        try (BufferedReader r = new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8))) {
            String line;
            while ((line = r.readLine()) != null) {
                long now = clock.millis();
                tail.add(line);
                if (tail.size() > 20) {
                    tail.remove(0);
                }
                Matcher m;
                if ((m = STARTED.matcher(line)).find()) {
                    if (started < 0) {
                        started = Long.parseLong(m.group(1));
                        startedSeen = now;
                        startup[0] = started;
                        // The budget is fuzzing time: stop the driver (not daxfuzz fuzz, which still
                        // saves any finding and prints its summary) when it is over.
                        java.util.concurrent.CompletableFuture.delayedExecutor(budget + GUIDED_GRACE_MILLIS,
                                TimeUnit.MILLISECONDS).execute(() -> {
                                    if (p.isAlive()) {
                                        stoppedHere.set(true);
                                        p.descendants().forEach(ProcessHandle::destroy);
                                    }
                                });
                    }
                } else if ((m = FIRST.matcher(line)).find()) {
                    first = Long.parseLong(m.group(1));
                    firstExecs = Long.parseLong(m.group(2));
                } else if ((m = STATUS.matcher(line)).find()) {
                    // Executions within the budget, by this side's clock: for runs that find nothing in it.
                    if (startedSeen >= 0 && now - startedSeen <= budget) {
                        execsAtBudget = Long.parseLong(m.group(1));
                    }
                }
            }
        }
        int rc;
        try {
            rc = p.waitFor();
        } catch (InterruptedException e) {
            p.descendants().forEach(ProcessHandle::destroy);
            p.destroy();
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted", e);
        }
        long endSeen = clock.millis();
        String note = null;
        // Exit 0: nothing found; 1: a finding; 4 after this side stopped the driver: nothing found.
        boolean ok = rc == 0 || rc == 1 || stoppedHere.get() && rc == 4;
        if (started < 0 && first >= 0 && ok) {
            // Found while the driver was still loading the corpus (a seed, generated or shipped,
            // already fails): zero fuzzing time; the start-up it took is in the cost line.
            started = first;
            startup[0] = first;
            note = "found while loading the corpus, " + seconds(first) + " s after launch";
        }
        if (started < 0 || !ok) {
            return new Measured(new Run(bug, method, seed, false, budget, 0), new Detail(bug, method, seed,
                    Outcome.FAILED, null, "daxfuzz fuzz exit " + rc + (started < 0 ? ", fuzzing never started" : "")
                    + ": " + String.join(" / ", tail.subList(Math.max(0, tail.size() - 3), tail.size())), 0, 0));
        }
        if (first < 0) {
            if (endSeen - startedSeen < budget) {
                // The driver ended on its own before the budget (it should not: --time has a large allowance).
                note = "fuzzed only " + seconds(endSeen - startedSeen) + " s";
            }
            return ended(bug, method, seed, null, 0, execsAtBudget, budget, note);
        }
        long millis = Math.max(0, first - started);
        if (first < started) {
            note = "found while loading the corpus, " + seconds(first) + " s after launch";
        }
        if (millis > budget) {
            return ended(bug, method, seed, null, 0, execsAtBudget, budget, note);
        }
        byte[] input = findingInput(tmp.resolve("f"));
        if (input == null) {
            return new Measured(new Run(bug, method, seed, false, budget, firstExecs), new Detail(bug, method, seed,
                    Outcome.FAILED, null, "the finding has no input.bin", 0, 0));
        }
        Verdict v = judge(input, configFor(bug), correctFor(bug));
        if (v != null) {
            save(o, bug, method, seed, input);
        }
        if (v == null) {
            return new Measured(new Run(bug, method, seed, false, budget, firstExecs), new Detail(bug, method, seed,
                    Outcome.FAILED, null, "the saved finding does not replay", 0, 0));
        }
        return ended(bug, method, seed, v, millis, firstExecs, budget, note);
    }

    /** The raw input of the (first) finding under {@code findings}, or null. */
    private static byte[] findingInput(Path findings) throws IOException {
        if (!Files.isDirectory(findings)) {
            return null;
        }
        try (Stream<Path> s = Files.walk(findings)) {
            Optional<Path> in = s.filter(f -> f.getFileName().toString().equals("input.bin")).sorted().findFirst();
            return in.isPresent() ? Files.readAllBytes(in.get()) : null;
        }
    }

    private static void deleteTree(Path p) throws IOException {
        if (!Files.exists(p)) {
            return;
        }
        try (Stream<Path> s = Files.walk(p)) {
            for (Path q : s.sorted(Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(q);
            }
        }
    }

    // ---- small helpers -------------------------------------------------------------------------

    static String seconds(long millis) {
        return String.format(Locale.ROOT, "%.1f", millis / 1000.0);
    }

    /** {@link Stats#median}, with 0 for no values (a table cell, not NaN). */
    static double median(List<Long> xs) {
        return xs.isEmpty() ? 0 : Stats.median(xs);
    }

    private static int count(List<Detail> ds, Outcome o) {
        return (int) ds.stream().filter(d -> d.outcome() == o).count();
    }

    private static Optional<Summary> find(List<Summary> sums, String bug, String method) {
        return sums.stream().filter(x -> x.bug().equals(bug) && x.method().equals(method)).findFirst();
    }

    private static String ratio(Optional<Summary> guided, Optional<Summary> other) {
        if (guided.isEmpty() || other.isEmpty() || guided.get().medianCensored() || guided.get().medianMillis() <= 0) {
            return "—";
        }
        double r = other.get().medianMillis() / guided.get().medianMillis();
        return (other.get().medianCensored() ? "≥ " : "") + String.format(Locale.ROOT, r >= 10 ? "%.0f" : "%.2f", r);
    }
}
