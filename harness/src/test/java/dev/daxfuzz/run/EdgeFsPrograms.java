package dev.daxfuzz.run;

import dev.daxfuzz.fs.FsGeometry;
import dev.daxfuzz.program.DxpSyntaxError;
import dev.daxfuzz.program.Program;
import dev.daxfuzz.program.ProgramParser;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;

/**
 * Seeded random file-system programs whose offsets and lengths come from a set of edges rather
 * than from a range: 0 and 1, cache-line, page and block boundaries, where indirect blocks start
 * (48K), the small device's size, the largest file ({@link FsGeometry#FILE_BLOCKS_MAX} blocks)
 * and its neighbours, 2^31 - 1, 2^31, 2^32, the mapping-length limit 2^40, and the top of the
 * format's integers (2^63 - 4096, 2^63 - 8, 2^63 - 1), each sometimes nudged by one. Every call
 * whose result depends on a range check gets them: read, write, truncate, fallocate in every mode,
 * mmap, msync, mstore, mntstore, mload, the user flushes, persist and daxctl's ALIGN. Small devices
 * and long writes fill the device, so the ENOSPC and SIGBUS-on-full paths run too.
 *
 * <p>Data literals stay small (at most 48K + 1 bytes): a literal is materialised, and an edge
 * offset does the work of a long one.
 */
final class EdgeFsPrograms {
    static final long FILE_MAX = (long) FsGeometry.FILE_BLOCKS_MAX * FsGeometry.BLOCK_BYTES;
    static final long SMALL_DEVICE = 64 * 1024;

    /** The edges; {@link #edge} sometimes adds or subtracts one. */
    static final long[] EDGES = {0, 1, 63, 64, 4095, 4096, 8192, 12 * 4096 - 1, 12 * 4096, 13 * 4096,
        SMALL_DEVICE, 1L << 20, FILE_MAX - 4096, FILE_MAX - 1, FILE_MAX, (1L << 31) - 1, 1L << 31, 1L << 32,
        1L << 40, Long.MAX_VALUE - 4095, Long.MAX_VALUE - 7, Long.MAX_VALUE};

    private static final int[] DATA_LENGTHS = {1, 2, 7, 8, 9, 63, 64, 65, 4095, 4096, 4097, 12 * 4096 + 1};
    private static final String[] PATHS = {"/a", "/b"};
    private static final String[] FDS = {"f", "g"};
    private static final String[] MAPS = {"m", "n"};
    private static final String[] MAP_FLAGS = {"shared", "shared-validate,sync", "private", "shared,ro"};

    private EdgeFsPrograms() {
    }

    /** An edge, nudged by one a third of the time, kept within 0 .. 2^63-1. */
    static long edge(SplittableRandom r) {
        long e = EDGES[r.nextInt(EDGES.length)];
        return switch (r.nextInt(6)) {
            case 0 -> e == Long.MAX_VALUE ? e : e + 1;
            case 1 -> e == 0 ? e : e - 1;
            default -> e;
        };
    }

    /** A page-aligned edge (for mmap and msync offsets, which must be aligned to succeed). */
    private static long alignedEdge(SplittableRandom r) {
        return edge(r) & -4096L;
    }

    /**
     * A program of {@code statements} edge statements after a setup that gives the files a size
     * and a mapping or two, on a random correct design: either sync-fault strategy, either
     * persistency, the sealed daxfile design, the default or the smallest device.
     */
    static Program generate(SplittableRandom r, int statements) {
        List<String> lines = new ArrayList<>();
        boolean small = r.nextBoolean();
        if (small) {
            lines.add("device 64K");
        }
        if (r.nextBoolean()) {
            lines.add("sync-fault drop-lock-retry");
        }
        if (r.nextBoolean()) {
            lines.add("persistency eadr");
        }
        lines.add("daxfile sealed");
        lines.add("open f /a creat,rdwr");
        lines.add("open g /b creat,rdwr" + (r.nextInt(4) == 0 ? ",append" : ""));
        lines.add("fallocate f alloc 0 " + (4096 * (1 + r.nextInt(3))));
        lines.add("mmap m f 0 " + (4096 * (1 + r.nextInt(3)) - (r.nextBoolean() ? 0 : 100)) + " " + pick(r, MAP_FLAGS));
        lines.add("mmap n g 0 8K shared-validate,sync");
        for (int i = 0; i < statements; i++) {
            lines.add(statement(r));
        }
        try {
            return ProgramParser.parse("edges.dxp", String.join("\n", lines) + "\n");
        } catch (DxpSyntaxError e) {
            throw new AssertionError(e.getMessage() + "\n" + String.join("\n", lines), e);
        }
    }

    private static String statement(SplittableRandom r) {
        String fd = pick(r, FDS);
        String map = pick(r, MAPS);
        return switch (r.nextInt(22)) {
            case 0, 1, 2 -> "write " + fd + " " + edge(r) + " " + data(r);
            case 3 -> "read " + fd + " " + edge(r) + " " + edge(r);
            case 4 -> "truncate " + fd + " " + edge(r);
            case 5, 6 -> "fallocate " + fd + " " + pick(r, new String[] {"alloc", "keep-size", "punch", "zero"}) + " "
                    + edge(r) + " " + edge(r);
            case 7 -> "mmap " + map + " " + fd + " " + alignedEdge(r) + " " + edge(r) + " " + pick(r, MAP_FLAGS);
            case 8 -> "msync " + map + " " + alignedEdge(r) + " " + edge(r);
            case 9, 10 -> "mstore " + map + " " + edge(r) + " " + data(r);
            case 11 -> "mntstore " + map + " " + edge(r) + " " + data(r);
            case 12 -> "mload " + map + " " + edge(r) + " " + Math.min(edge(r), r.nextBoolean() ? 64 : Long.MAX_VALUE);
            case 13 -> pick(r, new String[] {"mclwb", "mclflushopt", "mclflush"}) + " " + map + " " + edge(r);
            case 14, 15 -> "persist " + map + " " + edge(r) + " " + edge(r);
            case 16 -> "daxctl " + pick(r, PATHS) + " " + pick(r, new String[] {"static", "clear", "get"});
            case 17 -> "daxctl " + pick(r, PATHS) + " static " + edge(r);
            case 18 -> pick(r, new String[] {"fsync ", "fdatasync "}) + fd;
            case 19 -> "sync";
            case 20 -> "open " + fd + " " + pick(r, PATHS) + " " + pick(r, new String[] {"creat,rdwr", "rdwr,append",
                "creat,trunc,rdwr", "rdonly"});
            default -> "crash";
        };
    }

    private static String data(SplittableRandom r) {
        int n = DATA_LENGTHS[r.nextInt(DATA_LENGTHS.length)];
        return "fill:0x" + Integer.toHexString(0x41 + r.nextInt(26)) + "*" + n;
    }

    private static String pick(SplittableRandom r, String[] from) {
        return from[r.nextInt(from.length)];
    }
}
