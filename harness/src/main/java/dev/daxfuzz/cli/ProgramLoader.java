package dev.daxfuzz.cli;

import dev.daxfuzz.program.DxpSyntaxError;
import dev.daxfuzz.program.Header;
import dev.daxfuzz.program.Program;
import dev.daxfuzz.program.ProgramParser;
import dev.daxfuzz.program.Step;
import java.nio.file.Path;
import java.util.Optional;

/**
 * Reads ({@link InputFiles}) and parses a {@code .dxp} file, turning every failure into a
 * {@link UsageException}; {@link #loadToRun} also refuses a program that cannot fit the heap
 * ({@link HeapBudget}).
 */
final class ProgramLoader {
    private ProgramLoader() {
    }

    /** The program in {@code file}, parsed and validated; a program with tasks is refused. */
    static Program load(Path file) {
        return parse(file, false).program();
    }

    /** The program in {@code file}, parsed and validated, with tasks if it has them. */
    static Program loadWithTasks(Path file) {
        return parse(file, true).program();
    }

    /** The program in {@code file}, which must also fit this JVM's heap; a program with tasks is refused. */
    static Program loadToRun(Path file) {
        return loadToRun(file, false);
    }

    /**
     * The program in {@code file}, which must also fit this JVM's heap; with tasks only if
     * {@code allowTasks} (the command runs their schedules).
     */
    static Program loadToRun(Path file, boolean allowTasks) {
        ProgramParser.Parsed parsed = parse(file, allowTasks);
        HeapBudget.requireFits(parsed.program(), file.toString(),
                Optional.ofNullable(parsed.headerArguments().get("device")), Runtime.getRuntime().maxMemory(), false);
        return parsed.program();
    }

    private static ProgramParser.Parsed parse(Path file, boolean allowTasks) {
        byte[] bytes = InputFiles.readProgram(file);
        ProgramParser.Parsed parsed;
        try {
            parsed = ProgramParser.parse(file.toString(), bytes);
        } catch (DxpSyntaxError e) {
            throw new UsageException(e.getMessage());
        }
        Program p = parsed.program();
        if (p.hasTasks() && !allowTasks) {
            // Run in file order, a task program would be one schedule of many, and a clean result
            // would claim more than was checked: only commands that explore schedules take it.
            Step first = p.stepsOf(p.tasks().get(0)).get(0);
            throw new UsageException(file + ":" + first.pos().line() + ": task " + p.tasks().get(0)
                    + ": this command does not run the schedules of tasks yet; `daxfuzz explore` does");
        }
        return parsed;
    }

    /** Refuses programs with a file system: {@code outcomes} observes raw device bytes. */
    static void requireRawDevice(Program program, Path file, String command) {
        if (!program.header().rawDevice()) {
            throw new UsageException(file + ": `" + command + "` observes raw device addresses and needs `fs none`;"
                    + " this program has `fs " + program.header().fs() + "` (use `daxfuzz explore` for it)");
        }
    }

    /**
     * Refuses a file-system design other than {@code journal}. The parser already refuses names
     * it does not know (at the {@code fs} line); this guards programs built in code.
     */
    static void requireSupportedFileSystemProgram(Program program, Path file) {
        if (!program.header().fs().equals(Header.FS_JOURNAL)) {
            throw new UsageException(file + ": unknown file-system design `fs " + program.header().fs()
                    + "`; known designs: none, journal");
        }
    }
}
