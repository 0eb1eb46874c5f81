package dev.daxfuzz.run;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import dev.daxfuzz.fs.FsGeometry;
import dev.daxfuzz.oracle.Violation;
import dev.daxfuzz.oracle.ViolationKind;
import dev.daxfuzz.oracle.ViolationReport;
import dev.daxfuzz.pm.Provenance;
import dev.daxfuzz.program.Program;
import java.io.IOException;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.List;

/**
 * What {@code explore} and {@code repro} print for a file-system run, and what a saved finding's
 * {@code report.md} and {@code report.json} hold: one renderer, so that a report can never
 * disagree with the command that reproduces it. The text form is the summary line ({@code N crash
 * points, M crash states, K distinct images, V violations}) and each violation explained; the
 * JSON form carries the same numbers and violations. Notes that are not part of the result
 * (truncation, a run that stopped early) are separate ({@link #notes}), for standard error.
 */
public final class RunReport {
    private final Program program;
    private final FsRunner.Result result;
    private final String file;
    private final String reproduce;
    private final ViolationReport explainer;
    private final TaskRunner.Result schedules;

    /**
     * @param program the program that ran
     * @param result its run
     * @param file the file as the user named it (JSON {@code "file"})
     * @param reproduce the command line that reproduces the run, after {@code reproduce with:}
     */
    public RunReport(Program program, FsRunner.Result result, String file, String reproduce) {
        this(program, result, file, reproduce, null);
    }

    /**
     * A report of a program with tasks: {@code schedules} is what the schedule search did, shown
     * ahead of the summary line ({@code S schedules, ...}) and in the JSON.
     */
    public RunReport(Program program, FsRunner.Result result, String file, String reproduce, TaskRunner.Result schedules) {
        this.schedules = schedules;
        this.program = program;
        this.result = result;
        this.file = file;
        this.reproduce = reproduce;
        this.explainer = new ViolationReport(program, FsGeometry.forDevice(program.header().deviceBytes(), 0),
                reproduce);
    }

    /** {@code "1 violation"}, {@code "2 violations"}: a count and its noun, in English. */
    public static String count(long n, String singular, String plural) {
        return n + " " + (n == 1 ? singular : plural);
    }

    /** The summary line, without a line break. */
    public static String summary(long crashPoints, long crashStates, long distinctImages, long violations) {
        return count(crashPoints, "crash point", "crash points") + ", " + count(crashStates, "crash state", "crash states")
                + ", " + count(distinctImages, "distinct image", "distinct images") + ", "
                + count(violations, "violation", "violations");
    }

    /** The text report: the summary line, then each violation explained, each after a blank line. */
    public String text() {
        StringBuilder sb = new StringBuilder();
        if (schedules != null) {
            sb.append(count(schedules.schedules(), "schedule", "schedules")).append(", ");
        }
        sb.append(summary(result.crashPoints(), result.crashStates(), result.distinctImages(),
                result.violations().size())).append('\n');
        int n = 1;
        for (FsRunner.Found f : result.violations()) {
            sb.append('\n').append(explainer.render(f.violation(), n++, f.states()));
        }
        return sb.toString();
    }

    /**
     * Remarks about how far the run got, one per line, for standard error: crash points the
     * state bound cut, and a run that stopped before the end (a wrong result, after which the file
     * system and the model no longer agree, or a hang, after which the task never returns).
     */
    public List<String> notes(long maxStates) {
        List<String> out = new ArrayList<>();
        if (schedules != null) {
            out.add("note: " + (program.header().schedule().isEmpty()
                    ? count(schedules.schedules(), "schedule", "schedules") + " of the tasks run within the"
                            + " preemption bound (" + schedules.beyondBound() + " switches beyond it not taken)"
                            + (schedules.cut() ? "; the search was cut at its schedule limit" : "")
                            + "; each judged by its results, deadlocks and hangs"
                    : "the one schedule the program's `schedule` line names ran, judged by its results, deadlocks and"
                            + " hangs")
                    + ". Crash points are explored in the setup only: this version does not yet crash the tasks");
            if (schedules.undecided() > 0) {
                out.add("note: in " + count(schedules.undecided(), "schedule", "schedules") + " the search for an order"
                        + " of the calls hit its bound; nothing is claimed about them");
            }
        }
        if (!result.truncatedAt().isEmpty()) {
            out.add("note: --max-states " + maxStates + " cut the exploration at "
                    + count(result.truncatedAt().size(), "crash point", "crash points") + " ("
                    + String.join(", ", result.truncatedAt()) + "); some crash states were not checked");
        }
        FsRunner.RecoveryCrashCount rc = result.recoveryCrashes();
        if (rc.cutRecoveries() > 0) {
            out.add("note: --max-states " + maxStates + " also bounds the images of crashed recoveries per crash point,"
                    + " and cut them at " + count(rc.cutRecoveries(), "crash point", "crash points")
                    + "; some images of crashed recoveries were not checked");
        }
        if (result.diverged()) {
            Violation hang = null;
            for (FsRunner.Found f : result.violations()) {
                ViolationKind k = f.violation().kind();
                if (k == ViolationKind.DEADLOCK || k == ViolationKind.LIVELOCK) {
                    hang = f.violation();
                }
            }
            if (hang != null) {
                out.add("note: the program hangs at " + explainer.statement(hang.step()) + " (" + hang.kind()
                        + "); the statements after it did not run");
            } else {
                out.add("note: the file system and the model diverged at a wrong result;"
                        + " later crash points were not checked");
            }
        }
        return out;
    }

    /** The JSON report, pretty-printed, ending with a line break. */
    public String json() {
        StringWriter w = new StringWriter();
        try (JsonGenerator g = new JsonFactory().createGenerator(w)) {
            g.useDefaultPrettyPrinter();
            g.writeStartObject();
            g.writeStringField("file", file);
            if (schedules != null) {
                g.writeNumberField("schedules", schedules.schedules());
                g.writeNumberField("schedulesBeyondBound", schedules.beyondBound());
                g.writeBooleanField("schedulesCut", schedules.cut());
            }
            g.writeNumberField("crashPoints", result.crashPoints());
            g.writeNumberField("crashStates", result.crashStates());
            g.writeNumberField("distinctImages", result.distinctImages());
            if (program.header().recoveryCrashes() > 0) {
                // Images left by a recovery that lost power, recovered again (every level).
                g.writeNumberField("recoveryCrashImages", result.recoveryCrashes().images());
            }
            // The sum saturates at 2^63 - 1: beyond that the figure is a floor, and says so.
            g.writeNumberField("imagesCovered", result.imagesCovered());
            g.writeBooleanField("imagesCoveredSaturated", result.imagesCovered() == Long.MAX_VALUE);
            g.writeNumberField("violationCount", result.violations().size());
            g.writeBooleanField("truncated", !result.truncatedAt().isEmpty());
            g.writeBooleanField("diverged", result.diverged());
            g.writeObjectFieldStart("configuration");
            g.writeStringField("daxfile", program.header().daxfile().keyword());
            strings(g, "bugs", program.header().bugs());
            g.writeEndObject();
            g.writeArrayFieldStart("violations");
            for (FsRunner.Found f : result.violations()) {
                violation(g, f);
            }
            g.writeEndArray();
            strings(g, "truncatedAt", result.truncatedAt());
            writeFailures(g, result.failures());
            g.writeEndObject();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return w + "\n";
    }

    private void violation(JsonGenerator g, FsRunner.Found f) throws IOException {
        Violation v = f.violation();
        g.writeStartObject();
        g.writeStringField("kind", v.kind().name());
        g.writeStringField("call", explainer.statement(v.step()));
        g.writeStringField("crashPoint", v.crashPoint().orElse(null));
        if (!v.recoveryCrashes().isEmpty()) {
            g.writeArrayFieldStart("recoveryCrashes");
            for (String c : v.recoveryCrashes()) {
                g.writeString(c);
            }
            g.writeEndArray();
        }
        g.writeNumberField("states", f.states());
        g.writeStringField("summary", v.summary());
        strings(g, "expected", v.expected());
        strings(g, "actual", v.actual());
        if (v.provenance().isPresent()) {
            Provenance p = v.provenance().get();
            g.writeArrayFieldStart("lostEntries");
            for (Provenance.Entry e : p.lost()) {
                g.writeString(e.toString());
            }
            g.writeEndArray();
            g.writeArrayFieldStart("lines");
            for (Provenance.Line l : p.lines()) {
                g.writeStartObject();
                g.writeStringField("addr", "0x" + Long.toHexString(l.addr()));
                g.writeStringField("region", explainer.region(l.addr()));
                g.writeNumberField("writes", l.writes().size());
                g.writeNumberField("persistedWrites", l.persistedWrites());
                g.writeNumberField("partialWordMask", l.partialWordMask());
                g.writeEndObject();
            }
            g.writeEndArray();
        }
        g.writeStringField("reproduce", reproduce);
        g.writeEndObject();
    }

    /** Writes {@code values} as a JSON array field, in their iteration order. */
    public static void strings(JsonGenerator g, String name, java.util.Collection<String> values) throws IOException {
        g.writeArrayFieldStart(name);
        for (String s : values) {
            g.writeString(s);
        }
        g.writeEndArray();
    }

    /** Writes failed {@code =>} expectations as the {@code expectationFailures} array every command's JSON uses. */
    public static void writeFailures(JsonGenerator g, List<ExpectationFailure> failures) throws IOException {
        g.writeArrayFieldStart("expectationFailures");
        for (ExpectationFailure x : failures) {
            g.writeStartObject();
            g.writeNumberField("line", x.pos().line());
            g.writeNumberField("column", x.pos().column());
            g.writeStringField("statement", x.statement());
            g.writeStringField("expected", x.expected());
            g.writeStringField("actual", x.actual());
            g.writeEndObject();
        }
        g.writeEndArray();
    }
}
