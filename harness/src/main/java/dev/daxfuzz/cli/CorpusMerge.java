package dev.daxfuzz.cli;

import dev.daxfuzz.bench.Stopwatch;
import dev.daxfuzz.fuzzing.Campaign;
import dev.daxfuzz.fuzzing.SyscallCrash;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * Corpus minimisation with libFuzzer's {@code -merge=1}, as {@code cmin} and the start of a
 * campaign whose working corpus has grown use it: the smallest set of inputs that keeps the
 * coverage of the inputs given.
 *
 * <p>Three rules make it safe. Committed seeds are read, never written: the merge writes into a
 * fresh directory of the campaign. An input that violates is never kept: libFuzzer's merge
 * counts coverage of inputs whose check throws, so after the merge each kept input is replayed
 * here under the campaign's configuration and a violating one moves to the campaign's
 * {@code artifacts/} for triage instead. And nothing is lost if the run dies: the result replaces
 * the target by renames, the old contents going only once the new are in place.
 */
final class CorpusMerge {
    private static final Pattern OUTER = Pattern.compile("^MERGE-OUTER: (\\d+) files");
    private static final Pattern STATS = Pattern.compile("^daxfuzz-stats execs=(\\d+)");

    /** What a merge did. */
    record Result(int before, int kept, int violating) {
    }

    private CorpusMerge() {
    }

    /**
     * Merges {@code inputs} (directories) into {@code target}, replacing it. With {@code baseline}
     * (the committed seeds), the merge starts from their coverage and keeps only what adds to it;
     * the seeds themselves are not copied into the result.
     */
    static Result merge(String driverTarget, Campaign campaign, Path baseline, List<Path> inputs, Path target,
                        int maxLenBytes, List<String> jvmArgs, PrintWriter err, String what) throws IOException {
        Path parent = target.toAbsolutePath().getParent();
        Files.createDirectories(parent);
        Path fresh = parent.resolve("." + target.getFileName() + ".merging");
        Campaign.deleteTree(fresh);
        Files.createDirectories(fresh);
        List<String> seedNames = new ArrayList<>();
        if (baseline != null && Files.isDirectory(baseline)) {
            for (Path s : files(baseline)) {
                Files.copy(s, fresh.resolve(s.getFileName()));
                seedNames.add(s.getFileName().toString());
            }
        }
        int before = 0;
        List<String> args = new ArrayList<>(List.of("-merge=1", "-max_len=" + maxLenBytes,
                "-artifact_prefix=" + campaign.artifacts().toAbsolutePath() + "/", fresh.toString()));
        for (Path in : inputs) {
            if (Files.isDirectory(in)) {
                before += files(in).size();
                args.add(in.toAbsolutePath().toString());
            }
        }
        List<String> props = new ArrayList<>(FuzzCommand.configProperties(campaign.config()));
        props.add("-Ddaxfuzz.stats=64");
        props.addAll(jvmArgs);
        ProcessBuilder pb = new ProcessBuilder(JazzerDriver.command(driverTarget, props, args));
        pb.directory(campaign.dir().toFile());
        pb.redirectErrorStream(true);
        pb.redirectInput(ProcessBuilder.Redirect.PIPE);
        Path log = campaign.dir().resolve("merge.log");
        Stopwatch clock = new Stopwatch();
        long lastPrinted = 0;
        int total = before;
        Process p = pb.start();
        p.getOutputStream().close();
        try (BufferedReader r = new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8));
             PrintWriter logw = new PrintWriter(Files.newBufferedWriter(log, StandardCharsets.UTF_8))) {
            String line;
            while ((line = r.readLine()) != null) {
                logw.println(line);
                Matcher m;
                if ((m = OUTER.matcher(line)).find()) {
                    total = Integer.parseInt(m.group(1));
                } else if ((m = STATS.matcher(line)).find() && clock.millis() - lastPrinted >= 2_000) {
                    lastPrinted = clock.millis();
                    err.println("daxfuzz: " + what + ": " + m.group(1) + "/" + total + " inputs replayed ("
                            + lastPrinted / 1000 + " s)");
                    err.flush();
                }
            }
        }
        int rc;
        try {
            rc = p.waitFor();
        } catch (InterruptedException e) {
            p.destroy();
            Thread.currentThread().interrupt();
            throw new IOException("interrupted", e);
        }
        if (rc != 0) {
            Campaign.deleteTree(fresh);
            throw new IOException("the merge failed (driver exit " + rc + "); nothing was changed; see " + log);
        }
        for (String s : seedNames) {
            Files.deleteIfExists(fresh.resolve(s));
        }
        int violating = 0;
        if (driverTarget.equals("syscall-crash")) {
            List<Path> kept = files(fresh);
            long[] last = {lastPrinted};
            violating = moveOutViolating(campaign, kept, done -> {
                if (clock.millis() - last[0] >= 2_000) {
                    last[0] = clock.millis();
                    err.println("daxfuzz: " + what + ": checking the merged inputs: " + done + "/" + kept.size()
                            + " (" + last[0] / 1000 + " s)");
                    err.flush();
                }
            });
        }
        int kept = files(fresh).size();
        Path old = parent.resolve("." + target.getFileName() + ".old");
        Campaign.deleteTree(old);
        if (Files.exists(target)) {
            Files.move(target, old, StandardCopyOption.ATOMIC_MOVE);
        }
        Files.move(fresh, target, StandardCopyOption.ATOMIC_MOVE);
        Campaign.deleteTree(old);
        return new Result(before, kept, violating);
    }

    /**
     * Replays each of {@code inputs} (byte inputs) under the campaign's configuration and moves
     * every one that violates to {@code artifacts/} as {@code crash-NAME}, for triage: a corpus
     * never keeps an input that violates. Returns how many moved; {@code progress} gets the count
     * replayed after each input.
     */
    static int moveOutViolating(Campaign campaign, List<Path> inputs, java.util.function.IntConsumer progress)
            throws IOException {
        int moved = 0;
        int done = 0;
        for (Path f : inputs) {
            if (SyscallCrash.confirm(Files.readAllBytes(f), campaign.config()).violation().isPresent()) {
                Files.move(f, campaign.artifacts().resolve("crash-" + f.getFileName()),
                        StandardCopyOption.REPLACE_EXISTING);
                moved++;
            }
            progress.accept(++done);
        }
        return moved;
    }

    static List<Path> files(Path dir) throws IOException {
        try (Stream<Path> s = Files.list(dir)) {
            return s.filter(Files::isRegularFile).filter(f -> !f.getFileName().toString().startsWith("."))
                    .sorted().toList();
        }
    }
}
