package dev.daxfuzz.fs;

import dev.daxfuzz.fs.layout.InodeFormat;
import dev.daxfuzz.fs.layout.JournalFormat;
import dev.daxfuzz.fs.layout.Le;
import dev.daxfuzz.fs.layout.SuperblockFormat;
import dev.daxfuzz.pm.CrashImage;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.zip.CRC32C;

/**
 * Mount after a power failure, from the persistent bytes alone: every volatile structure of the
 * running file system is gone.
 *
 * <ol>
 *   <li>Validate the superblock (magic, version, checksum, geometry).
 *   <li>Replay the journal as jbd2 does: from the journal superblock's start, take each
 *   transaction with the expected sequence number (descriptors, their journalled lines, a commit
 *   record whose line count and checksum match) and write its lines home; stop at the first
 *   transaction that is incomplete, has the wrong sequence or fails its checksum. The scan never
 *   reads more than the log holds, so it always ends.
 *   <li>Retire what was replayed (the journal superblock's start moves past it).
 *   <li>Free orphans: inodes with no links, left by an unlink of an open file (ext4's orphan list).
 * </ol>
 *
 * A structure that is not what the design writes makes the mount fail with a reason (EUCLEAN),
 * never an exception. Writes go to an {@link ImageBlocks} overlay, which can also record them
 * ({@link RecoveryWrites}) with recovery's persist barriers, so that the oracle can replay them
 * through the emulator and let power fail again while recovery runs (spec §8
 * {@code recovery-crashes}).
 *
 * <p>The barriers are what makes recovery restartable, as in jbd2 ({@code jbd2_journal_recover}
 * replays, then {@code sync_blockdev}, and only then does {@code jbd2_journal_clear_err}/the
 * journal superblock update mark the log empty) and ext4's orphan processing across repeated
 * mounts:
 * <ol>
 *   <li>every replayed line is durable at home before the journal superblock retires it, so a
 *   recovery that crashes before the reset replays the same transactions again (replay writes
 *   the same bytes, so doing it twice is harmless);
 *   <li>each orphan's blocks are durable as free before its inode is cleared, so a recovery that
 *   crashes in between finds the orphan again and frees the same blocks again, and never leaves
 *   blocks marked in use that no inode owns.
 * </ol>
 * The seeded bugs {@code recovery-resets-journal-early} and {@code orphan-cleanup-not-idempotent}
 * each drop one of these barriers.
 */
public final class Recovery {
    private Recovery() {
    }

    /**
     * What a mount did, for reports.
     *
     * @param startLine log line where replay started
     * @param endLine log line after the last replayed transaction (smaller than the start when the
     *     replay wrapped around the end of the log)
     */
    public record Log(int transactionsReplayed, int linesReplayed, int orphansFreed, String stopReason, int startLine,
                      int endLine) {
    }

    /** A mounted crash image, or why it would not mount. */
    public sealed interface Outcome permits Mounted, Failed {
    }

    /** The mounted file system. */
    public record Mounted(Volume volume, ImageBlocks blocks, Log log) implements Outcome {
    }

    /**
     * The mount failed: the image is corrupt (EUCLEAN), or, when {@code mediaError}, metadata it
     * must read lies on poisoned media (EIO), which fails the mount cleanly.
     */
    public record Failed(String reason, boolean mediaError) implements Outcome {
        public Failed(String reason) {
            this(reason, false);
        }
    }

    /**
     * Options that change recovery.
     *
     * @param verifyChecksums whether a transaction whose commit checksum does not match its log is
     *     rejected (jbd2's {@code jbd2_commit_block_csum_verify}); off only for the seeded bug
     *     {@code replay-ignores-checksum}
     */
    public record Options(boolean verifyChecksums, boolean barrierAfterReplay, boolean barrierBetweenOrphanSteps) {
        public static final Options DEFAULT = new Options(true, true, true);

        /** Correct barriers, with or without checksum verification. */
        public Options(boolean verifyChecksums) {
            this(verifyChecksums, true, true);
        }

        /** The recovery that belongs to a design (and its seeded bugs). */
        public static Options of(FsOptions fs) {
            return new Options(!fs.has(FsOptions.Variant.REPLAY_IGNORES_CHECKSUM),
                    !fs.has(FsOptions.Variant.RECOVERY_RESETS_JOURNAL_EARLY),
                    !fs.has(FsOptions.Variant.ORPHAN_CLEANUP_UNORDERED));
        }
    }

    public static Outcome mount(CrashImage image, FsGeometry g) {
        return mount(image, g, Options.DEFAULT);
    }

    public static Outcome mount(CrashImage image, FsGeometry g, Options options) {
        return mount(image, g, options, false);
    }

    /**
     * Mounts {@code image}; with {@code record}, the outcome's {@link ImageBlocks#writes()} holds
     * recovery's writes and barriers in order.
     */
    public static Outcome mount(CrashImage image, FsGeometry g, Options options, boolean record) {
        ImageBlocks blocks = new ImageBlocks(image, g, record);
        try {
            Optional<String> sb = SuperblockFormat.validate(blocks.line(0), g);
            if (sb.isPresent()) {
                return new Failed(sb.get());
            }
            long jsbLine = g.journalLineAddr(0) / FsGeometry.LINE_BYTES;
            byte[] jsb = blocks.bytes(g.journalLineAddr(0), 16);
            if (Le.i32(jsb, 0) != JournalFormat.JSB_MAGIC || Le.u32(jsb, 4) != JournalFormat.VERSION) {
                return new Failed("bad journal superblock");
            }
            long pos = Le.u64(jsb, 8);
            int start = JournalFormat.positionLine(pos);
            if (start < 1 || start >= g.journalLines()) {
                return new Failed("journal start " + start + " outside the log");
            }
            Replay replay = new Replay(blocks, g, options);
            String stop = replay.run(start, JournalFormat.positionSequence(pos));
            if (replay.transactions > 0 && options.barrierAfterReplay()) {
                blocks.barrier("replayed " + replay.transactions + " transaction" + (replay.transactions == 1 ? "" : "s")
                        + " home");
            }
            blocks.writeLine(jsbLine, JournalFormat.superblock(replay.line, replay.sequence));
            blocks.barrier("journal reset to log line " + replay.line + ", sequence " + replay.sequence);
            Volume vol = new Volume(g, blocks);
            if (!vol.isDir(FsGeometry.ROOT_INO)) {
                return new Failed("root inode is not a directory");
            }
            int orphans = freeOrphans(vol, blocks, g, options);
            return new Mounted(vol, blocks, new Log(replay.transactions, replay.lines, orphans, stop, start, replay.line));
        } catch (FsCorruption e) {
            return new Failed(e.getMessage(), e.mediaError());
        }
    }

    /** The journal scan and replay. */
    private static final class Replay {
        private final ImageBlocks blocks;
        private final FsGeometry g;
        private final Options options;
        private final int capacity;
        int line;
        long sequence;
        int transactions;
        int lines;

        Replay(ImageBlocks blocks, FsGeometry g, Options options) {
            this.blocks = blocks;
            this.g = g;
            this.options = options;
            this.capacity = g.journalLines() - 1;
        }

        private long addr(int logLine) {
            return g.journalLineAddr(logLine);
        }

        private int next(int i) {
            return i + 1 == g.journalLines() ? 1 : i + 1;
        }

        private int advance(int i, int by) {
            return (int) ((long) (i - 1 + by) % capacity) + 1;
        }

        /**
         * Replays from {@code start}; returns why it stopped. Each transaction is read in two
         * passes: the descriptor headers, to find the commit record, and the commit record's
         * header; only when those are right are the tags and journalled lines read and
         * checksummed. So a transaction whose commit record never reached the media is recognised
         * from a handful of bytes, as jbd2's PASS_SCAN does.
         */
        String run(int start, long seq) {
            line = start;
            sequence = seq;
            int scanned = 0;
            while (true) {
                // Pass 1: descriptor headers up to the commit record.
                int at = line;
                int logged = 0;
                List<Integer> descriptors = new ArrayList<>();
                List<Integer> counts = new ArrayList<>();
                while (true) {
                    if (scanned + logged >= capacity) {
                        return "end of log space";
                    }
                    byte[] head = blocks.bytes(addr(at), 16);
                    int magic = Le.i32(head, 0);
                    if (magic == JournalFormat.DESC_MAGIC && Le.u64(head, 8) == sequence) {
                        int count = Le.u16(head, 4);
                        if (count < 1 || count > JournalFormat.TAGS_PER_DESCRIPTOR) {
                            return "transaction " + sequence + ": descriptor with " + count + " tags";
                        }
                        descriptors.add(at);
                        counts.add(count);
                        logged += 1 + count;
                        at = advance(at, 1 + count);
                    } else if (magic == JournalFormat.COMMIT_MAGIC && Le.u64(head, 8) == sequence && logged > 0) {
                        if (Le.u32(head, 4) != logged) {
                            return "transaction " + sequence + ": commit counts " + Le.u32(head, 4)
                                    + " lines, log has " + logged;
                        }
                        break;
                    } else {
                        return logged == 0 ? "no transaction " + sequence + " at log line " + at
                                : "transaction " + sequence + " has no commit record";
                    }
                }
                if (scanned + logged + 1 > capacity) {
                    return "end of log space";
                }
                int commitAt = at;
                // Pass 2: tags and journalled lines, checksummed (with the stored checksum).
                CRC32C crc = new CRC32C();
                List<Long> homes = new ArrayList<>();
                List<byte[]> contents = new ArrayList<>();
                blocks.digestStart();
                for (int d = 0; d < descriptors.size(); d++) {
                    int p = descriptors.get(d);
                    byte[] desc = blocks.line(addr(p) / FsGeometry.LINE_BYTES);
                    crc.update(desc, 0, desc.length);
                    p = next(p);
                    for (int t = 0; t < counts.get(d); t++) {
                        byte[] copy = blocks.line(addr(p) / FsGeometry.LINE_BYTES);
                        crc.update(copy, 0, copy.length);
                        homes.add(JournalFormat.tag(desc, t));
                        contents.add(copy);
                        p = next(p);
                    }
                }
                int stored = Le.i32(blocks.bytes(addr(commitAt) + 16, 4), 0);
                blocks.digestEnd();
                if (options.verifyChecksums() && stored != (int) crc.getValue()) {
                    return "transaction " + sequence + ": commit checksum mismatch";
                }
                apply(homes, contents);
                transactions++;
                lines += homes.size();
                scanned += logged + 1;
                line = next(commitAt);
                sequence++;
            }
        }

        private void apply(List<Long> homes, List<byte[]> contents) {
            long deviceLines = (long) g.blocks() * FsGeometry.LINES_PER_BLOCK;
            for (long home : homes) {
                if (home < FsGeometry.LINES_PER_BLOCK || home >= deviceLines || g.inJournal(home)) {
                    throw new FsCorruption("journal tag names line " + home + ", which is not metadata");
                }
            }
            for (int i = 0; i < homes.size(); i++) {
                blocks.writeLine(homes.get(i), contents.get(i));
            }
        }
    }

    /** Frees inodes with no links (orphans of unlinked open files), as ext4's orphan cleanup does. */
    private static int freeOrphans(Volume vol, ImageBlocks blocks, FsGeometry g, Options options) {
        int freed = 0;
        for (int ino = 2; ino < g.inodeCount(); ino++) {
            if (vol.mode(ino) == InodeFormat.MODE_FREE || vol.nlink(ino) > 0) {
                continue;
            }
            int n = vol.isDir(ino) ? vol.dirBlocks(ino) : FsGeometry.FILE_BLOCKS_MAX;
            for (int fb = 0; fb < n; fb++) {
                int ptr = vol.pointer(ino, fb);
                if (InodeFormat.allocated(ptr)) {
                    clearBit(blocks, g, InodeFormat.blockOf(ptr));
                }
            }
            if (vol.indirect(ino) != 0) {
                vol.checkDataBlock(vol.indirect(ino));
                clearBit(blocks, g, vol.indirect(ino));
            }
            if (options.barrierBetweenOrphanSteps()) {
                blocks.barrier("orphan inode " + ino + ": its blocks freed");
            }
            blocks.write(g.inodeAddr(ino), new byte[FsGeometry.INODE_BYTES], 0, FsGeometry.INODE_BYTES);
            blocks.barrier("orphan inode " + ino + ": inode freed");
            freed++;
        }
        return freed;
    }

    private static void clearBit(ImageBlocks blocks, FsGeometry g, int b) {
        long addr = FsGeometry.blockAddr(g.bitmapBlock()) + b / 8;
        byte[] one = blocks.bytes(addr, 1);
        one[0] &= (byte) ~(1 << (b % 8));
        blocks.write(addr, one, 0, 1);
    }
}
