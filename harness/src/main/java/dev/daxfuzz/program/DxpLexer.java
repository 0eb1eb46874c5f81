package dev.daxfuzz.program;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * Splits {@code .dxp} text into lines of tokens (spec §1): one statement per line, tokens
 * separated by spaces or tabs, {@code #} to end of line a comment outside string literals, string
 * literals resolved to bytes here so that a bad escape is reported at its own column.
 *
 * <p>Lines end at {@code \n}; one {@code \r} before it is dropped, so {@code \r\n} files parse.
 * A carriage return anywhere else (old Mac OS line endings, a stray {@code \r} in a comment or a
 * string literal) is refused at its line and column: read as a line break it would give
 * different line numbers than every other tool, and ignored inside a comment it silently turned
 * a whole CR-only file into one comment, an empty program. Write {@code \x0d} for the byte.
 * Other control characters are rejected outside string literals, because they would be invisible
 * in an error message and could not be printed back unchanged. A leading byte-order mark is
 * skipped, as editors on some systems write one.
 */
final class DxpLexer {

    /** What a token is: a plain word, or a {@code "..."} string literal. */
    enum Kind { WORD, STRING }

    /**
     * One token.
     *
     * @param text the source text of the token, quotes and escapes included
     * @param column 1-based column of its first character
     * @param endColumn the column just past its last character
     * @param bytes for a string literal, the bytes it denotes; otherwise null
     * @param hashColumn the column of a {@code #} that directly follows the token (a comment with
     *     no space before it), or 0; paths use it to reject {@code /a#b}
     */
    record Token(Kind kind, String text, int line, int column, int endColumn, byte[] bytes, int hashColumn) {
        SourcePos pos() {
            return new SourcePos(line, column);
        }

        /** The position {@code offset} characters into the token. */
        SourcePos pos(int offset) {
            return new SourcePos(line, column + offset);
        }

        boolean isWord(String word) {
            return kind == Kind.WORD && text.equals(word);
        }
    }

    /**
     * The tokens of one non-empty line.
     *
     * @param endColumn the column just past the last token: where a missing token is reported
     */
    record Line(int number, List<Token> tokens, int endColumn) {
        SourcePos endPos() {
            return new SourcePos(number, endColumn);
        }
    }

    private final String source;

    private DxpLexer(String source) {
        this.source = source;
    }

    /** The non-empty lines of {@code text}, in order. */
    static List<Line> lex(String source, String text) throws DxpSyntaxError {
        DxpLexer lexer = new DxpLexer(source);
        if (text.startsWith("\uFEFF")) {
            text = text.substring(1);
        }
        List<Line> lines = new ArrayList<>();
        int start = 0;
        int number = 1;
        int cr = text.indexOf('\r');
        while (start <= text.length()) {
            int nl = text.indexOf('\n', start);
            int end = nl < 0 ? text.length() : nl;
            int contentEnd = end > start && text.charAt(end - 1) == '\r' ? end - 1 : end;
            if (cr >= 0 && cr < start) {
                // Found once per carriage return, not once per line: a long file stays linear.
                cr = text.indexOf('\r', start);
            }
            if (cr >= 0 && cr < contentEnd) {
                throw lexer.error(number, text.codePointCount(start, cr) + 1, "expected a line end (LF or CR LF),"
                        + " found a carriage return without a line feed (a lone CR is not a line break: convert the"
                        + " file to LF line endings, or write \\x0d inside a string)");
            }
            Line line = lexer.lexLine(number, text.substring(start, contentEnd));
            if (!line.tokens().isEmpty()) {
                lines.add(line);
            }
            if (nl < 0) {
                break;
            }
            start = nl + 1;
            number++;
        }
        return lines;
    }

    private Line lexLine(int number, String text) throws DxpSyntaxError {
        int[] cps = text.codePoints().toArray();
        for (int i = 0; i < cps.length; i++) {
            // A Java String can hold a lone surrogate; it has no UTF-8 form, so no .dxp file has it.
            if (cps[i] <= 0xffff && Character.isSurrogate((char) cps[i])) {
                throw error(number, i + 1, String.format("expected UTF-8 text, found an unpaired surrogate U+%04X", cps[i]));
            }
        }
        List<Token> tokens = new ArrayList<>();
        int i = 0;
        int n = cps.length;
        while (true) {
            while (i < n && isBlank(cps[i])) {
                i++;
            }
            if (i == n || cps[i] == '#') {
                break;
            }
            Token t = cps[i] == '"' ? lexString(number, cps, i) : lexWord(number, cps, i);
            tokens.add(t);
            i = t.endColumn() - 1;
        }
        int endColumn = tokens.isEmpty() ? 1 : tokens.get(tokens.size() - 1).endColumn();
        return new Line(number, List.copyOf(tokens), endColumn);
    }

    private Token lexWord(int number, int[] cps, int start) throws DxpSyntaxError {
        int j = start;
        while (j < cps.length && !isBlank(cps[j]) && cps[j] != '#') {
            if (Character.isISOControl(cps[j])) {
                throw error(number, j + 1, String.format(
                        "expected a space, a tab or a printable character, found control character U+%04X", cps[j]));
            }
            j++;
        }
        int hashColumn = j < cps.length && cps[j] == '#' ? j + 1 : 0;
        return new Token(Kind.WORD, new String(cps, start, j - start), number, start + 1, j + 1, null, hashColumn);
    }

    private Token lexString(int number, int[] cps, int start) throws DxpSyntaxError {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        int j = start + 1;
        while (true) {
            if (j >= cps.length) {
                throw error(number, cps.length + 1, "expected '\"' to close the string literal opened at column "
                        + (start + 1) + ", found end of line");
            }
            int c = cps[j];
            if (c == '"') {
                break;
            }
            if (c != '\\') {
                if (c < 0x80) {
                    out.write(c);
                } else {
                    byte[] utf8 = new String(cps, j, 1).getBytes(StandardCharsets.UTF_8);
                    out.write(utf8, 0, utf8.length);
                }
                j++;
                continue;
            }
            if (j + 1 >= cps.length) {
                throw error(number, cps.length + 1, "expected '\"' to close the string literal opened at column "
                        + (start + 1) + ", found end of line");
            }
            int e = cps[j + 1];
            switch (e) {
                case 'n' -> out.write('\n');
                case 't' -> out.write('\t');
                case '\\' -> out.write('\\');
                case '"' -> out.write('"');
                case 'x' -> {
                    int hi = j + 2 < cps.length ? Character.digit(cps[j + 2], 16) : -1;
                    if (hi < 0 || !isAsciiHexDigit(cps[j + 2])) {
                        throw error(number, j + 3, "expected two hex digits after '\\x', found " + describe(cps, j + 2));
                    }
                    int lo = j + 3 < cps.length ? Character.digit(cps[j + 3], 16) : -1;
                    if (lo < 0 || !isAsciiHexDigit(cps[j + 3])) {
                        throw error(number, j + 4, "expected two hex digits after '\\x', found " + describe(cps, j + 3));
                    }
                    out.write(hi << 4 | lo);
                    j += 2;
                }
                default -> throw error(number, j + 2,
                        "expected an escape (\\n, \\t, \\\\, \\\" or \\xHH) after '\\', found " + describe(cps, j + 1));
            }
            j += 2;
        }
        int end = j + 1;
        if (end < cps.length && !isBlank(cps[end]) && cps[end] != '#') {
            throw error(number, end + 1, "expected a space, a tab, '#' or end of line after a string literal, found "
                    + describe(cps, end));
        }
        return new Token(Kind.STRING, new String(cps, start, end - start), number, start + 1, end + 1,
                out.toByteArray(), 0);
    }

    private static boolean isBlank(int c) {
        return c == ' ' || c == '\t';
    }

    static boolean isAsciiHexDigit(int c) {
        return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'f') || (c >= 'A' && c <= 'F');
    }

    private static String describe(int[] cps, int i) {
        if (i >= cps.length) {
            return "end of line";
        }
        if (Character.isISOControl(cps[i])) {
            return String.format("control character U+%04X", cps[i]);
        }
        return "'" + new String(cps, i, 1) + "'";
    }

    private DxpSyntaxError error(int line, int column, String detail) {
        return new DxpSyntaxError(source, new SourcePos(line, column), detail);
    }

    /**
     * Decodes {@code bytes} as strict UTF-8: no overlong forms, no surrogates, nothing above
     * U+10FFFF. The error names the line and column of the first byte of the first bad sequence,
     * counting characters as the parser does.
     */
    static String decodeUtf8(String source, byte[] bytes) throws DxpSyntaxError {
        int line = 1;
        int column = 1;
        // The lexer drops a leading byte-order mark, so it takes no column here either.
        int i = bytes.length >= 3 && (bytes[0] & 0xff) == 0xef && (bytes[1] & 0xff) == 0xbb
                && (bytes[2] & 0xff) == 0xbf ? 3 : 0;
        while (i < bytes.length) {
            int b0 = bytes[i] & 0xff;
            int length;
            int min2 = 0x80;
            int max2 = 0xbf;
            if (b0 < 0x80) {
                length = 1;
            } else if (b0 >= 0xc2 && b0 <= 0xdf) {
                length = 2;
            } else if (b0 >= 0xe0 && b0 <= 0xef) {
                length = 3;
                // E0 would be overlong below A0; ED A0..BF would encode surrogates.
                if (b0 == 0xe0) {
                    min2 = 0xa0;
                } else if (b0 == 0xed) {
                    max2 = 0x9f;
                }
            } else if (b0 >= 0xf0 && b0 <= 0xf4) {
                length = 4;
                // F0 would be overlong below 90; F4 90 and above is past U+10FFFF.
                if (b0 == 0xf0) {
                    min2 = 0x90;
                } else if (b0 == 0xf4) {
                    max2 = 0x8f;
                }
            } else {
                throw new DxpSyntaxError(source, new SourcePos(line, column),
                        String.format("expected UTF-8 text, found byte 0x%02x, which cannot start a UTF-8 character", b0));
            }
            for (int k = 1; k < length; k++) {
                if (i + k >= bytes.length) {
                    throw new DxpSyntaxError(source, new SourcePos(line, column),
                            "expected UTF-8 text, found a truncated UTF-8 sequence " + hexBytes(bytes, i, i + k)
                                    + " at the end of the file");
                }
                int b = bytes[i + k] & 0xff;
                int lo = k == 1 ? min2 : 0x80;
                int hi = k == 1 ? max2 : 0xbf;
                if (b < lo || b > hi) {
                    throw new DxpSyntaxError(source, new SourcePos(line, column),
                            "expected UTF-8 text, found the invalid UTF-8 sequence " + hexBytes(bytes, i, i + k + 1));
                }
            }
            if (b0 == '\n') {
                line++;
                column = 1;
            } else {
                column++;
            }
            i += length;
        }
        return new String(bytes, StandardCharsets.UTF_8);
    }

    private static String hexBytes(byte[] bytes, int from, int to) {
        StringBuilder sb = new StringBuilder();
        for (int k = from; k < to; k++) {
            if (k > from) {
                sb.append(' ');
            }
            sb.append(String.format("0x%02x", bytes[k] & 0xff));
        }
        return sb.toString();
    }
}
