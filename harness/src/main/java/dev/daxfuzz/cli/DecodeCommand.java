package dev.daxfuzz.cli;

import dev.daxfuzz.program.ProgramPrinter;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

/** {@code daxfuzz decode INPUT}: prints the {@code .dxp} program a raw fuzzer input decodes to. */
@Command(name = "decode", mixinStandardHelpOptions = true,
        description = "Print the .dxp program a raw SyscallCrash fuzzer input decodes to (a .dxp prints canonically).")
final class DecodeCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Mixin
    InputOptions input;

    @Override
    public Integer call() {
        spec.commandLine().getOut().print(ProgramPrinter.print(input.loadToPrint()));
        spec.commandLine().getOut().flush();
        return ExitCode.OK;
    }
}
