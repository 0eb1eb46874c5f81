package dev.daxfuzz.fuzzing;

import dev.daxfuzz.program.DxpSyntaxError;
import dev.daxfuzz.program.Program;
import dev.daxfuzz.program.ProgramParser;
import dev.daxfuzz.program.ProgramPrinter;
import dev.daxfuzz.run.FsRunner;
import dev.daxfuzz.run.RunReport;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.Comparator;
import java.util.List;
import java.util.stream.Stream;

/**
 * Writes findings to {@code DIR/<token>/}: the reproducer ({@code program.dxp}, the minimised
 * program with its configuration in its header and a {@code # expect:} line), its byte encoding
 * ({@code input.bin}), the input as the fuzzer found it ({@code original.bin}), and the reports
 * ({@code report.md}, {@code report.json}), which are exactly what {@code daxfuzz repro} prints for
 * {@code program.dxp} (text and {@code --json}): {@link #reportFiles} renders both for the same
 * file the command would read, so a report cannot disagree with its reproducer.
 *
 * <p>A finding directory is built under a temporary name and renamed into place in one step, so a
 * reader never sees half a finding; an existing finding with the same token is never overwritten
 * (the first input that showed a bug stays its reproducer).
 */
public final class FindingStore {
    private final Path dir;
    private final String shown;

    /**
     * @param dir the directory findings go to (a campaign's {@code findings/})
     * @param shown how reports name it in {@code reproduce with:} lines (relative to the
     *     repository, so that reports stay true in any checkout)
     */
    public FindingStore(Path dir, String shown) {
        this.dir = dir;
        this.shown = shown;
    }

    /** Where a raw finding of a target that has no reproducer format (a daxfuzz bug) goes. */
    public Path rawDir(String name) {
        return dir.resolve(name);
    }

    /** Where a finding was written, and whether it is new. */
    public record Saved(Path dir, String token, boolean fresh) {
    }

    /**
     * Saves a triaged failing input found by {@code target}; {@code foundBy} says by what
     * campaign, for the reproducer's comment.
     */
    public Saved save(String target, Triage.Triaged t, String foundBy) throws IOException {
        String token = t.token();
        Path dest = dir.resolve(token);
        if (Files.exists(dest)) {
            return new Saved(dest, token, false);
        }
        Files.createDirectories(dir);
        Path tmp = Files.createTempDirectory(dir, ".tmp-" + token + "-");
        Campaign.readableByAll(tmp, true);
        try {
            String kind = t.violation().kind().name();
            String dxp = "# daxfuzz finding " + token + ": " + kind + "\n"
                    + "# found by the " + target + " target" + (foundBy.isEmpty() ? "" : " (" + foundBy + ")")
                    + "; minimised from " + t.decoded().steps().size() + " to " + t.minimized().steps().size()
                    + (t.minimized().steps().size() == 1 ? " statement" : " statements")
                    + (t.budgetExhausted() ? " (budget spent: smaller, perhaps not minimal)" : "") + "\n"
                    + "# expect: " + kind + "\n" + ProgramPrinter.print(t.minimized());
            Files.writeString(tmp.resolve("program.dxp"), dxp, StandardCharsets.UTF_8);
            if (t.raw() != null) {
                Files.write(tmp.resolve("original.bin"), t.raw());
            }
            try {
                Files.write(tmp.resolve("input.bin"), ByteCodec.encode(t.minimized()));
            } catch (ByteCodec.NotEncodable e) {
                // Minimising only removes statements and shrinks data, so a decoded program stays
                // encodable; a hand-written one may not be, and then has no byte form.
                if (t.raw() != null) {
                    throw new IllegalStateException("a minimised decoded program must stay encodable: " + e.getMessage(), e);
                }
            }
            String rel = shown + "/" + token + "/program.dxp";
            Reports r = reportFiles(tmp.resolve("program.dxp"), rel, FsRunner.MAX_STATES_DEFAULT);
            if (!r.violated()) {
                throw new NotShownByRepro(token);
            }
            Files.writeString(tmp.resolve("report.md"), r.markdown(), StandardCharsets.UTF_8);
            Files.writeString(tmp.resolve("report.json"), r.json(), StandardCharsets.UTF_8);
            try {
                Files.move(tmp, dest, StandardCopyOption.ATOMIC_MOVE);
            } catch (FileAlreadyExistsException | AtomicMoveNotSupportedException e) {
                // Someone saved the same token first (a parallel job): theirs stands.
                return new Saved(dest, token, false);
            } catch (IOException e) {
                if (Files.exists(dest)) {
                    return new Saved(dest, token, false);
                }
                throw e;
            }
            return new Saved(dest, token, true);
        } finally {
            deleteTree(tmp);
        }
    }

    /**
     * A finding's two reports.
     *
     * @param violated whether the run they report showed a violation
     */
    public record Reports(String markdown, String json, String text, boolean violated) {
    }

    /**
     * A triaged input whose minimised program {@code repro} would show no violation: the fuzz
     * target's sample reached a state past the bounds {@code repro} explores. It is not saved as
     * a finding, whose report would say nothing is wrong; the campaign keeps the input.
     */
    public static final class NotShownByRepro extends IOException {
        public NotShownByRepro(String token) {
            super("finding " + token + " shows its violation only in the fuzz target's sample of crash states,"
                    + " past the bounds that repro explores");
        }
    }

    /**
     * The reports of the finding whose reproducer is {@code programFile}, as {@code daxfuzz repro
     * shownPath} prints them: {@code text} and {@code json} are the command's output byte for
     * byte; {@code markdown} is the text in a fenced block under a title taken from the
     * reproducer's comments.
     */
    public static Reports reportFiles(Path programFile, String shownPath, long maxStates) throws IOException {
        String source = Files.readString(programFile, StandardCharsets.UTF_8);
        Program program;
        try {
            program = ProgramParser.parse(shownPath, source);
        } catch (DxpSyntaxError e) {
            throw new IOException(e.getMessage(), e);
        }
        FsRunner.Result result = FsRunner.run(program, maxStates, (v, n) -> true);
        RunReport report = new RunReport(program, result, shownPath, reproduceCommand(shownPath));
        String text = report.text();
        StringBuilder md = new StringBuilder();
        List<String> comments = source.lines().takeWhile(l -> l.startsWith("#")).toList();
        String title = comments.isEmpty() ? "daxfuzz finding" : comments.get(0).substring(1).trim();
        md.append("# ").append(title).append("\n\n");
        for (String c : comments.subList(Math.min(1, comments.size()), comments.size())) {
            String line = c.substring(1).trim();
            if (!line.startsWith("expect:") && !line.isEmpty()) {
                md.append(Character.toUpperCase(line.charAt(0))).append(line.substring(1)).append(".\n");
            }
        }
        md.append("\nThe reproducer is `program.dxp` (its header names the design and the seeded bugs);")
                .append(" `input.bin` is its byte encoding");
        if (Files.exists(programFile.resolveSibling("original.bin"))) {
            md.append(", `original.bin` the input as the fuzzer found it");
        }
        md.append(". This is what `").append(reproduceCommand(shownPath)).append("` prints:\n\n```\n").append(text)
                .append("```\n");
        return new Reports(md.toString(), report.json(), text, !result.violations().isEmpty());
    }

    /** The command that reproduces the finding whose reproducer is at {@code shownPath}. */
    public static String reproduceCommand(String shownPath) {
        return "./daxfuzz repro " + shownPath;
    }

    /** The fenced block of a {@code report.md}: the text {@code repro} printed when it was written. */
    public static String fencedText(String markdown) {
        int start = markdown.indexOf("\n```\n");
        int end = markdown.lastIndexOf("```\n");
        if (start < 0 || end <= start) {
            return "";
        }
        return markdown.substring(start + 5, end);
    }

    static void deleteTree(Path p) throws IOException {
        if (!Files.exists(p)) {
            return;
        }
        try (Stream<Path> s = Files.walk(p)) {
            for (Path q : s.sorted(Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(q);
            }
        }
    }
}
