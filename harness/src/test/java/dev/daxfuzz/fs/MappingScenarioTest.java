package dev.daxfuzz.fs;

import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Mappings, user accesses, daxctl and cred with the semantics of docs/mappings.md, each scenario
 * run through the real runner under every correct design (both sync-fault strategies, ADR and
 * eADR): its {@code =>} expectations must hold, the model must agree with every result, and every
 * crash state (inside faults too) must pass every oracle.
 */
class MappingScenarioTest {

    static Stream<Arguments> scenarios() {
        return Stream.of(
                Arguments.of("mmap checks the offset, the descriptor, the length and the type, in do_mmap's order",
                        new String[] {"open f /a creat,rdwr", "truncate f 8K",
                            "mmap m f 1 4K shared => EINVAL", "close f", "mmap m f 0 4K shared => EBADF",
                            "open f /a rdwr",
                            "mmap m f 0 0 shared => EINVAL", "mmap m f 0 4K shared,private => EINVAL",
                            "mmap m f 0 4K sync => EINVAL", "mmap m f 0 4K shared-validate,sync => ok",
                            "mmap n f 0 4K shared,sync => ok", "mmap p f 0 4K private,sync => ok"}),
                Arguments.of("mmap needs a readable descriptor, and a writable one for a writable shared mapping",
                        new String[] {"open f /a creat,rdwr", "open r /a rdonly", "mmap m r 0 4K shared => EACCES",
                            "mmap m r 0 4K shared,ro => ok", "mmap p r 0 4K private => ok", "open w /a wronly",
                            "mmap q w 0 4K private => EACCES", "mkdir /d", "open d /d rdonly",
                            "mmap x d 0 4K shared,ro => ENODEV"}),
                Arguments.of("stores and loads through a shared mapping are the file's bytes",
                        new String[] {"open f /a creat,rdwr", "truncate f 8K", "mmap m f 0 8K shared",
                            "mstore m 4090 \"hello world\"", "mload m 4090 11 => \"hello world\"",
                            "read f 4090 11 => \"hello world\"", "write f 0 \"XY\"", "mload m 0 2 => \"XY\""}),
                Arguments.of("a fault at or beyond end of file is SIGBUS, outside the mapping SIGSEGV",
                        new String[] {"open f /a creat,rdwr", "truncate f 100", "mmap m f 0 8K shared",
                            "mstore m 50 \"x\" => ok", "mstore m 4096 \"x\" => SIGBUS", "mload m 4096 1 => SIGBUS",
                            "mstore m 8192 \"x\"", "mclwb m 4096 => SIGBUS",
                            "read f 50 1 => \"x\""}),
                Arguments.of("a mapping covers whole pages: past its length but inside its last page is mapped",
                        new String[] {"open f /a creat,rdwr", "truncate f 8K", "mmap m f 0 100 shared",
                            "mstore m 4000 \"abc\" => ok", "mload m 4095 1 => hex:00", "mstore m 4096 \"x\"",
                            "mstore m 4094 \"xyz\"", "msync m 0 4096 => ok", "msync m 0 4097 => ENOMEM",
                            "read f 4000 3 => \"abc\""}),
                Arguments.of("offsets near 2^63 are outside every mapping, never wrapped back in",
                        new String[] {"open f /a creat,rdwr", "fallocate f alloc 0 8K", "mmap m f 0 8K shared",
                            "mstore m 9223372036854775807 \"x\"",
                            "mstore m 9223372036854775800 fill:0x41*16",
                            "mntstore m 9223372036854775800 fill:0x41*16",
                            "mload m 9223372036854775807 1", "mload m 1 9223372036854775807",
                            "persist m 9223372036854775807 1", "persist m 64 9223372036854775807",
                            "mclwb m 9223372036854775807", "mclflushopt m 9223372036854775807",
                            "mclflush m 9223372036854775807", "msync m 9223372036854771712 4096 => ENOMEM",
                            "msync m 0 9223372036854775807 => ENOMEM", "msync m 4096 4096 => ok",
                            "mstore m 8191 \"x\" => ok", "persist m 8191 1 => ok"}),
                Arguments.of("a mapping whose end would pass file offset 2^63-1 is EOVERFLOW",
                        new String[] {"open f /a creat,rdwr", "mmap m f 9223372036854771712 4096 shared => EOVERFLOW",
                            "mmap m f 9223372036854767616 4097 shared => EOVERFLOW",
                            "mmap m f 9223372036854767616 4096 shared => ok", "mstore m 0 \"x\" => SIGBUS",
                            "mload m 4095 1 => SIGBUS", "mload m 4096 1", "munmap m",
                            "mmap m f 9223372036854775807 4096 shared => EINVAL",
                            "mmap m f 0 1099511627777 shared => ENOMEM"}),
                Arguments.of("a terabyte mapping costs only the pages it touches",
                        new String[] {"open f /a creat,rdwr", "truncate f 8K", "mmap m f 0 1099511627776 shared",
                            "mmap n f 0 1099511627776 shared-validate,sync", "mstore m 0 \"x\"", "mstore n 4096 \"y\"",
                            "fsync f", "truncate f 4K", "mload n 4096 1 => SIGBUS", "munmap m", "munmap n"}),
                Arguments.of("a read-only mapping refuses stores",
                        new String[] {"open f /a creat,rdwr", "write f 0 \"abc\"", "mmap m f 0 4K shared,ro",
                            "mstore m 0 \"x\"", "mload m 0 3 => \"abc\""}),
                Arguments.of("a private mapping copies a page on its first store and never writes the file",
                        new String[] {"open f /a creat,rdwr", "write f 0 \"abc\"", "mmap p f 0 4K private",
                            "mload p 0 3 => \"abc\"", "mstore p 0 \"X\"", "mload p 0 3 => \"Xbc\"",
                            "read f 0 3 => \"abc\"", "write f 1 \"Q\"", "mload p 0 3 => \"Xbc\"", "fsync f"}),
                Arguments.of("a read fault on a hole maps the zero page; a later store allocates a block",
                        new String[] {"open f /a creat,rdwr", "truncate f 8K", "mmap m f 0 8K shared",
                            "mload m 4096 4 => hex:00000000", "mstore m 4096 \"abcd\"", "read f 4096 4 => \"abcd\"",
                            "fdatasync f"}),
                Arguments.of("munmap unbinds the name; msync checks alignment and range",
                        new String[] {"open f /a creat,rdwr", "truncate f 8K", "mmap m f 0 8K shared",
                            "msync m 1 4K => EINVAL", "msync m 0 0 => ok", "msync m 0 16K => ENOMEM",
                            "msync m 0 4K => ok", "munmap m => ok", "munmap m => EINVAL", "mstore m 0 \"x\"",
                            "msync m 0 4K => ENOMEM"}),
                Arguments.of("fsync and msync write back what was stored through a plain shared mapping",
                        new String[] {"open f /a creat,rdwr", "truncate f 8K", "mmap m f 0 8K shared",
                            "mstore m 100 \"first\"", "fsync f", "mstore m 5000 \"second\"", "msync m 0 8K",
                            "mstore m 200 \"third\"", "sync"}),
                Arguments.of("truncate unmaps the pages it frees: they fault again and read zeros",
                        new String[] {"open f /a creat,rdwr", "truncate f 8K", "mmap m f 0 8K shared",
                            "mstore m 4096 \"abc\"", "truncate f 4096", "mload m 4096 1 => SIGBUS", "truncate f 8K",
                            "mload m 4096 3 => hex:000000", "fsync f"}),
                Arguments.of("punching a hole unmaps the page; zero range makes it read zeros",
                        new String[] {"open f /a creat,rdwr", "truncate f 8K", "mmap m f 0 8K shared",
                            "mstore m 0 \"abc\"", "mstore m 4096 \"def\"", "fallocate f punch 0 4K",
                            "mload m 0 3 => hex:000000", "read f 0 3 => hex:000000", "fallocate f zero 4096 4K",
                            "mload m 4096 3 => hex:000000", "mstore m 4096 \"ghi\"", "read f 4096 3 => \"ghi\""}),
                Arguments.of("a mapped file lives on after close and unlink",
                        new String[] {"open f /a creat,rdwr", "truncate f 4K", "mmap m f 0 4K shared", "close f",
                            "unlink /a", "mstore m 0 \"x\"", "mload m 0 1 => \"x\"", "munmap m => ok",
                            "open g /a rdwr => ENOENT"}),
                Arguments.of("user flushes, fences, persist and non-temporal stores",
                        new String[] {"open f /a creat,rdwr", "truncate f 8K", "mmap m f 0 8K shared",
                            "mntstore m 8 \"12345678\"", "mstore m 70 \"abc\"", "mclwb m 70", "mclflushopt m 0",
                            "mclflush m 4100", "sfence", "mfence", "persist m 0 8K", "mload m 8 8 => \"12345678\""}),
                Arguments.of("the MAP_SYNC example of spec section 6",
                        new String[] {"open f /a creat,rdwr", "truncate f 8K", "mmap m f 0 8K shared-validate,sync",
                            "mstore m 4096 \"durable\"", "persist m 4096 7"}),
                Arguments.of("MAP_SYNC over unwritten extents: the conversion is durable before the PTE",
                        new String[] {"open f /a creat,rdwr", "fallocate f alloc 0 8K",
                            "mmap m f 0 8K shared-validate,sync", "mstore m 0 \"one\"", "persist m 0 3",
                            "mstore m 4096 \"two\"", "persist m 4096 3", "mstore m 0 \"ONE\"", "persist m 0 3"}),
                Arguments.of("MAP_SYNC through a later extension: the size change is synced by the next fault",
                        new String[] {"open f /a creat,rdwr", "truncate f 4K", "mmap m f 0 8K shared-validate,sync",
                            "mstore m 0 \"a\"", "persist m 0 1", "truncate f 8K", "mstore m 4096 \"b\"",
                            "persist m 4096 1"}),
                Arguments.of("daxctl needs CAP_LINUX_IMMUTABLE, a regular file without holes",
                        new String[] {"open f /a creat,rdwr", "cred drop CAP_LINUX_IMMUTABLE",
                            "daxctl /a static => EPERM", "daxctl /a get => dynamic", "cred grant CAP_LINUX_IMMUTABLE",
                            "truncate f 8K", "daxctl /a static => EINVAL", "fallocate f keep-size 0 8K",
                            "daxctl /a static 3 => EINVAL", "daxctl /a static => ok", "daxctl /a get => static",
                            "daxctl /a static => EBUSY", "daxctl / static => EISDIR", "daxctl /nope get => ENOENT",
                            "cred drop CAP_LINUX_IMMUTABLE", "daxctl /a clear => EPERM",
                            "cred grant CAP_LINUX_IMMUTABLE", "daxctl /a clear => ok", "daxctl /a clear => ok"}),
                Arguments.of("a static file through a shared mapping keeps everything flushed",
                        new String[] {"open f /a creat,rdwr", "write f 0 fill:0x11*8K", "fsync f",
                            "daxctl /a static", "mmap m f 0 8K shared", "mstore m 10 \"static\"",
                            "persist m 10 6", "mstore m 5000 \"again\"", "persist m 5000 5"}));
    }

    /** The sealed design's restrictions (the default daxfile design). */
    static Stream<Arguments> sealed() {
        return Stream.of(
                Arguments.of("a sealed file refuses every block-map change with EPERM",
                        new String[] {"open f /a creat,rdwr", "fallocate f alloc 0 8K", "daxctl /a static",
                            "read f 0 4 => hex:00000000", "truncate f 4K => EPERM", "truncate f 16K => EPERM",
                            "fallocate f keep-size 0 4K => EPERM", "write f 0 \"x\" => ok",
                            "write f 8190 \"xyz\" => EPERM", "open g /a trunc,rdwr => EPERM", "unlink /a => EPERM",
                            "open h /b creat,rdwr", "rename /b /a => EPERM", "rename /a /c => ok",
                            "mmap m f 0 8K shared", "daxctl /c clear => EBUSY", "munmap m", "daxctl /c clear => ok",
                            "truncate f 4K => ok", "unlink /c => ok"}));
    }

    /** rfc-v1's S_SWAPFILE restrictions, without mappings (those are the design's findings). */
    static Stream<Arguments> rfcV1() {
        return Stream.of(
                Arguments.of("an rfc-v1 daxfile refuses truncation and fallocate with ETXTBSY, allows growth",
                        new String[] {"daxfile rfc-v1", "open f /a creat,rdwr", "fallocate f alloc 0 8K",
                            "daxctl /a static", "truncate f 4K => ETXTBSY", "truncate f 8K => ETXTBSY",
                            "fallocate f punch 0 4K => ETXTBSY", "open g /a trunc,rdwr => ETXTBSY",
                            "truncate f 12K => ok", "daxctl /a clear", "truncate f 4K => ok"}),
                Arguments.of("an rfc-v1 daxfile left static at exit keeps its pin, which is no leak",
                        new String[] {"daxfile rfc-v1", "open f /a creat,rdwr", "write f 0 fill:0x22*4K",
                            "daxctl /a static", "close f", "unlink /a"}),
                Arguments.of("an rfc-v1 clear drops the pin",
                        new String[] {"daxfile rfc-v1", "open f /a creat,rdwr", "write f 0 fill:0x22*4K",
                            "daxctl /a static", "daxctl /a clear", "close f"}),
                Arguments.of("rfc-v1 checks only whole chunks below the size (bmap_walk)",
                        new String[] {"daxfile rfc-v1", "open f /a creat,rdwr", "write f 0 fill:0x22*4K",
                            "truncate f 6K", "daxctl /a static => ok"}));
    }

    private static final String[][] DESIGNS = {
        {},
        {"sync-fault drop-lock-retry"},
        {"persistency eadr"},
        {"persistency eadr", "sync-fault drop-lock-retry"},
    };

    static Stream<Arguments> everyDesign() {
        List<Arguments> out = new ArrayList<>();
        for (Arguments a : Stream.concat(Stream.concat(scenarios(), sealed()), rfcV1()).toList()) {
            for (String[] d : DESIGNS) {
                String[] lines = (String[]) a.get()[1];
                List<String> all = new ArrayList<>();
                // Header lines of the scenario first, then the design's.
                int i = 0;
                while (i < lines.length && lines[i].startsWith("daxfile ")) {
                    all.add(lines[i++]);
                }
                all.addAll(List.of(d));
                for (; i < lines.length; i++) {
                    all.add(lines[i]);
                }
                out.add(Arguments.of(a.get()[0] + (d.length == 0 ? "" : " [" + String.join(", ", d) + "]"),
                        all.toArray(String[]::new)));
            }
        }
        return out.stream();
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("everyDesign")
    void behavesAsSpecifiedAndEveryCrashStateIsClean(String name, String[] lines) {
        FsScenarios.clean(lines);
    }
}
