package dev.daxfuzz.fs;

import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.daxfuzz.oracle.CrashChecker;
import dev.daxfuzz.pm.ByteImage;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/**
 * Recovery, fsck and namespace extraction on thousands of randomly corrupted images (seeded): each
 * must end with a mounted file system or a clean failure, never another exception and never a
 * loop. Corruption targets the metadata regions and the journal, where the code reads most.
 */
class RecoveryRobustnessTest {
    @Test
    void corruptImagesNeverCrashRecoveryOrFsck() {
        FsImages f = new FsImages(256 * 1024, 1).run("mkdir /d", "open x /d/a creat,rdwr", "write x 100 fill:0x41*9000",
                "link /d/a /b", "sync", "mkdir /d/e", "rename /b /d/e/c", "fsync x", "truncate x 10");
        byte[] clean = f.image();
        FsGeometry g = f.geometry;
        int metaEnd = g.dataStart() * FsGeometry.BLOCK_BYTES;
        SplittableRandom r = new SplittableRandom(0xC0FFEE);
        int mounted = 0;
        int failed = 0;
        for (int run = 0; run < 3000; run++) {
            byte[] img = clean.clone();
            int flips = 1 + r.nextInt(8);
            for (int i = 0; i < flips; i++) {
                int at = r.nextInt(4) == 0 ? metaEnd + r.nextInt(img.length - metaEnd) : r.nextInt(metaEnd);
                img[at] = r.nextInt(3) == 0 ? (byte) r.nextInt(256) : (byte) (img[at] ^ (1 << r.nextInt(8)));
            }
            Recovery.Outcome o = Recovery.mount(new ByteImage(img), g);
            if (o instanceof Recovery.Mounted m) {
                mounted++;
                Fsck.check(m.volume());
                try {
                    CrashChecker.extract(m.volume());
                } catch (FsCorruption expected) {
                    // a clean, typed failure
                }
            } else {
                failed++;
            }
        }
        assertTrue(mounted > 100 && failed > 10, "both outcomes happen: mounted " + mounted + ", failed " + failed);
    }
}
