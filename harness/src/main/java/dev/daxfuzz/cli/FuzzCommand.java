package dev.daxfuzz.cli;

import dev.daxfuzz.bench.Stopwatch;
import dev.daxfuzz.fs.Bug;
import dev.daxfuzz.fuzzing.ByteCodec;
import dev.daxfuzz.fuzzing.FindingStore;
import dev.daxfuzz.fuzzing.FuzzConfig;
import dev.daxfuzz.fuzzing.SyscallCrash;
import dev.daxfuzz.program.BugNames;
import dev.daxfuzz.program.Header;
import dev.daxfuzz.program.Program;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.TreeSet;
import java.util.concurrent.Callable;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code daxfuzz fuzz}: a coverage-guided campaign with Jazzer's standalone driver. Seeds come
 * from {@code corpus/<target>/} (read only); new corpus inputs go to a working corpus under
 * {@code --work} so the checked-in seeds never change behind the user's back; every finding is
 * replayed here and written to {@code findings/<target>/<token>/} (atomically, never
 * overwriting). Prints a status line at each libFuzzer pulse and a summary at the end; Ctrl-C
 * stops the driver and still saves every finding. Exit 1 when anything was found.
 */
@Command(name = "fuzz", mixinStandardHelpOptions = true,
        description = {"Run a coverage-guided fuzzing campaign (Jazzer) on the correct designs or with seeded bugs.",
            "Findings go to findings/<target>/<token>/; exit 1 when anything was found."})
final class FuzzCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Option(names = "--target", paramLabel = "T", defaultValue = "syscall-crash", description = "fuzz target (default ${DEFAULT-VALUE})")
    String target;

    @Option(names = "--time", paramLabel = "D", defaultValue = "60s", description = "campaign length: 90s, 10m, 2h (default ${DEFAULT-VALUE})")
    String time;

    @Option(names = "--runs", paramLabel = "N", description = "stop after N executions instead of (or before) --time")
    Long runs;

    @Option(names = "--jobs", paramLabel = "N", defaultValue = "1", description = "parallel fuzzing processes (libFuzzer -fork)")
    int jobs;

    @Option(names = "--design", paramLabel = "DAXFILE",
            description = "daxfile design: sealed or rfc-v1 (default: the one the --bug entries live in, else sealed)")
    String design;

    @Option(names = "--bug", paramLabel = "NAME", description = "switch on a seeded bug; repeatable")
    List<String> bugs = new ArrayList<>();

    @Option(names = "--seed", paramLabel = "S", defaultValue = "1", description = "libFuzzer seed (default ${DEFAULT-VALUE})")
    long seed;

    @Option(names = "--corpus", paramLabel = "DIR", description = "seed corpus (default corpus/<target>)")
    Path corpus;

    @Option(names = "--findings", paramLabel = "DIR", description = "findings root (default findings/ of the repository)")
    Path findings;

    @Option(names = "--work", paramLabel = "DIR",
            description = "working directory for the growing corpus and raw artifacts (default fuzz/target/daxfuzz-work of the repository)")
    Path work;

    @Option(names = "--keep-going", paramLabel = "N", defaultValue = "1000",
            description = "stop after N distinct findings (default ${DEFAULT-VALUE})")
    int keepGoing;

    @Option(names = "--no-seeds",
            description = "start from an empty corpus (no corpus/<target> seeds, no typed seeds): for measuring the encodings")
    boolean noSeeds;

    // The driver fuzzes in the JVM that daxfuzz starts (Jazzer's Java entry point runs libFuzzer
    // in-process unless --native), so these go straight onto that java command line; Jazzer's
    // --jvm_args belongs to its native launcher and plays no part here, hence no ':' escaping.
    @Option(names = "--jvm-arg", paramLabel = "ARG",
            description = {"an option for the fuzzing JVM (the one running Jazzer's driver and the target, not this"
                + " command's own JVM), passed as given; repeatable. It follows daxfuzz's -Xmx2g, so a later -Xmx wins."
                + " Example: --jvm-arg=-Xmx1g --jvm-arg=-Xlog:gc:file=gc.log:uptimemillis."
                + " With --jobs N each fork child inherits them: put %%p (the pid) in a log file name."})
    List<String> jvmArgs = new ArrayList<>();

    private static final Pattern INPUT = Pattern.compile("^daxfuzz-input ([0-9a-f]+)$");
    private Stopwatch clock = new Stopwatch();
    private long firstFindingMillis = -1;
    private long firstFindingExecs = -1;
    /**
     * When libFuzzer reported that fuzzing began (its {@code INITED} line: JVM start-up, initial
     * instrumentation and corpus loading are over), or -1: time to a finding minus this is the
     * fuzzing time, which {@code daxfuzz bench} compares with in-process methods.
     */
    private long startedMillis = -1;
    /** When the driver announced the newest failing input, before daxfuzz replays it (which takes time). */
    private long artifactSeenMillis = -1;

    private static final Pattern LIBFUZZER = Pattern.compile(
            "^#(\\d+)\\s+(\\w+)\\s+cov: (\\d+) ft: \\d+ corp: (\\d+)/\\S+.*?exec/s: (\\d+)");
    private static final Pattern STATS = Pattern.compile("^daxfuzz-stats execs=(\\d+) states=(\\d+)");
    private static final Pattern ARTIFACT = Pattern.compile("Test unit written to (\\S+)");

    private final TreeSet<String> processed = new TreeSet<>();
    private final List<String> newFindings = new ArrayList<>();
    private long lastExecs;
    private long lastStates;
    private long lastExecsPerSecond;
    private String lastCov = "0";
    private String lastCorpus = "0";

    @Override
    public Integer call() throws Exception {
        Path root = JazzerDriver.root();
        work = work != null ? work : root.resolve("fuzz/target/daxfuzz-work");
        findings = findings != null ? findings : root.resolve("findings");
        FuzzConfig config = config();
        long seconds = seconds(time);
        if (jobs < 1) {
            throw new UsageException("--jobs must be at least 1");
        }
        for (String a : jvmArgs) {
            // Anything else would change what the JVM runs: a bare word is taken for the main class,
            // and a class path or jar would replace the fuzz targets'.
            if (!a.startsWith("-") || List.of("-cp", "-classpath", "--class-path", "-jar").contains(a.split("=")[0])) {
                throw new UsageException("--jvm-arg " + a + ": expected a JVM option such as -Xmx1g (not a class path,"
                        + " a jar or a bare word)");
            }
        }
        Path seeds = corpus != null ? corpus : root.resolve("corpus").resolve(target);
        Path workCorpus = work.resolve(target).resolve("corpus");
        Path artifacts = work.resolve(target).resolve("artifacts");
        Files.createDirectories(workCorpus);
        Files.createDirectories(artifacts);
        List<String> props = new ArrayList<>();
        props.add("-Ddaxfuzz.daxfile=" + config.daxfile().keyword());
        props.add("-Ddaxfuzz.bugs=" + String.join(",", config.bugs()));
        if (noSeeds) {
            props.add("-Ddaxfuzz.seeds=none");
        }
        props.addAll(jvmArgs);
        List<String> args = new ArrayList<>();
        args.add("-artifact_prefix=" + artifacts.toAbsolutePath() + "/");
        args.add("-max_total_time=" + seconds);
        args.add("-seed=" + seed);
        args.add("-print_final_stats=1");
        args.add("--keep_going=" + keepGoing);
        if (runs != null) {
            args.add("-runs=" + runs);
        }
        if (jobs > 1) {
            args.add("-fork=" + jobs);
        }
        args.add(workCorpus.toAbsolutePath().toString());
        if (!noSeeds && Files.isDirectory(seeds)) {
            args.add(seeds.toAbsolutePath().toString());
        }
        PrintWriter err = spec.commandLine().getErr();
        PrintWriter out = spec.commandLine().getOut();
        err.println("daxfuzz: fuzzing " + target + " on daxfile " + config.daxfile().keyword()
                + (config.bugs().isEmpty() ? " (correct designs)" : " with bugs " + String.join(", ", config.bugs()))
                + " for " + time + ", seeds from " + seeds + "; findings to " + findings.resolve(target));
        err.flush();
        ProcessBuilder pb = new ProcessBuilder(JazzerDriver.command(target, props, args));
        // The typed target reads its seeds from the repository's corpus.
        pb.environment().put("DAXFUZZ_ROOT", root.toAbsolutePath().toString());
        clock = new Stopwatch();
        pb.redirectErrorStream(true);
        pb.redirectInput(ProcessBuilder.Redirect.INHERIT);
        Path log = work.resolve(target).resolve("jazzer.log");
        Process p = pb.start();
        Thread hook = new Thread(() -> {
            // Ctrl-C: the driver got SIGINT too; let it write its last artifacts, then save them.
            try {
                p.waitFor(20, java.util.concurrent.TimeUnit.SECONDS);
                p.destroy();
                collect(artifacts, config, err);
                summary(err);
            } catch (Exception e) {
                err.println("daxfuzz: while stopping: " + e);
            }
            err.flush();
        });
        Runtime.getRuntime().addShutdownHook(hook);
        try (BufferedReader r = new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8));
             PrintWriter logw = new PrintWriter(Files.newBufferedWriter(log, StandardCharsets.UTF_8))) {
            String line;
            while ((line = r.readLine()) != null) {
                logw.println(line);
                Matcher m = LIBFUZZER.matcher(line);
                Matcher s = STATS.matcher(line);
                Matcher a = ARTIFACT.matcher(line);
                Matcher in = INPUT.matcher(line);
                if (in.find()) {
                    if (typed()) {
                        artifactSeenMillis = clock.millis();
                        // The typed target's artifact is Jazzer's serialisation: keep its byte twin instead.
                        saveInput(artifacts, java.util.HexFormat.of().parseHex(in.group(1)));
                        collect(artifacts, config, err);
                        status(err);
                    }
                } else if (s.find()) {
                    // Every 256 executions of the target: libFuzzer's own pulses thin out to powers of two.
                    lastExecs = Long.parseLong(s.group(1));
                    lastStates = Long.parseLong(s.group(2));
                    status(err);
                } else if (m.find()) {
                    if (startedMillis < 0) {
                        // The first status line is INITED: the corpus (empty or not) has been read.
                        startedMillis = clock.millis();
                        err.println("daxfuzz: fuzzing started after " + startedMillis + " ms");
                    }
                    lastCov = m.group(3);
                    lastCorpus = m.group(4);
                    lastExecsPerSecond = Long.parseLong(m.group(5));
                    lastExecs = Math.max(lastExecs, Long.parseLong(m.group(1)));
                    if (!m.group(2).equals("NEW") && !m.group(2).equals("REDUCE")) {
                        status(err);
                    }
                } else if (a.find()) {
                    artifactSeenMillis = clock.millis();
                    collect(artifacts, config, err);
                    status(err);
                } else if (line.startsWith("ERROR:") || line.contains("Exception in thread \"main\"")) {
                    err.println(line);
                }
            }
        }
        int rc = p.waitFor();
        Runtime.getRuntime().removeShutdownHook(hook);
        collect(artifacts, config, err);
        if (rc != 0 && rc != 77 && newFindings.isEmpty() && processed.isEmpty()) {
            err.println("daxfuzz: the Jazzer driver failed (exit " + rc + "); its output is in " + log);
            err.flush();
            return ExitCode.INTERNAL;
        }
        summary(err);
        out.flush();
        return processed.isEmpty() ? ExitCode.OK : ExitCode.VIOLATION;
    }

    private FuzzConfig config() {
        for (String b : bugs) {
            if (Bug.byName(b).isEmpty()) {
                throw new UsageException("--bug " + b + ": unknown bug; the catalog has: " + String.join(", ", BugNames.ALL));
            }
        }
        JazzerDriver.targetClass(target);
        String chosen = design != null ? design : designOfBugs(bugs);
        Header.DaxfileDesign d = java.util.Arrays.stream(Header.DaxfileDesign.values())
                .filter(x -> x.keyword().equals(chosen)).findFirst()
                .orElseThrow(() -> new UsageException("--design " + chosen + ": expected sealed or rfc-v1"));
        return new FuzzConfig(d, bugs, FuzzConfig.MAX_STATES_DEFAULT);
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
        Matcher m = Pattern.compile("^(\\d+)(s|m|h)?$").matcher(d.trim());
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

    private void status(PrintWriter err) {
        long statesPerSecond = lastExecs == 0 ? 0 : lastStates * lastExecsPerSecond / Math.max(1, lastExecs);
        err.println("daxfuzz: execs " + lastExecs + "  exec/s " + lastExecsPerSecond + "  crash states/s ~"
                + statesPerSecond + "  cov " + lastCov + "  corpus " + lastCorpus + "  findings " + processed.size());
        err.flush();
    }

    private synchronized void collect(Path artifacts, FuzzConfig config, PrintWriter err) throws IOException {
        List<Path> files;
        try (Stream<Path> s = Files.list(artifacts)) {
            String prefix = typed() ? "input-" : "crash-";
            files = s.filter(f -> f.getFileName().toString().startsWith(prefix)).sorted().toList();
        }
        Path root = JazzerDriver.root().toAbsolutePath();
        Path abs = findings.toAbsolutePath();
        FindingStore store = new FindingStore(findings, abs.startsWith(root) ? root.relativize(abs).toString() : abs.toString());
        for (Path f : files) {
            if (processed.contains(f.getFileName().toString())) {
                continue;
            }
            byte[] input = Files.readAllBytes(f);
            if (!target.startsWith("syscall-crash")) {
                // recovery and pm-model findings are bugs in daxfuzz itself: keep the raw input.
                Path dir = findings.resolve(target).resolve(f.getFileName().toString());
                if (!Files.exists(dir)) {
                    Path tmp = Files.createTempDirectory(Files.createDirectories(dir.getParent()), ".tmp-");
                    Files.write(tmp.resolve("input.bin"), input);
                    Files.writeString(tmp.resolve("report.md"), "# " + target + " finding\n\nThe driver's output is in "
                            + work.resolve(target).resolve("jazzer.log") + ".\n\nreproduce with: java -cp <fuzz class path>"
                            + " com.code_intelligence.jazzer.Jazzer --target_class="
                            + JazzerDriver.targetClass(target).split("#")[0] + " " + dir.resolve("input.bin") + "\n");
                    Files.move(tmp, dir, java.nio.file.StandardCopyOption.ATOMIC_MOVE);
                    newFindings.add(f.getFileName().toString());
                    err.println("daxfuzz: FINDING (a bug in daxfuzz itself) -> " + dir);
                }
                processed.add(f.getFileName().toString());
                continue;
            }
            Program program = ByteCodec.decode(input, config);
            SyscallCrash.Outcome o = SyscallCrash.check(program, config);
            if (o.violation().isEmpty()) {
                err.println("daxfuzz: " + f + " does not reproduce a violation (a crash of daxfuzz itself?); kept there");
                processed.add(f.getFileName().toString());
                continue;
            }
            FindingStore.Saved saved = store.save("syscall-crash", input, program, o.violation().get(),
                    o.result().violations().get(0).states());
            processed.add(f.getFileName().toString());
            if (firstFindingMillis < 0) {
                // When the driver reported it, not after this replay: the replay's cold start is not the fuzzer's time.
                firstFindingMillis = artifactSeenMillis >= 0 ? artifactSeenMillis : clock.millis();
                firstFindingExecs = lastExecs;
            }
            if (saved.fresh()) {
                newFindings.add(saved.token());
                err.println("daxfuzz: FINDING " + o.violation().get().kind() + " -> " + saved.dir());
            }
        }
        err.flush();
    }

    private boolean typed() {
        return target.equals("syscall-crash-typed");
    }

    /** Writes a typed finding's byte form where {@link #collect} looks, atomically. */
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
            Path tmp = Files.createTempFile(artifacts, ".tmp-", "");
            Files.write(tmp, input);
            Files.move(tmp, dest, java.nio.file.StandardCopyOption.ATOMIC_MOVE);
        }
    }

    private void summary(PrintWriter err) {
        if (startedMillis >= 0) {
            // Subtract from the first finding's time to get fuzzing time without start-up (daxfuzz bench does).
            err.println("daxfuzz: fuzzing started after " + startedMillis + " ms");
        }
        if (firstFindingMillis >= 0) {
            // Wall time from the driver's start (JVM start-up and seed replay included), for measurements.
            err.println("daxfuzz: first finding after " + firstFindingMillis + " ms, about " + firstFindingExecs
                    + " execs");
        }
        err.println("daxfuzz: done: " + lastExecs + " execs, " + lastStates + " crash states checked, coverage " + lastCov
                + ", corpus " + lastCorpus + ", " + processed.size() + " failing inputs, " + newFindings.size()
                + " new findings" + (newFindings.isEmpty() ? "" : ": " + String.join(", ", newFindings)));
        err.flush();
    }
}
