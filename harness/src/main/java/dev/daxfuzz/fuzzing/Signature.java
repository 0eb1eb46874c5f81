package dev.daxfuzz.fuzzing;

import dev.daxfuzz.oracle.Violation;
import dev.daxfuzz.program.Program;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.Locale;
import java.util.regex.Pattern;

/**
 * What makes two failing inputs the same bug: the signature of a violation as shown by a
 * <em>minimised</em> reproducer, and the finding token derived from it.
 *
 * <p>A corruption that lingers (a bitmap written outside the journal, a link count gone wrong)
 * surfaces at every later crash point, so the call in progress when a violation was first seen
 * says nothing about the bug: twelve inputs of one bug gave twelve such calls. And one mistake
 * breaks related checks depending on what the program did: a rename split in two transactions
 * leaves a file with a wrong link count or a directory with two names; a metadata block written
 * home before its commit tears an inode, a bitmap or a directory, whichever the program touched.
 * So for a violation of a crash image the signature is the promise that broke, not where or how:
 * <ul>
 *   <li>{@code RECOVERY_FAILED}, {@code FSCK}, {@code NOT_ATOMIC}, {@code STALE_DATA},
 *   {@code LOST_SYNCED_DATA}, {@code IMMUTABLE_VIOLATED}, {@code LEAK}: the kind alone;
 *   <li>{@code LOST_DURABLE_DATA}: the kind and which durable state was lost, the namespace or
 *   file bytes (two promises, checked apart);
 *   <li>a wrong result of a call ({@code WRONG_RESULT}, {@code PRIVILEGE}) and a hang
 *   ({@code DEADLOCK}, {@code LIVELOCK}): the kind and the verdict with every value taken out
 *   ({@link #verdict}: paths, numbers, bytes, line numbers and a quoted statement's arguments; its
 *   keyword stays), because such a violation is where the bug is: a wrong {@code truncate} and a
 *   wrong {@code write} are two bugs.
 * </ul>
 * Two bugs that break the same promise share a token, and the reproducer of the first stands for
 * both until it is fixed; a campaign still prints every failing input it triages. Measured on the
 * catalog, this leaves one finding per bug and kind (docs/measurements/findings-per-bug.md).
 */
public final class Signature {
    private static final Pattern QUOTED_STATEMENT = Pattern.compile("`([a-z-]+)[^`]*`");
    private static final Pattern VALUES = Pattern.compile(
            "\"(?:[^\"\\\\]|\\\\.)*\"|hex:[0-9a-f]*|fill:0x[0-9a-f]+\\*\\d+|u\\d+:\\S+|0x[0-9a-fA-F]+|(?<![A-Za-z_])\\d+"
                    + "|(?<![A-Za-z0-9_])/[A-Za-z0-9_./-]*");

    private Signature() {
    }

    /**
     * The signature of {@code v} (see the class comment). {@code program}, the minimised
     * reproducer, is not part of it today; it may be null.
     */
    public static String of(Program program, Violation v) {
        String what = switch (v.kind()) {
            case WRONG_RESULT, PRIVILEGE, DEADLOCK, LIVELOCK -> verdict(v);
            case LOST_DURABLE_DATA -> v.summary().startsWith("the recovered namespace") ? "namespace" : "file data";
            default -> "";
        };
        return v.kind().name() + "|" + what;
    }

    /** The finding token: the kind in lower case and 12 hex digits of the signature's hash. */
    public static String token(Program program, Violation v) {
        return tokenOf(v.kind().name(), of(program, v));
    }

    static String tokenOf(String kind, String signature) {
        try {
            byte[] h = MessageDigest.getInstance("SHA-256").digest(signature.getBytes(StandardCharsets.UTF_8));
            return kind.toLowerCase(Locale.ROOT).replace('_', '-') + "-" + HexFormat.of().formatHex(h, 0, 6);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    /** The oracle's verdict with its values taken out: which check failed, not where. */
    static String verdict(Violation v) {
        String s = QUOTED_STATEMENT.matcher(v.summary()).replaceAll("`$1`");
        return VALUES.matcher(s).replaceAll("#");
    }
}
