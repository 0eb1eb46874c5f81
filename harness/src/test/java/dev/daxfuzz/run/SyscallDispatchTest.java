package dev.daxfuzz.run;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.daxfuzz.fs.FileSystemCalls;
import dev.daxfuzz.program.Op;
import dev.daxfuzz.program.Program;
import dev.daxfuzz.program.ProgramParser;
import dev.daxfuzz.vm.UserAccesses;
import java.lang.reflect.Proxy;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/**
 * The one translation from statements to calls: each statement reaches the method of its name
 * with its arguments in the interface's own types, and nothing else.
 */
class SyscallDispatchTest {

    /** A target that records every call as {@code name(arg, arg, ...)}. */
    private static Both recorder(List<String> log) {
        return (Both) Proxy.newProxyInstance(SyscallDispatchTest.class.getClassLoader(), new Class<?>[] {Both.class},
                (proxy, method, args) -> {
                    log.add(method.getName() + "(" + Arrays.stream(args).map(String::valueOf)
                            .collect(Collectors.joining(", ")) + ")");
                    return method.getName();
                });
    }

    private interface Both extends FileSystemCalls<Object>, UserAccesses<Object> {
    }

    private static List<String> dispatch(String... lines) throws Exception {
        Program p = ProgramParser.parse("dispatch.dxp", "fs journal\n" + String.join("\n", lines) + "\n");
        List<String> log = new ArrayList<>();
        Both target = recorder(log);
        for (int i = 0; i < p.steps().size(); i++) {
            Op op = p.steps().get(i).op();
            Object answered = SyscallDispatch.statement(i, op, target);
            String call = log.get(log.size() - 1);
            assertEquals(call.substring(0, call.indexOf('(')), answered, "the target's answer is returned");
        }
        return log;
    }

    @Test
    void everyCallReachesItsMethodWithItsArguments() throws Exception {
        List<String> log = dispatch(
                "mkdir /d",
                "open f /d/a creat,excl,rdwr,append,dsync",
                "write f 4096 \"hi\"",
                "read f 1 2",
                "truncate f 8K",
                "fallocate f keep-size 0 4K",
                "fallocate f punch 4K 4K",
                "fsync f",
                "fdatasync f",
                "sync",
                "mmap m f 0 8K shared-validate,sync,ro",
                "msync m 0 4K",
                "munmap m",
                "link /d/a /d/b",
                "rename /d/b /d/c",
                "unlink /d/c",
                "poison /d/a 64 8",
                "cred drop CAP_LINUX_IMMUTABLE",
                "cred grant CAP_LINUX_IMMUTABLE",
                "daxctl /d/a static 4K",
                "daxctl /d/a get",
                "close f",
                "rmdir /d");
        assertEquals(List.of(
                "mkdir(0, /d)",
                "open(1, f, /d/a, [CREAT, EXCL, RDWR, APPEND, DSYNC])",
                "write(2, f, 4096, hex:6869)",
                "read(3, f, 1, 2)",
                "truncate(4, f, 8192)",
                "fallocate(5, f, KEEP_SIZE, 0, 4096)",
                "fallocate(6, f, PUNCH, 4096, 4096)",
                "fsync(7, f)",
                "fdatasync(8, f)",
                "sync(9)",
                "mmap(10, m, f, 0, 8192, [SHARED_VALIDATE, SYNC, RO])",
                "msync(11, m, 0, 4096)",
                "munmap(12, m)",
                "link(13, /d/a, /d/b)",
                "rename(14, /d/b, /d/c)",
                "unlink(15, /d/c)",
                "poison(16, /d/a, 64, 8)",
                "cred(17, DROP, CAP_LINUX_IMMUTABLE)",
                "cred(18, GRANT, CAP_LINUX_IMMUTABLE)",
                "daxctl(19, /d/a, STATIC, OptionalLong[4096])",
                "daxctl(20, /d/a, GET, OptionalLong.empty)",
                "close(21, f)",
                "rmdir(22, /d)"), log);
    }

    @Test
    void userInstructionsGoToTheAddressSpaceSide() throws Exception {
        List<String> log = dispatch(
                "open f /a creat,rdwr",
                "mmap m f 0 4K shared",
                "mstore m 8 \"ab\"",
                "mntstore m 16 \"cd\"",
                "mload m 8 2",
                "mclflush m 0",
                "mclflushopt m 64",
                "mclwb m 128",
                "persist m 0 64");
        assertEquals(List.of(
                "mstore(2, m, 8, hex:6162, false)",
                "mstore(3, m, 16, hex:6364, true)",
                "mload(4, m, 8, 2)",
                "mflush(5, CLFLUSH, m, 0)",
                "mflush(6, CLFLUSHOPT, m, 64)",
                "mflush(7, CLWB, m, 128)",
                "persist(8, m, 0, 64)"), log.subList(2, log.size()));
    }

    @Test
    void crashesAndFencesAreNoCalls() {
        List<String> log = new ArrayList<>();
        Both target = recorder(log);
        assertThrows(IllegalArgumentException.class, () -> SyscallDispatch.call(0, new Op.Crash(), target));
        assertThrows(IllegalArgumentException.class,
                () -> SyscallDispatch.statement(0, new Op.Fence(Op.FenceKind.MFENCE), target));
        assertThrows(IllegalArgumentException.class, () -> SyscallDispatch.access(0, new Op.Sync(), target));
        assertEquals(List.of(), log);
    }
}
