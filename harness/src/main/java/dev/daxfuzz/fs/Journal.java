package dev.daxfuzz.fs;

import dev.daxfuzz.fs.layout.JournalFormat;
import dev.daxfuzz.pm.PersistentMemory;
import it.unimi.dsi.fastutil.longs.Long2ObjectAVLTreeMap;
import it.unimi.dsi.fastutil.longs.Long2ObjectMap;
import it.unimi.dsi.fastutil.longs.LongAVLTreeSet;
import it.unimi.dsi.fastutil.longs.LongIterator;
import java.util.zip.CRC32C;

/**
 * The redo journal of the {@code journal} design, after jbd2: metadata changes join the running
 * transaction as dirty cache lines; a commit writes a descriptor-tagged copy of every dirty line
 * to the circular log, fences, writes a checksummed commit record and fences again; a checkpoint
 * later writes the committed lines home, fences, and advances the journal superblock's start
 * (one atomic 8-byte word), which retires them.
 *
 * <p>With {@code journal-commit async} (jbd2's {@code ASYNC_COMMIT}), a commit first fences the
 * ordered data, then writes log and commit record together and fences once: fewer fences, and
 * recovery's commit checksum is what rejects a transaction whose log did not fully persist.
 *
 * <p>One running transaction, and a commit that runs to completion before any new handle starts,
 * so at most one transaction is ever committing. Log and home writes use non-temporal stores of
 * whole lines, as the pmem driver's {@code memcpy_flushcache} does for block I/O; each fence is an
 * sfence, as the driver's REQ_PREFLUSH/REQ_FUA handling issues.
 *
 * <p>Commit policy: fsync, fdatasync and sync commit what they need; a transaction also commits
 * when it would fill more than half the log, and after every {@link #COMMIT_INTERVAL_CALLS}
 * calls that changed metadata (kjournald's 5-second timer, counted in calls so that runs are
 * deterministic). Checkpoints happen when the log has no room for the next transaction.
 */
final class Journal {
    /** Calls between timer commits. */
    static final int COMMIT_INTERVAL_CALLS = 4;
    private static final int CPU = 0;

    private final PersistentMemory pm;
    private final FsGeometry geometry;
    private final MetaCache cache;
    private final Runnable onCheckpoint;
    private final int capacity;
    private final FsOptions options;

    /** Home lines dirtied by the running transaction. */
    private final LongAVLTreeSet running = new LongAVLTreeSet();
    /** Committed content of lines not yet written home, by home line. */
    private final Long2ObjectAVLTreeMap<byte[]> unchecked = new Long2ObjectAVLTreeMap<>();
    /** Sequence number of the running transaction. */
    private long runningSeq;
    private int head;
    private int used;
    private int callsSinceCommit;
    /** Where commits, checkpoints and wraps are counted (never read here). */
    FsStats stats = new FsStats();

    Journal(PersistentMemory pm, FsGeometry geometry, MetaCache cache, int startLine, long startSeq,
            Runnable onCheckpoint, FsOptions options) {
        this.pm = pm;
        this.options = options;
        this.geometry = geometry;
        this.cache = cache;
        this.onCheckpoint = onCheckpoint;
        this.capacity = geometry.journalLines() - 1;
        this.head = startLine;
        this.runningSeq = startSeq;
    }

    long runningSequence() {
        return runningSeq;
    }

    boolean runningEmpty() {
        return running.isEmpty();
    }

    private Runnable beforeDirty = () -> { };

    /** Runs before every change joins the running transaction (the caller starts its handle there). */
    void onDirty(Runnable r) {
        this.beforeDirty = r;
    }

    /** Marks the lines holding bytes [off, off+len) of block {@code block} dirty. */
    void dirty(int block, int off, int len) {
        beforeDirty.run();
        long first = (long) block * FsGeometry.LINES_PER_BLOCK + off / FsGeometry.LINE_BYTES;
        long last = (long) block * FsGeometry.LINES_PER_BLOCK + (off + len - 1) / FsGeometry.LINE_BYTES;
        for (long l = first; l <= last; l++) {
            running.add(l);
        }
    }

    /** Log lines a transaction of {@code lines} dirty lines takes, descriptors and commit included. */
    static int logLines(int lines) {
        int descriptors = (lines + JournalFormat.TAGS_PER_DESCRIPTOR - 1) / JournalFormat.TAGS_PER_DESCRIPTOR;
        return descriptors + lines + 1;
    }

    /** The end of a call that changed metadata: commit when the timer or the log size says so. */
    /** Runs before every commit: in racing executions, the wait for the other tasks' handles. */
    private Runnable beforeCommit = () -> { };

    void beforeCommit(Runnable r) {
        beforeCommit = r;
    }

    void endOfCall(int step) {
        if (running.isEmpty()) {
            return;
        }
        if (options.has(FsOptions.Variant.NO_JOURNAL)) {
            writeHomeInPlace(step);
            return;
        }
        if (options.has(FsOptions.Variant.INPLACE_BEFORE_COMMIT)) {
            // The Chipmunk lesson: the home copy is updated as the call finishes, with the
            // transaction that makes the change atomic still running.
            writeHome(step);
        }
        callsSinceCommit++;
        if (callsSinceCommit >= COMMIT_INTERVAL_CALLS || logLines(running.size()) > capacity / 2) {
            commit(step);
        }
    }

    /** The broken NO_JOURNAL variant: the dirty lines go home directly, in address order, unfenced. */
    private void writeHomeInPlace(int step) {
        writeHome(step);
        running.clear();
        runningSeq++;
    }

    /** Writes the running transaction's lines home, unfenced (only broken variants do this). */
    private void writeHome(int step) {
        LongIterator it = running.iterator();
        while (it.hasNext()) {
            long line = it.nextLong();
            byte[] content = lineContent(line);
            pm.ntStore(CPU, line * FsGeometry.LINE_BYTES, content, 0, content.length, Site.IN_PLACE.at(step));
        }
    }

    /** Commits the running transaction (nothing when it is empty). */
    void commit(int step) {
        callsSinceCommit = 0;
        if (running.isEmpty()) {
            return;
        }
        beforeCommit.run();
        if (running.isEmpty()) {
            // Another task committed the transaction while this one waited.
            return;
        }
        if (options.has(FsOptions.Variant.NO_JOURNAL)) {
            writeHomeInPlace(step);
            return;
        }
        int n = running.size();
        int needed = logLines(n);
        if (needed > capacity) {
            throw new IllegalStateException("transaction of " + n + " lines exceeds the journal");
        }
        if (needed > capacity - used) {
            checkpoint(step);
        }
        long[] homes = new long[n];
        byte[][] contents = new byte[n][];
        LongIterator it = running.iterator();
        for (int i = 0; i < n; i++) {
            homes[i] = it.nextLong();
            contents[i] = lineContent(homes[i]);
        }
        boolean async = options.journalCommit() == dev.daxfuzz.program.Header.JournalCommit.ASYNC;
        if (async) {
            // jbd2 waits for the ordered data before the log goes out; the log itself is unfenced.
            pm.sfence(CPU, Site.JOURNAL_DATA_FENCE.at(step));
        }
        CRC32C crc = new CRC32C();
        int pos = head;
        for (int from = 0; from < n; from += JournalFormat.TAGS_PER_DESCRIPTOR) {
            int count = Math.min(JournalFormat.TAGS_PER_DESCRIPTOR, n - from);
            byte[] desc = JournalFormat.descriptor(runningSeq, homes, from, count);
            pos = writeLog(pos, desc, crc, step);
            for (int i = from; i < from + count; i++) {
                pos = writeLog(pos, contents[i], crc, step);
            }
        }
        if (!async && !options.has(FsOptions.Variant.DROP_LOG_FENCE)) {
            pm.sfence(CPU, Site.JOURNAL_LOG_FENCE.at(step));
        }
        byte[] commit = JournalFormat.commit(runningSeq, needed - 1, (int) crc.getValue());
        pm.ntStore(CPU, geometry.journalLineAddr(pos), commit, 0, commit.length, Site.JOURNAL_COMMIT.at(step));
        pos = next(pos);
        pm.sfence(CPU, Site.JOURNAL_COMMIT_FENCE.at(step));
        for (int i = 0; i < n; i++) {
            unchecked.put(homes[i], contents[i]);
        }
        head = pos;
        used += needed;
        runningSeq++;
        running.clear();
        stats.commits++;
    }

    private int writeLog(int pos, byte[] line, CRC32C crc, int step) {
        crc.update(line, 0, line.length);
        pm.ntStore(CPU, geometry.journalLineAddr(pos), line, 0, line.length, Site.JOURNAL_LOG.at(step));
        return next(pos);
    }

    private int next(int pos) {
        if (pos + 1 == geometry.journalLines()) {
            stats.logWraps++;
            return 1;
        }
        return pos + 1;
    }

    /** Writes every committed line home, then retires the log up to the head. */
    void checkpoint(int step) {
        if (!unchecked.isEmpty()) {
            for (Long2ObjectMap.Entry<byte[]> e : unchecked.long2ObjectEntrySet()) {
                byte[] content = e.getValue();
                pm.ntStore(CPU, e.getLongKey() * FsGeometry.LINE_BYTES, content, 0, content.length,
                        Site.CHECKPOINT_HOME.at(step));
            }
            pm.sfence(CPU, Site.CHECKPOINT_FENCE.at(step));
        }
        pm.ntStoreLong(CPU, geometry.journalLineAddr(0) + 8, JournalFormat.packPosition(head, runningSeq), 8,
                Site.JOURNAL_SUPERBLOCK.at(step));
        pm.sfence(CPU, Site.JOURNAL_SUPERBLOCK_FENCE.at(step));
        unchecked.clear();
        used = 0;
        stats.checkpoints++;
        onCheckpoint.run();
    }

    private byte[] lineContent(long line) {
        int block = (int) (line / FsGeometry.LINES_PER_BLOCK);
        int off = (int) (line % FsGeometry.LINES_PER_BLOCK) * FsGeometry.LINE_BYTES;
        byte[] out = new byte[FsGeometry.LINE_BYTES];
        System.arraycopy(cache.block(block), off, out, 0, out.length);
        return out;
    }
}
