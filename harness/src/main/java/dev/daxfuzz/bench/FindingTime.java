package dev.daxfuzz.bench;
/** TEMPORARY STUB (not committed). */
public final class FindingTime {
    public record Options(java.util.List<String> bugs, int seeds, long budgetMillis, int threads, java.nio.file.Path repoRoot) {}
    public record Result(Options options) {
        public String markdown() { return ""; }
        public void writeJson(com.fasterxml.jackson.core.JsonGenerator g) throws java.io.IOException { g.writeStartObject(); g.writeEndObject(); }
    }
    public static Result run(Options o, java.io.PrintWriter p) { return new Result(o); }
}
