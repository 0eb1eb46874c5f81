package dev.daxfuzz.program;

import java.util.ArrayList;
import java.util.List;

/**
 * A parsed {@code .dxp} program: its header and its statements in order.
 *
 * <p>A program may have tasks (threads of one process that race): each statement names the task
 * it belongs to ({@link Step#task()}), the setup's statements come first, and each task's
 * statements are contiguous, in the order the task runs them. Read in file order, a program
 * with tasks is also one of its own schedules: every task run to its end before the next starts.
 */
public record Program(Header header, List<Step> steps) {
    public Program {
        steps = List.copyOf(steps);
        List<String> seen = new ArrayList<>();
        String current = Step.SETUP;
        for (Step s : steps) {
            if (s.task().equals(current)) {
                continue;
            }
            if (s.inSetup()) {
                throw new IllegalArgumentException("a setup statement after task " + current + " at " + s.pos());
            }
            if (seen.contains(s.task())) {
                throw new IllegalArgumentException("task " + s.task() + " resumes after another task at " + s.pos());
            }
            seen.add(s.task());
            current = s.task();
        }
    }

    /** Whether any statement belongs to a task. */
    public boolean hasTasks() {
        return !steps.isEmpty() && !steps.get(steps.size() - 1).inSetup();
    }

    /** The names of the tasks, in the order they were written. */
    public List<String> tasks() {
        List<String> names = new ArrayList<>();
        for (Step s : steps) {
            if (!s.inSetup() && (names.isEmpty() || !names.get(names.size() - 1).equals(s.task()))) {
                names.add(s.task());
            }
        }
        return names;
    }

    /** The statements of task {@code name} ({@link Step#SETUP} for the setup), in program order. */
    public List<Step> stepsOf(String name) {
        return steps.stream().filter(s -> s.task().equals(name)).toList();
    }
}
