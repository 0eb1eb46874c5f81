package dev.daxfuzz.oracle.model;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Arrays;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/**
 * Goal: the model's storage structures are exact: {@link BlockMap} agrees with a plain array of
 * states under random set/fill operations (including its "changed" answers), and
 * {@link FileContent} agrees with a plain byte array under random writes and zeroings.
 * Seeded randomness: the same cases every run.
 */
class StorageTest {

    @Test
    void blockMapAgreesWithAnArray() {
        SplittableRandom rnd = new SplittableRandom(42);
        BlockState[] states = BlockState.values();
        for (int round = 0; round < 100; round++) {
            BlockMap map = new BlockMap();
            BlockState[] ref = new BlockState[40];
            Arrays.fill(ref, BlockState.HOLE);
            for (int op = 0; op < 30; op++) {
                int first = rnd.nextInt(40);
                int end = first + rnd.nextInt(40 - first + 1);
                BlockState s = states[rnd.nextInt(3)];
                boolean expectChanged = false;
                if (rnd.nextBoolean()) {
                    for (int i = first; i < end; i++) {
                        expectChanged |= ref[i] != s;
                        ref[i] = s;
                    }
                    assertEquals(expectChanged, map.set(first, end, s), "set " + first + ".." + end + " " + s);
                } else {
                    boolean anyHole = false;
                    for (int i = first; i < end; i++) {
                        anyHole |= ref[i] == BlockState.HOLE;
                    }
                    assertEquals(anyHole, map.anyHole(first, end));
                    for (int i = first; i < end; i++) {
                        if (ref[i] == BlockState.HOLE) {
                            expectChanged |= s != BlockState.HOLE;
                            ref[i] = s;
                        }
                    }
                    assertEquals(anyHole, map.fillHoles(first, end, s));
                }
                for (int i = 0; i < 45; i++) {
                    assertEquals(i < 40 ? ref[i] : BlockState.HOLE, map.get(i), "block " + i + " in " + map);
                }
            }
        }
    }

    @Test
    void blockMapHandlesOpenEndedRanges() {
        BlockMap map = new BlockMap();
        assertTrue(map.set(10, Long.MAX_VALUE, BlockState.UNWRITTEN));
        assertEquals(BlockState.UNWRITTEN, map.get(Long.MAX_VALUE - 1));
        assertTrue(map.set(5, 20, BlockState.WRITTEN));
        assertFalse(map.set(5, 20, BlockState.WRITTEN));
        assertTrue(map.set(0, Long.MAX_VALUE, BlockState.HOLE));
        assertEquals("", map.toString());
        assertFalse(map.set(3, 3, BlockState.WRITTEN), "empty range");
    }

    @Test
    void blockMapMergesAdjacentRuns() {
        BlockMap map = new BlockMap();
        map.set(0, 2, BlockState.WRITTEN);
        map.set(4, 6, BlockState.WRITTEN);
        map.set(2, 4, BlockState.WRITTEN);
        assertEquals("[0,6)=WRITTEN", map.toString());
    }

    @Test
    void fileContentAgreesWithAnArray() {
        SplittableRandom rnd = new SplittableRandom(7);
        int size = 3 * FileContent.CHUNK + 100;
        for (int round = 0; round < 50; round++) {
            FileContent c = new FileContent();
            byte[] ref = new byte[size];
            for (int op = 0; op < 20; op++) {
                int off = rnd.nextInt(size);
                int len = rnd.nextInt(size - off + 1);
                if (rnd.nextBoolean()) {
                    byte[] data = new byte[len];
                    for (int i = 0; i < len; i++) {
                        data[i] = (byte) (1 + rnd.nextInt(255));
                    }
                    c.write(off, data);
                    System.arraycopy(data, 0, ref, off, len);
                } else {
                    c.zero(off, len);
                    Arrays.fill(ref, off, off + len, (byte) 0);
                }
                int roff = rnd.nextInt(size);
                int rlen = rnd.nextInt(size - roff + 1);
                assertArrayEquals(Arrays.copyOfRange(ref, roff, roff + rlen), c.read(roff, rlen));
            }
            assertArrayEquals(ref, c.read(0, size));
        }
    }

    @Test
    void fileContentIsSparse() {
        FileContent c = new FileContent();
        c.write(1L << 42, new byte[] {9});
        assertArrayEquals(new byte[] {0, 9, 0}, c.read((1L << 42) - 1, 3));
        c.zero(0, 1L << 43);
        assertArrayEquals(new byte[] {0}, c.read(1L << 42, 1));
    }
}
