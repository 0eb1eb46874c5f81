package dev.daxfuzz.oracle;

import dev.daxfuzz.oracle.model.DataEvent;
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

    private static boolean covers(DataEvent e, long offset) {
        return offset >= e.offset() && offset < e.offset() + e.length();
    }
}
