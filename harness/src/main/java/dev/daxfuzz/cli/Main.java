package dev.daxfuzz.cli;

import java.io.IOException;
import java.io.InputStream;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.util.Properties;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/**
 * The {@code daxfuzz} command line. Exit codes follow spec §5: 0 clean, 1 violation, 2 usage or
 * parse error, 3 failed expectation, 4 internal error (with a stack trace: a bug in daxfuzz).
 */
@Command(name = "daxfuzz", mixinStandardHelpOptions = true, versionProvider = Main.Version.class,
        description = "Crash-consistency fuzzer for persistent-memory (DAX) interfaces.",
        subcommands = {OutcomesCommand.class, ExploreCommand.class, BugsCommand.class, ReproCommand.class,
            DecodeCommand.class, EncodeCommand.class, MinimizeCommand.class, FuzzCommand.class, CminCommand.class, BenchCommand.class, CommandLine.HelpCommand.class})
public final class Main implements Runnable {

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    public static void main(String[] args) {
        System.exit(run(args, new PrintWriter(System.out, true), new PrintWriter(System.err, true)));
    }

    /** Runs the command line with the given streams and returns the exit code. */
    public static int run(String[] args, PrintWriter out, PrintWriter err) {
        return run(new Main(), args, out, err);
    }

    /** Runs {@code command} (the daxfuzz command line, or a test's own) with daxfuzz's exit-code handling. */
    static int run(Object command, String[] args, PrintWriter out, PrintWriter err) {
        CommandLine cl = new CommandLine(command);
        cl.setOut(out);
        cl.setErr(err);
        cl.setExitCodeExceptionMapper(e -> e instanceof UsageException ? ExitCode.USAGE : ExitCode.INTERNAL);
        cl.setParameterExceptionHandler((ex, argv) -> {
            CommandLine c = ex.getCommandLine();
            c.getErr().println("daxfuzz: " + unknownCommand(ex).orElse(ex.getMessage()));
            if (ex instanceof CommandLine.UnmatchedArgumentException u && !u.getSuggestions().isEmpty()) {
                // picocli ranks the commands (or options) by similarity; the nearest is enough.
                c.getErr().println("Did you mean: " + u.getSuggestions().get(0) + "?");
            }
            c.getErr().println("Usage: " + c.getCommandSpec().qualifiedName() + " --help");
            c.getErr().flush();
            return ExitCode.USAGE;
        });
        cl.setExecutionExceptionHandler((ex, c, parsed) -> {
            if (ex instanceof UsageException) {
                c.getErr().println(ex.getMessage());
                c.getErr().flush();
                return ExitCode.USAGE;
            }
            return internalError(c.getErr(), ex);
        });
        int code;
        try {
            code = cl.execute(args);
        } catch (Throwable t) {
            // picocli hands only Exceptions to the handler above and rethrows Errors: an
            // OutOfMemoryError or StackOverflowError must still end as exit 4, never as exit 1
            // (which means "a finding" to every script that calls daxfuzz).
            code = internalError(err, t);
        }
        out.flush();
        err.flush();
        return code;
    }

    /**
     * For a first word that names no command ({@code daxfuzz explre x.dxp}), a message saying so;
     * picocli's own ("Unmatched arguments from index 0: ...") lists every later argument too.
     */
    private static java.util.Optional<String> unknownCommand(CommandLine.ParameterException ex) {
        if (ex instanceof CommandLine.UnmatchedArgumentException u && ex.getCommandLine().getParent() == null
                && !u.isUnknownOption() && !u.getUnmatched().isEmpty()) {
            return java.util.Optional.of("unknown command '" + u.getUnmatched().get(0) + "'");
        }
        return java.util.Optional.empty();
    }

    /** The internal-error banner and stack trace (exit 4); for running out of heap, how to raise it. */
    static int internalError(PrintWriter err, Throwable t) {
        if (t instanceof OutOfMemoryError) {
            err.println("daxfuzz: out of memory: the Java heap (at most " + HeapBudget.gib(Runtime.getRuntime().maxMemory())
                    + ") is too small for this input; raise it with DAXFUZZ_JAVA_OPTS=-Xmx8g (or more), which the daxfuzz"
                    + " launcher passes to java");
        }
        StringWriter trace = new StringWriter();
        t.printStackTrace(new PrintWriter(trace));
        err.println("daxfuzz: internal error (a bug in daxfuzz, please report it with the input):");
        err.print(trace);
        err.flush();
        return ExitCode.INTERNAL;
    }

    @Override
    public void run() {
        throw new CommandLine.ParameterException(spec.commandLine(), "missing command ("
                + String.join(", ", spec.subcommands().keySet()) + ")");
    }

    /** Reads the version Maven wrote into the jar. */
    static final class Version implements CommandLine.IVersionProvider {
        @Override
        public String[] getVersion() throws IOException {
            Properties p = new Properties();
            try (InputStream in = Main.class.getResourceAsStream("version.properties")) {
                if (in != null) {
                    p.load(in);
                }
            }
            return new String[] {"daxfuzz " + p.getProperty("version", "(unknown version)")};
        }
    }
}
