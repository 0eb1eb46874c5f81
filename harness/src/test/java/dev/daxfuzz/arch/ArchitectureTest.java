package dev.daxfuzz.arch;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.SortedSet;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * Guards three promises of the harness by reading its sources.
 * <ul>
 *   <li>Determinism: no unseeded randomness, no wall clock, no hash-ordered JDK collections
 *   (whose iteration order could feed a decision) in {@code harness/src/main}.
 *   <li>Layering: the emulator ({@code pm}) depends on nothing else of daxfuzz; the program
 *   format only on {@code pm}; the file system under test ({@code fs}) never uses the oracle
 *   or the runners; the oracle never uses the runners; nothing uses the command line. A use is
 *   an import or a fully qualified name outside comments.
 *   <li>The system under test ({@code fs}, {@code vm}) uses only plain values of the program
 *   format, never its statements or parser: the runner speaks the language.
 *   <li>The picture of {@code docs/architecture.md} is the package graph the code has: the same
 *   edges, no more, no fewer.
 * </ul>
 */
class ArchitectureTest {
    private static final Path MAIN = Path.of("src", "main", "java", "dev", "daxfuzz");

    private static final Map<String, Pattern> BANNED = Map.of(
            "unseeded java.util.Random", Pattern.compile("new\\s+(java\\.util\\.)?Random\\s*\\(\\s*\\)"),
            "Math.random", Pattern.compile("Math\\.random\\s*\\("),
            "wall clock", Pattern.compile("System\\.(currentTimeMillis|nanoTime)\\s*\\(|Instant\\.now\\s*\\(|LocalDateTime\\.now"),
            "ThreadLocalRandom", Pattern.compile("ThreadLocalRandom"),
            "hash-ordered JDK collection", Pattern.compile("new\\s+(java\\.util\\.)?Hash(Map|Set)\\s*[<(]"));

    private static List<Path> sources() throws IOException {
        try (Stream<Path> s = Files.walk(MAIN)) {
            return s.filter(p -> p.toString().endsWith(".java")).sorted().toList();
        }
    }

    @Test
    void harnessHasNoNondeterminismSources() throws IOException {
        List<String> hits = new ArrayList<>();
        for (Path p : sources()) {
            String text = Files.readString(p);
            // Measures and prints elapsed time; never decides anything (see its Javadoc).
            boolean stopwatch = p.endsWith(Path.of("bench", "Stopwatch.java"));
            for (Map.Entry<String, Pattern> e : BANNED.entrySet()) {
                if (stopwatch && e.getKey().equals("wall clock")) {
                    continue;
                }
                if (e.getValue().matcher(text).find()) {
                    hits.add(p + ": " + e.getKey());
                }
            }
        }
        assertEquals(List.of(), hits);
    }

    @Test
    void dependenciesPointOneWay() throws IOException {
        List<String> hits = new ArrayList<>();
        List<Path> files = sources();
        assertTrue(files.size() > 10, "found the sources");
        for (Path p : files) {
            String pkg = topPackage(p);
            for (String target : usedPackages(p)) {
                if (!allowed(pkg, target)) {
                    hits.add(p + " uses dev.daxfuzz." + target);
                }
            }
        }
        assertEquals(List.of(), hits);
    }

    /**
     * The system under test ({@code fs}, {@code vm}) does not know the {@code .dxp} language: of
     * the program package it uses only the plain values {@link #SUT_PROGRAM_VALUES} (paths, byte
     * strings, the header's design names), never the parsed statements ({@code Op}), the
     * program, or the parser. The runner translates statements into system calls.
     */
    @Test
    void theSystemUnderTestDoesNotKnowTheLanguage() throws IOException {
        List<String> hits = new ArrayList<>();
        for (Path p : sources()) {
            String pkg = topPackage(p);
            if (!pkg.equals("fs") && !pkg.equals("vm")) {
                continue;
            }
            for (String type : programTypesUsedIn(Files.readString(p))) {
                if (!SUT_PROGRAM_VALUES.contains(type)) {
                    hits.add(p + " uses dev.daxfuzz.program." + type);
                }
            }
        }
        assertEquals(List.of(), hits);
    }

    @Test
    void programTypesAreFoundInImportsAndQualifiedNames() {
        String code = "package dev.daxfuzz.fs;\nimport dev.daxfuzz.program.Op;\nimport dev.daxfuzz.program.*;\n"
                + "/** {@link dev.daxfuzz.program.Program} */ class X { dev.daxfuzz.program.FsPath p; }\n";
        assertEquals(Set.of("Op", "*", "FsPath"), programTypesUsedIn(code));
    }

    private static final Set<String> SUT_PROGRAM_VALUES = Set.of("FsPath", "Bytes", "Header");
    private static final Pattern PROGRAM_TYPE = Pattern.compile("\\bdev\\.daxfuzz\\.program\\.([A-Za-z_]+|\\*)");

    /** The program package's top-level types (or {@code *}) named in {@code code} outside comments and literals. */
    static Set<String> programTypesUsedIn(String code) {
        Set<String> used = new TreeSet<>();
        Matcher m = PROGRAM_TYPE.matcher(stripCommentsAndLiterals(code));
        while (m.find()) {
            used.add(m.group(1));
        }
        return used;
    }

    @Test
    void theArchitecturePictureIsThePackageGraph() throws IOException {
        SortedSet<String> actual = new TreeSet<>();
        for (Path p : sources()) {
            String from = topPackage(p);
            for (String to : usedPackages(p)) {
                // posix is a leaf every package may use; the picture leaves it out.
                if (!to.equals("posix")) {
                    actual.add(from + " --> " + to);
                }
            }
        }
        assertTrue(actual.size() > 10, "found the package graph: " + actual);
        SortedSet<String> drawn = pictureEdges();
        SortedSet<String> missing = new TreeSet<>(actual);
        missing.removeAll(drawn);
        SortedSet<String> extra = new TreeSet<>(drawn);
        extra.removeAll(actual);
        assertEquals("", (missing.isEmpty() ? "" : "add to the picture in " + PICTURE + ": " + missing)
                + (extra.isEmpty() ? "" : " remove from the picture in " + PICTURE + ": " + extra));
        for (String edge : drawn) {
            String[] ends = edge.split(" --> ");
            assertTrue(allowed(ends[0], ends[1]), "the picture shows an edge the rule forbids: " + edge);
        }
    }

    @Test
    void commentsAndStringsDoNotCountAsUses() {
        String code = "package dev.daxfuzz.fs;\n/** see {@link dev.daxfuzz.oracle.CrashChecker} */\n"
                + "// dev.daxfuzz.run.FsRunner\nclass X { String s = \"dev.daxfuzz.cli.Main\"; char c = '\\'';"
                + " dev.daxfuzz.pm.CrashImage i; }\n";
        assertEquals(Set.of("pm"), packagesUsedIn(code));
    }

    private static final Path PICTURE = Path.of("..", "docs", "architecture.md");
    private static final Pattern USE = Pattern.compile("\\bdev\\.daxfuzz\\.([a-z]+)\\.");
    private static final Pattern EDGE = Pattern.compile("^\\s*([a-z]+)\\s*-->\\s*([a-z]+)\\s*$");

    /** The {@code a --> b} lines of the first {@code mermaid} block of the architecture page. */
    private static SortedSet<String> pictureEdges() throws IOException {
        SortedSet<String> edges = new TreeSet<>();
        boolean inside = false;
        for (String line : Files.readAllLines(PICTURE)) {
            if (!inside && line.strip().equals("```mermaid")) {
                inside = true;
            } else if (inside && line.strip().equals("```")) {
                return edges;
            } else if (inside) {
                Matcher m = EDGE.matcher(line);
                if (m.matches()) {
                    edges.add(m.group(1) + " --> " + m.group(2));
                }
            }
        }
        throw new AssertionError(PICTURE + " has no complete ```mermaid block");
    }

    private static String topPackage(Path source) {
        return MAIN.relativize(source.getParent()).getName(0).toString();
    }

    /** The other top-level packages of daxfuzz that {@code source} uses (its own package is no use). */
    private static Set<String> usedPackages(Path source) throws IOException {
        Set<String> used = packagesUsedIn(Files.readString(source));
        used.remove(topPackage(source));
        return used;
    }

    /** The top-level packages named in {@code code} outside comments, strings and characters. */
    static Set<String> packagesUsedIn(String code) {
        String stripped = stripCommentsAndLiterals(code);
        Set<String> used = new TreeSet<>();
        Matcher m = USE.matcher(stripped);
        while (m.find()) {
            used.add(m.group(1));
        }
        return used;
    }

    /** {@code code} with comments removed and string, text-block and char literals emptied. */
    static String stripCommentsAndLiterals(String code) {
        StringBuilder out = new StringBuilder();
        int i = 0;
        int n = code.length();
        while (i < n) {
            if (code.startsWith("//", i)) {
                int end = code.indexOf('\n', i);
                i = end < 0 ? n : end;
            } else if (code.startsWith("/*", i)) {
                int end = code.indexOf("*/", i + 2);
                i = end < 0 ? n : end + 2;
                out.append(' ');
            } else if (code.startsWith("\"\"\"", i)) {
                int end = code.indexOf("\"\"\"", i + 3);
                i = end < 0 ? n : end + 3;
                out.append("\"\"");
            } else if (code.charAt(i) == '"' || code.charAt(i) == '\'') {
                char quote = code.charAt(i);
                int j = i + 1;
                while (j < n && code.charAt(j) != quote) {
                    j += code.charAt(j) == '\\' ? 2 : 1;
                }
                i = j + 1;
                out.append(quote).append(quote);
            } else {
                out.append(code.charAt(i++));
            }
        }
        return out.toString();
    }

    private static boolean allowed(String from, String to) {
        if (from.equals(to) || to.equals("posix")) {
            return true;
        }
        return switch (from) {
            case "pm", "posix" -> false;
            case "program" -> to.equals("pm");
            // The system under test never sees its judges or its drivers.
            // The memory-management model is the kernel core: it calls file systems only through
            // its own interfaces (vm_operations), which they implement.
            case "vm" -> to.equals("pm") || to.equals("program");
            case "fs" -> to.equals("pm") || to.equals("program") || to.equals("vm");
            case "oracle" -> to.equals("fs") || to.equals("pm") || to.equals("program") || to.equals("vm");
            case "run" -> to.equals("pm") || to.equals("program") || to.equals("fs") || to.equals("oracle")
                    || to.equals("vm");
            case "cli" -> true;
            default -> !to.equals("cli");
        };
    }
}
