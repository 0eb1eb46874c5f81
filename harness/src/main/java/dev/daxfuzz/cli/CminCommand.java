package dev.daxfuzz.cli;

import dev.daxfuzz.fuzzing.Campaign;
import dev.daxfuzz.fuzzing.FindingStore;
import dev.daxfuzz.fuzzing.FuzzConfig;
import dev.daxfuzz.program.Header;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code daxfuzz cmin}: corpus minimisation with libFuzzer's {@code -merge=1} ({@link
 * CorpusMerge}). By default it minimises a campaign's working corpus in place, starting from the
 * coverage of the committed seeds, which it reads and never writes; with {@code --out DIR} it
 * writes one self-contained minimal corpus (seeds included) into a new directory instead. An
 * input that violates the campaign's configuration is never kept: it is triaged into a finding.
 */
@Command(name = "cmin", mixinStandardHelpOptions = true,
        description = {"Minimise a campaign's working corpus with libFuzzer -merge=1 (seeds are read, never written).",
            "With --out DIR, write a minimal corpus of seeds and working corpus together into DIR instead."})
final class CminCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Option(names = "--target", paramLabel = "T", defaultValue = "syscall-crash", description = "fuzz target (default ${DEFAULT-VALUE})")
    String target;

    @Option(names = "--design", paramLabel = "DAXFILE",
            description = "the campaign's daxfile design (default: the one the --bug entries live in, else sealed)")
    String design;

    @Option(names = "--bug", paramLabel = "NAME", description = "the campaign's seeded bugs; repeatable")
    List<String> bugs = new ArrayList<>();

    @Option(names = "--corpus", paramLabel = "DIR", description = "seed corpus, read only (default corpus/<target>)")
    Path corpus;

    @Option(names = "--work", paramLabel = "DIR", description = "where campaigns keep their state (default campaigns/)")
    Path work;

    @Option(names = "--out", paramLabel = "DIR", description = "write the minimal corpus here (a new or empty directory)")
    Path out;

    @Override
    public Integer call() throws Exception {
        PrintWriter err = spec.commandLine().getErr();
        PrintWriter stdout = spec.commandLine().getOut();
        Path root = JazzerDriver.root();
        JazzerDriver.targetClass(target);
        String chosen = design != null ? design : FuzzCommand.designOfBugs(bugs);
        Header.DaxfileDesign d = java.util.Arrays.stream(Header.DaxfileDesign.values())
                .filter(x -> x.keyword().equals(chosen)).findFirst()
                .orElseThrow(() -> new UsageException("--design " + chosen + ": expected sealed or rfc-v1"));
        for (String b : bugs) {
            if (dev.daxfuzz.fs.Bug.byName(b).isEmpty()) {
                throw new UsageException("--bug " + b + ": unknown bug; the catalog has: "
                        + String.join(", ", dev.daxfuzz.program.BugNames.ALL));
            }
        }
        FuzzConfig config = new FuzzConfig(d, bugs.stream().distinct().toList(), FuzzConfig.MAX_STATES_DEFAULT);
        Path seeds = corpus != null ? corpus : root.resolve("corpus").resolve(target);
        FuzzCommand.checkSeeds(seeds, corpus != null);
        Campaign campaign = Campaign.open(work != null ? work : root.resolve("campaigns"), target, config);
        if (out != null && Files.exists(out) && (!Files.isDirectory(out) || !CorpusMerge.files(out).isEmpty())) {
            throw new UsageException(out + ": expected a new or empty directory");
        }
        int work0 = CorpusMerge.files(campaign.corpus()).size();
        err.println("daxfuzz: cmin of " + FuzzCommand.shown(root, campaign.dir()) + " (" + work0 + " inputs) with seeds "
                + FuzzCommand.shown(root, seeds) + (out == null ? " as the baseline" : " into " + out));
        err.flush();
        CorpusMerge.Result r;
        try {
            r = out == null
                    ? CorpusMerge.merge(target, campaign, seeds, List.of(campaign.corpus()), campaign.corpus(),
                            FuzzCommand.MAX_LEN_BYTES, List.of(), err, "cmin")
                    : CorpusMerge.merge(target, campaign, null, List.of(seeds, campaign.corpus()), out,
                            FuzzCommand.MAX_LEN_BYTES, List.of(), err, "cmin");
        } catch (IOException e) {
            err.println("daxfuzz: " + e.getMessage());
            return ExitCode.INTERNAL;
        }
        Path target0 = out == null ? campaign.corpus() : out;
        stdout.println(FuzzCommand.shown(root, target0) + ": " + r.before() + " -> " + r.kept() + " inputs"
                + (out == null ? " beyond the " + CorpusMerge.files(seeds).size() + " seeds" : ""));
        stdout.flush();
        if (r.violating() > 0) {
            Triager t = new Triager(campaign, target, new FindingStore(campaign.findings(),
                    FuzzCommand.shown(root, campaign.findings())), FuzzCommand.describe(config) + ", met by cmin",
                    new Triager.Events() {
                        @Override
                        public void finding(String token, boolean fresh, String kind, Path dir, int before, int after) {
                            err.println("daxfuzz: " + (fresh ? "FINDING " : "again: ") + kind + " " + token + " -> " + dir);
                        }

                        @Override
                        public void problem(String message) {
                            err.println("daxfuzz: problem: " + message);
                        }
                    });
            err.println("daxfuzz: " + r.violating() + " input(s) violate this configuration; not kept, triaged instead");
            t.collect();
            err.flush();
            return t.tokens().isEmpty() ? ExitCode.OK : ExitCode.VIOLATION;
        }
        return ExitCode.OK;
    }
}
