package dev.daxfuzz.oracle.model;

import dev.daxfuzz.run.SyscallDispatch;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.daxfuzz.fs.CallResult;
import dev.daxfuzz.posix.Errno;
import dev.daxfuzz.program.Data;
import dev.daxfuzz.program.FsPath;
import dev.daxfuzz.program.Op;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

/**
 * Goal: the verdict contract. A matching result is accepted; ENOSPC is accepted exactly where a
 * call would allocate, and then the model applies nothing; any other difference is rejected and
 * the model goes on with its own prediction. Also the guards: unsupported operations and steps
 * out of order are refused.
 */
class ResultAcceptanceTest {
    private static final CallResult ENOSPC = CallResult.failed(Errno.ENOSPC);
    private static final CallResult OK = CallResult.OK;

    private final PosixModel m = new PosixModel(ModelRun.ROOMY);
    private int step;

    private static FsPath path(String... parts) {
        return new FsPath(List.of(parts));
    }

    private static Op.Open open(String fd, FsPath p, Op.OpenFlag... flags) {
        return new Op.Open(fd, p, flags.length == 0 ? Set.of() : EnumSet.of(flags[0], flags));
    }

    private PosixModel.Verdict apply(Op op, CallResult actual) {
        return SyscallDispatch.statement(step++, op, m).judge(actual);
    }

    private void ok(Op op) {
        PosixModel.Verdict v = apply(op, OK);
        assertEquals(new PosixModel.Verdict(OK, true), v, op.toString());
    }

    private void acceptsEnospcAndAppliesNothing(Op op) {
        String before = m.snapshot().toString();
        assertEquals(new PosixModel.Verdict(OK, true), apply(op, ENOSPC), op.toString());
        assertEquals(before, m.snapshot().toString(), "nothing applied for " + op);
    }

    private void refusesEnospc(Op op, CallResult expected) {
        assertEquals(new PosixModel.Verdict(expected, false), apply(op, ENOSPC), op.toString());
    }

    @Test
    void enospcIsAcceptedForMkdirCreateLinkAndRename() {
        acceptsEnospcAndAppliesNothing(new Op.Mkdir(path("d")));
        assertTrue(m.snapshot().entry("/d").isEmpty());
        acceptsEnospcAndAppliesNothing(open("f", path("a"), Op.OpenFlag.CREAT));
        assertEquals(CallResult.failed(Errno.EBADF), apply(new Op.Close("f"), OK).expected(), "f was never bound");
        ok(open("f", path("a"), Op.OpenFlag.CREAT));
        acceptsEnospcAndAppliesNothing(new Op.Link(path("a"), path("b")));
        acceptsEnospcAndAppliesNothing(new Op.Rename(path("a"), path("c")));
        assertEquals("/a file #2 size=0", m.snapshot().toString());
    }

    @Test
    void enospcIsRefusedWhereNothingIsAllocated() {
        ok(open("f", path("a"), Op.OpenFlag.CREAT, Op.OpenFlag.RDWR));
        refusesEnospc(open("g", path("a"), Op.OpenFlag.CREAT), OK);
        refusesEnospc(new Op.Unlink(path("zz")), CallResult.failed(Errno.ENOENT));
        refusesEnospc(new Op.Mkdir(path("a")), CallResult.failed(Errno.EEXIST));
        refusesEnospc(new Op.Rename(path("a"), path("a")), OK);
        refusesEnospc(new Op.Fsync("f"), OK);
        refusesEnospc(new Op.Truncate("f", 8192), OK);
        refusesEnospc(new Op.Fallocate("f", Op.FallocMode.PUNCH, 0, 4096), OK);
        refusesEnospc(new Op.Write("f", 0, Data.Text.of("")), OK);
    }

    @Test
    void enospcForAWriteIsAcceptedOnlyWhenItTouchesAHole() {
        ok(open("f", path("a"), Op.OpenFlag.CREAT, Op.OpenFlag.RDWR));
        acceptsEnospcAndAppliesNothing(new Op.Write("f", 0, Data.Text.of("x")));
        assertEquals(0, m.snapshot().entry("/a").orElseThrow().size(), "the refused write applied nothing");
        ok(new Op.Write("f", 0, Data.Text.of("x")));
        refusesEnospc(new Op.Write("f", 100, Data.Text.of("y")), OK);
        ok(new Op.Fallocate("f", Op.FallocMode.KEEP_SIZE, 4096, 4096));
        refusesEnospc(new Op.Write("f", 4096, Data.Text.of("y")), OK);
        PosixModel.Verdict v = apply(new Op.Write("f", 4000, new Data.Fill(1, 5000)), ENOSPC);
        assertTrue(v.accepted(), "block 2 is a hole");
        int a = m.snapshot().entry("/a").orElseThrow().inodeId();
        List<Integer> steps = m.events(a).stream().map(DataEvent::step).toList();
        assertEquals(List.of(2, 3, 5), steps, "accepted ENOSPC (steps 1, 6) left no event; refused ones applied");
    }

    @Test
    void enospcForFallocateDependsOnTheMode() {
        ok(open("f", path("a"), Op.OpenFlag.CREAT, Op.OpenFlag.RDWR));
        acceptsEnospcAndAppliesNothing(new Op.Fallocate("f", Op.FallocMode.ALLOC, 0, 4096));
        assertEquals(0, m.snapshot().entry("/a").orElseThrow().size());
        acceptsEnospcAndAppliesNothing(new Op.Fallocate("f", Op.FallocMode.KEEP_SIZE, 0, 4096));
        acceptsEnospcAndAppliesNothing(new Op.Fallocate("f", Op.FallocMode.ZERO, 0, 4096));
        assertEquals(0, m.snapshot().entry("/a").orElseThrow().size());
        int a = m.snapshot().entry("/a").orElseThrow().inodeId();
        assertEquals(List.of(), m.events(a), "the refused zero recorded no discard");
        assertEquals(BlockState.HOLE, m.blockState(a, 0));
    }

    @Test
    void aWrongResultIsRejectedAndTheModelFollowsLinux() {
        PosixModel.Verdict v = apply(new Op.Mkdir(path("d")), CallResult.failed(Errno.EEXIST));
        assertEquals(new PosixModel.Verdict(OK, false), v);
        assertTrue(m.snapshot().entry("/d").isPresent(), "the model made the directory anyway");
        v = apply(new Op.Mkdir(path("d")), OK);
        assertEquals(new PosixModel.Verdict(CallResult.failed(Errno.EEXIST), false), v);
    }

    @Test
    void readResultsCompareByBytes() {
        ok(open("f", path("a"), Op.OpenFlag.CREAT, Op.OpenFlag.RDWR));
        ok(new Op.Write("f", 0, Data.Text.of("abc")));
        CallResult abc = new CallResult.Data(Data.Text.of("abc").bytes());
        assertEquals(new PosixModel.Verdict(abc, true), apply(new Op.Read("f", 0, 10), abc));
        CallResult abd = new CallResult.Data(Data.Text.of("abd").bytes());
        assertFalse(apply(new Op.Read("f", 0, 10), abd).accepted());
        assertFalse(apply(new Op.Read("f", 0, 10), OK).accepted());
    }

    @Test
    void unsupportedOperationsAreRefused() {
        assertThrows(IllegalArgumentException.class, () -> SyscallDispatch.statement(0, new Op.Crash(), m).judge(OK));
        assertThrows(IllegalArgumentException.class, () -> SyscallDispatch.statement(0, new Op.Fence(Op.FenceKind.SFENCE), m).judge(OK));
        ok(new Op.Sync());
    }

    @Test
    void stepsMustIncrease() {
        SyscallDispatch.statement(3, new Op.Sync(), m).judge(OK);
        assertThrows(IllegalArgumentException.class, () -> SyscallDispatch.statement(3, new Op.Sync(), m).judge(OK));
        assertThrows(IllegalArgumentException.class, () -> SyscallDispatch.statement(1, new Op.Sync(), m).judge(OK));
        SyscallDispatch.statement(7, new Op.Sync(), m).judge(OK);
        assertEquals(7, m.metadataFloor());
    }

    @Test
    void readsAreCappedAtMaxRwCount() {
        ok(open("f", path("a"), Op.OpenFlag.CREAT, Op.OpenFlag.RDWR));
        ok(new Op.Truncate("f", 1L << 40));
        ok(new Op.Write("f", (1L << 40) - 1, Data.Text.of("z")));
        CallResult r = apply(new Op.Read("f", (1L << 40) - 2, Long.MAX_VALUE - (1L << 40) + 2), OK).expected();
        assertEquals("hex:007a", r.toString());
    }
}
