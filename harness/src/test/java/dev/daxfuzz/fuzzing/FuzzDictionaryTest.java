package dev.daxfuzz.fuzzing;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.daxfuzz.program.Program;
import java.util.Map;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

class FuzzDictionaryTest {
    @Test
    void everyStatementTokenIsOneWholeStatement() {
        int statements = 0;
        for (Map.Entry<String, byte[]> e : FuzzDictionary.tokens().entrySet()) {
            if (!e.getKey().startsWith("stmt_")) {
                continue;
            }
            statements++;
            byte[] token = e.getValue();
            // Behind an open of f0 and a mapping m0 (so that references resolve), the token is one more statement.
            byte[] prefix = new ByteCodec.Writer(false, false, false, false).kind(ByteCodec.Kind.OPEN).u8(0).u8(0).u8(0x12)
                    .toByteArray();
            Program base = ByteCodec.decode(prefix, FuzzConfig.CORRECT);
            byte[] in = java.util.Arrays.copyOf(prefix, prefix.length + token.length);
            System.arraycopy(token, 0, in, prefix.length, token.length);
            Program p = ByteCodec.decode(in, FuzzConfig.CORRECT);
            assertTrue(p.steps().size() <= base.steps().size() + 1, e.getKey() + " decodes to more than one statement");
            assertTrue(e.getKey().endsWith(ByteCodec.Kind.values()[token[0] & 0xff].name().toLowerCase(java.util.Locale.ROOT)),
                    e.getKey());
        }
        assertTrue(statements > 40, "statements: " + statements);
    }

    @Test
    void numberTokensDecodeToTheirBoundary() {
        Map<String, byte[]> tokens = FuzzDictionary.tokens();
        for (long v : FuzzDictionary.BOUNDARIES) {
            byte[] token = tokens.get("num_" + v);
            // truncate f0 <number>: the number is the statement's only argument after the descriptor.
            byte[] head = new ByteCodec.Writer(false, false, false, false).kind(ByteCodec.Kind.OPEN).u8(0).u8(0).u8(0x12)
                    .kind(ByteCodec.Kind.TRUNCATE).u8(0).toByteArray();
            byte[] in = java.util.Arrays.copyOf(head, head.length + token.length);
            System.arraycopy(token, 0, in, head.length, token.length);
            Program p = ByteCodec.decode(in, FuzzConfig.CORRECT);
            dev.daxfuzz.program.Op last = p.steps().get(p.steps().size() - 1).op();
            assertTrue(last instanceof dev.daxfuzz.program.Op.Truncate, String.valueOf(last));
            assertEquals(Math.min(v, (1L << 24) - 1), ((dev.daxfuzz.program.Op.Truncate) last).len(), "num_" + v);
        }
    }

    @Test
    void theRenderedDictionaryIsLibFuzzerSyntax() {
        Pattern line = Pattern.compile("^[a-z0-9_]+=\"(\\\\x[0-9A-F]{2})+\"$");
        String[] lines = FuzzDictionary.render().split("\n");
        for (String l : lines) {
            assertTrue(l.startsWith("#") || line.matcher(l).matches(), l);
        }
        assertEquals(FuzzDictionary.tokens().size() + 1, lines.length);
    }
}
