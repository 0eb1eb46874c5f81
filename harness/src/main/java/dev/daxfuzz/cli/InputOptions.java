package dev.daxfuzz.cli;

import dev.daxfuzz.fs.Bug;
import dev.daxfuzz.fuzzing.ByteCodec;
import dev.daxfuzz.fuzzing.FuzzConfig;
import dev.daxfuzz.program.BugNames;
import dev.daxfuzz.program.Header;
import dev.daxfuzz.program.Program;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * The input argument of {@code repro}, {@code decode} and {@code minimize}: a {@code .dxp} program
 * or a raw {@code SyscallCrash} fuzzer input (any other file), decoded with the design and bugs
 * given here (a {@code .dxp} names its own, and {@code --bug} adds to them).
 */
final class InputOptions {
    @Parameters(index = "0", paramLabel = "FILE", description = "a .dxp program or a raw SyscallCrash input")
    Path file;

    @Option(names = "--bug", paramLabel = "NAME", description = "switch on a seeded bug; repeatable")
    List<String> bugs = new ArrayList<>();

    @Option(names = "--daxfile", paramLabel = "DESIGN", description = "daxfile design for raw inputs: sealed (default)"
            + " or rfc-v1")
    String daxfile = "sealed";

    @Option(names = "--max-states", paramLabel = "N", defaultValue = "100000",
            description = "at most N crash states per crash point (default ${DEFAULT-VALUE})")
    long maxStates;

    boolean isProgramText() {
        return file.getFileName().toString().endsWith(".dxp");
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
        Header.DaxfileDesign d = java.util.Arrays.stream(Header.DaxfileDesign.values())
                .filter(x -> x.keyword().equals(daxfile)).findFirst()
                .orElseThrow(() -> new UsageException("--daxfile " + daxfile + ": expected sealed or rfc-v1"));
        return new FuzzConfig(d, bugs, maxStates);
    }

    /** The raw bytes, for a raw input. */
    byte[] rawBytes() {
        return InputFiles.readRawInput(file);
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
        Program p = toRun ? ProgramLoader.loadToRun(file) : ProgramLoader.load(file);
        if (p.header().rawDevice()) {
            throw new UsageException(file + ": an fs none program has no file system to check");
        }
        ProgramLoader.requireSupportedFileSystemProgram(p, file);
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
        if (!isProgramText() && !daxfile.equals("sealed")) {
            sb.append(" --daxfile ").append(daxfile);
        }
        return sb.toString();
    }
}
