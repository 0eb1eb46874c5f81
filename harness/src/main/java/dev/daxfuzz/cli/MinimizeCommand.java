package dev.daxfuzz.cli;

import dev.daxfuzz.fuzzing.ByteCodec;
import dev.daxfuzz.fuzzing.Campaign;
import dev.daxfuzz.fuzzing.Minimizer;
import dev.daxfuzz.program.Program;
import dev.daxfuzz.program.ProgramPrinter;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.Optional;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code daxfuzz minimize FILE}: shrinks a finding to the smallest program whose first violation
 * has the same kind and fails the same check, and prints it as a {@code .dxp} on standard output
 * ({@code --out FILE} writes it atomically instead; {@code --out-raw FILE} also writes its byte
 * encoding). It writes nothing beside the input, so committed findings stay as they are.
 * Exit 0 when it minimised; 2 when the input shows no violation (nothing to minimise).
 */
@Command(name = "minimize", mixinStandardHelpOptions = true,
        description = {"Shrink a finding (.dxp, finding directory or raw input) to the smallest program with the same"
            + " violation (delta debugging over statements, then data) and print it.",
            "Exit 0 when minimised, 2 when the input shows no violation."})
final class MinimizeCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Mixin
    InputOptions input;

    @Option(names = "--out", paramLabel = "FILE.dxp", description = "write the minimised program here instead of stdout")
    Path out;

    @Option(names = "--out-raw", paramLabel = "FILE", description = "also write its byte encoding (a fuzzer input) here")
    Path outRaw;

    @Option(names = "--max-runs", paramLabel = "N", defaultValue = "" + Minimizer.RUNS_DEFAULT,
            description = "at most N candidate programs run (default ${DEFAULT-VALUE})")
    int maxRuns;

    @Override
    public Integer call() throws IOException {
        PrintWriter err = spec.commandLine().getErr();
        if (maxRuns < 1) {
            throw new UsageException("--max-runs must be at least 1, got " + maxRuns);
        }
        Program program = input.load();
        String note = input.configurationNote(input.config());
        if (note != null) {
            err.println(note);
        }
        Optional<Minimizer.Result> r = Minimizer.minimize(program, input.config(), maxRuns);
        if (r.isEmpty()) {
            throw new UsageException(input.file + " shows no violation under this configuration; nothing to minimise"
                    + " (a raw input needs the --bug/--daxfile it was found with)");
        }
        Minimizer.Result m = r.get();
        String text = "# minimised by daxfuzz from " + input.file.getFileName() + "\n# expect: " + m.kind() + "\n"
                + ProgramPrinter.print(m.program());
        if (out == null) {
            spec.commandLine().getOut().print(text);
            spec.commandLine().getOut().flush();
        } else {
            Campaign.writeAtomically(out, text);
        }
        if (outRaw != null) {
            try {
                Campaign.writeAtomically(outRaw, ByteCodec.encode(m.program()));
            } catch (ByteCodec.NotEncodable e) {
                throw new UsageException("the minimised program has no byte encoding: " + e.getMessage());
            }
        }
        err.println("daxfuzz: " + program.steps().size() + " -> " + m.program().steps().size() + " statements, still "
                + m.kind() + " (" + m.runs() + " runs" + (m.budgetExhausted() ? ", budget spent: perhaps not minimal" : "")
                + ")" + (out != null ? "; written to " + out : ""));
        err.flush();
        return ExitCode.OK;
    }

    /** Writes {@code bytes} to {@code target} through a temporary file and a rename. */
    static void writeAtomically(Path target, byte[] bytes) throws IOException {
        Campaign.writeAtomically(target, bytes);
    }
}
