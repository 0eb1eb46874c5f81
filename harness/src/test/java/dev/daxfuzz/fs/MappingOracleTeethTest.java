package dev.daxfuzz.fs;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.daxfuzz.oracle.ViolationKind;
import dev.daxfuzz.run.FsRunner;
import java.util.Set;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;

/**
 * The mapping and daxfile oracles have teeth: each deliberately broken variant of the fault path
 * or of daxctl is caught with the violation kind it deserves, while the same program on the
 * correct design is clean. Also records what daxfuzz finds in the rfc-v1 daxfile design as posted.
 */
class MappingOracleTeethTest {
    private static final String[] MAP_SYNC_EXAMPLE = {"open f /a creat,rdwr", "truncate f 8K",
        "mmap m f 0 8K shared-validate,sync", "mstore m 4096 \"durable\"", "persist m 4096 7", "crash"};

    private static Set<ViolationKind> kinds(FsOptions options, String... lines) {
        FsRunner.Result r = FsScenarios.run(options, lines);
        Set<ViolationKind> k = new TreeSet<>();
        r.violations().forEach(f -> k.add(f.violation().kind()));
        return k;
    }

    private static FsOptions variant(FsOptions.Variant v) {
        return new FsOptions(0, Set.of(v));
    }

    @Test
    void theSpecExampleIsCleanWithBothSyncFaultDesigns() {
        FsScenarios.clean(MAP_SYNC_EXAMPLE);
        String[] retry = new String[MAP_SYNC_EXAMPLE.length + 1];
        retry[0] = "sync-fault drop-lock-retry";
        System.arraycopy(MAP_SYNC_EXAMPLE, 0, retry, 1, MAP_SYNC_EXAMPLE.length);
        FsScenarios.clean(retry);
    }

    @Test
    void aPteInstalledBeforeTheCommitLosesSyncedData() {
        Set<ViolationKind> k = kinds(variant(FsOptions.Variant.PTE_BEFORE_COMMIT), MAP_SYNC_EXAMPLE);
        assertTrue(k.contains(ViolationKind.LOST_SYNCED_DATA), k.toString());
    }

    @Test
    void theSameBugIsCaughtWithoutCrashStatementsAndUnderDropLockRetry() {
        String[] lines = {"sync-fault drop-lock-retry", "open f /a creat,rdwr", "fallocate f alloc 0 4K",
            "mmap m f 0 4K shared-validate,sync", "mstore m 0 \"durable\"", "persist m 0 7"};
        Set<ViolationKind> k = kinds(variant(FsOptions.Variant.PTE_BEFORE_COMMIT), lines);
        assertTrue(k.contains(ViolationKind.LOST_SYNCED_DATA), k.toString());
        FsScenarios.clean(lines);
    }

    @Test
    void waitingForTheCommitWithTheHandleHeldIsADeadlock() {
        Set<ViolationKind> k = kinds(variant(FsOptions.Variant.COMMIT_WHILE_HOLDING_HANDLE), MAP_SYNC_EXAMPLE);
        assertTrue(k.contains(ViolationKind.DEADLOCK), k.toString());
    }

    @Test
    void countingTimestampsAsDirtyMakesTheRetriedFaultLivelock() {
        String[] lines = new String[MAP_SYNC_EXAMPLE.length + 1];
        lines[0] = "sync-fault drop-lock-retry";
        System.arraycopy(MAP_SYNC_EXAMPLE, 0, lines, 1, MAP_SYNC_EXAMPLE.length);
        Set<ViolationKind> k = kinds(variant(FsOptions.Variant.RETRY_DIRTY_ON_MTIME), lines);
        assertTrue(k.contains(ViolationKind.LIVELOCK), k.toString());
        // Under fsync-before-pte the same mistake only costs commits.
        FsScenarios.clean(variant(FsOptions.Variant.RETRY_DIRTY_ON_MTIME), MAP_SYNC_EXAMPLE);
    }

    @Test
    void daxctlWithoutTheCapabilityIsAPrivilegeViolation() {
        String[] lines = {"open f /a creat,rdwr", "write f 0 fill:0x11*4K", "cred drop CAP_LINUX_IMMUTABLE",
            "daxctl /a static"};
        Set<ViolationKind> k = kinds(variant(FsOptions.Variant.DAXFILE_NO_CAP_CHECK), lines);
        assertTrue(k.contains(ViolationKind.PRIVILEGE), k.toString());
        FsScenarios.clean(lines);
    }

    @Test
    void aStaticFileChangeStoppedByALaterCheckIsStillAnImmutabilityViolation() {
        // Found by a campaign: with the static check skipped, a truncate or fallocate past the
        // size limit fails with EFBIG instead of EPERM; that is the same skipped check as an
        // accepted punch, so it must sign as the same finding.
        for (String change : new String[] {"truncate f 12M", "fallocate f zero 0xffffff 16777215",
            "fallocate f punch 0 4K"}) {
            String[] lines = {"device 64K", "open f /a creat,rdwr", "daxctl /a static", change};
            Set<ViolationKind> k = kinds(variant(FsOptions.Variant.DAXFILE_ALLOWS_TRUNCATE), lines);
            assertEquals(Set.of(ViolationKind.IMMUTABLE_VIOLATED), k, change);
            FsScenarios.clean(lines);
        }
    }

    @Test
    void aClearThatKeepsThePinLeaksTheInode() {
        String[] lines = {"daxfile rfc-v1", "open f /a creat,rdwr", "write f 0 fill:0x11*4K", "daxctl /a static",
            "daxctl /a clear", "close f"};
        Set<ViolationKind> k = kinds(variant(FsOptions.Variant.DAXFILE_CLEAR_KEEPS_REF), lines);
        assertTrue(k.contains(ViolationKind.LEAK), k.toString());
        FsScenarios.clean(lines);
    }

    // ---- the rfc-v1 design as posted in June 2017 --------------------------------------------------

    /**
     * The finding the issue predicted: a freshly fallocated rfc-v1 daxfile, written through a
     * mapping and flushed, loses the data at power failure. Neither the fallocate nor the fault's
     * unwritten-to-written conversion is ever committed, because v1 syncs no metadata; and the
     * conversion itself changes the block map the flag claims is frozen.
     */
    @Test
    void rfcV1LosesDataWrittenThroughAMappingOfAFreshlyFallocatedDaxfile() {
        String[] lines = {"daxfile rfc-v1", "open f /a creat,rdwr", "fallocate f alloc 0 4K", "daxctl /a static",
            "mmap m f 0 4K shared", "mstore m 0 \"durable\"", "persist m 0 7", "crash"};
        Set<ViolationKind> k = kinds(FsOptions.DEFAULT, lines);
        assertTrue(k.contains(ViolationKind.LOST_SYNCED_DATA), k.toString());
        assertTrue(k.contains(ViolationKind.IMMUTABLE_VIOLATED), k.toString());
        // The sealed design converts, zeroes and commits at daxctl: the same program is clean.
        String[] sealed = lines.clone();
        sealed[0] = "daxfile sealed";
        FsScenarios.clean(sealed);
    }

    @Test
    void rfcV1LetsAnExtendingWriteChangeTheFrozenBlockMap() {
        String[] lines = {"daxfile rfc-v1", "open f /a creat,rdwr", "write f 0 fill:0x11*4K", "fsync f",
            "daxctl /a static", "write f 4096 \"more\""};
        Set<ViolationKind> k = kinds(FsOptions.DEFAULT, lines);
        assertTrue(k.contains(ViolationKind.IMMUTABLE_VIOLATED), k.toString());
    }

    @Test
    void rfcV1LosesDataEvenWhenTheFileWasFsyncedBeforeDaxctl() {
        // fsync commits the fallocate, but the extent is still unwritten: the fault converts it in
        // a transaction nobody commits, and recovery reads the block as zeros.
        String[] lines = {"daxfile rfc-v1", "open f /a creat,rdwr", "fallocate f alloc 0 4K", "fsync f",
            "daxctl /a static", "mmap m f 0 4K shared", "mstore m 0 \"durable\"", "persist m 0 7", "crash"};
        Set<ViolationKind> k = kinds(FsOptions.DEFAULT, lines);
        assertTrue(k.contains(ViolationKind.LOST_SYNCED_DATA), k.toString());
    }
}
