package dev.daxfuzz.pm;

import it.unimi.dsi.fastutil.ints.IntArrayList;
import it.unimi.dsi.fastutil.ints.IntOpenHashSet;
import java.util.Arrays;

/**
 * An emulated persistent-memory device with the x86 persistency model, exact enough that every
 * persistent image a power failure could leave is one of its crash states, and nothing else is.
 *
 * <h2>The model</h2>
 * Px86 (Raad, Wickerson, Neiger, Vafeiadis, "Persistency Semantics of the Intel-x86
 * Architecture", POPL 2020) in the equivalent PTSO-syn form (Khyzha and Lahav, "Taming x86-TSO
 * Persistency", POPL 2021), plus 8-byte power-fail atomicity and non-temporal stores:
 * <ul>
 *   <li><b>Store buffers.</b> Each CPU issues stores, non-temporal stores, clflush, clflushopt,
 *   clwb, sfence and mfence into its own store buffer, in program order. Entries propagate out of
 *   the buffer by the SDM's ordering rules ({@link EntryKind#mayOvertake}); whatever is still in a
 *   buffer at power failure is lost. An mfence stalls its CPU until the buffer is empty.
 *   <li><b>Loads</b> see the CPU's own buffered stores first, then memory.
 *   <li><b>Per-line persistence.</b> A write that has propagated sits in the cache. Writes to one
 *   cache line persist in propagation order; different lines persist independently, at any time
 *   (eviction). A flush persists its line's propagated writes at the moment it propagates
 *   (synchronous flushes: PTSO-syn's result is that this gives the same crash states as Px86's
 *   asynchronous ones).
 *   <li><b>Atomicity.</b> A store is split into naturally aligned pieces of at most 8 bytes; each
 *   piece persists whole or not at all, and nothing larger is atomic: the pieces of one store in
 *   one line may persist in any order, but all before any later store to that line.
 *   <li><b>Non-temporal stores</b> bypass the cache: they may persist as soon as they propagate,
 *   and have persisted at the latest when a later sfence or mfence of the same CPU propagates.
 *   A non-temporal store to a line writes back the line's older cached writes first.
 *   <li><b>ADR or eADR.</b> Under ADR the caches are lost at power failure; under eADR they are
 *   flushed, so every propagated write survives (a store caught half-way out of the buffer may
 *   still be torn at its 8-byte pieces).
 *   <li><b>Serialising points.</b> {@link #serialize()} (the end of a system call) drains every
 *   store buffer. It is not a fence: it forces no non-temporal store to persist.
 * </ul>
 *
 * <h2>How crash states are computed</h2>
 * Entries stay in their store buffer until something forces them out: an mfence or a serialising
 * point, at which the buffer propagates in program order. For one CPU this representative is
 * exact: for any set of propagated entries, propagating them in program order leaves every later
 * flush's cut as small as possible and so reaches a superset of the images any other order
 * reaches. {@link #crashPoint()} then enumerates every valid set of propagated buffer entries and,
 * for each, every combination of per-line persisted prefixes (see {@link CrashPoint}).
 * A randomised differential test checks this against a literal interleaving explorer.
 *
 * <h2>What it leaves out</h2>
 * <ul>
 *   <li>Cross-CPU interleaving: with several CPUs, writes of different CPUs to one line are taken
 *   to reach the cache in the order they were issued, and only one store per crash is caught
 *   half-way; each CPU's own reorderings are explored. Programs are single-CPU today.
 *   <li>Loads do not constrain anything (no load buffering, no locked instructions, no
 *   string/WC-memory types, no speculative loads).
 *   <li>Bit flips and torn writes within an aligned 8-byte word: the device is assumed to honour
 *   the architectural power-fail atomicity. Media poison is modelled (see below); other media
 *   faults are not.
 *   <li>AMD's weaker clflush ordering (ordered only by mfence).
 * </ul>
 *
 * <h2>Poison</h2>
 * A cache line can be poisoned ({@link #poison}): its media is bad, as the device's badblocks
 * list reports it, and a consuming read takes a machine check. x86 reports machine checks per
 * line, so a line is the unit. Poison is media state, not data: it changes at once and durably
 * (no store buffer, no cache), every crash point carries the poison set of its instant
 * ({@link CrashImage#poisoned}), and it survives power failure. The emulator only records it;
 * {@link #load} still returns the bytes the line holds, and whoever consumes them (the file
 * system, the address space, a runner) asks {@link #poisoned} first, as Linux consults
 * badblocks before {@code dax_direct_access} hands out the memory. {@link #clearPoison} is what
 * the driver's {@code pmem_clear_poison} does for a write that covers whole lines; the line
 * keeps the bytes it had (what the controller writes while clearing is not modelled), and the
 * covering write that follows supplies new ones through the ordinary persistence rules.
 *
 * <p>Every instruction takes a {@code site}: an opaque number chosen by the caller (a program
 * line, a code location of the file system) that crash-state provenance reports back.
 *
 * <p>Not thread-safe: one emulator belongs to one simulated machine.
 */
public final class PersistentMemory {
    /** Bytes in a cache line. */
    public static final int LINE_BYTES = 64;
    /** Bytes in the largest power-fail-atomic piece. */
    public static final int WORD_BYTES = 8;
    static final int LINE_SHIFT = 6;
    static final EntryKind[] KINDS = EntryKind.values();

    private final PmOptions options;
    final byte[] durable;
    final byte[] cache;
    final StoreBuffer[] buffers;
    final PendingLines pending = new PendingLines();
    final DataPool pool = new DataPool();
    /** Per CPU, the lines whose FIFO holds a non-temporal write of that CPU. */
    private final IntOpenHashSet[] nonTemporalLines;

    private long sequence;
    private long generation;
    long durableFp1;
    long durableFp2;
    private int crashPointsTaken;
    /** Poisoned lines, one bit each; null while no line was ever poisoned (the common case costs nothing). */
    private long[] poison;
    private int poisonedLines;

    public PersistentMemory(PmOptions options) {
        this.options = options;
        this.durable = new byte[(int) options.deviceBytes()];
        this.cache = new byte[(int) options.deviceBytes()];
        this.buffers = new StoreBuffer[options.cpus()];
        this.nonTemporalLines = new IntOpenHashSet[options.cpus()];
        for (int c = 0; c < options.cpus(); c++) {
            buffers[c] = new StoreBuffer(c);
            nonTemporalLines[c] = new IntOpenHashSet();
        }
        ZeroFingerprint z = zeroFingerprint(lineCount());
        durableFp1 = z.fp1();
        durableFp2 = z.fp2();
    }

    /** The fingerprint of an all-zero device of some number of lines. */
    private record ZeroFingerprint(int lines, long fp1, long fp2) {
    }

    /**
     * The last all-zero fingerprint computed: every emulator of a run (and of a campaign) has the
     * same device size, and summing a term per line cost as much as the rest of setting up a
     * device. A constant of the size, so sharing it between threads is safe.
     */
    private static volatile ZeroFingerprint lastZero = new ZeroFingerprint(0, 0, 0);

    private static ZeroFingerprint zeroFingerprint(int lines) {
        ZeroFingerprint z = lastZero;
        if (z.lines() == lines) {
            return z;
        }
        long h1 = ZERO_LINE_HASH_1;
        long h2 = ZERO_LINE_HASH_2;
        long fp1 = 0;
        long fp2 = 0;
        for (int l = 0; l < lines; l++) {
            fp1 += Fingerprints.term1(l, h1);
            fp2 += Fingerprints.term2(l, h2);
        }
        z = new ZeroFingerprint(lines, fp1, fp2);
        lastZero = z;
        return z;
    }

    public PmOptions options() {
        return options;
    }

    public long deviceBytes() {
        return durable.length;
    }

    int lineCount() {
        return durable.length >>> LINE_SHIFT;
    }

    /** Changes with every instruction; crash points and images check it to refuse stale use. */
    long generation() {
        return generation;
    }

    // ---- instructions ------------------------------------------------------------------------

    /** A write-back (cached) store of {@code len} bytes of {@code src} at {@code addr}. */
    public void store(int cpu, long addr, byte[] src, int off, int len, int site) {
        checkRange(addr, len);
        issueWrite(cpu, EntryKind.STORE, addr, len, pool.append(src, off, len), site);
    }

    /** A non-temporal store (movnti/movntdq) of {@code len} bytes of {@code src} at {@code addr}. */
    public void ntStore(int cpu, long addr, byte[] src, int off, int len, int site) {
        checkRange(addr, len);
        issueWrite(cpu, EntryKind.NT_STORE, addr, len, pool.append(src, off, len), site);
    }

    /** A cached store of the low {@code width} bytes of {@code value}, little-endian. */
    public void storeLong(int cpu, long addr, long value, int width, int site) {
        checkWidth(width);
        checkRange(addr, width);
        issueWrite(cpu, EntryKind.STORE, addr, width, pool.appendLittleEndian(value, width), site);
    }

    /** A non-temporal store of the low {@code width} bytes of {@code value}, little-endian. */
    public void ntStoreLong(int cpu, long addr, long value, int width, int site) {
        checkWidth(width);
        checkRange(addr, width);
        issueWrite(cpu, EntryKind.NT_STORE, addr, width, pool.appendLittleEndian(value, width), site);
    }

    /** A cached store of {@code len} copies of {@code value} (memset). */
    public void storeFill(int cpu, long addr, byte value, int len, int site) {
        checkRange(addr, len);
        issueWrite(cpu, EntryKind.STORE, addr, len, pool.appendFill(value, len), site);
    }

    /** A non-temporal store of {@code len} copies of {@code value} (memset_nt). */
    public void ntStoreFill(int cpu, long addr, byte value, int len, int site) {
        checkRange(addr, len);
        issueWrite(cpu, EntryKind.NT_STORE, addr, len, pool.appendFill(value, len), site);
    }

    /** clflush of the line holding {@code addr}. */
    public void clflush(int cpu, long addr, int site) {
        issueFlush(cpu, EntryKind.CLFLUSH, addr, site);
    }

    /** clflushopt of the line holding {@code addr}. */
    public void clflushopt(int cpu, long addr, int site) {
        issueFlush(cpu, EntryKind.CLFLUSHOPT, addr, site);
    }

    /** clwb of the line holding {@code addr}. */
    public void clwb(int cpu, long addr, int site) {
        issueFlush(cpu, EntryKind.CLWB, addr, site);
    }

    /** Issues the flush of the given kind; {@code kind} must be a flush. */
    public void flush(int cpu, EntryKind kind, long addr, int site) {
        if (!kind.isFlush()) {
            throw new IllegalArgumentException(kind + " is not a flush");
        }
        issueFlush(cpu, kind, addr, site);
    }

    /** sfence: ordered with every older and younger entry; forces older non-temporal stores out. */
    public void sfence(int cpu, int site) {
        StoreBuffer b = buffer(cpu);
        generation++;
        b.add(EntryKind.SFENCE, 0, 0, 0, site, sequence++);
    }

    /** mfence: the CPU stalls until its store buffer has drained, then the fence takes effect. */
    public void mfence(int cpu, int site) {
        StoreBuffer b = buffer(cpu);
        generation++;
        sequence++;
        drain(b);
        forceNonTemporal(cpu);
    }

    /**
     * A serialising point, such as the return from a system call: every CPU's store buffer
     * drains. Not a fence: non-temporal stores that propagate here may still be in flight.
     */
    public void serialize() {
        generation++;
        for (StoreBuffer b : buffers) {
            drain(b);
        }
    }

    /** Loads {@code len} bytes at {@code addr} as {@code cpu} sees them: its buffer first. */
    public void load(int cpu, long addr, byte[] dst, int off, int len) {
        checkRange(addr, len);
        StoreBuffer b = buffer(cpu);
        System.arraycopy(cache, (int) addr, dst, off, len);
        if (b.forwardData.isEmpty()) {
            return;
        }
        long end = addr + len;
        for (long line = addr >>> LINE_SHIFT; (line << LINE_SHIFT) < end; line++) {
            byte[] fwd = b.forwardData.get((int) line);
            if (fwd == null) {
                continue;
            }
            long mask = b.forwardMask.get((int) line);
            long lineStart = line << LINE_SHIFT;
            long from = Math.max(addr, lineStart);
            long to = Math.min(end, lineStart + LINE_BYTES);
            for (long a = from; a < to; a++) {
                int i = (int) (a - lineStart);
                if ((mask & (1L << i)) != 0) {
                    dst[off + (int) (a - addr)] = fwd[i];
                }
            }
        }
    }

    /** Loads {@code width} bytes at {@code addr} as a little-endian unsigned value. */
    public long loadLong(int cpu, long addr, int width) {
        checkWidth(width);
        byte[] tmp = new byte[width];
        load(cpu, addr, tmp, 0, width);
        long v = 0;
        for (int i = width - 1; i >= 0; i--) {
            v = (v << 8) | (tmp[i] & 0xff);
        }
        return v;
    }

    /**
     * Writes bytes straight into the durable image and memory, as if they had been persisted long
     * before: for formatting a device or setting up a test. Refused while anything is pending,
     * because it would otherwise bypass the persistence order.
     */
    public void initialize(long addr, byte[] src, int off, int len) {
        checkRange(addr, len);
        if (!quiescent()) {
            throw new IllegalStateException("initialize needs a quiescent device");
        }
        generation++;
        int a = (int) addr;
        forEachLine(a, len, (line) -> unhashDurableLine(line));
        System.arraycopy(src, off, durable, a, len);
        forEachLine(a, len, (line) -> hashDurableLine(line));
        System.arraycopy(src, off, cache, a, len);
    }

    // ---- media poison ----------------------------------------------------------------------------

    /**
     * Poisons every line overlapping [addr, addr+len): from now on, and in every crash image, the
     * media under them is bad. Immediate and durable; nothing is stored.
     */
    public void poison(long addr, long len) {
        checkRange(addr, len);
        if (poison == null) {
            poison = new long[(lineCount() + 63) >>> 6];
        }
        generation++;
        for (long line = addr >>> LINE_SHIFT; (line << LINE_SHIFT) < addr + len; line++) {
            int l = (int) line;
            if ((poison[l >>> 6] & (1L << l)) == 0) {
                poison[l >>> 6] |= 1L << l;
                poisonedLines++;
                durableFp1 += poisonTerm1(l);
                durableFp2 += poisonTerm2(l);
            }
        }
    }

    /**
     * Clears the poison of every line that lies wholly inside [addr, addr+len), as
     * {@code pmem_clear_poison} does for a write that covers them ({@code dax_recovery_write},
     * {@code dax_zero_page_range}); lines only partly inside keep theirs. Returns how many lines
     * were cleared.
     */
    public int clearPoison(long addr, long len) {
        checkRange(addr, len);
        if (poisonedLines == 0) {
            return 0;
        }
        long first = (addr + LINE_BYTES - 1) >>> LINE_SHIFT;
        long end = (addr + len) >>> LINE_SHIFT;
        int cleared = 0;
        for (long line = first; line < end; line++) {
            int l = (int) line;
            if ((poison[l >>> 6] & (1L << l)) != 0) {
                poison[l >>> 6] &= ~(1L << l);
                poisonedLines--;
                durableFp1 -= poisonTerm1(l);
                durableFp2 -= poisonTerm2(l);
                cleared++;
            }
        }
        if (cleared > 0) {
            generation++;
        }
        return cleared;
    }

    /** Whether any line overlapping [addr, addr+len) is poisoned. */
    public boolean poisoned(long addr, long len) {
        if (poisonedLines == 0 || len <= 0) {
            return false;
        }
        checkRange(addr, len);
        return anyPoisoned(poison, addr, len);
    }

    /** Whether some line of the device is poisoned. */
    public boolean anyPoison() {
        return poisonedLines > 0;
    }

    /** A copy of the poison bits, or null when no line is poisoned. */
    long[] poisonSnapshot() {
        return poisonedLines == 0 ? null : poison.clone();
    }

    /** Whether a line overlapping [addr, addr+len) has its bit set in {@code bits} (null: none). */
    static boolean anyPoisoned(long[] bits, long addr, long len) {
        if (bits == null || len <= 0) {
            return false;
        }
        long last = Math.min((addr + len - 1) >>> LINE_SHIFT, ((long) bits.length << 6) - 1);
        for (long line = Math.max(0, addr >>> LINE_SHIFT); line <= last; line++) {
            if ((bits[(int) (line >>> 6)] & (1L << line)) != 0) {
                return true;
            }
        }
        return false;
    }

    /**
     * The fingerprint terms of "line l is poisoned": images that differ only in poison are
     * different images (a check may judge them differently). Kept apart from the content terms by
     * an index no line has.
     */
    private static long poisonTerm1(int line) {
        return Fingerprints.term1(line + POISON_INDEX_BASE, POISON_HASH_1);
    }

    private static long poisonTerm2(int line) {
        return Fingerprints.term2(line + POISON_INDEX_BASE, POISON_HASH_2);
    }

    private static final long POISON_INDEX_BASE = 1L << 40;
    private static final long POISON_HASH_1 = 0x5D0150BADBADL;
    private static final long POISON_HASH_2 = 0xBADB10C5L;

    // ---- observation ---------------------------------------------------------------------------

    /** True when no store buffer holds an entry and every propagated write has persisted. */
    public boolean quiescent() {
        for (StoreBuffer b : buffers) {
            if (b.size > 0) {
                return false;
            }
        }
        return pending.isEmpty();
    }

    /** Number of entries in {@code cpu}'s store buffer. */
    public int bufferedEntries(int cpu) {
        return buffer(cpu).size;
    }

    /** Number of cache lines holding propagated writes that may not have persisted (ADR). */
    public int pendingLines() {
        return pending.fifo.size();
    }

    /** A copy of the bytes that have certainly persisted. */
    public byte[] durableCopy() {
        return durable.clone();
    }

    /** A copy of memory as every CPU would see it once all store buffers drained. */
    public byte[] memoryCopy() {
        return cache.clone();
    }

    /**
     * Freezes the crash states of this instant: power failing now can leave exactly the images
     * the returned crash point enumerates. The crash point is valid until the next instruction.
     */
    public CrashPoint crashPoint() {
        return new CrashPoint(this, crashPointsTaken++);
    }

    // ---- propagation and persistence ------------------------------------------------------------

    private void issueWrite(int cpu, EntryKind kind, long addr, int len, int dataOff, int site) {
        StoreBuffer b = buffer(cpu);
        generation++;
        b.add(kind, addr, len, dataOff, site, sequence++);
        long end = addr + len;
        for (long line = addr >>> LINE_SHIFT; (line << LINE_SHIFT) < end; line++) {
            long lineStart = line << LINE_SHIFT;
            int from = (int) (Math.max(addr, lineStart) - lineStart);
            int to = (int) (Math.min(end, lineStart + LINE_BYTES) - lineStart);
            byte[] fwd = b.forwardData.get((int) line);
            if (fwd == null) {
                fwd = new byte[LINE_BYTES];
                b.forwardData.put((int) line, fwd);
            }
            System.arraycopy(pool.bytes, dataOff + (int) (lineStart + from - addr), fwd, from, to - from);
            long bits = (to - from == 64) ? -1L : ((1L << (to - from)) - 1) << from;
            b.forwardMask.put((int) line, b.forwardMask.get((int) line) | bits);
        }
    }

    private void issueFlush(int cpu, EntryKind kind, long addr, int site) {
        checkRange(addr, 1);
        StoreBuffer b = buffer(cpu);
        generation++;
        b.add(kind, addr & ~(long) (LINE_BYTES - 1), LINE_BYTES, 0, site, sequence++);
    }

    /** Propagates every entry of {@code b} in program order: the exact representative. */
    private void drain(StoreBuffer b) {
        for (int i = 0; i < b.size; i++) {
            EntryKind k = b.kindAt(i);
            if (k.isWrite()) {
                propagateWrite(b, i, k == EntryKind.NT_STORE);
            } else if (k.isFlush()) {
                if (options.persistency() == Persistency.ADR) {
                    persistPrefix((int) (b.addr[i] >>> LINE_SHIFT), Integer.MAX_VALUE);
                }
            } else if (k == EntryKind.SFENCE) {
                forceNonTemporal(b.cpu);
            }
        }
        b.clear();
        if (quiescent()) {
            pool.clear();
            pending.clear();
        }
    }

    private void propagateWrite(StoreBuffer b, int i, boolean nonTemporal) {
        long addr = b.addr[i];
        int len = b.len[i];
        int dataOff = b.dataOff[i];
        System.arraycopy(pool.bytes, dataOff, cache, (int) addr, len);
        long end = addr + len;
        boolean eadr = options.persistency() == Persistency.EADR;
        for (long line = addr >>> LINE_SHIFT; (line << LINE_SHIFT) < end; line++) {
            long lineStart = line << LINE_SHIFT;
            long from = Math.max(addr, lineStart);
            long to = Math.min(end, lineStart + LINE_BYTES);
            int partOff = dataOff + (int) (from - addr);
            if (eadr) {
                unhashDurableLine((int) line);
                System.arraycopy(pool.bytes, partOff, durable, (int) from, (int) (to - from));
                hashDurableLine((int) line);
            } else {
                pending.add((int) line, (int) (from - lineStart), (int) (to - from), partOff, nonTemporal,
                        b.cpu, b.site[i], b.seq[i]);
                if (nonTemporal) {
                    nonTemporalLines[b.cpu].add((int) line);
                }
            }
        }
    }

    /** A fence of {@code cpu} took effect: its non-temporal writes, and what precedes them, persist. */
    private void forceNonTemporal(int cpu) {
        IntOpenHashSet lines = nonTemporalLines[cpu];
        if (lines.isEmpty()) {
            return;
        }
        int[] sorted = lines.toIntArray();
        Arrays.sort(sorted);
        for (int line : sorted) {
            IntArrayList q = pending.fifo.get(line);
            if (q == null) {
                continue;
            }
            int last = -1;
            for (int k = 0; k < q.size(); k++) {
                int id = q.getInt(k);
                if (pending.nonTemporal(id) && pending.cpu[id] == cpu) {
                    last = k;
                }
            }
            if (last >= 0) {
                persistPrefix(line, last + 1);
            }
        }
        lines.clear();
    }

    /** Persists the first {@code count} pending writes of {@code line} into the durable image. */
    private void persistPrefix(int line, int count) {
        IntArrayList q = pending.fifo.get(line);
        if (q == null) {
            return;
        }
        int n = Math.min(count, q.size());
        unhashDurableLine(line);
        int lineStart = line << LINE_SHIFT;
        for (int k = 0; k < n; k++) {
            int id = q.getInt(k);
            System.arraycopy(pool.bytes, pending.dataOff[id], durable, lineStart + pending.start[id],
                    pending.lengthOf(id));
        }
        hashDurableLine(line);
        if (n == q.size()) {
            pending.fifo.remove(line);
        } else {
            q.removeElements(0, n);
        }
    }

    private void unhashDurableLine(int line) {
        int off = line << LINE_SHIFT;
        boolean zero = isZeroLine(durable, off);
        durableFp1 -= Fingerprints.term1(line, zero ? ZERO_LINE_HASH_1 : Fingerprints.lineHash1(durable, off));
        durableFp2 -= Fingerprints.term2(line, zero ? ZERO_LINE_HASH_2 : Fingerprints.lineHash2(durable, off));
    }

    private void hashDurableLine(int line) {
        int off = line << LINE_SHIFT;
        boolean zero = isZeroLine(durable, off);
        durableFp1 += Fingerprints.term1(line, zero ? ZERO_LINE_HASH_1 : Fingerprints.lineHash1(durable, off));
        durableFp2 += Fingerprints.term2(line, zero ? ZERO_LINE_HASH_2 : Fingerprints.lineHash2(durable, off));
    }

    private static final byte[] ZERO_LINE = new byte[LINE_BYTES];
    /** The hashes of a line of zeros (most lines of a fresh device, and of a formatted one). */
    private static final long ZERO_LINE_HASH_1 = Fingerprints.lineHash1(ZERO_LINE, 0);
    private static final long ZERO_LINE_HASH_2 = Fingerprints.lineHash2(ZERO_LINE, 0);

    private static boolean isZeroLine(byte[] bytes, int off) {
        return Arrays.mismatch(bytes, off, off + LINE_BYTES, ZERO_LINE, 0, LINE_BYTES) < 0;
    }

    private interface LineAction {
        void apply(int line);
    }

    private static void forEachLine(int addr, int len, LineAction action) {
        for (int line = addr >>> LINE_SHIFT; (line << LINE_SHIFT) < addr + len; line++) {
            action.apply(line);
        }
    }

    private StoreBuffer buffer(int cpu) {
        if (cpu < 0 || cpu >= buffers.length) {
            throw new IllegalArgumentException("no CPU " + cpu + " (the platform has " + buffers.length + ")");
        }
        return buffers[cpu];
    }

    private void checkRange(long addr, long len) {
        if (addr < 0 || len < 1 || addr + len > durable.length) {
            throw new IllegalArgumentException(String.format(
                    "access [0x%x, +%d) outside the %d-byte device", addr, len, durable.length));
        }
    }

    private static void checkWidth(int width) {
        if (width != 1 && width != 2 && width != 4 && width != 8) {
            throw new IllegalArgumentException("width must be 1, 2, 4 or 8: " + width);
        }
    }
}
