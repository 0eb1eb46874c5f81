package dev.daxfuzz.run;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.daxfuzz.fs.FsOptions;
import dev.daxfuzz.oracle.ViolationKind;
import dev.daxfuzz.program.Program;
import dev.daxfuzz.program.ProgramParser;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * Spec §8 {@code recovery-crashes}: the correct designs stay clean when power fails twice more
 * while recovery runs, on random programs, on every shipped seed and on every catalog reproducer
 * with its bug switched off; and the two catalog bugs that live in recovery are found only when
 * recovery is crashed.
 */
class RecoveryCrashesPropertyTest {
    private static FsRunner.Result run(Program p) {
        return FsRunner.run(p, 50_000, FsOptions.DEFAULT, (v, n) -> true);
    }

    @Test
    void randomProgramsOnTheCorrectDesignsAreCleanUnderTwoRecoveryCrashes() {
        SplittableRandom r = new SplittableRandom(0x2EC0L);
        long images = 0;
        int cut = 0;
        for (int i = 0; i < 100; i++) {
            Program p = RandomFsPrograms.generate(r, 4 + r.nextInt(8), i % 2 == 1);
            p = new Program(p.header().withRecoveryCrashes(2), p.steps());
            FsRunner.Result res = run(p);
            assertEquals("", NoFalsePositivesPropertyTest.firstViolation(p, res), "program " + i);
            assertEquals(List.of(), res.truncatedAt(), "program " + i + "\n" + dev.daxfuzz.program.ProgramPrinter.print(p));
            // A crash point whose crashed recoveries exceed the bound is explored in part (and
            // said so). Under eADR every prefix of recovery's buffered stores is an image, so at
            // depth 2 longer programs reach the bound; under ADR none may.
            if (res.recoveryCrashes().cutRecoveries() > 0) {
                assertEquals(dev.daxfuzz.pm.Persistency.EADR, p.header().persistency(), "program " + i
                        + ": crashed recoveries were cut under ADR\n" + dev.daxfuzz.program.ProgramPrinter.print(p));
                cut++;
            }
            images += res.recoveryCrashes().images();
        }
        assertTrue(images > 3_000, "crashed recoveries were explored: " + images);
        assertTrue(cut <= 15, cut + " of 100 programs had a crash point whose crashed recoveries were cut");
        System.out.println("RecoveryCrashesPropertyTest: " + images + " images of crashed recoveries, " + cut
                + " of 100 programs cut at some crash point");
    }

    @Test
    void eadrProgramsAreCleanUnderOneRecoveryCrash() {
        SplittableRandom r = new SplittableRandom(0xEAD2L);
        int cut = 0;
        for (int i = 0; i < 60; i++) {
            Program p = RandomFsPrograms.generate(r, 4 + r.nextInt(8), i % 2 == 1);
            p = new Program(p.header().withPersistency(dev.daxfuzz.pm.Persistency.EADR).withRecoveryCrashes(1), p.steps());
            FsRunner.Result res = run(p);
            assertEquals("", NoFalsePositivesPropertyTest.firstViolation(p, res), "program " + i);
            cut += res.recoveryCrashes().cutRecoveries() > 0 ? 1 : 0;
        }
        // Under eADR each prefix of recovery's buffered stores is an image, for each of the
        // program's states: asynchronous commits with many states reach the per-point bound.
        assertTrue(cut <= 12, cut + " of 60 eADR programs had crashed recoveries cut");
        System.out.println("RecoveryCrashesPropertyTest (eADR, depth 1): " + cut + " of 60 programs cut at some crash point");
    }

    @Test
    void everySeedAndEveryCatalogProgramWithoutItsBugIsCleanUnderTwoRecoveryCrashes() throws Exception {
        List<Path> files = new ArrayList<>();
        for (String dir : List.of("corpus/fs", "findings/catalog")) {
            try (Stream<Path> s = Files.list(Path.of("..").resolve(dir))) {
                s.filter(f -> f.toString().endsWith(".dxp")).sorted().forEach(files::add);
            }
        }
        int ran = 0;
        for (Path f : files) {
            Program p = ProgramParser.parse(f.toString(), withoutBugs(f));
            if (p.header().rawDevice() || p.hasTasks()) {
                // Crash points inside tasks are not explored yet (TaskRunner judges their results).
                continue;
            }
            p = new Program(p.header().withRecoveryCrashes(2), p.steps());
            FsRunner.Result res = run(p);
            // A design's findings (rfc-v1) and hangs are not about recovery; those programs have
            // their own tests. Here nothing may be reported that recovery crashes could cause.
            for (FsRunner.Found found : res.violations()) {
                assertTrue(found.violation().recoveryCrashes().isEmpty()
                                && found.violation().kind() != ViolationKind.RECOVERY_NOT_IDEMPOTENT,
                        f + ": " + NoFalsePositivesPropertyTest.firstViolation(p, res));
            }
            if (p.header().daxfile() == dev.daxfuzz.program.Header.DaxfileDesign.SEALED) {
                assertEquals("", NoFalsePositivesPropertyTest.firstViolation(p, res), f.toString());
            }
            ran++;
        }
        assertTrue(ran >= 40, "programs run: " + ran);
    }

    @Test
    void theRecoveryBugsAreFoundOnlyWhenRecoveryCrashes() throws Exception {
        for (String bug : List.of("recovery-resets-journal-early", "orphan-cleanup-not-idempotent")) {
            Path f = Path.of("..", "findings", "catalog", bug + ".dxp");
            Program p = ProgramParser.parse(f.toString(), Files.readString(f));
            assertEquals(1, p.header().recoveryCrashes(), bug);
            FsRunner.Result crashed = run(p);
            assertFalse(crashed.violations().isEmpty(), bug + " with recovery-crashes 1");
            assertFalse(crashed.violations().get(0).violation().recoveryCrashes().isEmpty(),
                    bug + ": the violation names the recovery crash");
            assertEquals(List.of(), run(new Program(p.header().withRecoveryCrashes(0), p.steps())).violations(),
                    bug + " without recovery crashes: a single crash cannot show it");
        }
    }

    private static String withoutBugs(Path f) throws IOException {
        StringBuilder sb = new StringBuilder();
        for (String line : Files.readAllLines(f)) {
            sb.append(line.startsWith("bug ") ? "# " + line : line).append('\n');
        }
        return sb.toString();
    }
}
