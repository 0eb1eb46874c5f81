package dev.daxfuzz.fuzzing;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import dev.daxfuzz.oracle.Violation;
import dev.daxfuzz.program.Program;
import dev.daxfuzz.program.ProgramPrinter;
import java.io.IOException;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.Comparator;
import java.util.stream.Stream;

/**
 * Writes findings to {@code findings/<target>/<token>/}: the raw input ({@code input.bin}), the
 * decoded program as the canonical reproducer ({@code program.dxp}, with a {@code # expect:}
 * line), the explained violation ({@code report.md}) and the same as JSON ({@code report.json}).
 * A finding directory is built under a temporary name and renamed into place in one step, so a
 * reader never sees half a finding; an existing finding with the same token is never overwritten
 * (the first input that found a bug stays its reproducer).
 */
public final class FindingStore {
    private final Path root;
    private final String shown;

    /** @param root the findings directory ({@code findings/}) */
    public FindingStore(Path root) {
        this(root, root.toString());
    }

    /**
     * @param root the findings directory
     * @param shown how {@code reproduce with:} lines name it (relative to the repository, so that
     *     reports stay true in any checkout)
     */
    public FindingStore(Path root, String shown) {
        this.root = root;
        this.shown = shown;
    }

    /** Where a finding was written, and whether it is new. */
    public record Saved(Path dir, String token, boolean fresh) {
    }

    /**
     * Saves the finding of {@code input} (may be null for a finding that started as a
     * {@code .dxp}), found by {@code target}.
     */
    public Saved save(String target, byte[] input, Program program, Violation v, long states) throws IOException {
        String token = SyscallCrash.token(program, v);
        Path dir = root.resolve(target).resolve(token);
        if (Files.exists(dir)) {
            return new Saved(dir, token, false);
        }
        Files.createDirectories(dir.getParent());
        Path tmp = Files.createTempDirectory(dir.getParent(), ".tmp-" + token + "-");
        try {
            String reproduce = "./daxfuzz repro " + shown + "/" + target + "/" + token + "/program.dxp";
            if (input != null) {
                Files.write(tmp.resolve("input.bin"), input);
            }
            String dxp = "# daxfuzz finding " + token + " (" + target + "): " + v.kind() + "\n# expect: " + v.kind()
                    + "\n" + ProgramPrinter.print(program);
            Files.writeString(tmp.resolve("program.dxp"), dxp, StandardCharsets.UTF_8);
            String text = SyscallCrash.report(program, v, states, reproduce);
            Files.writeString(tmp.resolve("report.md"), "# Finding `" + token + "`: " + v.kind() + "\n\nFound by the `"
                    + target + "` target.\n\n```\n" + text + "```\n\nThe program: `program.dxp`"
                    + (input != null ? "; the raw fuzzer input: `input.bin`" : "") + ".\n", StandardCharsets.UTF_8);
            Files.writeString(tmp.resolve("report.json"), json(target, token, program, v, states, reproduce),
                    StandardCharsets.UTF_8);
            try {
                Files.move(tmp, dir, StandardCopyOption.ATOMIC_MOVE);
            } catch (FileAlreadyExistsException | AtomicMoveNotSupportedException e) {
                // Someone saved the same token first (a parallel job): theirs stands.
                return new Saved(dir, token, false);
            } catch (IOException e) {
                if (Files.exists(dir)) {
                    return new Saved(dir, token, false);
                }
                throw e;
            }
            return new Saved(dir, token, true);
        } finally {
            deleteTree(tmp);
        }
    }

    private static String json(String target, String token, Program program, Violation v, long states,
                               String reproduce) throws IOException {
        StringWriter w = new StringWriter();
        try (JsonGenerator g = new JsonFactory().createGenerator(w)) {
            g.useDefaultPrettyPrinter();
            g.writeStartObject();
            g.writeStringField("target", target);
            g.writeStringField("token", token);
            g.writeStringField("kind", v.kind().name());
            g.writeStringField("call", v.step() >= 0 && v.step() < program.steps().size()
                    ? ProgramPrinter.print(program.steps().get(v.step()).op()) : null);
            g.writeNumberField("step", v.step());
            g.writeStringField("crashPoint", v.crashPoint().orElse(null));
            g.writeNumberField("states", states);
            g.writeStringField("summary", v.summary());
            g.writeArrayFieldStart("expected");
            for (String s : v.expected()) {
                g.writeString(s);
            }
            g.writeEndArray();
            g.writeArrayFieldStart("actual");
            for (String s : v.actual()) {
                g.writeString(s);
            }
            g.writeEndArray();
            g.writeArrayFieldStart("bugs");
            for (String b : program.header().bugs()) {
                g.writeString(b);
            }
            g.writeEndArray();
            g.writeStringField("daxfile", program.header().daxfile().keyword());
            g.writeStringField("reproduce", reproduce);
            g.writeEndObject();
        }
        return w + "\n";
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
