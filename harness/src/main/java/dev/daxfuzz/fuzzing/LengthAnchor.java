package dev.daxfuzz.fuzzing;

import dev.daxfuzz.program.DxpSyntaxError;
import dev.daxfuzz.program.Program;
import dev.daxfuzz.program.ProgramParser;

/**
 * A valid program of forty statements put into every byte-encoded campaign's working corpus, so
 * that programs as long as the decoder reads can be made from the first mutation.
 *
 * <p>Why it exists: libFuzzer's length control ({@code -len_control}) starts the mutation length
 * limit (the {@code lim:} of its status line) at the longest input of the corpus it loaded and
 * raises it by a few bytes only after {@code 100·log(lim)} executions without new coverage. Jazzer
 * appends {@code -len_control=100} after the user's flags for every {@code byte[]} target
 * ({@code FuzzTargetRunner.startLibFuzzer}), so it cannot be switched off; with seeds of 20 to 80
 * bytes and a few dozen executions a second, programs stayed near ten statements for a whole
 * campaign. With this input the limit starts at its length, room for forty statements with
 * small arguments, and length control raises it towards {@code -max_len} as a campaign goes on.
 * It is deliberately not longer: a limit of {@code -max_len} from the start makes most mutants
 * forty statements with long data, and each of those costs many times a short program.
 *
 * <p>It is a real program, not padding: it writes, syncs, maps with MAP_SYNC, stores and
 * persists through the mapping, renames, links, punches and truncates, and ends with an explicit
 * crash point; it runs clean on the correct designs like any seed.
 */
public final class LengthAnchor {
    /** The corpus file name (libFuzzer's own are 40 hex digits, so it never collides). */
    public static final String FILE_NAME = "daxfuzz-length-anchor";

    private LengthAnchor() {
    }

    /** The anchor program. */
    public static Program program() {
        String text = """
                mkdir /a
                open f0 /a/b creat,rdwr
                write f0 0 "head"
                write f0 4093 u64:0x1122334455667788
                fsync f0
                write f0 49152 fill:0x41*300
                fdatasync f0
                truncate f0 8K
                mmap m0 f0 0 8K shared-validate,sync
                mstore m0 100 u64:0x1111
                persist m0 100 8
                mstore m0 4090 u64:0x2222
                persist m0 4090 8
                mntstore m0 200 u64:0x3333
                sfence
                mload m0 100 8
                msync m0 0 8K
                munmap m0
                open f1 /c creat,rdwr,dsync
                write f1 0 "anchor"
                rename /c /a/c
                link /a/c /d
                unlink /d
                fallocate f1 keep-size 0 16K
                fallocate f1 punch 4K 4K
                fallocate f1 zero 0 4K
                truncate f0 100
                daxctl /a/c static
                daxctl /a/c get
                daxctl /a/c clear
                close f1
                sync
                read f0 0 100
                close f0
                rmdir /a
                mkdir /e
                rename /e /f
                sync
                crash
                """;
        try {
            return ProgramParser.parse(FILE_NAME, text);
        } catch (DxpSyntaxError e) {
            throw new IllegalStateException("the length anchor must parse: " + e.getMessage(), e);
        }
    }

    /** Its byte encoding, which must fit in {@code maxLenBytes}. */
    public static byte[] bytes(int maxLenBytes) {
        try {
            byte[] b = ByteCodec.encode(program());
            if (b.length > maxLenBytes) {
                throw new IllegalStateException("the length anchor (" + b.length + " bytes) must fit -max_len "
                        + maxLenBytes);
            }
            return b;
        } catch (ByteCodec.NotEncodable e) {
            throw new IllegalStateException("the length anchor must encode: " + e.getMessage(), e);
        }
    }
}
