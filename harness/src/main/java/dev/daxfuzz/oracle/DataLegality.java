package dev.daxfuzz.oracle;

import dev.daxfuzz.oracle.model.DataEvent;
import it.unimi.dsi.fastutil.ints.IntArrayList;
import it.unimi.dsi.fastutil.longs.LongAVLTreeSet;
import java.util.List;

/**
 * Which values one byte of a file may hold after a crash, from the model's data history of the
 * file. The rules are the weaker guarantees Linux gives for file data on a DAX file system:
 *
 * <ul>
 *   <li>the byte's <em>durable point</em> is the last completed fsync, fdatasync or sync of the
 *   file (or O_DSYNC write covering the byte) before the crash; its value then must survive,
 *   unless a later call changed it;
 *   <li>any value a later write (up to the crash) put there may have reached the media, in any
 *   order, since data is not journalled and a DAX write persists piece by piece;
 *   <li>a later truncate, punch or zero range may have zeroed it; and once the namespace shows
 *   that such a call's metadata committed (its statement is inside the recovered prefix), the old
 *   value is gone for good: only zeros and later writes remain legal (the block was freed).
 * </ul>
 *
 * Anything else is stale: bytes that were never written to this file at this offset, such as the
 * old content of a reused block.
 */
final class DataLegality {
    private DataLegality() {
    }

    /** The step after which the byte at {@code offset} is durable: the last sync covering it. */
    static int durablePoint(List<DataEvent> events, long offset, int completedThrough) {
        int d = -1;
        for (DataEvent e : events) {
            if (e.step() > completedThrough) {
                break;
            }
            if (e.kind() == DataEvent.Kind.SYNC || (e.kind() == DataEvent.Kind.DSYNC_WRITE && covers(e, offset))) {
                d = Math.max(d, e.step());
            }
        }
        return d;
    }

    /**
     * Whether {@code value} is legal for the byte at {@code offset}.
     *
     * @param committedThrough every call up to this step is in the recovered namespace
     */
    static boolean legal(List<DataEvent> events, long offset, int value, int completedThrough, int currentStep,
                         int committedThrough) {
        long[] set = legalSet(events, offset, completedThrough, currentStep, committedThrough);
        return (set[(value & 0xff) >>> 6] & (1L << (value & 63))) != 0;
    }

    /** The legal values of the byte at {@code offset} as a 256-bit set (bit v = value v). */
    static long[] legalSet(List<DataEvent> events, long offset, int completedThrough, int currentStep,
                           int committedThrough) {
        int d = durablePoint(events, offset, completedThrough);
        int base = 0;
        long[] set = new long[4];
        boolean started = false;
        for (DataEvent e : events) {
            if (e.step() > currentStep) {
                break;
            }
            if (!covers(e, offset) || e.kind() == DataEvent.Kind.SYNC) {
                continue;
            }
            int v = e.kind() == DataEvent.Kind.DISCARD ? 0 : e.bytes().get((int) (offset - e.offset())) & 0xff;
            if (e.step() <= d) {
                base = v;
                continue;
            }
            if (!started) {
                set[base >>> 6] |= 1L << (base & 63);
                started = true;
            }
            if (e.kind() == DataEvent.Kind.DISCARD && e.step() <= committedThrough) {
                java.util.Arrays.fill(set, 0);
            }
            set[v >>> 6] |= 1L << (v & 63);
        }
        if (!started) {
            set[base >>> 6] |= 1L << (base & 63);
        }
        return set;
    }

    /** The values the byte held at some step up to its durable point (for telling lost from stale). */
    static boolean heldBeforeDurablePoint(List<DataEvent> events, long offset, int value, int completedThrough) {
        int d = durablePoint(events, offset, completedThrough);
        if (value == 0) {
            return true;
        }
        for (DataEvent e : events) {
            if (e.step() > d) {
                break;
            }
            if (covers(e, offset) && e.kind() != DataEvent.Kind.SYNC && e.kind() != DataEvent.Kind.DISCARD
                    && (e.bytes().get((int) (offset - e.offset())) & 0xff) == (value & 0xff)) {
                return true;
            }
        }
        return false;
    }

    /** Every value legal for the byte, for reports. */
    static String legalValues(List<DataEvent> events, long offset, int completedThrough, int currentStep,
                              int committedThrough) {
        StringBuilder sb = new StringBuilder();
        for (int v = 0; v < 256; v++) {
            if (legal(events, offset, v, completedThrough, currentStep, committedThrough)) {
                sb.append(sb.length() == 0 ? "" : " or ").append(String.format("0x%02x", v));
            }
        }
        return sb.toString();
    }

    /**
     * The legal values of every byte of a file at once, as {@link #legalSet} gives them one byte
     * at a time, for one crash point and recovered prefix.
     */
    static FilePlan plan(List<DataEvent> events, int completedThrough, int currentStep, int committedThrough) {
        return new FilePlan(events, completedThrough, currentStep, committedThrough);
    }

    /**
     * {@link #legalSet} for a whole file, in memory proportional to its events rather than its
     * bytes: the event boundaries cut the offsets into segments over which the same events cover
     * every byte, so each segment has one list of <em>sources</em>, the events (or the initial
     * zero) whose byte at an offset is a legal value there. A 4 MiB file written once is one
     * segment with one or two sources, not four million 256-bit sets.
     */
    static final class FilePlan {
        private final List<DataEvent> events;
        /** Segment k is [starts[k], starts[k+1]) (the last one is unbounded); starts[0] = 0. */
        private final long[] starts;
        /** Per segment, the sources: an index into {@code events}, or -1 for the initial zero. */
        private final int[][] sources;
        private int cursor;

        private FilePlan(List<DataEvent> events, int completedThrough, int currentStep, int committedThrough) {
            this.events = events;
            int last = Math.max(completedThrough, currentStep);
            LongAVLTreeSet cuts = new LongAVLTreeSet();
            cuts.add(0L);
            for (DataEvent e : events) {
                if (e.step() > last) {
                    break;
                }
                if (e.kind() != DataEvent.Kind.SYNC && e.length() > 0) {
                    cuts.add(e.offset());
                    cuts.add(e.offset() + e.length());
                }
            }
            starts = cuts.toLongArray();
            sources = new int[starts.length][];
            for (int k = 0; k < starts.length; k++) {
                sources[k] = sourcesAt(events, starts[k], completedThrough, currentStep, committedThrough);
            }
        }

        /** {@link #legalSet}'s loop, recording which event gave each value instead of the value. */
        private static int[] sourcesAt(List<DataEvent> events, long offset, int completedThrough, int currentStep,
                                       int committedThrough) {
            int d = durablePoint(events, offset, completedThrough);
            int base = -1;
            IntArrayList set = new IntArrayList(2);
            boolean started = false;
            for (int i = 0; i < events.size(); i++) {
                DataEvent e = events.get(i);
                if (e.step() > currentStep) {
                    break;
                }
                if (!covers(e, offset) || e.kind() == DataEvent.Kind.SYNC) {
                    continue;
                }
                if (e.step() <= d) {
                    base = i;
                    continue;
                }
                if (!started) {
                    set.add(base);
                    started = true;
                }
                if (e.kind() == DataEvent.Kind.DISCARD && e.step() <= committedThrough) {
                    set.clear();
                }
                set.add(i);
            }
            if (!started) {
                set.add(base);
            }
            return set.toIntArray();
        }

        /** Whether {@code value} is legal for the byte at {@code offset}: {@link #legal}, for this plan. */
        boolean legal(long offset, int value) {
            int k = segment(offset);
            for (int source : sources[k]) {
                if (valueAt(source, offset) == (value & 0xff)) {
                    return true;
                }
            }
            return false;
        }

        /**
         * The first byte of {@code bytes[off..off+len)}, which holds the file bytes from
         * {@code offset} on, whose value is not legal, as an index from {@code off}; -1 when all are.
         */
        int firstIllegal(long offset, byte[] bytes, int off, int len) {
            int i = 0;
            while (i < len) {
                int k = segment(offset + i);
                int n = (int) Math.min(len - i, k + 1 == starts.length ? Long.MAX_VALUE : starts[k + 1] - (offset + i));
                int[] src = sources[k];
                // A byte is legal when some source gives it. Rather than asking every source about
                // every byte, take at each position the longest run one source gives in bulk; a
                // position no source gives (no run at all) is the first illegal byte.
                int j = i;
                int to = i + n;
                while (j < to) {
                    int best = 0;
                    for (int source : src) {
                        int run = run(source, offset + j, bytes, off + j, to - j);
                        if (run > best) {
                            best = run;
                            if (j + best == to) {
                                break;
                            }
                        }
                    }
                    if (best == 0) {
                        return j;
                    }
                    j += best;
                }
                i += n;
            }
            return -1;
        }

        /**
         * How many of {@code bytes[off..off+len)}, the file bytes from {@code offset} on, equal
         * what {@code source} gives there, counting from the first.
         */
        private int run(int source, long offset, byte[] bytes, int off, int len) {
            int m;
            if (source < 0 || events.get(source).kind() == DataEvent.Kind.DISCARD) {
                m = zeroRun(bytes, off, len);
            } else {
                DataEvent e = events.get(source);
                m = e.bytes().mismatch((int) (offset - e.offset()), bytes, off, len);
            }
            return m < 0 ? len : m;
        }

        private static final byte[] ZEROS = new byte[4096];

        /** The index of the first non-zero byte of {@code bytes[off..off+len)}, or -1. */
        private static int zeroRun(byte[] bytes, int off, int len) {
            int done = 0;
            while (done < len) {
                int n = Math.min(len - done, ZEROS.length);
                int m = java.util.Arrays.mismatch(bytes, off + done, off + done + n, ZEROS, 0, n);
                if (m >= 0) {
                    return done + m;
                }
                done += n;
            }
            return -1;
        }

        /** The first offset in [from, to) where zero is not legal, or -1. */
        long firstIllegalZero(long from, long to) {
            long o = from;
            while (o < to) {
                int k = segment(o);
                long end = k + 1 == starts.length ? to : Math.min(to, starts[k + 1]);
                if (!givesZeroEverywhere(sources[k])) {
                    for (long a = o; a < end; a += ZEROS.length) {
                        int i = firstIllegal(a, ZEROS, 0, (int) Math.min(end - a, ZEROS.length));
                        if (i >= 0) {
                            return a + i;
                        }
                    }
                }
                o = end;
            }
            return -1;
        }

        private boolean givesZeroEverywhere(int[] src) {
            for (int source : src) {
                if (source < 0 || events.get(source).kind() == DataEvent.Kind.DISCARD) {
                    return true;
                }
            }
            return false;
        }

        private int valueAt(int source, long offset) {
            if (source < 0) {
                return 0;
            }
            DataEvent e = events.get(source);
            return e.kind() == DataEvent.Kind.DISCARD ? 0 : e.bytes().get((int) (offset - e.offset())) & 0xff;
        }

        /** The segment holding {@code offset}; checks read offsets mostly in order, so try the last one first. */
        private int segment(long offset) {
            int k = cursor;
            if (starts[k] <= offset && (k + 1 == starts.length || offset < starts[k + 1])) {
                return k;
            }
            int lo = 0;
            int hi = starts.length - 1;
            while (lo < hi) {
                int mid = (lo + hi + 1) >>> 1;
                if (starts[mid] <= offset) {
                    lo = mid;
                } else {
                    hi = mid - 1;
                }
            }
            cursor = lo;
            return lo;
        }
    }

    private static boolean covers(DataEvent e, long offset) {
        return offset >= e.offset() && offset < e.offset() + e.length();
    }
}
