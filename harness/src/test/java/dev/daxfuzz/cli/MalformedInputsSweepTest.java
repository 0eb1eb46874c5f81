package dev.daxfuzz.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The bounded, in-process version of {@code tools/sweep-inputs.py}: 200 seeded mutations of the
 * programs in {@code corpus/} and {@code findings/} (tokens deleted or duplicated, truncation,
 * random bytes, NULs, edge and malformed numbers, CR/LF mixes, invalid UTF-8, long lines, huge or
 * malformed data literals, header lines) through {@code explore}, and 40 random raw inputs through
 * {@code repro} and {@code decode}. Every run keeps the command line's promises: exit 1 only for a
 * program that switches on a seeded bug or the rfc-v1 design, never exit 4, never a stack trace,
 * and every exit 2 names the file (a parse error at FILE:LINE:COLUMN).
 */
class MalformedInputsSweepTest {
    @TempDir
    Path dir;

    private static final String[] NUMBERS = {"0", "1", "4095", "4096", "48K", "4243455", "4243456", "2147483648",
        "4294967296", "9223372036854775807", "9223372036854775808", "18446744073709551616", "0x8000000000000000", "-1",
        "0x", "0xZZ", "1e9", "1G", "1MM"};
    private static final String[] LITERALS = {"fill:0x41*1073741825", "fill:0x100*1", "fill:0x41*", "hex:abc",
        "u64:18446744073709551616", "u8:256", "\"unterminated", "\"bad \\q\"", "\"a\rb\""};
    private static final String[] HEADERS = {"device 4096", "device 60K", "device 0", "fs ext4", "fs none",
        "persistency tso", "daxfile rfc-v1", "bug no-such-bug", "journal-commit async"};
    private static final Pattern TOKEN = Pattern.compile("\\S+");
    private static final Pattern NUMBER = Pattern.compile("\\b(0x[0-9a-fA-F]+|[0-9]+[KM]?)\\b");
    private static final Pattern LITERAL = Pattern.compile("(\"[^\"\n]*\"|hex:[0-9a-fA-F]*|fill:\\S*|u(8|16|32|64):\\S*)");
    private static final Pattern FINDINGS = Pattern.compile("(?m)^[ \\t]*(bug[ \\t]+\\S|daxfile[ \\t]+rfc-v1)");

    private static List<byte[]> seeds() throws IOException {
        List<byte[]> seeds = new ArrayList<>();
        for (String top : List.of("corpus", "findings")) {
            try (Stream<Path> s = Files.walk(Path.of("..", top))) {
                for (Path p : s.filter(f -> f.toString().endsWith(".dxp")).sorted().collect(Collectors.toList())) {
                    seeds.add(Files.readAllBytes(p));
                }
            }
        }
        return seeds;
    }

    /** One random mutation; text is handled as ISO-8859-1 so that every byte survives. */
    static String mutate(SplittableRandom r, String t) {
        List<int[]> tokens = spans(TOKEN, t);
        int at = r.nextInt(t.length() + 1);
        switch (r.nextInt(12)) {
            case 0: {
                if (tokens.isEmpty()) {
                    return t;
                }
                int[] k = tokens.get(r.nextInt(tokens.size()));
                return t.substring(0, k[0]) + t.substring(k[1]);
            }
            case 1: {
                if (tokens.isEmpty()) {
                    return t;
                }
                int[] k = tokens.get(r.nextInt(tokens.size()));
                return t.substring(0, k[1]) + " " + t.substring(k[0], k[1]) + t.substring(k[1]);
            }
            case 2:
                return t.substring(0, at);
            case 3: {
                StringBuilder junk = new StringBuilder();
                for (int i = 1 + r.nextInt(16); i > 0; i--) {
                    junk.append((char) r.nextInt(256));
                }
                return t.substring(0, at) + junk + t.substring(at);
            }
            case 4: {
                List<int[]> nums = spans(NUMBER, t);
                if (nums.isEmpty()) {
                    return t + "\nwrite f " + pick(r, NUMBERS) + " \"x\"\n";
                }
                int[] k = nums.get(r.nextInt(nums.size()));
                return t.substring(0, k[0]) + pick(r, NUMBERS) + t.substring(k[1]);
            }
            case 5: {
                String style = pick(r, new String[] {"\r", "\r\n", "\n\r", "\r\r\n"});
                StringBuilder sb = new StringBuilder();
                for (String line : t.split("\n", -1)) {
                    sb.append(line).append(r.nextBoolean() ? style : "\n");
                }
                return sb.toString();
            }
            case 6:
                return t.substring(0, at) + "\0".repeat(1 + r.nextInt(3)) + t.substring(at);
            case 7:
                return t.substring(0, at) + "\n" + pick(r, new String[] {"# " + "c".repeat(300_000), "sync ".repeat(60_000),
                    "mkdir /" + "a".repeat(200_000), "write f 0 \"" + "y".repeat(300_000) + "\""}) + "\n" + t.substring(at);
            case 8:
                return t.substring(0, at) + pick(r, new String[] {"\u00ff", "\u00c0\u0080", "\u00e2\u0082", "\u00ef\u00bb\u00bf",
                    "\u00ed\u00a0\u0080"}) + t.substring(at);
            case 9: {
                List<int[]> lits = spans(LITERAL, t);
                if (lits.isEmpty()) {
                    return t + "\nstore 0 " + pick(r, LITERALS) + "\n";
                }
                int[] k = lits.get(r.nextInt(lits.size()));
                return t.substring(0, k[0]) + pick(r, LITERALS) + t.substring(k[1]);
            }
            case 10:
                return r.nextBoolean() ? pick(r, HEADERS) + "\n" + t : t + "\n" + pick(r, HEADERS) + "\n";
            default: {
                String stmt = pick(r, new String[] {"write f # \"x\"", "read f # #", "truncate f #", "fallocate f zero # #",
                    "mmap m f # # shared", "mstore m # \"x\"", "persist m # #", "msync m # #", "mload m # #", "store # \"x\"",
                    "load # #", "clwb #"});
                while (stmt.contains("#")) {
                    stmt = stmt.replaceFirst("#", pick(r, NUMBERS));
                }
                // At the end half the time, where the program's descriptors and mappings are bound.
                int nl = t.indexOf('\n', r.nextBoolean() ? at : t.length());
                nl = nl < 0 ? t.length() : nl;
                return t.substring(0, nl) + "\n" + stmt + t.substring(nl);
            }
        }
    }

    /** Where {@code p} matches in {@code t}: start and end of each match. */
    private static List<int[]> spans(Pattern p, String t) {
        List<int[]> spans = new ArrayList<>();
        Matcher m = p.matcher(t);
        while (m.find()) {
            spans.add(new int[] {m.start(), m.end()});
        }
        return spans;
    }

    private static String pick(SplittableRandom r, String[] from) {
        return from[r.nextInt(from.length)];
    }

    /** What is wrong with a run, or null. */
    private static String problem(Path file, String command, CliRun run, boolean findingsAllowed) {
        String err = run.err();
        if (run.exitCode() == 4 && !err.startsWith("daxfuzz: out of memory")) {
            return "internal error: " + err;
        }
        if (err.contains("\tat ") || err.contains("Exception")) {
            return "stack trace with exit " + run.exitCode() + ": " + err;
        }
        if (run.exitCode() == 1 && !(findingsAllowed && run.out().contains("VIOLATION"))) {
            return "exit 1 on the correct design: " + run.out();
        }
        if (run.exitCode() == 2) {
            String first = err.lines().findFirst().orElse("");
            boolean positioned = Pattern.compile(Pattern.quote(file.toString()) + ":\\d+:\\d+: \\S").matcher(first).lookingAt();
            boolean named = first.startsWith(file + ": ");
            if (!positioned && !named) {
                return "exit 2 without the file's name (and position): " + first;
            }
        }
        if (run.exitCode() < 0 || run.exitCode() > 4) {
            return "exit " + run.exitCode();
        }
        return null;
    }

    @Test
    void malformedProgramsAndRawInputsKeepTheExitCodePromises() throws IOException {
        List<byte[]> seeds = seeds();
        SplittableRandom r = new SplittableRandom(0x5BEE9L);
        List<String> problems = new ArrayList<>();
        int[] byExit = new int[5];
        for (int i = 0; i < 200; i++) {
            String t = new String(seeds.get(r.nextInt(seeds.size())), StandardCharsets.ISO_8859_1);
            for (int k = 1 + r.nextInt(3); k > 0; k--) {
                t = mutate(r, t);
            }
            Path f = dir.resolve("p" + i + ".dxp");
            byte[] bytes = t.getBytes(StandardCharsets.ISO_8859_1);
            Files.write(f, bytes);
            CliRun run = CliRun.of("explore", f.toString());
            byExit[run.exitCode()]++;
            String p = problem(f, "explore", run, FINDINGS.matcher(t).find());
            if (p != null) {
                problems.add(f.getFileName() + ": " + p + "\n--- program ---\n" + t);
            }
        }
        for (int i = 0; i < 40; i++) {
            byte[] raw = new byte[i < 4 ? i : r.nextInt(i < 36 ? 512 : 8192)];
            for (int k = 0; k < raw.length; k++) {
                raw[k] = (byte) r.nextInt(256);
            }
            Path f = Files.write(dir.resolve("r" + i + ".bin"), raw);
            for (String command : List.of("repro", "decode")) {
                CliRun run = CliRun.of(command, f.toString());
                String p = problem(f, command, run, false);
                if (p != null) {
                    problems.add(command + " " + f.getFileName() + ": " + p);
                }
            }
        }
        assertEquals(List.of(), problems);
        assertTrue(byExit[2] > 50 && byExit[0] + byExit[3] > 10, "the sweep reaches both parse errors and runs: exit "
                + "counts " + java.util.Arrays.toString(byExit));
    }
}
