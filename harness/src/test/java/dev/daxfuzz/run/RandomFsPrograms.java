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
        List<String> lines = new ArrayList<>();
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
        if (r.nextBoolean()) {
            lines.add("open f /a creat,rdwr");
            bound.add("f");
        }
        for (int i = 0; i < statements; i++) {
            String s = statement(r, small);
            String[] words = s.split(" ");
            boolean usesFd = java.util.List.of("close", "write", "read", "truncate", "fallocate", "fsync", "fdatasync")
                    .contains(words[0]);
            if (usesFd && !bound.contains(words[1])) {
                // The format only lets a program name descriptors an earlier open bound.
                s = "open " + words[1] + " " + pick(r, PATHS) + " creat,rdwr";
            }
            if (s.startsWith("open ")) {
                bound.add(s.split(" ")[1]);
            }
            lines.add(s);
        }
        try {
            return ProgramParser.parse("random.dxp", String.join("\n", lines) + "\n");
        } catch (DxpSyntaxError e) {
            throw new AssertionError(e.getMessage() + "\n" + String.join("\n", lines), e);
        }
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
