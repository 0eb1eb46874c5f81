package dev.daxfuzz.run;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.daxfuzz.oracle.ViolationKind;
import dev.daxfuzz.program.Program;
import dev.daxfuzz.program.ProgramParser;
import dev.daxfuzz.vm.TaskScheduler;
import org.junit.jupiter.api.Test;

/**
 * The design question of the 2017 thread's drop-lock-retry proposal: can a second task that keeps
 * dirtying the inode starve a retried MAP_SYNC fault? An adversary lets task B change the file's
 * size once between every two attempts of task A's fault: each attempt finds the inode dirty,
 * drops {@code mmap_lock}, syncs and returns VM_FAULT_RETRY again, until the retry bound calls it
 * a LIVELOCK. The merged design (fsync-before-pte) syncs under the lock and completes.
 */
class RetryStarvationTest {
    static String program(String design) {
        StringBuilder b = new StringBuilder("sync-fault " + design + "\nopen f /a creat,rdwr\ntruncate f 8K\n"
                + "mmap m f 0 8K shared-validate,sync\ntask A\nmstore m 0 u64:0x1111\ntask B\n");
        for (int i = 0; i < 20; i++) {
            b.append("truncate f ").append(i % 2 == 0 ? "12K" : "16K").append('\n');
        }
        return b.toString();
    }

    /** Runs B for one statement whenever A's fault is about to retry; otherwise lets the running task go on. */
    static TaskScheduler.Chooser adversary() {
        boolean[] bTurn = {false};
        return d -> {
            if (Boolean.getBoolean("daxfuzz.debugAdversary")) {
                System.out.println("DECISION " + d);
            }
            int a = 0;
            int b = 1;
            boolean aRuns = (d.runnable() & 1) != 0;
            boolean bRuns = (d.runnable() & 2) != 0;
            if (d.current() == a && d.where().endsWith(": page fault retry") && bRuns) {
                bTurn[0] = true;
                return b;
            }
            if (d.current() == b && bTurn[0] && d.where().endsWith(" ends") && aRuns) {
                bTurn[0] = false;
                return a;
            }
            return d.candidates()[0];
        };
    }

    @Test
    void aTaskThatKeepsChangingTheSizeStarvesTheRetriedFaultOfDropLockRetry() throws Exception {
        Program p = ProgramParser.parse("starve.dxp", program("drop-lock-retry"));
        TaskRunner.Result r = TaskRunner.runOne(p, adversary());
        assertEquals(1, r.violations().size(), r.violations().toString());
        assertEquals(ViolationKind.LIVELOCK, r.violations().get(0).violation().kind());
        String why = String.join(" ", r.violations().get(0).violation().argument());
        assertTrue(why.contains("add the header line `schedule "), why);
        System.out.println("RetryStarvationTest: " + why.substring(why.indexOf("`schedule ")));
    }

    @Test
    void theMergedDesignCompletesUnderTheSameAdversary() throws Exception {
        Program p = ProgramParser.parse("starve.dxp", program("fsync-before-pte"));
        TaskRunner.Result r = TaskRunner.runOne(p, adversary());
        assertEquals(0, r.violations().size(), r.violations().toString());
    }
}
