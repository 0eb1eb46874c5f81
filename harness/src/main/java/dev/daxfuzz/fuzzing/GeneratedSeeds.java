package dev.daxfuzz.fuzzing;


import dev.daxfuzz.program.DxpSyntaxError;
import dev.daxfuzz.program.Program;
import dev.daxfuzz.program.ProgramParser;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * Seeds a campaign's working corpus starts with besides the shipped ones, so that every call
 * family, flag and platform choice is in the corpus from the first execution instead of waiting
 * for a mutation to stumble on it (the lesson of ACE, Mohan et al., OSDI 2018: short workloads of
 * one core operation each, with their setup, already reach most crash-consistency bugs).
 *
 * <ul>
 *   <li><b>core</b>: every length-1 workload of {@link AceSpace} (each core operation on each file
 *   of its file set, with and without its persistence point) on the default platform, and again on
 *   the 64 KiB device where block reuse and ENOSPC come soonest;
 *   <li><b>families</b>: what ACE's core set leaves out, one short program per call family or
 *   flag: O_DSYNC and O_APPEND writes, every fallocate mode, every mmap flag, non-temporal stores
 *   with each flush and fence kind, loads, rmdir, daxctl with an alignment, the credential calls,
 *   eADR, asynchronous commit and the retried sync fault;
 *   <li><b>poison</b>: media poison under reads, writes, mappings and block reuse;
 *   <li><b>deep</b>: programs that reach states short programs cannot: a file past the direct
 *   pointers (the indirect block), repeated map/store/sync cycles with write-back and re-fault,
 *   a device filled to ENOSPC and its blocks freed and reused after a checkpoint, enough commits
 *   to wrap the journal.
 * </ul>
 *
 * Every seed is a valid program in the byte encoding and clean on the correct designs (a test
 * checks both). Limits: one size per write; the daxfile design and seeded bugs are the campaign's
 * configuration, not part of a seed.
 */
public final class GeneratedSeeds {
    /** Prefix of the file names seeds get in a working corpus, so a user can tell them apart. */
    public static final String PREFIX = "gen-";

    private GeneratedSeeds() {
    }

    /** The seeds by file name (sorted, deterministic). */
    public static Map<String, byte[]> all() {
        Map<String, byte[]> out = new TreeMap<>();
        for (int i = 0; i < AceSpace.OPS.size(); i++) {
            String label = AceSpace.OPS.get(i).label().replaceAll("[^a-z0-9+]+", "-").replace("+", "p");
            out.put(PREFIX + "core-" + String.format("%03d", i) + "-" + label,
                    AceSpace.input(new int[] {i}, AceSpace.Platform.DEFAULT));
            out.put(PREFIX + "core-" + String.format("%03d", i) + "-" + label + "-64k",
                    AceSpace.input(new int[] {i}, new AceSpace.Platform(false, false, true)));
        }
        for (Map.Entry<String, String> e : FAMILIES.entrySet()) {
            out.put(PREFIX + e.getKey(), encode(e.getKey(), e.getValue()));
        }
        return out;
    }

    private static byte[] encode(String name, String dxp) {
        try {
            Program p = ProgramParser.parse(name, "fs journal\n" + dxp);
            return ByteCodec.encode(p);
        } catch (DxpSyntaxError | ByteCodec.NotEncodable e) {
            throw new IllegalStateException("generated seed " + name + " is broken: " + e.getMessage(), e);
        }
    }

    private static final Map<String, String> FAMILIES = new TreeMap<>();

    static {
        f("dsync-write", "open a /a creat,rdwr,dsync\nwrite a 0 fill:0x41*100\nwrite a 4090 \"crosses\"\n");
        f("append-write", "open a /a creat,wronly,append\nwrite a 0 \"one\"\nwrite a 0 \"two\"\nfsync a\n");
        f("excl-trunc", "open a /a creat,excl,rdwr\nwrite a 0 fill:0x42*5000\nclose a\nopen b /a trunc,rdwr\nfdatasync b\n");
        f("rdonly-read", "open a /a creat,rdwr\nwrite a 0 \"abc\"\nclose a\nopen b /a rdonly\nread b 0 3\nwrite b 0 \"x\"\n");
        for (String mode : List.of("alloc", "keep-size", "punch", "zero")) {
            f("fallocate-" + mode, "open a /a creat,rdwr\nwrite a 0 fill:0x43*12K\nfsync a\nfallocate a " + mode
                    + " 4096 4096\nfsync a\n");
        }
        f("mmap-shared-msync", "open a /a creat,rdwr\ntruncate a 8K\nmmap m a 0 8K shared\nmstore m 0 \"msync\"\n"
                + "msync m 0 8K\nmunmap m\n");
        f("mmap-sync-ntstore", "open a /a creat,rdwr\nfallocate a alloc 0 8K\nmmap m a 0 8K shared-validate,sync\n"
                + "mntstore m 4096 \"nontemporal\"\nsfence\n");
        f("mmap-sync-hole-clflush", "open a /a creat,rdwr\ntruncate a 8K\nmmap m a 0 8K shared-validate,sync\n"
                + "mstore m 64 \"hole\"\nmclflush m 64\nmfence\n");
        f("mmap-sync-clflushopt", "open a /a creat,rdwr\ntruncate a 8K\nmmap m a 0 8K shared-validate,sync\n"
                + "mstore m 0 \"opt\"\nmclflushopt m 0\nsfence\nmload m 0 3\n");
        f("mmap-private-ro", "open a /a creat,rdwr\nwrite a 0 \"abc\"\nmmap m a 0 4K private\nmstore m 0 \"zz\"\n"
                + "mmap n a 0 4K shared,ro\nmload n 0 3\nmstore n 0 \"no\"\n");
        f("mmap-store-past-eof", "open a /a creat,rdwr\nwrite a 0 \"ab\"\nmmap m a 0 8K shared-validate,sync\n"
                + "mstore m 2 \"past\"\nmstore m 4096 \"beyond\"\n");
        f("rmdir", "mkdir /d\nmkdir /d/e\nrmdir /d\nrmdir /d/e\nrmdir /d\nsync\n");
        f("daxctl-align", "open a /a creat,rdwr\nfallocate a alloc 0 16K\ndaxctl /a static 16K\ndaxctl /a get\n"
                + "mmap m a 0 16K shared\nmstore m 8192 \"sealed\"\npersist m 8192 6\ndaxctl /a clear\n");
        f("cred-drop-grant", "cred drop CAP_LINUX_IMMUTABLE\nopen a /a creat,rdwr\nfallocate a alloc 0 4K\n"
                + "daxctl /a static\ncred grant CAP_LINUX_IMMUTABLE\ncred drop CAP_SYS_ADMIN\ndaxctl /a static\n");
        f("eadr-store", "persistency eadr\nopen a /a creat,rdwr\ntruncate a 4K\nmmap m a 0 4K shared-validate,sync\n"
                + "mstore m 0 \"eadr\"\nmfence\n");
        f("async-commit", "journal-commit async\nmkdir /d\nopen a /d/a creat,rdwr\nwrite a 0 \"async\"\nfsync a\n"
                + "rename /d/a /b\nsync\n");
        f("retry-fault", "sync-fault drop-lock-retry\nopen a /a creat,rdwr\ntruncate a 8K\n"
                + "mmap m a 0 8K shared-validate,sync\nmstore m 0 \"retry\"\nmstore m 4096 \"again\"\npersist m 0 5\n");
        f("crash-choose", "open a /a creat,rdwr\nwrite a 0 \"x\"\ncrash choose hex:0102\nfsync a\ncrash\nunlink /a\n");
        f("deep-indirect", "open a /a creat,rdwr\nwrite a 49150 fill:0x44*8K\nfsync a\ntruncate a 40K\nfsync a\n");
        f("deep-map-cycles", "open a /a creat,rdwr\ntruncate a 8K\nmmap m a 0 8K shared\nmstore m 0 \"one\"\nfsync a\n"
                + "mstore m 0 \"two\"\nmsync m 0 8K\nmstore m 4096 \"three\"\nfsync a\nmstore m 0 \"four\"\nfdatasync a\n"
                + "munmap m\n");
        f("deep-enospc-reuse", "device 64K\nopen a /a creat,rdwr\nwrite a 0 fill:0x45*20K\nfsync a\nunlink /a\n"
                + "close a\nopen b /b creat,rdwr\nwrite b 0 fill:0x46*24K\nfsync b\nwrite b 24576 fill:0x47*40K\n");
        // Freed blocks handed to a new file by writes that cover only part of a block: what the new
        // file's size exposes there must be zeros or its own data, never the old file's bytes.
        f("deep-reuse-partial", "device 64K\nopen a /a creat,rdwr\nwrite a 0 fill:0x48*40K\nfsync a\ntruncate a 0\n"
                + "fsync a\nopen b /b creat,rdwr,dsync\nwrite b 100 \"x\"\nwrite b 8292 \"y\"\nfsync b\n");
        // Media poison: reads and accesses over it fail, a covering write clears it, a partial one
        // fails, freed and reallocated blocks come back clean, and poison outlives the crash.
        f("poison-read-write", "open a /a creat,rdwr\nwrite a 0 fill:0x49*8K\nfsync a\npoison /a 100 10\n"
                + "read a 0 8K\nwrite a 70 \"xx\"\nwrite a 64 fill:0x4a*64\nread a 0 200\ncrash\nread a 64 64\n");
        f("poison-map", "open a /a creat,rdwr\nwrite a 0 fill:0x4b*8K\nfsync a\nmmap m a 0 8K shared\n"
                + "poison /a 5000 1\nmload m 4990 10\nmstore m 4992 \"z\"\nmload m 0 64\nwrite a 4992 fill:0x4c*64\n"
                + "mload m 4992 2\n");
        f("poison-reuse", "device 64K\nopen a /a creat,rdwr\nwrite a 0 fill:0x4d*12K\nfsync a\npoison /a 0 12K\n"
                + "truncate a 100\nfsync a\nsync\nmkdir /d\nopen b /d/b creat,rdwr\nwrite b 4000 \"new\"\n"
                + "fallocate a zero 0 64\nread a 0 100\nfsync b\n");
        // Power failing again while recovery replays, resets the journal and frees orphans.
        f("recovery-crash-replay", "recovery-crashes 1\nmkdir /d\nopen a /d/a creat,rdwr\nwrite a 0 \"r\"\nfsync a\n"
                + "rename /d/a /b\nsync\n");
        f("recovery-crash-orphan", "recovery-crashes 1\nopen a /a creat,rdwr\nwrite a 0 fill:0x4e*5K\nunlink /a\nsync\n"
                + "write a 0 \"o\"\n");
        f("recovery-crash-async", "recovery-crashes 1\njournal-commit async\nmkdir /d\nopen a /d/a creat,rdwr\n"
                + "fsync a\nlink /d/a /d/b\nunlink /d/a\nfsync a\n");
        StringBuilder wrap = new StringBuilder("device 64K\n");
        for (int i = 0; i < 10; i++) {
            wrap.append("mkdir /").append((char) ('a' + i % 6)).append("\nsync\nrmdir /").append((char) ('a' + i % 6))
                    .append("\nsync\n");
        }
        f("deep-journal-wrap", wrap.toString());
    }

    private static void f(String name, String dxp) {
        FAMILIES.put(name, dxp);
    }

    /** The family and deep seeds' programs as written, by name (for tests and documentation). */
    public static Map<String, String> families() {
        return java.util.Collections.unmodifiableMap(FAMILIES);
    }
}
