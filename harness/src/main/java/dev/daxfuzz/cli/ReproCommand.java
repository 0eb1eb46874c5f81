package dev.daxfuzz.cli;

import dev.daxfuzz.fs.FsGeometry;
import dev.daxfuzz.oracle.ViolationReport;
import dev.daxfuzz.program.Program;
import dev.daxfuzz.run.FsRunner;
import java.io.PrintWriter;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

/** {@code daxfuzz repro FILE}: replays a finding (a {@code .dxp} or a raw input) and prints its report. */
@Command(name = "repro", mixinStandardHelpOptions = true,
        description = {"Replay a .dxp program or a raw SyscallCrash fuzzer input and print every violation explained.",
            "Exit 1 when a violation shows, 0 when the input is clean."})
final class ReproCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Mixin
    InputOptions input;

    @Override
    public Integer call() {
        Program program = input.load();
        FsRunner.Result result = FsRunner.run(program, input.maxStates, (v, n) -> true);
        PrintWriter out = spec.commandLine().getOut();
        ViolationReport report = new ViolationReport(program, FsGeometry.forDevice(program.header().deviceBytes(), 0),
                input.reproduce("repro"));
        out.println(result.crashPoints() + " crash points, " + result.crashStates() + " crash states, "
                + result.distinctImages() + " distinct images, " + result.violations().size() + " violations");
        int n = 1;
        for (FsRunner.Found f : result.violations()) {
            out.println();
            out.print(report.render(f.violation(), n++, f.states()));
        }
        out.flush();
        return result.violations().isEmpty() ? ExitCode.OK : ExitCode.VIOLATION;
    }
}
