package dev.daxfuzz.program;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Tasks in the program format: {@code task NAME} blocks after a setup, which statement belongs to
 * which task, the printer's round trip, and every parse-time rule with its file:line:column.
 */
class TaskSyntaxTest {
    /** The example of the format's tasks section. */
    static final String EXAMPLE = """
            fs journal
            sync-fault drop-lock-retry
            open f /a creat,rdwr          # setup: runs alone, in order, before any task
            truncate f 8K
            mmap m f 0 8K shared-validate,sync
            task A                        # a thread of the same process
            mstore m 0 u64:0x1111
            persist m 0 8
            task B                        # another thread, racing A
            truncate f 0
            """;

    @Test
    void theExampleHasASetupAndTwoTasksInOrder() throws DxpSyntaxError {
        Program p = ProgramParser.parse("t.dxp", EXAMPLE);
        assertTrue(p.hasTasks());
        assertEquals(List.of("A", "B"), p.tasks());
        assertEquals(3, p.stepsOf(Step.SETUP).size());
        assertEquals(List.of("mstore", "persist"), p.stepsOf("A").stream().map(s -> ProgramPrinter.print(s.op())
                .split(" ")[0]).toList());
        assertEquals(1, p.stepsOf("B").size());
        assertEquals(10, p.stepsOf("B").get(0).pos().line());
    }

    @Test
    void printingAndParsingAgainGivesTheSameProgram() throws DxpSyntaxError {
        Program p = ProgramParser.parse("t.dxp", EXAMPLE);
        String printed = ProgramPrinter.print(p);
        assertTrue(printed.contains("\ntask A\nmstore m 0x0 u64:0x1111\n"), printed);
        assertEquals(p, ProgramParser.parse("printed.dxp", printed));
    }

    @Test
    void aProgramWithoutTaskLinesHasNoTasks() throws DxpSyntaxError {
        Program p = ProgramParser.parse("t.dxp", "open f /a creat\nclose f\n");
        assertFalse(p.hasTasks());
        assertEquals(List.of(), p.tasks());
    }

    @Test
    void theSameStatementInAnotherTaskIsAnotherStatement() throws DxpSyntaxError {
        Program a = ProgramParser.parse("t.dxp", "task A\nmkdir /d\n");
        Program b = ProgramParser.parse("t.dxp", "task B\nmkdir /d\n");
        Program none = ProgramParser.parse("t.dxp", "mkdir /d\n");
        assertFalse(a.equals(b));
        assertFalse(a.equals(none));
    }

    @Test
    void aProgramBuiltWithATaskResumingAfterAnotherIsRefused() {
        SourcePos at = new SourcePos(1, 1);
        Op mkdir = new Op.Mkdir(new FsPath(List.of("d")));
        assertThrows(IllegalArgumentException.class, () -> new Program(Header.defaults(), List.of(
                new Step(mkdir, java.util.Optional.empty(), at, "A"),
                new Step(mkdir, java.util.Optional.empty(), at, "B"),
                new Step(mkdir, java.util.Optional.empty(), at, "A"))));
        assertThrows(IllegalArgumentException.class, () -> new Program(Header.defaults(), List.of(
                new Step(mkdir, java.util.Optional.empty(), at, "A"),
                new Step(mkdir, java.util.Optional.empty(), at))));
    }

    static Stream<Arguments> errors() {
        String setup = "open f /a creat,rdwr\nmmap m f 0 4K shared\n";
        return Stream.of(
                Arguments.of("task A B\nmkdir /d\n", "t.dxp:1:8: expected end of line after the task name, found 'B'"),
                Arguments.of("task\n", "t.dxp:1:5: expected NAME (task needs NAME), found end of line"),
                Arguments.of("task 1A\nmkdir /d\n",
                        "t.dxp:1:6: expected task name (a letter or '_', then letters, digits or '_'), found '1A'"),
                Arguments.of("task A\nmkdir /d\ntask A\nmkdir /e\n",
                        "t.dxp:3:6: task 'A' is already declared at line 1; each task is one block of statements"),
                Arguments.of("task A\ntask B\nmkdir /d\n",
                        "t.dxp:1:6: task 'A' has no statements before the next task line (line 2)"),
                Arguments.of("mkdir /d\ntask A\n", "t.dxp:2:6: task 'A' has no statements before the end of the file"),
                Arguments.of("task A\nmkdir /d\nfs journal\n",
                        "t.dxp:3:1: header line 'fs' must come before the first operation (line 1)"),
                Arguments.of(setup + "task A\nopen g /b creat\ntask B\nclose g\n",
                        "t.dxp:6:7: fd 'g' is bound by task A; a task uses only names bound by the setup or earlier in the same task"),
                Arguments.of(setup + "task A\nmmap n f 0 4K shared\ntask B\nmunmap n\n",
                        "t.dxp:6:8: map 'n' is bound by task A; a task uses only names bound by the setup or earlier in the same task"),
                Arguments.of(setup + "task A\nopen f /b creat\n",
                        "t.dxp:4:6: fd 'f' is already bound by the setup; tasks share the process's names, so each task binds names of its own"),
                Arguments.of(setup + "task A\nopen g /b creat\ntask B\nopen g /c creat\n",
                        "t.dxp:6:6: fd 'g' is already bound by task A; tasks share the process's names, so each task binds names of its own"),
                Arguments.of(setup + "task A\nclose g\n", "t.dxp:4:7: fd 'g' is not bound by any earlier open"));
    }

    @ParameterizedTest
    @MethodSource("errors")
    void refusedWithPosition(String text, String message) {
        DxpSyntaxError e = assertThrows(DxpSyntaxError.class, () -> ProgramParser.parse("t.dxp", text));
        assertEquals(message, e.getMessage());
    }

    @Test
    void aTaskMayUseTheSetupsNamesAndRebindItsOwn() throws DxpSyntaxError {
        Program p = ProgramParser.parse("t.dxp", "open f /a creat,rdwr\ntask A\nwrite f 0 \"x\"\nopen g /b creat\n"
                + "close g\nopen g /b rdwr\ntask B\nclose f\nopen h /c creat\n");
        assertEquals(List.of("A", "B"), p.tasks());
    }
}
