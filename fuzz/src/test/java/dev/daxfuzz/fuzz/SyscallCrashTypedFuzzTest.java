package dev.daxfuzz.fuzz;

import com.code_intelligence.jazzer.junit.FuzzTest;
import com.code_intelligence.jazzer.mutation.annotation.NotNull;
import com.code_intelligence.jazzer.mutation.annotation.WithSize;
import dev.daxfuzz.fuzzing.ByteCodec;
import dev.daxfuzz.fuzzing.FuzzConfig;
import dev.daxfuzz.program.Program;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * {@code SyscallCrash}, typed encoding: the same target as {@link SyscallCrashFuzzTest}, with the
 * program as a list of sealed {@link TypedProgram.Stmt} records mutated by Jazzer's mutation
 * framework. The records become the byte encoding ({@link TypedProgram#toBytes}) and go through
 * the same check, so a finding here is stored, replayed and minimised as its byte twin.
 *
 * <p>Seeds: every input of {@code corpus/syscall-crash/}, decoded and turned into records
 * ({@link TypedProgram#statements}); they also run as regression cases under {@code mvn verify}
 * (none with {@code -Ddaxfuzz.seeds=none}).
 * Needs Jazzer 0.27 or later (records with annotated components).
 */
public class SyscallCrashTypedFuzzTest {
    @MethodSource("seeds")
    @FuzzTest(maxDuration = "30s")
    void ops(@NotNull TypedProgram.Platform platform,
             @NotNull @WithSize(max = ByteCodec.STATEMENTS_MAX) List<TypedProgram.@NotNull Stmt> steps) {
        SyscallCrashFuzzTest.check(TypedProgram.toBytes(platform, steps));
    }

    static Stream<Arguments> seeds() {
        if ("none".equals(System.getProperty("daxfuzz.seeds"))) {
            // `daxfuzz fuzz --no-seeds`: measure the encoding from nothing; Jazzer still runs one default input.
            return generated();
        }
        Path dir = corpus();
        List<byte[]> inputs = new java.util.ArrayList<>();
        try (Stream<Path> files = Files.list(dir)) {
            for (Path f : files.filter(f -> f.toString().endsWith(".bin")).sorted().toList()) {
                inputs.add(Files.readAllBytes(f));
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return Stream.concat(inputs.stream().map(SyscallCrashTypedFuzzTest::arguments), generated());
    }

    /**
     * The generated seeds ({@code GeneratedSeeds}) a structured campaign starts with, as records;
     * none under {@code --search classic} ({@code daxfuzz.feedback=none}) and under JUnit's
     * regression runs (no {@code daxfuzz.stats}), which replay the shipped seeds only.
     */
    private static Stream<Arguments> generated() {
        if ("none".equals(System.getProperty("daxfuzz.feedback")) || Integer.getInteger("daxfuzz.stats", 0) == 0) {
            return Stream.empty();
        }
        return dev.daxfuzz.fuzzing.GeneratedSeeds.all().values().stream().map(SyscallCrashTypedFuzzTest::arguments);
    }

    private static Arguments arguments(byte[] input) {
        Program p = ByteCodec.decode(input, FuzzConfig.CORRECT);
        return Arguments.of(TypedProgram.platform(p), TypedProgram.statements(p));
    }

    static Path corpus() {
        String root = System.getenv("DAXFUZZ_ROOT");
        if (root != null && !root.isBlank()) {
            return Path.of(root, "corpus", "syscall-crash");
        }
        for (Path d = Path.of("").toAbsolutePath(); d != null; d = d.getParent()) {
            Path c = d.resolve("corpus").resolve("syscall-crash");
            if (Files.isDirectory(c)) {
                return c;
            }
        }
        throw new IllegalStateException("corpus/syscall-crash not found above " + Path.of("").toAbsolutePath()
                + "; set DAXFUZZ_ROOT to the repository");
    }
}
