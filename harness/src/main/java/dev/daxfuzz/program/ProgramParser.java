package dev.daxfuzz.program;

import dev.daxfuzz.pm.Persistency;
import dev.daxfuzz.posix.Errno;
import dev.daxfuzz.program.DxpLexer.Kind;
import dev.daxfuzz.program.DxpLexer.Line;
import dev.daxfuzz.program.DxpLexer.Token;
import java.io.IOException;
import java.math.BigInteger;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.regex.Pattern;

/**
 * Parses {@code .dxp} program text (spec §1–§3) into a {@link Program}, then checks it with
 * {@link ProgramValidator}.
 *
 * <p>The grammar is line based: a statement is its first word and a fixed list of arguments,
 * optionally followed by {@code => RESULT}. Header lines ({@code device}, {@code persistency},
 * {@code fs}, {@code sync-fault}, {@code daxfile}, {@code bug}) must come before the first
 * operation and, except {@code bug} with different names, appear at most once. Besides the spec's
 * operations the parser accepts the extension {@code load ADDR LEN}.
 *
 * <p>Limits: the first error ends parsing ({@link DxpSyntaxError}); integers are at most
 * 2<sup>63</sup>-1 (2<sup>64</sup>-1 for {@code u64:V}). {@code fs NAME} is lexed as any name of
 * letters, digits, {@code _} and {@code -}, then the validator accepts only the designs this
 * version runs ({@link Header#FS_DESIGNS}) and, for {@code journal}, a device of at least
 * {@link Header#JOURNAL_DEVICE_BYTES_MIN}, each error at its header line's argument.
 * {@code daxctl ... static ALIGN} accepts any integer; its meaning is the runner's.
 */
public final class ProgramParser {
    static final String INTEGER = "an integer (decimal, 0x hex, optional K or M suffix)";
    static final String DATA = "a data literal (\"text\", hex:HEX, fill:BYTE*COUNT, u8:V, u16:V, u32:V or u64:V)";
    static final String RESULT = "a result (ok, an errno name such as ENOENT, static, dynamic, SIGBUS or a data literal)";
    static final BigInteger INTEGER_MAX = BigInteger.valueOf(Long.MAX_VALUE);
    private static final int FOUND_CHARS_MAX = 40;

    /** Header words in spec order. */
    static final List<String> HEADER_WORDS = List.of("device", "persistency", "fs", "sync-fault", "daxfile", "journal-commit",
            "recovery-crashes", "bug", "schedule");

    /** Operation words in spec order (§3.1, then the {@code load} extension, then §3.2) with their arguments. */
    private static final Map<String, String> OP_ARGUMENTS = new LinkedHashMap<>();

    static {
        String[][] table = {
            {"store", "ADDR DATA"}, {"ntstore", "ADDR DATA"}, {"clflush", "ADDR"}, {"clflushopt", "ADDR"},
            {"clwb", "ADDR"}, {"sfence", ""}, {"mfence", ""}, {"crash", "[choose DATA]"}, {"load", "ADDR LEN"},
            {"mkdir", "PATH"}, {"rmdir", "PATH"}, {"open", "FD PATH FLAGS"}, {"close", "FD"},
            {"write", "FD OFF DATA"}, {"read", "FD OFF LEN"}, {"truncate", "FD LEN"},
            {"fallocate", "FD MODE OFF LEN"}, {"fsync", "FD"}, {"fdatasync", "FD"}, {"sync", ""},
            {"unlink", "PATH"}, {"link", "OLD NEW"}, {"rename", "OLD NEW"}, {"mmap", "MAP FD OFF LEN FLAGS"},
            {"munmap", "MAP"}, {"msync", "MAP OFF LEN"}, {"mstore", "MAP OFF DATA"}, {"mntstore", "MAP OFF DATA"},
            {"mclwb", "MAP OFF"}, {"mclflushopt", "MAP OFF"}, {"mclflush", "MAP OFF"}, {"mload", "MAP OFF LEN"},
            {"persist", "MAP OFF LEN"}, {"daxctl", "PATH static [ALIGN], PATH clear or PATH get"},
            {"cred", "drop CAP or grant CAP"}, {"poison", "PATH OFF LEN or ADDR LEN"},
        };
        for (String[] row : table) {
            OP_ARGUMENTS.put(row[0], row[1]);
        }
    }

    private static final Pattern FS_NAME = Pattern.compile("[A-Za-z_][A-Za-z0-9_-]*");
    private static final Pattern CAPABILITY = Pattern.compile("CAP_[A-Z0-9_]+");
    private static final Pattern ERRNO_LIKE = Pattern.compile("E[A-Z0-9]+");

    private final String source;
    private Header header = Header.defaults();
    /** Header key ({@code device}, ..., {@code bug NAME}) to the line that set it, in file order. */
    private final Map<String, Integer> headerLines = new LinkedHashMap<>();
    /** Header key to the position of its argument (the SIZE of {@code device}, the NAME of {@code fs}). */
    private final Map<String, SourcePos> headerArguments = new LinkedHashMap<>();
    private int firstOpLine;
    /** The task the next statement belongs to ({@link Step#SETUP} before the first task line). */
    private String task = Step.SETUP;
    private SourcePos taskStart;
    private int stepsBeforeTask;
    /** Where each task was declared. */
    private final Map<String, SourcePos> taskLines = new LinkedHashMap<>();
    private final List<Step> steps = new ArrayList<>();
    /** Per step, the tokens the validator points at. */
    private final List<StepTokens> stepTokens = new ArrayList<>();

    private record StepTokens(List<Token> arguments, Token result) {
    }

    private ProgramParser(String source) {
        this.source = source;
    }

    /**
     * Parses and validates program text.
     *
     * @param sourceName the file name for error messages, as the user gave it
     * @throws DxpSyntaxError on the first lexical, syntactic or semantic error
     */
    public static Program parse(String sourceName, String text) throws DxpSyntaxError {
        return new ProgramParser(sourceName).run(text);
    }

    /**
     * Reads {@code file} as strict UTF-8, then parses and validates it. Error messages name the
     * file as {@code file.toString()}.
     *
     * @throws DxpSyntaxError on invalid UTF-8 (at the first bad byte) or any parse error
     * @throws IOException if the file cannot be read
     */
    public static Program parse(Path file) throws DxpSyntaxError, IOException {
        return parse(file.toString(), Files.readAllBytes(file)).program();
    }

    /**
     * A parsed program and where its header lines' arguments were written, for checks made after
     * parsing that must still point at a line (the command line's heap check names the
     * {@code device} line).
     *
     * @param headerArguments header word ({@code device}, {@code fs}) to the position of its
     *     argument; absent when the line was not written
     */
    public record Parsed(Program program, Map<String, SourcePos> headerArguments) {
        public Parsed {
            headerArguments = Map.copyOf(headerArguments);
        }
    }

    /**
     * Decodes {@code utf8} as strict UTF-8, then parses and validates it; errors name
     * {@code sourceName}.
     *
     * @throws DxpSyntaxError on invalid UTF-8 (at the first bad byte) or any parse error
     */
    public static Parsed parse(String sourceName, byte[] utf8) throws DxpSyntaxError {
        ProgramParser p = new ProgramParser(sourceName);
        Program program = p.run(DxpLexer.decodeUtf8(sourceName, utf8));
        return new Parsed(program, p.headerArguments);
    }

    private Program run(String text) throws DxpSyntaxError {
        for (Line line : DxpLexer.lex(source, text)) {
            statement(line);
        }
        endTask(null);
        Program program = new Program(header, steps);
        ProgramValidator.validate(source, program, new ProgramValidator.Locator() {
            @Override
            public SourcePos argument(int step, int index) {
                return stepTokens.get(step).arguments().get(index).pos();
            }

            @Override
            public SourcePos result(int step) {
                return stepTokens.get(step).result().pos();
            }

            @Override
            public int headerLine(String key) {
                return headerLines.getOrDefault(key, 0);
            }

            @Override
            public SourcePos headerArgument(String key) {
                return headerArguments.getOrDefault(key, new SourcePos(1, 1));
            }
        });
        return program;
    }

    private void statement(Line line) throws DxpSyntaxError {
        Token first = line.tokens().get(0);
        String word = first.kind() == Kind.WORD ? first.text() : "";
        if (HEADER_WORDS.contains(word)) {
            header(line, word);
            return;
        }
        if (word.equals("task")) {
            task(line);
            return;
        }
        String arguments = OP_ARGUMENTS.get(word);
        if (arguments == null) {
            List<String> words = new ArrayList<>(HEADER_WORDS);
            words.add("task");
            words.addAll(OP_ARGUMENTS.keySet());
            throw error(first.pos(), "unknown statement " + quote(first.text()) + "; expected one of: "
                    + String.join(", ", words));
        }
        Cursor c = new Cursor(line, word + " needs " + arguments);
        Op op = operation(word, c);
        List<Token> tokens = line.tokens();
        Optional<Expectation> expectation = Optional.empty();
        Token result = null;
        if (c.next < tokens.size()) {
            Token t = tokens.get(c.next);
            if (!t.isWord("=>")) {
                throw error(t.pos(), "expected end of statement or '=>', found " + quote(t.text()));
            }
            if (c.next + 1 == tokens.size()) {
                throw error(line.endPos(), "expected " + RESULT + " after '=>', found end of line");
            }
            result = tokens.get(c.next + 1);
            expectation = Optional.of(expectation(result));
            if (c.next + 2 < tokens.size()) {
                Token extra = tokens.get(c.next + 2);
                throw error(extra.pos(), "expected end of line after the result, found " + quote(extra.text()));
            }
        }
        if (firstOpLine == 0) {
            firstOpLine = line.number();
        }
        steps.add(new Step(op, expectation, first.pos(), task));
        stepTokens.add(new StepTokens(List.copyOf(c.consumed), result));
    }

    /**
     * {@code task NAME}: the statements up to the next {@code task} line or the end run as a
     * thread of the program's process, concurrently with the other tasks (after the setup).
     */
    private void task(Line line) throws DxpSyntaxError {
        Cursor c = new Cursor(line, "task needs NAME");
        Token t = c.arg("NAME");
        String name = identifier(t, "task name");
        if (c.next < line.tokens().size()) {
            Token extra = line.tokens().get(c.next);
            throw error(extra.pos(), "expected end of line after the task name, found " + quote(extra.text()));
        }
        endTask(t.pos());
        SourcePos earlier = taskLines.get(name);
        if (earlier != null) {
            throw error(t.pos(), "task " + quote(name) + " is already declared at line " + earlier.line()
                    + "; each task is one block of statements");
        }
        taskLines.put(name, t.pos());
        if (firstOpLine == 0) {
            firstOpLine = line.number();
        }
        task = name;
        taskStart = t.pos();
        stepsBeforeTask = steps.size();
    }

    /** Refuses a task without statements: the task line before {@code next} would start nothing. */
    private void endTask(SourcePos next) throws DxpSyntaxError {
        if (!task.isEmpty() && steps.size() == stepsBeforeTask) {
            throw error(taskStart, "task " + quote(task) + " has no statements before "
                    + (next == null ? "the end of the file" : "the next task line (line " + next.line() + ")"));
        }
    }

    private Op operation(String word, Cursor c) throws DxpSyntaxError {
        switch (word) {
            case "store":
                return new Op.Store(integer(c.arg("ADDR")), data(c.arg("DATA")));
            case "ntstore":
                return new Op.NtStore(integer(c.arg("ADDR")), data(c.arg("DATA")));
            case "clflush":
                return new Op.Flush(Op.FlushKind.CLFLUSH, integer(c.arg("ADDR")));
            case "clflushopt":
                return new Op.Flush(Op.FlushKind.CLFLUSHOPT, integer(c.arg("ADDR")));
            case "clwb":
                return new Op.Flush(Op.FlushKind.CLWB, integer(c.arg("ADDR")));
            case "sfence":
                return new Op.Fence(Op.FenceKind.SFENCE);
            case "mfence":
                return new Op.Fence(Op.FenceKind.MFENCE);
            case "crash": {
                if (!c.hasArgument()) {
                    return new Op.Crash();
                }
                Token w = c.arg("choose");
                if (!w.isWord("choose")) {
                    throw new DxpSyntaxError(source, w.pos(), "expected `choose DATA` or nothing after crash, found "
                            + w.text());
                }
                return new Op.Crash(Optional.of(data(c.arg("DATA"))));
            }
            case "load":
                return new Op.Load(integer(c.arg("ADDR")), integer(c.arg("LEN")));
            case "mkdir":
                return new Op.Mkdir(path(c.arg("PATH")));
            case "rmdir":
                return new Op.Rmdir(path(c.arg("PATH")));
            case "open":
                return new Op.Open(fd(c.arg("FD")), path(c.arg("PATH")),
                        flags(c.arg("FLAGS"), Op.OpenFlag.class, "an open flag"));
            case "close":
                return new Op.Close(fd(c.arg("FD")));
            case "write":
                return new Op.Write(fd(c.arg("FD")), integer(c.arg("OFF")), data(c.arg("DATA")));
            case "read":
                return new Op.Read(fd(c.arg("FD")), integer(c.arg("OFF")), integer(c.arg("LEN")));
            case "truncate":
                return new Op.Truncate(fd(c.arg("FD")), integer(c.arg("LEN")));
            case "fallocate":
                return new Op.Fallocate(fd(c.arg("FD")), word(c.arg("MODE"), Op.FallocMode.class, "a fallocate mode"),
                        integer(c.arg("OFF")), integer(c.arg("LEN")));
            case "fsync":
                return new Op.Fsync(fd(c.arg("FD")));
            case "fdatasync":
                return new Op.Fdatasync(fd(c.arg("FD")));
            case "sync":
                return new Op.Sync();
            case "unlink":
                return new Op.Unlink(path(c.arg("PATH")));
            case "link":
                return new Op.Link(path(c.arg("OLD")), path(c.arg("NEW")));
            case "rename":
                return new Op.Rename(path(c.arg("OLD")), path(c.arg("NEW")));
            case "mmap":
                return new Op.Mmap(map(c.arg("MAP")), fd(c.arg("FD")), integer(c.arg("OFF")), integer(c.arg("LEN")),
                        flags(c.arg("FLAGS"), Op.MapFlag.class, "an mmap flag"));
            case "munmap":
                return new Op.Munmap(map(c.arg("MAP")));
            case "msync":
                return new Op.Msync(map(c.arg("MAP")), integer(c.arg("OFF")), integer(c.arg("LEN")));
            case "mstore":
                return new Op.MStore(map(c.arg("MAP")), integer(c.arg("OFF")), data(c.arg("DATA")));
            case "mntstore":
                return new Op.MNtStore(map(c.arg("MAP")), integer(c.arg("OFF")), data(c.arg("DATA")));
            case "mclwb":
                return new Op.MFlush(Op.FlushKind.CLWB, map(c.arg("MAP")), integer(c.arg("OFF")));
            case "mclflushopt":
                return new Op.MFlush(Op.FlushKind.CLFLUSHOPT, map(c.arg("MAP")), integer(c.arg("OFF")));
            case "mclflush":
                return new Op.MFlush(Op.FlushKind.CLFLUSH, map(c.arg("MAP")), integer(c.arg("OFF")));
            case "mload":
                return new Op.MLoad(map(c.arg("MAP")), integer(c.arg("OFF")), integer(c.arg("LEN")));
            case "persist":
                return new Op.Persist(map(c.arg("MAP")), integer(c.arg("OFF")), integer(c.arg("LEN")));
            case "daxctl": {
                FsPath path = path(c.arg("PATH"));
                Op.DaxctlAction action = word(c.arg("an action"), Op.DaxctlAction.class, "a daxctl action");
                OptionalLong align = action == Op.DaxctlAction.STATIC && c.hasArgument()
                        ? OptionalLong.of(integer(c.arg("ALIGN")))
                        : OptionalLong.empty();
                return new Op.Daxctl(path, action, align);
            }
            case "cred": {
                Op.CredAction action = word(c.arg("drop or grant"), Op.CredAction.class, "a cred action");
                return new Op.Cred(action, capability(c.arg("CAP")));
            }
            case "poison": {
                // The two forms differ in their first argument: a path (a file system's) or a
                // device address (fs none); the validator then checks the form against the fs.
                Token t = c.arg("PATH or ADDR");
                if (t.kind() == Kind.WORD && t.text().startsWith("/")) {
                    return new Op.Poison(path(t), integer(c.arg("OFF")), integer(c.arg("LEN")));
                }
                return new Op.PoisonDevice(integer(t), integer(c.arg("LEN")));
            }
            default:
                throw new AssertionError("operation word without a case: " + word);
        }
    }

    // ---- header --------------------------------------------------------------------------------

    private void header(Line line, String word) throws DxpSyntaxError {
        Token first = line.tokens().get(0);
        if (firstOpLine != 0) {
            throw error(first.pos(), "header line '" + word + "' must come before the first operation (line "
                    + firstOpLine + ")");
        }
        if (!word.equals("bug")) {
            claimHeader(word, first);
        }
        switch (word) {
            case "device": {
                Cursor c = new Cursor(line, "device needs SIZE");
                Token t = c.arg("SIZE");
                long size = integer(t);
                if (size == 0 || size % Header.DEVICE_ALIGN_BYTES != 0) {
                    throw error(t.pos(), "expected a device size that is a positive multiple of "
                            + Header.DEVICE_ALIGN_BYTES + ", found " + quote(t.text()));
                }
                if (size > Header.DEVICE_BYTES_MAX) {
                    throw error(t.pos(), "expected a device size of at most " + Header.DEVICE_BYTES_MAX + " ("
                            + ProgramPrinter.size(Header.DEVICE_BYTES_MAX) + "), found " + quote(t.text()));
                }
                header = header.withDeviceBytes(size);
                headerArguments.put(word, t.pos());
                endHeader(c);
                break;
            }
            case "persistency": {
                Cursor c = new Cursor(line, "persistency needs adr or eadr");
                Token t = c.arg("adr or eadr");
                Persistency persistency = null;
                for (Persistency p : Persistency.values()) {
                    if (t.isWord(p.keyword())) {
                        persistency = p;
                    }
                }
                if (persistency == null) {
                    throw error(t.pos(), "expected a persistency (adr or eadr), found " + quote(t.text()));
                }
                header = header.withPersistency(persistency);
                endHeader(c);
                break;
            }
            case "fs": {
                Cursor c = new Cursor(line, "fs needs none, journal or a design's NAME");
                Token t = c.arg("a file system");
                if (t.kind() != Kind.WORD || !FS_NAME.matcher(t.text()).matches()) {
                    throw error(t.pos(), "expected a file system (none, journal or another design's name of letters,"
                            + " digits, '_' and '-'), found " + quote(t.text()));
                }
                header = header.withFs(t.text());
                headerArguments.put(word, t.pos());
                endHeader(c);
                break;
            }
            case "sync-fault": {
                Cursor c = new Cursor(line, "sync-fault needs fsync-before-pte or drop-lock-retry");
                header = header.withSyncFault(word(c.arg("a design"), Header.SyncFault.class, "a sync-fault design"));
                endHeader(c);
                break;
            }
            case "daxfile": {
                Cursor c = new Cursor(line, "daxfile needs sealed or rfc-v1");
                header = header.withDaxfile(word(c.arg("a design"), Header.DaxfileDesign.class, "a daxfile design"));
                endHeader(c);
                break;
            }
            case "journal-commit": {
                Cursor c = new Cursor(line, "journal-commit needs sync or async");
                header = header.withJournalCommit(word(c.arg("a commit mode"), Header.JournalCommit.class,
                        "a journal commit mode"));
                endHeader(c);
                break;
            }
            case "recovery-crashes": {
                Cursor c = new Cursor(line, "recovery-crashes needs N");
                Token t = c.arg("N");
                long n = integer(t);
                if (n > Header.RECOVERY_CRASHES_MAX) {
                    throw error(t.pos(), "expected a number of recovery crashes from 0 to " + Header.RECOVERY_CRASHES_MAX
                            + ", found " + quote(t.text()));
                }
                header = header.withRecoveryCrashes((int) n);
                headerArguments.put(word, t.pos());
                endHeader(c);
                break;
            }
            case "schedule": {
                Cursor c = new Cursor(line, "schedule needs SPEC");
                Token t = c.arg("SPEC");
                header = header.withSchedule(scheduleSpec(t));
                headerArguments.put(word, t.pos());
                endHeader(c);
                break;
            }
            case "bug": {
                Cursor c = new Cursor(line, "bug needs NAME");
                Token t = c.arg("NAME");
                if (t.kind() != Kind.WORD || !BugNames.ALL.contains(t.text())) {
                    throw error(t.pos(), "expected a bug from the catalog (" + String.join(", ", BugNames.ALL)
                            + "), found " + quote(t.text()));
                }
                claimHeader("bug " + t.text(), first);
                List<String> bugs = new ArrayList<>(header.bugs());
                bugs.add(t.text());
                header = header.withBugs(bugs);
                endHeader(c);
                break;
            }
            default:
                throw new AssertionError("header word without a case: " + word);
        }
    }

    /** The largest repeat count of one item of a schedule. */
    static final int SCHEDULE_REPEAT_MAX = 1_000_000;

    /** {@code A*3,B,A}: task names, each with an optional repeat count, separated by commas. */
    private String scheduleSpec(Token t) throws DxpSyntaxError {
        String expected = "expected a schedule: task names, each with an optional *COUNT, separated by commas"
                + " (A*3,B,A), found ";
        if (t.kind() != Kind.WORD || t.text().isEmpty()) {
            throw error(t.pos(), expected + quote(t.text()));
        }
        int col = 0;
        for (String item : t.text().split(",", -1)) {
            int star = item.indexOf('*');
            String name = star < 0 ? item : item.substring(0, star);
            boolean ok = isIdentifier(name);
            if (ok && star >= 0) {
                String count = item.substring(star + 1);
                ok = !count.isEmpty() && count.length() <= 7 && count.chars().allMatch(ch -> ch >= '0' && ch <= '9')
                        && Integer.parseInt(count) >= 1 && Integer.parseInt(count) <= SCHEDULE_REPEAT_MAX;
            }
            if (!ok) {
                throw error(new SourcePos(t.pos().line(), t.pos().column() + col), expected + quote(item));
            }
            col += item.length() + 1;
        }
        return t.text();
    }

    /** A schedule's items: the task to run at each decision, in order ({@code A*3,B} is A, A, A, B). */
    public static List<String> scheduleItems(String spec) {
        List<String> out = new ArrayList<>();
        if (spec.isEmpty()) {
            return out;
        }
        for (String item : spec.split(",")) {
            int star = item.indexOf('*');
            int n = star < 0 ? 1 : Integer.parseInt(item.substring(star + 1));
            String name = star < 0 ? item : item.substring(0, star);
            for (int i = 0; i < n; i++) {
                out.add(name);
            }
        }
        return out;
    }

    private void claimHeader(String key, Token first) throws DxpSyntaxError {
        Integer earlier = headerLines.putIfAbsent(key, first.line());
        if (earlier != null) {
            throw error(first.pos(), "duplicate header line '" + key + "' (first at line " + earlier + ")");
        }
    }

    private void endHeader(Cursor c) throws DxpSyntaxError {
        List<Token> tokens = c.line.tokens();
        if (c.next < tokens.size()) {
            Token t = tokens.get(c.next);
            throw error(t.pos(), "expected end of line, found " + quote(t.text()));
        }
    }

    // ---- arguments -----------------------------------------------------------------------------

    /** Walks the arguments of one statement and reports a missing one with the statement's usage. */
    private final class Cursor {
        final Line line;
        final String usage;
        final List<Token> consumed = new ArrayList<>();
        int next = 1;

        Cursor(Line line, String usage) {
            this.line = line;
            this.usage = usage;
        }

        boolean hasArgument() {
            return next < line.tokens().size() && !line.tokens().get(next).isWord("=>");
        }

        Token arg(String what) throws DxpSyntaxError {
            if (hasArgument()) {
                Token t = line.tokens().get(next++);
                consumed.add(t);
                return t;
            }
            // An early '=>' means the arguments ran out; point at it rather than at the line's end.
            boolean atArrow = next < line.tokens().size();
            SourcePos pos = atArrow ? line.tokens().get(next).pos() : line.endPos();
            throw error(pos, "expected " + what + " (" + usage + "), found " + (atArrow ? "'=>'" : "end of line"));
        }
    }

    private long integer(Token t) throws DxpSyntaxError {
        return number(t, t.text(), 0, INTEGER_MAX, "an integer of at most " + INTEGER_MAX);
    }

    /**
     * Parses {@code text}, which starts {@code offset} characters into {@code t}, as an integer
     * of at most {@code max}; {@code tooLarge} names what was expected when it is larger.
     */
    private long number(Token t, String text, int offset, BigInteger max, String tooLarge) throws DxpSyntaxError {
        BigInteger value = t.kind() == Kind.WORD ? integerValue(text) : null;
        if (value == null) {
            throw error(t.pos(offset), "expected " + INTEGER + ", found " + quote(text));
        }
        if (value.compareTo(max) > 0) {
            throw error(t.pos(offset), "expected " + tooLarge + ", found " + quote(text));
        }
        // For u64 values above 2^63-1 this keeps the low 64 bits, i.e. the unsigned value.
        return value.longValue();
    }

    /** The value of an integer literal, or null when {@code text} is not one. */
    static BigInteger integerValue(String text) {
        String digits = text;
        int multiplier = 1;
        if (digits.endsWith("K")) {
            multiplier = 1 << 10;
            digits = digits.substring(0, digits.length() - 1);
        } else if (digits.endsWith("M")) {
            multiplier = 1 << 20;
            digits = digits.substring(0, digits.length() - 1);
        }
        int radix = 10;
        if (digits.startsWith("0x") || digits.startsWith("0X")) {
            radix = 16;
            digits = digits.substring(2);
        }
        if (digits.isEmpty()) {
            return null;
        }
        for (int i = 0; i < digits.length(); i++) {
            char ch = digits.charAt(i);
            boolean ok = radix == 16 ? DxpLexer.isAsciiHexDigit(ch) : ch >= '0' && ch <= '9';
            if (!ok) {
                return null;
            }
        }
        // Up to 15 digits fit a long (below 2^60); BigInteger is only needed for longer ones or
        // when the suffix carries the value past 2^63-1.
        if (digits.length() <= 15) {
            long value = Long.parseLong(digits, radix);
            if (value <= Long.MAX_VALUE / multiplier) {
                return BigInteger.valueOf(value * multiplier);
            }
        }
        return new BigInteger(digits, radix).multiply(BigInteger.valueOf(multiplier));
    }

    private String fd(Token t) throws DxpSyntaxError {
        return identifier(t, "an fd name");
    }

    private String map(Token t) throws DxpSyntaxError {
        return identifier(t, "a map name");
    }

    private String identifier(Token t, String what) throws DxpSyntaxError {
        if (t.kind() != Kind.WORD || !isIdentifier(t.text())) {
            throw error(t.pos(), "expected " + what + " (a letter or '_', then letters, digits or '_'), found "
                    + quote(t.text()));
        }
        return t.text();
    }

    static boolean isIdentifier(String s) {
        if (s.isEmpty()) {
            return false;
        }
        for (int i = 0; i < s.length(); i++) {
            char ch = s.charAt(i);
            boolean letter = (ch >= 'a' && ch <= 'z') || (ch >= 'A' && ch <= 'Z') || ch == '_';
            if (!letter && (i == 0 || ch < '0' || ch > '9')) {
                return false;
            }
        }
        return true;
    }

    private String capability(Token t) throws DxpSyntaxError {
        if (t.kind() != Kind.WORD || !CAPABILITY.matcher(t.text()).matches()) {
            throw error(t.pos(), "expected a capability (CAP_ then upper-case letters, digits or '_', e.g."
                    + " CAP_LINUX_IMMUTABLE), found " + quote(t.text()));
        }
        return t.text();
    }

    private FsPath path(Token t) throws DxpSyntaxError {
        String s = t.text();
        if (t.kind() != Kind.WORD || !s.startsWith("/")) {
            String hint = t.kind() == Kind.STRING ? " (paths are written without quotes)" : "";
            throw error(t.pos(), "expected an absolute path such as /a/b, found " + quote(s) + hint);
        }
        List<String> components = new ArrayList<>();
        if (!s.equals("/")) {
            int start = 1;
            while (true) {
                int slash = s.indexOf('/', start);
                int end = slash < 0 ? s.length() : slash;
                String component = s.substring(start, end);
                int offset = s.codePointCount(0, start);
                if (component.isEmpty()) {
                    // Point at the slash that closes the empty component, or at a trailing slash.
                    int at = slash < 0 ? offset - 1 : offset;
                    throw error(t.pos(at), "expected a path component after '/', found "
                            + (slash < 0 ? "end of path" : "'/'") + " (paths have no '//' and no trailing '/')");
                }
                if (component.equals(".") || component.equals("..")) {
                    throw error(t.pos(offset), "expected a path component other than '.' or '..', found "
                            + quote(component) + " (paths are absolute and canonical)");
                }
                int quoteAt = component.indexOf('"');
                if (quoteAt >= 0) {
                    throw error(t.pos(s.codePointCount(0, start + quoteAt)), "expected a path component without '\"',"
                            + " found '\"' in " + quote(component) + " ('\"' delimits string literals)");
                }
                int bytes = component.getBytes(java.nio.charset.StandardCharsets.UTF_8).length;
                if (bytes > FsPath.COMPONENT_BYTES_MAX) {
                    throw error(t.pos(offset), "expected a path component of at most " + FsPath.COMPONENT_BYTES_MAX
                            + " bytes, found " + quote(component) + " (" + bytes + " bytes)");
                }
                if (components.size() == FsPath.COMPONENTS_MAX) {
                    throw error(t.pos(offset), "expected a path of at most " + FsPath.COMPONENTS_MAX
                            + " components, found a " + (FsPath.COMPONENTS_MAX + 1) + "th component " + quote(component));
                }
                components.add(component);
                if (slash < 0) {
                    break;
                }
                start = slash + 1;
            }
        }
        if (t.hashColumn() != 0) {
            // '#' always starts a comment, so "/a#b" would silently mean "/a"; refuse the ambiguity.
            throw error(new SourcePos(t.line(), t.hashColumn()), "expected a space before '#' after a path, found '#'"
                    + " (a path component cannot contain '#': it starts a comment)");
        }
        return new FsPath(components);
    }

    private <E extends Enum<E> & Keyword> E word(Token t, Class<E> type, String what) throws DxpSyntaxError {
        E[] values = type.getEnumConstants();
        for (E value : values) {
            if (t.isWord(value.keyword())) {
                return value;
            }
        }
        throw error(t.pos(), "expected " + what + " (" + alternatives(values) + "), found " + quote(t.text()));
    }

    private <E extends Enum<E> & Keyword> EnumSet<E> flags(Token t, Class<E> type, String what)
            throws DxpSyntaxError {
        E[] values = type.getEnumConstants();
        String expected = "expected " + what + " (" + alternatives(values) + ")";
        if (t.kind() != Kind.WORD) {
            throw error(t.pos(), expected + ", found " + quote(t.text()));
        }
        String s = t.text();
        EnumSet<E> flags = EnumSet.noneOf(type);
        int start = 0;
        while (true) {
            int comma = s.indexOf(',', start);
            int end = comma < 0 ? s.length() : comma;
            String name = s.substring(start, end);
            SourcePos pos = t.pos(s.codePointCount(0, start));
            if (name.isEmpty()) {
                throw error(pos, expected + ", found " + (comma < 0 ? "end of flags" : "','")
                        + " (flags are comma-separated, without spaces)");
            }
            E flag = null;
            for (E value : values) {
                if (value.keyword().equals(name)) {
                    flag = value;
                }
            }
            if (flag == null) {
                throw error(pos, expected + ", found " + quote(name));
            }
            if (!flags.add(flag)) {
                throw error(pos, "expected each flag at most once, found " + quote(name) + " again");
            }
            if (comma < 0) {
                return flags;
            }
            start = comma + 1;
        }
    }

    private static <E extends Enum<E> & Keyword> String alternatives(E[] values) {
        StringBuilder sb = new StringBuilder();
        for (int i = 0; i < values.length; i++) {
            if (i > 0) {
                sb.append(i == values.length - 1 ? " or " : ", ");
            }
            sb.append(values[i].keyword());
        }
        return sb.toString();
    }

    // ---- data and results ----------------------------------------------------------------------

    private Data data(Token t) throws DxpSyntaxError {
        if (t.kind() == Kind.STRING) {
            return new Data.Text(Bytes.of(t.bytes()));
        }
        String s = t.text();
        if (s.startsWith("hex:")) {
            return hex(t);
        }
        if (s.startsWith("fill:")) {
            return fill(t);
        }
        for (int width = 1; width <= 8; width *= 2) {
            String prefix = "u" + 8 * width + ":";
            if (s.startsWith(prefix)) {
                BigInteger max = BigInteger.ONE.shiftLeft(8 * width).subtract(BigInteger.ONE);
                long value = number(t, s.substring(prefix.length()), prefix.length(), max,
                        "a u" + 8 * width + " value of at most " + max);
                return new Data.UInt(width, value);
            }
        }
        throw error(t.pos(), "expected " + DATA + ", found " + quote(s));
    }

    private Data hex(Token t) throws DxpSyntaxError {
        String s = t.text();
        String digits = s.substring(4);
        for (int i = 0; i < digits.length(); i++) {
            if (!DxpLexer.isAsciiHexDigit(digits.charAt(i))) {
                throw error(t.pos(s.codePointCount(0, 4 + i)), "expected hex digits (two per byte) after 'hex:', found "
                        + quote(new String(Character.toChars(digits.codePointAt(i)))));
            }
        }
        if (digits.length() % 2 != 0) {
            throw error(t.pos(), "expected an even number of hex digits (two per byte), found " + digits.length()
                    + " in " + quote(s));
        }
        byte[] bytes = new byte[digits.length() / 2];
        for (int i = 0; i < bytes.length; i++) {
            bytes[i] = (byte) Integer.parseInt(digits, 2 * i, 2 * i + 2, 16);
        }
        return new Data.Hex(Bytes.of(bytes));
    }

    private Data fill(Token t) throws DxpSyntaxError {
        String s = t.text();
        int star = s.indexOf('*');
        if (star < 0) {
            throw error(t.pos(), "expected fill:BYTE*COUNT, found " + quote(s));
        }
        long value = number(t, s.substring(5, star), 5, BigInteger.valueOf(0xff), "a fill byte of at most 255 (0xff)");
        long count = number(t, s.substring(star + 1), s.codePointCount(0, star + 1),
                BigInteger.valueOf(Data.Fill.COUNT_MAX),
                "a fill count of at most " + Data.Fill.COUNT_MAX + " (" + ProgramPrinter.size(Data.Fill.COUNT_MAX) + ")");
        return new Data.Fill((int) value, count);
    }

    private Expectation expectation(Token t) throws DxpSyntaxError {
        if (t.kind() == Kind.WORD) {
            String s = t.text();
            if (s.equals("ok")) {
                return new Expectation.Ok();
            }
            for (Expectation.ResultWord w : Expectation.ResultWord.values()) {
                if (w.keyword().equals(s)) {
                    return new Expectation.Word(w);
                }
            }
            if (ERRNO_LIKE.matcher(s).matches()) {
                Optional<Errno> errno = Errno.byName(s);
                if (errno.isEmpty()) {
                    throw error(t.pos(), "unknown errno " + quote(s));
                }
                return new Expectation.Failure(errno.get());
            }
            if (!looksLikeData(s)) {
                throw error(t.pos(), "expected " + RESULT + ", found " + quote(s));
            }
        }
        return new Expectation.Returns(data(t));
    }

    private static boolean looksLikeData(String s) {
        return s.startsWith("hex:") || s.startsWith("fill:") || s.startsWith("u8:") || s.startsWith("u16:")
                || s.startsWith("u32:") || s.startsWith("u64:");
    }

    // ---- errors --------------------------------------------------------------------------------

    /**
     * A token or part of one, quoted for a message. Long ones are cut, and control characters
     * (which only string literals can hold) are shown as {@code \xHH}, so that the message stays
     * one readable line.
     */
    static String quote(String text) {
        if (text.isEmpty()) {
            return "nothing";
        }
        if (text.codePointCount(0, text.length()) > FOUND_CHARS_MAX) {
            text = text.substring(0, text.offsetByCodePoints(0, FOUND_CHARS_MAX - 3)) + "...";
        }
        StringBuilder sb = new StringBuilder("'");
        text.codePoints().forEach(cp -> {
            if (Character.isISOControl(cp)) {
                sb.append(String.format("\\x%02x", cp));
            } else {
                sb.appendCodePoint(cp);
            }
        });
        return sb.append('\'').toString();
    }

    private DxpSyntaxError error(SourcePos pos, String detail) {
        return new DxpSyntaxError(source, pos, detail);
    }
}
