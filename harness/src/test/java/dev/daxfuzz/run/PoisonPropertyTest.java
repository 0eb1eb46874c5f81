package dev.daxfuzz.run;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.daxfuzz.fs.FsOptions;
import dev.daxfuzz.program.DxpSyntaxError;
import dev.daxfuzz.program.Program;
import dev.daxfuzz.program.ProgramParser;
import dev.daxfuzz.program.ProgramPrinter;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * "The correct designs are clean with poison on every test program": {@code poison} statements
 * inserted at random places into the random programs of the other property tests and into every
 * program of {@code corpus/fs/}, under both sync-fault designs, both daxfile designs, ADR and
 * eADR, give no violation at all. The file system fails reads and accesses over poison (EIO,
 * SIGBUS), the model allows exactly that, the runner finds no bytes returned for poisoned media,
 * and recovery, fsck and the data checks of every crash state still pass. A run that never
 * returned EIO or SIGBUS would prove little, so the test also counts that poison was met.
 */
class PoisonPropertyTest {
    private static final String[] PATHS = {"/a", "/b", "/d/a", "/d/b", "/e", "/d", "/", "/nope/x"};
    private static final long[] OFFSETS = {0, 1, 63, 64, 100, 4095, 4096, 5000, 8191, 1L << 31, Long.MAX_VALUE};
    private static final long[] LENGTHS = {1, 2, 63, 64, 65, 4096, 10_000, 1L << 32, Long.MAX_VALUE};

    /** {@code text} with poison statements (and reads of what they poisoned) inserted among its operations. */
    static String withPoison(SplittableRandom r, String text, String extraHeader) {
        List<String> out = new ArrayList<>();
        if (!extraHeader.isEmpty()) {
            out.add(extraHeader);
        }
        List<String> fds = new ArrayList<>();
        boolean ops = false;
        for (String line : text.split("\n", -1)) {
            String t = line.strip();
            String word = t.isEmpty() || t.startsWith("#") ? "" : t.split("\\s+")[0];
            boolean header = List.of("device", "persistency", "fs", "sync-fault", "daxfile", "journal-commit",
                    "recovery-crashes", "bug").contains(word);
            if (!word.isEmpty() && !header) {
                ops = true;
            }
            if (ops && !word.isEmpty() && !header && r.nextInt(3) == 0) {
                out.add(poison(r));
                if (!fds.isEmpty() && r.nextBoolean()) {
                    out.add("read " + fds.get(r.nextInt(fds.size())) + " " + OFFSETS[r.nextInt(5)] + " " + 8192);
                }
            }
            out.add(line);
            if (word.equals("open")) {
                fds.add(t.split("\\s+")[1]);
            }
        }
        out.add(poison(r));
        for (String fd : fds) {
            out.add("read " + fd + " 0 8192");
        }
        return String.join("\n", out);
    }

    private static String poison(SplittableRandom r) {
        // Mostly the first bytes of the files the programs use, where their data is; sometimes
        // anywhere, edges included.
        boolean near = r.nextInt(4) != 0;
        String path = near ? PATHS[r.nextInt(3)] : PATHS[r.nextInt(PATHS.length)];
        long off = near ? OFFSETS[r.nextInt(6)] : OFFSETS[r.nextInt(OFFSETS.length)];
        long len = near ? LENGTHS[3 + r.nextInt(4)] : LENGTHS[r.nextInt(LENGTHS.length)];
        return "poison " + path + " " + off + " " + len;
    }

    private static Program parse(String text) {
        try {
            return ProgramParser.parse("poisoned.dxp", text);
        } catch (DxpSyntaxError e) {
            throw new AssertionError(e.getMessage() + "\n" + text, e);
        }
    }

    private static final class Met {
        long states;
    }

    private static void assertClean(Program p, String what, Met met) {
        FsRunner.Result res = FsRunner.run(p, 5000, FsOptions.DEFAULT, (v, n) -> true);
        assertEquals("", NoFalsePositivesPropertyTest.firstViolation(p, res), what);
        met.states += res.crashStates();
    }

    @Test
    void randomProgramsWithPoisonAreCleanOnEveryCorrectDesign() {
        SplittableRandom r = new SplittableRandom(0xBADB10CL);
        Met met = new Met();
        int eio = 0;
        for (int i = 0; i < 240; i++) {
            boolean mappings = i % 2 == 1;
            // rfc-v1 only with the programs without daxctl: its daxctl results are findings of the design.
            String header = (r.nextBoolean() ? "persistency eadr\n" : "")
                    + (mappings ? "" : (r.nextBoolean() ? "daxfile rfc-v1\n" : ""))
                    + (r.nextBoolean() ? "sync-fault drop-lock-retry\n" : "")
                    // Poison is media state: it must outlive crashes during recovery too.
                    + (i % 3 == 0 ? "recovery-crashes 1\n" : "");
            String text = ProgramPrinter.print(RandomFsPrograms.generate(r, 4 + r.nextInt(8), mappings));
            String body = text.replace("persistency eadr\n", "").replace("sync-fault drop-lock-retry\n", "");
            Program p = parse(withPoison(r, body, header.strip()));
            assertClean(p, "program " + i + ":\n" + ProgramPrinter.print(p), met);
            eio += countPoisonFailures(p);
        }
        System.out.println("PoisonPropertyTest: " + eio + " reads or loads met poison, " + met.states + " crash states");
        assertTrue(met.states > 5_000, "the programs reach crash states: " + met.states);
        assertTrue(eio > 40, "poison was met (EIO or SIGBUS) " + eio + " times");
    }

    @Test
    void corpusProgramsWithPoisonAreClean() throws IOException {
        SplittableRandom r = new SplittableRandom(0xC0B05L);
        Met met = new Met();
        List<Path> files;
        try (Stream<Path> s = Files.list(Path.of("..", "corpus", "fs"))) {
            files = s.filter(f -> f.toString().endsWith(".dxp")).sorted().toList();
        }
        assertTrue(files.size() > 10, "the corpus: " + files);
        for (Path f : files) {
            String text = Files.readString(f);
            for (String header : List.of("", "persistency eadr")) {
                if (!header.isEmpty() && text.contains("persistency ")) {
                    continue;
                }
                Program p = parse(withPoison(r, text, header));
                assertClean(p, f + " with poison:\n" + ProgramPrinter.print(p), met);
            }
        }
    }

    /**
     * How many reads and mloads of {@code p} the file system failed with EIO or SIGBUS: the
     * program again, each read expecting EIO and each mload SIGBUS, with one explicit crash point
     * (so nothing is explored), counting the expectations that held.
     */
    private static int countPoisonFailures(Program p) {
        StringBuilder sb = new StringBuilder();
        for (dev.daxfuzz.program.Step s : p.steps()) {
            sb.append(ProgramPrinter.print(s.op()));
            if (s.op() instanceof dev.daxfuzz.program.Op.Read) {
                sb.append(" => EIO");
            } else if (s.op() instanceof dev.daxfuzz.program.Op.MLoad) {
                sb.append(" => SIGBUS");
            }
            sb.append('\n');
        }
        String head = ProgramPrinter.print(p).lines().takeWhile(l -> !isOperation(l)).reduce("", (a, b) -> a + b + "\n");
        Program probe = parse(head + "crash\n" + sb);
        FsRunner.Result res = FsRunner.run(probe, 1, FsOptions.DEFAULT, (v, k) -> true);
        long expected = probe.steps().stream().filter(s -> s.expectation().isPresent()).count();
        return (int) (expected - res.failures().size());
    }

    private static boolean isOperation(String line) {
        String w = line.strip().split("\\s+")[0];
        return !w.isEmpty() && !w.startsWith("#") && !List.of("device", "persistency", "fs", "sync-fault", "daxfile",
                "journal-commit", "recovery-crashes", "bug").contains(w);
    }
}
