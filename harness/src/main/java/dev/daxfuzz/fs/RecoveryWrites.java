package dev.daxfuzz.fs;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * What one recovery wrote, in order: its stores (device address and bytes) and the persist
 * barriers between them. Recovery computes its writes into a private overlay ({@link ImageBlocks});
 * this log is how the same writes are then issued through the emulator, as cached stores, each
 * barrier a {@code clwb} of every line stored since the previous barrier and a fence that waits
 * for them,
 * so that a power failure during recovery leaves exactly what the x86 persistency model allows.
 *
 * <p>Limits: recovery is modelled on one CPU and issues only cached stores, write-backs and
 * fences (jbd2 recovery's buffered writes and {@code sync_blockdev}); whatever it stores after
 * its last barrier is left for a later barrier that never comes, as a mount that returns before
 * its writes are durable would.
 */
public final class RecoveryWrites {
    /** The log of a recovery that wrote nothing. */
    public static final RecoveryWrites NONE = new RecoveryWrites(List.of());

    /** One entry of the log. */
    public sealed interface Entry permits Store, Barrier {
    }

    /** A store of {@code bytes} at device address {@code addr}. */
    public record Store(long addr, byte[] bytes) implements Entry {
        public Store {
            bytes = bytes.clone();
        }

        @Override
        public byte[] bytes() {
            return bytes.clone();
        }

        /** The byte at index {@code i}, without copying. */
        public byte byteAt(int i) {
            return bytes[i];
        }

        public int length() {
            return bytes.length;
        }

        @Override
        public boolean equals(Object o) {
            return o instanceof Store s && s.addr == addr && Arrays.equals(s.bytes, bytes);
        }

        @Override
        public int hashCode() {
            return Long.hashCode(addr) * 31 + Arrays.hashCode(bytes);
        }

        @Override
        public String toString() {
            return "Store[0x" + Long.toHexString(addr) + ", " + bytes.length + " bytes]";
        }
    }

    /** A persist barrier; {@code label} says what it makes durable. */
    public record Barrier(String label) implements Entry {
    }

    private final List<Entry> entries;

    private RecoveryWrites(List<Entry> entries) {
        this.entries = List.copyOf(entries);
    }

    public List<Entry> entries() {
        return entries;
    }

    /** True when recovery stored nothing. */
    public boolean isEmpty() {
        for (Entry e : entries) {
            if (e instanceof Store) {
                return false;
            }
        }
        return true;
    }

    /** Accumulates a log. */
    static final class Builder {
        private final List<Entry> entries = new ArrayList<>();

        void write(long addr, byte[] src, int off, int len) {
            entries.add(new Store(addr, Arrays.copyOfRange(src, off, off + len)));
        }

        void barrier(String label) {
            entries.add(new Barrier(label));
        }

        RecoveryWrites build() {
            return new RecoveryWrites(entries);
        }
    }
}
