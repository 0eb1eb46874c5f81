package dev.daxfuzz.cli;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import dev.daxfuzz.fs.FsGeometry;
import dev.daxfuzz.oracle.Violation;
import dev.daxfuzz.oracle.ViolationReport;
import dev.daxfuzz.pm.Provenance;
import dev.daxfuzz.program.Program;
import dev.daxfuzz.run.FsRunner;
import dev.daxfuzz.run.RawDeviceRunner;
import java.io.IOException;
import java.io.PrintWriter;
import java.util.List;
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

    @Override
    public Integer call() throws IOException {
        Program program = options.loadProgram();
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
            return rawDevice(program);
        }
        ProgramLoader.requireSupportedFileSystemProgram(program, options.file);
        FsGeometry geometry;
        try {
            geometry = FsGeometry.forDevice(program.header().deviceBytes(), 0);
        } catch (IllegalArgumentException e) {
            throw new UsageException(options.file + ": " + e.getMessage());
        }
        PrintWriter out = spec.commandLine().getOut();
        PrintWriter err = spec.commandLine().getErr();
        FsRunner.Result result = FsRunner.run(program, options.maxStates, (v, n) -> true, new ProgressPrinter(err)::fs);
        ViolationReport report = new ViolationReport(program, geometry, options.reproduce("explore")
                + bugs.stream().map(b -> " --bug " + b).collect(java.util.stream.Collectors.joining()));
        if (options.json) {
            writeJson(out, result, report);
        } else {
            out.println(result.crashPoints() + " crash points, " + result.crashStates() + " crash states, "
                    + result.distinctImages() + " distinct images, " + result.violations().size() + " violations");
            int n = 1;
            for (FsRunner.Found f : result.violations()) {
                out.println();
                out.print(report.render(f.violation(), n++, f.states()));
            }
        }
        if (!result.truncatedAt().isEmpty()) {
            err.println("daxfuzz: note: --max-states " + options.maxStates + " cut the exploration at "
                    + result.truncatedAt().size() + " crash point(s) (" + String.join(", ", result.truncatedAt())
                    + "); some crash states were not checked");
        }
        if (result.diverged()) {
            err.println("daxfuzz: note: the file system and the model diverged at a wrong result;"
                    + " later crash points were not checked");
        }
        Reporting.expectationFailures(err, options.file, result.failures());
        out.flush();
        err.flush();
        if (!result.violations().isEmpty()) {
            return ExitCode.VIOLATION;
        }
        return result.failures().isEmpty() ? ExitCode.OK : ExitCode.EXPECTATION;
    }

    private void writeJson(PrintWriter out, FsRunner.Result result, ViolationReport report) throws IOException {
        try (JsonGenerator g = new JsonFactory().disable(JsonGenerator.Feature.AUTO_CLOSE_TARGET).createGenerator(out)) {
            g.useDefaultPrettyPrinter();
            g.writeStartObject();
            g.writeStringField("file", options.file.toString());
            g.writeNumberField("crashPoints", result.crashPoints());
            g.writeNumberField("crashStates", result.crashStates());
            g.writeNumberField("distinctImages", result.distinctImages());
            g.writeNumberField("imagesCovered", result.imagesCovered());
            g.writeNumberField("violationCount", result.violations().size());
            g.writeBooleanField("truncated", !result.truncatedAt().isEmpty());
            g.writeBooleanField("diverged", result.diverged());
            g.writeArrayFieldStart("violations");
            for (FsRunner.Found f : result.violations()) {
                Violation v = f.violation();
                g.writeStartObject();
                g.writeStringField("kind", v.kind().name());
                g.writeStringField("call", report.statement(v.step()));
                g.writeStringField("crashPoint", v.crashPoint().orElse(null));
                g.writeNumberField("states", f.states());
                g.writeStringField("summary", v.summary());
                writeStrings(g, "expected", v.expected());
                writeStrings(g, "actual", v.actual());
                if (v.provenance().isPresent()) {
                    Provenance p = v.provenance().get();
                    g.writeArrayFieldStart("lostEntries");
                    for (Provenance.Entry e : p.lost()) {
                        g.writeString(e.toString());
                    }
                    g.writeEndArray();
                    g.writeArrayFieldStart("lines");
                    for (Provenance.Line l : p.lines()) {
                        g.writeStartObject();
                        g.writeStringField("addr", "0x" + Long.toHexString(l.addr()));
                        g.writeStringField("region", report.region(l.addr()));
                        g.writeNumberField("writes", l.writes().size());
                        g.writeNumberField("persistedWrites", l.persistedWrites());
                        g.writeNumberField("partialWordMask", l.partialWordMask());
                        g.writeEndObject();
                    }
                    g.writeEndArray();
                }
                g.writeStringField("reproduce", options.reproduce("explore"));
                g.writeEndObject();
            }
            g.writeEndArray();
            writeStrings(g, "truncatedAt", result.truncatedAt());
            Reporting.writeFailures(g, result.failures());
            g.writeEndObject();
        }
        out.println();
    }

    private static void writeStrings(JsonGenerator g, String name, List<String> values) throws IOException {
        g.writeArrayFieldStart(name);
        for (String s : values) {
            g.writeString(s);
        }
        g.writeEndArray();
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
                Reporting.writeFailures(g, result.failures());
                g.writeEndObject();
            }
            out.println();
        } else {
            out.println(result.crashPoints() + " crash points, " + result.crashStates() + " crash states, "
                    + result.distinctImages() + " distinct images, 0 violations");
        }
        Reporting.truncationNote(err, result, options.maxStates, "counts");
        Reporting.expectationFailures(err, options.file, result.failures());
        out.flush();
        err.flush();
        return result.failures().isEmpty() ? ExitCode.OK : ExitCode.EXPECTATION;
    }
}
