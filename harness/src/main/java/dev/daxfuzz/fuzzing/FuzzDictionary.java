package dev.daxfuzz.fuzzing;

import dev.daxfuzz.program.Program;
import dev.daxfuzz.program.ProgramParser;
import dev.daxfuzz.program.Step;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * The libFuzzer dictionary ({@code -dict}) of the byte encoding: whole statements and boundary
 * numbers, so that libFuzzer's dictionary mutations (insert or overwrite a token at a random
 * position) add, replace and splice statements and move an argument onto a boundary, instead of
 * flipping bits inside an opcode's arguments.
 *
 * <ul>
 *   <li><b>statements</b>: every distinct statement of the {@link GeneratedSeeds} family and deep
 *   programs, as the encoder writes it (opcode and arguments);
 *   <li><b>numbers</b>: page and block boundaries (4095, 4096, 4097 and their multiples up to
 *   64 KiB), where indirect blocks start (48 KiB: twelve direct pointers), the 64 KiB and 1 MiB
 *   devices' ends and their last block, {@code s_maxbytes} (4 MiB) and one past it, in each
 *   number tag that can hold them.
 * </ul>
 *
 * Limits: a token inserted in the middle of a statement shifts the decoding of what follows (the
 * decoder is total, so the result is still a program, just a different one); libFuzzer picks
 * tokens uniformly, so the list is kept short.
 */
public final class FuzzDictionary {
    private FuzzDictionary() {
    }

    /** Boundary values of offsets and lengths. */
    static final long[] BOUNDARIES = {0, 1, 63, 64, 65, 4095, 4096, 4097, 8191, 8192, 12288, 45056, 49151, 49152,
        49153, 53248, 61440, 65535, 65536, 1044480, 1048575, 1048576, 4194303, 4194304};

    /** Tokens by a descriptive name (sorted, deterministic). */
    public static Map<String, byte[]> tokens() {
        Map<String, byte[]> out = new TreeMap<>();
        List<byte[]> seen = new ArrayList<>();
        for (Map.Entry<String, String> e : GeneratedSeeds.families().entrySet()) {
            Program p;
            try {
                p = ProgramParser.parse(e.getKey(), "fs journal\n" + e.getValue());
            } catch (dev.daxfuzz.program.DxpSyntaxError x) {
                throw new IllegalStateException(x);
            }
            byte[] before = encodePrefix(p, 0);
            for (int k = 1; k <= p.steps().size(); k++) {
                byte[] now = encodePrefix(p, k);
                byte[] stmt = Arrays.copyOfRange(now, before.length, now.length);
                before = now;
                if (stmt.length == 0 || seen.stream().anyMatch(b -> Arrays.equals(b, stmt))) {
                    continue;
                }
                seen.add(stmt);
                out.put(String.format("stmt_%03d_%s", seen.size(), ByteCodec.Kind.values()[stmt[0] & 0xff].name()
                        .toLowerCase(java.util.Locale.ROOT)), stmt);
            }
        }
        for (long v : BOUNDARIES) {
            byte[] w = new ByteCodec.Writer(false, false, false, false).number(v).toByteArray();
            out.put(String.format("num_%d", v), Arrays.copyOfRange(w, 1, w.length));
        }
        return out;
    }

    private static byte[] encodePrefix(Program p, int k) {
        List<Step> steps = p.steps().subList(0, k);
        try {
            return ByteCodec.encode(new Program(p.header(), steps));
        } catch (ByteCodec.NotEncodable e) {
            throw new IllegalStateException(e);
        }
    }

    /** The dictionary in libFuzzer's format: {@code name="\xNN..."} per line. */
    public static String render() {
        StringBuilder sb = new StringBuilder("# daxfuzz: statements and boundary numbers of the SyscallCrash byte encoding\n");
        for (Map.Entry<String, byte[]> e : tokens().entrySet()) {
            sb.append(e.getKey()).append("=\"");
            for (byte b : e.getValue()) {
                sb.append(String.format("\\x%02X", b & 0xff));
            }
            sb.append("\"\n");
        }
        return sb.toString();
    }
}
