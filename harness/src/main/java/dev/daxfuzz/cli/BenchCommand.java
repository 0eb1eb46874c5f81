package dev.daxfuzz.cli;

import dev.daxfuzz.bench.BenchReport;
import dev.daxfuzz.bench.CatalogCoverage;
import dev.daxfuzz.bench.FindingTime;
import dev.daxfuzz.bench.MemoryCampaign;
import dev.daxfuzz.bench.RunJournal;
import dev.daxfuzz.bench.SearchSpace;
import dev.daxfuzz.bench.Stopwatch;
import dev.daxfuzz.bench.TaskCost;
import dev.daxfuzz.bench.Throughput;
import dev.daxfuzz.fs.Bug;
import dev.daxfuzz.program.Program;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.TreeSet;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code daxfuzz bench}: measures daxfuzz against its peers' methods and writes the results
 * ({@code results.md}, {@code results.json}, SVG plots) into {@code bench-results/} of the
 * repository, which git ignores: like every command, it never writes a committed file unless
 * told to ({@code --out docs/bench} replaces the committed results). Never part of
 * {@code mvn verify}: the full run takes most of an hour on two cores.
 */
@Command(name = "bench", mixinStandardHelpOptions = true,
        description = "Benchmark: throughput, search space, catalog coverage, time to first finding, memory; writes bench-results/"
                + " (--out docs/bench replaces the committed results).")
final class BenchCommand implements Callable<Integer> {
    /** The sections, in report order. */
    static final List<String> SECTIONS = List.of("throughput", "search", "catalog", "finding", "memory", "recovery",
            "tasks");

    @Spec
    CommandSpec spec;

    @Option(names = "--out", paramLabel = "DIR", description = "where the results go (default bench-results/ of the repository, which git ignores)")
    Path out;

    @Option(names = "--sections", paramLabel = "LIST", split = ",", defaultValue = "throughput,search,catalog,finding,memory,recovery,tasks",
            description = "sections to run (default ${DEFAULT-VALUE})")
    List<String> sections;

    @Option(names = "--rounds", paramLabel = "N", defaultValue = "5", description = "throughput rounds (default ${DEFAULT-VALUE})")
    int rounds;

    @Option(names = "--round-seconds", paramLabel = "S", defaultValue = "4", description = "length of a throughput round (default ${DEFAULT-VALUE})")
    double roundSeconds;

    @Option(names = "--baseline-states", paramLabel = "N", defaultValue = "30",
            description = "the naive baseline's images per crash point in the throughput rounds (default ${DEFAULT-VALUE})")
    long baselineStates;

    @Option(names = "--catalog-states", paramLabel = "N", defaultValue = "500",
            description = "images per crash point for the eager methods on catalog reproducers (default ${DEFAULT-VALUE})")
    long catalogStates;

    @Option(names = "--finding-seeds", paramLabel = "N", defaultValue = "5", description = "seeds per bug and method (default ${DEFAULT-VALUE})")
    int findingSeeds;

    @Option(names = "--finding-seconds", paramLabel = "S", defaultValue = "10", description = "budget of one search for a bug (default ${DEFAULT-VALUE})")
    double findingSeconds;

    @Option(names = "--finding-methods", paramLabel = "LIST", split = ",",
            defaultValue = "guided,guided-all,guided-classic,unguided,ace",
            description = "methods of the finding section: guided, guided-all, guided-classic, unguided, ace (default all)")
    List<String> findingMethods;

    @Option(names = "--finding-from", paramLabel = "LIST", split = ",", defaultValue = "nothing",
            description = "where the finding section's searches start: nothing, corpus (the shipped corpus/syscall-crash), "
                    + "or nothing,corpus for both, one section each (default ${DEFAULT-VALUE})")
    List<String> findingFrom;

    @Option(names = "--resume", description = "take the finding runs already measured by an interrupted invocation at "
            + "this commit from DIR/finding-runs.jsonl instead of measuring them again (the other sections run again)")
    boolean resume;

    @Option(names = "--finding-inputs", paramLabel = "DIR",
            description = "write each finding-section run's violating input here as BUG.METHOD.SEED.bin")
    Path findingInputs;

    @Option(names = "--bugs", paramLabel = "LIST", split = ",", description = "catalog bugs for the finding section (default all); none: the correct designs, for a mutant build")
    List<String> bugs = List.of();

    @Option(names = "--threads", paramLabel = "N", defaultValue = "2", description = "parallel searches in the finding section (default ${DEFAULT-VALUE})")
    int threads;

    @Option(names = "--memory-minutes", paramLabel = "M", defaultValue = "10", description = "length of the memory campaign (default ${DEFAULT-VALUE})")
    double memoryMinutes;

    @Override
    public Integer call() throws IOException {
        PrintWriter err = spec.commandLine().getErr();
        Stopwatch clock = new Stopwatch();
        Path root = JazzerDriver.root().toAbsolutePath().normalize();
        // The commit measured: read before anything runs, so edits made meanwhile are not blamed on it.
        String commit = commit(root);
        TreeSet<String> wanted = new TreeSet<>();
        for (String s : sections) {
            String name = s.trim().toLowerCase(Locale.ROOT);
            if (!SECTIONS.contains(name)) {
                throw new UsageException("--sections: unknown section '" + s + "'; expected some of " + SECTIONS);
            }
            wanted.add(name);
        }
        for (String b : bugs) {
            if (!b.equals(FindingTime.NO_BUG) && Bug.byName(b).isEmpty()) {
                throw new UsageException("--bugs: no catalog bug named '" + b + "' (see daxfuzz bugs)");
            }
            if (!b.equals(FindingTime.NO_BUG) && Bug.byName(b).get().needsTasks()) {
                throw new UsageException("--bugs: " + b + " is a race between tasks; the searches measured here"
                        + " generate single-task inputs");
            }
        }
        if (rounds < 1 || roundSeconds <= 0 || findingSeeds < 1 || findingSeconds <= 0 || threads < 1 || memoryMinutes <= 0
                || baselineStates < 1 || catalogStates < 1) {
            throw new UsageException("counts and times must be positive");
        }
        Path dir = out != null ? out : root.resolve("bench-results");
        List<Boolean> starts = new ArrayList<>();
        if (wanted.contains("finding")) {
            for (String f : findingFrom) {
                String start = f.trim().toLowerCase(Locale.ROOT);
                if (!start.equals("nothing") && !start.equals("corpus")) {
                    throw new UsageException("--finding-from " + f + ": expected nothing, corpus, or nothing,corpus");
                }
                if (starts.contains(start.equals("corpus"))) {
                    throw new UsageException("--finding-from: " + start + " given twice");
                }
                starts.add(start.equals("corpus"));
            }
            starts.sort(null);
            for (String m : findingMethods) {
                if (!FindingTime.METHODS.contains(m)) {
                    throw new UsageException("--finding-methods: unknown method " + m + "; methods: "
                            + String.join(", ", FindingTime.METHODS));
                }
            }
        }
        if (resume && (!wanted.contains("finding") || commit.equals("unknown") || commit.endsWith("+dirty"))) {
            throw new UsageException("--resume: " + (!wanted.contains("finding") ? "only the finding section is resumed, "
                    + "and it is not among --sections"
                    : "the checkout's commit is " + commit + "; a resumed section must measure one committed build, "
                    + "so commit (or stash) the changes first"));
        }
        List<Throughput.NamedProgram> programs = new ArrayList<>();
        for (int calls : new int[] {5, 20, 50}) {
            String name = String.format(Locale.ROOT, "calls-%02d", calls);
            programs.add(new Throughput.NamedProgram(name, calls,
                    ProgramLoader.load(root.resolve("bench").resolve("programs").resolve(name + ".dxp"))));
        }
        Optional<Throughput.Result> throughput = Optional.empty();
        Optional<SearchSpace.Result> search = Optional.empty();
        Optional<CatalogCoverage.Result> catalog = Optional.empty();
        List<FindingTime.Result> finding = new ArrayList<>();
        Optional<MemoryCampaign.Result> memory = Optional.empty();
        Optional<dev.daxfuzz.bench.RecoveryCost.Result> recovery = Optional.empty();
        if (wanted.contains("throughput")) {
            throughput = Optional.of(Throughput.run(new Throughput.Options(programs, rounds,
                    Math.round(roundSeconds * 1000), baselineStates), err));
        }
        if (wanted.contains("search")) {
            search = Optional.of(SearchSpace.run(programs, err));
        }
        if (wanted.contains("catalog")) {
            List<Throughput.NamedProgram> reproducers = new ArrayList<>();
            for (Bug b : Bug.values()) {
                Path p = root.resolve("findings").resolve("catalog").resolve(b.keyword() + ".dxp");
                // The crash-image methods compared here run one task; the races are explored by explore.
                if (Files.exists(p) && !b.needsTasks()) {
                    Program program = ProgramLoader.load(p);
                    reproducers.add(new Throughput.NamedProgram(b.keyword(), program.steps().size(), program));
                }
            }
            catalog = Optional.of(CatalogCoverage.run(reproducers, catalogStates, threads, err));
        }
        if (wanted.contains("finding")) {
            // The journal is the campaign's own state: it lives in the output directory, never in the checkout's files.
            try (RunJournal journal = RunJournal.open(dir.resolve("finding-runs.jsonl"), commit, resume)) {
                if (resume) {
                    err.println("finding-time: the run journal holds " + journal.earlierRuns() + " run(s) of commit " + commit);
                }
                for (boolean fromCorpus : starts) {
                    finding.add(FindingTime.run(new FindingTime.Options(bugs, findingSeeds, Math.round(findingSeconds * 1000),
                            threads, root, findingMethods, fromCorpus, findingInputs), err, journal));
                }
            }
        }
        if (wanted.contains("memory")) {
            memory = Optional.of(MemoryCampaign.run(new MemoryCampaign.Options(root, Math.round(memoryMinutes * 60),
                    "syscall-crash", 1, 512), err));
        }
        if (wanted.contains("recovery")) {
            recovery = Optional.of(dev.daxfuzz.bench.RecoveryCost.run(new dev.daxfuzz.bench.RecoveryCost.Options(
                    programs, rounds, Math.round(roundSeconds * 1000)), err));
        }
        Optional<TaskCost.Result> tasks = Optional.empty();
        if (wanted.contains("tasks")) {
            List<Throughput.NamedProgram> racing = new ArrayList<>();
            for (Bug b : Bug.values()) {
                Path p = root.resolve("findings").resolve("catalog").resolve(b.keyword() + ".dxp");
                if (b.needsTasks() && Files.exists(p)) {
                    // The correct design: the reproducer without its bug line.
                    Program program = ProgramLoader.loadWithTasks(p);
                    program = new Program(program.header().withBugs(List.of()), program.steps());
                    racing.add(new Throughput.NamedProgram(b.keyword() + " (off)", program.steps().size(), program));
                }
            }
            tasks = Optional.of(TaskCost.run(new TaskCost.Options(racing, rounds, Math.round(roundSeconds * 1000)), err));
        }
        BenchReport.Meta meta = new BenchReport.Meta(Stopwatch.today(), commit, cpuModel(),
                Runtime.getRuntime().availableProcessors(), System.getProperty("java.runtime.version"),
                System.getProperty("os.name") + " " + System.getProperty("os.arch"), Runtime.getRuntime().maxMemory(),
                "daxfuzz " + String.join(" ", spec.commandLine().getParseResult().originalArgs()), clock.millis());
        List<Path> written = BenchReport.write(new BenchReport.Results(meta, throughput, search, catalog, finding, memory,
                recovery, tasks),
                dir);
        for (Path p : written) {
            spec.commandLine().getOut().println("wrote " + p);
        }
        return ExitCode.OK;
    }

    private static String commit(Path root) {
        try {
            Process p = new ProcessBuilder("git", "-C", root.toString(), "rev-parse", "HEAD").redirectErrorStream(true)
                    .start();
            String head = new String(p.getInputStream().readAllBytes()).trim();
            if (p.waitFor() != 0) {
                return "unknown";
            }
            Process d = new ProcessBuilder("git", "-C", root.toString(), "status", "--porcelain", "--untracked-files=no")
                    .redirectErrorStream(true).start();
            String dirty = new String(d.getInputStream().readAllBytes()).trim();
            d.waitFor();
            return head.substring(0, Math.min(12, head.length())) + (dirty.isEmpty() ? "" : "+dirty");
        } catch (IOException e) {
            return "unknown";
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return "unknown";
        }
    }

    private static String cpuModel() {
        try {
            for (String line : Files.readAllLines(Path.of("/proc/cpuinfo"))) {
                if (line.startsWith("model name")) {
                    return line.substring(line.indexOf(':') + 1).trim();
                }
            }
        } catch (IOException e) {
            // Not Linux: the architecture is the best we can say.
        }
        return System.getProperty("os.arch");
    }
}
