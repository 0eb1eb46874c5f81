package dev.daxfuzz.cli;

import dev.daxfuzz.fuzzing.Campaign;
import dev.daxfuzz.fuzzing.FindingStore;
import dev.daxfuzz.program.Program;
import dev.daxfuzz.run.FsRunner;
import dev.daxfuzz.run.RunReport;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code daxfuzz repro FILE}: replays a finding (a {@code .dxp}, a finding directory or a raw
 * input) and prints every violation explained, exactly as a finding's {@code report.md} and
 * ({@code --json}) {@code report.json} hold it. {@code --write-report} rewrites those two files
 * beside a finding's {@code program.dxp}, for a finding copied to a new place.
 */
@Command(name = "repro", mixinStandardHelpOptions = true,
        description = {"Replay a .dxp program, a finding directory or a raw SyscallCrash fuzzer input and print every"
            + " violation explained.",
            "A raw input is decoded under the configuration recorded beside it (its finding's report.json or its"
            + " campaign's campaign.json) unless --bug/--daxfile say otherwise.",
            "Exit 1 when a violation shows, 0 when the input is clean, 3 when an => expectation failed."})
final class ReproCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Mixin
    InputOptions input;

    @Option(names = "--json", description = "print JSON instead of text (what a finding's report.json holds)")
    boolean json;

    @Option(names = "--write-report",
            description = "rewrite report.md and report.json beside the finding's program.dxp (after moving a finding)")
    boolean writeReport;

    @Override
    public Integer call() throws IOException {
        PrintWriter out = spec.commandLine().getOut();
        PrintWriter err = spec.commandLine().getErr();
        if (writeReport) {
            return writeReport(out);
        }
        Program program = input.load();
        String note = input.configurationNote(input.config());
        if (note != null) {
            err.println(note);
        }
        FsRunner.Result result = FsRunner.run(program, input.maxStates, (v, n) -> true, new ProgressPrinter(err)::fs);
        RunReport report = new RunReport(program, result, input.file.toString(), input.reproduce("repro"));
        return Reporting.printFsRun(out, err, report, result, input.source(), input.maxStates, json);
    }

    private int writeReport(PrintWriter out) throws IOException {
        Path program = input.source();
        if (!program.getFileName().toString().equals("program.dxp")) {
            throw new UsageException(input.file + ": --write-report needs a finding: its directory or its program.dxp");
        }
        ProgramLoader.load(program);
        String shown = input.file.toString();
        if (Files.isDirectory(input.file)) {
            shown = input.file.resolve("program.dxp").toString();
        }
        FindingStore.Reports r = FindingStore.reportFiles(program, shown, input.maxStates);
        Campaign.writeAtomically(program.resolveSibling("report.md"), r.markdown());
        Campaign.writeAtomically(program.resolveSibling("report.json"), r.json());
        out.println("daxfuzz: wrote " + program.resolveSibling("report.md") + " and report.json");
        out.flush();
        return ExitCode.OK;
    }
}
