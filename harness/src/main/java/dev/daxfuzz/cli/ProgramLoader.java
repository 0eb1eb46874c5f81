package dev.daxfuzz.cli;

import dev.daxfuzz.program.DxpSyntaxError;
import dev.daxfuzz.program.Header;
import dev.daxfuzz.program.Op;
import dev.daxfuzz.program.Program;
import dev.daxfuzz.program.ProgramParser;
import dev.daxfuzz.program.Step;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;

/** Reads and parses a {@code .dxp} file, turning every failure into a {@link UsageException}. */
final class ProgramLoader {
    private ProgramLoader() {
    }

    static Program load(Path file) {
        if (Files.isDirectory(file)) {
            throw new UsageException(file + ": is a directory, expected a .dxp program");
        }
        try {
            return ProgramParser.parse(file);
        } catch (DxpSyntaxError e) {
            throw new UsageException(e.getMessage());
        } catch (NoSuchFileException e) {
            throw new UsageException(file + ": no such file");
        } catch (IOException e) {
            throw new UsageException(file + ": cannot read: " + e.getMessage());
        }
    }

    /** Refuses programs with a file system: {@code outcomes} observes raw device bytes. */
    static void requireRawDevice(Program program, Path file, String command) {
        if (!program.header().rawDevice()) {
            throw new UsageException(file + ": `" + command + "` observes raw device addresses and needs `fs none`;"
                    + " this program has `fs " + program.header().fs() + "` (use `daxfuzz explore` for it)");
        }
    }

    /**
     * Refuses what this version cannot run yet on a file system: other designs than
     * {@code journal}, and seeded bugs. Names the first offending line.
     */
    static void requireSupportedFileSystemProgram(Program program, Path file) {
        if (!program.header().fs().equals(Header.FS_JOURNAL)) {
            throw new UsageException(file + ": unknown file-system design `fs " + program.header().fs()
                    + "`; known designs: none, journal");
        }
    }
}
