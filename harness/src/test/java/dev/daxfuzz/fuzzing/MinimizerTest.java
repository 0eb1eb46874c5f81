package dev.daxfuzz.fuzzing;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.daxfuzz.oracle.ViolationKind;
import dev.daxfuzz.program.Program;
import dev.daxfuzz.program.ProgramParser;
import dev.daxfuzz.program.ProgramPrinter;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The minimiser keeps the violation kind and throws away what does not matter. */
class MinimizerTest {
    @Test
    void shrinksToTheStatementsTheBugNeeds() throws Exception {
        Program p = ProgramParser.parse("t", "bug rename-two-transactions\nmkdir /x\nopen f /q creat,rdwr\n"
                + "write f 0 fill:0x41*300\nfsync f\nmkdir /a\nmkdir /y\nrename /a /b\nmkdir /z\n");
        FuzzConfig c = new FuzzConfig(p.header().daxfile(), p.header().bugs(), 2000);
        Minimizer.Result r = Minimizer.minimize(p, c).orElseThrow();
        assertEquals(ViolationKind.FSCK, r.kind());
        assertTrue(r.program().steps().size() <= 2, ProgramPrinter.print(r.program()));
        assertEquals(ViolationKind.FSCK, SyscallCrash.check(r.program(), c).violation().orElseThrow().kind());
    }

    @Test
    void aCleanProgramHasNothingToMinimise() throws Exception {
        Program p = ProgramParser.parse("t", "mkdir /a\nrename /a /b\n");
        assertTrue(Minimizer.minimize(p, FuzzConfig.CORRECT).isEmpty());
    }

    @Test
    void dataShrinks() throws Exception {
        Program p = ProgramParser.parse("t", "bug unaligned-tail-cached\nopen f /a creat,rdwr\n"
                + "write f 0 fill:0x41*4093\nfsync f\ncrash\n");
        FuzzConfig c = new FuzzConfig(p.header().daxfile(), List.of("unaligned-tail-cached"), 2000);
        Minimizer.Result r = Minimizer.minimize(p, c).orElseThrow();
        assertEquals(ViolationKind.LOST_DURABLE_DATA, r.kind());
        String printed = ProgramPrinter.print(r.program());
        assertTrue(!printed.contains("4093"), printed);
    }
}
