package dev.daxfuzz.pm;

import it.unimi.dsi.fastutil.ints.Int2ObjectOpenHashMap;
import it.unimi.dsi.fastutil.ints.IntArrayList;
import java.util.Arrays;

/**
 * Under ADR, the writes that have left a store buffer but may still sit in a CPU cache: per
 * cache line, a FIFO in propagation order (Px86's persistence buffer, per line as in PTSO-syn).
 * A line's writes persist in this order; each write is the part of one store that falls in the
 * line, split no further than its 8-byte words.
 */
final class PendingLines {
    static final int FLAG_NON_TEMPORAL = 1;

    // The write table: one row per line write, addressed by id.
    int[] line = new int[256];
    byte[] start = new byte[256];
    byte[] length = new byte[256];
    int[] dataOff = new int[256];
    byte[] flags = new byte[256];
    byte[] cpu = new byte[256];
    int[] site = new int[256];
    long[] seq = new long[256];
    int count;

    /** Line index to the ids of its pending writes, oldest first. */
    final Int2ObjectOpenHashMap<IntArrayList> fifo = new Int2ObjectOpenHashMap<>();

    int add(int lineIndex, int startInLine, int len, int dataOffset, boolean nonTemporal, int cpuId,
            int siteTag, long sequence) {
        if (count == line.length) {
            int n = count * 2;
            line = Arrays.copyOf(line, n);
            start = Arrays.copyOf(start, n);
            length = Arrays.copyOf(length, n);
            dataOff = Arrays.copyOf(dataOff, n);
            flags = Arrays.copyOf(flags, n);
            cpu = Arrays.copyOf(cpu, n);
            site = Arrays.copyOf(site, n);
            seq = Arrays.copyOf(seq, n);
        }
        int id = count++;
        line[id] = lineIndex;
        start[id] = (byte) startInLine;
        length[id] = (byte) len;
        dataOff[id] = dataOffset;
        flags[id] = (byte) (nonTemporal ? FLAG_NON_TEMPORAL : 0);
        cpu[id] = (byte) cpuId;
        site[id] = siteTag;
        seq[id] = sequence;
        IntArrayList q = fifo.get(lineIndex);
        if (q == null) {
            q = new IntArrayList(4);
            fifo.put(lineIndex, q);
        }
        q.add(id);
        return id;
    }

    boolean nonTemporal(int id) {
        return (flags[id] & FLAG_NON_TEMPORAL) != 0;
    }

    int lengthOf(int id) {
        return length[id] & 0xff;
    }

    boolean isEmpty() {
        return fifo.isEmpty();
    }

    void clear() {
        count = 0;
        fifo.clear();
    }
}
