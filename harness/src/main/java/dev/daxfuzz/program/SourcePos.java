package dev.daxfuzz.program;

/** A 1-based line and column in a {@code .dxp} source; columns count characters. */
public record SourcePos(int line, int column) {
    public SourcePos {
        if (line < 1 || column < 1) {
            throw new IllegalArgumentException("positions are 1-based: " + line + ":" + column);
        }
    }

    @Override
    public String toString() {
        return line + ":" + column;
    }
}
