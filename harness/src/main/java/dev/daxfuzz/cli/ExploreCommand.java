package dev.daxfuzz.cli;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import dev.daxfuzz.fs.FsGeometry;
import dev.daxfuzz.program.Program;
import dev.daxfuzz.run.FsRunner;
import dev.daxfuzz.run.RawDeviceRunner;
import dev.daxfuzz.run.RunReport;
import dev.daxfuzz.run.TaskRunner;
import java.io.IOException;
import java.io.PrintWriter;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

/**
 * {@code daxfuzz explore FILE.dxp}: run a program, enumerate the crash states of its crash
 * points, recover and check each (spec §5). Prints the summary line, then each violation explained.
 * {@code fs none} programs have no recovery and no oracle: their crash states are counted and their
 * expectations checked.
 */
@Command(name = "explore", mixinStandardHelpOptions = true,
        description = {"Run a program, enumerate the crash states at its crash points and check each one.",
            "Prints `N crash points, M crash states, K distinct images, V violations`, then each violation."})
final class ExploreCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Mixin
    ProgramOptions options;

    @picocli.CommandLine.Option(names = "--bug", paramLabel = "NAME",
            description = "switch on a seeded bug of the catalog (as a `bug NAME` header line); repeatable;"
                    + " `daxfuzz bugs` lists them")
    java.util.List<String> bugs = new java.util.ArrayList<>();

    @picocli.CommandLine.Option(names = "--preemptions", paramLabel = "K", defaultValue = "2",
            description = "programs with tasks: run every schedule with at most K switches away from a task that could"
                    + " have gone on (default ${DEFAULT-VALUE}, as CHESS bounds preemptions)")
    int preemptions;

    @picocli.CommandLine.Option(names = "--max-schedules", paramLabel = "N", defaultValue = "1000000",
            description = "programs with tasks: stop the schedule search after N schedules (default ${DEFAULT-VALUE})")
    long maxSchedules;

    @Override
    public Integer call() throws IOException {
        if (preemptions < 0 || maxSchedules < 1) {
            throw new UsageException("--preemptions must be 0 or more and --max-schedules 1 or more");
        }
        Program program = options.loadProgram(true);
        if (!bugs.isEmpty()) {
            java.util.List<String> all = new java.util.ArrayList<>(program.header().bugs());
            for (String b : bugs) {
                if (dev.daxfuzz.fs.Bug.byName(b).isEmpty()) {
                    throw new UsageException("--bug " + b + ": unknown bug; the catalog has: "
                            + String.join(", ", dev.daxfuzz.program.BugNames.ALL));
                }
                if (!all.contains(b)) {
                    all.add(b);
                }
            }
            program = new Program(program.header().withBugs(all), program.steps());
        }
        if (program.header().rawDevice()) {
            if (program.hasTasks()) {
                throw new UsageException(options.file + ": tasks on `fs none` (litmus tests across CPUs) are not run yet;"
                        + " this version runs tasks on a file system (`fs journal`)");
            }
            return rawDevice(program);
        }
        ProgramLoader.requireSupportedFileSystemProgram(program, options.file);
        try {
            FsGeometry.forDevice(program.header().deviceBytes(), 0);
        } catch (IllegalArgumentException e) {
            throw new UsageException(options.file + ": " + e.getMessage());
        }
        PrintWriter out = spec.commandLine().getOut();
        PrintWriter err = spec.commandLine().getErr();
        String reproduce = options.reproduce("explore") + bugs.stream().map(b -> " --bug " + b)
                .collect(java.util.stream.Collectors.joining());
        if (program.hasTasks()) {
            TaskRunner.Result schedules;
            try {
                schedules = TaskRunner.run(program, options.maxStates, new TaskRunner.Options(preemptions,
                        maxSchedules, TaskRunner.Options.DEFAULT.maxPointsPerSchedule(),
                        TaskRunner.Options.DEFAULT.maxLinearizationNodes()), (v, n) -> true);
            } catch (IllegalArgumentException e) {
                // A `schedule` line that does not fit the program's run.
                throw new UsageException(options.file + ": " + e.getMessage());
            }
            FsRunner.Result merged = TaskRunner.merged(schedules);
            RunReport report = new RunReport(program, merged, options.file.toString(), reproduce
                    + (preemptions != TaskRunner.Options.DEFAULT.preemptions() ? " --preemptions " + preemptions : ""),
                    schedules);
            return Reporting.printFsRun(out, err, report, merged, options.file, options.maxStates, options.json);
        }
        FsRunner.Result result = FsRunner.run(program, options.maxStates, (v, n) -> true, new ProgressPrinter(err)::fs);
        RunReport report = new RunReport(program, result, options.file.toString(), reproduce);
        return Reporting.printFsRun(out, err, report, result, options.file, options.maxStates, options.json);
    }

    private int rawDevice(Program program) throws IOException {
        PrintWriter out = spec.commandLine().getOut();
        PrintWriter err = spec.commandLine().getErr();
        ProgressPrinter progress = new ProgressPrinter(err);
        int statements = program.steps().size();
        RawDeviceRunner.Result result = RawDeviceRunner.run(program, options.maxStates,
                (point, state) -> progress.raw(point, statements));
        if (options.json) {
            try (JsonGenerator g = new JsonFactory().disable(JsonGenerator.Feature.AUTO_CLOSE_TARGET).createGenerator(out)) {
                g.useDefaultPrettyPrinter();
                g.writeStartObject();
                g.writeStringField("file", options.file.toString());
                g.writeNumberField("crashPoints", result.crashPoints());
                g.writeNumberField("crashStates", result.crashStates());
                g.writeNumberField("distinctImages", result.distinctImages());
                g.writeNumberField("violationCount", 0);
                g.writeBooleanField("truncated", !result.truncatedAt().isEmpty());
                RunReport.writeFailures(g, result.failures());
                g.writeEndObject();
            }
            out.println();
        } else {
            out.println(RunReport.summary(result.crashPoints(), result.crashStates(), result.distinctImages(), 0));
        }
        Reporting.truncationNote(err, result, options.maxStates, "counts");
        Reporting.expectationFailures(err, options.file, result.failures());
        out.flush();
        err.flush();
        return result.failures().isEmpty() ? ExitCode.OK : ExitCode.EXPECTATION;
    }
}
