package dev.daxfuzz.oracle.model;

import dev.daxfuzz.run.SyscallDispatch;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import dev.daxfuzz.fs.CallResult;
import dev.daxfuzz.fs.FsLimits;
import dev.daxfuzz.posix.Errno;
import dev.daxfuzz.program.DxpSyntaxError;
import dev.daxfuzz.program.Expectation;
import dev.daxfuzz.program.Op;
import dev.daxfuzz.program.Program;
import dev.daxfuzz.program.ProgramParser;
import dev.daxfuzz.program.Step;
import java.util.ArrayList;
import java.util.List;

/**
 * Test driver: runs a {@code .dxp} program through a {@link PosixModel} and checks every
 * file-system statement against the program's own {@code =>} expectation, or, where there is none,
 * that the model predicts success. The file system under test is played by the expectation itself
 * (or by an always-wrong result where there is none), so the model advances by its own prediction.
 * Non-file-system statements ({@code crash}, fences) are skipped but keep their step numbers.
 */
final class ModelRun {
    /** ext4-like limits: nothing in a small test hits them. */
    static final FsLimits ROOMY = new FsLimits(255, 65000, 1024, 1L << 44, 4096);
    /** A result no call of the model ever predicts, for steps without an expectation. */
    private static final CallResult UNKNOWN = CallResult.failed(Errno.EIO);

    final PosixModel model;
    final Program program;
    /** Per step (null for skipped statements). */
    final List<PosixModel.Verdict> verdicts = new ArrayList<>();
    /** {@link PosixModel#metadataFloor()} after each step. */
    final List<Integer> floors = new ArrayList<>();

    private ModelRun(FsLimits limits, String text) {
        this.model = new PosixModel(limits);
        try {
            this.program = ProgramParser.parse("test.dxp", text);
        } catch (DxpSyntaxError e) {
            throw new AssertionError(e.getMessage(), e);
        }
        List<Step> steps = program.steps();
        for (int i = 0; i < steps.size(); i++) {
            Step s = steps.get(i);
            if (s.op().domain() != Op.Domain.FILE_SYSTEM) {
                verdicts.add(null);
                floors.add(model.metadataFloor());
                continue;
            }
            CallResult wanted = s.expectation().map(ModelRun::result).orElse(UNKNOWN);
            PosixModel.Verdict v = SyscallDispatch.statement(i, s.op(), model).judge(wanted);
            verdicts.add(v);
            floors.add(model.metadataFloor());
            String where = "line " + s.pos().line() + " '" + s.op().keyword() + "'";
            if (s.expectation().isPresent()) {
                assertEquals(wanted, v.expected(), where);
                assertTrue(v.accepted(), where);
            } else {
                assertFalse(v.expected() instanceof CallResult.Failed, where + " unexpectedly failed: " + v.expected());
                assertFalse(v.accepted(), where);
            }
        }
    }

    /** Runs {@code text} with {@link #ROOMY} limits, checking every statement. */
    static ModelRun of(String text) {
        return new ModelRun(ROOMY, text);
    }

    /** Runs {@code text} with {@code limits}, checking every statement. */
    static ModelRun of(FsLimits limits, String text) {
        return new ModelRun(limits, text);
    }

    static CallResult result(Expectation e) {
        if (e instanceof Expectation.Ok) {
            return CallResult.OK;
        } else if (e instanceof Expectation.Failure f) {
            return CallResult.failed(f.errno());
        } else if (e instanceof Expectation.Returns r) {
            return new CallResult.Data(r.data().bytes());
        }
        return fail("no call result for " + e);
    }

    /** The inode id the path names now. */
    int inode(String path) {
        return model.snapshot().entry(path).orElseThrow(() -> new AssertionError("no " + path)).inodeId();
    }

    /** The size of the file the path names now. */
    long size(String path) {
        return model.snapshot().entry(path).orElseThrow(() -> new AssertionError("no " + path)).size();
    }

    /** The data history of the file the path names now. */
    List<DataEvent> events(String path) {
        return model.events(inode(path));
    }

    /** The floor after step {@code step}. */
    int floorAfter(int step) {
        return floors.get(step);
    }
}
