package dev.daxfuzz.oracle;

import dev.daxfuzz.fs.RecoveryWrites;
import dev.daxfuzz.pm.CrashImage;
import dev.daxfuzz.pm.CrashPoint;
import dev.daxfuzz.pm.DepthFirstChooser;
import dev.daxfuzz.pm.LayeredImage;
import dev.daxfuzz.pm.LazyImage;
import dev.daxfuzz.pm.Persistency;
import dev.daxfuzz.pm.PersistentMemory;
import dev.daxfuzz.pm.PmOptions;
import it.unimi.dsi.fastutil.ints.Int2IntOpenHashMap;
import it.unimi.dsi.fastutil.ints.IntArrayList;
import java.util.ArrayList;
import java.util.List;

/**
 * Fault model: power fails again while recovery runs (spec §8, {@code recovery-crashes}).
 *
 * <p>Injects: a power failure at every crash point of one recovery — before each of its persist
 * barriers takes effect — leaving any image the x86 persistency model allows of recovery's own
 * writes over the image it was recovering. Why: recovery is code that writes, and FlyTrap and
 * CrashMonkey's users found it a main source of persistent-memory file-system bugs; a journal
 * reset that persists before the replayed lines, or orphan cleanup done in unordered steps, is
 * only visible when power fails during recovery.
 *
 * <p>How: recovery's writes ({@link RecoveryWrites}) are issued again, in order, through a real
 * {@link PersistentMemory} — cached stores, then at each barrier a {@code clwb} of every line
 * stored since the last one and a fence that waits for them ({@code mfence}: jbd2's
 * {@code sync_blockdev} returns only once the writes are done) — whose lines are only the device lines
 * recovery writes, and which hold tags rather than data: each write to a line stores its own
 * number, so the emulator never mistakes a write of the bytes already there for no write at all.
 * Before each barrier the emulator's {@link CrashPoint} gives every image of those lines, explored
 * lazily box by box as a program's crash points are ({@link LazyImage}, {@link DepthFirstChooser});
 * the lazy image turns tags back into the written data, and a byte no persisted write covers
 * (tag 0) reads from the image being recovered, only when something reads it (the lazy image's
 * underlay), so a torn line costs runs only for the bytes the next recovery looks at. Each image is laid over the image
 * being recovered ({@link LayeredImage}) and handed to the visitor, which recovers it again.
 *
 * <p>Limits: a recovery that writes one line more than 255 times is not crashed (counted as a
 * cut); recovery runs on one CPU; the crash after its last barrier is not taken (everything
 * has persisted then: it is the image a completed recovery leaves, which the caller judges
 * anyway); the images of crashed recoveries explored for one crash point of the program are
 * bounded ({@link #startPoint}, the same bound as the point's own crash states), and a point
 * whose bound cut them is counted ({@link #cuts()}), never silent.
 */
public final class RecoveryCrashes {
    private static final int SITE = 0;
    /** Distinct non-zero byte values, so the most writes one line may take in one recovery. */
    private static final int TAGS_MAX = 255;
    private final Persistency persistency;
    private long runs;
    private long cuts;
    /** Images this crash point may still explore; Long.MAX_VALUE until a point sets a bound. */
    private long remaining = Long.MAX_VALUE;
    private boolean cutHere;
    private long perBarrier = Long.MAX_VALUE;

    public RecoveryCrashes(Persistency persistency) {
        this.persistency = persistency;
    }

    /** Receives one image a recovery crash can leave. */
    @FunctionalInterface
    public interface Visitor {
        /**
         * {@code image} is what power failing {@code where} (in words) leaves. Return false to
         * stop.
         */
        boolean visit(String where, CrashImage image);
    }

    /** Images visited so far, over every recovery. */
    public long runs() {
        return runs;
    }

    /** Crash points whose bound cut the exploration of crashed recoveries. */
    public long cuts() {
        return cuts;
    }

    /**
     * A new crash point of the program: from now on at most {@code maxImages} images of crashed
     * recoveries are explored, over every state of the point and every level.
     */
    public void startPoint(long maxImages) {
        startPoint(maxImages, Long.MAX_VALUE);
    }

    /**
     * As {@link #startPoint(long)}, and at most {@code maxImagesPerBarrier} images for each
     * barrier a recovery crashes before (the first ones, depth first): a sample that reaches
     * every barrier of a recovery, for fuzzing, where a bound shared by the whole point would be
     * spent on the first barrier's images.
     */
    public void startPoint(long maxImages, long maxImagesPerBarrier) {
        remaining = maxImages;
        perBarrier = maxImagesPerBarrier;
        cutHere = false;
    }

    /**
     * Visits every image power failing during a recovery of {@code base} that wrote
     * {@code writes} can leave; false when the visitor stopped it.
     */
    public boolean forEach(CrashImage base, RecoveryWrites writes, Visitor visitor) {
        // One pass splits the stores into per-line parts. The small device holds tags, not data:
        // part k of the writes to a line stores tag k+1 in the bytes it covers, and
        // data.get(line).get(k) holds its bytes. So no write is ever "the same bytes as before"
        // to the emulator, which would merge a persisted write with a lost one that the image
        // below tells apart.
        Int2IntOpenHashMap topLine = new Int2IntOpenHashMap();
        topLine.defaultReturnValue(-1);
        IntArrayList deviceLines = new IntArrayList();
        List<List<byte[]>> data = new ArrayList<>();
        // Per entry in order: for a store, its parts as (small-device line, offset, length)
        // triples; for a barrier, its label.
        List<Object> steps = new ArrayList<>();
        for (RecoveryWrites.Entry e : writes.entries()) {
            if (e instanceof RecoveryWrites.Barrier b) {
                steps.add(b.label());
                continue;
            }
            RecoveryWrites.Store s = (RecoveryWrites.Store) e;
            IntArrayList parts = new IntArrayList();
            int done = 0;
            while (done < s.length()) {
                long a = s.addr() + done;
                int in = (int) (a % PersistentMemory.LINE_BYTES);
                int n = Math.min(s.length() - done, PersistentMemory.LINE_BYTES - in);
                int device = (int) (a / PersistentMemory.LINE_BYTES);
                int t = topLine.get(device);
                if (t < 0) {
                    t = deviceLines.size();
                    topLine.put(device, t);
                    deviceLines.add(device);
                    data.add(new ArrayList<>());
                }
                if (data.get(t).size() == TAGS_MAX) {
                    // More writes to one line than tags: not explored, and said so.
                    cuts++;
                    return true;
                }
                byte[] bytes = new byte[PersistentMemory.LINE_BYTES];
                for (int k = 0; k < n; k++) {
                    bytes[in + k] = s.byteAt(done + k);
                }
                data.get(t).add(bytes);
                parts.add(t);
                parts.add(in);
                parts.add(n);
                done += n;
            }
            steps.add(parts);
        }
        if (deviceLines.isEmpty()) {
            return true;
        }
        PersistentMemory pm = new PersistentMemory(PmOptions.of(
                (long) deviceLines.size() * PersistentMemory.LINE_BYTES, persistency));
        LazyImage.Tags tags = (line, offset, tag) -> data.get(line).get(tag - 1)[offset];
        return replay(pm, base, topLine, deviceLines.toIntArray(), steps, tags, visitor);
    }

    private boolean replay(PersistentMemory pm, CrashImage base, Int2IntOpenHashMap topLine, int[] deviceLines,
                           List<Object> steps, LazyImage.Tags tags, Visitor visitor) {
        int[] issued = new int[deviceLines.length];
        IntArrayList dirty = new IntArrayList();
        boolean[] isDirty = new boolean[deviceLines.length];
        for (Object step : steps) {
            if (step instanceof IntArrayList parts) {
                for (int i = 0; i < parts.size(); i += 3) {
                    int t = parts.getInt(i);
                    pm.storeFill(0, (long) t * PersistentMemory.LINE_BYTES + parts.getInt(i + 1), (byte) ++issued[t],
                            parts.getInt(i + 2), SITE);
                    if (!isDirty[t]) {
                        isDirty[t] = true;
                        dirty.add(t);
                    }
                }
                continue;
            }
            if (dirty.isEmpty()) {
                continue;
            }
            if (!crashBefore(pm, base, topLine, deviceLines, tags, "before \"" + step + "\" was durable", visitor)) {
                return false;
            }
            for (int i = 0; i < dirty.size(); i++) {
                int t = dirty.getInt(i);
                pm.clwb(0, (long) t * PersistentMemory.LINE_BYTES, SITE);
                isDirty[t] = false;
            }
            dirty.clear();
            // The barrier waits until the write-backs are done, as sync_blockdev does: an
            // mfence drains the buffer, so the epoch is durable before the next store.
            pm.mfence(0, SITE);
        }
        if (!dirty.isEmpty()) {
            return crashBefore(pm, base, topLine, deviceLines, tags,
                    "after its last barrier, with stores not yet written back", visitor);
        }
        return true;
    }

    /**
     * The crash point just before a barrier's write-backs are issued. Under ADR it is taken after
     * the stores have drained to the cache: each line then ranges from its durable content to all
     * of its stores, one box that holds every image an earlier instant of the epoch could leave
     * (a store still buffered is a store whose line did not persist it), so the stores' many
     * propagation orders need not be walked one by one. Under eADR a drained store is durable, so
     * the buffer is left as it is and its prefixes are the images.
     */
    private boolean crashBefore(PersistentMemory pm, CrashImage base, Int2IntOpenHashMap topLine, int[] deviceLines,
                                LazyImage.Tags tags, String where, Visitor visitor) {
        if (persistency == Persistency.ADR) {
            pm.serialize();
        }
        CrashPoint cp = pm.crashPoint();
        boolean[] stopped = {false};
        long[] here = {0};
        cp.forEachBox(box -> {
            DepthFirstChooser chooser = new DepthFirstChooser();
            do {
                if (remaining <= 0 || here[0]++ >= perBarrier) {
                    if (!cutHere) {
                        cutHere = true;
                        cuts++;
                    }
                    return false;
                }
                remaining--;
                runs++;
                LazyImage top = new LazyImage(box, chooser, base, deviceLines, tags);
                if (!visitor.visit(where, new LayeredImage(base, top, topLine))) {
                    stopped[0] = true;
                    return false;
                }
            } while (chooser.advance());
            return true;
        });
        return !stopped[0];
    }
}
