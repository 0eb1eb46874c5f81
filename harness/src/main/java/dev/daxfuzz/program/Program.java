package dev.daxfuzz.program;

import java.util.List;

/** A parsed {@code .dxp} program: its header and its statements in order. */
public record Program(Header header, List<Step> steps) {
    public Program {
        steps = List.copyOf(steps);
    }
}
