package dev.daxfuzz.cli;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.AccessDeniedException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;

/**
 * Reads the files the command line is given, refusing at once what cannot be an input: a missing
 * file, a directory, anything that is not a regular file ({@code /dev/zero}, {@code /dev/urandom},
 * a FIFO, a socket), and a file larger than its kind's stated limit. Every command reads its
 * inputs here, so a problem is worded the same everywhere ({@code FILE: no such file}, …) and is a
 * usage error (exit 2), never a read that runs forever or an {@code OutOfMemoryError}.
 *
 * <p>The limits are checked on the bytes actually read, not on a size asked for beforehand: at
 * most limit + 1 bytes are read, so a file that grows while it is read cannot get past them.
 */
final class InputFiles {
    /**
     * The largest {@code .dxp} program: 16 MiB. Room for a {@code hex:} literal of the largest
     * file of the journal design (4 MiB, 8 Mi hex digits) twice over; hand-written programs and
     * the fuzzers' reproducers are kilobytes. A program this size parses in well under a second.
     */
    static final long PROGRAM_BYTES_MAX = 16L << 20;
    /**
     * The largest raw fuzzer input: 1 MiB, libFuzzer's own ceiling ({@code kMaxSaneLen = 1 << 20}:
     * it never produces a longer input, whatever {@code -max_len} says).
     */
    static final long RAW_INPUT_BYTES_MAX = 1L << 20;

    private InputFiles() {
    }

    /** The bytes of a {@code .dxp} program. */
    static byte[] readProgram(Path file) {
        return read(file, PROGRAM_BYTES_MAX, "a .dxp program");
    }

    /** The bytes of a raw fuzzer input. */
    static byte[] readRawInput(Path file) {
        return read(file, RAW_INPUT_BYTES_MAX, "a raw fuzzer input");
    }

    /**
     * Reads {@code file} whole, refusing it as described above; {@code what} names the kind of
     * input for the message.
     */
    static byte[] read(Path file, long limit, String what) {
        if (Files.isDirectory(file)) {
            throw new UsageException(file + ": is a directory, expected " + what);
        }
        if (!Files.exists(file)) {
            throw new UsageException(file + ": no such file");
        }
        if (!Files.isRegularFile(file)) {
            throw new UsageException(file + ": not a regular file (a device, FIFO or socket), expected " + what);
        }
        byte[] bytes;
        try (InputStream in = Files.newInputStream(file)) {
            bytes = in.readNBytes((int) Math.min(Integer.MAX_VALUE - 8, limit + 1));
        } catch (NoSuchFileException e) {
            throw new UsageException(file + ": no such file");
        } catch (AccessDeniedException e) {
            throw new UsageException(file + ": cannot read: permission denied");
        } catch (IOException e) {
            throw new UsageException(file + ": cannot read: " + e.getMessage());
        }
        if (bytes.length > limit) {
            throw new UsageException(file + ": larger than " + size(limit) + ", the limit for " + what);
        }
        return bytes;
    }

    /** {@code bytes} as a whole number of MiB or KiB when it is one, else in bytes. */
    static String size(long bytes) {
        if (bytes % (1L << 20) == 0) {
            return (bytes >> 20) + " MiB";
        }
        if (bytes % 1024 == 0) {
            return (bytes >> 10) + " KiB";
        }
        return bytes + " bytes";
    }
}
