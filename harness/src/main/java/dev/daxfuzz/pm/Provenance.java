package dev.daxfuzz.pm;

import java.util.List;
import java.util.Optional;

/**
 * How one crash state came about: which store-buffer entries had not propagated when power
 * failed, and for every cache line with writes in flight, which of them persisted. A report turns
 * this into sentences; the {@code site} numbers map back to program lines or code locations.
 *
 * @param crashPoint index of the crash point (in the order the emulator took them)
 * @param lost store-buffer entries that never left their buffer, oldest first
 * @param torn under eADR, a store caught half-way out of its buffer, if any: its pieces that
 *     reached the cache are listed with the lines
 * @param lines every line with writes that might not have persisted, by address
 */
public record Provenance(int crashPoint, List<Entry> lost, Optional<Entry> torn, List<Line> lines) {
    public Provenance {
        lost = List.copyOf(lost);
        lines = List.copyOf(lines);
    }

    /** A store-buffer entry. */
    public record Entry(EntryKind kind, long addr, int len, int cpu, int site, long seq) {
        @Override
        public String toString() {
            return kind.isFence() ? kind.mnemonic() + " (site " + site + ")"
                    : String.format("%s 0x%x%s (site %d)", kind.mnemonic(), addr,
                            kind.isWrite() ? "+" + len : "", site);
        }
    }

    /** The part of one store that fell in a line. */
    public record Write(long addr, int len, boolean nonTemporal, int cpu, int site, long seq,
                        boolean propagatedBeforeCrashPoint) {
    }

    /**
     * One line's outcome: its first {@code persistedWrites} writes persisted whole and, of the
     * next write, the 8-byte words in {@code partialWordMask} (bit i = bytes 8i..8i+7 of the line).
     */
    public record Line(long addr, List<Write> writes, int persistedWrites, int partialWordMask) {
        public Line {
            writes = List.copyOf(writes);
        }

        /** True when every write of the line persisted. */
        public boolean fullyPersisted() {
            return persistedWrites == writes.size();
        }
    }
}
