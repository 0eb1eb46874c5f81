package dev.daxfuzz.bench;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import java.io.IOException;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

/**
 * The finding section's runs as they complete, one JSON object per line, so that a benchmark
 * of several hours that is interrupted (a closed session, a reboot) can be resumed without
 * measuring again what it already measured.
 *
 * <p>Each line names what identifies a run: the commit measured, where the search started
 * (nothing or the shipped corpus), the budget, the bug, the method and the seed, followed by
 * the run's outcome. {@link #load} keeps only the lines of the same commit and budget, so a
 * resumed section never mixes figures of two builds; a line cut short by a kill (the last one)
 * is ignored and its run measured again. Each line is forced to the disk before the next run
 * is reported, so what the progress output says was measured is on the journal.
 *
 * <p>Limits: only the finding section is journaled (the other sections take minutes and are
 * measured again on a resumed invocation); a resumed run keeps its original wall times, which
 * were measured beside whatever ran then.
 */
public final class RunJournal implements AutoCloseable {
    private static final JsonFactory JSON = new JsonFactory();

    private final FileChannel out;
    private final String commit;
    private final Map<String, FindingTime.Measured> earlier;

    private RunJournal(FileChannel out, String commit, Map<String, FindingTime.Measured> earlier) {
        this.out = out;
        this.commit = commit;
        this.earlier = earlier;
    }

    /**
     * Opens the journal at {@code file} for {@code commit}.
     *
     * @param resume keep the runs already recorded there for this commit (else the file is started anew)
     */
    public static RunJournal open(Path file, String commit, boolean resume) throws IOException {
        Map<String, FindingTime.Measured> earlier = resume && Files.exists(file) ? load(file, commit) : new TreeMap<>();
        Files.createDirectories(file.toAbsolutePath().getParent());
        FileChannel ch;
        if (resume) {
            ch = FileChannel.open(file, StandardOpenOption.CREATE, StandardOpenOption.WRITE, StandardOpenOption.APPEND);
            // A line cut short by a kill would glue onto the next one: start on a fresh line.
            if (ch.size() > 0 && lastByte(file) != '\n') {
                ch.write(ByteBuffer.wrap(new byte[] {'\n'}));
            }
        } else {
            ch = FileChannel.open(file, StandardOpenOption.CREATE, StandardOpenOption.WRITE,
                    StandardOpenOption.TRUNCATE_EXISTING);
        }
        return new RunJournal(ch, commit, earlier);
    }

    private static int lastByte(Path file) throws IOException {
        try (FileChannel r = FileChannel.open(file, StandardOpenOption.READ)) {
            ByteBuffer b = ByteBuffer.allocate(1);
            r.read(b, r.size() - 1);
            return b.get(0);
        }
    }

    /** How many runs of earlier invocations this journal holds for its commit. */
    public int earlierRuns() {
        return earlier.size();
    }

    /** The run measured earlier with the same identity, if any. */
    public synchronized Optional<FindingTime.Measured> earlier(boolean fromCorpus, long budgetMillis, String bug,
                                                               String method, int seed) {
        return Optional.ofNullable(earlier.get(key(commit, fromCorpus, budgetMillis, bug, method, seed)));
    }

    /** Appends a completed run and forces it to the disk. */
    public synchronized void record(boolean fromCorpus, long budgetMillis, FindingTime.Measured m) {
        StringWriter w = new StringWriter();
        try (JsonGenerator g = JSON.createGenerator(w)) {
            g.writeStartObject();
            g.writeStringField("commit", commit);
            g.writeBooleanField("fromCorpus", fromCorpus);
            g.writeNumberField("budgetMillis", budgetMillis);
            FindingTime.writeRunFields(g, m.run(), m.detail());
            g.writeEndObject();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        w.write('\n');
        try {
            ByteBuffer b = ByteBuffer.wrap(w.toString().getBytes(StandardCharsets.UTF_8));
            while (b.hasRemaining()) {
                out.write(b);
            }
            out.force(false);
        } catch (IOException e) {
            throw new UncheckedIOException("writing the run journal", e);
        }
    }

    @Override
    public void close() throws IOException {
        out.close();
    }

    /** The runs recorded in {@code file} for {@code commit}, by identity; unreadable lines are skipped. */
    static Map<String, FindingTime.Measured> load(Path file, String commit) throws IOException {
        Map<String, FindingTime.Measured> runs = new TreeMap<>();
        List<String> lines = Files.readAllLines(file, StandardCharsets.UTF_8);
        for (String line : lines) {
            if (line.isBlank()) {
                continue;
            }
            Map<String, Object> f = new TreeMap<>();
            try (JsonParser p = JSON.createParser(line)) {
                if (p.nextToken() != JsonToken.START_OBJECT) {
                    continue;
                }
                while (p.nextToken() == JsonToken.FIELD_NAME) {
                    String name = p.currentName();
                    JsonToken t = p.nextToken();
                    f.put(name, switch (t) {
                        case VALUE_STRING -> p.getText();
                        case VALUE_NUMBER_INT -> p.getLongValue();
                        case VALUE_TRUE -> Boolean.TRUE;
                        case VALUE_FALSE -> Boolean.FALSE;
                        default -> null;
                    });
                }
                if (p.currentToken() != JsonToken.END_OBJECT) {
                    continue;
                }
            } catch (IOException e) {
                // A line cut short by a kill: its run is measured again.
                continue;
            }
            Optional<FindingTime.Measured> m = measured(f);
            if (m.isPresent() && commit.equals(f.get("commit"))) {
                FindingTime.Run r = m.get().run();
                runs.put(key(commit, (Boolean) f.get("fromCorpus"), (Long) f.get("budgetMillis"), r.bug(), r.method(),
                        r.seed()), m.get());
            }
        }
        return runs;
    }

    private static Optional<FindingTime.Measured> measured(Map<String, Object> f) {
        try {
            String bug = (String) f.get("bug");
            String method = (String) f.get("method");
            int seed = Math.toIntExact((Long) f.get("seed"));
            FindingTime.Outcome outcome = FindingTime.Outcome.valueOf((String) f.get("outcome"));
            if (bug == null || method == null || f.get("fromCorpus") == null || f.get("budgetMillis") == null) {
                return Optional.empty();
            }
            FindingTime.Run r = new FindingTime.Run(bug, method, seed, (Boolean) f.get("found"), (Long) f.get("millis"),
                    (Long) f.get("execs"));
            FindingTime.Detail d = new FindingTime.Detail(bug, method, seed, outcome, (String) f.get("violation"),
                    (String) f.get("note"), (Long) f.get("wallMillis"), (Long) f.get("startupMillis"));
            return Optional.of(new FindingTime.Measured(r, d));
        } catch (RuntimeException e) {
            // A field missing or of the wrong type: not a run this journal wrote.
            return Optional.empty();
        }
    }

    private static String key(String commit, boolean fromCorpus, long budgetMillis, String bug, String method, int seed) {
        return commit + '\u0000' + fromCorpus + '\u0000' + budgetMillis + '\u0000' + bug + '\u0000' + method + '\u0000' + seed;
    }
}
