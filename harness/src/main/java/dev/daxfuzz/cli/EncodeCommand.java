package dev.daxfuzz.cli;

import dev.daxfuzz.fuzzing.ByteCodec;
import dev.daxfuzz.program.Header;
import dev.daxfuzz.program.Program;
import dev.daxfuzz.program.Step;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/**
 * {@code daxfuzz encode FILE.dxp... --out DIR}: turns hand-written programs into raw
 * {@code SyscallCrash} seeds ({@code DIR/NAME.bin}, written atomically). A program the byte
 * encoding cannot express is reported and skipped; the others are still written.
 *
 * <p>The byte encoding keeps the statements and the platform header lines ({@code persistency},
 * {@code sync-fault}, {@code journal-commit}, {@code device}), but not the daxfile design, the
 * seeded bugs (a campaign's configuration) or {@code =>} expectations; a note on stderr names
 * what each file loses, so that a seed is never mistaken for its source.
 */
@Command(name = "encode", mixinStandardHelpOptions = true,
        description = {"Encode .dxp programs as raw SyscallCrash fuzzer inputs (seeds): DIR/NAME.bin each.",
            "The seeds keep the statements and the persistency, sync-fault, journal-commit and device",
            "lines; a note names what a file loses (daxfile and bug lines, `=>` expectations).",
            "`daxfuzz decode DIR/NAME.bin` prints the program a seed stands for."})
final class EncodeCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Parameters(paramLabel = "FILE.dxp", arity = "1..*", description = "programs to encode")
    List<Path> files = new ArrayList<>();

    @Option(names = "--out", paramLabel = "DIR", required = true, description = "where the .bin seeds go")
    Path out;

    @Override
    public Integer call() throws Exception {
        Files.createDirectories(out);
        PrintWriter err = spec.commandLine().getErr();
        int skipped = 0;
        for (Path f : files) {
            Program p = ProgramLoader.load(f);
            try {
                byte[] b = ByteCodec.encode(p);
                String name = f.getFileName().toString().replaceAll("\\.dxp$", "") + ".bin";
                MinimizeCommand.writeAtomically(out.resolve(name), b);
                List<String> dropped = dropped(p);
                if (!dropped.isEmpty()) {
                    err.println("daxfuzz: note: " + f + ": the seed drops " + String.join(", ", dropped));
                }
            } catch (ByteCodec.NotEncodable e) {
                err.println("daxfuzz: " + f + ": not encodable: " + e.getMessage());
                skipped++;
            }
        }
        spec.commandLine().getOut().println((files.size() - skipped) + " encoded, " + skipped + " skipped, into " + out);
        err.flush();
        return ExitCode.OK;
    }

    /**
     * What of {@code p} the byte encoding does not carry: a daxfile design other than the default,
     * each seeded bug, the expectations. Names are renamed and data literals become raw bytes,
     * which changes the text but not the program.
     */
    static List<String> dropped(Program p) {
        List<String> out = new ArrayList<>();
        Header h = p.header();
        if (h.daxfile() != Header.defaults().daxfile()) {
            out.add("`daxfile " + h.daxfile().keyword() + "`");
        }
        for (String bug : h.bugs()) {
            out.add("`bug " + bug + "`");
        }
        if (!out.isEmpty()) {
            int last = out.size() - 1;
            out.set(last, out.get(last) + " (the design and the bugs are a campaign's configuration, not input bytes)");
        }
        List<String> lines = new ArrayList<>();
        for (Step s : p.steps()) {
            if (s.expectation().isPresent()) {
                lines.add(Integer.toString(s.pos().line()));
            }
        }
        if (!lines.isEmpty()) {
            out.add(lines.size() + " `=>` expectation" + (lines.size() == 1 ? "" : "s") + " (line"
                    + (lines.size() == 1 ? " " : "s ") + String.join(", ", lines) + ")");
        }
        return out;
    }
}
