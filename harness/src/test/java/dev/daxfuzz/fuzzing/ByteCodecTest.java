package dev.daxfuzz.fuzzing;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.daxfuzz.program.DxpSyntaxError;
import dev.daxfuzz.program.Program;
import dev.daxfuzz.program.ProgramParser;
import dev.daxfuzz.program.ProgramPrinter;
import dev.daxfuzz.program.ProgramValidator;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.SplittableRandom;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/** The byte encoding: total, valid, round-tripping, and able to carry the hand-written seeds. */
class ByteCodecTest {
    @Test
    void randomBytesAlwaysDecodeToAValidProgramThatPrintsAndParses() throws DxpSyntaxError {
        SplittableRandom r = new SplittableRandom(7);
        int statements = 0;
        for (int i = 0; i < 5000; i++) {
            byte[] b = new byte[r.nextInt(200)];
            r.nextBytes(b);
            Program p = ByteCodec.decode(b, FuzzConfig.CORRECT);
            ProgramValidator.validate("random", p);
            assertEquals(p, ProgramParser.parse("printed", ProgramPrinter.print(p)), "print/parse of input " + i);
            statements += p.steps().size();
        }
        assertTrue(statements > 20_000, "random inputs decode to real programs: " + statements + " statements");
    }

    @Test
    void theHeaderByteCarriesRecoveryCrashes() throws Exception {
        byte[] body = {0x00};
        for (int[] c : new int[][] {{0x00, 0}, {0x10, 0}, {0x30, 0}, {0x70, 0}, {0xf0, 1}, {0x40, 0}, {0xff, 1}, {0xbf, 0}}) {
            byte[] in = {(byte) c[0], body[0]};
            Program p = ByteCodec.decode(in, FuzzConfig.CORRECT);
            assertEquals(c[1], p.header().recoveryCrashes(), String.format("header byte 0x%02x", c[0]));
            assertEquals(c[1], ByteCodec.decode(ByteCodec.encode(p), FuzzConfig.CORRECT).header().recoveryCrashes());
        }
        Program two = ProgramParser.parse("t", "recovery-crashes 2\nsync\n");
        assertThrows(ByteCodec.NotEncodable.class, () -> ByteCodec.encode(two));
    }

    @Test
    void decodeEncodeDecodeIsTheIdentity() throws ByteCodec.NotEncodable {
        SplittableRandom r = new SplittableRandom(11);
        for (int i = 0; i < 3000; i++) {
            byte[] b = new byte[r.nextInt(300)];
            r.nextBytes(b);
            Program p = ByteCodec.decode(b, FuzzConfig.CORRECT);
            byte[] e = ByteCodec.encode(p);
            assertEquals(p, ByteCodec.decode(e, FuzzConfig.CORRECT), "input " + i);
            assertArrayEquals(e, ByteCodec.encode(ByteCodec.decode(e, FuzzConfig.CORRECT)), "canonical bytes " + i);
        }
    }

    @Test
    void theConfigurationNotTheBytesChoosesDesignAndBugs() {
        FuzzConfig c = new FuzzConfig(dev.daxfuzz.program.Header.DaxfileDesign.RFC_V1, List.of("pte-before-commit"), 10);
        Program p = ByteCodec.decode(new byte[] {0, 0, 0}, c);
        assertEquals(dev.daxfuzz.program.Header.DaxfileDesign.RFC_V1, p.header().daxfile());
        assertEquals(List.of("pte-before-commit"), p.header().bugs());
    }

    @Test
    void seedsKeepTheirMeaning() throws Exception {
        try (Stream<Path> s = Files.list(Path.of("..", "corpus", "fs"))) {
            for (Path f : s.filter(x -> x.toString().endsWith(".dxp")).sorted().toList()) {
                Program p = ProgramParser.parse(f);
                byte[] b;
                try {
                    b = ByteCodec.encode(p);
                } catch (ByteCodec.NotEncodable e) {
                    continue;
                }
                Program back = ByteCodec.decode(b, FuzzConfig.CORRECT);
                assertEquals(p.steps().size(), back.steps().size(), f.toString());
                assertEquals(outcome(p), outcome(back), f + ": the seed runs as its program does");
            }
        }
    }

    private static String outcome(Program p) {
        var r = SyscallCrash.check(new Program(FuzzConfig.CORRECT.apply(p.header()), p.steps()), FuzzConfig.CORRECT);
        return r.result().crashPoints() + "/" + r.result().crashStates() + "/" + r.violation().isPresent();
    }

    @Test
    void unencodableProgramsSayWhy() throws DxpSyntaxError {
        Program deep = ProgramParser.parse("t", "mkdir /a\nmkdir /a/b\nmkdir /a/b/c\n");
        ByteCodec.NotEncodable e = assertThrows(ByteCodec.NotEncodable.class, () -> ByteCodec.encode(deep));
        assertTrue(e.getMessage().startsWith("line 3: path"), e.getMessage());
    }

    @Test
    void checkedInSeedsDecodeAndRunCleanOnTheCorrectDesigns() throws IOException {
        try (Stream<Path> s = Files.list(Path.of("..", "corpus", "syscall-crash"))) {
            List<Path> seeds = s.sorted().toList();
            assertTrue(seeds.size() >= 10, "a seed corpus exists");
            for (Path f : seeds) {
                var o = SyscallCrash.check(Files.readAllBytes(f), FuzzConfig.CORRECT);
                assertTrue(o.violation().isEmpty(), f + ": " + o.violation());
            }
        }
    }
}
