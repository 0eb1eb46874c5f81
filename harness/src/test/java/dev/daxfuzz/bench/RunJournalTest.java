package dev.daxfuzz.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The finding section's run journal: what a resumed benchmark takes, and what it measures again. */
class RunJournalTest {
    @TempDir
    Path dir;

    private static FindingTime.Measured run(String bug, String method, int seed, FindingTime.Outcome outcome) {
        boolean found = outcome == FindingTime.Outcome.FOUND;
        return new FindingTime.Measured(new FindingTime.Run(bug, method, seed, found, found ? 1234 : 60_000, 77),
                new FindingTime.Detail(bug, method, seed, outcome, found ? "FSCK" : null, found ? null : "reached L2 \"13%\"",
                        61_000, method.startsWith("guided") ? 5_000 : 0));
    }

    @Test
    void aResumedJournalGivesBackEveryRunOfItsCommitExactly() throws IOException {
        Path f = dir.resolve("finding-runs.jsonl");
        FindingTime.Measured a = run("rename-two-transactions", "guided", 1, FindingTime.Outcome.FOUND);
        FindingTime.Measured b = run("rename-two-transactions", "ace", 2, FindingTime.Outcome.BUDGET);
        try (RunJournal j = RunJournal.open(f, "abc123", false)) {
            j.record(false, 60_000, a);
            j.record(true, 60_000, b);
        }
        try (RunJournal j = RunJournal.open(f, "abc123", true)) {
            assertEquals(2, j.earlierRuns());
            assertEquals(a, j.earlier(false, 60_000, "rename-two-transactions", "guided", 1).orElseThrow());
            assertEquals(b, j.earlier(true, 60_000, "rename-two-transactions", "ace", 2).orElseThrow());
            assertTrue(j.earlier(true, 60_000, "rename-two-transactions", "guided", 1).isEmpty(), "other start");
            assertTrue(j.earlier(false, 10_000, "rename-two-transactions", "guided", 1).isEmpty(), "other budget");
            assertTrue(j.earlier(false, 60_000, "rename-two-transactions", "guided", 2).isEmpty(), "other seed");
        }
    }

    @Test
    void anotherCommitsRunsAreNeverTaken() throws IOException {
        Path f = dir.resolve("finding-runs.jsonl");
        try (RunJournal j = RunJournal.open(f, "abc123", false)) {
            j.record(false, 60_000, run("free-before-commit", "unguided", 1, FindingTime.Outcome.FOUND));
        }
        try (RunJournal j = RunJournal.open(f, "def456", true)) {
            assertEquals(0, j.earlierRuns());
            assertTrue(j.earlier(false, 60_000, "free-before-commit", "unguided", 1).isEmpty());
        }
    }

    @Test
    void aLineCutShortByAKillIsMeasuredAgainAndTheNextLineStaysReadable() throws IOException {
        Path f = dir.resolve("finding-runs.jsonl");
        FindingTime.Measured a = run("free-before-commit", "unguided", 1, FindingTime.Outcome.FOUND);
        try (RunJournal j = RunJournal.open(f, "abc123", false)) {
            j.record(false, 60_000, a);
        }
        Files.writeString(f, "{\"commit\":\"abc123\",\"fromCorpus\":false,\"budgetMillis\":60000,\"bug\":\"free-befo",
                StandardCharsets.UTF_8, StandardOpenOption.APPEND);
        FindingTime.Measured b = run("free-before-commit", "ace", 1, FindingTime.Outcome.EXHAUSTED);
        try (RunJournal j = RunJournal.open(f, "abc123", true)) {
            assertEquals(1, j.earlierRuns());
            j.record(false, 60_000, b);
        }
        try (RunJournal j = RunJournal.open(f, "abc123", true)) {
            assertEquals(2, j.earlierRuns());
            assertEquals(b, j.earlier(false, 60_000, "free-before-commit", "ace", 1).orElseThrow());
        }
    }

    @Test
    void withoutResumeTheJournalStartsAnew() throws IOException {
        Path f = dir.resolve("finding-runs.jsonl");
        try (RunJournal j = RunJournal.open(f, "abc123", false)) {
            j.record(false, 60_000, run("free-before-commit", "unguided", 1, FindingTime.Outcome.FOUND));
        }
        try (RunJournal j = RunJournal.open(f, "abc123", false)) {
            assertEquals(0, j.earlierRuns());
        }
        try (RunJournal j = RunJournal.open(f, "abc123", true)) {
            assertEquals(0, j.earlierRuns(), "the fresh start emptied the file");
        }
    }
}
