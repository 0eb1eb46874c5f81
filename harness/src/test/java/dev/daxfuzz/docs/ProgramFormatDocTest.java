package dev.daxfuzz.docs;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.daxfuzz.cli.Main;
import dev.daxfuzz.oracle.ViolationKind;
import dev.daxfuzz.pm.Persistency;
import dev.daxfuzz.posix.Errno;
import dev.daxfuzz.program.BugNames;
import dev.daxfuzz.program.DxpSyntaxError;
import dev.daxfuzz.program.Keyword;
import dev.daxfuzz.program.ProgramParser;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code docs/program-format.md} is the users' reference of the {@code .dxp} format, so it must
 * cover what the code accepts and its examples must work:
 * <ul>
 *   <li>every statement and header keyword the parser knows (taken from the parser's own list,
 *   which it prints for an unknown statement) appears in it as code;
 *   <li>so does every word of every {@link Keyword} enum of the program package (flags, modes,
 *   actions, designs, result words), every persistency, errno name, seeded bug and violation
 *   kind: adding one to the code without documenting it fails here;
 *   <li>every {@code ```dxp} example parses; one followed by a line "`daxfuzz CMD [ARGS]` exits
 *   N" is run through the command line with those arguments and must exit N, and when that line
 *   ends in "and prints:" the {@code ```text} block after it must be exactly what it printed.
 * </ul>
 */
class ProgramFormatDocTest {
    static final Path DOC = Path.of("..", "docs", "program-format.md");
    private static final Pattern RUN = Pattern.compile("^`daxfuzz (\\w+)((?: [^`]*)?)` exits (\\d)( and prints:)?.*$");

    @TempDir
    Path dir;

    /** A fenced block of the page: its info string, first content line (1-based) and text. */
    record Block(String info, int line, String text) {
    }

    static List<String> lines() throws IOException {
        return Files.readAllLines(DOC);
    }

    static List<Block> blocks(List<String> lines) {
        List<Block> out = new ArrayList<>();
        for (int i = 0; i < lines.size(); i++) {
            String l = lines.get(i);
            if (!l.startsWith("```") || l.equals("```")) {
                continue;
            }
            int j = i + 1;
            while (j < lines.size() && !lines.get(j).equals("```")) {
                j++;
            }
            assertTrue(j < lines.size(), DOC + ":" + (i + 1) + ": unclosed fence");
            out.add(new Block(l.substring(3).strip(), i + 2, String.join("\n", lines.subList(i + 1, j)) + "\n"));
            i = j;
        }
        return out;
    }

    /** The statement words the parser accepts, from its message for an unknown statement. */
    static List<String> parserWords() {
        DxpSyntaxError e = assertThrows(DxpSyntaxError.class, () -> ProgramParser.parse("probe", "frobnicate\n"));
        String marker = "expected one of: ";
        int at = e.detail().indexOf(marker);
        assertTrue(at >= 0, "the parser no longer lists its statements: " + e.detail());
        return Arrays.asList(e.detail().substring(at + marker.length()).split(", "));
    }

    /** Whether the page shows {@code word} as code: {@code `word`} or at the start of a code span. */
    private static boolean mentionedAsCode(String text, String word) {
        return Pattern.compile("`" + Pattern.quote(word) + "[` ,]").matcher(text).find();
    }

    @Test
    void everyStatementTheParserAcceptsIsDocumented() throws IOException {
        List<String> words = parserWords();
        assertTrue(words.containsAll(List.of("device", "bug", "store", "crash", "mmap", "persist", "cred")), words.toString());
        String text = Files.readString(DOC);
        List<String> missing = words.stream().filter(w -> !mentionedAsCode(text, w)).toList();
        assertEquals(List.of(), missing, "statements the parser accepts but " + DOC + " does not mention as code");
    }

    @Test
    void everyWordOfTheFormatIsDocumented() throws IOException, ClassNotFoundException, URISyntaxException {
        Set<String> words = new TreeSet<>();
        for (Class<?> c : programClasses()) {
            if (c.isEnum() && Keyword.class.isAssignableFrom(c)) {
                for (Object constant : c.getEnumConstants()) {
                    words.add(((Keyword) constant).keyword());
                }
            }
        }
        assertTrue(words.containsAll(Set.of("creat", "shared-validate", "punch", "rfc-v1", "drop-lock-retry", "SIGBUS")),
                "found the Keyword enums: " + words);
        for (Persistency p : Persistency.values()) {
            words.add(p.keyword());
        }
        for (Errno e : Errno.values()) {
            words.add(e.name());
        }
        words.addAll(BugNames.ALL);
        for (ViolationKind k : ViolationKind.values()) {
            words.add(k.name());
        }
        String text = Files.readString(DOC);
        List<String> missing = words.stream().filter(w -> !mentionedAsCode(text, w)).toList();
        assertEquals(List.of(), missing, "words of the format that " + DOC + " does not mention as code");
    }

    /** The classes of the {@code dev.daxfuzz.program} package, read from the compiled classes. */
    private static List<Class<?>> programClasses() throws IOException, ClassNotFoundException, URISyntaxException {
        Path root = Path.of(Keyword.class.getProtectionDomain().getCodeSource().getLocation().toURI());
        Path pkg = root.resolve("dev/daxfuzz/program");
        List<Class<?>> out = new ArrayList<>();
        try (Stream<Path> s = Files.list(pkg)) {
            for (Path p : s.sorted().toList()) {
                String f = p.getFileName().toString();
                if (f.endsWith(".class")) {
                    out.add(Class.forName("dev.daxfuzz.program." + f.substring(0, f.length() - 6)));
                }
            }
        }
        return out;
    }

    @Test
    void everyExampleParses() throws IOException {
        List<Block> examples = blocks(lines()).stream().filter(b -> b.info().equals("dxp")).toList();
        assertTrue(examples.size() >= 10, "found the examples: " + examples.size());
        List<String> errors = new ArrayList<>();
        for (Block b : examples) {
            try {
                // Named so that a message points into the page: the block starts at line b.line().
                ProgramParser.parse(DOC + " (example at line " + b.line() + ")", b.text());
            } catch (DxpSyntaxError e) {
                errors.add(e.getMessage());
            }
        }
        assertEquals(List.of(), errors);
    }

    @Test
    void examplesExitAsTheyStateAndPrintWhatTheyShow() throws IOException {
        List<String> lines = lines();
        List<Block> blocks = blocks(lines);
        Set<Integer> exitCodes = new TreeSet<>();
        int run = 0;
        for (int k = 0; k < blocks.size(); k++) {
            Block b = blocks.get(k);
            if (!b.info().equals("dxp")) {
                continue;
            }
            int after = b.line() - 1 + (int) b.text().lines().count() + 1;
            while (after < lines.size() && lines.get(after).isBlank()) {
                after++;
            }
            Matcher m = after < lines.size() ? RUN.matcher(lines.get(after)) : null;
            if (m == null || !m.matches()) {
                continue;
            }
            Path file = dir.resolve("example-" + b.line() + ".dxp");
            Files.writeString(file, b.text());
            List<String> args = new ArrayList<>(List.of(m.group(1), file.toString()));
            if (!m.group(2).isBlank()) {
                args.addAll(Arrays.asList(m.group(2).strip().split(" ")));
            }
            StringWriter out = new StringWriter();
            StringWriter err = new StringWriter();
            int code = Main.run(args.toArray(String[]::new), new PrintWriter(out), new PrintWriter(err));
            String where = DOC + ":" + (after + 1) + " (example at line " + b.line() + ")";
            assertEquals(Integer.parseInt(m.group(3)), code, where + ": exit code; stdout:\n" + out + "stderr:\n" + err);
            if (m.group(4) != null) {
                assertTrue(k + 1 < blocks.size() && blocks.get(k + 1).info().equals("text"),
                        where + ": says 'and prints:' but no ```text block follows");
                assertEquals(blocks.get(k + 1).text(), out.toString(), where + ": printed output");
            }
            exitCodes.add(code);
            run++;
        }
        assertTrue(run >= 8, "ran the examples that state an exit code: " + run);
        assertTrue(exitCodes.containsAll(Set.of(0, 1, 3)), "examples show exits 0, 1 and 3: " + exitCodes);
    }

    @Test
    void theProbeOfTheParserSeesAnUnknownStatement() {
        // If the parser ever accepted the probe word, the keyword test above would test nothing.
        assertFalse(parserWords().contains("frobnicate"));
    }
}
