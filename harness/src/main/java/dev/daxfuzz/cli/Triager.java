package dev.daxfuzz.cli;

import dev.daxfuzz.fuzzing.Campaign;
import dev.daxfuzz.fuzzing.FindingStore;
import dev.daxfuzz.fuzzing.Triage;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.List;
import java.util.TreeSet;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Stream;

/**
 * Turns the failing inputs a Jazzer driver writes into a campaign's {@code artifacts/} into
 * findings: each is replayed under the campaign's configuration, minimised and signed
 * ({@link Triage}), then saved ({@link FindingStore}) or counted as a duplicate of a finding it
 * minimises to; an input that shows no violation is moved to {@code unreproduced/} (a daxfuzz bug:
 * the target failed for another reason). Inputs leave {@code artifacts/} only after that, so an
 * interrupted campaign loses nothing: the next run of the same campaign triages what is left.
 *
 * <p>Only {@code syscall-crash} targets are triaged this way; a finding of {@code recovery} or
 * {@code pm-model} is a bug in daxfuzz itself and is kept raw. {@link #collect} is serialised;
 * the counters can be read from any thread at any time.
 */
final class Triager {
    private final Campaign campaign;
    private final String target;
    private final FindingStore store;
    private final String foundBy;
    private final Events events;
    /** Names triaged by this triager: a name is a hash of the input, so the same name is the same input. */
    private final TreeSet<String> triaged = new TreeSet<>();
    // Read by other threads while a triage runs: the getters take no lock, so a caller that holds
    // its own lock (a status line) can never wait for a minimisation.
    private final List<String> tokens = new CopyOnWriteArrayList<>();
    private final List<String> fresh = new CopyOnWriteArrayList<>();
    private final List<Path> unreproduced = new CopyOnWriteArrayList<>();
    private final AtomicInteger failing = new AtomicInteger();

    /** Where the triager reports what it did, so the caller can order it with its own output. */
    interface Events {
        void finding(String token, boolean fresh, String kind, Path dir, int statementsBefore, int statementsAfter);

        void problem(String message);
    }

    Triager(Campaign campaign, String target, FindingStore store, String foundBy, Events events) {
        this.campaign = campaign;
        this.target = target;
        this.store = store;
        this.foundBy = foundBy;
        this.events = events;
    }

    /** Failing inputs triaged so far. */
    int failingInputs() {
        return failing.get();
    }

    /** Findings (tokens) the failing inputs minimised to, in the order first seen; new ones too. */
    List<String> tokens() {
        return List.copyOf(tokens);
    }

    /** Tokens saved for the first time by this triager. */
    List<String> freshTokens() {
        return List.copyOf(fresh);
    }

    /** Inputs that failed under the driver but showed no violation when replayed. */
    List<Path> unreproduced() {
        return List.copyOf(unreproduced);
    }

    /** Pending failing inputs: what the driver wrote and nobody has triaged. */
    static List<Path> pending(Campaign c, String target) throws IOException {
        String prefix = target.equals("syscall-crash-typed") ? "input-" : "crash-";
        try (Stream<Path> s = Files.list(c.artifacts())) {
            return s.filter(f -> Files.isRegularFile(f)
                    && (f.getFileName().toString().startsWith(prefix)
                        || f.getFileName().toString().startsWith("oom-")
                        || f.getFileName().toString().startsWith("timeout-")))
                    .sorted().toList();
        }
    }

    /** Triages every pending input. */
    synchronized void collect() {
        try {
            for (Path f : pending(campaign, target)) {
                String name = f.getFileName().toString();
                if (triaged.contains(name)) {
                    // Written again after its triage (the driver reporting a repeat, or the corpus
                    // sweep moving out the same input): nothing new, and nothing to leave behind
                    // for the next run to mistake for an interrupted one's.
                    Files.deleteIfExists(f);
                    continue;
                }
                triage(f);
                triaged.add(name);
            }
        } catch (IOException e) {
            events.problem("could not read " + campaign.artifacts() + ": " + e.getMessage());
        }
    }

    private void triage(Path f) throws IOException {
        String name = f.getFileName().toString();
        byte[] input = Files.readAllBytes(f);
        if (name.startsWith("oom-") || name.startsWith("timeout-")) {
            // The fuzzing JVM ran out of memory or time on one input: daxfuzz bounds the work per
            // input, so this is a daxfuzz bug, never a violation of the design under test.
            keepUnreproduced(f, (name.startsWith("oom-") ? "ran out of memory" : "timed out")
                    + " on an input (a daxfuzz bug: please report it with the input)");
            return;
        }
        if (!target.startsWith("syscall-crash")) {
            Path dir = store.rawDir(name);
            if (!Files.exists(dir)) {
                Path tmp = Files.createTempDirectory(Files.createDirectories(dir.getParent()), ".tmp-");
                Files.write(tmp.resolve("input.bin"), input);
                Files.writeString(tmp.resolve("report.md"), "# " + target + " finding (a bug in daxfuzz itself)\n\n"
                        + "The driver's output is in `" + campaign.log() + "`.\n\nReplay with Jazzer's driver on the fuzz"
                        + " class path: `java -cp <fuzz class path> com.code_intelligence.jazzer.Jazzer --target_class="
                        + JazzerDriver.targetClass(target).split("#")[0] + " input.bin`\n");
                Files.move(tmp, dir, StandardCopyOption.ATOMIC_MOVE);
                tokens.add(name);
                fresh.add(name);
                events.finding(name, true, "internal", dir, 0, 0);
            }
            failing.incrementAndGet();
            Files.deleteIfExists(f);
            return;
        }
        java.util.Optional<Triage.Triaged> t = Triage.of(input, campaign.config(), Triage.MINIMIZE_RUNS);
        if (t.isEmpty()) {
            keepUnreproduced(f, "failed under the driver but shows no violation when replayed (a crash of daxfuzz"
                    + " itself: see the driver's log " + campaign.log() + ")");
            return;
        }
        FindingStore.Saved saved;
        try {
            saved = store.save(target, t.get(), foundBy);
        } catch (FindingStore.NotShownByRepro e) {
            keepUnreproduced(f, "violates in the fuzz target's sample but not within the bounds of repro (a daxfuzz"
                    + " limitation: please report it with the input): " + e.getMessage());
            return;
        }
        failing.incrementAndGet();
        if (!tokens.contains(saved.token())) {
            tokens.add(saved.token());
        }
        if (saved.fresh()) {
            fresh.add(saved.token());
        }
        events.finding(saved.token(), saved.fresh(), t.get().violation().kind().name(), saved.dir(),
                t.get().decoded().steps().size(), t.get().minimized().steps().size());
        Files.deleteIfExists(f);
    }

    private void keepUnreproduced(Path f, String why) throws IOException {
        Files.createDirectories(campaign.unreproduced());
        Path dest = campaign.unreproduced().resolve(f.getFileName());
        Files.move(f, dest, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        unreproduced.add(dest);
        events.problem(dest + " " + why);
    }
}
