package dev.daxfuzz.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.daxfuzz.fuzzing.ByteCodec;
import dev.daxfuzz.fuzzing.Campaign;
import dev.daxfuzz.fuzzing.FindingStore;
import dev.daxfuzz.fuzzing.FuzzConfig;
import dev.daxfuzz.fuzzing.LengthAnchor;
import dev.daxfuzz.fuzzing.SyscallCrash;
import dev.daxfuzz.program.Header;
import dev.daxfuzz.program.ProgramParser;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A campaign's state is its own: configurations get their own directories, failing inputs left
 * by one are triaged only by it, seed directories the driver would misread are refused by name,
 * and the pieces the fuzz command adds to a campaign (the length anchor) are sound.
 */
class CampaignStateTest {
    @TempDir
    Path tmp;

    private static FuzzConfig config(String... bugs) {
        return new FuzzConfig(Header.DaxfileDesign.SEALED, List.of(bugs), FuzzConfig.MAX_STATES_DEFAULT);
    }

    @Test
    void configurationsHaveTheirOwnDirectories() throws Exception {
        Campaign correct = Campaign.open(tmp, "syscall-crash", config());
        Campaign buggy = Campaign.open(tmp, "syscall-crash", config("bitmap-outside-journal"));
        Campaign rfc = Campaign.open(tmp, "syscall-crash",
                new FuzzConfig(Header.DaxfileDesign.RFC_V1, List.of(), FuzzConfig.MAX_STATES_DEFAULT));
        assertNotEquals(correct.dir(), buggy.dir());
        assertNotEquals(correct.dir(), rfc.dir());
        assertEquals("syscall-crash.sealed.bitmap-outside-journal", buggy.dir().getFileName().toString());
        // The recorded configuration is checked when a campaign is opened again.
        Files.writeString(correct.dir().resolve("campaign.json"),
                "{\"target\":\"syscall-crash\",\"daxfile\":\"sealed\",\"bugs\":[\"bitmap-outside-journal\"]}\n");
        assertThrows(java.io.IOException.class, () -> Campaign.open(tmp, "syscall-crash", config()));
    }

    @Test
    void leftFailingInputsAreTriagedOnlyByTheirOwnCampaign() throws Exception {
        Campaign buggy = Campaign.open(tmp, "syscall-crash", config("rename-two-transactions"));
        Campaign correct = Campaign.open(tmp, "syscall-crash", config());
        byte[] input = ByteCodec.encode(ProgramParser.parse("t", "mkdir /a\nrename /a /b\n"));
        Files.write(buggy.artifacts().resolve("crash-0001"), input);
        assertEquals(List.of(), Triager.pending(correct, "syscall-crash"), "the clean campaign sees nothing");
        List<String> events = new ArrayList<>();
        Triager t = new Triager(buggy, "syscall-crash", new FindingStore(buggy.findings(), "f"), "test",
                new Triager.Events() {
                    @Override
                    public void finding(String token, boolean fresh, String kind, Path dir, int before, int after) {
                        events.add((fresh ? "new " : "again ") + token);
                    }

                    @Override
                    public void problem(String message) {
                        events.add("problem " + message);
                    }
                });
        t.collect();
        assertEquals(1, t.failingInputs());
        assertEquals(1, t.tokens().size(), events.toString());
        assertEquals(List.of(), Triager.pending(buggy, "syscall-crash"), "a triaged input leaves artifacts/");
        assertTrue(Files.isDirectory(buggy.findings().resolve(t.tokens().get(0))));
        // The sweep of the working corpus can move the same input out under the same name (both
        // are content hashes): it was triaged already, and nothing is left for the next run.
        Files.write(buggy.artifacts().resolve("crash-0001"), input);
        t.collect();
        assertEquals(1, t.failingInputs(), "counted once");
        assertEquals(List.of(), Triager.pending(buggy, "syscall-crash"), "the repeat leaves artifacts/ too");
    }

    @Test
    void anInputThatDoesNotReproduceIsKeptAsADaxfuzzProblemNotAFinding() throws Exception {
        Campaign c = Campaign.open(tmp, "syscall-crash", config());
        Files.write(c.artifacts().resolve("crash-0002"), new byte[] {0, 0, 1});
        List<String> problems = new ArrayList<>();
        Triager t = new Triager(c, "syscall-crash", new FindingStore(c.findings(), "f"), "test", new Triager.Events() {
            @Override
            public void finding(String token, boolean fresh, String kind, Path dir, int before, int after) {
                problems.add("finding " + token);
            }

            @Override
            public void problem(String message) {
                problems.add(message);
            }
        });
        t.collect();
        assertEquals(0, t.failingInputs());
        assertEquals(1, t.unreproduced().size());
        assertTrue(Files.exists(c.unreproduced().resolve("crash-0002")));
        assertTrue(problems.get(0).contains("shows no violation"), problems.toString());
    }

    @Test
    void seedDirectoriesTheDriverWouldMisreadAreRefusedByName() throws Exception {
        Path seeds = Files.createDirectories(tmp.resolve("seeds"));
        Files.write(seeds.resolve("ok.bin"), new byte[] {0, 0});
        FuzzCommand.checkSeeds(seeds, true);
        Files.write(seeds.resolve("huge.bin"), new byte[FuzzCommand.MAX_LEN_BYTES + 1]);
        Files.createDirectories(seeds.resolve("subdir"));
        UsageException e = assertThrows(UsageException.class, () -> FuzzCommand.checkSeeds(seeds, true));
        assertTrue(e.getMessage().contains("huge.bin") && e.getMessage().contains("over the input limit")
                && e.getMessage().contains("subdir: not a regular file"), e.getMessage());
        assertThrows(UsageException.class, () -> FuzzCommand.checkSeeds(tmp.resolve("missing"), true));
    }

    @Test
    void theLengthAnchorIsALongCleanProgramThatFitsTheLimit() throws Exception {
        byte[] b = LengthAnchor.bytes(FuzzCommand.MAX_LEN_BYTES);
        assertTrue(b.length <= FuzzCommand.MAX_LEN_BYTES);
        assertTrue(LengthAnchor.program().steps().size() >= ByteCodec.STATEMENTS_MAX - 1,
                "room for the statements the decoder reads");
        assertEquals(LengthAnchor.program().steps().size(), ByteCodec.decode(b, FuzzConfig.CORRECT).steps().size());
        org.junit.jupiter.api.Assertions.assertArrayEquals(b, ByteCodec.encode(ByteCodec.decode(b, FuzzConfig.CORRECT)),
                "it decodes to the program it encodes");
        assertTrue(SyscallCrash.check(b, FuzzConfig.CORRECT).violation().isEmpty(), "clean on the correct designs");
    }

    @Test
    void aHangIsNotCalledADivergence() {
        CliRun run = CliRun.of("explore", "../findings/catalog/retry-dirty-on-mtime.dxp");
        assertEquals(1, run.exitCode());
        assertTrue(run.err().contains("hangs at line") && run.err().contains("LIVELOCK"), run.err());
        assertTrue(!run.err().contains("diverged"), run.err());
    }

    @Test
    void minimizePrintsTheProgramAndExitsZeroOrTwoWhenThereIsNothingToMinimise() throws Exception {
        Path p = tmp.resolve("p.dxp");
        Files.writeString(p, "bug rename-two-transactions\nmkdir /x\nmkdir /a\nrename /a /b\nmkdir /z\n");
        CliRun ok = CliRun.of("minimize", p.toString());
        assertEquals(0, ok.exitCode(), ok.err());
        assertTrue(ok.out().contains("# expect: FSCK") && ok.out().contains("rename /a /b"), ok.out());
        try (var s = Files.list(tmp)) {
            assertEquals(1, s.count(), "nothing written beside the input");
        }
        Files.writeString(p, "mkdir /a\n");
        CliRun none = CliRun.of("minimize", p.toString());
        assertEquals(2, none.exitCode(), none.err());
    }
}
