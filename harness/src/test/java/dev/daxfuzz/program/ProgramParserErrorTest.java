package dev.daxfuzz.program;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.List;
import java.util.Optional;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Goal: every way a program can be rejected gives the exact message and line:column the user
 * sees. Method: a table of program text and the full {@code t.dxp:LINE:COLUMN: MESSAGE}.
 */
class ProgramParserErrorTest {
    private static final String INT = "expected an integer (decimal, 0x hex, optional K or M suffix), found ";
    private static final String OPEN = "open f /a creat\n";
    private static final String MMAP = OPEN + "mmap m f 0 4K shared\n";
    private static final String RAW = "fs none\n";
    private static final String DATA = "expected a data literal (\"text\", hex:HEX, fill:BYTE*COUNT, u8:V, u16:V, u32:V"
            + " or u64:V), found ";
    private static final String RESULT = "expected a result (ok, an errno name such as ENOENT, static, dynamic, SIGBUS"
            + " or a data literal)";
    private static final String OPEN_FLAG = "expected an open flag (creat, excl, trunc, rdonly, wronly, rdwr, append or"
            + " dsync), found ";
    private static final String STATEMENTS = "device, persistency, fs, sync-fault, daxfile, journal-commit, recovery-crashes, bug, schedule, task, store, ntstore,"
            + " clflush, clflushopt, clwb, sfence, mfence, crash, load, mkdir, rmdir, open, close, write, read,"
            + " truncate, fallocate, fsync, fdatasync, sync, unlink, link, rename, mmap, munmap, msync, mstore,"
            + " mntstore, mclwb, mclflushopt, mclflush, mload, persist, daxctl, cred, poison";

    private static Arguments e(String name, String text, String message) {
        return Arguments.of(name, text, "t.dxp:" + message);
    }

    static Stream<Arguments> errors() {
        String bugs = String.join(", ", BugNames.ALL);
        return Stream.of(
                // Integers.
                e("bad integer", OPEN + "truncate f zz", "2:12: " + INT + "'zz'"),
                e("too many recovery crashes", "recovery-crashes 5\n", "1:18: expected a number of recovery crashes"
                        + " from 0 to 4, found '5'"),
                e("recovery crashes at 2^63", "recovery-crashes 9223372036854775808\n", "1:18: expected an integer of"
                        + " at most 9223372036854775807, found '9223372036854775808'"),
                e("recovery crashes on a raw device", "fs none\nrecovery-crashes 1\nsfence\n", "2:18: expected"
                        + " recovery-crashes 0 with fs none (a raw device has no recovery to crash), found 1"),
                e("recovery crashes twice", "recovery-crashes 1\nrecovery-crashes 2\n", "2:1: duplicate header line"
                        + " 'recovery-crashes' (first at line 1)"),
                e("negative integer", OPEN + "truncate f -1", "2:12: " + INT + "'-1'"),
                e("junk after digits", OPEN + "truncate f 12Q", "2:12: " + INT + "'12Q'"),
                e("lower-case suffix", OPEN + "truncate f 4k", "2:12: " + INT + "'4k'"),
                e("two-letter suffix", OPEN + "truncate f 4KB", "2:12: " + INT + "'4KB'"),
                e("empty hex", OPEN + "truncate f 0x", "2:12: " + INT + "'0x'"),
                e("empty hex with suffix", OPEN + "truncate f 0xK", "2:12: " + INT + "'0xK'"),
                e("suffix alone", OPEN + "truncate f M", "2:12: " + INT + "'M'"),
                e("bad hex digit", OPEN + "truncate f 0xfg", "2:12: " + INT + "'0xfg'"),
                e("plus sign", OPEN + "truncate f +1", "2:12: " + INT + "'+1'"),
                e("string as integer", OPEN + "truncate f \"1\"", "2:12: " + INT + "'\"1\"'"),
                e("control characters in a found string are shown escaped", OPEN + "truncate f \"\u0007\t\"",
                        "2:12: " + INT + "'\"\\x07\\x09\"'"),
                e("overflow", OPEN + "truncate f 9223372036854775808",
                        "2:12: expected an integer of at most 9223372036854775807, found '9223372036854775808'"),
                e("overflow in hex", OPEN + "truncate f 0x8000000000000000",
                        "2:12: expected an integer of at most 9223372036854775807, found '0x8000000000000000'"),
                e("overflow through the suffix", OPEN + "truncate f 8796093022208M",
                        "2:12: expected an integer of at most 9223372036854775807, found '8796093022208M'"),
                e("overflow through the suffix of a short hex number", OPEN + "truncate f 0xfffffffffffM",
                        "2:12: expected an integer of at most 9223372036854775807, found '0xfffffffffffM'"),
                e("long path components are cut in messages", "mkdir /" + "y".repeat(41), "1:8: expected a path"
                        + " component of at most 32 bytes, found '" + "y".repeat(37) + "...' (41 bytes)"),
                e("long tokens are cut in messages", OPEN + "truncate f " + "9".repeat(60),
                        "2:12: expected an integer of at most 9223372036854775807, found '" + "9".repeat(37) + "...'"),
                // String literals.
                e("unterminated string", RAW + "store 0 \"abc", "2:13: expected '\"' to close the string literal"
                        + " opened at column 9, found end of line"),
                e("unterminated string ending in an escaped quote", RAW + "store 0 \"abc\\\"",
                        "2:15: expected '\"' to close the string literal opened at column 9, found end of line"),
                e("unterminated string ending in a backslash", RAW + "store 0 \"abc\\",
                        "2:14: expected '\"' to close the string literal opened at column 9, found end of line"),
                e("string does not end at a comment", RAW + "store 0 \"a # b",
                        "2:15: expected '\"' to close the string literal opened at column 9, found end of line"),
                e("bad escape", RAW + "store 0 \"a\\qb\"", "2:12: expected an escape (\\n, \\t, \\\\, \\\" or \\xHH)"
                        + " after '\\', found 'q'"),
                e("escaped carriage return is not an escape", RAW + "store 0 \"\\r\"", "2:11: expected an escape"
                        + " (\\n, \\t, \\\\, \\\" or \\xHH) after '\\', found 'r'"),
                e("bad hex escape", RAW + "store 0 \"\\x4g\"", "2:13: expected two hex digits after '\\x', found 'g'"),
                e("short hex escape", RAW + "store 0 \"\\x\"", "2:12: expected two hex digits after '\\x', found '\"'"),
                e("hex escape at end of line", RAW + "store 0 \"\\x", "2:12: expected two hex digits after '\\x',"
                        + " found end of line"),
                e("text right after a string", RAW + "store 0 \"abc\"def", "2:14: expected a space, a tab, '#' or"
                        + " end of line after a string literal, found 'd'"),
                e("two strings glued", RAW + "store 0 \"a\"\"b\"", "2:12: expected a space, a tab, '#' or end of"
                        + " line after a string literal, found '\"'"),
                // Other data literals.
                e("odd hex", RAW + "store 0 hex:abc", "2:9: expected an even number of hex digits (two per byte),"
                        + " found 3 in 'hex:abc'"),
                e("bad hex data digit", RAW + "store 0 hex:00zz", "2:15: expected hex digits (two per byte) after"
                        + " 'hex:', found 'z'"),
                e("fill byte out of range", RAW + "store 0 fill:256*4", "2:14: expected a fill byte of at most 255"
                        + " (0xff), found '256'"),
                e("fill count out of range", RAW + "store 0 fill:0*1073741825", "2:16: expected a fill count of at"
                        + " most 1073741824 (1024M), found '1073741825'"),
                e("fill count out of range with a suffix", RAW + "store 0 fill:0xab*2048M", "2:19: expected a fill"
                        + " count of at most 1073741824 (1024M), found '2048M'"),
                e("fill without a count", RAW + "store 0 fill:3", "2:9: expected fill:BYTE*COUNT, found 'fill:3'"),
                e("fill with a bad count", RAW + "store 0 fill:1*x", "2:16: " + INT + "'x'"),
                e("fill without a byte", RAW + "store 0 fill:*4", "2:14: " + INT + "nothing"),
                e("u8 overflow", RAW + "store 0 u8:256", "2:12: expected a u8 value of at most 255, found '256'"),
                e("u16 overflow", RAW + "store 0 u16:0x10000", "2:13: expected a u16 value of at most 65535,"
                        + " found '0x10000'"),
                e("u32 overflow", RAW + "store 0 u32:4194304K", "2:13: expected a u32 value of at most 4294967295,"
                        + " found '4194304K'"),
                e("u64 overflow", RAW + "store 0 u64:0x10000000000000000", "2:13: expected a u64 value of at most"
                        + " 18446744073709551615, found '0x10000000000000000'"),
                e("u64 negative", RAW + "store 0 u64:-1", "2:13: " + INT + "'-1'"),
                e("unknown width", RAW + "store 0 u12:1", "2:9: " + DATA + "'u12:1'"),
                e("bare word as data", RAW + "store 0 durable", "2:9: " + DATA + "'durable'"),
                e("upper-case prefix", RAW + "store 0 HEX:00", "2:9: " + DATA + "'HEX:00'"),
                // Names.
                e("fd starting with a digit", "close 1f", "1:7: expected an fd name (a letter or '_', then letters,"
                        + " digits or '_'), found '1f'"),
                e("fd with a dash", "open f-1 /a creat", "1:6: expected an fd name (a letter or '_', then letters,"
                        + " digits or '_'), found 'f-1'"),
                e("fd that is not ASCII", "open fé /a creat", "1:6: expected an fd name (a letter or '_', then"
                        + " letters, digits or '_'), found 'fé'"),
                e("quoted map name", OPEN + "mmap \"m\" f 0 4K shared", "2:6: expected a map name (a letter or '_',"
                        + " then letters, digits or '_'), found '\"m\"'"),
                // Paths.
                e("relative path", "mkdir a/b", "1:7: expected an absolute path such as /a/b, found 'a/b'"),
                e("quoted path", "mkdir \"/a\"", "1:7: expected an absolute path such as /a/b, found '\"/a\"'"
                        + " (paths are written without quotes)"),
                e("empty component", "mkdir /a//b", "1:10: expected a path component after '/', found '/'"
                        + " (paths have no '//' and no trailing '/')"),
                e("double slash at the root", "mkdir //", "1:8: expected a path component after '/', found '/'"
                        + " (paths have no '//' and no trailing '/')"),
                e("trailing slash", "mkdir /a/", "1:9: expected a path component after '/', found end of path"
                        + " (paths have no '//' and no trailing '/')"),
                e("dot", "mkdir /a/./b", "1:10: expected a path component other than '.' or '..', found '.'"
                        + " (paths are absolute and canonical)"),
                e("dot dot", "rename /a /a/..", "1:14: expected a path component other than '.' or '..', found"
                        + " '..' (paths are absolute and canonical)"),
                e("component too long", "mkdir /a/" + "x".repeat(33), "1:10: expected a path component of at most"
                        + " 32 bytes, found '" + "x".repeat(33) + "' (33 bytes)"),
                e("component too long in UTF-8 bytes", "mkdir /" + "日".repeat(11), "1:8: expected a path component"
                        + " of at most 32 bytes, found '" + "日".repeat(11) + "' (33 bytes)"),
                e("too many components", "mkdir /1/2/3/4/5/6/7/8/9", "1:24: expected a path of at most 8"
                        + " components, found a 9th component '9'"),
                e("quote in a path", "unlink /a\"b", "1:10: expected a path component without '\"', found '\"'"
                        + " in 'a\"b' ('\"' delimits string literals)"),
                e("hash glued to a path", "unlink /a#b", "1:10: expected a space before '#' after a path, found '#'"
                        + " (a path component cannot contain '#': it starts a comment)"),
                e("hash glued to the root", "daxctl /#x get", "1:9: expected a space before '#' after a path,"
                        + " found '#' (a path component cannot contain '#': it starts a comment)"),
                // Statements and arguments.
                e("unknown statement", "sync\nfrobnicate 1", "2:1: unknown statement 'frobnicate'; expected one of: "
                        + STATEMENTS),
                e("statement words are case-sensitive", "SYNC", "1:1: unknown statement 'SYNC'; expected one of: "
                        + STATEMENTS),
                e("string as statement", "\"sync\"", "1:1: unknown statement '\"sync\"'; expected one of: "
                        + STATEMENTS),
                e("arrow as statement", "=> ok", "1:1: unknown statement '=>'; expected one of: " + STATEMENTS),
                e("missing argument", "open f /a", "1:10: expected FLAGS (open needs FD PATH FLAGS), found end of"
                        + " line"),
                e("missing argument before a comment", "open f /a   # no flags", "1:10: expected FLAGS (open needs"
                        + " FD PATH FLAGS), found end of line"),
                e("missing argument before an arrow", "open f /a => ok", "1:11: expected FLAGS (open needs FD PATH"
                        + " FLAGS), found '=>'"),
                e("no arguments", RAW + "store", "2:6: expected ADDR (store needs ADDR DATA), found end of line"),
                e("missing data", RAW + "store 0", "2:8: expected DATA (store needs ADDR DATA), found end of line"),
                e("mmap missing flags", OPEN + "mmap m f 0 4K", "2:14: expected FLAGS (mmap needs MAP FD OFF LEN"
                        + " FLAGS), found end of line"),
                e("missing daxctl action", "daxctl /a", "1:10: expected an action (daxctl needs PATH static"
                        + " [ALIGN], PATH clear or PATH get), found end of line"),
                e("missing capability", "cred drop", "1:10: expected CAP (cred needs drop CAP or grant CAP), found"
                        + " end of line"),
                e("extra argument", "sync now", "1:6: expected end of statement or '=>', found 'now'"),
                e("extra argument after fd", OPEN + "close f g", "2:9: expected end of statement or '=>', found 'g'"),
                e("align only with static", "daxctl /a clear 4096", "1:17: expected end of statement or '=>',"
                        + " found '4096'"),
                e("two aligns", "daxctl /a static 4096 4096", "1:23: expected end of statement or '=>', found"
                        + " '4096'"),
                e("unknown flag", "open f /a creat,bogus", "1:17: " + OPEN_FLAG + "'bogus'"),
                e("mmap flag in open", "open f /a creat,sync", "1:17: " + OPEN_FLAG + "'sync'"),
                e("unknown mmap flag", OPEN + "mmap m f 0 4K shared,rdwr", "2:22: expected an mmap flag (shared,"
                        + " shared-validate, private, sync or ro), found 'rdwr'"),
                e("flags are case-sensitive", "open f /a CREAT", "1:11: " + OPEN_FLAG + "'CREAT'"),
                e("duplicate flag", "open f /a creat,rdwr,creat", "1:22: expected each flag at most once, found"
                        + " 'creat' again"),
                e("flag list ending in a comma", "open f /a creat, rdwr", "1:17: " + OPEN_FLAG + "end of flags"
                        + " (flags are comma-separated, without spaces)"),
                e("flag list starting with a comma", "open f /a ,creat", "1:11: " + OPEN_FLAG + "','"
                        + " (flags are comma-separated, without spaces)"),
                e("empty flag between commas", "open f /a creat,,rdwr", "1:17: " + OPEN_FLAG + "','"
                        + " (flags are comma-separated, without spaces)"),
                e("bad fallocate mode", OPEN + "fallocate f keep_size 0 1", "2:13: expected a fallocate mode"
                        + " (alloc, keep-size, punch or zero), found 'keep_size'"),
                e("bad daxctl action", "daxctl /a set", "1:11: expected a daxctl action (static, clear or get),"
                        + " found 'set'"),
                e("bad cred action", "cred take CAP_X", "1:6: expected a cred action (drop or grant), found 'take'"),
                e("lower-case capability", "cred drop cap_x", "1:11: expected a capability (CAP_ then upper-case"
                        + " letters, digits or '_', e.g. CAP_LINUX_IMMUTABLE), found 'cap_x'"),
                e("bare CAP_", "cred grant CAP_", "1:12: expected a capability (CAP_ then upper-case letters,"
                        + " digits or '_', e.g. CAP_LINUX_IMMUTABLE), found 'CAP_'"),
                e("control character", "sync\u0001", "1:5: expected a space, a tab or a printable character, found"
                        + " control character U+0001"),
                e("lone carriage return", "sync\r \n", "1:5: expected a line end (LF or CR LF), found a carriage"
                        + " return without a line feed (a lone CR is not a line break: convert the file to LF line"
                        + " endings, or write \\x0d inside a string)"),
                e("unpaired surrogate", "mkdir /\uD800", "1:8: expected UTF-8 text, found an unpaired surrogate"
                        + " U+D800"),
                e("columns count characters", "mkdir /日本\tx", "1:11: expected end of statement or '=>', found 'x'"),
                // Expectations.
                e("unknown errno", "sync => EFOO", "1:9: unknown errno 'EFOO'"),
                e("arrow with nothing", "sync =>", "1:8: " + RESULT + " after '=>', found end of line"),
                e("arrow with only a comment", "sync => # ok", "1:8: " + RESULT + " after '=>', found end of line"),
                e("arrow with two tokens", "sync => ok ok", "1:12: expected end of line after the result, found"
                        + " 'ok'"),
                e("two arrows", "sync => ok => ok", "1:12: expected end of line after the result, found '=>'"),
                e("arrow as the result", "sync => =>", "1:9: " + RESULT + ", found '=>'"),
                e("bad result word", "sync => OK", "1:9: " + RESULT + ", found 'OK'"),
                e("lower-case errno", "sync => eperm", "1:9: " + RESULT + ", found 'eperm'"),
                e("glued arrow", "sync =>ok", "1:6: expected end of statement or '=>', found '=>ok'"),
                e("bad data result", OPEN + "read f 0 1 => hex:0", "2:15: expected an even number of hex digits"
                        + " (two per byte), found 1 in 'hex:0'"),
                e("crash with a stray word", OPEN + "crash now", "2:7: expected `choose DATA` or nothing after crash,"
                        + " found now"),
                e("crash choose on the raw device", "fs none\ncrash choose hex:00", "2:1: 'crash choose' draws crash"
                        + " states of a file system; with fs none every outcome is enumerated, so write plain 'crash'"
                        + " (set at line 1)"),
                // Header.
                e("header after an operation", "# c\nsync\n\ndevice 2M", "4:1: header line 'device' must come"
                        + " before the first operation (line 2)"),
                e("bug after an operation", "fs none\ncrash\nbug pte-before-commit", "3:1: header line 'bug' must"
                        + " come before the first operation (line 2)"),
                e("duplicate header", "device 2M\n# c\ndevice 4M", "3:1: duplicate header line 'device' (first at"
                        + " line 1)"),
                e("duplicate header with the same value", "fs none\nfs none", "2:1: duplicate header line 'fs'"
                        + " (first at line 1)"),
                e("duplicate persistency", "persistency adr\n  persistency eadr", "2:3: duplicate header line"
                        + " 'persistency' (first at line 1)"),
                e("duplicate sync-fault", "sync-fault drop-lock-retry\nsync-fault drop-lock-retry", "2:1:"
                        + " duplicate header line 'sync-fault' (first at line 1)"),
                e("duplicate daxfile", "daxfile sealed\ndaxfile rfc-v1", "2:1: duplicate header line 'daxfile'"
                        + " (first at line 1)"),
                e("duplicate bug", "bug pte-before-commit\nbug fault-maps-unwritten\nbug pte-before-commit",
                        "3:1: duplicate header line 'bug pte-before-commit' (first at line 1)"),
                e("device not a page multiple", "device 1000", "1:8: expected a device size that is a positive"
                        + " multiple of 4096, found '1000'"),
                e("device zero", "device 0", "1:8: expected a device size that is a positive multiple of 4096,"
                        + " found '0'"),
                e("device too large", "device 2048M", "1:8: expected a device size of at most 1073741824 (1024M),"
                        + " found '2048M'"),
                e("device not a number", "device big", "1:8: " + INT + "'big'"),
                e("device without a size", "device", "1:7: expected SIZE (device needs SIZE), found end of line"),
                e("header with an extra word", "device 2M 4M", "1:11: expected end of line, found '4M'"),
                e("header with an expectation", "fs none => ok", "1:9: expected end of line, found '=>'"),
                e("unknown bug", "bug no-such-bug", "1:5: expected a bug from the catalog (" + bugs
                        + "), found 'no-such-bug'"),
                e("bad persistency", "persistency strict", "1:13: expected a persistency (adr or eadr), found"
                        + " 'strict'"),
                e("bad fs name", "fs 9p", "1:4: expected a file system (none, journal or another design's name of"
                        + " letters, digits, '_' and '-'), found '9p'"),
                e("bad sync-fault", "sync-fault retry", "1:12: expected a sync-fault design (fsync-before-pte or"
                        + " drop-lock-retry), found 'retry'"),
                e("bad daxfile", "daxfile rfc-v2", "1:9: expected a daxfile design (sealed or rfc-v1), found"
                        + " 'rfc-v2'"),
                // Domains.
                e("file-system call without a file system", RAW + "open f /a creat", "2:1: 'open' is a file-system"
                        + " call and needs a file system (fs journal or another design), but fs is none (set at"
                        + " line 1)"),
                e("raw store with the default fs", "store 0 u8:1", "1:1: 'store' addresses the raw device and needs"
                        + " fs none, but fs is journal (the default)"),
                e("raw flush with fs journal", "# c\nfs journal\n  clwb 0", "3:3: 'clwb' addresses the raw device"
                        + " and needs fs none, but fs is journal (set at line 2)"),
                e("an fs design this version does not run", "fs nova\nload 0 1", "1:4: expected a file-system"
                        + " design (none or journal), found 'nova'"),
                e("ext4 is not a design here", "# c\n  fs ext4 # no\nsync", "2:6: expected a file-system design"
                        + " (none or journal), found 'ext4'"),
                e("a device too small for the journal design", "device 4096\nsync", "1:8: expected a device of at"
                        + " least 65536 bytes (64K) for fs journal (superblock, inode table, bitmap, journal and data),"
                        + " found 4096 (fs journal is the default)"),
                e("the device line is named even when fs comes first", "fs journal\ndevice   60K\nsync", "2:10:"
                        + " expected a device of at least 65536 bytes (64K) for fs journal (superblock, inode table,"
                        + " bitmap, journal and data), found 61440"),
                e("a CR-only file whose first line is a comment", "# comment\rfs none\rstore 0 \"x\"\r", "1:10:"
                        + " expected a line end (LF or CR LF), found a carriage return without a line feed (a lone CR"
                        + " is not a line break: convert the file to LF line endings, or write \\x0d inside a string)"),
                e("a lone CR inside a string literal", "fs none\nstore 0 \"a\rb\"\n", "2:11: expected a line end (LF"
                        + " or CR LF), found a carriage return without a line feed (a lone CR is not a line break:"
                        + " convert the file to LF line endings, or write \\x0d inside a string)"),
                e("two CRs before a LF", "sync\r\r\nsync", "1:5: expected a line end (LF or CR LF), found a carriage"
                        + " return without a line feed (a lone CR is not a line break: convert the file to LF line"
                        + " endings, or write \\x0d inside a string)"),
                e("domain errors come in program order", RAW + "store 0 u8:1\nsync\nopen f /a creat", "3:1: 'sync'"
                        + " is a file-system call and needs a file system (fs journal or another design), but fs is"
                        + " none (set at line 1)"),
                // Device ranges.
                e("store past the device", RAW + "store 0xffffc u64:1", "2:7: store of 8 bytes at 0xffffc ends past"
                        + " the end of the 1048576-byte device"),
                e("store past a smaller device", "device 4K\nfs none\nstore 4095 \"ab\"", "3:7: store of 2 bytes at"
                        + " 0xfff ends past the end of the 4096-byte device"),
                e("store at a huge address", RAW + "store 0x7fffffffffffffff u8:1", "2:7: store of 1 byte at"
                        + " 0x7fffffffffffffff ends past the end of the 1048576-byte device"),
                e("ntstore past the device", RAW + "ntstore 1M fill:0*1", "2:9: ntstore of 1 byte at 0x100000 ends"
                        + " past the end of the 1048576-byte device"),
                e("store of nothing", RAW + "store 0 \"\"", "2:9: a store needs at least one byte"),
                e("ntstore of nothing", RAW + "ntstore 0 hex:", "2:11: an ntstore needs at least one byte"),
                e("store of an empty fill", RAW + "store 0 fill:0xff*0", "2:9: a store needs at least one byte"),
                e("flush past the device", RAW + "clwb 0x100000", "2:6: clwb address 0x100000 is outside the"
                        + " 1048576-byte device"),
                e("load of nothing", RAW + "load 0 0", "2:8: a load needs at least one byte"),
                e("load past the device", RAW + "load 1048575 2", "2:6: load of 2 bytes at 0xfffff ends past the end"
                        + " of the 1048576-byte device"),
                // Names bound before use.
                e("unbound fd", OPEN + "write g 0 \"x\"", "2:7: fd 'g' is not bound by any earlier open"),
                e("fd used before its open", "close f\nopen f /a creat", "1:7: fd 'f' is not bound by any earlier open"),
                e("unbound fd in mmap", "mmap m f 0 4K shared", "1:8: fd 'f' is not bound by any earlier open"),
                e("unbound map", OPEN + "mstore m 0 u8:1", "2:8: map 'm' is not bound by any earlier mmap"),
                e("map used as an fd", MMAP + "fsync m", "3:7: fd 'm' is not bound by any earlier open ('m' is a"
                        + " map)"),
                e("fd used as a map", OPEN + "persist f 0 1", "2:9: map 'f' is not bound by any earlier mmap ('f' is"
                        + " an fd)"),
                // Results where they cannot occur.
                e("data result on write", OPEN + "write f 0 \"x\" => \"x\"", "2:18: a data result ('=> DATA') only"
                        + " goes with read, mload or load, not with 'write'"),
                e("data result on mstore", MMAP + "mstore m 0 u8:1 => u8:1", "3:20: a data result ('=> DATA') only"
                        + " goes with read, mload or load, not with 'mstore'"),
                e("data result on a raw store", RAW + "store 0 u8:1 => u8:1", "2:17: a data result ('=> DATA') only"
                        + " goes with read, mload or load, not with 'store'"),
                e("static on open", "open f /a creat => static", "1:20: '=> static' only goes with 'daxctl PATH"
                        + " get', not with 'open'"),
                e("dynamic on daxctl static", "daxctl /a static => dynamic", "1:21: '=> dynamic' only goes with"
                        + " 'daxctl PATH get', not with 'daxctl PATH static'"),
                e("SIGBUS on a file-system call", OPEN + "read f 0 1 => SIGBUS", "2:15: '=> SIGBUS' only goes with"
                        + " an access through a mapping (mstore, mntstore, mload, mclwb, mclflushopt, mclflush or"
                        + " persist) or a raw load of poisoned media, not with 'read'"),
                e("SIGBUS on a raw store", RAW + "store 0 u8:1 => SIGBUS", "2:17: '=> SIGBUS' only goes with an"
                        + " access through a mapping (mstore, mntstore, mload, mclwb, mclflushopt, mclflush or persist)"
                        + " or a raw load of poisoned media, not with 'store'"),
                // ---- poison
                e("poison PATH with fs none", RAW + "poison /a 0 1", "2:1: 'poison PATH OFF LEN' poisons a file and"
                        + " needs a file system, but fs is none (set at line 1); on the raw device write 'poison ADDR"
                        + " LEN'"),
                e("poison ADDR with a file system", "poison 0 64", "1:1: 'poison ADDR LEN' poisons raw device bytes"
                        + " and needs fs none, but fs is journal (the default); with a file system write 'poison PATH"
                        + " OFF LEN'"),
                e("poison of no bytes", OPEN + "poison /a 0 0", "2:13: a poison needs at least one byte"),
                e("poison ADDR of no bytes", RAW + "poison 64 0", "2:11: a poison needs at least one byte"),
                e("poison past the device", RAW + "device 4K\npoison 4000 100", "3:8: poison of 100 bytes at 0xfa0"
                        + " ends past the end of the 4096-byte device"),
                e("poison ADDR at the largest address", RAW + "poison 9223372036854775807 1", "2:8: poison of 1 byte at"
                        + " 0x7fffffffffffffff ends past the end of the 1048576-byte device"),
                e("poison without its length", OPEN + "poison /a 0", "2:12: expected LEN (poison needs PATH OFF LEN"
                        + " or ADDR LEN), found end of line"),
                e("poison with a quoted path", OPEN + "poison \"/a\" 0 1", "2:8: expected an integer (decimal, 0x hex,"
                        + " optional K or M suffix), found '\"/a\"'"),
                e("SIGBUS on munmap", MMAP + "munmap m => SIGBUS", "3:13: '=> SIGBUS' only goes with an access"
                        + " through a mapping (mstore, mntstore, mload, mclwb, mclflushopt, mclflush or persist)"
                        + " or a raw load of poisoned media, not with 'munmap'"),
                // Order: a syntax error anywhere comes before any semantic error.
                e("syntax errors come before semantic ones", "store 0 u8:1\nsync zz", "2:6: expected end of"
                        + " statement or '=>', found 'zz'"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("errors")
    void errorNamesFileLineColumnAndWhatWasExpected(String name, String text, String message) {
        DxpSyntaxError e = assertThrows(DxpSyntaxError.class, () -> ProgramParser.parse("t.dxp", text));
        assertEquals(message, e.getMessage());
        // The same error with CRLF line ends: positions do not move.
        DxpSyntaxError crlf = assertThrows(DxpSyntaxError.class,
                () -> ProgramParser.parse("t.dxp", text.replace("\n", "\r\n")));
        assertEquals(message, crlf.getMessage());
    }

    @Test
    void validatorAloneReportsStepPositions() {
        Program p = new Program(Header.defaults(), List.of(
                new Step(new Op.Sync(), Optional.empty(), new SourcePos(1, 1)),
                new Step(new Op.Close("f"), Optional.empty(), new SourcePos(7, 3))));
        DxpSyntaxError e = assertThrows(DxpSyntaxError.class, () -> ProgramValidator.validate("gen", p));
        assertEquals("gen:7:3: fd 'f' is not bound by any earlier open", e.getMessage());

        Program raw = new Program(Header.defaults(), List.of(
                new Step(new Op.Store(0, new Data.UInt(1, 1)), Optional.empty(), new SourcePos(2, 1))));
        DxpSyntaxError domain = assertThrows(DxpSyntaxError.class, () -> ProgramValidator.validate("gen", raw));
        // Without source text the validator cannot say whether the fs was written or defaulted.
        assertEquals("gen:2:1: 'store' addresses the raw device and needs fs none, but fs is journal",
                domain.getMessage());

        Program small = new Program(Header.defaults().withDeviceBytes(4096), List.of());
        DxpSyntaxError device = assertThrows(DxpSyntaxError.class, () -> ProgramValidator.validate("gen", small));
        assertEquals("gen:1:1: expected a device of at least 65536 bytes (64K) for fs journal (superblock, inode"
                + " table, bitmap, journal and data), found 4096", device.getMessage());
    }
}
