package dev.daxfuzz.cli;

import dev.daxfuzz.program.DxpSyntaxError;
import dev.daxfuzz.program.Program;
import dev.daxfuzz.program.ProgramParser;
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

    /** Refuses programs that need a file system, which this version does not model yet. */
    static void requireRawDevice(Program program, Path file, String command) {
        if (!program.header().rawDevice()) {
            throw new UsageException(file + ": `fs " + program.header().fs() + "` needs the DAX file-system model,"
                    + " which this version of daxfuzz does not have yet; `" + command
                    + "` runs `fs none` programs (processor instructions on the raw device) today");
        }
    }
}
