package dev.daxfuzz.fuzzing;

import dev.daxfuzz.oracle.Violation;
import dev.daxfuzz.oracle.ViolationKind;
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
 * leaves a file with a wrong link count and a directory with two names; a bitmap kept outside the
 * journal leaks a block on allocation and frees a referenced one on truncate. The signature is
 * therefore what broke, not where or how exactly:
 * <ul>
 *   <li>the violation kind;
 *   <li>for {@code FSCK}, the group of the broken invariant ({@link #fsckGroup}): block
 *   accounting, the namespace, sizes against block maps, inodes, or the static-map flag;
 *   <li>for every other kind, the oracle's verdict with every value taken out ({@link #verdict}):
 *   paths, numbers, bytes, line numbers and a quoted statement's arguments (its keyword stays, so a
 *   wrong result of {@code truncate} and one of {@code write} differ).
 * </ul>
 * Two bugs that break the same group of checks in the same way share a token, and the reproducer
 * of the first stands for both; a campaign still prints every failing input it triages, with its
 * minimised size. That is the price of not letting one bug become a dozen findings, and it is paid
 * only when two bugs are on at once.
 */
public final class Signature {
    private static final Pattern QUOTED_STATEMENT = Pattern.compile("`([a-z-]+)[^`]*`");
    private static final Pattern VALUES = Pattern.compile(
            "\"(?:[^\"\\\\]|\\\\.)*\"|hex:[0-9a-f]*|fill:0x[0-9a-f]+\\*\\d+|u\\d+:\\S+|0x[0-9a-fA-F]+|(?<![A-Za-z_])\\d+"
                    + "|(?<![A-Za-z0-9_])/[A-Za-z0-9_./-]*");

    private Signature() {
    }

    /**
     * The signature of {@code v}: {@code KIND|what broke} (see the class comment). The program is
     * not part of it; it is taken so that a later refinement can use the minimised calls.
     */
    public static String of(Program program, Violation v) {
        String what = v.kind() == ViolationKind.FSCK ? "fsck " + fsckGroup(v) : verdict(v);
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

    /**
     * The group of the first invariant an FSCK violation names ({@code "LINK_COUNT: …"}):
     * {@code blocks} (bitmap against references, ranges, sharing), {@code namespace} (entries,
     * parents, links, reachability), {@code sizes} (sizes against block maps), {@code inodes}
     * (checksums, modes, unreadable structures), {@code static-map}; the invariant's own name when
     * it is in none.
     */
    static String fsckGroup(Violation v) {
        String name = v.actual().isEmpty() ? "" : v.actual().get(0).split(":", 2)[0].trim();
        return switch (name) {
            case "BLOCK_RANGE", "BLOCK_SHARED", "BLOCK_NOT_MARKED", "BLOCK_LEAKED", "METADATA_NOT_MARKED" -> "blocks";
            case "ENTRY_DANGLING", "ENTRY_TYPE", "ENTRY_NAME", "ENTRY_DUPLICATE", "DIR_LINKED_TWICE", "DIR_PARENT", "CYCLE",
                 "UNREACHABLE", "LINK_COUNT" -> "namespace";
            case "FILE_SIZE", "DIR_SIZE" -> "sizes";
            case "INODE_CHECKSUM", "INODE_MODE", "CORRUPT" -> "inodes";
            case "STATIC_MAP_INCOMPLETE" -> "static-map";
            default -> name.isEmpty() ? verdict(v) : name;
        };
    }
}
