package dev.daxfuzz.fuzzing;

import dev.daxfuzz.fs.FsCorruption;
import dev.daxfuzz.fs.FsGeometry;
import dev.daxfuzz.fs.Fsck;
import dev.daxfuzz.fs.JournalFs;
import dev.daxfuzz.fs.Recovery;
import dev.daxfuzz.oracle.CrashChecker;
import dev.daxfuzz.pm.ByteImage;
import dev.daxfuzz.pm.Persistency;
import dev.daxfuzz.pm.PersistentMemory;
import dev.daxfuzz.pm.PmOptions;
import dev.daxfuzz.program.Op;
import dev.daxfuzz.program.Program;
import dev.daxfuzz.run.SyscallDispatch;
import java.util.List;

/**
 * The {@code Recovery} fuzz target's harness: mount an arbitrarily corrupted image and check that
 * recovery, fsck and namespace extraction end cleanly (a mounted file system or a reasoned
 * failure), never with another exception. Images start real: each input picks one of a few
 * images left by running seed programs (journal mid-log, committed but not checkpointed
 * transactions, orphans), then applies the input's mutations, mostly to the metadata regions and
 * the journal where recovery reads. Hangs are the driver's to catch (recovery's scan is bounded by
 * the log size).
 *
 * <p>Input: byte 0 picks the base image; then triples (offset high, offset low, value): the
 * offset (16 bits, scaled into the metadata area, or into the whole device when the high bit of
 * the first byte is set) gets {@code value} XORed in.
 */
public final class RecoveryInput {
    private static final long DEVICE_BYTES = 256 * 1024;
    private static final String[][] SEEDS = {
        {"mkdir /d", "open f /d/a creat,rdwr", "write f 100 fill:0x41*9000", "link /d/a /b", "sync", "mkdir /d/e",
            "rename /b /d/e/c", "fsync f", "truncate f 10"},
        {"open f /a creat,rdwr", "write f 0 fill:0x42*5000", "fsync f", "unlink /a", "mkdir /x", "mkdir /x/y"},
        {"open f /a creat,rdwr", "fallocate f alloc 0 8K", "daxctl /a static", "open g /b creat,rdwr,dsync",
            "write g 0 \"hello\"", "rename /b /c"},
    };
    private static List<byte[]> images;
    private static FsGeometry geometry;

    private RecoveryInput() {
    }

    /** How a mount ended. */
    public enum Result { MOUNTED, FAILED_CLEANLY }

    /** Mounts the image {@code input} describes; throws only if recovery or fsck is broken. */
    public static Result mount(byte[] input) {
        List<byte[]> bases = bases();
        byte[] img = bases.get(input.length == 0 ? 0 : (input[0] & 0xff) % bases.size()).clone();
        int metaEnd = geometry.dataStart() * FsGeometry.BLOCK_BYTES;
        for (int i = 1; i + 2 < input.length; i += 3) {
            int hi = input[i] & 0xff;
            int off = ((hi & 0x7f) << 8) | (input[i + 1] & 0xff);
            int at = (hi & 0x80) != 0 ? (int) ((long) off * img.length >>> 15) : (int) ((long) off * metaEnd >>> 15);
            img[Math.min(img.length - 1, at)] ^= input[i + 2];
        }
        Recovery.Outcome o = Recovery.mount(new ByteImage(img), geometry);
        if (o instanceof Recovery.Mounted m) {
            Fsck.check(m.volume());
            try {
                CrashChecker.extract(m.volume());
            } catch (FsCorruption clean) {
                // a typed failure is a clean end
            }
            return Result.MOUNTED;
        }
        return Result.FAILED_CLEANLY;
    }

    private static synchronized List<byte[]> bases() {
        if (images == null) {
            geometry = FsGeometry.forDevice(DEVICE_BYTES, 1);
            java.util.ArrayList<byte[]> out = new java.util.ArrayList<>();
            for (String[] seed : SEEDS) {
                PersistentMemory pm = new PersistentMemory(PmOptions.of(DEVICE_BYTES, Persistency.ADR));
                JournalFs fs = JournalFs.format(pm, geometry);
                Program p = parse(seed);
                for (int i = 0; i < p.steps().size(); i++) {
                    Op op = p.steps().get(i).op();
                    SyscallDispatch.call(i, op, fs);
                    fs.endCall();
                }
                out.add(pm.memoryCopy());
            }
            images = List.copyOf(out);
        }
        return images;
    }

    private static Program parse(String[] lines) {
        try {
            return dev.daxfuzz.program.ProgramParser.parse("recovery-seed", String.join("\n", lines) + "\n");
        } catch (dev.daxfuzz.program.DxpSyntaxError e) {
            throw new IllegalStateException(e);
        }
    }
}
