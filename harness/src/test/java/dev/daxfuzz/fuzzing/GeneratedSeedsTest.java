package dev.daxfuzz.fuzzing;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.daxfuzz.fs.FsStats;
import dev.daxfuzz.program.Op;
import dev.daxfuzz.program.Program;
import dev.daxfuzz.program.ProgramParser;
import dev.daxfuzz.program.Step;
import dev.daxfuzz.run.Depth;
import java.util.EnumSet;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;

class GeneratedSeedsTest {
    @Test
    void everySeedIsCleanOnTheCorrectDesignsAndStable() {
        Map<String, byte[]> all = GeneratedSeeds.all();
        assertTrue(all.size() > 200, "ACE core set twice plus families: " + all.size());
        for (Map.Entry<String, byte[]> e : all.entrySet()) {
            assertTrue(e.getKey().startsWith(GeneratedSeeds.PREFIX), e.getKey());
            SyscallCrash.Outcome o = SyscallCrash.check(e.getValue(), FuzzConfig.CORRECT);
            assertTrue(o.violation().isEmpty(), e.getKey() + ": " + o.violation());
            assertTrue(o.result().failures().isEmpty(), e.getKey());
        }
        // Generation is deterministic: a second call gives the same bytes.
        Map<String, byte[]> again = GeneratedSeeds.all();
        for (Map.Entry<String, byte[]> e : all.entrySet()) {
            assertTrue(java.util.Arrays.equals(e.getValue(), again.get(e.getKey())), e.getKey());
        }
    }

    @Test
    void theReadmeCountsThemRight() throws Exception {
        String readme = java.nio.file.Files.readString(java.nio.file.Path.of("..", "README.md"));
        assertTrue(readme.contains("working corpus starts with " + GeneratedSeeds.all().size() + " generated programs"),
                "README's count of generated seeds is " + GeneratedSeeds.all().size());
    }

    @Test
    void theFamiliesDecodeToWhatTheySay() throws Exception {
        Map<String, byte[]> all = GeneratedSeeds.all();
        for (Map.Entry<String, String> e : GeneratedSeeds.families().entrySet()) {
            Program source = ProgramParser.parse(e.getKey(), "fs journal\n" + e.getValue());
            Program decoded = ByteCodec.decode(all.get(GeneratedSeeds.PREFIX + e.getKey()), FuzzConfig.CORRECT);
            assertEquals(source.steps().size(), decoded.steps().size(), e.getKey());
            assertEquals(source.header().deviceBytes(), decoded.header().deviceBytes(), e.getKey());
        }
    }

    @Test
    void everyStatementKindFlagAndModeIsInTheCorpusFromTheStart() {
        Set<ByteCodec.Kind> kinds = EnumSet.noneOf(ByteCodec.Kind.class);
        Set<Op.OpenFlag> open = EnumSet.noneOf(Op.OpenFlag.class);
        Set<Op.FallocMode> falloc = EnumSet.noneOf(Op.FallocMode.class);
        Set<Op.MapFlag> map = EnumSet.noneOf(Op.MapFlag.class);
        Set<String> platforms = new TreeSet<>();
        for (byte[] in : GeneratedSeeds.all().values()) {
            platforms.add(Integer.toString(in[0] & 0x0f));
            Program p = ByteCodec.decode(in, FuzzConfig.CORRECT);
            for (Step s : p.steps()) {
                Op op = s.op();
                kinds.add(kindOf(op));
                if (op instanceof Op.Open o) {
                    open.addAll(o.flags());
                } else if (op instanceof Op.Fallocate f) {
                    falloc.add(f.mode());
                } else if (op instanceof Op.Mmap m) {
                    map.addAll(m.flags());
                }
            }
        }
        assertEquals(EnumSet.allOf(ByteCodec.Kind.class), kinds);
        assertEquals(EnumSet.allOf(Op.OpenFlag.class), open);
        assertEquals(EnumSet.allOf(Op.FallocMode.class), falloc);
        assertEquals(EnumSet.allOf(Op.MapFlag.class), map);
        // eADR, drop-lock-retry, async commit and the small device each appear.
        assertTrue(platforms.size() >= 5, "platform header bits seen: " + platforms);
    }

    @Test
    void theDeepSeedsReachTheStatesTheyAreNamedFor() {
        Map<String, byte[]> all = GeneratedSeeds.all();
        FsStats.Snapshot wrap = depth(all.get("gen-deep-journal-wrap")).fs();
        assertTrue(wrap.logWraps() > 0 && wrap.checkpoints() > 0, String.valueOf(wrap));
        FsStats.Snapshot reuse = depth(all.get("gen-deep-enospc-reuse")).fs();
        assertTrue(reuse.enospc() > 0 && reuse.blocksReused() > 0 && reuse.checkpoints() > 0, String.valueOf(reuse));
        assertTrue(depth(all.get("gen-deep-indirect")).fs().indirectBlocks() > 0);
        FsStats.Snapshot cycles = depth(all.get("gen-deep-map-cycles")).fs();
        assertTrue(cycles.pagesWrittenBack() > 0 && cycles.refaults() > 0, String.valueOf(cycles));
        FsStats.Snapshot retry = depth(all.get("gen-retry-fault")).fs();
        assertTrue(retry.retries() > 0 && retry.syncFaults() > 0, String.valueOf(retry));
    }

    private static Depth depth(byte[] in) {
        return SyscallCrash.check(in, FuzzConfig.CORRECT).result().depth();
    }

    private static ByteCodec.Kind kindOf(Op op) {
        String simple = op.getClass().getSimpleName().toUpperCase(java.util.Locale.ROOT);
        if (op instanceof Op.Crash c) {
            return c.choices().isPresent() ? ByteCodec.Kind.CRASH_DRAWN : ByteCodec.Kind.CRASH;
        }
        if (op instanceof Op.MFlush) {
            return ByteCodec.Kind.MFLUSH;
        }
        if (op instanceof Op.Fence) {
            return ByteCodec.Kind.FENCE;
        }
        return ByteCodec.Kind.valueOf(simple);
    }
}
