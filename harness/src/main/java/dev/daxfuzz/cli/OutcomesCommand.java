package dev.daxfuzz.cli;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import dev.daxfuzz.pm.CrashImage;
import dev.daxfuzz.program.Program;
import dev.daxfuzz.run.ExpectationFailure;
import dev.daxfuzz.run.RawDeviceRunner;
import java.io.IOException;
import java.io.PrintWriter;
import java.util.HexFormat;
import java.util.List;
import java.util.TreeSet;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

/**
 * {@code daxfuzz outcomes FILE.dxp --observe ADDR:LEN[,...]}: every distinct crash outcome of an
 * {@code fs none} program, one line each, sorted, without duplicates (spec §5).
 */
@Command(name = "outcomes", mixinStandardHelpOptions = true,
        description = {"Print every distinct crash outcome of an `fs none` program at its crash points:",
            "one line per outcome, sorted, each `ADDR=HEX` for every observed range in the order given."})
final class OutcomesCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Mixin
    ProgramOptions options;

    @Option(names = "--observe", required = true, paramLabel = "ADDR:LEN[,ADDR:LEN...]",
            description = "device ranges to print for each outcome")
    String observe;

    @Override
    public Integer call() throws IOException {
        Program program = options.loadRawDeviceProgram("outcomes");
        List<ObservedRange> ranges = ObservedRange.parseList(observe, program.header().deviceBytes());
        TreeSet<String> lines = new TreeSet<>();
        HexFormat hex = HexFormat.of();
        RawDeviceRunner.Result result = RawDeviceRunner.run(program, options.maxStates, (point, state) -> {
            CrashImage image = state.image();
            StringBuilder sb = new StringBuilder();
            for (ObservedRange r : ranges) {
                byte[] b = new byte[r.len()];
                image.read(r.addr(), b, 0, b.length);
                if (sb.length() > 0) {
                    sb.append(' ');
                }
                sb.append(r.label()).append('=').append(hex.formatHex(b));
            }
            lines.add(sb.toString());
            return true;
        });
        PrintWriter out = spec.commandLine().getOut();
        PrintWriter err = spec.commandLine().getErr();
        if (options.json) {
            writeJson(out, program, ranges, lines, result);
        } else {
            for (String line : lines) {
                out.println(line);
            }
        }
        Reporting.truncationNote(err, result, options.maxStates, "outcomes");
        Reporting.expectationFailures(err, options.file, result.failures());
        out.flush();
        err.flush();
        return result.failures().isEmpty() ? ExitCode.OK : ExitCode.EXPECTATION;
    }

    private void writeJson(PrintWriter out, Program program, List<ObservedRange> ranges, TreeSet<String> lines,
                           RawDeviceRunner.Result result) throws IOException {
        try (JsonGenerator g = new JsonFactory().disable(JsonGenerator.Feature.AUTO_CLOSE_TARGET).createGenerator(out)) {
            g.useDefaultPrettyPrinter();
            g.writeStartObject();
            g.writeStringField("file", options.file.toString());
            g.writeStringField("persistency", program.header().persistency().keyword());
            g.writeNumberField("crashPoints", result.crashPoints());
            g.writeNumberField("crashStates", result.crashStates());
            g.writeNumberField("distinctImages", result.distinctImages());
            g.writeBooleanField("truncated", !result.truncatedAt().isEmpty());
            g.writeArrayFieldStart("observe");
            for (ObservedRange r : ranges) {
                g.writeStartObject();
                g.writeStringField("addr", r.label());
                g.writeNumberField("len", r.len());
                g.writeEndObject();
            }
            g.writeEndArray();
            g.writeArrayFieldStart("outcomes");
            for (String line : lines) {
                g.writeStartObject();
                for (String part : line.split(" ")) {
                    int eq = part.indexOf('=');
                    g.writeStringField(part.substring(0, eq), part.substring(eq + 1));
                }
                g.writeEndObject();
            }
            g.writeEndArray();
            Reporting.writeFailures(g, result.failures());
            g.writeEndObject();
        }
        out.println();
    }

    static String describe(ExpectationFailure f) {
        return f.statement() + " returned " + f.actual();
    }
}
