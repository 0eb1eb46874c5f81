package dev.daxfuzz.cli;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import dev.daxfuzz.fs.Bug;
import java.io.IOException;
import java.io.PrintWriter;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code daxfuzz bugs}: the seeded-bug catalog, one entry per bug: its name, the design it applies
 * to, what it breaks, the real bug it is modelled on, and whether its switch exists yet.
 */
@Command(name = "bugs", mixinStandardHelpOptions = true,
        description = "List the seeded-bug catalog: name, design, what it breaks, what it is modelled on.")
final class BugsCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Option(names = "--json", description = "print JSON instead of text")
    boolean json;

    @Override
    public Integer call() throws IOException {
        PrintWriter out = spec.commandLine().getOut();
        if (json) {
            try (JsonGenerator g = new JsonFactory().disable(JsonGenerator.Feature.AUTO_CLOSE_TARGET).createGenerator(out)
                    .useDefaultPrettyPrinter()) {
                g.writeStartArray();
                for (Bug b : Bug.values()) {
                    g.writeStartObject();
                    g.writeStringField("name", b.keyword());
                    g.writeStringField("design", b.design());
                    g.writeStringField("breaks", b.breaks());
                    g.writeStringField("modelledOn", b.modelledOn());
                    g.writeEndObject();
                }
                g.writeEndArray();
            }
            out.println();
        } else {
            for (Bug b : Bug.values()) {
                out.println(b.keyword());
                out.println("  design:      " + b.design());
                out.println("  breaks:      " + b.breaks());
                out.println("  modelled on: " + b.modelledOn());
            }
        }
        out.flush();
        return ExitCode.OK;
    }
}
