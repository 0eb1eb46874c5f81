package dev.daxfuzz.run;

import dev.daxfuzz.program.DxpSyntaxError;
import dev.daxfuzz.program.Program;
import dev.daxfuzz.program.ProgramParser;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;

/**
 * Seeded random file-system programs over a small name space, for property tests: every call of
 * the journal design (no mappings), with offsets and lengths that cross blocks and cache lines,
 * names that collide, descriptors that get closed and reused, and on small devices enough data to
 * run out of space and reuse freed blocks.
 */
final class RandomFsPrograms {
    private static final String[] PATHS = {"/a", "/b", "/d", "/d/a", "/d/b", "/e", "/d/e/f", "/long_name_that_is_too_long_x"};
    private static final String[] DIRS = {"/d", "/e", "/d/e", "/a"};
    private static final String[] FDS = {"f", "g", "h"};

    private RandomFsPrograms() {
    }

    static Program generate(SplittableRandom r, int statements) {
        return generate(r, statements, false);
    }

    /**
     * With {@code mappings}, also mmap, munmap, msync, user stores, loads, flushes and fences
     * through mappings, daxctl and cred, under a random sync-fault design (and the sealed daxfile
     * design: rfc-v1 has findings of its own).
     */
    static Program generate(SplittableRandom r, int statements, boolean mappings) {
        List<String> lines = new ArrayList<>();
        if (mappings && r.nextBoolean()) {
            lines.add("sync-fault drop-lock-retry");
        }
        if (r.nextInt(3) == 0) {
            lines.add("journal-commit async");
        }
        boolean small = r.nextInt(3) == 0;
        if (small) {
            lines.add("device 64K");
        }
        if (r.nextInt(4) == 0) {
            lines.add("persistency eadr");
        }
        // Start with something to work on most of the time.
        if (r.nextBoolean()) {
            lines.add("mkdir /d");
        }
        java.util.Set<String> bound = new java.util.TreeSet<>();
        java.util.Set<String> maps = new java.util.TreeSet<>();
        if (r.nextBoolean()) {
            lines.add("open f /a creat,rdwr");
            bound.add("f");
        }
        for (int i = 0; i < statements; i++) {
            String s = mappings && r.nextInt(5) < 2 ? mappingStatement(r, small) : statement(r, small);
            String[] words = s.split(" ");
            boolean usesMap = java.util.List.of("munmap", "msync", "mstore", "mntstore", "mload", "mclwb", "mclflushopt",
                    "mclflush", "persist").contains(words[0]);
            if (usesMap && !maps.contains(words[1])) {
                String fdName = pick(r, FDS);
                if (!bound.contains(fdName)) {
                    lines.add("open " + fdName + " " + pick(r, PATHS) + " creat,rdwr");
                    bound.add(fdName);
                }
                s = "mmap " + words[1] + " " + fdName + " 0 " + (4096 * (1 + r.nextInt(4))) + " "
                        + pick(r, MAP_FLAGS);
            }
            if (s.startsWith("mmap ")) {
                maps.add(s.split(" ")[1]);
                words = s.split(" ");
            }
            boolean usesFd = java.util.List.of("close", "write", "read", "truncate", "fallocate", "fsync", "fdatasync")
                    .contains(words[0]) || words[0].equals("mmap");
            String fdWord = words[0].equals("mmap") ? words[2] : words.length > 1 ? words[1] : "";
            if (usesFd && !bound.contains(fdWord)) {
                lines.add("open " + fdWord + " " + pick(r, PATHS) + " creat,rdwr");
                bound.add(fdWord);
            }
            if (false) {
                // The format only lets a program name descriptors an earlier open bound.
                s = "open " + words[1] + " " + pick(r, PATHS) + " creat,rdwr";
            }
            if (s.startsWith("open ")) {
                bound.add(s.split(" ")[1]);
            }
            if (s.startsWith("mmap ") && r.nextInt(4) != 0) {
                // Give the file a size first most of the time: a mapping of an empty file only SIGBUSes.
                String fdName = s.split(" ")[2];
                lines.add(r.nextBoolean() ? "truncate " + fdName + " " + 4096 * (1 + r.nextInt(4))
                        : "fallocate " + fdName + " " + (r.nextBoolean() ? "alloc" : "zero") + " 0 " + 4096 * (1 + r.nextInt(4)));
            }
            lines.add(s);
        }
        try {
            return ProgramParser.parse("random.dxp", String.join("\n", lines) + "\n");
        } catch (DxpSyntaxError e) {
            throw new AssertionError(e.getMessage() + "\n" + String.join("\n", lines), e);
        }
    }

    private static final String[] MAPS = {"m", "n"};
    private static final String[] MAP_FLAGS = {"shared", "shared-validate,sync", "shared-validate,sync",
        "shared-validate", "private", "shared,ro", "shared,sync"};

    private static String mappingStatement(SplittableRandom r, boolean small) {
        String map = pick(r, MAPS);
        // Mostly inside the first page (every mapping and sized file has one); sometimes further.
        long off = r.nextInt(3) == 0 ? offset(r, small) % 16384 : r.nextInt(3800);
        return switch (r.nextInt(16)) {
            case 0, 1 -> "mmap " + map + " " + pick(r, FDS) + " " + (r.nextInt(4) == 0 ? 4096L * r.nextInt(3) : 0) + " "
                    + (4096L * (1 + r.nextInt(4)) - (r.nextInt(4) == 0 ? 100 : 0)) + " " + pick(r, MAP_FLAGS);
            case 2 -> "munmap " + map;
            case 3 -> "msync " + map + " " + 4096L * r.nextInt(3) + " " + 4096L * r.nextInt(4);
            case 4, 5, 6 -> "mstore " + map + " " + off + " " + data(r, true).replaceAll("\\*[0-9]+", "*" + (1 + r.nextInt(300)));
            case 7 -> "mntstore " + map + " " + (off & ~7L) + " hex:" + "0102030405060708".repeat(1 + r.nextInt(3));
            case 8 -> "mload " + map + " " + off + " " + (1 + r.nextInt(100));
            case 9 -> pick(r, new String[] {"mclwb", "mclflushopt", "mclflush"}) + " " + map + " " + off;
            case 10, 11 -> "persist " + map + " " + (off & ~63L) + " " + (1 + r.nextInt(300));
            case 12 -> pick(r, new String[] {"sfence", "mfence"});
            case 13 -> "daxctl " + pick(r, PATHS) + " " + pick(r, new String[] {"static", "static", "clear", "get",
                "static 8K"});
            case 14 -> "cred " + (r.nextBoolean() ? "drop" : "grant") + " CAP_LINUX_IMMUTABLE";
            default -> "fallocate " + pick(r, FDS) + " alloc 0 " + 4096L * (1 + r.nextInt(3));
        };
    }

    private static String pick(SplittableRandom r, String[] from) {
        return from[r.nextInt(from.length)];
    }

    private static long offset(SplittableRandom r, boolean small) {
        return switch (r.nextInt(6)) {
            case 0 -> 0;
            case 1 -> r.nextInt(64);
            case 2 -> 4096 - r.nextInt(16);
            case 3 -> 4096L * r.nextInt(small ? 4 : 14) + r.nextInt(200);
            case 4 -> r.nextInt(9000);
            default -> 8L * r.nextInt(1000);
        };
    }

    private static String data(SplittableRandom r, boolean small) {
        int kind = r.nextInt(6);
        if (kind == 0) {
            return "fill:0x" + Integer.toHexString(0x41 + r.nextInt(20)) + "*" + (1 + r.nextInt(small ? 20000 : 9000));
        }
        int len = kind == 1 ? 1 + r.nextInt(3) : kind == 2 ? 8 : 1 + r.nextInt(80);
        StringBuilder sb = new StringBuilder("hex:");
        for (int i = 0; i < len; i++) {
            sb.append(String.format("%02x", 1 + r.nextInt(255)));
        }
        return sb.toString();
    }

    private static String statement(SplittableRandom r, boolean small) {
        String fd = pick(r, FDS);
        return switch (r.nextInt(20)) {
            case 0 -> "mkdir " + pick(r, DIRS);
            case 1 -> "rmdir " + pick(r, DIRS);
            case 2, 3 -> {
                String[] flagSets = {"creat,rdwr", "rdwr", "creat,excl,wronly", "rdonly", "creat,trunc,rdwr",
                    "creat,append,wronly", "creat,dsync,rdwr", "wronly"};
                String path = r.nextInt(8) == 0 ? pick(r, DIRS) : pick(r, PATHS);
                yield "open " + fd + " " + path + " " + pick(r, flagSets);
            }
            case 4 -> "close " + fd;
            case 5, 6, 7 -> "write " + fd + " " + offset(r, small) + " " + data(r, small);
            case 8 -> "read " + fd + " " + offset(r, small) + " " + (1 + r.nextInt(5000));
            case 9 -> "truncate " + fd + " " + (r.nextBoolean() ? r.nextInt(100) : offset(r, small));
            case 10 -> "fallocate " + fd + " " + pick(r, new String[] {"alloc", "keep-size", "punch", "zero"}) + " "
                    + offset(r, small) + " " + (r.nextInt(10) == 0 ? 0 : 1 + r.nextInt(9000));
            case 11 -> "fsync " + fd;
            case 12 -> "fdatasync " + fd;
            case 13 -> "sync";
            case 14 -> "unlink " + pick(r, PATHS);
            case 15 -> "link " + pick(r, PATHS) + " " + pick(r, PATHS);
            case 16, 17 -> "rename " + (r.nextBoolean() ? pick(r, PATHS) : pick(r, DIRS)) + " "
                    + (r.nextBoolean() ? pick(r, PATHS) : pick(r, DIRS));
            case 18 -> "crash";
            default -> "write " + fd + " " + offset(r, small) + " " + data(r, small);
        };
    }
}
