package dev.daxfuzz.docs;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * A clone must stand on its own: the project's Markdown (README, CONTRIBUTING, {@code docs/},
 * {@code findings/}, {@code corpus/}) links only to files inside the repository, every relative
 * link resolves (and its {@code #anchor}, when it names a heading of a Markdown file, exists),
 * repository paths written as code ({@code `docs/mappings.md`}) exist, and nothing points at the
 * development notes that live outside the repository ({@code ../shared}, {@code shared/spec},
 * {@code shared/notes}).
 */
class DocLinksTest {
    static final Path ROOT = Path.of("..").toAbsolutePath().normalize();

    /** {@code [text](target)} and {@code ![alt](target)}; the target ends at a space or ')'. */
    private static final Pattern LINK = Pattern.compile("\\]\\(([^)\\s]+)(?:\\s+\"[^\"]*\")?\\)");
    /** A code span that starts with a top-level directory of the repository. */
    private static final Pattern CODE_PATH = Pattern.compile(
            "`((?:\\./)?(?:docs|findings|corpus|harness|fuzz|tools|bench|\\.ci|\\.clusterfuzzlite)/[^`\\s]*)`");
    private static final Pattern OUTSIDE = Pattern.compile("\\.\\./shared|shared/spec|shared/notes");

    static List<Path> pages() throws IOException {
        List<Path> pages = new ArrayList<>();
        for (String top : List.of("README.md", "CONTRIBUTING.md")) {
            if (Files.exists(ROOT.resolve(top))) {
                pages.add(ROOT.resolve(top));
            }
        }
        for (String dir : List.of("docs", "findings", "corpus")) {
            try (Stream<Path> s = Files.walk(ROOT.resolve(dir))) {
                s.filter(p -> p.toString().endsWith(".md")).sorted().forEach(pages::add);
            }
        }
        return pages;
    }

    @Test
    void theReadmeAndEveryDocAreScanned() throws IOException {
        List<Path> pages = pages();
        assertTrue(pages.contains(ROOT.resolve("README.md")) && pages.contains(ROOT.resolve("CONTRIBUTING.md"))
                && pages.contains(ROOT.resolve("docs/program-format.md")), pages.toString());
    }

    @Test
    void everyRelativeLinkResolvesInsideTheClone() throws IOException {
        List<String> broken = new ArrayList<>();
        int links = 0;
        for (Path page : pages()) {
            String text = withoutFencedBlocks(Files.readString(page));
            Matcher m = LINK.matcher(text);
            while (m.find()) {
                String target = m.group(1);
                if (target.startsWith("http://") || target.startsWith("https://") || target.startsWith("mailto:")) {
                    continue;
                }
                links++;
                String problem = check(page, target);
                if (problem != null) {
                    broken.add(ROOT.relativize(page) + ": (" + target + ") " + problem);
                }
            }
        }
        assertTrue(links > 20, "found the links: " + links);
        assertEquals(List.of(), broken);
    }

    @Test
    void repositoryPathsWrittenAsCodeExist() throws IOException {
        List<String> missing = new ArrayList<>();
        for (Path page : pages()) {
            Matcher m = CODE_PATH.matcher(withoutFencedBlocks(Files.readString(page)));
            while (m.find()) {
                String path = m.group(1);
                if (isPattern(path)) {
                    continue;
                }
                if (!Files.exists(ROOT.resolve(path))) {
                    missing.add(ROOT.relativize(page) + ": `" + path + "`");
                }
            }
        }
        assertEquals(List.of(), missing);
    }

    @Test
    void nothingPointsOutsideTheRepository() throws IOException {
        List<String> hits = new ArrayList<>();
        for (Path page : pages()) {
            List<String> lines = Files.readAllLines(page);
            for (int i = 0; i < lines.size(); i++) {
                if (OUTSIDE.matcher(lines.get(i)).find()) {
                    hits.add(ROOT.relativize(page) + ":" + (i + 1) + ": " + lines.get(i).strip());
                }
            }
        }
        assertEquals(List.of(), hits);
    }

    /**
     * A placeholder or build output, not a file of the clone: {@code findings/<target>/},
     * {@code findings/catalog/NAME.dxp}, {@code docs/bench/results.{md,json}},
     * {@code harness/…/fs/}, {@code fuzz/target/...}.
     */
    static boolean isPattern(String path) {
        if (path.matches(".*[<>{}*…].*") || path.contains("/target/") || path.contains("...")) {
            return true;
        }
        for (String segment : path.split("/")) {
            String stem = segment.replaceAll("\\..*$", "");
            if (stem.length() > 0 && stem.equals(stem.toUpperCase(Locale.ROOT)) && stem.matches(".*[A-Z].*")
                    && !segment.equals("README.md")) {
                return true;
            }
        }
        return false;
    }

    /** Why {@code target}, linked from {@code page}, does not resolve; null when it does. */
    private static String check(Path page, String target) throws IOException {
        int hash = target.indexOf('#');
        String file = hash < 0 ? target : target.substring(0, hash);
        String anchor = hash < 0 ? null : target.substring(hash + 1);
        Path resolved = file.isEmpty() ? page : page.getParent().resolve(file).normalize();
        if (!resolved.startsWith(ROOT)) {
            return "points outside the repository";
        }
        if (!Files.exists(resolved)) {
            return "no such file";
        }
        if (anchor != null && resolved.toString().endsWith(".md") && !anchors(resolved).contains(anchor)) {
            return "no heading with anchor #" + anchor + " in " + ROOT.relativize(resolved);
        }
        return null;
    }

    /** The anchors GitHub gives the headings of a Markdown file. */
    static Set<String> anchors(Path md) throws IOException {
        Set<String> out = new TreeSet<>();
        for (String line : withoutFencedBlocks(Files.readString(md)).split("\n")) {
            if (line.matches("#{1,6} .*")) {
                out.add(slug(line.replaceFirst("#{1,6} ", "")));
            }
        }
        return out;
    }

    /** GitHub's heading slug: lower case, punctuation dropped, each space a hyphen. */
    static String slug(String heading) {
        return heading.strip().toLowerCase(Locale.ROOT).replaceAll("[^\\p{L}\\p{N} _-]", "").replace(' ', '-');
    }

    private static String withoutFencedBlocks(String text) {
        return text.replaceAll("(?ms)^```.*?^```[ \\t]*$", "");
    }

    @Test
    void slugsFollowGitHub() {
        assertEquals("6-results-and--expectations", slug("6. Results and `=>` expectations"));
        assertEquals("programs-dxp", slug("Programs (`.dxp`)"));
    }
}
