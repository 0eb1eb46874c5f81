package dev.daxfuzz.cli;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.stream.Stream;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code daxfuzz cmin --target T}: corpus minimisation with libFuzzer's {@code -merge=1}: the
 * smallest subset of the seed corpus and the working corpus that keeps their coverage. The new
 * corpus is built in a fresh directory and swapped in by renames; the old one is removed only
 * once the new one is in place, so no input is lost if the run is interrupted.
 */
@Command(name = "cmin", mixinStandardHelpOptions = true,
        description = "Minimise a target's corpus with libFuzzer -merge=1 (seeds plus the working corpus), replacing it.")
final class CminCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Option(names = "--target", paramLabel = "T", defaultValue = "syscall-crash", description = "fuzz target (default ${DEFAULT-VALUE})")
    String target;

    @Option(names = "--corpus", paramLabel = "DIR", description = "corpus to minimise (default corpus/<target>)")
    Path corpus;

    @Option(names = "--work", paramLabel = "DIR",
            description = "the fuzz command's working directory, whose corpus is merged in (default fuzz/target/daxfuzz-work of the repository)")
    Path work;

    @Override
    public Integer call() throws Exception {
        Path root = JazzerDriver.root();
        work = work != null ? work : root.resolve("fuzz/target/daxfuzz-work");
        Path dir = (corpus != null ? corpus : root.resolve("corpus").resolve(target)).toAbsolutePath();
        if (!Files.isDirectory(dir)) {
            throw new UsageException(dir + ": no such corpus directory");
        }
        Path fresh = dir.resolveSibling("." + dir.getFileName() + ".cmin");
        FindingsDelete.tree(fresh);
        Files.createDirectories(fresh);
        Path workCorpus = work.resolve(target).resolve("corpus").toAbsolutePath();
        List<String> args = new java.util.ArrayList<>(List.of("-merge=1", fresh.toString(), dir.toString()));
        if (Files.isDirectory(workCorpus)) {
            args.add(workCorpus.toString());
        }
        ProcessBuilder pb = new ProcessBuilder(JazzerDriver.command(target, List.of(), args));
        pb.redirectErrorStream(true);
        Path log = work.resolve(target).resolve("cmin.log");
        Files.createDirectories(log.getParent());
        pb.redirectOutput(log.toFile());
        int rc = pb.start().waitFor();
        long before = count(dir);
        long after = count(fresh);
        if (rc != 0 || after == 0) {
            FindingsDelete.tree(fresh);
            spec.commandLine().getErr().println("daxfuzz: merge failed (exit " + rc + ", " + after
                    + " inputs kept); the corpus is unchanged; see " + log);
            return ExitCode.INTERNAL;
        }
        Path old = dir.resolveSibling("." + dir.getFileName() + ".old");
        FindingsDelete.tree(old);
        Files.move(dir, old, StandardCopyOption.ATOMIC_MOVE);
        Files.move(fresh, dir, StandardCopyOption.ATOMIC_MOVE);
        FindingsDelete.tree(old);
        spec.commandLine().getOut().println(dir + ": " + before + " -> " + after + " inputs"
                + (Files.isDirectory(workCorpus) ? " (working corpus merged in)" : ""));
        return ExitCode.OK;
    }

    private static long count(Path d) throws IOException {
        try (Stream<Path> s = Files.list(d)) {
            return s.filter(Files::isRegularFile).count();
        }
    }

    /** Recursive delete. */
    static final class FindingsDelete {
        static void tree(Path p) throws IOException {
            if (!Files.exists(p)) {
                return;
            }
            try (Stream<Path> s = Files.walk(p)) {
                for (Path q : s.sorted(java.util.Comparator.reverseOrder()).toList()) {
                    Files.deleteIfExists(q);
                }
            }
        }
    }
}
