package dev.daxfuzz.cli;

import dev.daxfuzz.program.Program;
import java.nio.file.Path;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** The program argument and options shared by the commands that run a program. */
final class ProgramOptions {
    @Parameters(index = "0", paramLabel = "FILE.dxp", description = "the program")
    Path file;

    @Option(names = "--max-states", paramLabel = "N", defaultValue = "100000",
            description = "at most N crash states per crash point (default ${DEFAULT-VALUE}); a note says when it cuts")
    long maxStates;

    @Option(names = "--json", description = "print JSON instead of text")
    boolean json;

    /** Checks the options, then loads the program, which must be an {@code fs none} program. */
    Program loadRawDeviceProgram(String command) {
        Program program = loadProgram();
        ProgramLoader.requireRawDevice(program, file, command);
        return program;
    }

    /** Checks the options, then loads the program, which must fit the heap and have no tasks. */
    Program loadProgram() {
        return loadProgram(false);
    }

    /** Checks the options, then loads the program, which must fit the heap; tasks only if {@code allowTasks}. */
    Program loadProgram(boolean allowTasks) {
        if (maxStates < 1) {
            throw new UsageException("--max-states must be at least 1, got " + maxStates);
        }
        return ProgramLoader.loadToRun(file, allowTasks);
    }

    /** The command line that reproduces a run with these options. */
    String reproduce(String command) {
        return "./daxfuzz " + command + " " + file + (maxStates != 100000 ? " --max-states " + maxStates : "");
    }
}
