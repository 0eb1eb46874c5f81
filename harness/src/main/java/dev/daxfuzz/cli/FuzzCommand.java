package dev.daxfuzz.cli;

import dev.daxfuzz.bench.Stopwatch;
import dev.daxfuzz.fs.Bug;
import dev.daxfuzz.fuzzing.ByteCodec;
import dev.daxfuzz.fuzzing.Campaign;
import dev.daxfuzz.fuzzing.FindingStore;
import dev.daxfuzz.fuzzing.FuzzConfig;
import dev.daxfuzz.fuzzing.FuzzDictionary;
import dev.daxfuzz.fuzzing.GeneratedSeeds;
import dev.daxfuzz.fuzzing.LengthAnchor;
import dev.daxfuzz.fuzzing.SyscallCrash;
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
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code daxfuzz fuzz}: a coverage-guided campaign with Jazzer's standalone driver.
 *
 * <p><b>A campaign's state is its own</b> ({@link Campaign}): one directory per target and
 * configuration under {@code campaigns/}, holding the working corpus, the driver's failing
 * inputs not yet triaged, the findings and the log. The committed seeds ({@code corpus/<target>/})
 * are read, never written. Failing inputs left by an interrupted run of the same campaign are
 * triaged first; nothing of another configuration is ever replayed.
 *
 * <p><b>One bug, one finding.</b> Every failing input is minimised and signed before anyone
 * decides whether it is new ({@code Triage}); the work happens on a worker thread so the driver
 * never waits for it.
 *
 * <p><b>Counters and events</b> are printed in the order they happen: corpus loading progress,
 * {@code fuzzing started after}, each finding, {@code first finding after}, a status line when the
 * execution count moves (at most every two seconds), and a summary of this run only.
 *
 * <p><b>Exit codes:</b> 1 when a failing input of this run reproduced a violation; 4 when the
 * driver failed or an input failed without a violation (a daxfuzz bug); 0 otherwise.
 */
@Command(name = "fuzz", mixinStandardHelpOptions = true,
        description = {"Run a coverage-guided fuzzing campaign (Jazzer) on the correct designs or with seeded bugs.",
            "State and findings go to campaigns/<target>.<design>[.<bug>...]/; exit 1 when a violation was found."})
final class FuzzCommand implements java.util.concurrent.Callable<Integer> {
    /**
     * libFuzzer's {@code -max_len}: the longest input it makes. The byte decoder reads at most
     * {@value ByteCodec#STATEMENTS_MAX} statements, which typically take 4 to 20 bytes each, a
     * {@code crash choose} up to 18 and a raw data literal up to 258; 2048 bytes leave room for 40
     * statements averaging 51 bytes. Set explicitly because libFuzzer otherwise takes the longest
     * seed (and one garbage seed would raise it to a megabyte).
     */
    static final int MAX_LEN_BYTES = 2048;
    /**
     * A working corpus larger than this, and twice what the last merge left, is merged before the
     * campaign starts: the driver replays every corpus input before it fuzzes, so start-up grows
     * with the corpus; a merge keeps its coverage in far fewer inputs.
     */
    static final int COMPACT_AT_INPUTS = 500;

    @Spec
    CommandSpec spec;

    @Option(names = "--target", paramLabel = "T", defaultValue = "syscall-crash", description = "fuzz target (default ${DEFAULT-VALUE})")
    String target;

    @Option(names = "--time", paramLabel = "D", defaultValue = "60s", description = "campaign length: 90s, 10m, 2h (default ${DEFAULT-VALUE})")
    String time;

    @Option(names = "--runs", paramLabel = "N", description = "stop after N executions (per process) instead of (or before) --time")
    Long runs;

    @Option(names = "--jobs", paramLabel = "N", defaultValue = "1",
            description = "fuzzing processes sharing the working corpus, with libFuzzer seeds S..S+N-1 (default ${DEFAULT-VALUE})")
    int jobs;

    @Option(names = "--design", paramLabel = "DAXFILE",
            description = "daxfile design: sealed or rfc-v1 (default: the one the --bug entries live in, else sealed)")
    String design;

    @Option(names = "--bug", paramLabel = "NAME", description = "switch on a seeded bug; repeatable")
    List<String> bugs = new ArrayList<>();

    @Option(names = "--seed", paramLabel = "S", defaultValue = "1", description = "libFuzzer seed (default ${DEFAULT-VALUE})")
    long seed;

    @Option(names = "--corpus", paramLabel = "DIR", description = "seed corpus, read only (default corpus/<target>)")
    Path corpus;

    @Option(names = "--work", paramLabel = "DIR",
            description = "where campaigns keep their state (default campaigns/ of the repository)")
    Path work;

    @Option(names = "--findings", paramLabel = "DIR",
            description = "where this campaign's findings go (default the campaign's findings/)")
    Path findings;

    @Option(names = "--fresh", description = "start afresh: empty the campaign's working corpus first (findings stay)")
    boolean fresh;

    @Option(names = "--keep-going", paramLabel = "N", defaultValue = "1000",
            description = "stop after N distinct failures (default ${DEFAULT-VALUE})")
    int keepGoing;

    @Option(names = "--no-seeds",
            description = "start from an empty corpus (no corpus/<target> seeds, no typed seeds): for measuring the encodings")
    boolean noSeeds;

    @Option(names = "--search", paramLabel = "S", defaultValue = "structured",
            description = {"structured (default): coverage of the code under test only, depth feedback, a statement"
                + " dictionary and generated seeds; classic: every daxfuzz class instrumented and nothing else, as"
                + " before (for measuring the difference)"})
    String search;

    @Option(names = "--check", paramLabel = "C", defaultValue = "sample",
            description = {"sample (default): each input checks a sample of every crash point's states (the first boxes,"
                + " then fewer and fewer; a few images per barrier of a crashed recovery), and triage re-checks a failing"
                + " input in full; all: every state within the bounds, for every input (slower on large stores)"})
    String check;

    // The driver fuzzes in the JVM that daxfuzz starts (Jazzer's Java entry point runs libFuzzer
    // in-process unless --native), so these go straight onto that java command line; Jazzer's
    // --jvm_args belongs to its native launcher and plays no part here, hence no ':' escaping.
    @Option(names = "--jvm-arg", paramLabel = "ARG",
            description = {"an option for the fuzzing JVM (the one running Jazzer's driver and the target, not this"
                + " command's own JVM), passed as given; repeatable. It follows daxfuzz's -Xmx2g, so a later -Xmx wins."
                + " Example: --jvm-arg=-Xmx1g --jvm-arg=-Xlog:gc:file=gc.log:uptimemillis."
                + " With --jobs N every process gets them: put %%p (the pid) in a log file name."})
    List<String> jvmArgs = new ArrayList<>();

    private static final Pattern INPUT = Pattern.compile("^daxfuzz-input ([0-9a-f]+)$");
    private static final Pattern LIBFUZZER = Pattern.compile(
            "^#(\\d+)\\s+(\\w+)\\s+cov: (\\d+) ft: \\d+ corp: (\\d+)/\\S+.*?exec/s: (\\d+)");
    private static final Pattern STATS = Pattern.compile(
            "^daxfuzz-stats execs=(\\d+) states=(\\d+)(?: micros=(\\d+) short=(\\d+) shortMicros=(\\d+))?");
    private static final Pattern ARTIFACT = Pattern.compile("Test unit written to (\\S+)");
    private static final Pattern SEED_CORPUS = Pattern.compile("^INFO: seed corpus: files: (\\d+)");
    private static final Pattern FINAL_EXECS = Pattern.compile("^stat::number_of_executed_units: (\\d+)");
    private static final long STATUS_EVERY_MILLIS = 2_000;

    private final Stopwatch clock = new Stopwatch();
    private PrintWriter err;
    private long startedMillis = -1;
    private long artifactSeenMillis = -1;
    private long firstFindingMillis = -1;
    private long execs;
    private long states;
    private long execsPerSecond;
    /** The target's own counters, summed over the processes: see {@link #summary}. */
    private long targetExecs;
    private long targetMicros;
    private long shortExecs;
    private long shortMicros;
    private long statesPerSecond;
    private String cov = "0";
    private String corpusSize = "0";
    private final List<Job> running = new ArrayList<>();
    private long loadTotal = -1;
    private long lastStatusMillis = -STATUS_EVERY_MILLIS;
    private long lastStatusExecs = -1;
    private final List<String> problems = new ArrayList<>();
    private int findingCount;
    private final java.util.TreeSet<String> seenTokens = new java.util.TreeSet<>();
    private Triager triager;

    @Override
    public Integer call() throws Exception {
        err = spec.commandLine().getErr();
        Path root = JazzerDriver.root();
        FuzzConfig config = config();
        long seconds = seconds(time);
        // Refused before anything is created: a bad --search or --check leaves no campaign behind.
        searchMode();
        if (!check.equals("sample") && !check.equals("all")) {
            throw new UsageException("--check " + check + ": expected sample or all");
        }
        if (jobs < 1) {
            throw new UsageException("--jobs must be at least 1");
        }
        int cores = Runtime.getRuntime().availableProcessors();
        if (jobs > cores) {
            // Each process is a JVM with a 2 GiB heap that keeps one core busy: more than the cores
            // only slices them thinner (and may exhaust memory), but it is the user's machine.
            err.println("daxfuzz: note: --jobs " + jobs + " on " + cores + (cores == 1 ? " core" : " cores")
                    + ": the processes share them, and each JVM may take 2 GiB of heap");
        }
        checkJvmArgs(jvmArgs);
        Path seeds = corpus != null ? corpus : root.resolve("corpus").resolve(target);
        if (!noSeeds) {
            checkSeeds(seeds, corpus != null);
        }
        Campaign campaign;
        try {
            campaign = Campaign.open(work != null ? work : root.resolve("campaigns"), target, config);
        } catch (IOException e) {
            throw new UsageException("daxfuzz: " + e.getMessage());
        }
        Path findingsDir = findings != null ? findings : campaign.findings();
        FindingStore store = new FindingStore(findingsDir, shown(root, findingsDir));
        String foundBy = describe(config);
        triager = new Triager(campaign, target, store, foundBy, new Events());
        err.println("daxfuzz: fuzzing " + target + " on daxfile " + foundBy + " for " + time
                + ", " + seedsShown(root, seeds) + "; campaign "
                + shown(root, campaign.dir()) + (findings != null ? "; findings to " + findingsDir : ""));
        err.flush();

        List<Path> left = Triager.pending(campaign, target);
        if (!left.isEmpty()) {
            err.println("daxfuzz: triaging " + left.size() + " failing input(s) left by an interrupted run of this"
                    + " campaign");
            triager.collect();
        }
        if (fresh) {
            campaign.resetCorpus();
            err.println("daxfuzz: --fresh: the working corpus is empty; findings stay");
        }
        compactIfLarge(campaign, seeds);
        // What this run adds, generated seeds included, is swept for violators if the run fails.
        java.util.Set<String> corpusAtStart = new java.util.TreeSet<>();
        for (Path f : CorpusMerge.files(campaign.corpus())) {
            corpusAtStart.add(f.getFileName().toString());
        }
        boolean structured = searchMode() == JazzerDriver.Search.STRUCTURED;
        if (target.equals("syscall-crash") && structured && CorpusMerge.files(campaign.corpus()).isEmpty()) {
            // A new (or --fresh) campaign starts with every call family in its corpus; cmin may
            // later drop the ones that add nothing, and they are not written again.
            java.util.Map<String, byte[]> generated = GeneratedSeeds.all();
            for (java.util.Map.Entry<String, byte[]> g : generated.entrySet()) {
                Campaign.writeAtomically(campaign.corpus().resolve(g.getKey()), g.getValue());
            }
            err.println("daxfuzz: the working corpus starts with " + generated.size() + " generated seeds ("
                    + GeneratedSeeds.PREFIX + "*: every core operation, call family and flag)");
        }
        if (target.equals("syscall-crash") && !noSeeds) {
            // See LengthAnchor: the one input that lets programs grow to -max_len from the start.
            Path anchor = campaign.corpus().resolve(LengthAnchor.FILE_NAME);
            if (!Files.exists(anchor)) {
                Campaign.writeAtomically(anchor, LengthAnchor.bytes(MAX_LEN_BYTES));
            }
        }
        if (target.equals("syscall-crash") && structured) {
            Campaign.writeAtomically(campaign.dir().resolve(DICTIONARY),
                    FuzzDictionary.render().getBytes(java.nio.charset.StandardCharsets.US_ASCII));
        }

        List<String> props = new ArrayList<>(configProperties(config));
        props.add("-Ddaxfuzz.stats=64");
        if (!structured) {
            props.add("-Ddaxfuzz.feedback=none");
        }
        if (check.equals("all")) {
            props.add("-Ddaxfuzz.check=all");
        }
        if (noSeeds) {
            props.add("-Ddaxfuzz.seeds=none");
        }
        props.addAll(jvmArgs);
        ExecutorService worker = Executors.newSingleThreadExecutor(r -> {
            Thread t = new Thread(r, "daxfuzz-triage");
            t.setDaemon(true);
            return t;
        });
        // --jobs N: N independent drivers on one working corpus (libFuzzer rereads its first corpus
        // directory every second, -reload=1, so each picks up what the others kept). libFuzzer's
        // -fork is no use here: its children run for as many seconds as their job number, and a
        // JVM with Jazzer's agent needs about ten to start.
        for (int n = 1; n <= jobs; n++) {
            List<String> args = driverArgs(campaign, seeds, seconds, seed + n - 1);
            ProcessBuilder pb = new ProcessBuilder(JazzerDriver.command(target, searchMode(), props, args));
            // The typed target reads its seeds from the repository's corpus.
            pb.environment().put("DAXFUZZ_ROOT", root.toAbsolutePath().toString());
            // Whatever the driver writes beside its artifacts (Jazzer's notes, a typed target's
            // crash files) lands in the campaign, never in the user's checkout.
            pb.directory(campaign.dir().toFile());
            pb.redirectErrorStream(true);
            pb.redirectInput(n == 1 ? ProcessBuilder.Redirect.INHERIT : ProcessBuilder.Redirect.PIPE);
            Job job = new Job(n, pb.start(), campaign.log(n));
            running.add(job);
        }
        Thread hook = new Thread(() -> {
            // Ctrl-C: the drivers got SIGINT too; let them write their last artifacts, then triage them.
            try {
                for (Job job : running) {
                    job.process.waitFor(20, TimeUnit.SECONDS);
                    job.process.destroy();
                }
                worker.shutdownNow();
                triager.collect();
                summary(-1);
            } catch (Exception e) {
                err.println("daxfuzz: while stopping: " + e);
            }
            err.flush();
        });
        Runtime.getRuntime().addShutdownHook(hook);
        List<Thread> readers = new ArrayList<>();
        for (Job job : running) {
            Thread t = new Thread(() -> {
                try {
                    pump(job, campaign, worker);
                } catch (IOException e) {
                    synchronized (FuzzCommand.this) {
                        problems.add("reading the output of driver " + job.number + ": " + e.getMessage());
                    }
                }
            }, "daxfuzz-driver-" + job.number);
            t.start();
            readers.add(t);
        }
        List<Integer> codes = new ArrayList<>();
        for (int n = 0; n < running.size(); n++) {
            readers.get(n).join();
            codes.add(running.get(n).process.waitFor());
        }
        Runtime.getRuntime().removeShutdownHook(hook);
        worker.submit(triager::collect);
        worker.shutdown();
        if (!worker.awaitTermination(10, TimeUnit.MINUTES)) {
            problems.add("triage did not finish within 10 minutes");
        }
        triager.collect();
        sweepViolatingInputs(campaign, corpusAtStart);
        synchronized (this) {
            if (running.stream().allMatch(job -> job.finalExecs >= 0)) {
                execs = running.stream().mapToLong(job -> job.finalExecs).sum();
            }
        }
        // libFuzzer exits 72 when interrupted (Ctrl-C) and a signal ends it with 128 + the signal:
        // a campaign the user stopped ran clean as far as it got.
        int rc = 0;
        boolean stopped = false;
        boolean driverFailed = false;
        for (int n = 0; n < codes.size(); n++) {
            int code = codes.get(n);
            if (code == 72 || code == 130 || code == 143) {
                stopped = true;
                rc = code;
            } else if (code != 0 && code != 77) {
                driverFailed = true;
                rc = code;
                event("the Jazzer driver" + (jobs > 1 ? " " + (n + 1) : "") + " failed (exit " + code
                        + "); its output is in " + running.get(n).log);
            } else if (rc == 0) {
                rc = code;
            }
        }
        if (stopped && !driverFailed) {
            event("stopped before its time was up (driver exit " + rc + ")");
        }
        summary(rc);
        if (!triager.tokens().isEmpty()) {
            return ExitCode.VIOLATION;
        }
        if (!triager.unreproduced().isEmpty() || !problems.isEmpty() || driverFailed) {
            return ExitCode.INTERNAL;
        }
        return ExitCode.OK;
    }

    /** One driver process and its own counters; the campaign's are their sums. */
    private static final class Job {
        final int number;
        final Process process;
        final Path log;
        long execs;
        long states;
        long execsPerSecond;
        long cov;
        long corpus;
        long finalExecs = -1;
        long targetExecs;
        long targetMicros;
        long shortExecs;
        long shortMicros;

        Job(int number, Process process, Path log) {
            this.number = number;
            this.process = process;
            this.log = log;
        }
    }

    /** The campaign's libFuzzer dictionary, written afresh by every run (see FuzzDictionary). */
    static final String DICTIONARY = "syscall-crash.dict";

    private JazzerDriver.Search searchMode() {
        for (JazzerDriver.Search s : JazzerDriver.Search.values()) {
            if (s.keyword().equals(search)) {
                return s;
            }
        }
        throw new UsageException("--search " + search + ": expected structured or classic");
    }

    private List<String> driverArgs(Campaign campaign, Path seeds, long seconds, long libFuzzerSeed) {
        List<String> args = new ArrayList<>();
        args.add("-artifact_prefix=" + campaign.artifacts().toAbsolutePath() + "/");
        args.add("-max_len=" + MAX_LEN_BYTES);
        if (target.equals("syscall-crash") && searchMode() == JazzerDriver.Search.STRUCTURED) {
            args.add("-dict=" + campaign.dir().resolve(DICTIONARY).toAbsolutePath());
        }
        args.add("-max_total_time=" + seconds);
        args.add("-seed=" + libFuzzerSeed);
        args.add("-print_final_stats=1");
        args.add("--keep_going=" + keepGoing);
        if (runs != null) {
            args.add("-runs=" + runs);
        }
        args.add(campaign.corpus().toAbsolutePath().toString());
        if (!noSeeds && Files.isDirectory(seeds)) {
            args.add(seeds.toAbsolutePath().toString());
        }
        return args;
    }

    /** Reads one driver's output into its log and the campaign's counters and events, until it ends. */
    private void pump(Job job, Campaign campaign, ExecutorService worker) throws IOException {
        try (BufferedReader r = new BufferedReader(new InputStreamReader(job.process.getInputStream(), StandardCharsets.UTF_8));
             PrintWriter logw = new PrintWriter(Files.newBufferedWriter(job.log, StandardCharsets.UTF_8), true)) {
            String line;
            while ((line = r.readLine()) != null) {
                logw.println(line);
                Matcher m;
                if ((m = INPUT.matcher(line)).find()) {
                    if (typed()) {
                        synchronized (this) {
                            artifactSeenMillis = clock.millis();
                        }
                        // The typed target's artifact is Jazzer's serialisation: keep its byte twin instead.
                        saveInput(campaign.artifacts(), java.util.HexFormat.of().parseHex(m.group(1)));
                        worker.submit(triager::collect);
                    }
                } else if ((m = STATS.matcher(line)).find()) {
                    synchronized (this) {
                        job.execs = Math.max(job.execs, Long.parseLong(m.group(1)));
                        job.states = Math.max(job.states, Long.parseLong(m.group(2)));
                        if (m.group(3) != null) {
                            job.targetExecs = Math.max(job.targetExecs, Long.parseLong(m.group(1)));
                            job.targetMicros = Math.max(job.targetMicros, Long.parseLong(m.group(3)));
                            job.shortExecs = Math.max(job.shortExecs, Long.parseLong(m.group(4)));
                            job.shortMicros = Math.max(job.shortMicros, Long.parseLong(m.group(5)));
                        }
                        sumJobs();
                    }
                    status(false);
                } else if ((m = SEED_CORPUS.matcher(line)).find()) {
                    synchronized (this) {
                        loadTotal = Long.parseLong(m.group(1));
                    }
                } else if ((m = LIBFUZZER.matcher(line)).find()) {
                    synchronized (this) {
                        if (startedMillis < 0 && m.group(2).equals("INITED")) {
                            // INITED: the corpus (empty or not) has been replayed. The "pulse" lines
                            // before it come while a large corpus is still loading.
                            startedMillis = clock.millis();
                            event("fuzzing started after " + startedMillis + " ms");
                        }
                        job.cov = Long.parseLong(m.group(3));
                        job.corpus = Long.parseLong(m.group(4));
                        job.execsPerSecond = Long.parseLong(m.group(5));
                        job.execs = Math.max(job.execs, Long.parseLong(m.group(1)));
                        sumJobs();
                    }
                    status(false);
                } else if ((m = ARTIFACT.matcher(line)).find()) {
                    if (!typed()) {
                        synchronized (this) {
                            artifactSeenMillis = clock.millis();
                        }
                        worker.submit(triager::collect);
                    }
                } else if ((m = FINAL_EXECS.matcher(line)).find()) {
                    synchronized (this) {
                        job.finalExecs = Long.parseLong(m.group(1));
                    }
                } else if (line.startsWith("ERROR:") || line.contains("Exception in thread \"main\"")) {
                    event("driver" + (jobs > 1 ? " " + job.number : "") + ": " + line);
                }
            }
        }
    }

    /** The campaign's counters from its processes': executions and crash states add up; coverage and corpus are the largest any process reports. */
    private synchronized void sumJobs() {
        execs = 0;
        states = 0;
        execsPerSecond = 0;
        statesPerSecond = 0;
        long c = 0;
        long k = 0;
        targetExecs = 0;
        targetMicros = 0;
        shortExecs = 0;
        shortMicros = 0;
        for (Job job : running) {
            execs += job.execs;
            states += job.states;
            targetExecs += job.targetExecs;
            targetMicros += job.targetMicros;
            shortExecs += job.shortExecs;
            shortMicros += job.shortMicros;
            execsPerSecond += job.execsPerSecond;
            statesPerSecond += job.execs == 0 ? 0 : job.states * job.execsPerSecond / job.execs;
            c = Math.max(c, job.cov);
            k = Math.max(k, job.corpus);
        }
        cov = Long.toString(c);
        corpusSize = Long.toString(k);
    }

    /**
     * With {@code --keep_going}, Jazzer reports a failure once and then treats inputs that fail
     * the same way as ordinary ones, which libFuzzer adds to the working corpus when they reach
     * new coverage. A corpus must never hold an input that violates, so after a run that failed
     * at all, every input it added is replayed here and a violating one moves out to be triaged.
     */
    private void sweepViolatingInputs(Campaign campaign, java.util.Set<String> atStart) throws IOException {
        if (triager.failingInputs() == 0 || !target.equals("syscall-crash")) {
            return;
        }
        List<Path> added = CorpusMerge.files(campaign.corpus()).stream()
                .filter(f -> !atStart.contains(f.getFileName().toString())).toList();
        int moved = CorpusMerge.moveOutViolating(campaign, added, done -> { });
        if (moved > 0) {
            event(moved + " input(s) this run added to the working corpus violate (generated seeds that fail on this"
                    + " configuration, or inputs the driver kept after an earlier failure of the same kind): moved out"
                    + " of the working corpus and triaged");
            triager.collect();
        }
    }

    /** The system properties that tell a fuzzing JVM its configuration. */
    static List<String> configProperties(FuzzConfig config) {
        return List.of("-Ddaxfuzz.daxfile=" + config.daxfile().keyword(), "-Ddaxfuzz.bugs=" + String.join(",", config.bugs()));
    }

    static void checkJvmArgs(List<String> jvmArgs) {
        for (String a : jvmArgs) {
            // Anything else would change what the JVM runs: a bare word is taken for the main class,
            // and a class path or jar would replace the fuzz targets'.
            if (!a.startsWith("-") || List.of("-cp", "-classpath", "--class-path", "-jar").contains(a.split("=")[0])) {
                throw new UsageException("--jvm-arg " + a + ": expected a JVM option such as -Xmx1g (not a class path,"
                        + " a jar or a bare word)");
            }
        }
    }

    /**
     * Refuses seed directories the driver would misread: entries that are not regular files, and
     * inputs longer than {@link #MAX_LEN_BYTES} (libFuzzer would cut them, silently changing what
     * they mean). Names every offender.
     */
    static void checkSeeds(Path seeds, boolean named) throws IOException {
        if (!Files.isDirectory(seeds)) {
            if (named) {
                throw new UsageException(seeds + ": no such seed corpus directory");
            }
            return;
        }
        List<String> bad = new ArrayList<>();
        try (var s = Files.list(seeds)) {
            for (Path f : s.sorted().toList()) {
                if (f.getFileName().toString().startsWith(".")) {
                    continue;
                }
                if (!Files.isRegularFile(f)) {
                    bad.add(f + ": not a regular file");
                } else if (Files.size(f) > MAX_LEN_BYTES) {
                    bad.add(f + ": " + Files.size(f) + " bytes, over the input limit of " + MAX_LEN_BYTES + " bytes");
                }
            }
        }
        if (!bad.isEmpty()) {
            throw new UsageException("daxfuzz: the seed corpus " + seeds + " has inputs the driver cannot use;"
                    + " remove or fix them:\n  " + String.join("\n  ", bad));
        }
    }

    private void compactIfLarge(Campaign campaign, Path seeds) throws IOException {
        int size = CorpusMerge.files(campaign.corpus()).size();
        Path marker = campaign.dir().resolve("merged-inputs");
        int lastMerged = 0;
        if (Files.exists(marker)) {
            try {
                lastMerged = Integer.parseInt(Files.readString(marker).trim());
            } catch (NumberFormatException e) {
                lastMerged = 0;
            }
        }
        if (size <= COMPACT_AT_INPUTS || size <= 2 * lastMerged) {
            return;
        }
        err.println("daxfuzz: the working corpus holds " + size + " inputs; merging it first so that start-up stays"
                + " bounded (libFuzzer -merge=1)");
        err.flush();
        CorpusMerge.Result r = CorpusMerge.merge(target, campaign, noSeeds ? null : seeds, List.of(campaign.corpus()),
                campaign.corpus(), MAX_LEN_BYTES, jvmArgs, err, "merging the working corpus");
        Campaign.writeAtomically(marker, r.kept() + "\n");
        err.println("daxfuzz: working corpus " + r.before() + " -> " + r.kept() + " inputs"
                + (r.violating() > 0 ? "; " + r.violating() + " violating input(s) moved to triage" : ""));
        if (r.violating() > 0) {
            triager.collect();
        }
    }

    private FuzzConfig config() {
        for (String b : bugs) {
            if (Bug.byName(b).isEmpty()) {
                throw new UsageException("--bug " + b + ": unknown bug; the catalog has: " + String.join(", ", BugNames.ALL));
            }
            if (Bug.byName(b).get().needsTasks()) {
                throw new UsageException("--bug " + b + ": a race between tasks, which the fuzz encodings do not carry yet;"
                        + " `daxfuzz explore findings/catalog/" + b + ".dxp` runs its schedules");
            }
        }
        JazzerDriver.targetClass(target);
        String chosen = design != null ? design : designOfBugs(bugs);
        Header.DaxfileDesign d = java.util.Arrays.stream(Header.DaxfileDesign.values())
                .filter(x -> x.keyword().equals(chosen)).findFirst()
                .orElseThrow(() -> new UsageException("--design " + chosen + ": expected sealed or rfc-v1"));
        return new FuzzConfig(d, bugs.stream().distinct().toList(), FuzzConfig.MAX_STATES_DEFAULT);
    }

    static String describe(FuzzConfig config) {
        return config.daxfile().keyword()
                + (config.bugs().isEmpty() ? " (correct designs)" : " with bug" + (config.bugs().size() == 1 ? " " : "s ")
                + String.join(", ", config.bugs()));
    }

    /**
     * The daxfile design the catalog entries of {@code bugs} live in ("daxfile rfc-v1" in their
     * design line), so that {@code --bug daxfile-clear-keeps-ref} alone fuzzes the design where
     * that bug exists; sealed when none names one.
     */
    static String designOfBugs(List<String> bugs) {
        java.util.TreeSet<String> needed = new java.util.TreeSet<>();
        for (String b : bugs) {
            String d = Bug.byName(b).orElseThrow().design();
            // "daxfile (both)" needs neither in particular.
            for (Header.DaxfileDesign x : Header.DaxfileDesign.values()) {
                if (d.equals("daxfile " + x.keyword())) {
                    needed.add(x.keyword());
                }
            }
        }
        if (needed.size() > 1) {
            throw new UsageException("--bug: these bugs live in different daxfile designs (" + String.join(", ", needed)
                    + "); fuzz them in separate campaigns or name one with --design");
        }
        return needed.isEmpty() ? "sealed" : needed.first();
    }

    static long seconds(String d) {
        Matcher m = Pattern.compile("^(\\d{1,9})(s|m|h)?$").matcher(d.trim());
        if (!m.matches()) {
            throw new UsageException("--time " + d + ": expected a duration such as 90s, 10m or 2h");
        }
        long n = Long.parseLong(m.group(1));
        String unit = m.group(2) == null ? "s" : m.group(2);
        return switch (unit) {
            case "m" -> n * 60;
            case "h" -> n * 3600;
            default -> n;
        };
    }

    /** Where this campaign's seeds come from, as the start line says it. */
    private String seedsShown(Path root, Path seeds) {
        if (noSeeds) {
            return "no seeds";
        }
        if (typed() && corpus == null) {
            // The typed target turns the byte seeds into records itself (SyscallCrashTypedFuzzTest).
            return "seeds from " + shown(root, root.resolve("corpus").resolve("syscall-crash")) + " as typed records (read only)";
        }
        return Files.isDirectory(seeds) ? "seeds from " + shown(root, seeds) + " (read only)"
                : "no seed corpus (" + shown(root, seeds) + " does not exist)";
    }

    /** A path as reports show it: relative to the repository when inside it. */
    static String shown(Path root, Path p) {
        Path r = root.toAbsolutePath().normalize();
        Path a = p.toAbsolutePath().normalize();
        return a.startsWith(r) ? r.relativize(a).toString() : a.toString();
    }

    private synchronized void event(String text) {
        err.println("daxfuzz: " + text);
        err.flush();
    }

    /** Prints the status line when the counters moved, at most every two seconds unless forced. */
    private synchronized void status(boolean force) {
        long now = clock.millis();
        if (!force && (execs == lastStatusExecs || now - lastStatusMillis < STATUS_EVERY_MILLIS)) {
            return;
        }
        lastStatusMillis = now;
        lastStatusExecs = execs;
        if (startedMillis < 0) {
            err.println("daxfuzz: loading the corpus: " + execs + (loadTotal >= 0 ? "/" + loadTotal : "")
                    + " inputs replayed (" + now / 1000 + " s)");
        } else {
            err.println("daxfuzz: execs " + execs + "  exec/s " + execsPerSecond + "  crash states/s ~"
                    + statesPerSecond + "  cov " + cov + "  corpus " + corpusSize + "  findings " + findingCount
                    + (jobs > 1 ? "  (" + jobs + " processes)" : ""));
        }
        err.flush();
    }

    private final class Events implements Triager.Events {
        @Override
        public void finding(String token, boolean isNew, String kind, Path dir, int before, int after) {
            synchronized (FuzzCommand.this) {
                if (firstFindingMillis < 0) {
                    // When the driver reported it, not after triage: the replay's cost is not the fuzzer's time.
                    firstFindingMillis = artifactSeenMillis >= 0 ? artifactSeenMillis : clock.millis();
                    event("first finding after " + firstFindingMillis + " ms, about " + execs + " execs"
                            + (startedMillis < 0 || firstFindingMillis < startedMillis
                                    ? " (its input ran while the corpus was loading, before fuzzing started)" : ""));
                }
                if (isNew || !seenTokens.contains(token)) {
                    seenTokens.add(token);
                    findingCount = seenTokens.size();
                }
                event((isNew ? "FINDING " : "again: ") + kind + " " + token + " (minimised from " + before + " to "
                        + after + (after == 1 ? " statement" : " statements") + ") -> " + dir);
            }
        }

        @Override
        public void problem(String message) {
            synchronized (FuzzCommand.this) {
                problems.add(message);
                event("problem: " + message);
            }
        }
    }

    /** Writes a typed finding's byte form where the triager looks, atomically. */
    private static void saveInput(Path artifacts, byte[] input) throws IOException {
        String name;
        try {
            name = "input-" + java.util.HexFormat.of().formatHex(
                    java.security.MessageDigest.getInstance("SHA-1").digest(input));
        } catch (java.security.NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
        Path dest = artifacts.resolve(name);
        if (!Files.exists(dest)) {
            Campaign.writeAtomically(dest, input);
        }
    }

    private static String perSecond(long n, long micros) {
        return micros == 0 ? "-" : Long.toString(Math.round(n * 1e6 / micros));
    }

    private boolean typed() {
        return target.equals("syscall-crash-typed");
    }

    private synchronized void summary(int rc) {
        List<String> tokens = triager.tokens();
        List<String> fresh = triager.freshTokens();
        err.println("daxfuzz: done: " + execs + " execs, " + states + " crash states checked"
                + (jobs > 1 ? " in " + jobs + " processes" : "") + ", coverage " + cov + ", corpus " + corpusSize + "; "
                + triager.failingInputs() + " failing input" + (triager.failingInputs() == 1 ? "" : "s") + " -> "
                + tokens.size() + (tokens.size() == 1 ? " finding" : " findings")
                + (tokens.isEmpty() ? "" : " (" + fresh.size() + " new): " + String.join(", ", tokens))
                + (triager.unreproduced().isEmpty() ? "" : "; " + triager.unreproduced().size()
                + " failing input(s) did not reproduce (a daxfuzz bug; kept in unreproduced/)"));
        if (targetMicros > 0) {
            // Per process and per second of the target's own time (decoding and checking, with
            // the instrumentation): what one core does, apart from the driver's start-up.
            err.println("daxfuzz: per second of the target's own time (every check, instrumentation included, start-up"
                    + " excluded): " + perSecond(targetExecs, targetMicros) + " execs; on the " + shortExecs
                    + " inputs of up to " + SyscallCrash.SHORT_STATEMENTS + " statements: " + perSecond(shortExecs, shortMicros));
        }
        err.flush();
    }
}
