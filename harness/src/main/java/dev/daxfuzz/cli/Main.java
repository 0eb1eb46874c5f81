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
        CommandLine cl = new CommandLine(new Main());
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
            StringWriter trace = new StringWriter();
            ex.printStackTrace(new PrintWriter(trace));
            c.getErr().println("daxfuzz: internal error (a bug in daxfuzz, please report it with the input):");
            c.getErr().print(trace);
            c.getErr().flush();
            return ExitCode.INTERNAL;
        });
        int code = cl.execute(args);
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
