package dev.daxfuzz.vm;

import static org.junit.jupiter.api.Assertions.assertDoesNotThrow;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class LockCheckerTest {

    @Test
    void theFaultPathOrderIsAccepted() {
        LockChecker c = new LockChecker();
        c.acquire(LockClass.MMAP_LOCK, false, "fault");
        c.acquire(LockClass.INVALIDATE_LOCK, false, "fault");
        c.acquire(LockClass.JBD2_HANDLE, false, "fault");
        c.release(LockClass.JBD2_HANDLE);
        // dax_finish_sync_fault: the handle is stopped, the commit may be waited for.
        assertDoesNotThrow(() -> c.waitFor(LockClass.JBD2_HANDLE, "dax_finish_sync_fault"));
        c.release(LockClass.INVALIDATE_LOCK);
        c.release(LockClass.MMAP_LOCK);
        assertTrue(c.held().isEmpty());
    }

    @Test
    void waitingForTheCommitWhileHoldingAHandleIsADeadlock() {
        LockChecker c = new LockChecker();
        c.acquire(LockClass.MMAP_LOCK, false, "fault");
        c.acquire(LockClass.JBD2_HANDLE, false, "fault handle");
        LockViolation v = assertThrows(LockViolation.class, () -> c.waitFor(LockClass.JBD2_HANDLE, "sync in fault"));
        assertEquals(LockViolation.Kind.DEADLOCK, v.kind());
        assertTrue(v.getMessage().contains("waits for the journal commit while holding a journal handle"), v.getMessage());
        assertTrue(String.join(" ", v.explanation()).contains("contradiction"));
    }

    @Test
    void nestedHandlesAreAllowedAsJbd2Does() {
        LockChecker c = new LockChecker();
        c.acquire(LockClass.JBD2_HANDLE, false, "outer");
        assertDoesNotThrow(() -> c.acquire(LockClass.JBD2_HANDLE, false, "inner"));
    }

    @Test
    void takingAnRwsemTwiceIsASelfDeadlock() {
        LockChecker c = new LockChecker();
        c.acquire(LockClass.MMAP_LOCK, false, "fault");
        LockViolation v = assertThrows(LockViolation.class, () -> c.acquire(LockClass.MMAP_LOCK, true, "mmap"));
        assertEquals(LockViolation.Kind.DEADLOCK, v.kind());
    }

    @Test
    void anInversionIsReportedEvenInOneTask() {
        LockChecker c = new LockChecker();
        c.acquire(LockClass.I_RWSEM, true, "truncate");
        c.acquire(LockClass.INVALIDATE_LOCK, true, "truncate");
        c.release(LockClass.INVALIDATE_LOCK);
        c.release(LockClass.I_RWSEM);
        c.acquire(LockClass.INVALIDATE_LOCK, false, "fault");
        LockViolation v = assertThrows(LockViolation.class, () -> c.acquire(LockClass.I_RWSEM, true, "bad path"));
        assertEquals(LockViolation.Kind.DEADLOCK, v.kind());
        assertTrue(v.getMessage().startsWith("lock inversion"), v.getMessage());
        assertTrue(String.join(" ", v.explanation()).contains("truncate"), "names where the first order was seen");
    }

    @Test
    void transitiveOrdersCount() {
        LockChecker c = new LockChecker();
        c.acquire(LockClass.MMAP_LOCK, false, "a");
        c.acquire(LockClass.INVALIDATE_LOCK, false, "a");
        c.release(LockClass.INVALIDATE_LOCK);
        c.release(LockClass.MMAP_LOCK);
        c.acquire(LockClass.INVALIDATE_LOCK, false, "b");
        c.acquire(LockClass.JBD2_HANDLE, false, "b");
        c.release(LockClass.JBD2_HANDLE);
        c.release(LockClass.INVALIDATE_LOCK);
        // MMAP -> INVALIDATE -> JBD2 seen; JBD2 then MMAP closes a cycle.
        c.acquire(LockClass.JBD2_HANDLE, false, "c");
        assertThrows(LockViolation.class, () -> c.acquire(LockClass.MMAP_LOCK, false, "c"));
    }

    @Test
    void releasingWhatIsNotHeldIsABugOfTheModel() {
        LockChecker c = new LockChecker();
        assertThrows(IllegalStateException.class, () -> c.release(LockClass.MMAP_LOCK));
        assertFalse(c.holds(LockClass.MMAP_LOCK));
    }
}
