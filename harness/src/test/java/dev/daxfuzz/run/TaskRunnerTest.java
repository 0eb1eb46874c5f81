package dev.daxfuzz.run;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.daxfuzz.program.DxpSyntaxError;
import dev.daxfuzz.program.Program;
import dev.daxfuzz.program.ProgramParser;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/**
 * Racing tasks on the journal design: the format's example explores many schedules and is clean
 * in each, an expectation that only some schedules break is reported with the schedule, and
 * random two- and three-task programs on the correct designs are clean in every schedule (the
 * oracle never cries wolf about a race the design handles).
 */
class TaskRunnerTest {
    private static TaskRunner.Result run(String text, TaskRunner.Options o) throws DxpSyntaxError {
        Program p = ProgramParser.parse("t.dxp", text);
        return TaskRunner.run(p, 1_000, o, (v, n) -> true);
    }

    private static String violations(TaskRunner.Result r) {
        StringBuilder sb = new StringBuilder();
        for (FsRunner.Found f : r.violations()) {
            sb.append(f.violation().kind()).append(": ").append(f.violation().summary()).append('\n');
            f.violation().argument().forEach(a -> sb.append("  ").append(a).append('\n'));
        }
        return sb.toString();
    }

    @Test
    void theFormatsExampleIsCleanInEverySchedule() throws DxpSyntaxError {
        for (String design : List.of("fsync-before-pte", "drop-lock-retry")) {
            TaskRunner.Result r = run("""
                    sync-fault %s
                    open f /a creat,rdwr
                    truncate f 8K
                    mmap m f 0 8K shared-validate,sync
                    task A
                    mstore m 0 u64:0x1111
                    persist m 0 8
                    task B
                    truncate f 0
                    """.formatted(design), TaskRunner.Options.DEFAULT);
            assertEquals("", violations(r), design);
            assertTrue(r.schedules() > 10, design + ": " + r.schedules() + " schedules");
            assertFalse(r.cut());
            assertEquals(0, r.undecided());
            assertTrue(r.setup().crashPoints() > 0, "the setup's crash points are explored");
        }
    }

    @Test
    void anExpectationOnlySomeSchedulesBreakIsReportedWithTheSchedule() throws DxpSyntaxError {
        TaskRunner.Result r = run("""
                open f /a creat,rdwr
                open g /a rdwr
                task A
                write f 0 "x"
                task B
                read g 0 1 => "x"
                """, TaskRunner.Options.DEFAULT);
        assertEquals("", violations(r), "a read before or after the write is linearizable");
        assertEquals(1, r.failures().size());
        assertTrue(r.failures().get(0).statement().contains("[task B; schedule: "), r.failures().get(0).toString());
    }

    @Test
    void withNoPreemptionsOnlyTheTaskOrdersRun() throws DxpSyntaxError {
        TaskRunner.Result r = run("open f /a creat,rdwr\ntask A\nwrite f 0 \"x\"\ntask B\nwrite f 0 \"y\"\n",
                new TaskRunner.Options(0, 1_000, 10_000, 100_000));
        assertEquals(2, r.schedules());
        assertTrue(r.beyondBound() > 0);
    }

    /** Random calls of one task on the shared files /a, /b and /d; each task opens its own descriptor. */
    private static String randomTask(SplittableRandom rnd, String name, int calls) {
        List<String> lines = new ArrayList<>();
        String fd = "f" + name;
        String map = "m" + name;
        boolean mapped = false;
        lines.add("open " + fd + " /" + (rnd.nextBoolean() ? "a" : "b") + " rdwr");
        for (int i = 0; i < calls; i++) {
            switch (rnd.nextInt(16)) {
                case 0 -> lines.add("write " + fd + " " + rnd.nextInt(3) * 4096 + " \"" + name + "\"");
                case 1 -> lines.add("read " + fd + " " + rnd.nextInt(2) * 4096 + " 8");
                case 2 -> lines.add("truncate " + fd + " " + rnd.nextInt(3) * 4096);
                case 3 -> lines.add("fallocate " + fd + " " + (rnd.nextBoolean() ? "punch" : "keep-size") + " 0 4K");
                case 4 -> lines.add("fsync " + fd);
                case 5 -> lines.add(rnd.nextBoolean() ? "mkdir /d" : "rmdir /d");
                case 6 -> lines.add(rnd.nextBoolean() ? "rename /a /c" : "rename /c /a");
                case 7 -> lines.add(rnd.nextBoolean() ? "link /b /e" : "unlink /e");
                case 8 -> {
                    if (!mapped) {
                        lines.add("mmap " + map + " " + fd + " 0 8K shared" + (rnd.nextBoolean() ? "-validate,sync" : ""));
                        mapped = true;
                    } else {
                        lines.add("mstore " + map + " " + rnd.nextInt(2) * 4096 + " u64:0x" + (name.equals("A") ? "aa" : "bb"));
                    }
                }
                case 9 -> {
                    if (mapped) {
                        lines.add("persist " + map + " 0 8");
                    } else {
                        lines.add("fdatasync " + fd);
                    }
                }
                case 10 -> {
                    if (mapped) {
                        lines.add("mload " + map + " 0 8");
                    } else {
                        lines.add("sync");
                    }
                }
                case 11 -> lines.add("fallocate " + fd + " alloc 0 8K");
                case 12 -> lines.add("daxctl /" + (rnd.nextBoolean() ? "a" : "b") + (rnd.nextBoolean() ? " static" : " clear"));
                case 13 -> lines.add("fallocate " + fd + " zero " + rnd.nextInt(2) * 4096 + " 4K");
                case 14 -> lines.add("write " + fd + " " + (8192 + rnd.nextInt(2) * 4096) + " \"" + name + name + "\"");
                default -> lines.add(mapped ? "msync " + map + " 0 8K" : "fsync " + fd);
            }
        }
        return "task " + name + "\n" + String.join("\n", lines) + "\n";
    }

    @Test
    void randomTwoAndThreeTaskProgramsAreCleanOnTheCorrectDesignsInEverySchedule() throws DxpSyntaxError {
        SplittableRandom rnd = new SplittableRandom(2026);
        long schedules = 0;
        int rounds = Integer.getInteger("daxfuzz.raceRounds", 24);
        for (int round = 0; round < rounds; round++) {
            int tasks = round % 3 == 2 ? 3 : 2;
            String design = rnd.nextBoolean() ? "drop-lock-retry" : "fsync-before-pte";
            // The sealed design only: rfc-v1 has documented flaws (an extending write changes a static
            // map), which the next test shows in some schedule.
            String daxfile = "";
            StringBuilder text = new StringBuilder("sync-fault " + design + "\n" + daxfile
                    + "open s /a creat,rdwr\nopen t /b creat,rdwr\ntruncate s 8K\nclose s\nclose t\n");
            for (int t = 0; t < tasks; t++) {
                text.append(randomTask(rnd, String.valueOf((char) ('A' + t)), tasks == 3 ? 2 : 3));
            }
            TaskRunner.Result r;
            try {
                r = run(text.toString(), new TaskRunner.Options(tasks == 3 ? 1 : 2, 20_000, 100_000, 1_000_000));
            } catch (RuntimeException e) {
                throw new AssertionError("round " + round + ":\n" + text, e);
            }
            assertEquals("", violations(r), text.toString());
            assertEquals(0, r.undecided(), text.toString());
            schedules += r.schedules();
        }
        assertTrue(schedules > 100, schedules + " schedules");
    }

    @Test
    void theReadmesTasksExampleIsCleanOnTheCorrectDesign() throws Exception {
        String readme = java.nio.file.Files.readString(java.nio.file.Path.of("..", "README.md"));
        int h = readme.indexOf("## Tasks: threads that race");
        int start = readme.indexOf("```\n", h) + 4;
        String block = readme.substring(start, readme.indexOf("```\n", start));
        TaskRunner.Result r = run(block, TaskRunner.Options.DEFAULT);
        assertEquals("", violations(r));
        assertTrue(r.schedules() > 1);
        TaskRunner.Result buggy = run(block.replace("sync-fault drop-lock-retry\n",
                "sync-fault drop-lock-retry\nbug retry-skips-revalidate\n"), TaskRunner.Options.DEFAULT);
        assertTrue(violations(buggy).startsWith("STALE_DATA"), violations(buggy));
    }

    /**
     * Found by the random sweep: a write of C racing a fallocate zero is linearizable only with
     * the zeroing first; the order search once pruned that order because two model states with
     * the same namespace but different bytes looked alike to its memo.
     */
    @Test
    void ordersThatDifferOnlyInFileContentsAreBothTried() throws DxpSyntaxError {
        TaskRunner.Result r = run("""
                sync-fault fsync-before-pte
                daxfile rfc-v1
                schedule A*12,C*17,A*9,B*14
                open s /a creat,rdwr
                open t /b creat,rdwr
                truncate s 8K
                close s
                close t
                task A
                open fA /a rdwr
                fallocate fA zero 4096 4K
                write fA 12288 "AA"
                task B
                open fB /a rdwr
                fsync fB
                read fB 4096 8
                task C
                open fC /a rdwr
                write fC 4096 "C"
                fsync fC
                """, TaskRunner.Options.DEFAULT);
        assertEquals(1, r.schedules());
        assertEquals("", violations(r));
    }

    @Test
    void bothDaxfileDesignsAgainstARacingExtendingWrite() throws DxpSyntaxError {
        String race = "open f /a creat,rdwr\nwrite f 0 fill:0x11*8192\ntask A\ndaxctl /a static\ntask B\n"
                + "write f 8192 \"x\"\n";
        assertEquals("", violations(run("daxfile sealed\n" + race, TaskRunner.Options.DEFAULT)),
                "sealed refuses the extension once the map is frozen, and the walk excludes it before");
        String v1 = violations(run("daxfile rfc-v1\n" + race, TaskRunner.Options.DEFAULT));
        assertTrue(v1.startsWith("IMMUTABLE_VIOLATED: line 7 (task B) changed the block map of static file /a"), v1);
    }
}
