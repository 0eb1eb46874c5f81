package dev.daxfuzz.pm;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/**
 * Persistency litmus tests, each derived from one rule of the model (Intel SDM vol. 3A §8.2.2,
 * Px86, PTSO-syn): a tiny program, the crash outcomes that must appear and those that must not.
 *
 * <p>Outcomes are written as the observed values in order, e.g. {@code "x=1 y=0"}: each observed
 * location is an 8-byte little-endian word printed in hex without leading zeros. Unless a test
 * says otherwise the crash is at the end of the program; the model lets a crash at the end leave
 * older instructions still in the store buffer, so earlier instants are covered too.
 *
 * <p>Every litmus program also runs on {@link ReferenceModel}, which applies the ordering table
 * step by step, and both must give the same outcomes: so these tests check the rules, not only
 * the fast enumerator's reading of them.
 */
class LitmusTest {
    private static final long X = 0x000;   // line 0
    private static final long Y = 0x040;   // line 1
    private static final long Z = 0x080;   // line 2
    private static final long X2 = 0x008;  // line 0, second word
    private static final int DEVICE_BYTES = 256;

    private static byte[] le(long value) {
        byte[] b = new byte[8];
        for (int i = 0; i < 8; i++) {
            b[i] = (byte) (value >>> (8 * i));
        }
        return b;
    }

    /** A litmus program: instructions on CPU 0 and crash points. */
    private static final class Litmus {
        final PersistentMemory pm;
        final Persistency persistency;
        final List<ReferenceModel.Instr> program = new ArrayList<>();
        final List<CrashPointImages> points = new ArrayList<>();
        final long[] observed;
        final String[] names;

        Litmus(Persistency p, String names, long... observed) {
            this.pm = new PersistentMemory(PmOptions.of(DEVICE_BYTES, p));
            this.persistency = p;
            this.names = names.split(",");
            this.observed = observed;
        }

        static Litmus adr(String names, long... observed) {
            return new Litmus(Persistency.ADR, names, observed);
        }

        static Litmus eadr(String names, long... observed) {
            return new Litmus(Persistency.EADR, names, observed);
        }

        Litmus store(long addr, long value) {
            pm.storeLong(0, addr, value, 8, 0);
            program.add(ReferenceModel.Instr.store((int) addr, le(value)));
            return this;
        }

        Litmus store(long addr, byte[] data) {
            pm.store(0, addr, data, 0, data.length, 0);
            program.add(ReferenceModel.Instr.store((int) addr, data));
            return this;
        }

        Litmus nt(long addr, long value) {
            pm.ntStoreLong(0, addr, value, 8, 0);
            program.add(ReferenceModel.Instr.ntStore((int) addr, le(value)));
            return this;
        }

        Litmus clwb(long addr) {
            pm.clwb(0, addr, 0);
            program.add(ReferenceModel.Instr.op(EntryKind.CLWB, (int) addr));
            return this;
        }

        Litmus clflushopt(long addr) {
            pm.clflushopt(0, addr, 0);
            program.add(ReferenceModel.Instr.op(EntryKind.CLFLUSHOPT, (int) addr));
            return this;
        }

        Litmus clflush(long addr) {
            pm.clflush(0, addr, 0);
            program.add(ReferenceModel.Instr.op(EntryKind.CLFLUSH, (int) addr));
            return this;
        }

        Litmus sfence() {
            pm.sfence(0, 0);
            program.add(ReferenceModel.Instr.op(EntryKind.SFENCE, 0));
            return this;
        }

        Litmus mfence() {
            pm.mfence(0, 0);
            program.add(ReferenceModel.Instr.op(EntryKind.MFENCE, 0));
            return this;
        }

        Litmus serialize() {
            pm.serialize();
            program.add(ReferenceModel.Instr.serializePoint());
            return this;
        }

        Litmus crash() {
            Set<String> out = new TreeSet<>();
            pm.crashPoint().enumerate(Long.MAX_VALUE, null, s -> {
                StringBuilder sb = new StringBuilder();
                for (int i = 0; i < observed.length; i++) {
                    if (i > 0) {
                        sb.append(' ');
                    }
                    sb.append(names[i]).append('=').append(Long.toHexString(s.image().readLong(observed[i], 8)));
                }
                out.add(sb.toString());
                return true;
            });
            Set<String> reference = new TreeSet<>();
            List<Set<String>> images = new ReferenceModel(List.copyOf(program), DEVICE_BYTES, 1, persistency)
                    .crashImages();
            for (String hex : images.get(program.size())) {
                byte[] image = HexFormat.of().parseHex(hex);
                StringBuilder sb = new StringBuilder();
                for (int i = 0; i < observed.length; i++) {
                    long v = 0;
                    for (int k = 7; k >= 0; k--) {
                        v = (v << 8) | (image[(int) observed[i] + k] & 0xff);
                    }
                    sb.append(i > 0 ? " " : "").append(names[i]).append('=').append(Long.toHexString(v));
                }
                reference.add(sb.toString());
            }
            assertEquals(reference, out, "fast enumerator and reference disagree on " + program);
            points.add(new CrashPointImages(out));
            return this;
        }

        /** Outcomes of the single crash point (taking one at the end if none was taken). */
        Set<String> outcomes() {
            if (points.isEmpty()) {
                crash();
            }
            assertEquals(1, points.size(), "expected one crash point");
            return points.get(0).outcomes;
        }
    }

    private record CrashPointImages(Set<String> outcomes) {
    }

    private static void assertAllowed(Set<String> outcomes, String... must) {
        for (String m : must) {
            assertTrue(outcomes.contains(m), "must be reachable: " + m + " but outcomes are " + outcomes);
        }
    }

    private static void assertForbidden(Set<String> outcomes, String... never) {
        for (String n : never) {
            assertFalse(outcomes.contains(n), "must be impossible: " + n + " but outcomes are " + outcomes);
        }
    }

    private static void assertExactly(Set<String> outcomes, String... all) {
        assertEquals(new TreeSet<>(List.of(all)), outcomes);
    }

    // ---- ADR: cached stores --------------------------------------------------------------------

    @Test
    @DisplayName("ADR: an unflushed store may or may not persist")
    void unflushedStoreMayBeLost() {
        assertExactly(Litmus.adr("x", X).store(X, 1).outcomes(), "x=0", "x=1");
    }

    @Test
    @DisplayName("ADR: store; clwb; sfence does not make the store durable at a crash right after: it may still be buffered")
    void sfenceDoesNotWaitForPersistence() {
        assertExactly(Litmus.adr("x", X).store(X, 1).clwb(X).sfence().outcomes(), "x=0", "x=1");
    }

    @Test
    @DisplayName("ADR: store; clwb; mfence makes the store durable")
    void clwbThenMfencePersists() {
        assertExactly(Litmus.adr("x", X).store(X, 1).clwb(X).mfence().outcomes(), "x=1");
    }

    @Test
    @DisplayName("ADR: store; clflush; mfence makes the store durable")
    void clflushThenMfencePersists() {
        assertExactly(Litmus.adr("x", X).store(X, 1).clflush(X).mfence().outcomes(), "x=1");
    }

    @Test
    @DisplayName("ADR: mfence alone drains the buffer but does not write the cache back")
    void mfenceAloneDoesNotPersist() {
        assertExactly(Litmus.adr("x", X).store(X, 1).mfence().outcomes(), "x=0", "x=1");
    }

    @Test
    @DisplayName("ADR: stores to different lines persist independently (y without x)")
    void differentLinesPersistIndependently() {
        assertExactly(Litmus.adr("x,y", X, Y).store(X, 1).store(Y, 1).outcomes(),
                "x=0 y=0", "x=1 y=0", "x=0 y=1", "x=1 y=1");
    }

    @Test
    @DisplayName("ADR: stores to one line persist in order (never y without x)")
    void sameLinePersistsInOrder() {
        Set<String> o = Litmus.adr("x,x2", X, X2).store(X, 1).store(X2, 1).outcomes();
        assertExactly(o, "x=0 x2=0", "x=1 x2=0", "x=1 x2=1");
    }

    @Test
    @DisplayName("ADR: a later store to the same address replaces an earlier one in order")
    void sameAddressOverwriteInOrder() {
        assertExactly(Litmus.adr("x", X).store(X, 1).store(X, 2).outcomes(), "x=0", "x=1", "x=2");
        assertExactly(Litmus.adr("x", X).store(X, 1).clwb(X).mfence().store(X, 2).outcomes(), "x=1", "x=2");
    }

    @Test
    @DisplayName("ADR: clwb; sfence orders the flushed store before a later store (the persist barrier)")
    void clwbSfenceOrdersLaterStores() {
        Set<String> o = Litmus.adr("x,y", X, Y).store(X, 1).clwb(X).sfence().store(Y, 1).outcomes();
        assertExactly(o, "x=0 y=0", "x=1 y=0", "x=1 y=1");
        assertForbidden(o, "x=0 y=1");
    }

    @Test
    @DisplayName("ADR: without sfence a younger store may overtake clwb (y=1, x=0 allowed)")
    void youngerStoreOvertakesClwb() {
        assertAllowed(Litmus.adr("x,y", X, Y).store(X, 1).clwb(X).store(Y, 1).outcomes(), "x=0 y=1");
    }

    @Test
    @DisplayName("ADR: without sfence a younger store may overtake clflushopt (y=1, x=0 allowed)")
    void youngerStoreOvertakesClflushopt() {
        assertAllowed(Litmus.adr("x,y", X, Y).store(X, 1).clflushopt(X).store(Y, 1).outcomes(), "x=0 y=1");
    }

    @Test
    @DisplayName("ADR: clflush is ordered with younger stores (y=1 implies x=1)")
    void clflushOrderedWithLaterStores() {
        Set<String> o = Litmus.adr("x,y", X, Y).store(X, 1).clflush(X).store(Y, 1).outcomes();
        assertForbidden(o, "x=0 y=1");
        assertAllowed(o, "x=1 y=1", "x=1 y=0", "x=0 y=0");
    }

    @Test
    @DisplayName("ADR: clflushopt never passes an older store to its own line")
    void clflushoptWaitsForOlderSameLineStore() {
        Set<String> o = Litmus.adr("x,z", X, Z).store(X, 1).clflushopt(X).sfence().store(Z, 1).outcomes();
        assertForbidden(o, "x=0 z=1");
    }

    @Test
    @DisplayName("ADR: clwb may pass an older store to another line (flushed y durable, older x lost)")
    void clwbPassesOlderStoreToOtherLine() {
        // y's store is made durable first; then x is stored and y's line flushed again by a clwb
        // that may pass x's store: z (after the sfence) can persist while x did not.
        Set<String> o = Litmus.adr("x,y,z", X, Y, Z)
                .store(Y, 1).clwb(Y).mfence()
                .store(X, 1).clwb(Y).sfence().store(Z, 1).clwb(Z).mfence().outcomes();
        assertAllowed(o, "x=0 y=1 z=1", "x=1 y=1 z=1");
        assertForbidden(o, "x=0 y=0 z=1", "x=0 y=1 z=0");
    }

    @Test
    @DisplayName("ADR: a younger store to the same line may overtake clwb, and then clwb flushes it too")
    void overtakingSameLineStoreIsFlushedToo() {
        Set<String> o = Litmus.adr("x,z", X, Z).store(X, 1).clwb(X).store(X, 2).sfence().store(Z, 1).outcomes();
        assertAllowed(o, "x=1 z=1", "x=2 z=1", "x=0 z=0");
        assertForbidden(o, "x=0 z=1");
    }

    @Test
    @DisplayName("ADR: flushes of two lines before one sfence order both before later stores")
    void sfenceOrdersSeveralFlushes() {
        Set<String> o = Litmus.adr("x,y,z", X, Y, Z).store(X, 1).store(Y, 1).clwb(X).clwb(Y).sfence()
                .store(Z, 1).outcomes();
        assertForbidden(o, "x=0 y=1 z=1", "x=1 y=0 z=1", "x=0 y=0 z=1");
        assertAllowed(o, "x=1 y=1 z=1", "x=1 y=0 z=0", "x=0 y=1 z=0");
    }

    @Test
    @DisplayName("ADR: a flush writes back the whole line, including other stores to it")
    void flushPersistsWholeLine() {
        assertExactly(Litmus.adr("x,x2", X, X2).store(X, 1).store(X2, 1).clwb(X2).mfence().outcomes(),
                "x=1 x2=1");
    }

    @Test
    @DisplayName("ADR: a chain of persist barriers persists in order")
    void persistBarrierChain() {
        Set<String> o = Litmus.adr("x,y,z", X, Y, Z).store(X, 1).clwb(X).sfence().store(Y, 1).clwb(Y).sfence()
                .store(Z, 1).outcomes();
        assertExactly(o, "x=0 y=0 z=0", "x=1 y=0 z=0", "x=1 y=1 z=0", "x=1 y=1 z=1");
    }

    @Test
    @DisplayName("crash points: a crash before an mfence sees more images than one after it")
    void crashBeforeAndAfterMfence() {
        Litmus l = Litmus.adr("x", X).store(X, 1).clwb(X).crash().mfence().crash();
        assertEquals(Set.of("x=0", "x=1"), l.points.get(0).outcomes());
        assertEquals(Set.of("x=1"), l.points.get(1).outcomes());
    }

    @Test
    @DisplayName("serialising point: the end of a call drains the buffer but is not a fence")
    void serializeDrainsButDoesNotPersist() {
        assertExactly(Litmus.adr("x", X).store(X, 1).serialize().outcomes(), "x=0", "x=1");
        assertExactly(Litmus.adr("x", X).store(X, 1).clwb(X).serialize().outcomes(), "x=1");
        assertExactly(Litmus.adr("x", X).nt(X, 1).serialize().outcomes(), "x=0", "x=1");
    }

    // ---- 8-byte atomicity ----------------------------------------------------------------------

    @Test
    @DisplayName("atomicity: an aligned 8-byte store persists whole or not at all")
    void alignedEightBytesAreAtomic() {
        assertExactly(Litmus.adr("x", X).store(X, 0x1122334455667788L).outcomes(), "x=0", "x=1122334455667788");
    }

    @Test
    @DisplayName("atomicity: an aligned 16-byte store may tear into its two 8-byte halves, either way")
    void sixteenByteStoreTears() {
        byte[] data = HexFormat.of().parseHex("0101010101010101" + "0202020202020202");
        assertExactly(Litmus.adr("x,x2", X, X2).store(X, data).outcomes(),
                "x=0 x2=0", "x=101010101010101 x2=0", "x=0 x2=202020202020202",
                "x=101010101010101 x2=202020202020202");
    }

    @Test
    @DisplayName("atomicity: an unaligned 8-byte store splits at the word boundary into two atomic pieces")
    void unalignedStoreSplitsAtWordBoundary() {
        byte[] data = HexFormat.of().parseHex("aabbccdd11223344");
        Set<String> o = Litmus.adr("x,x2", X, X2).store(4, data).outcomes();
        assertExactly(o, "x=0 x2=0", "x=ddccbbaa00000000 x2=0", "x=0 x2=44332211",
                "x=ddccbbaa00000000 x2=44332211");
    }

    @Test
    @DisplayName("atomicity: a store crossing a line boundary persists each line's part independently")
    void lineCrossingStoreIsTwoLines() {
        byte[] data = HexFormat.of().parseHex("aabbccdd11223344");
        Set<String> o = Litmus.adr("a,b", 0x38, 0x40).store(0x3c, data).clwb(0x40).mfence().outcomes();
        // The second line was flushed; the first line's part may still be lost.
        assertExactly(o, "a=0 b=44332211", "a=ddccbbaa00000000 b=44332211");
    }

    @Test
    @DisplayName("atomicity: a later store to the line waits for every piece of an earlier wide store")
    void laterStoreWaitsForAllPiecesOfEarlierOne() {
        byte[] data = HexFormat.of().parseHex("0101010101010101" + "0202020202020202");
        Set<String> o = Litmus.adr("x,x2,w", X, X2, 0x10).store(X, data).store(0x10, 3).outcomes();
        assertForbidden(o, "x=0 x2=202020202020202 w=3", "x=101010101010101 x2=0 w=3", "x=0 x2=0 w=3");
        assertAllowed(o, "x=101010101010101 x2=202020202020202 w=3", "x=0 x2=202020202020202 w=0");
    }

    @Test
    @DisplayName("atomicity: sub-word pieces of one word do not tear further")
    void subWordPieceIsAtomic() {
        byte[] data = HexFormat.of().parseHex("aabbcc");
        assertExactly(Litmus.adr("x", X).store(2, data).outcomes(), "x=0", "x=ccbbaa0000");
    }

    // ---- non-temporal stores ---------------------------------------------------------------------

    @Test
    @DisplayName("NT: a non-temporal store may persist without any flush")
    void ntStoreMayPersistWithoutFlush() {
        assertExactly(Litmus.adr("x", X).nt(X, 1).outcomes(), "x=0", "x=1");
    }

    @Test
    @DisplayName("NT: mfence after a non-temporal store makes it durable")
    void ntStoreThenMfenceIsDurable() {
        assertExactly(Litmus.adr("x", X).nt(X, 1).mfence().outcomes(), "x=1");
    }

    @Test
    @DisplayName("NT: sfence orders a non-temporal store before later stores (y=1 implies x=1)")
    void sfenceOrdersNtBeforeLaterStores() {
        Set<String> o = Litmus.adr("x,y", X, Y).nt(X, 1).sfence().store(Y, 1).outcomes();
        assertForbidden(o, "x=0 y=1");
        assertAllowed(o, "x=1 y=1", "x=1 y=0", "x=0 y=0");
    }

    @Test
    @DisplayName("NT: without a fence a later store may persist before a non-temporal one")
    void laterStoreMayPassNtStore() {
        assertAllowed(Litmus.adr("x,y", X, Y).nt(X, 1).store(Y, 1).outcomes(), "x=0 y=1");
    }

    @Test
    @DisplayName("NT: a fence forces only non-temporal stores; a cached store before it may stay lost")
    void fenceForcesOnlyNtStores() {
        Set<String> o = Litmus.adr("x,y", X, Y).store(X, 1).nt(Y, 1).mfence().outcomes();
        assertExactly(o, "x=0 y=1", "x=1 y=1");
    }

    @Test
    @DisplayName("NT: a non-temporal store to a line writes back the line's older cached stores")
    void ntStoreEvictsOlderCachedWritesOfItsLine() {
        Set<String> o = Litmus.adr("x,x2", X, X2).store(X, 1).nt(X2, 1).mfence().outcomes();
        assertExactly(o, "x=1 x2=1");
    }

    @Test
    @DisplayName("NT: a fence does not force a non-temporal store younger than it")
    void fenceDoesNotForceYoungerNt() {
        assertExactly(Litmus.adr("x", X).sfence().nt(X, 1).outcomes(), "x=0", "x=1");
    }

    // ---- eADR --------------------------------------------------------------------------------------

    @Test
    @DisplayName("eADR: a store that left the store buffer is durable without any flush")
    void eadrDrainedStoreIsDurable() {
        assertExactly(Litmus.eadr("x", X).store(X, 1).mfence().outcomes(), "x=1");
    }

    @Test
    @DisplayName("eADR: a store still in the store buffer is lost")
    void eadrBufferedStoreMayBeLost() {
        assertExactly(Litmus.eadr("x", X).store(X, 1).outcomes(), "x=0", "x=1");
    }

    @Test
    @DisplayName("eADR: stores persist in TSO order across lines (never y without x)")
    void eadrStoresPersistInTsoOrder() {
        Set<String> o = Litmus.eadr("x,y", X, Y).store(X, 1).store(Y, 1).outcomes();
        assertExactly(o, "x=0 y=0", "x=1 y=0", "x=1 y=1");
    }

    @Test
    @DisplayName("eADR: a 16-byte store can still tear into its 8-byte pieces")
    void eadrWideStoreTears() {
        byte[] data = HexFormat.of().parseHex("0101010101010101" + "0202020202020202");
        assertAllowed(Litmus.eadr("x,x2", X, X2).store(X, data).outcomes(),
                "x=101010101010101 x2=0", "x=0 x2=202020202020202");
    }

    @Test
    @DisplayName("eADR: flushes change nothing; only the store buffer matters")
    void eadrFlushesAreIrrelevant() {
        Set<String> withFlush = Litmus.eadr("x,y", X, Y).store(X, 1).clwb(X).sfence().store(Y, 1).outcomes();
        Set<String> without = Litmus.eadr("x,y", X, Y).store(X, 1).sfence().store(Y, 1).outcomes();
        assertEquals(without, withFlush);
    }

    @Test
    @DisplayName("eADR: a non-temporal store may still pass older stores to other lines")
    void eadrNtStoreMayPassOlderStore() {
        assertAllowed(Litmus.eadr("x,y", X, Y).store(X, 1).nt(Y, 1).outcomes(), "x=0 y=1");
    }

    // ---- loads --------------------------------------------------------------------------------------

    @Test
    @DisplayName("loads: a CPU sees its own buffered store; another CPU does not until it drains")
    void loadsSeeOwnStoreBufferFirst() {
        PersistentMemory pm = new PersistentMemory(new PmOptions(4096, Persistency.ADR, 2));
        pm.storeLong(0, X, 7, 8, 0);
        assertEquals(7, pm.loadLong(0, X, 8));
        assertEquals(0, pm.loadLong(1, X, 8));
        pm.mfence(0, 0);
        assertEquals(7, pm.loadLong(1, X, 8));
        assertEquals(0, pm.durableCopy()[0], "drained is not persisted under ADR");
    }

    @Test
    @DisplayName("loads: partial overlap merges buffered bytes with memory byte by byte")
    void loadMergesBufferedBytes() {
        PersistentMemory pm = new PersistentMemory(PmOptions.of(4096, Persistency.ADR));
        pm.storeLong(0, X, 0x1111111111111111L, 8, 0);
        pm.mfence(0, 0);
        pm.storeLong(0, X + 2, 0x22, 1, 0);
        assertEquals(0x1111111111221111L, pm.loadLong(0, X, 8));
    }

    @Test
    @DisplayName("multi-CPU: a fence forces only its own CPU's non-temporal stores")
    void fenceForcesOnlyOwnCpusNtStores() {
        PersistentMemory pm = new PersistentMemory(new PmOptions(4096, Persistency.ADR, 2));
        pm.ntStoreLong(0, X, 1, 8, 0);
        pm.serialize();
        pm.mfence(1, 0);
        Set<Long> xs = new TreeSet<>();
        pm.crashPoint().enumerate(Long.MAX_VALUE, null, s -> xs.add(s.image().readLong(X, 8)));
        assertEquals(Set.of(0L, 1L), xs);
        pm.mfence(0, 0);
        xs.clear();
        pm.crashPoint().enumerate(Long.MAX_VALUE, null, s -> xs.add(s.image().readLong(X, 8)));
        assertEquals(Set.of(1L), xs);
    }
}
