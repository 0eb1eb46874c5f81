package dev.daxfuzz.cli;

import java.io.PrintWriter;
import java.io.StringWriter;

/** Runs the command line in-process and captures what it prints. */
record CliRun(int exitCode, String out, String err) {
    /** {@code err} without the progress lines a long run prints every two seconds ({@code daxfuzz: explore: ...}). */
    static String withoutProgress(String err) {
        return err.lines().filter(l -> !l.matches("daxfuzz: (explore|outcomes): .*")).map(l -> l + "\n")
                .collect(java.util.stream.Collectors.joining());
    }

    static CliRun of(String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        int code = Main.run(args, new PrintWriter(out), new PrintWriter(err));
        return new CliRun(code, out.toString(), err.toString());
    }
}
