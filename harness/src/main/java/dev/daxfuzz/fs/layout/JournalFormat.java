package dev.daxfuzz.fs.layout;

import dev.daxfuzz.fs.FsGeometry;

/**
 * The journal's on-media records, each one cache line, modelled on jbd2
 * (Documentation/filesystems/ext4/journal.rst) at line granularity.
 *
 * <p><b>Journal superblock</b> (journal line 0): {@code 0 magic u32  4 version u32  8 position u64}
 * where position packs the log line where replay starts (low 20 bits) and the sequence number
 * of the transaction expected there (high 44 bits). The position is one aligned 8-byte word, so
 * persistent memory updates it atomically; jbd2 relies on sector atomicity for the same field.
 *
 * <p><b>Descriptor</b>: {@code 0 magic u32  4 tag count u16  6 flags u16  8 sequence u64
 * 16 tags[12] u32}, each tag the device line number (address / 64) the following journalled line
 * belongs at. A transaction is one or more descriptors, each followed by its journalled lines,
 * then a commit.
 *
 * <p><b>Commit</b>: {@code 0 magic u32  4 logged lines u32 (descriptors and copies)
 * 8 sequence u64  16 crc32c u32} where the checksum covers the transaction's descriptor and
 * journalled lines in log order, as jbd2's v1 commit checksum covers the transaction's blocks.
 */
public final class JournalFormat {
    public static final int JSB_MAGIC = 0x3142534A;   // "JSB1"
    public static final int DESC_MAGIC = 0x4353444A;  // "JDSC"
    public static final int COMMIT_MAGIC = 0x544D434A; // "JCMT"
    public static final int VERSION = 1;
    public static final int TAGS_PER_DESCRIPTOR = 12;
    private static final int POSITION_BITS = 20;

    private JournalFormat() {
    }

    public static long packPosition(int line, long sequence) {
        return (sequence << POSITION_BITS) | line;
    }

    public static int positionLine(long packed) {
        return (int) (packed & ((1 << POSITION_BITS) - 1));
    }

    public static long positionSequence(long packed) {
        return packed >>> POSITION_BITS;
    }

    public static byte[] superblock(int startLine, long sequence) {
        byte[] b = new byte[FsGeometry.LINE_BYTES];
        Le.put32(b, 0, JSB_MAGIC);
        Le.put32(b, 4, VERSION);
        Le.put64(b, 8, packPosition(startLine, sequence));
        return b;
    }

    public static byte[] descriptor(long sequence, long[] homeLines, int from, int count) {
        byte[] b = new byte[FsGeometry.LINE_BYTES];
        Le.put32(b, 0, DESC_MAGIC);
        Le.put16(b, 4, count);
        Le.put64(b, 8, sequence);
        for (int i = 0; i < count; i++) {
            Le.put32(b, 16 + 4 * i, homeLines[from + i]);
        }
        return b;
    }

    public static byte[] commit(long sequence, int loggedLines, int crc) {
        byte[] b = new byte[FsGeometry.LINE_BYTES];
        Le.put32(b, 0, COMMIT_MAGIC);
        Le.put32(b, 4, loggedLines);
        Le.put64(b, 8, sequence);
        Le.put32(b, 16, crc);
        return b;
    }

    public static long tag(byte[] descriptor, int i) {
        return Le.u32(descriptor, 16 + 4 * i);
    }
}
