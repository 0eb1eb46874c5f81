package dev.daxfuzz.oracle.model;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * The {@link BlockState} of every block of one regular file, kept as runs so that a fallocate or
 * truncate over a huge range costs the same as over one block. Blocks not in any run are holes.
 *
 * <p>Every mutator reports whether any block changed state: that is what decides whether the
 * step dirtied the inode for {@code fdatasync}.
 *
 * <p>Limits: block indices are non-negative longs; {@link Long#MAX_VALUE} stands for "to the
 * end". Adjacent runs of one state are merged, so the run count stays at most twice the number
 * of operations.
 */
final class BlockMap {
    /** A run of blocks [start, end) in one state other than {@link BlockState#HOLE}. */
    private record Run(long end, BlockState state) {
    }

    /** Run start to run; runs do not overlap. */
    private final TreeMap<Long, Run> runs = new TreeMap<>();

    /** The state of block {@code block}. */
    BlockState get(long block) {
        Map.Entry<Long, Run> e = runs.floorEntry(block);
        return e != null && e.getValue().end() > block ? e.getValue().state() : BlockState.HOLE;
    }

    /** True when some block in [first, end) is a hole. */
    boolean anyHole(long first, long end) {
        return !holes(first, end).isEmpty();
    }

    /** True when every block in [first, end) is in state {@code state} (true for an empty range). */
    boolean uniform(long first, long end, BlockState state) {
        long pos = first;
        for (Map.Entry<Long, Run> e : overlapping(first, end)) {
            long start = Math.max(e.getKey(), first);
            if (start > pos && state != BlockState.HOLE) {
                return false;
            }
            if (e.getValue().state() != state) {
                return false;
            }
            pos = Math.min(e.getValue().end(), end);
        }
        return pos >= end || state == BlockState.HOLE;
    }

    /** Sets every block in [first, end) to {@code state}; true when any block changed. */
    boolean set(long first, long end, BlockState state) {
        if (first >= end || uniform(first, end, state)) {
            return false;
        }
        split(first);
        split(end);
        runs.subMap(first, end).clear();
        if (state != BlockState.HOLE) {
            runs.put(first, new Run(end, state));
            mergeAround(first);
        }
        return true;
    }

    /** Sets every hole in [first, end) to {@code state}; true when there was any. */
    boolean fillHoles(long first, long end, BlockState state) {
        List<long[]> holes = holes(first, end);
        for (long[] h : holes) {
            set(h[0], h[1], state);
        }
        return !holes.isEmpty();
    }

    /** The runs of the map in order, as [start, end, state ordinal] (for tests and debugging). */
    @Override
    public String toString() {
        StringBuilder sb = new StringBuilder();
        for (Map.Entry<Long, Run> e : runs.entrySet()) {
            Run r = e.getValue();
            sb.append('[').append(e.getKey()).append(',')
                    .append(r.end() == Long.MAX_VALUE ? "inf" : Long.toString(r.end())).append(")=")
                    .append(r.state()).append(' ');
        }
        return sb.toString().trim();
    }

    /** The runs that overlap [first, end), in order. */
    private List<Map.Entry<Long, Run>> overlapping(long first, long end) {
        List<Map.Entry<Long, Run>> out = new ArrayList<>();
        if (first >= end) {
            return out;
        }
        Map.Entry<Long, Run> before = runs.lowerEntry(first);
        if (before != null && before.getValue().end() > first) {
            out.add(before);
        }
        out.addAll(runs.subMap(first, true, end, false).entrySet());
        return out;
    }

    /** The maximal hole ranges inside [first, end), as [start, end) pairs in order. */
    private List<long[]> holes(long first, long end) {
        List<long[]> out = new ArrayList<>();
        long pos = first;
        for (Map.Entry<Long, Run> e : overlapping(first, end)) {
            long start = Math.max(e.getKey(), first);
            if (start > pos) {
                out.add(new long[] {pos, start});
            }
            pos = Math.min(e.getValue().end(), end);
        }
        if (pos < end) {
            out.add(new long[] {pos, end});
        }
        return out;
    }

    /** Makes {@code at} a run boundary, splitting the run that straddles it. */
    private void split(long at) {
        Map.Entry<Long, Run> e = runs.lowerEntry(at);
        if (e != null && e.getValue().end() > at) {
            Run r = e.getValue();
            runs.put(e.getKey(), new Run(at, r.state()));
            runs.put(at, new Run(r.end(), r.state()));
        }
    }

    /** Merges the run starting at {@code start} with touching neighbours of the same state. */
    private void mergeAround(long start) {
        Run r = runs.get(start);
        Map.Entry<Long, Run> next = runs.higherEntry(start);
        if (next != null && next.getKey() == r.end() && next.getValue().state() == r.state()) {
            runs.remove(next.getKey());
            r = new Run(next.getValue().end(), r.state());
            runs.put(start, r);
        }
        Map.Entry<Long, Run> prev = runs.lowerEntry(start);
        if (prev != null && prev.getValue().end() == start && prev.getValue().state() == r.state()) {
            runs.remove(start);
            runs.put(prev.getKey(), new Run(r.end(), r.state()));
        }
    }
}
