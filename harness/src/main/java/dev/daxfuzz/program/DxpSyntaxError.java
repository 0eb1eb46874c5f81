package dev.daxfuzz.program;

import java.util.Objects;

/**
 * A {@code .dxp} program that cannot be run: a lexical, syntactic or semantic error (spec §1: "a
 * parse error names the file, line and column and what was expected", exit code 2).
 *
 * <p>{@link #getMessage()} is exactly {@code FILE:LINE:COLUMN: DETAIL}, for example
 * {@code prog.dxp:3:14: expected an integer (decimal, 0x hex, optional K or M suffix), found 'zz'}.
 * Columns are 1-based and count Unicode characters (code points); a tab counts as one. The
 * position points at the offending token, or for a missing token just past the end of the line's
 * last token.
 *
 * <p>Limits: only the first error of a program is reported; the parser does not recover.
 */
public final class DxpSyntaxError extends Exception {
    private static final long serialVersionUID = 1L;

    private final String source;
    private final SourcePos pos;
    private final String detail;

    /**
     * @param source the file name as the user gave it (or any label for in-memory text)
     * @param pos where the error is
     * @param detail what was expected and what was found, without the position prefix
     */
    public DxpSyntaxError(String source, SourcePos pos, String detail) {
        super(Objects.requireNonNull(source, "source") + ":" + Objects.requireNonNull(pos, "pos") + ": "
                + Objects.requireNonNull(detail, "detail"));
        this.source = source;
        this.pos = pos;
        this.detail = detail;
    }

    /** The file name as given to the parser. */
    public String source() {
        return source;
    }

    /** Where the error is. */
    public SourcePos pos() {
        return pos;
    }

    /** What was expected and what was found: the message without {@code FILE:LINE:COLUMN: }. */
    public String detail() {
        return detail;
    }
}
