package dev.daxfuzz.cli;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.SortedSet;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The comments that make an {@code fs none} program a self-checking litmus test, as herd7's final
 * conditions do for its litmus files: {@code # observe: ADDR:LEN[,...]} (the ranges to print),
 * {@code # outcome: LINE} (together, exactly the outcomes the model allows) and
 * {@code # forbidden: LINE} (an outcome that must not occur). They are comments to the program
 * parser; only {@code daxfuzz outcomes} reads them.
 *
 * <p>Only whole-line comments count ({@code store 0 u8:1 # outcome: ...} is an ordinary comment).
 * A verdict line is checked against the observed ranges when it is read, so that a typo is a
 * usage error naming its line rather than a puzzling "missing outcome".
 *
 * @param observe the {@code # observe:} line, if any
 * @param outcomes the {@code # outcome:} lines, in file order
 * @param forbidden the {@code # forbidden:} lines, in file order
 */
record LitmusComments(Optional<Line> observe, List<Line> outcomes, List<Line> forbidden) {

    /** One comment: its 1-based line number and the text after the colon, trimmed. */
    record Line(int number, String text) {
    }

    private static final Pattern COMMENT = Pattern.compile("^[ \\t]*#[ \\t]*(observe|outcome|forbidden):(.*)$");
    private static final Pattern HEX = Pattern.compile("[0-9a-fA-F]*");

    LitmusComments {
        outcomes = List.copyOf(outcomes);
        forbidden = List.copyOf(forbidden);
    }

    /** True when the file states what its outcomes must be. */
    boolean hasVerdict() {
        return !outcomes.isEmpty() || !forbidden.isEmpty();
    }

    /**
     * Reads the litmus comments of {@code file}, which has already parsed as a program (so it is
     * readable UTF-8).
     *
     * @throws UsageException for a second {@code # observe:} line, or verdict lines without one
     */
    static LitmusComments read(Path file) throws IOException {
        List<String> text = Files.readAllLines(file, StandardCharsets.UTF_8);
        Line observe = null;
        List<Line> outcomes = new ArrayList<>();
        List<Line> forbidden = new ArrayList<>();
        for (int i = 0; i < text.size(); i++) {
            Matcher m = COMMENT.matcher(text.get(i));
            if (!m.matches()) {
                continue;
            }
            Line line = new Line(i + 1, m.group(2).trim());
            switch (m.group(1)) {
                case "observe" -> {
                    if (observe != null) {
                        throw new UsageException(file + ":" + line.number() + ": a second `# observe:` line (the first is"
                                + " line " + observe.number() + "); a litmus file observes one list of ranges");
                    }
                    observe = line;
                }
                case "outcome" -> outcomes.add(line);
                default -> forbidden.add(line);
            }
        }
        LitmusComments c = new LitmusComments(Optional.ofNullable(observe), outcomes, forbidden);
        if (observe == null && c.hasVerdict()) {
            Line first = !outcomes.isEmpty() ? outcomes.get(0) : forbidden.get(0);
            throw new UsageException(file + ":" + first.number() + ": `# outcome:` and `# forbidden:` lines need an"
                    + " `# observe: ADDR:LEN[,ADDR:LEN...]` line that says which ranges they show");
        }
        return c;
    }

    /**
     * The verdict lines in the form {@code outcomes} prints, keyed by that form: each must name
     * exactly {@code ranges}, in order, with two hex digits per byte. Hex digits may be written in
     * either case.
     *
     * @throws UsageException naming the first malformed line, or an outcome also forbidden
     */
    Verdict verdict(Path file, List<ObservedRange> ranges) {
        TreeMap<String, Line> allowed = normalise(file, ranges, outcomes, "# outcome:");
        TreeMap<String, Line> banned = normalise(file, ranges, forbidden, "# forbidden:");
        for (var e : banned.entrySet()) {
            Line also = allowed.get(e.getKey());
            if (also != null) {
                throw new UsageException(file + ":" + e.getValue().number() + ": `# forbidden: " + e.getKey()
                        + "` is also listed as an outcome at line " + also.number());
            }
        }
        return new Verdict(allowed, banned);
    }

    private static TreeMap<String, Line> normalise(Path file, List<ObservedRange> ranges, List<Line> lines, String what) {
        TreeMap<String, Line> out = new TreeMap<>();
        for (Line line : lines) {
            String[] parts = line.text().isEmpty() ? new String[0] : line.text().split("[ \\t]+");
            StringBuilder sb = new StringBuilder();
            boolean ok = parts.length == ranges.size();
            for (int i = 0; ok && i < parts.length; i++) {
                ObservedRange r = ranges.get(i);
                String prefix = r.label() + "=";
                String hex = parts[i].startsWith(prefix) ? parts[i].substring(prefix.length()) : null;
                ok = hex != null && hex.length() == 2 * r.len() && HEX.matcher(hex).matches();
                if (ok) {
                    sb.append(i > 0 ? " " : "").append(prefix).append(hex.toLowerCase(Locale.ROOT));
                }
            }
            if (!ok) {
                throw new UsageException(file + ":" + line.number() + ": expected `" + what + " " + form(ranges)
                        + "` (the ranges of the `# observe:` line, in order, two hex digits per byte), found `"
                        + what + " " + line.text() + "`");
            }
            out.putIfAbsent(sb.toString(), line);
        }
        return out;
    }

    /** The shape of an outcome line for {@code ranges}, e.g. {@code 0x0=<16 hex digits>}. */
    private static String form(List<ObservedRange> ranges) {
        StringBuilder sb = new StringBuilder();
        for (ObservedRange r : ranges) {
            sb.append(sb.length() > 0 ? " " : "").append(r.label()).append("=<").append(2 * r.len()).append(" hex digits>");
        }
        return sb.toString();
    }

    /**
     * What a litmus file declares, outcomes in printed form mapped to the line that lists them.
     *
     * @param allowed the {@code # outcome:} lines; empty when the file lists none (then any
     *     outcome not forbidden is accepted)
     * @param banned the {@code # forbidden:} lines
     */
    record Verdict(TreeMap<String, Line> allowed, TreeMap<String, Line> banned) {

        /** Listed outcomes that did not occur, sorted. */
        SortedSet<String> missing(SortedSet<String> found) {
            TreeSet<String> s = new TreeSet<>(allowed.keySet());
            s.removeAll(found);
            return s;
        }

        /** Outcomes that occurred but are not listed (none when nothing is listed), sorted. */
        SortedSet<String> unexpected(SortedSet<String> found) {
            TreeSet<String> s = new TreeSet<>();
            if (!allowed.isEmpty()) {
                s.addAll(found);
                s.removeAll(allowed.keySet());
            }
            return s;
        }

        /** Forbidden outcomes that occurred, sorted. */
        SortedSet<String> forbiddenSeen(SortedSet<String> found) {
            TreeSet<String> s = new TreeSet<>(banned.keySet());
            s.retainAll(found);
            return s;
        }
    }
}
