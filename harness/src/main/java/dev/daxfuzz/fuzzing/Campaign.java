package dev.daxfuzz.fuzzing;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import java.io.IOException;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * A fuzzing campaign's own state: one directory per target and configuration (daxfile design and
 * seeded bugs), so that nothing one campaign leaves behind is ever taken for another's. A
 * campaign with {@code --bug bitmap-outside-journal} and one on the correct designs never share a
 * working corpus, an artifact or a finding.
 *
 * <pre>
 * ROOT/&lt;target&gt;.&lt;daxfile&gt;[.&lt;bug&gt;...]/
 *   campaign.json   the configuration (written once; later runs check it)
 *   corpus/         the working corpus: what libFuzzer kept (committed seeds are never copied here)
 *   artifacts/      failing inputs the driver wrote and daxfuzz has not triaged yet
 *   findings/       one directory per finding ({@link FindingStore})
 *   unreproduced/   failing inputs that showed no violation when replayed (a daxfuzz bug to report)
 *   jazzer.log      the driver's output of the latest run (jazzer.N.log: the N-th process of --jobs)
 * </pre>
 *
 * The committed seeds ({@code corpus/<target>/}) are read by every run and written by none.
 */
public final class Campaign {
    private final Path dir;
    private final String target;
    private final FuzzConfig config;

    private Campaign(Path dir, String target, FuzzConfig config) {
        this.dir = dir;
        this.target = target;
        this.config = config;
    }

    /** The directory name of a target and configuration: {@code syscall-crash.sealed.bitmap-outside-journal}. */
    public static String name(String target, FuzzConfig config) {
        StringBuilder sb = new StringBuilder(target).append('.').append(config.daxfile().keyword());
        config.bugs().stream().sorted().forEach(b -> sb.append('.').append(b));
        return sb.toString();
    }

    /**
     * Opens (creating if needed) the campaign of {@code target} under {@code config} in
     * {@code root}; refuses a directory whose recorded configuration differs.
     */
    public static Campaign open(Path root, String target, FuzzConfig config) throws IOException {
        Path dir = root.resolve(name(target, config));
        Campaign c = new Campaign(dir, target, config);
        Files.createDirectories(c.corpus());
        Files.createDirectories(c.artifacts());
        Path json = dir.resolve("campaign.json");
        if (Files.exists(json)) {
            Optional<Recorded> r = read(json);
            if (r.isEmpty() || !r.get().target().equals(target) || !r.get().daxfile().equals(config.daxfile().keyword())
                    || !r.get().bugs().equals(config.bugs().stream().sorted().toList())) {
                throw new IOException(json + " records another configuration; remove the directory or choose another --work");
            }
        } else {
            writeAtomically(json, c.json());
        }
        return c;
    }

    /** What a {@code campaign.json} records. */
    public record Recorded(String target, String daxfile, List<String> bugs) {
    }

    /** Reads a {@code campaign.json}; empty when it is not one. */
    public static Optional<Recorded> read(Path json) {
        try (JsonParser p = new JsonFactory().createParser(Files.readString(json, StandardCharsets.UTF_8))) {
            String target = null;
            String daxfile = null;
            List<String> bugs = new ArrayList<>();
            if (p.nextToken() != JsonToken.START_OBJECT) {
                return Optional.empty();
            }
            while (p.nextToken() == JsonToken.FIELD_NAME) {
                String field = p.currentName();
                JsonToken t = p.nextToken();
                switch (field) {
                    case "target" -> target = p.getValueAsString();
                    case "daxfile" -> daxfile = p.getValueAsString();
                    case "bugs" -> {
                        while (t == JsonToken.START_ARRAY && p.nextToken() == JsonToken.VALUE_STRING) {
                            bugs.add(p.getValueAsString());
                        }
                    }
                    default -> p.skipChildren();
                }
            }
            return target == null || daxfile == null ? Optional.empty() : Optional.of(new Recorded(target, daxfile, bugs));
        } catch (IOException e) {
            return Optional.empty();
        }
    }

    /**
     * Reads the {@code "configuration"} object of a finding's {@code report.json} (the daxfile
     * design and seeded bugs it was found under); empty when there is none.
     */
    public static Optional<Recorded> readConfiguration(Path reportJson) {
        try (JsonParser p = new JsonFactory().createParser(Files.readString(reportJson, StandardCharsets.UTF_8))) {
            if (p.nextToken() != JsonToken.START_OBJECT) {
                return Optional.empty();
            }
            while (p.nextToken() == JsonToken.FIELD_NAME) {
                String field = p.currentName();
                JsonToken t = p.nextToken();
                if (!field.equals("configuration") || t != JsonToken.START_OBJECT) {
                    p.skipChildren();
                    continue;
                }
                String daxfile = null;
                List<String> bugs = new ArrayList<>();
                while (p.nextToken() == JsonToken.FIELD_NAME) {
                    String f = p.currentName();
                    JsonToken v = p.nextToken();
                    if (f.equals("daxfile")) {
                        daxfile = p.getValueAsString();
                    } else if (f.equals("bugs") && v == JsonToken.START_ARRAY) {
                        while (p.nextToken() == JsonToken.VALUE_STRING) {
                            bugs.add(p.getValueAsString());
                        }
                    } else {
                        p.skipChildren();
                    }
                }
                return daxfile == null ? Optional.empty() : Optional.of(new Recorded("", daxfile, bugs));
            }
            return Optional.empty();
        } catch (IOException e) {
            return Optional.empty();
        }
    }

    private String json() throws IOException {
        StringWriter w = new StringWriter();
        try (JsonGenerator g = new JsonFactory().createGenerator(w)) {
            g.useDefaultPrettyPrinter();
            g.writeStartObject();
            g.writeStringField("target", target);
            g.writeStringField("daxfile", config.daxfile().keyword());
            g.writeArrayFieldStart("bugs");
            for (String b : config.bugs().stream().sorted().toList()) {
                g.writeString(b);
            }
            g.writeEndArray();
            g.writeEndObject();
        }
        return w + "\n";
    }

    /** The campaign's directory. */
    public Path dir() {
        return dir;
    }

    /** The configuration. */
    public FuzzConfig config() {
        return config;
    }

    /** The working corpus (libFuzzer's first corpus directory, where it writes). */
    public Path corpus() {
        return dir.resolve("corpus");
    }

    /** Failing inputs written by the driver, awaiting triage. */
    public Path artifacts() {
        return dir.resolve("artifacts");
    }

    /** The campaign's findings. */
    public Path findings() {
        return dir.resolve("findings");
    }

    /** Failing inputs that did not reproduce. */
    public Path unreproduced() {
        return dir.resolve("unreproduced");
    }

    /** The driver's output of the latest run. */
    public Path log() {
        return dir.resolve("jazzer.log");
    }

    /** The output of driver process {@code job} (from 1) of the latest run: {@link #log()} for the first. */
    public Path log(int job) {
        return job <= 1 ? log() : dir.resolve("jazzer." + job + ".log");
    }

    /**
     * Starts afresh: empties the working corpus (after the caller has triaged what the artifacts
     * directory still holds, so that no finding is lost). Findings stay.
     */
    public void resetCorpus() throws IOException {
        Path old = dir.resolve(".corpus.old");
        FindingStore.deleteTree(old);
        Files.move(corpus(), old, StandardCopyOption.ATOMIC_MOVE);
        Files.createDirectories(corpus());
        FindingStore.deleteTree(old);
    }

    /**
     * Temporary files and directories are created private (0600, 0700); what they become when
     * renamed into place is ordinary output, readable by all as the user's other files are.
     */
    public static void readableByAll(Path p, boolean directory) throws IOException {
        if (p.getFileSystem().supportedFileAttributeViews().contains("posix")) {
            Files.setPosixFilePermissions(p, java.nio.file.attribute.PosixFilePermissions.fromString(
                    directory ? "rwxr-xr-x" : "rw-r--r--"));
        }
    }

    /** Deletes a directory tree (nothing when it does not exist). */
    public static void deleteTree(Path p) throws IOException {
        FindingStore.deleteTree(p);
    }

    /** Writes {@code text} to {@code file} through a temporary file and a rename. */
    public static void writeAtomically(Path file, String text) throws IOException {
        writeAtomically(file, text.getBytes(StandardCharsets.UTF_8));
    }

    /** Writes {@code bytes} to {@code file} through a temporary file and a rename. */
    public static void writeAtomically(Path file, byte[] bytes) throws IOException {
        Path parent = file.toAbsolutePath().getParent();
        Files.createDirectories(parent);
        Path tmp = Files.createTempFile(parent, "." + file.getFileName(), ".tmp");
        try {
            Files.write(tmp, bytes);
            readableByAll(tmp, false);
            Files.move(tmp, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        } finally {
            Files.deleteIfExists(tmp);
        }
    }
}
