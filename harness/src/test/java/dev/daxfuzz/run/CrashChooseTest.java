package dev.daxfuzz.run;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.daxfuzz.fs.FsOptions;
import dev.daxfuzz.oracle.ViolationKind;
import dev.daxfuzz.program.Bytes;
import dev.daxfuzz.program.Data;
import dev.daxfuzz.program.DxpSyntaxError;
import dev.daxfuzz.program.Op;
import dev.daxfuzz.program.Program;
import dev.daxfuzz.program.ProgramParser;
import dev.daxfuzz.program.Step;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Optional;
import java.util.SplittableRandom;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * {@code crash choose DATA} samples what plain {@code crash} explores: on every catalog
 * reproducer with explicit crash points, each drawn run checks at most as many crash states,
 * finds only violation kinds the exhaustive run finds, gives the same result for the same
 * choices, and some choices do find the seeded bug.
 */
class CrashChooseTest {
    @Test
    void drawnCrashStatesAreASubsetOfTheExhaustiveOnes() throws IOException, DxpSyntaxError {
        List<Path> programs;
        try (Stream<Path> s = Files.list(Path.of("..", "findings", "catalog"))) {
            programs = s.filter(p -> p.toString().endsWith(".dxp")).sorted().toList();
        }
        SplittableRandom r = new SplittableRandom(0xC0DEL);
        int withCrash = 0;
        int foundDrawn = 0;
        for (Path file : programs) {
            Program p = ProgramParser.parse(file.toString(), Files.readString(file));
            if (p.hasTasks() || p.steps().stream().noneMatch(st -> st.op() instanceof Op.Crash)) {
                continue;
            }
            withCrash++;
            FsRunner.Result all = FsRunner.run(p, 100_000, FsOptions.DEFAULT, (v, n) -> true);
            EnumSet<ViolationKind> allKinds = kinds(all);
            boolean found = false;
            for (int i = 0; i < 24; i++) {
                byte[] choices = new byte[1 + r.nextInt(16)];
                r.nextBytes(choices);
                Program drawn = withChoices(p, choices);
                FsRunner.Result one = FsRunner.run(drawn, 100_000, FsOptions.DEFAULT, (v, n) -> true);
                assertTrue(one.crashStates() <= all.crashStates(), file + ": drew " + one.crashStates()
                        + " states, more than the " + all.crashStates() + " of the exhaustive run");
                assertTrue(allKinds.containsAll(kinds(one)), file + ": drawn " + kinds(one) + " not within " + allKinds);
                assertEquals(one, FsRunner.run(drawn, 100_000, FsOptions.DEFAULT, (v, n) -> true),
                        file + ": the same choices must give the same run");
                found |= !one.violations().isEmpty();
            }
            if (found) {
                foundDrawn++;
            }
        }
        assertTrue(withCrash >= 3, "catalog reproducers with crash statements: " + withCrash);
        assertTrue(foundDrawn >= 1, "no drawn choice found any seeded bug");
    }

    private static EnumSet<ViolationKind> kinds(FsRunner.Result r) {
        EnumSet<ViolationKind> k = EnumSet.noneOf(ViolationKind.class);
        r.violations().forEach(f -> k.add(f.violation().kind()));
        return k;
    }

    private static Program withChoices(Program p, byte[] choices) {
        List<Step> steps = new ArrayList<>();
        for (Step s : p.steps()) {
            steps.add(s.op() instanceof Op.Crash
                    ? new Step(new Op.Crash(Optional.of(new Data.Hex(Bytes.of(choices)))), s.expectation(), s.pos())
                    : s);
        }
        return new Program(p.header(), steps);
    }
}
