package dev.daxfuzz.cli;

import dev.daxfuzz.fuzzing.ByteCodec;
import dev.daxfuzz.program.Program;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/**
 * {@code daxfuzz encode FILE.dxp... --out DIR}: turns hand-written programs into raw
 * {@code SyscallCrash} seeds ({@code DIR/NAME.bin}, written atomically). A program the byte
 * encoding cannot express is reported and skipped; the others are still written.
 */
@Command(name = "encode", mixinStandardHelpOptions = true,
        description = "Encode .dxp programs as raw SyscallCrash fuzzer inputs (seeds): DIR/NAME.bin each.")
final class EncodeCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Parameters(paramLabel = "FILE.dxp", arity = "1..*", description = "programs to encode")
    List<Path> files = new ArrayList<>();

    @Option(names = "--out", paramLabel = "DIR", required = true, description = "where the .bin seeds go")
    Path out;

    @Override
    public Integer call() throws Exception {
        Files.createDirectories(out);
        PrintWriter err = spec.commandLine().getErr();
        int skipped = 0;
        for (Path f : files) {
            Program p = ProgramLoader.load(f);
            try {
                byte[] b = ByteCodec.encode(p);
                String name = f.getFileName().toString().replaceAll("\\.dxp$", "") + ".bin";
                MinimizeCommand.writeAtomically(out.resolve(name), b);
            } catch (ByteCodec.NotEncodable e) {
                err.println("daxfuzz: " + f + ": not encodable: " + e.getMessage());
                skipped++;
            }
        }
        spec.commandLine().getOut().println((files.size() - skipped) + " encoded, " + skipped + " skipped, into " + out);
        err.flush();
        return ExitCode.OK;
    }
}
