package dev.daxfuzz.fuzzing;

import dev.daxfuzz.oracle.Violation;
import dev.daxfuzz.program.Op;
import dev.daxfuzz.program.Program;
import dev.daxfuzz.program.ProgramPrinter;
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
 * says little about the bug: twelve inputs of one bug gave twelve such calls. After delta
 * debugging only the calls the violation needs remain, and the one it shows at is the call that
 * did the damage. The signature is then
 * <ol>
 *   <li>the violation kind;
 *   <li>the oracle's verdict with every value taken out (paths, numbers, bytes, line numbers and
 *   the data of a quoted statement): which check failed and how ("fsck: an inode's link count
 *   differs …", "… reads #, which was never written there");
 *   <li>the family of the call it shows at ({@link #family}): creating a name by {@code mkdir} or
 *   by {@code open … creat} allocates the same way, so both are {@code create}.
 * </ol>
 * Two bugs of one kind that break the same check through the same family of call share a token;
 * the reproducer of the first stands for both. That is the price of not letting one bug become a
 * dozen findings, and it is paid only when two seeded or real bugs are on at once.
 */
public final class Signature {
    private static final Pattern QUOTED_STATEMENT = Pattern.compile("`([a-z-]+)[^`]*`");
    private static final Pattern VALUES = Pattern.compile(
            "\"(?:[^\"\\\\]|\\\\.)*\"|hex:[0-9a-f]*|fill:0x[0-9a-f]+\\*\\d+|u\\d+:\\S+|0x[0-9a-fA-F]+|(?<![A-Za-z_])\\d+"
                    + "|(?<![A-Za-z0-9_])/[A-Za-z0-9_./-]*");

    private Signature() {
    }

    /**
     * The signature of {@code v} as {@code program} shows it: {@code KIND|verdict|family}.
     * Meant for minimised programs (see the class comment); any program gives a value.
     */
    public static String of(Program program, Violation v) {
        String family = v.step() >= 0 && v.step() < program.steps().size()
                ? family(program.steps().get(v.step()).op()) : "program";
        return v.kind().name() + "|" + verdict(v) + "|" + family;
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
     * Calls that reach the same file-system code in the same way: {@code create} (mkdir, open
     * with creat), {@code remove} (unlink, rmdir), {@code size} (truncate, fallocate),
     * {@code sync} (fsync, fdatasync, sync), {@code map} (mmap, munmap, msync), {@code user}
     * (stores, loads and flushes through a mapping); every other call is its own family.
     */
    public static String family(Op op) {
        if (op instanceof Op.Mkdir || op instanceof Op.Open o && o.flags().contains(Op.OpenFlag.CREAT)) {
            return "create";
        } else if (op instanceof Op.Unlink || op instanceof Op.Rmdir) {
            return "remove";
        } else if (op instanceof Op.Truncate || op instanceof Op.Fallocate) {
            return "size";
        } else if (op instanceof Op.Fsync || op instanceof Op.Fdatasync || op instanceof Op.Sync) {
            return "sync";
        } else if (op instanceof Op.Mmap || op instanceof Op.Munmap || op instanceof Op.Msync) {
            return "map";
        } else if (op instanceof Op.MStore || op instanceof Op.MNtStore || op instanceof Op.MFlush
                || op instanceof Op.MLoad || op instanceof Op.Persist) {
            return "user";
        }
        return ProgramPrinter.print(op).split(" ", 2)[0];
    }
}
