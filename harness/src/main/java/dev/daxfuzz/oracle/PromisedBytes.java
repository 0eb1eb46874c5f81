package dev.daxfuzz.oracle;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * For every file byte that promised stores wrote, the latest of them: what the MAP_SYNC and
 * daxfile check of {@link CrashChecker} judges, kept as disjoint ranges per inode rather than an
 * entry per byte, so that a 4 MiB store through a MAP_SYNC mapping costs a few objects, not four
 * million.
 *
 * <p>Bytes are visited in the order of the text {@code "inode:offset"} (decimal), which is the
 * order the check has always used: it decides which bytes a lazily explored image is asked for
 * first, and so must not change.
 */
final class PromisedBytes {
    /** Receives one byte: byte {@code i} of {@code store}. Return false to stop. */
    @FunctionalInterface
    interface ByteVisitor {
        boolean visit(PromisedStore store, int i);
    }

    /** A range [start, end) of file offsets whose latest promised store is {@code store}. */
    private record Range(long start, long end, PromisedStore store) {
    }

    /** Per model inode, ordered by the text {@code inode + ":"}: its ranges by start. */
    private final TreeMap<String, TreeMap<Long, Range>> byInode = new TreeMap<>();

    private PromisedBytes() {
    }

    /** The latest store of each byte among the stores of statements up to {@code currentStep}. */
    static PromisedBytes of(List<PromisedStore> stores, int currentStep) {
        int n = 0;
        while (n < stores.size() && stores.get(n).step() <= currentStep) {
            n++;
        }
        PromisedBytes p = new PromisedBytes();
        // Latest first: a byte belongs to the first store that claims it.
        for (int si = n - 1; si >= 0; si--) {
            PromisedStore s = stores.get(si);
            TreeMap<Long, Range> ranges = p.byInode.computeIfAbsent(s.modelInode() + ":", k -> new TreeMap<>());
            p.claim(ranges, s);
        }
        return p;
    }

    /** Gives {@code s} the bytes of its range that no later store has claimed. */
    private void claim(TreeMap<Long, Range> ranges, PromisedStore s) {
        long pos = s.fileOffset();
        long end = s.fileOffset() + s.bytes().length;
        List<Range> gaps = new ArrayList<>();
        Map.Entry<Long, Range> before = ranges.floorEntry(pos);
        if (before != null && before.getValue().end() > pos) {
            pos = before.getValue().end();
        }
        while (pos < end) {
            Map.Entry<Long, Range> next = ranges.ceilingEntry(pos);
            long gapEnd = next == null ? end : Math.min(end, next.getKey());
            if (gapEnd > pos) {
                gaps.add(new Range(pos, gapEnd, s));
            }
            if (next == null || next.getKey() >= end) {
                break;
            }
            pos = next.getValue().end();
        }
        for (Range r : gaps) {
            ranges.put(r.start(), r);
        }
    }

    /** Visits every byte with its latest store; false when the visitor stopped. */
    boolean forEachLatest(ByteVisitor visitor) {
        for (TreeMap<Long, Range> ranges : byInode.values()) {
            if (ranges.isEmpty()) {
                continue;
            }
            for (int d = 0; d <= 9; d++) {
                if ((d == 0 ? member(ranges, 0) != null : intersects(ranges, d)) && !visit(ranges, d, visitor)) {
                    return false;
                }
            }
        }
        return true;
    }

    /** Depth-first over the decimal numbers starting with the digits of {@code p}: their text order. */
    private boolean visit(TreeMap<Long, Range> ranges, long p, ByteVisitor visitor) {
        Range r = member(ranges, p);
        if (r != null && !visitor.visit(r.store(), (int) (p - r.store().fileOffset()))) {
            return false;
        }
        if (p == 0 || p > (Long.MAX_VALUE - 9) / 10) {
            return true;
        }
        for (int c = 0; c <= 9; c++) {
            long child = p * 10 + c;
            if (intersects(ranges, child) && !visit(ranges, child, visitor)) {
                return false;
            }
        }
        return true;
    }

    private static Range member(TreeMap<Long, Range> ranges, long offset) {
        Map.Entry<Long, Range> e = ranges.floorEntry(offset);
        return e != null && e.getValue().end() > offset ? e.getValue() : null;
    }

    /**
     * Whether some byte's offset is written with the digits of {@code q} first: q itself, or
     * q·10^k + [0, 10^k) for some k.
     */
    private static boolean intersects(TreeMap<Long, Range> ranges, long q) {
        long last = ranges.lastEntry().getValue().end() - 1;
        long lo = q;
        long width = 1;
        while (lo <= last) {
            long hi = lo + width - 1;
            Map.Entry<Long, Range> e = ranges.floorEntry(hi);
            if (e != null && e.getValue().end() > lo) {
                return true;
            }
            if (lo > Long.MAX_VALUE / 10 || width > Long.MAX_VALUE / 10) {
                break;
            }
            lo *= 10;
            width *= 10;
        }
        return false;
    }
}
