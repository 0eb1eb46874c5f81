package dev.daxfuzz.fs;

import dev.daxfuzz.pm.*;
import dev.daxfuzz.program.*;
import java.util.*;
import org.junit.jupiter.api.Test;

class ScratchFsTest {
    @Test
    void smoke() throws Exception {
        Program p = ProgramParser.parse("x.dxp", String.join("\n",
            "mkdir /d", "open f /d/a creat,rdwr", "write f 0 \"hello world\"", "fsync f", "rename /d/a /d/b", "unlink /d/b", "close f", "sync"));
        PersistentMemory pm = new PersistentMemory(PmOptions.of(1 << 20, Persistency.ADR));
        FsGeometry g = FsGeometry.forDevice(1 << 20, 0);
        JournalFs fs = JournalFs.format(pm, g);
        for (int i = 0; i < p.steps().size(); i++) {
            CallResult r = fs.call(i, p.steps().get(i).op());
            CrashPoint cp = pm.crashPoint();
            Map<String, Integer> outcomes = new TreeMap<>();
            EnumerationResult e = cp.enumerate(100000, null, s -> {
                Recovery.Outcome o = Recovery.mount(s.image(), g);
                String key;
                if (o instanceof Recovery.Mounted m) {
                    List<Fsck.Problem> probs = Fsck.check(m.volume());
                    key = "mounted replayed=" + m.log().transactionsReplayed() + " fsck=" + probs + " root=" + m.volume().entries(1);
                } else {
                    key = "FAILED " + ((Recovery.Failed) o).reason();
                }
                outcomes.merge(key, 1, Integer::sum);
                return true;
            });
            fs.endCall();
            System.out.println("step " + i + " " + p.steps().get(i).op().keyword() + " -> " + r + " states=" + e.states() + " trunc=" + e.truncated());
            outcomes.forEach((k, v) -> System.out.println("   " + v + "x " + k));
        }
    }
}
