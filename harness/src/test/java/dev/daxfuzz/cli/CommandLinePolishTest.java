package dev.daxfuzz.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/** Help, suggestions and notes of the command line that a user reads before anything runs. */
class CommandLinePolishTest {
    @TempDir
    Path dir;

    @Test
    void aMistypedCommandGetsTheNearestOne() {
        CliRun run = CliRun.of("explre", "x.dxp");
        assertEquals(2, run.exitCode());
        assertEquals("", run.out());
        assertEquals("daxfuzz: unknown command 'explre'\nDid you mean: explore?\nUsage: daxfuzz --help\n", run.err());
        assertTrue(CliRun.of("outcome", "x.dxp").err().contains("Did you mean: outcomes?"));
        assertTrue(CliRun.of("bug").err().contains("Did you mean: bugs?"));
    }

    @Test
    void aWordLikeNoCommandGetsNoSuggestion() {
        CliRun run = CliRun.of("xyz");
        assertEquals(2, run.exitCode());
        assertEquals("daxfuzz: unknown command 'xyz'\nUsage: daxfuzz --help\n", run.err());
    }

    @Test
    void aMistypedOptionGetsTheNearestOne() throws IOException {
        Path p = dir.resolve("a.dxp");
        Files.writeString(p, "fs none\nstore 0 u8:1\n");
        CliRun run = CliRun.of("explore", p.toString(), "--jsn");
        assertEquals(2, run.exitCode());
        assertTrue(run.err().contains("Did you mean: --json?"), run.err());
    }

    @Test
    void noCommandListsTheCommands() {
        CliRun run = CliRun.of();
        assertEquals(2, run.exitCode());
        assertTrue(run.err().startsWith("daxfuzz: missing command (outcomes, explore, bugs, repro, decode, encode,"),
                run.err());
    }

    /** The command list of {@code daxfuzz --help} shows each command's first description line alone. */
    @Test
    void noCommandSummaryIsCutOff() {
        CommandLine cl = new CommandLine(new Main());
        List<String> cut = new ArrayList<>();
        for (Map.Entry<String, CommandLine> e : cl.getSubcommands().entrySet()) {
            String[] description = e.getValue().getCommandSpec().usageMessage().description();
            String first = description.length == 0 ? "" : description[0].strip();
            // A first line ending in ':' or ',' continues on the next, which the list never shows.
            if (first.isEmpty() || first.endsWith(":") || first.endsWith(",")) {
                cut.add(e.getKey() + ": " + first);
            }
        }
        assertEquals(List.of(), cut, "summaries cut off (daxfuzz --help shows only the first line)");
        String help = CliRun.of("--help").out();
        assertTrue(help.contains("outcomes  Print every distinct crash outcome of an `fs none` program, one"), help);
    }

    @Test
    void encodeNamesWhatTheSeedDrops() throws IOException {
        Path keeps = dir.resolve("keeps.dxp");
        Files.writeString(keeps, "persistency eadr\njournal-commit async\nopen f /a creat,rdwr\nwrite f 0 \"x\"\n");
        Path drops = dir.resolve("drops.dxp");
        Files.writeString(drops, "daxfile rfc-v1\nbug daxfile-clear-keeps-ref\nopen f /a creat,rdwr => ok\n"
                + "write f 0 \"x\"\nread f 0 1 => \"x\"\n");
        Path out = dir.resolve("seeds");
        CliRun run = CliRun.of("encode", keeps.toString(), drops.toString(), "--out", out.toString());
        assertEquals(0, run.exitCode(), run.err());
        assertEquals("2 encoded, 0 skipped, into " + out + "\n", run.out());
        assertEquals("daxfuzz: note: " + drops + ": the seed drops `daxfile rfc-v1`, `bug daxfile-clear-keeps-ref`"
                + " (the design and the bugs are a campaign's configuration, not input bytes), 2 `=>` expectations"
                + " (lines 3, 5)\n", run.err());
        assertTrue(Files.size(out.resolve("keeps.bin")) > 1 && Files.size(out.resolve("drops.bin")) > 1);
        // The header lines the encoding keeps come back from the seed.
        String decoded = CliRun.of("decode", out.resolve("keeps.bin").toString()).out();
        assertTrue(decoded.contains("persistency eadr") && decoded.contains("journal-commit async"), decoded);
        assertFalse(decoded.contains("rfc-v1"));
    }
}
