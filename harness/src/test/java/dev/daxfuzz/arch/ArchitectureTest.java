package dev.daxfuzz.arch;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * Guards two promises of the harness by reading its sources.
 * <ul>
 *   <li>Determinism: no unseeded randomness, no wall clock, no hash-ordered JDK collections
 *   (whose iteration order could feed a decision) in {@code harness/src/main}.
 *   <li>Layering: the emulator ({@code pm}) depends on nothing else of daxfuzz; the program
 *   format only on {@code pm}; the file system under test ({@code fs}) never imports the oracle
 *   or the runners; the oracle never imports the runners; nothing imports the command line.
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
            String pkg = MAIN.relativize(p.getParent()).getName(0).toString();
            for (String line : Files.readAllLines(p)) {
                if (!line.startsWith("import dev.daxfuzz.")) {
                    continue;
                }
                String target = line.substring("import dev.daxfuzz.".length());
                String targetPkg = target.substring(0, target.indexOf('.'));
                if (!allowed(pkg, targetPkg)) {
                    hits.add(p + " imports dev.daxfuzz." + target);
                }
            }
        }
        assertEquals(List.of(), hits);
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
