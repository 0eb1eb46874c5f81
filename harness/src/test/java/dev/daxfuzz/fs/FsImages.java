package dev.daxfuzz.fs;

import dev.daxfuzz.run.SyscallDispatch;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;

import dev.daxfuzz.pm.ByteImage;
import dev.daxfuzz.pm.PersistentMemory;
import dev.daxfuzz.pm.PmOptions;
import dev.daxfuzz.pm.Persistency;
import dev.daxfuzz.program.Op;
import dev.daxfuzz.program.Program;

/** Builds file-system images by running statements, for tests that then crash or corrupt them. */
final class FsImages {
    final PersistentMemory pm;
    final FsGeometry geometry;
    final JournalFs fs;
    private int step;

    FsImages(long deviceBytes, int journalBlocks) {
        pm = new PersistentMemory(PmOptions.of(deviceBytes, Persistency.ADR));
        geometry = FsGeometry.forDevice(deviceBytes, journalBlocks);
        fs = JournalFs.format(pm, geometry);
    }

    /** Runs statements (fs calls only), each returning to user space. */
    FsImages run(String... lines) {
        Program p = FsScenarios.parse(lines);
        for (int i = 0; i < p.steps().size(); i++) {
            Op op = p.steps().get(i).op();
            SyscallDispatch.call(step++, op, fs);
            fs.endCall();
        }
        return this;
    }

    /** The image if every write that left the store buffer had persisted. */
    byte[] image() {
        return pm.memoryCopy();
    }

    Recovery.Mounted mount(byte[] image) {
        Recovery.Outcome o = Recovery.mount(new ByteImage(image), geometry);
        return assertInstanceOf(Recovery.Mounted.class, o, () -> "mount failed: " + o);
    }
}
