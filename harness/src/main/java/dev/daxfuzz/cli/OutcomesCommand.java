package dev.daxfuzz.cli;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import dev.daxfuzz.pm.CrashImage;
import dev.daxfuzz.program.Program;
import dev.daxfuzz.run.RawDeviceRunner;
import dev.daxfuzz.run.RunReport;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.HexFormat;
import java.util.List;
import java.util.SortedSet;
import java.util.TreeSet;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

/**
 * {@code daxfuzz outcomes FILE.dxp [--observe ADDR:LEN[,...]]}: every distinct crash outcome of an
 * {@code fs none} program, one line each, sorted, without duplicates (the form of
 * {@code docs/program-format.md} §10).
 *
 * <p>Without {@code --observe} the ranges come from the file's {@code # observe:} line, and its
 * {@code # outcome:} and {@code # forbidden:} lines are checked after the outcomes are printed
 * ({@link LitmusComments}): a listed outcome that did not occur, one that occurred but is not
 * listed, or a forbidden one that occurred is named on stderr and the exit code is 3. With
 * {@code --observe} the same check runs when the ranges equal the file's; otherwise a note says
 * that the file's verdict was not checked, because its lines name other ranges.
 */
@Command(name = "outcomes", mixinStandardHelpOptions = true,
        description = {"Print every distinct crash outcome of an `fs none` program, one line each.",
            "Each line is `ADDR=HEX` for every observed range in the order given; sorted.",
            "Without --observe the file's `# observe:` line names the ranges, and its",
            "`# outcome:` and `# forbidden:` lines are checked (exit 3 when they fail)."})
final class OutcomesCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Mixin
    ProgramOptions options;

    @Option(names = "--observe", paramLabel = "ADDR:LEN[,ADDR:LEN...]",
            description = "device ranges to print for each outcome (default: the file's `# observe:` line)")
    String observe;

    @Override
    public Integer call() throws IOException {
        Program program = options.loadRawDeviceProgram("outcomes");
        long device = program.header().deviceBytes();
        LitmusComments comments = LitmusComments.read(options.file);
        if (observe == null && comments.observe().isEmpty()) {
            throw new UsageException(options.file + ": no ranges to observe: give --observe ADDR:LEN[,ADDR:LEN...]"
                    + " or put a `# observe: ADDR:LEN[,ADDR:LEN...]` line in the file");
        }
        // The file's ranges matter when they are used, or when verdict lines are written for them.
        boolean fileRangesMatter = comments.observe().isPresent() && (observe == null || comments.hasVerdict());
        List<ObservedRange> fileRanges = !fileRangesMatter ? null
                : ObservedRange.parseList(comments.observe().get().text(), device,
                        options.file + ":" + comments.observe().get().number() + ": # observe:");
        List<ObservedRange> ranges = observe != null ? ObservedRange.parseList(observe, device) : fileRanges;
        // The verdict lines spell outcomes for the file's ranges; they say nothing about others.
        LitmusComments.Verdict verdict = comments.hasVerdict() && ranges.equals(fileRanges)
                ? comments.verdict(options.file, ranges) : null;
        TreeSet<String> lines = new TreeSet<>();
        HexFormat hex = HexFormat.of();
        RawDeviceRunner.Result result = RawDeviceRunner.run(program, options.maxStates, (point, state) -> {
            CrashImage image = state.image();
            StringBuilder sb = new StringBuilder();
            for (ObservedRange r : ranges) {
                byte[] b = new byte[r.len()];
                image.read(r.addr(), b, 0, b.length);
                if (sb.length() > 0) {
                    sb.append(' ');
                }
                sb.append(r.label()).append('=').append(hex.formatHex(b));
            }
            lines.add(sb.toString());
            return true;
        });
        PrintWriter out = spec.commandLine().getOut();
        PrintWriter err = spec.commandLine().getErr();
        Check check = verdict == null ? null : new Check(verdict, lines);
        if (options.json) {
            writeJson(out, program, ranges, lines, result, check);
        } else {
            for (String line : lines) {
                out.println(line);
            }
        }
        Reporting.truncationNote(err, result, options.maxStates, "outcomes");
        Reporting.expectationFailures(err, options.file, result.failures());
        if (comments.hasVerdict() && verdict == null) {
            err.println("daxfuzz: note: " + options.file + ": --observe " + observe + " differs from the file's"
                    + " `# observe:` line (line " + comments.observe().get().number() + "), so its `# outcome:` and"
                    + " `# forbidden:` lines were not checked");
        }
        if (check != null) {
            check.report(err, options.file);
        }
        out.flush();
        err.flush();
        boolean held = result.failures().isEmpty() && (check == null || check.held());
        return held ? ExitCode.OK : ExitCode.EXPECTATION;
    }

    /** The comparison of the outcomes found with a litmus file's verdict lines. */
    private record Check(LitmusComments.Verdict verdict, SortedSet<String> missing, SortedSet<String> unexpected,
                         SortedSet<String> forbidden) {
        Check(LitmusComments.Verdict verdict, SortedSet<String> found) {
            this(verdict, verdict.missing(found), withoutForbidden(verdict, found), verdict.forbiddenSeen(found));
        }

        /** Unexpected outcomes, leaving out the forbidden ones, which are reported as such. */
        private static SortedSet<String> withoutForbidden(LitmusComments.Verdict verdict, SortedSet<String> found) {
            SortedSet<String> s = verdict.unexpected(found);
            s.removeAll(verdict.forbiddenSeen(found));
            return s;
        }

        boolean held() {
            return missing.isEmpty() && unexpected.isEmpty() && forbidden.isEmpty();
        }

        void report(PrintWriter err, Path file) {
            for (String o : missing) {
                err.println(file + ":" + verdict.allowed().get(o).number() + ": missing outcome (listed, never occurred): "
                        + o);
            }
            for (String o : unexpected) {
                err.println(file + ": unexpected outcome (occurred, not listed by any `# outcome:` line): " + o);
            }
            for (String o : forbidden) {
                err.println(file + ":" + verdict.banned().get(o).number() + ": forbidden outcome occurred: " + o);
            }
        }
    }

    private void writeJson(PrintWriter out, Program program, List<ObservedRange> ranges, TreeSet<String> lines,
                           RawDeviceRunner.Result result, Check check) throws IOException {
        try (JsonGenerator g = new JsonFactory().disable(JsonGenerator.Feature.AUTO_CLOSE_TARGET).createGenerator(out)) {
            g.useDefaultPrettyPrinter();
            g.writeStartObject();
            g.writeStringField("file", options.file.toString());
            g.writeStringField("persistency", program.header().persistency().keyword());
            g.writeNumberField("crashPoints", result.crashPoints());
            g.writeNumberField("crashStates", result.crashStates());
            g.writeNumberField("distinctImages", result.distinctImages());
            g.writeBooleanField("truncated", !result.truncatedAt().isEmpty());
            g.writeArrayFieldStart("observe");
            for (ObservedRange r : ranges) {
                g.writeStartObject();
                g.writeStringField("addr", r.label());
                g.writeNumberField("len", r.len());
                g.writeEndObject();
            }
            g.writeEndArray();
            g.writeArrayFieldStart("outcomes");
            for (String line : lines) {
                g.writeStartObject();
                for (String part : line.split(" ")) {
                    int eq = part.indexOf('=');
                    g.writeStringField(part.substring(0, eq), part.substring(eq + 1));
                }
                g.writeEndObject();
            }
            g.writeEndArray();
            g.writeBooleanField("verdictChecked", check != null);
            if (check != null) {
                RunReport.strings(g, "missing", check.missing());
                RunReport.strings(g, "unexpected", check.unexpected());
                RunReport.strings(g, "forbidden", check.forbidden());
            }
            RunReport.writeFailures(g, result.failures());
            g.writeEndObject();
        }
        out.println();
    }
}
