package dev.daxfuzz.program;

/** An enum constant spelled by one word of the program format. */
public interface Keyword {
    /** The word as it appears in a {@code .dxp} file. */
    String keyword();
}
