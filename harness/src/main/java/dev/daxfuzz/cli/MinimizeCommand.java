package dev.daxfuzz.cli;

import dev.daxfuzz.fuzzing.ByteCodec;
import dev.daxfuzz.fuzzing.Minimizer;
import dev.daxfuzz.program.Program;
import dev.daxfuzz.program.ProgramPrinter;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.Optional;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

/**
 * {@code daxfuzz minimize FILE}: shrinks a finding to the smallest program with the same
 * violation kind and writes it beside the input as {@code NAME.min.dxp} (and, when the input was
 * raw bytes, {@code NAME.min.bin}), atomically.
 */
@Command(name = "minimize", mixinStandardHelpOptions = true,
        description = {"Shrink a finding (.dxp or raw input) to the smallest program with the same violation kind",
            "(delta debugging over statements, then data); writes NAME.min.dxp beside it."})
final class MinimizeCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Mixin
    InputOptions input;

    @Override
    public Integer call() throws IOException {
        Program program = input.load();
        Optional<Minimizer.Result> r = Minimizer.minimize(program, input.config());
        if (r.isEmpty()) {
            spec.commandLine().getErr().println("daxfuzz: " + input.file + " shows no violation; nothing to minimise");
            spec.commandLine().getErr().flush();
            return ExitCode.OK;
        }
        String base = input.file.getFileName().toString().replaceAll("\\.(dxp|bin)$", "");
        Path dir = input.file.toAbsolutePath().getParent();
        Path dxp = dir.resolve(base + ".min.dxp");
        writeAtomically(dxp, ("# minimised by daxfuzz from " + input.file.getFileName() + "\n# expect: " + r.get().kind()
                + "\n" + ProgramPrinter.print(r.get().program())).getBytes(StandardCharsets.UTF_8));
        if (!input.isProgramText()) {
            try {
                writeAtomically(dir.resolve(base + ".min.bin"), ByteCodec.encode(r.get().program()));
            } catch (ByteCodec.NotEncodable e) {
                throw new IllegalStateException("a decoded program must stay encodable: " + e.getMessage(), e);
            }
        }
        spec.commandLine().getOut().println(program.steps().size() + " -> " + r.get().program().steps().size()
                + " statements, still " + r.get().kind() + " (" + r.get().runs() + " runs); written to " + dxp);
        spec.commandLine().getOut().flush();
        return ExitCode.VIOLATION;
    }

    static void writeAtomically(Path target, byte[] bytes) throws IOException {
        Path tmp = Files.createTempFile(target.toAbsolutePath().getParent(), "." + target.getFileName(), ".tmp");
        try {
            Files.write(tmp, bytes);
            Files.move(tmp, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        } finally {
            Files.deleteIfExists(tmp);
        }
    }
}
