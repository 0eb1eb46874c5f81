package dev.daxfuzz.cli;

import dev.daxfuzz.fs.Bug;
import dev.daxfuzz.fuzzing.ByteCodec;
import dev.daxfuzz.fuzzing.Campaign;
import dev.daxfuzz.fuzzing.FuzzConfig;
import dev.daxfuzz.program.BugNames;
import dev.daxfuzz.program.Header;
import dev.daxfuzz.program.Program;
import dev.daxfuzz.run.FsRunner;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * The input argument of {@code repro}, {@code decode} and {@code minimize}: a {@code .dxp} program,
 * a finding directory (its {@code program.dxp}), or a raw {@code SyscallCrash} fuzzer input (any
 * other file). A {@code .dxp} names its own design and bugs ({@code --bug} adds to them). A raw
 * input carries none, so unless {@code --bug}/{@code --daxfile} are given it is decoded under the
 * configuration recorded beside it: the {@code report.json} of the finding it belongs to, or the
 * {@code campaign.json} of the campaign it came from; else the correct designs.
 */
final class InputOptions {
    @Parameters(index = "0", paramLabel = "FILE", description = "a .dxp program, a finding directory or a raw SyscallCrash input")
    Path file;

    @Option(names = "--bug", paramLabel = "NAME", description = "switch on a seeded bug; repeatable")
    List<String> bugs = new ArrayList<>();

    @Option(names = "--daxfile", paramLabel = "DESIGN", description = "daxfile design for raw inputs: sealed"
            + " or rfc-v1 (default: as recorded beside the input, else sealed)")
    String daxfile;

    @Option(names = "--max-states", paramLabel = "N", defaultValue = "" + FsRunner.MAX_STATES_DEFAULT,
            description = "at most N crash states per crash point (default ${DEFAULT-VALUE})")
    long maxStates;

    /** Where the configuration of a raw input came from, for a note on standard error; null if flags. */
    private String recordedIn;

    /** The file to read: the argument, or the {@code program.dxp} of a finding directory. */
    Path source() {
        if (Files.isDirectory(file) && Files.isRegularFile(file.resolve("program.dxp"))) {
            return file.resolve("program.dxp");
        }
        return file;
    }

    boolean isProgramText() {
        return source().getFileName().toString().endsWith(".dxp");
    }

    FuzzConfig config() {
        if (maxStates < 1) {
            throw new UsageException("--max-states must be at least 1, got " + maxStates);
        }
        for (String b : bugs) {
            if (Bug.byName(b).isEmpty()) {
                throw new UsageException("--bug " + b + ": unknown bug; the catalog has: " + String.join(", ", BugNames.ALL));
            }
        }
        String design = daxfile;
        List<String> chosen = bugs;
        if (design == null && bugs.isEmpty() && !isProgramText()) {
            java.util.Optional<Campaign.Recorded> r = recorded();
            if (r.isPresent()) {
                design = r.get().daxfile();
                chosen = r.get().bugs();
            }
        }
        String d0 = design == null ? Header.DaxfileDesign.SEALED.keyword() : design;
        Header.DaxfileDesign d = java.util.Arrays.stream(Header.DaxfileDesign.values())
                .filter(x -> x.keyword().equals(d0)).findFirst()
                .orElseThrow(() -> new UsageException("--daxfile " + d0 + ": expected sealed or rfc-v1"));
        for (String b : chosen) {
            if (Bug.byName(b).isEmpty()) {
                throw new UsageException(recordedIn + " names an unknown bug " + b);
            }
        }
        return new FuzzConfig(d, chosen, maxStates);
    }

    /**
     * The configuration recorded beside a raw input: its finding's {@code report.json}, or the
     * {@code campaign.json} of the campaign directory it lies in (up to three levels up).
     */
    private java.util.Optional<Campaign.Recorded> recorded() {
        Path dir = source().toAbsolutePath().getParent();
        Path report = dir.resolve("report.json");
        if (Files.isRegularFile(report)) {
            java.util.Optional<Campaign.Recorded> r = Campaign.readConfiguration(report);
            if (r.isPresent()) {
                recordedIn = file.resolveSibling("report.json").toString();
                return r;
            }
        }
        for (int up = 0; up < 3 && dir != null; up++, dir = dir.getParent()) {
            Path json = dir.resolve("campaign.json");
            if (Files.isRegularFile(json)) {
                java.util.Optional<Campaign.Recorded> r = Campaign.read(json);
                if (r.isPresent()) {
                    recordedIn = json.toString();
                    return r;
                }
            }
        }
        return java.util.Optional.empty();
    }

    /** A note for standard error naming where a raw input's configuration came from, or null. */
    String configurationNote(FuzzConfig c) {
        if (recordedIn == null) {
            return null;
        }
        return "daxfuzz: configuration from " + recordedIn + ": daxfile " + c.daxfile().keyword()
                + (c.bugs().isEmpty() ? " (correct designs)" : ", bug" + (c.bugs().size() == 1 ? " " : "s ")
                + String.join(", ", c.bugs()));
    }

    /** The raw bytes, for a raw input. */
    byte[] rawBytes() {
        return InputFiles.readRawInput(source());
    }

    /** The program to run: as {@link #loadToPrint()}, and it must fit the heap ({@link HeapBudget}). */
    Program load() {
        return load(true);
    }

    /** The program the input stands for (a raw input decoded), with the {@code --bug} entries added. */
    Program loadToPrint() {
        return load(false);
    }

    private Program load(boolean toRun) {
        FuzzConfig c = config();
        if (!isProgramText()) {
            Program decoded = ByteCodec.decode(rawBytes(), c);
            if (toRun) {
                HeapBudget.requireFits(decoded, file.toString(), Optional.empty(), Runtime.getRuntime().maxMemory(),
                        true);
            }
            return decoded;
        }
        Program p = toRun ? ProgramLoader.loadToRun(source()) : ProgramLoader.load(source());
        if (p.header().rawDevice()) {
            throw new UsageException(source() + ": an fs none program has no file system to check");
        }
        ProgramLoader.requireSupportedFileSystemProgram(p, source());
        List<String> all = new ArrayList<>(p.header().bugs());
        for (String b : bugs) {
            if (!all.contains(b)) {
                all.add(b);
            }
        }
        return new Program(p.header().withBugs(all), p.steps());
    }

    String reproduce(String command) {
        StringBuilder sb = new StringBuilder("./daxfuzz " + command + " " + file);
        for (String b : bugs) {
            sb.append(" --bug ").append(b);
        }
        if (!isProgramText() && daxfile != null) {
            sb.append(" --daxfile ").append(daxfile);
        }
        if (maxStates != FsRunner.MAX_STATES_DEFAULT) {
            sb.append(" --max-states ").append(maxStates);
        }
        return sb.toString();
    }
}
