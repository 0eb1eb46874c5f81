package dev.daxfuzz.fuzz;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.daxfuzz.fuzzing.ByteCodec;
import dev.daxfuzz.fuzzing.FuzzConfig;
import dev.daxfuzz.program.Op;
import dev.daxfuzz.program.Program;
import dev.daxfuzz.program.ProgramPrinter;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/** The typed encoding and the byte encoding give the same programs. */
class TypedProgramTest {
    @Test
    void everySeedRoundTripsThroughTheTypedForm() throws IOException {
        List<Path> seeds;
        try (Stream<Path> s = Files.list(SyscallCrashTypedFuzzTest.corpus())) {
            seeds = s.filter(f -> f.toString().endsWith(".bin")).sorted().toList();
        }
        assertTrue(seeds.size() >= 10, "seeds: " + seeds.size());
        for (Path f : seeds) {
            Program p = ByteCodec.decode(Files.readAllBytes(f), FuzzConfig.CORRECT);
            byte[] typed = TypedProgram.toBytes(TypedProgram.platform(p), TypedProgram.statements(p));
            assertEquals(ProgramPrinter.print(p), ProgramPrinter.print(ByteCodec.decode(typed, FuzzConfig.CORRECT)),
                    f.toString());
        }
    }

    @Test
    void incompleteRecordsStillMakeAValidProgram() {
        // Jazzer fills references on a best-effort basis; nulls must not throw.
        List<TypedProgram.Stmt> steps = new ArrayList<>();
        steps.add(new TypedProgram.Open(0, 1, 0, true, false, false, false, false));
        steps.add(new TypedProgram.Write(0, 4096, new TypedProgram.Raw(null)));
        steps.add(new TypedProgram.Fallocate(0, null, 0, 8192));
        steps.add(null);
        steps.add(new TypedProgram.CrashChoose(null));
        steps.add(new TypedProgram.Close(3));
        Program p = ByteCodec.decode(TypedProgram.toBytes(new TypedProgram.Platform(false, false, false, true), steps),
                FuzzConfig.CORRECT);
        assertEquals(5, p.steps().size(), ProgramPrinter.print(p));
        assertTrue(p.steps().get(3).op() instanceof Op.Crash c && c.choices().isPresent(), ProgramPrinter.print(p));
    }

    @Test
    void statementsPastTheLimitAreDroppedAsTheByteDecoderDrops() {
        List<TypedProgram.Stmt> steps = new ArrayList<>();
        for (int i = 0; i < ByteCodec.STATEMENTS_MAX + 5; i++) {
            steps.add(new TypedProgram.Mkdir(i % 42));
        }
        Program p = ByteCodec.decode(TypedProgram.toBytes(new TypedProgram.Platform(false, false, false, false), steps),
                FuzzConfig.CORRECT);
        assertEquals(ByteCodec.STATEMENTS_MAX, p.steps().size());
    }
}
