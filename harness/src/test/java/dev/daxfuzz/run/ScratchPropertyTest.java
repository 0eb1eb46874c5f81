package dev.daxfuzz.run;

import dev.daxfuzz.fs.*;
import dev.daxfuzz.oracle.ViolationReport;
import dev.daxfuzz.program.*;
import dev.daxfuzz.pm.*;
import java.util.*;
import org.junit.jupiter.api.Test;

class ScratchPropertyTest {
    @Test
    void run() {
        SplittableRandom r = new SplittableRandom(7);
        Map<String, Integer> kinds = new TreeMap<>();
        Map<String, Integer> results = new TreeMap<>();
        long states = 0, points = 0, trunc = 0, covered = 0;
        int shown = 0;
        long t0 = System.nanoTime();
        for (int i = 0; i < 1000; i++) {
            Program p = RandomFsPrograms.generate(r, 4 + r.nextInt(8));
            // results census on a plain run
            PersistentMemory pm = new PersistentMemory(PmOptions.of(p.header().deviceBytes(), p.header().persistency()));
            JournalFs fs = JournalFs.format(pm, FsGeometry.forDevice(p.header().deviceBytes(), 0));
            for (int k = 0; k < p.steps().size(); k++) {
                Op op = p.steps().get(k).op();
                if (op instanceof Op.Crash || op instanceof Op.Fence) continue;
                CallResult cr = fs.call(k, op); fs.endCall();
                String key = op.keyword() + "=" + (cr instanceof CallResult.Failed f ? f.errno() : "ok");
                results.merge(key, 1, Integer::sum);
            }
            FsRunner.Result res = FsRunner.run(p, 2000, (v, n) -> true);
            states += res.crashStates(); points += res.crashPoints(); trunc += res.truncatedAt().size();
            if (!res.truncatedAt().isEmpty()) { kinds.merge("TRUNC-" + p.header().persistency(), res.truncatedAt().size(), Integer::sum);
               if (p.header().persistency() == Persistency.ADR && shown < 3) { shown++; System.out.println("TRUNC ADR program " + i + " at " + res.truncatedAt() + "\n" + ProgramPrinter.print(p)); } } covered += Math.min(res.imagesCovered(), 1L<<40);
            for (FsRunner.Found f : res.violations()) {
                kinds.merge(f.violation().kind().toString(), 1, Integer::sum);
                if (shown < 4) {
                    shown++;
                    System.out.println("==== program " + i + "\n" + ProgramPrinter.print(p));
                    System.out.println(new ViolationReport(p, FsGeometry.forDevice(p.header().deviceBytes(), 0), "x").render(f.violation(), 1, f.states()));
                }
            }
        }
        System.out.println("KINDS " + kinds + " states=" + states + " points=" + points + " truncated=" + trunc + " covered=" + covered + " secs=" + (System.nanoTime()-t0)/1e9);
        System.out.println("RESULTS " + results);
    }
}
