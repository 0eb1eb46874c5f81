package dev.daxfuzz.program;

import dev.daxfuzz.pm.Persistency;
import java.util.List;

/**
 * The header of a program (spec §2). Every field has the spec's default when its line is absent.
 *
 * @param deviceBytes persistent-memory device size, a positive multiple of 4096
 * @param persistency ADR or eADR
 * @param fs {@code none}, {@code journal}, or the name of another file-system design
 * @param syncFault how a MAP_SYNC write fault makes dirty metadata durable
 * @param daxfile which immutable-file design backs {@code daxctl}
 * @param journalCommit how the {@code journal} design orders a commit record after its log
 *     (an extension of spec §2: header line {@code journal-commit sync} or {@code async})
 * @param bugs seeded bugs switched on, in the order given, without repeats
 * @param recoveryCrashes how many times in a row power may fail again while recovery runs
 *     (spec §8, header line {@code recovery-crashes N}), 0 to {@link #RECOVERY_CRASHES_MAX}
 * @param schedule for a program with tasks, the one schedule to run instead of exploring them all
 *     (header line {@code schedule SPEC}, a daxfuzz extension: {@code A*3,B,A} lets A run through
 *     three scheduling decisions, then B one, then A; the default choice after its end), or empty
 */
public record Header(long deviceBytes, Persistency persistency, String fs, SyncFault syncFault,
                     DaxfileDesign daxfile, JournalCommit journalCommit, List<String> bugs, int recoveryCrashes,
                     String schedule) {
    public static final long DEVICE_BYTES_DEFAULT = 1L << 20;
    /** Devices are whole 4 KiB pages. */
    public static final long DEVICE_ALIGN_BYTES = 4096;
    /** The largest device daxfuzz emulates (its images are Java arrays). */
    public static final long DEVICE_BYTES_MAX = 1L << 30;
    public static final String FS_NONE = "none";
    public static final String FS_JOURNAL = "journal";
    /** The designs this version runs: {@code fs} must name one of them. */
    public static final List<String> FS_DESIGNS = List.of(FS_NONE, FS_JOURNAL);
    /**
     * The smallest device the {@code journal} design formats: sixteen 4 KiB blocks, room for its
     * superblock, inode table, bitmap, journal and a few data blocks ({@code FsGeometry}).
     */
    public static final long JOURNAL_DEVICE_BYTES_MIN = 64 * 1024;
    /**
     * The most recovery crashes a program may ask for. Each level explores every crash point of
     * the recovery below it, so the cost multiplies per level; four is already far past what a
     * replay of a few transactions can distinguish.
     */
    public static final int RECOVERY_CRASHES_MAX = 4;

    public Header {
        if (deviceBytes <= 0 || deviceBytes % DEVICE_ALIGN_BYTES != 0 || deviceBytes > DEVICE_BYTES_MAX) {
            throw new IllegalArgumentException("bad device size " + deviceBytes);
        }
        bugs = List.copyOf(bugs);
        if (recoveryCrashes < 0 || recoveryCrashes > RECOVERY_CRASHES_MAX) {
            throw new IllegalArgumentException("bad recovery-crashes " + recoveryCrashes);
        }
        java.util.Objects.requireNonNull(schedule, "schedule");
    }

    /** A header without {@code schedule}: every schedule of the tasks is explored. */
    public Header(long deviceBytes, Persistency persistency, String fs, SyncFault syncFault,
                  DaxfileDesign daxfile, JournalCommit journalCommit, List<String> bugs, int recoveryCrashes) {
        this(deviceBytes, persistency, fs, syncFault, daxfile, journalCommit, bugs, recoveryCrashes, "");
    }

    /** A header without {@code recovery-crashes} (it defaults to 0). */
    public Header(long deviceBytes, Persistency persistency, String fs, SyncFault syncFault,
                  DaxfileDesign daxfile, JournalCommit journalCommit, List<String> bugs) {
        this(deviceBytes, persistency, fs, syncFault, daxfile, journalCommit, bugs, 0);
    }

    /** The header of a program with no header lines. */
    public static Header defaults() {
        return new Header(DEVICE_BYTES_DEFAULT, Persistency.ADR, FS_JOURNAL, SyncFault.FSYNC_BEFORE_PTE,
                DaxfileDesign.SEALED, JournalCommit.SYNC, List.of());
    }

    /** True for {@code fs none}: a raw device, processor instructions only. */
    public boolean rawDevice() {
        return fs.equals(FS_NONE);
    }

    public Header withDeviceBytes(long v) {
        return new Header(v, persistency, fs, syncFault, daxfile, journalCommit, bugs, recoveryCrashes, schedule);
    }

    public Header withPersistency(Persistency v) {
        return new Header(deviceBytes, v, fs, syncFault, daxfile, journalCommit, bugs, recoveryCrashes, schedule);
    }

    public Header withFs(String v) {
        return new Header(deviceBytes, persistency, v, syncFault, daxfile, journalCommit, bugs, recoveryCrashes, schedule);
    }

    public Header withSyncFault(SyncFault v) {
        return new Header(deviceBytes, persistency, fs, v, daxfile, journalCommit, bugs, recoveryCrashes, schedule);
    }

    public Header withDaxfile(DaxfileDesign v) {
        return new Header(deviceBytes, persistency, fs, syncFault, v, journalCommit, bugs, recoveryCrashes, schedule);
    }

    public Header withBugs(List<String> v) {
        return new Header(deviceBytes, persistency, fs, syncFault, daxfile, journalCommit, v, recoveryCrashes, schedule);
    }

    public Header withRecoveryCrashes(int v) {
        return new Header(deviceBytes, persistency, fs, syncFault, daxfile, journalCommit, bugs, v, schedule);
    }

    public Header withSchedule(String v) {
        return new Header(deviceBytes, persistency, fs, syncFault, daxfile, journalCommit, bugs, recoveryCrashes, v);
    }

    public Header withJournalCommit(JournalCommit v) {
        return new Header(deviceBytes, persistency, fs, syncFault, daxfile, v, bugs, recoveryCrashes, schedule);
    }

    /**
     * How the journal orders a commit record after the transaction's log lines, after jbd2's two
     * modes ({@code Documentation/filesystems/ext4/journal.rst}): without {@code ASYNC_COMMIT}
     * the commit block is written only once the log blocks are durable; with it (ext4's
     * {@code journal_async_commit}) log and commit go out together and recovery relies on the
     * commit checksum to reject a transaction whose log blocks did not all persist.
     */
    public enum JournalCommit implements Keyword {
        /** Log lines, fence, commit record, fence (jbd2's default). */
        SYNC("sync"),
        /** Ordered data fenced first, then log lines and commit record together, one fence. */
        ASYNC("async");

        private final String keyword;

        JournalCommit(String keyword) {
            this.keyword = keyword;
        }

        @Override
        public String keyword() {
            return keyword;
        }
    }

    /** How a MAP_SYNC write fault makes dirty metadata durable (spec §2). */
    public enum SyncFault implements Keyword {
        /** As merged in Linux 4.15: sync before the writable PTE is installed. */
        FSYNC_BEFORE_PTE("fsync-before-pte"),
        /** As proposed in the 2017 daxfile thread: drop mmap_lock, sync, retake, VM_FAULT_RETRY. */
        DROP_LOCK_RETRY("drop-lock-retry");

        private final String keyword;

        SyncFault(String keyword) {
            this.keyword = keyword;
        }

        @Override
        public String keyword() {
            return keyword;
        }
    }

    /** The immutable-file design behind {@code daxctl} (spec §2). */
    public enum DaxfileDesign implements Keyword {
        /** The hardened design: full allocation checked, unwritten extents zeroed, flag persisted. */
        SEALED("sealed"),
        /** As posted in June 2017: in-memory flag, pinned file, no metadata sync. */
        RFC_V1("rfc-v1");

        private final String keyword;

        DaxfileDesign(String keyword) {
            this.keyword = keyword;
        }

        @Override
        public String keyword() {
            return keyword;
        }
    }
}
