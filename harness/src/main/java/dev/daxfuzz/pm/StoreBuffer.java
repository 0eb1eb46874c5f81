package dev.daxfuzz.pm;

import it.unimi.dsi.fastutil.ints.Int2LongOpenHashMap;
import it.unimi.dsi.fastutil.ints.Int2ObjectOpenHashMap;
import java.util.Arrays;

/**
 * One CPU's store buffer: the entries it has issued that have not propagated yet, oldest first,
 * kept as parallel arrays so that issuing an entry allocates nothing. Also the CPU's forwarding
 * view (the bytes its buffered stores wrote), so that its loads see its own stores first.
 */
final class StoreBuffer {
    final int cpu;
    byte[] kind = new byte[64];
    long[] addr = new long[64];
    int[] len = new int[64];
    int[] dataOff = new int[64];
    int[] site = new int[64];
    long[] seq = new long[64];
    int size;

    /** Line index to the bytes this CPU's buffered stores wrote in it, and which bytes those are. */
    final Int2ObjectOpenHashMap<byte[]> forwardData = new Int2ObjectOpenHashMap<>();
    final Int2LongOpenHashMap forwardMask = new Int2LongOpenHashMap();

    StoreBuffer(int cpu) {
        this.cpu = cpu;
    }

    void add(EntryKind k, long address, int length, int dataOffset, int siteTag, long sequence) {
        if (size == kind.length) {
            int n = size * 2;
            kind = Arrays.copyOf(kind, n);
            addr = Arrays.copyOf(addr, n);
            len = Arrays.copyOf(len, n);
            dataOff = Arrays.copyOf(dataOff, n);
            site = Arrays.copyOf(site, n);
            seq = Arrays.copyOf(seq, n);
        }
        kind[size] = (byte) k.ordinal();
        addr[size] = address;
        len[size] = length;
        dataOff[size] = dataOffset;
        site[size] = siteTag;
        seq[size] = sequence;
        size++;
    }

    EntryKind kindAt(int i) {
        return PersistentMemory.KINDS[kind[i]];
    }

    void clear() {
        size = 0;
        forwardData.clear();
        forwardMask.clear();
    }
}
