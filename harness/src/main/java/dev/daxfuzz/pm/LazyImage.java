package dev.daxfuzz.pm;

import it.unimi.dsi.fastutil.ints.IntArrayList;
import it.unimi.dsi.fastutil.ints.IntList;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * All the images of a {@link CrashBox} at once, resolved only as far as the code reading them
 * looks. Each line in flight starts as the class of every content it can have in the box. A read
 * splits the class of each line it touches by the value of the bytes read; when that value is not
 * the same for the whole class, a {@link Chooser} picks which part this run follows (the part with
 * the most persisted content first). Bytes nobody reads never cause a choice.
 *
 * <p>So a deterministic check (recover, fsck, compare) run once per choice sequence, with a
 * {@link DepthFirstChooser}, covers every image of the box: each run stands for every image that
 * agrees with it on all the bytes it read, and those images make the check take exactly the same
 * steps. This is the lazy exploration of Jaaru (Gorjiara et al., ASPLOS 2021) at the granularity
 * of the x86 model's persistence pieces. The number of runs is the number of distinguishable
 * outcomes, not the number of images: a torn journal block whose commit record never persisted
 * costs one run, not one per subset of its pieces.
 *
 * <p>{@link #forEachPossible} lets a check that judges each byte on its own (such as file data
 * against what was written) see every value a range can take without branching at all.
 *
 * <p>Every read, with the bytes it returned, is folded into a 128-bit {@linkplain #observation1()
 * observation fingerprint}: two runs with equal fingerprints read the same bytes in the same order,
 * so they were the same run.
 */
public final class LazyImage implements CrashImage {
    private static final java.lang.invoke.VarHandle LONGS = java.lang.invoke.MethodHandles.byteArrayViewVarHandle(
            long[].class, java.nio.ByteOrder.LITTLE_ENDIAN);
    private static final java.lang.invoke.VarHandle INTS = java.lang.invoke.MethodHandles.byteArrayViewVarHandle(
            int[].class, java.nio.ByteOrder.LITTLE_ENDIAN);
    private static final java.lang.invoke.VarHandle SHORTS = java.lang.invoke.MethodHandles.byteArrayViewVarHandle(
            short[].class, java.nio.ByteOrder.LITTLE_ENDIAN);
    private final CrashBox box;
    private final CrashPoint point;
    private final Chooser chooser;
    /**
     * Per slot, the variants still possible, or null while the slot is untouched. Never changed
     * in place (a narrowing replaces the list), so an untouched slot's class can be the box's own
     * list of choices.
     */
    private final IntList[] classes;
    private final byte[] scratch = new byte[PersistentMemory.LINE_BYTES];
    private boolean inDigest;
    private boolean digestFailed;
    private long obs1 = 0x9E3779B97F4A7C15L;
    private long obs2 = 0x2545F4914F6CDD1DL;
    private int choices;

    /**
     * With an underlay: the emulated device's line i stands for line {@code underLine[i]} of
     * {@code under}, and holds tags, not data ({@link Tags}). Null when there is none.
     */
    private final CrashImage under;
    private final int[] underLine;
    private final Tags tags;

    /**
     * How a tagged device is read: each byte of it holds 0 where nothing was written, else the
     * tag of the write whose byte persisted there; the data it stands for is {@link #data}. Tags
     * are what the emulator sees, so two writes of the same bytes (or a write of what was there)
     * stay distinct outcomes, as they are for the code that reads the data through the underlay.
     */
    public interface Tags {
        /** The byte that write {@code tag} (1 to 255) put at {@code offset} of the device's line {@code line}. */
        byte data(int line, int offset, int tag);
    }

    public LazyImage(CrashBox box, Chooser chooser) {
        this(box, chooser, null, null, null);
    }

    /**
     * A lazy image of {@code box} over an underlay: a device that holds only the lines some code
     * wrote (recovery, replayed through the emulator), as tags ({@link Tags}); line i of it stands
     * for line {@code underLine[i]} of {@code under}. A byte whose tag is 0 (no persisted write
     * covers it) reads from {@code under}, and only when it is read, so a lazily explored
     * {@code under} learns exactly the bytes the verdict depends on. Classes split on the data as
     * read, as without an underlay.
     */
    public LazyImage(CrashBox box, Chooser chooser, CrashImage under, int[] underLine, Tags tags) {
        this.box = box;
        this.point = box.point;
        this.chooser = chooser;
        this.classes = new IntList[point.slotCount];
        this.under = under;
        this.underLine = underLine;
        this.tags = tags;
    }

    @Override
    public long size() {
        return point.durable().length;
    }

    @Override
    public boolean poisoned(long addr, long len) {
        return point.poisoned(addr, len);
    }

    /** Choices this run made (reads that could have gone more than one way). */
    public int choicesMade() {
        return choices;
    }

    public long observation1() {
        // Lane 1 is finalised here rather than after every read: reads are many, fingerprints few.
        return Fingerprints.mix(obs1);
    }

    public long observation2() {
        return obs2;
    }

    private IntList classOf(int s) {
        IntList c = classes[s];
        if (c == null) {
            c = box.choices(s);
            classes[s] = c;
        }
        return c;
    }

    @Override
    public byte read(long addr) {
        byte[] one = new byte[1];
        read(addr, one, 0, 1);
        return one[0];
    }

    @Override
    public void read(long addr, byte[] dst, int off, int len) {
        byte[] durable = point.durable();
        if (addr < 0 || len < 0 || addr + len > durable.length) {
            throw new IndexOutOfBoundsException("read [" + addr + ", +" + len + ") of " + durable.length);
        }
        if (under != null) {
            readOver(addr, dst, off, len);
            return;
        }
        long end = addr + len;
        long a = addr;
        while (a < end) {
            long line = a >>> PersistentMemory.LINE_SHIFT;
            long lineEnd = Math.min(end, (line + 1) << PersistentMemory.LINE_SHIFT);
            int from = (int) (a & (PersistentMemory.LINE_BYTES - 1));
            int n = (int) (lineEnd - a);
            int s = point.slotOf((int) line);
            if (s < 0) {
                System.arraycopy(durable, (int) a, dst, off + (int) (a - addr), n);
            } else {
                int v = narrow(s, from, n);
                System.arraycopy(point.cachedContent(s, v), from, dst, off + (int) (a - addr), n);
            }
            observe(a, dst, off + (int) (a - addr), n);
            a = lineEnd;
        }
    }

    /** {@link #read} with an underlay, line by line. */
    private void readOver(long addr, byte[] dst, int off, int len) {
        byte[] durable = point.durable();
        long end = addr + len;
        long a = addr;
        byte[] below = new byte[PersistentMemory.LINE_BYTES];
        while (a < end) {
            int line = (int) (a >>> PersistentMemory.LINE_SHIFT);
            long lineEnd = Math.min(end, ((long) line + 1) << PersistentMemory.LINE_SHIFT);
            int from = (int) (a & (PersistentMemory.LINE_BYTES - 1));
            int n = (int) (lineEnd - a);
            int at = off + (int) (a - addr);
            int s = point.slotOf(line);
            if (s < 0) {
                byte[] lineTags = new byte[n];
                System.arraycopy(durable, (int) a, lineTags, 0, n);
                decode(line, from, n, lineTags, 0, below, false, dst, at);
            } else {
                narrowOver(s, line, from, n, below, dst, at);
            }
            observe(a, dst, at, n);
            a = lineEnd;
        }
    }

    /**
     * The data of bytes [from, from+n) of a line whose tags are {@code t[tOff..]}; reads the
     * underlay into {@code below} first unless {@code haveBelow}. Returns whether {@code below}
     * now holds the underlay's bytes.
     */
    private boolean decode(int line, int from, int n, byte[] t, int tOff, byte[] below, boolean haveBelow, byte[] dst,
                           int at) {
        for (int k = 0; k < n; k++) {
            int tag = t[tOff + k] & 0xff;
            if (tag == 0) {
                if (!haveBelow) {
                    under.read(((long) underLine[line] << PersistentMemory.LINE_SHIFT) + from, below, 0, n);
                    haveBelow = true;
                }
                dst[at + k] = below[k];
            } else {
                dst[at + k] = tags.data(line, from + k, tag);
            }
        }
        return haveBelow;
    }

    /**
     * Narrows slot {@code s} by the data of bytes [from, from+n) as read over the underlay and
     * writes them to {@code dst}: the class left is the part the chooser picked.
     */
    private void narrowOver(int s, int line, int from, int n, byte[] below, byte[] dst, int at) {
        IntList c = classOf(s);
        boolean haveBelow = false;
        List<IntArrayList> groups = new ArrayList<>();
        List<byte[]> keys = new ArrayList<>();
        for (int i = 0; i < c.size(); i++) {
            int v = c.getInt(i);
            byte[] key = new byte[n];
            haveBelow = decode(line, from, n, point.cachedContent(s, v), from, below, haveBelow, key, 0);
            int g = -1;
            for (int k = 0; k < keys.size(); k++) {
                if (Arrays.equals(keys.get(k), key)) {
                    g = k;
                    break;
                }
            }
            if (g < 0) {
                keys.add(key);
                groups.add(new IntArrayList());
                g = groups.size() - 1;
            }
            groups.get(g).add(v);
        }
        int pick = 0;
        if (groups.size() > 1) {
            if (inDigest) {
                // Two parts only, as narrowForDigest: the box's latest content, or not (and then
                // stop distinguishing).
                IntList all = box.choices(s);
                byte[] latestKey = new byte[n];
                decode(line, from, n, point.cachedContent(s, all.getInt(all.size() - 1)), from, below, haveBelow,
                        latestKey, 0);
                int latestGroup = -1;
                for (int g = 0; g < keys.size(); g++) {
                    if (Arrays.equals(keys.get(g), latestKey)) {
                        latestGroup = g;
                    }
                }
                boolean same = latestGroup >= 0 && !digestFailed && chooser.choose(2) == 0;
                if (latestGroup >= 0 && !digestFailed) {
                    choices++;
                }
                if (same) {
                    pick = latestGroup;
                } else {
                    IntArrayList rest = new IntArrayList();
                    int shown = -1;
                    for (int g = 0; g < groups.size(); g++) {
                        if (g != latestGroup || digestFailed) {
                            rest.addAll(groups.get(g));
                            shown = g;
                        }
                    }
                    classes[s] = rest;
                    digestFailed = true;
                    System.arraycopy(keys.get(shown), 0, dst, at, n);
                    return;
                }
            } else {
                pick = groups.size() - 1 - chooser.choose(groups.size());
                choices++;
            }
            classes[s] = groups.get(pick);
        }
        System.arraycopy(keys.get(pick), 0, dst, at, n);
    }

    /**
     * Narrows slot {@code s} to the variants agreeing on bytes [from, from+n) with the part the
     * chooser picks; returns a member of the class.
     */
    private int narrow(int s, int from, int n) {
        IntList c = classOf(s);
        if (c.size() == 1) {
            return c.getInt(0);
        }
        if (inDigest) {
            return narrowForDigest(s, c, from, n);
        }
        // Group the class by the value of the bytes read; groups keep the class's order.
        List<IntArrayList> groups = new ArrayList<>();
        List<byte[]> keys = new ArrayList<>();
        for (int i = 0; i < c.size(); i++) {
            int v = c.getInt(i);
            byte[] content = point.cachedContent(s, v);
            int g = -1;
            for (int k = 0; k < keys.size(); k++) {
                if (Arrays.equals(keys.get(k), 0, n, content, from, from + n)) {
                    g = k;
                    break;
                }
            }
            if (g < 0) {
                keys.add(Arrays.copyOfRange(content, from, from + n));
                groups.add(new IntArrayList());
                g = groups.size() - 1;
            }
            groups.get(g).add(v);
        }
        if (groups.size() == 1) {
            return c.getInt(0);
        }
        // Most persisted first: the group holding the class's last (most persisted) variant.
        int pick = chooser.choose(groups.size());
        choices++;
        IntArrayList chosen = groups.get(groups.size() - 1 - pick);
        classes[s] = chosen;
        return chosen.getInt(0);
    }

    @Override
    public void digestStart() {
        inDigest = true;
        digestFailed = false;
    }

    @Override
    public void digestEnd() {
        inDigest = false;
        digestFailed = false;
    }

    /**
     * A read feeding a checksum: two parts only, the variants whose bytes equal the latest
     * content's and the others; once the checksum has failed, no part at all.
     */
    private int narrowForDigest(int s, IntList c, int from, int n) {
        int latest = c.getInt(c.size() - 1);
        if (digestFailed) {
            return latest;
        }
        // "Latest" is the box's most persisted content, not this class's: a line already known
        // not to hold it on these bytes is not split again when another digest reads them (a
        // recovery that runs again after its own crash re-reads the same log).
        IntList all = box.choices(s);
        byte[] want = point.cachedContent(s, all.getInt(all.size() - 1));
        IntArrayList same = new IntArrayList();
        IntArrayList other = new IntArrayList();
        for (int i = 0; i < c.size(); i++) {
            int v = c.getInt(i);
            byte[] content = point.cachedContent(s, v);
            (Arrays.equals(content, from, from + n, want, from, from + n) ? same : other).add(v);
        }
        if (other.isEmpty()) {
            return latest;
        }
        if (same.isEmpty()) {
            digestFailed = true;
            return latest;
        }
        int pick = chooser.choose(2);
        choices++;
        if (pick == 0) {
            classes[s] = same;
            return same.getInt(same.size() - 1);
        }
        classes[s] = other;
        digestFailed = true;
        return other.getInt(other.size() - 1);
    }

    private void content(int s, int v) {
        point.variantContent(s, v, scratch);
    }

    /**
     * Folds one read into the fingerprint, eight bytes at a time (the tail packed into one word;
     * the length, folded in first, tells a short tail from zeros): lane 1 takes each word through
     * MurmurHash3's block step, lane 2 through its finaliser, so the two lanes stay independent.
     */
    private void observe(long addr, byte[] bytes, int off, int len) {
        long h1 = obs1 ^ (addr * 0x9E3779B97F4A7C15L) ^ len;
        long h2 = obs2 + addr * 0xC2B2AE3D27D4EB4FL + len;
        int i = 0;
        for (; i + Long.BYTES <= len; i += Long.BYTES) {
            long w = (long) LONGS.get(bytes, off + i);
            h1 = block(h1, w);
            h2 = Fingerprints.mix(h2 + w + i);
        }
        if (i < len) {
            // The tail, little-endian, as whole 4-, 2- and 1-byte pieces (most reads are fields).
            long w = 0;
            int shift = 0;
            if (len - i >= Integer.BYTES) {
                w = (int) INTS.get(bytes, off + i) & 0xFFFFFFFFL;
                i += Integer.BYTES;
                shift = Integer.SIZE;
            }
            if (len - i >= Short.BYTES) {
                w |= ((short) SHORTS.get(bytes, off + i) & 0xFFFFL) << shift;
                i += Short.BYTES;
                shift += Short.SIZE;
            }
            if (i < len) {
                w |= (bytes[off + i] & 0xFFL) << shift;
            }
            i = len & ~(Long.BYTES - 1); // where the tail started, as before
            h1 = block(h1, w);
            h2 = Fingerprints.mix(h2 + w + i);
        }
        obs1 = h1;
        obs2 = h2;
    }

    /** MurmurHash3 x64's step for one 8-byte block {@code k} into hash {@code h}. */
    private static long block(long h, long k) {
        k *= 0x87C37B91114253D5L;
        k = Long.rotateLeft(k, 31);
        k *= 0x4CF5AD432745937FL;
        h ^= k;
        return Long.rotateLeft(h, 27) * 5 + 0x52DCE729;
    }

    /**
     * Shows every value that bytes [addr, addr+len) can take in the images this run stands for,
     * line by line, without making a choice. Returns false when the consumer picked a witness.
     */
    @Override
    public boolean forEachPossible(long addr, int len, CrashImage.PossibleValues consumer) {
        if (under != null) {
            // Over an underlay the values are not the box's alone: read (and narrow) instead.
            return CrashImage.super.forEachPossible(addr, len, consumer);
        }
        byte[] durable = point.durable();
        long end = addr + len;
        long a = addr;
        while (a < end) {
            long line = a >>> PersistentMemory.LINE_SHIFT;
            long lineEnd = Math.min(end, (line + 1) << PersistentMemory.LINE_SHIFT);
            int from = (int) (a & (PersistentMemory.LINE_BYTES - 1));
            int n = (int) (lineEnd - a);
            int s = point.slotOf((int) line);
            if (s < 0) {
                if (!consumer.accept(a, durable, (int) a, n)) {
                    return false;
                }
            } else if (classes[s] == null && !box.fullOnly[s] && box.low[s] != box.high[s]) {
                // An untouched range: in a torn variant each byte equals that byte in one of the
                // whole-write prefixes, so the prefixes show every value of every byte.
                int jLow = point.fullWritesOf(s, box.low[s]);
                int jHigh = point.fullWritesOf(s, box.high[s]);
                List<byte[]> seen = new ArrayList<>();
                for (int j = jHigh; j >= jLow; j--) {
                    byte[] key = Arrays.copyOfRange(point.fullContent(s, j), from, from + n);
                    if (!firstTime(seen, key)) {
                        continue;
                    }
                    if (!consumer.accept(a, key, 0, n)) {
                        classes[s] = IntArrayList.of(point.varPos[point.varFrom[s] + j]);
                        return false;
                    }
                }
            } else {
                IntList c = classOf(s);
                List<byte[]> seen = new ArrayList<>();
                for (int i = c.size() - 1; i >= 0; i--) {
                    byte[] key = Arrays.copyOfRange(point.cachedContent(s, c.getInt(i)), from, from + n);
                    if (!firstTime(seen, key)) {
                        continue;
                    }
                    if (!consumer.accept(a, key, 0, n)) {
                        IntArrayList keep = new IntArrayList();
                        for (int j = 0; j < c.size(); j++) {
                            if (Arrays.equals(point.cachedContent(s, c.getInt(j)), from, from + n, key, 0, n)) {
                                keep.add(c.getInt(j));
                            }
                        }
                        classes[s] = keep;
                        return false;
                    }
                }
            }
            a = lineEnd;
        }
        return true;
    }

    /**
     * How many persistence outcomes of the box this run stands for: the product, over the lines
     * in flight, of the variants (prefix and pieces) still possible for each, saturating at
     * {@link Long#MAX_VALUE}. Variants with equal contents count separately, so this bounds the
     * number of distinct images from above; it is cheap because untouched lines are not resolved.
     */
    public long imagesStoodFor() {
        long n = 1;
        for (int s = 0; s < point.slotCount; s++) {
            long c;
            if (classes[s] != null) {
                c = classes[s].size();
            } else if (box.fullOnly[s]) {
                c = point.fullWritesOf(s, box.high[s]) - point.fullWritesOf(s, box.low[s]) + 1L;
            } else {
                c = box.high[s] - box.low[s] + 1L;
            }
            if (c > 1) {
                n = n > Long.MAX_VALUE / c ? Long.MAX_VALUE : n * c;
            }
        }
        return n;
    }

    /** Adds {@code key} to {@code seen}; false when an equal key was there already. */
    private static boolean firstTime(List<byte[]> seen, byte[] key) {
        for (byte[] k : seen) {
            if (Arrays.equals(k, key)) {
                return false;
            }
        }
        seen.add(key);
        return true;
    }

    /** The variant each line in flight stands at in this run (a representative of its class). */
    int[] representative() {
        int[] v = new int[point.slotCount];
        for (int s = 0; s < point.slotCount; s++) {
            IntList c = classes[s] != null ? classes[s] : box.choices(s);
            // The most persisted member: what the run saw, with everything unread as late as possible.
            v[s] = c.getInt(c.size() - 1);
        }
        return v;
    }

    /** How a representative image of this run came about. */
    public Provenance provenance() {
        return box.provenance(representative());
    }

    /** A copy of a representative image of this run (every untouched line at its most persisted). */
    public byte[] representativeBytes() {
        byte[] out = point.durable().clone();
        int[] v = representative();
        for (int s = 0; s < point.slotCount; s++) {
            content(s, v[s]);
            System.arraycopy(scratch, 0, out, point.slotLine[s] << PersistentMemory.LINE_SHIFT,
                    PersistentMemory.LINE_BYTES);
        }
        return out;
    }
}
