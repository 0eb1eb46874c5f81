package dev.daxfuzz.cli;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import dev.daxfuzz.program.Program;
import dev.daxfuzz.run.RawDeviceRunner;
import java.io.IOException;
import java.io.PrintWriter;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

/**
 * {@code daxfuzz explore FILE.dxp}: run a program, enumerate the crash states of its crash
 * points and check each (spec §5). This version runs {@code fs none} programs, which have no
 * recovery and no oracle: it counts their crash points, states and distinct images and checks
 * their expectations.
 */
@Command(name = "explore", mixinStandardHelpOptions = true,
        description = {"Run a program, enumerate the crash states at its crash points and check each one.",
            "Prints `N crash points, M crash states, K distinct images, V violations`."})
final class ExploreCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Mixin
    ProgramOptions options;

    @Override
    public Integer call() throws IOException {
        Program program = options.loadRawDeviceProgram("explore");
        RawDeviceRunner.Result result = RawDeviceRunner.run(program, options.maxStates, (point, state) -> true);
        PrintWriter out = spec.commandLine().getOut();
        PrintWriter err = spec.commandLine().getErr();
        if (options.json) {
            try (JsonGenerator g = new JsonFactory().disable(JsonGenerator.Feature.AUTO_CLOSE_TARGET).createGenerator(out)) {
                g.useDefaultPrettyPrinter();
                g.writeStartObject();
                g.writeStringField("file", options.file.toString());
                g.writeNumberField("crashPoints", result.crashPoints());
                g.writeNumberField("crashStates", result.crashStates());
                g.writeNumberField("distinctImages", result.distinctImages());
                g.writeNumberField("violations", 0);
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
