package dev.daxfuzz.fuzz;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.daxfuzz.cli.Main;
import dev.daxfuzz.fuzzing.FindingStore;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.HexFormat;
import java.util.List;
import java.util.TreeMap;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The fuzzing workflow as a user runs it, end to end through the command line and Jazzer's
 * standalone driver, bounded by executions (so it asserts nothing about time):
 * <ol>
 *   <li>a campaign with a seeded bug finds it from the seed corpus, and its failing inputs make
 *   one finding, whose report is what {@code repro} prints and whose raw input replays without
 *   flags;
 *   <li>a campaign on the correct designs right after, in the same work directory, exits 0: the
 *   first campaign's artifacts are not its failures; it runs two driver processes ({@code --jobs
 *   2}), and its summary counts the executions of both;
 *   <li>{@code cmin} minimises the working corpus and leaves the committed seeds as they were.
 * </ol>
 */
class CampaignWorkflowTest {
    private static final Path REPO = Path.of("..").toAbsolutePath().normalize();

    @TempDir
    static Path work;

    @BeforeAll
    static void pointTheCommandLineAtThisBuild() {
        System.setProperty("daxfuzz.root", REPO.toString());
        System.setProperty("daxfuzz.fuzzClassPath", System.getProperty("java.class.path"));
    }

    @AfterAll
    static void clear() {
        System.clearProperty("daxfuzz.root");
        System.clearProperty("daxfuzz.fuzzClassPath");
    }

    private record Run(int code, String out, String err) {
    }

    private static Run daxfuzz(String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        int code = Main.run(args, new PrintWriter(out), new PrintWriter(err));
        return new Run(code, out.toString(), err.toString());
    }

    private static TreeMap<String, String> hashes(Path dir) throws Exception {
        TreeMap<String, String> h = new TreeMap<>();
        try (Stream<Path> s = Files.list(dir)) {
            for (Path f : s.sorted().toList()) {
                h.put(f.getFileName().toString(),
                        HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(Files.readAllBytes(f))));
            }
        }
        return h;
    }

    private static List<Path> dirs(Path d) throws IOException {
        if (!Files.isDirectory(d)) {
            return List.of();
        }
        try (Stream<Path> s = Files.list(d)) {
            return s.filter(Files::isDirectory).filter(p -> !p.getFileName().toString().startsWith(".")).sorted().toList();
        }
    }

    @Test
    void anUnknownCheckIsRefusedBeforeAnythingIsCreated() throws Exception {
        Path w = work.resolve("refused");
        Run r = daxfuzz("fuzz", "--check", "some", "--runs", "1", "--work", w.toString());
        assertEquals(2, r.code(), r.err());
        assertTrue(r.err().contains("--check some: expected sample or all"), r.err());
        assertTrue(!Files.exists(w), "no campaign directory for a refused command");
    }

    @Test
    void aBuggyCampaignMakesOneFindingTheNextCleanOneExitsZeroAndCminKeepsTheSeeds() throws Exception {
        Path seeds = REPO.resolve("corpus").resolve("syscall-crash");
        TreeMap<String, String> before = hashes(seeds);

        Run buggy = daxfuzz("fuzz", "--bug", "rename-two-transactions", "--runs", "150", "--time", "600s",
                "--work", work.toString());
        assertEquals(1, buggy.code(), buggy.err());
        Path campaign = work.resolve("syscall-crash.sealed.rename-two-transactions");
        List<Path> found = dirs(campaign.resolve("findings"));
        assertEquals(1, found.size(), "one bug, one finding: " + found + "\n" + buggy.err());
        Path finding = found.get(0);
        assertTrue(buggy.err().contains("first finding after"), buggy.err());

        // The report is the reproducer's, and the raw input needs no flags.
        Path dxp = finding.resolve("program.dxp");
        Run repro = daxfuzz("repro", dxp.toString());
        assertEquals(1, repro.code(), repro.err());
        String shown = REPO.relativize(dxp.toAbsolutePath().normalize()).toString();
        FindingStore.Reports reports = FindingStore.reportFiles(dxp, dxp.toString(), 100_000);
        assertEquals(reports.text(), FindingStore.fencedText(Files.readString(finding.resolve("report.md"))
                .replace(shown, dxp.toString())), "report.md is what repro prints");
        assertEquals(repro.out(), reports.text());
        Run raw = daxfuzz("repro", finding.resolve("input.bin").toString());
        assertEquals(1, raw.code(), raw.err());
        assertTrue(raw.err().contains("configuration from"), raw.err());

        Run clean = daxfuzz("fuzz", "--runs", "40", "--jobs", "2", "--time", "600s", "--work", work.toString());
        assertEquals(0, clean.code(), clean.err());
        assertTrue(clean.err().contains("0 failing inputs -> 0 findings"), clean.err());
        Path sealed = work.resolve("syscall-crash.sealed");
        assertEquals(List.of(), dirs(sealed.resolve("findings")));
        // Two processes, one summary: its executions are the sum of what each driver ran.
        long sum = 0;
        for (String log : List.of("jazzer.log", "jazzer.2.log")) {
            java.util.regex.Matcher m = java.util.regex.Pattern.compile("stat::number_of_executed_units: (\\d+)")
                    .matcher(Files.readString(sealed.resolve(log)));
            assertTrue(m.find(), log);
            sum += Long.parseLong(m.group(1));
        }
        assertTrue(clean.err().contains("done: " + sum + " execs, "), sum + "\n" + clean.err());
        assertTrue(clean.err().contains("in 2 processes"), clean.err());
        assertTrue(java.util.regex.Pattern.compile("per second of the target's own time .*: \\d+ execs; on the \\d+ inputs"
                + " of up to 8 statements: (\\d+|-)\n").matcher(clean.err()).find(), clean.err());
        // Inputs can grow: libFuzzer's mutation limit starts at the length anchor, not at the longest seed.
        java.util.regex.Matcher lim = java.util.regex.Pattern.compile(" lim: (\\d+) ")
                .matcher(Files.readString(sealed.resolve("jazzer.log")));
        assertTrue(lim.find(), "libFuzzer reports its length limit");
        assertTrue(Integer.parseInt(lim.group(1)) >= dev.daxfuzz.fuzzing.LengthAnchor.bytes(2048).length,
                "lim: " + lim.group(1));

        Run cmin = daxfuzz("cmin", "--bug", "rename-two-transactions", "--work", work.toString());
        assertEquals(0, cmin.code(), cmin.err() + cmin.out());
        assertTrue(cmin.out().contains("inputs beyond the"), cmin.out());
        assertEquals(before, hashes(seeds), "the committed seeds are untouched");
        try (Stream<Path> s = Files.list(campaign.resolve("corpus"))) {
            for (Path f : s.toList()) {
                assertTrue(dev.daxfuzz.fuzzing.SyscallCrash.check(Files.readAllBytes(f),
                        new dev.daxfuzz.fuzzing.FuzzConfig(dev.daxfuzz.program.Header.DaxfileDesign.SEALED,
                                List.of("rename-two-transactions"), 2000)).violation().isEmpty(),
                        "no violating input in the corpus: " + f);
            }
        }
    }
}
