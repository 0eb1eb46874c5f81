package dev.daxfuzz.pm;

import it.unimi.dsi.fastutil.ints.Int2IntOpenHashMap;
import it.unimi.dsi.fastutil.ints.IntArrayList;
import it.unimi.dsi.fastutil.ints.IntList;
import it.unimi.dsi.fastutil.ints.IntOpenHashSet;
import it.unimi.dsi.fastutil.longs.LongOpenHashSet;
import it.unimi.dsi.fastutil.longs.Long2ObjectOpenHashMap;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;

/**
 * The crash states of one instant: every persistent image that power failing at that instant can
 * leave, computed from the emulator's pending state without copying the device.
 *
 * <h2>Characterisation</h2>
 * Let B be the entries still in the store buffers and, for each cache line L, let W(L) be its
 * pending writes: first those already propagated (oldest first), then the parts of buffered
 * stores that fall in L, in issue order. A crash state is fixed by
 * <ol>
 *   <li>the set S ⊆ B of entries that propagated before the power failed. S is valid when every
 *   entry in S may overtake every older entry of its CPU not in S ({@link EntryKind#mayOvertake});
 *   stores to one line never overtake each other, so S holds a prefix of each line's buffered
 *   writes;
 *   <li>for each line, how many of its writes persisted: a prefix of W(L) of length p(L), plus
 *   any subset of the 8-byte pieces of the next write. Under ADR, p(L) ranges from lo(L) to
 *   hi(L), where hi(L) counts the writes that propagated and lo(L) is forced by the flushes of L
 *   in S (each persisted every older write of L) and the fences in S (each persisted its CPU's
 *   older non-temporal writes). Under eADR, p(L) = hi(L), except that one store that may
 *   propagate next can be caught half-way, with any subset of its pieces in the cache.
 * </ol>
 * Propagating S in program order is always possible and gives each flush its smallest cut, so it
 * reaches every image another order of S reaches. The per-line choices form a contiguous range of
 * "variants" (p full writes, then the partial subsets of write p+1, then p+1 full writes …), so
 * each S yields a box: a product of per-line ranges.
 *
 * <h2>EnumerationResult</h2>
 * A depth-first walk over B decides for each entry whether it propagated, pruning invalid sets
 * (nothing passes an unpropagated fence). Each leaf yields a box; a box that repeats one seen
 * before (by 128-bit fingerprint of its lines' ranges, and of the content of lines with one) is
 * skipped.
 * Within a box, lines whose range holds one distinct content are fixed, and the others are
 * enumerated in order of how many lines deviate from the least-persisted corner: first the image
 * with only forced persistence, then every single-line deviation, then pairs, and so on. So a
 * bound on the number of states ({@code maxStates}) keeps the images that differ least from the
 * minimum first, as Chipmunk's bounded subsets do. Images are recognised by 128-bit
 * {@link Fingerprints}; each distinct image is visited once.
 */
public final class CrashPoint {
    private static final int KIND_COUNT = PersistentMemory.KINDS.length;
    private static final boolean[] OVERTAKE_OTHER_LINE = new boolean[KIND_COUNT * KIND_COUNT];
    private static final boolean[] OVERTAKE_SAME_LINE = new boolean[KIND_COUNT * KIND_COUNT];

    static {
        for (EntryKind y : PersistentMemory.KINDS) {
            for (EntryKind o : PersistentMemory.KINDS) {
                OVERTAKE_OTHER_LINE[y.ordinal() * KIND_COUNT + o.ordinal()] = EntryKind.mayOvertake(y, o, false);
                OVERTAKE_SAME_LINE[y.ordinal() * KIND_COUNT + o.ordinal()] = EntryKind.mayOvertake(y, o, true);
                if (!EntryKind.mayOvertake(y, o, false) && EntryKind.mayOvertake(y, o, true)) {
                    // canInclude relies on same-line permission never exceeding other-line permission.
                    throw new AssertionError("unsupported ordering rule " + y + " after " + o);
                }
            }
        }
    }

    private final PersistentMemory pm;
    private final long generation;
    private final int index;
    private final boolean eadr;
    private final int cpus;
    /** The poisoned lines of this instant (see {@link PersistentMemory#poison}), or null: none. */
    private final long[] poison;

    // ---- buffered entries, in issue order ----
    final int entryCount;
    final EntryKind[] kind;
    final int[] cpu;
    final long[] addr;
    final int[] len;
    final int[] site;
    final long[] seq;
    /** Write parts of entry e: [partFrom[e], partFrom[e+1]) into partSlot / partPos. */
    final int[] partFrom;
    final int[] partSlot;
    final int[] partPos;
    /** For a flush entry: its slot and how many writes of the line precede it; else -1. */
    final int[] flushSlot;
    final int[] flushCut;
    /** In the current epoch: a clflushopt or clwb with no later same-line clflush: leaving it out dominates. */
    final boolean[] fixedExclude;
    /** In the current epoch, eADR: a one-line non-temporal store with nothing after it that it could block. */
    final boolean[] freeNt;
    /** For a fence entry: [boundFrom[e], boundFrom[e+1]) lower bounds (slot, count) it forces. */
    final int[] boundFrom;
    final int[] boundSlot;
    final int[] boundValue;

    // ---- lines ("slots"), sorted by address ----
    final int slotCount;
    final int[] slotLine;
    private final Int2IntOpenHashMap slotOfLine;
    /**
     * A filter over {@link #slotOfLine}: bit (line mod 4096) is set for every line in flight, so
     * a read of a line that is not (most reads) needs no hash lookup. A set bit only means "look".
     */
    private final long[] mayBeSlot = new long[MAY_BE_SLOT_WORDS];
    private static final int MAY_BE_SLOT_WORDS = 64;
    final int[] fifoSize;
    /** Writes of slot s: [writeFrom[s], writeFrom[s+1]). */
    final int[] writeFrom;
    final byte[] wStart;
    final byte[] wLen;
    final int[] wDataOff;
    final boolean[] wNonTemporal;
    final int[] wCpu;
    final int[] wSite;
    final long[] wSeq;
    /** The entry a write came from, or -1 when it had propagated before this instant. */
    final int[] wEntry;
    /** Variant position of "j full writes" of slot s: varPos[varFrom[s] + j], j = 0..n(s). */
    final int[] varFrom;
    final int[] varPos;
    private final long[] durableTerm1;
    private final long[] durableTerm2;

    // ---- lazily computed per-slot data ----
    private final byte[][][] fullContent;
    private final byte[][][] contentCache;
    /**
     * Fingerprint terms of the full variants ("j full writes") of slot s, index j: the ones boxes
     * and images mostly use, few per line. Terms of partial variants are recomputed through
     * {@link #partialTerms} instead of kept: a line written whole has 255 of them, and keeping
     * them for every line of a large store made the terms the bulk of the heap.
     */
    private final long[][] fullTerm1;
    private final long[][] fullTerm2;
    private final boolean[][] fullKnown;
    private final TermCache partialTerms = new TermCache();
    private final byte[] termScratch = new byte[PersistentMemory.LINE_BYTES];

    CrashPoint(PersistentMemory pm, int index) {
        this.pm = pm;
        this.generation = pm.generation();
        this.index = index;
        this.eadr = pm.options().persistency() == Persistency.EADR;
        this.cpus = pm.buffers.length;
        this.poison = pm.poisonSnapshot();

        // Gather the buffered entries of all CPUs in issue order.
        int total = 0;
        for (StoreBuffer b : pm.buffers) {
            total += b.size;
        }
        entryCount = total;
        kind = new EntryKind[total];
        cpu = new int[total];
        addr = new long[total];
        len = new int[total];
        site = new int[total];
        seq = new long[total];
        int[] dataOffOfEntry = new int[total];
        int[] cursor = new int[cpus];
        for (int e = 0; e < total; e++) {
            int best = -1;
            for (int c = 0; c < cpus; c++) {
                StoreBuffer b = pm.buffers[c];
                if (cursor[c] < b.size && (best < 0 || b.seq[cursor[c]] < pm.buffers[best].seq[cursor[best]])) {
                    best = c;
                }
            }
            StoreBuffer b = pm.buffers[best];
            int i = cursor[best]++;
            kind[e] = b.kindAt(i);
            cpu[e] = best;
            addr[e] = b.addr[i];
            len[e] = b.len[i];
            site[e] = b.site[i];
            seq[e] = b.seq[i];
            dataOffOfEntry[e] = b.dataOff[i];
        }

        // Slots: every line with pending writes or touched by a buffered entry.
        IntOpenHashSet lineSet = new IntOpenHashSet(pm.pending.fifo.keySet());
        for (int e = 0; e < total; e++) {
            if (kind[e].isFence()) {
                continue;
            }
            long end = addr[e] + len[e];
            for (long line = addr[e] >>> PersistentMemory.LINE_SHIFT;
                 (line << PersistentMemory.LINE_SHIFT) < end; line++) {
                lineSet.add((int) line);
            }
        }
        slotLine = lineSet.toIntArray();
        Arrays.sort(slotLine);
        slotCount = slotLine.length;
        slotOfLine = new Int2IntOpenHashMap(slotCount);
        slotOfLine.defaultReturnValue(-1);
        for (int s = 0; s < slotCount; s++) {
            slotOfLine.put(slotLine[s], s);
            mayBeSlot[(slotLine[s] >>> 6) & (MAY_BE_SLOT_WORDS - 1)] |= 1L << slotLine[s];
        }

        // Count writes per slot: FIFO first, then buffered parts.
        fifoSize = new int[slotCount];
        int[] writesOfSlot = new int[slotCount];
        for (int s = 0; s < slotCount; s++) {
            IntArrayList q = pm.pending.fifo.get(slotLine[s]);
            fifoSize[s] = q == null ? 0 : q.size();
            writesOfSlot[s] = fifoSize[s];
        }
        partFrom = new int[total + 1];
        int parts = 0;
        for (int e = 0; e < total; e++) {
            partFrom[e] = parts;
            if (kind[e].isWrite()) {
                int first = (int) (addr[e] >>> PersistentMemory.LINE_SHIFT);
                int last = (int) ((addr[e] + len[e] - 1) >>> PersistentMemory.LINE_SHIFT);
                parts += last - first + 1;
                for (int l = first; l <= last; l++) {
                    writesOfSlot[slotOfLine.get(l)]++;
                }
            }
        }
        partFrom[total] = parts;
        partSlot = new int[parts];
        partPos = new int[parts];
        writeFrom = new int[slotCount + 1];
        for (int s = 0; s < slotCount; s++) {
            writeFrom[s + 1] = writeFrom[s] + writesOfSlot[s];
        }
        int writes = writeFrom[slotCount];
        wStart = new byte[writes];
        wLen = new byte[writes];
        wDataOff = new int[writes];
        wNonTemporal = new boolean[writes];
        wCpu = new int[writes];
        wSite = new int[writes];
        wSeq = new long[writes];
        wEntry = new int[writes];
        int[] fill = new int[slotCount];
        PendingLines pl = pm.pending;
        for (int s = 0; s < slotCount; s++) {
            IntArrayList q = pl.fifo.get(slotLine[s]);
            for (int k = 0; k < fifoSize[s]; k++) {
                int id = q.getInt(k);
                int w = writeFrom[s] + fill[s]++;
                wStart[w] = pl.start[id];
                wLen[w] = pl.length[id];
                wDataOff[w] = pl.dataOff[id];
                wNonTemporal[w] = pl.nonTemporal(id);
                wCpu[w] = pl.cpu[id];
                wSite[w] = pl.site[id];
                wSeq[w] = pl.seq[id];
                wEntry[w] = -1;
            }
        }
        flushSlot = new int[total];
        flushCut = new int[total];
        Arrays.fill(flushSlot, -1);
        for (int e = 0; e < total; e++) {
            if (kind[e].isWrite()) {
                long end = addr[e] + len[e];
                int p = partFrom[e];
                for (long line = addr[e] >>> PersistentMemory.LINE_SHIFT;
                     (line << PersistentMemory.LINE_SHIFT) < end; line++, p++) {
                    int s = slotOfLine.get((int) line);
                    long lineStart = line << PersistentMemory.LINE_SHIFT;
                    long from = Math.max(addr[e], lineStart);
                    long to = Math.min(end, lineStart + PersistentMemory.LINE_BYTES);
                    int pos = fill[s]++;
                    int w = writeFrom[s] + pos;
                    wStart[w] = (byte) (from - lineStart);
                    wLen[w] = (byte) (to - from);
                    wDataOff[w] = dataOffOfEntry[e] + (int) (from - addr[e]);
                    wNonTemporal[w] = kind[e] == EntryKind.NT_STORE;
                    wCpu[w] = cpu[e];
                    wSite[w] = site[e];
                    wSeq[w] = seq[e];
                    wEntry[w] = e;
                    partSlot[p] = s;
                    partPos[p] = pos;
                }
            } else if (kind[e].isFlush()) {
                int s = slotOfLine.get((int) (addr[e] >>> PersistentMemory.LINE_SHIFT));
                flushSlot[e] = s;
                flushCut[e] = fill[s];
            }
        }

        // Fence bounds: a fence forces its CPU's older non-temporal writes (and what precedes
        // them in their lines) to have persisted.
        boundFrom = new int[total + 1];
        IntArrayList bSlot = new IntArrayList();
        IntArrayList bValue = new IntArrayList();
        int[] lastNt = new int[cpus * slotCount];
        Arrays.fill(lastNt, -1);
        IntArrayList[] ntSlots = new IntArrayList[cpus];
        for (int c = 0; c < cpus; c++) {
            ntSlots[c] = new IntArrayList();
        }
        for (int s = 0; s < slotCount; s++) {
            for (int k = 0; k < fifoSize[s]; k++) {
                int w = writeFrom[s] + k;
                if (wNonTemporal[w]) {
                    noteNonTemporal(lastNt, ntSlots, wCpu[w], s, k);
                }
            }
        }
        for (int e = 0; e < total; e++) {
            boundFrom[e] = bSlot.size();
            if (kind[e] == EntryKind.NT_STORE) {
                for (int p = partFrom[e]; p < partFrom[e + 1]; p++) {
                    noteNonTemporal(lastNt, ntSlots, cpu[e], partSlot[p], partPos[p]);
                }
            } else if (kind[e].isFence()) {
                IntArrayList list = ntSlots[cpu[e]];
                for (int i = 0; i < list.size(); i++) {
                    int s = list.getInt(i);
                    bSlot.add(s);
                    bValue.add(lastNt[cpu[e] * slotCount + s] + 1);
                }
            }
        }
        boundFrom[total] = bSlot.size();
        boundSlot = bSlot.toIntArray();
        boundValue = bValue.toIntArray();

        // Walk rules, filled per epoch (one CPU only; see epochRules).
        fixedExclude = new boolean[total];
        freeNt = new boolean[total];

        // Variant positions: "j full writes" sits after all partial subsets of the earlier writes.
        varFrom = new int[slotCount + 1];
        for (int s = 0; s < slotCount; s++) {
            varFrom[s + 1] = varFrom[s] + (writeFrom[s + 1] - writeFrom[s]) + 1;
        }
        varPos = new int[varFrom[slotCount]];
        for (int s = 0; s < slotCount; s++) {
            int n = writeFrom[s + 1] - writeFrom[s];
            int at = varFrom[s];
            varPos[at] = 0;
            for (int j = 0; j < n; j++) {
                int m = Integer.bitCount(wordMask(writeFrom[s] + j));
                long next = (long) varPos[at + j] + (1L << m) - 1;
                if (next > Integer.MAX_VALUE / 2) {
                    throw new IllegalStateException("line 0x" + Long.toHexString((long) slotLine[s] << 6)
                            + " has too many pending writes to enumerate");
                }
                varPos[at + j + 1] = (int) next;
            }
        }
        durableTerm1 = new long[slotCount];
        durableTerm2 = new long[slotCount];
        for (int s = 0; s < slotCount; s++) {
            int off = slotLine[s] << PersistentMemory.LINE_SHIFT;
            durableTerm1[s] = Fingerprints.term1(slotLine[s], Fingerprints.lineHash1(pm.durable, off));
            durableTerm2[s] = Fingerprints.term2(slotLine[s], Fingerprints.lineHash2(pm.durable, off));
        }
        fullContent = new byte[slotCount][][];
        contentCache = new byte[slotCount][][];
        fullTerm1 = new long[slotCount][];
        fullTerm2 = new long[slotCount][];
        fullKnown = new boolean[slotCount][];
    }

    private void noteNonTemporal(int[] lastNt, IntArrayList[] ntSlots, int c, int s, int pos) {
        int at = c * slotCount + s;
        if (lastNt[at] < 0) {
            ntSlots[c].add(s);
        }
        lastNt[at] = pos;
    }

    /** Index of this crash point among those taken from its emulator. */
    public int index() {
        return index;
    }

    /** Store-buffer entries that may or may not have propagated. */
    public int bufferedEntries() {
        return entryCount;
    }

    /**
     * Writes (the per-line parts of stores, flushes' cuts excluded) that may or may not have
     * persisted at this instant: the w whose 2<sup>w</sup> subsets Yat and pmreorder's
     * ReorderFull would try, and whose k-subsets Chipmunk tries. Counted per line part, so a
     * store that straddles two lines counts twice, as the logged cache-line writes of those
     * tools would.
     */
    public int writesInFlight() {
        return writeFrom[slotCount];
    }

    /** Lines with writes that may or may not have persisted. */
    public int linesInFlight() {
        int n = 0;
        for (int s = 0; s < slotCount; s++) {
            if (writeFrom[s + 1] > writeFrom[s]) {
                n++;
            }
        }
        return n;
    }

    // ---- enumeration ------------------------------------------------------------------------------

    /**
     * Visits every distinct image of this crash point, at most {@code maxStates} of them.
     *
     * @param runSeen fingerprints of images seen earlier in the run, or null; new ones are added
     */
    public EnumerationResult enumerate(long maxStates, FingerprintSet runSeen, CrashStateVisitor visitor) {
        checkFresh();
        if (maxStates < 1) {
            throw new IllegalArgumentException("maxStates must be positive: " + maxStates);
        }
        Walk walk = new Walk();
        Emitter emitter = new Emitter(walk, maxStates, runSeen, visitor);
        walkBoxes(walk, emitter);
        return emitter.result();
    }

    /** The depth-first walk over sets of propagated entries; each leaf hands its boxes to the emitter. */
    private void walkBoxes(Walk walk, Emitter emitter) {
        if (cpus > 1) {
            walkEntries(walk, emitter, 0, entryCount);
            return;
        }
        // One CPU: fences never pass anything, so a propagated set is "every entry up to the k-th
        // fence" plus a subset of the epoch before the next fence, which stays in the buffer.
        IntArrayList fences = new IntArrayList();
        for (int e = 0; e < entryCount; e++) {
            if (kind[e].isFence()) {
                fences.add(e);
            }
        }
        // Latest epoch first, so that a bound keeps the sets where most has propagated. One walk
        // carries the prefix: everything up to the last fence is included once, and before each
        // earlier epoch the entries from its start on are taken out again.
        emitter.walk = walk;
        int prefixEnd = fences.isEmpty() ? -1 : fences.getInt(fences.size() - 1);
        int[] mark = new int[entryCount];
        int[] candidateMark = new int[entryCount];
        for (int e = 0; e <= prefixEnd; e++) {
            mark[e] = walk.trail.size();
            candidateMark[e] = walk.candidates.size();
            walk.include(e);
        }
        int included = prefixEnd;
        for (int k = fences.size(); k >= 0; k--) {
            int start = k == 0 ? 0 : fences.getInt(k - 1) + 1;
            int end = k < fences.size() ? fences.getInt(k) : entryCount;
            while (included >= start) {
                walk.undo(mark[included], candidateMark[included], included, true);
                included--;
            }
            epochRules(start, end);
            if (!walkEntries(walk, emitter, start, end)) {
                return;
            }
        }
    }

    /**
     * The walk rules inside one epoch [start, end), where no fence propagates after the epoch
     * starts: a clflushopt or clwb with no same-line clflush after it only raises its line's floor,
     * so leaving it out dominates; under eADR, a one-line non-temporal store with no later entry on
     * its line and no later clflush is free (see {@link Walk#includeFree}).
     */
    private void epochRules(int start, int end) {
        boolean clflushLater = false;
        IntOpenHashSet clflushLines = new IntOpenHashSet();
        IntOpenHashSet touchedLater = new IntOpenHashSet();
        for (int e = end - 1; e >= start; e--) {
            fixedExclude[e] = kind[e].isOptimizedFlush() && !clflushLines.contains(flushSlot[e]);
            freeNt[e] = kind[e] == EntryKind.NT_STORE && eadr && !clflushLater && partFrom[e + 1] - partFrom[e] == 1
                    && !touchedLater.contains(partSlot[partFrom[e]]);
            if (kind[e] == EntryKind.CLFLUSH) {
                clflushLater = true;
                clflushLines.add(flushSlot[e]);
            }
            if (kind[e].isWrite()) {
                for (int p = partFrom[e]; p < partFrom[e + 1]; p++) {
                    touchedLater.add(partSlot[p]);
                }
            } else if (kind[e].isFlush()) {
                touchedLater.add(flushSlot[e]);
            }
        }
    }

    /**
     * Depth-first walk over entries [start, end): every valid choice of which of them propagated;
     * each leaf hands its boxes to the emitter. Returns false when the emitter stopped.
     */
    private boolean walkEntries(Walk walk, Emitter emitter, int start, int end) {
        if (start == end) {
            return walk.leaf(emitter);
        }
        // Iterative depth-first walk; decision[i] records what entry i is on the current path.
        final byte undecided = 0;
        final byte included = 1;
        final byte excluded = 2;
        // A decision that is not a branch (see the walk rules in the class comment).
        final byte includedFixed = 3;
        byte[] decision = new byte[entryCount];
        int[] trailMark = new int[entryCount];
        int[] candidateMark = new int[entryCount];
        int i = start;
        while (true) {
            // Descend, including whatever may be included, until a leaf: the end of the range,
            // or (one CPU) an unpropagated fence, which nothing younger can have passed.
            while (i < end && !(cpus == 1 && i > start && decision[i - 1] == excluded && kind[i - 1].isFence())) {
                trailMark[i] = walk.trail.size();
                candidateMark[i] = walk.candidates.size();
                if (walk.canInclude(i)) {
                    if (!eadr && kind[i].isWrite()) {
                        decision[i] = includedFixed;
                        walk.include(i);
                    } else if (fixedExclude[i]) {
                        decision[i] = excluded;
                        walk.exclude(i, false);
                    } else if (freeNt[i]) {
                        decision[i] = includedFixed;
                        walk.includeFree(i);
                    } else {
                        decision[i] = included;
                        walk.include(i);
                    }
                } else {
                    decision[i] = excluded;
                    walk.exclude(i, false);
                }
                i++;
            }
            if (!walk.leaf(emitter)) {
                return false;
            }
            // Backtrack to the deepest included entry and exclude it instead.
            int j = i - 1;
            while (j >= start) {
                walk.undo(trailMark[j], candidateMark[j], j, decision[j] == included || decision[j] == includedFixed);
                if (decision[j] == included) {
                    break;
                }
                decision[j] = undecided;
                j--;
            }
            if (j < start) {
                return true;
            }
            decision[j] = excluded;
            walk.exclude(j, true);
            i = j + 1;
        }
    }

    /** Receives the boxes of a crash point. */
    @FunctionalInterface
    public interface BoxVisitor {
        /** Called once per distinct box; the box is valid only during the call. False stops. */
        boolean visit(CrashBox box);
    }

    /**
     * Visits every distinct box of this crash point (see {@link CrashBox}); their images together
     * are exactly the crash point's images, though boxes may overlap.
     */
    public long forEachBox(BoxVisitor visitor) {
        return forEachBox(null, visitor);
    }

    /**
     * {@link #forEachBox(BoxVisitor)}, calling {@code heartbeat} (if not null) every few thousand
     * boxes considered, repeats included: a long walk that finds few new boxes still shows it is
     * alive. The heartbeat cannot change the walk.
     */
    public long forEachBox(Runnable heartbeat, BoxVisitor visitor) {
        checkFresh();
        Walk walk = new Walk();
        Emitter emitter = new Emitter(walk, Long.MAX_VALUE, null, null);
        emitter.boxVisitor = visitor;
        emitter.heartbeat = heartbeat;
        walkBoxes(walk, emitter);
        return emitter.boxes;
    }

    /**
     * Draws one crash state, letting {@code chooser} make every free decision: for each buffered
     * entry whether it propagated (0 = propagated), under eADR which store is caught half-way
     * (0 = none), and for each line which variant persisted (0 = the least-persisted one).
     */
    public CrashState draw(Chooser chooser) {
        checkFresh();
        Walk walk = new Walk();
        for (int e = 0; e < entryCount; e++) {
            if (walk.canInclude(e) && chooser.choose(2) == 0) {
                walk.include(e);
            } else {
                walk.exclude(e, walk.canInclude(e));
                if (cpus == 1 && kind[e].isFence()) {
                    for (int r = e + 1; r < entryCount; r++) {
                        walk.exclude(r, false);
                    }
                    break;
                }
            }
        }
        int torn = -1;
        if (eadr && !walk.candidates.isEmpty()) {
            int pick = chooser.choose(walk.candidates.size() + 1);
            torn = pick == 0 ? -1 : walk.candidates.getInt(pick - 1);
        }
        CrashState state = new CrashState(this);
        state.beginBox(walk, torn);
        for (int s = 0; s < slotCount; s++) {
            int a = walk.rangeLow(s, torn);
            int b = walk.rangeHigh(s, torn);
            state.variant[s] = a + chooser.choose(b - a + 1);
        }
        long fp1 = pm.durableFp1;
        long fp2 = pm.durableFp2;
        for (int s = 0; s < slotCount; s++) {
            fp1 += variantTerm1(s, state.variant[s]) - durableTerm1[s];
            fp2 += variantTerm2(s, state.variant[s]) - durableTerm2[s];
        }
        state.fp1 = fp1;
        state.fp2 = fp2;
        state.newInRun = true;
        return state;
    }

    // ---- the walk over store-buffer entries -----------------------------------------------------

    /** The set S being built, with the per-line bounds it implies and undo information. */
    final class Walk {
        final boolean[] in = new boolean[entryCount];
        final int[] lo = new int[slotCount];
        final int[] hi = fifoSize.clone();
        final int[] exclTotal = new int[cpus * KIND_COUNT];
        final int[] exclSlot = new int[cpus * KIND_COUNT * Math.max(1, slotCount)];
        /** Undo log: triples (slot, 0 = lo / 1 = hi, old value). */
        final IntArrayList trail = new IntArrayList();
        /** eADR: buffered stores not in S that could have been caught half-way. */
        final IntArrayList candidates = new IntArrayList();
        /** eADR: slots whose last write is free; their content is either of freeFrom..freeFrom+1 full writes. */
        final int[] freeFrom = new int[slotCount];
        final boolean[] free = new boolean[slotCount];

        boolean canInclude(int e) {
            int c = cpu[e];
            int y = kind[e].ordinal();
            for (int o = 0; o < KIND_COUNT; o++) {
                if (exclTotal[c * KIND_COUNT + o] == 0) {
                    continue;
                }
                boolean other = OVERTAKE_OTHER_LINE[y * KIND_COUNT + o];
                boolean same = OVERTAKE_SAME_LINE[y * KIND_COUNT + o];
                if (!other) {
                    return false;
                }
                if (!same && sharesLineWithExcluded(e, c, o)) {
                    return false;
                }
            }
            return true;
        }

        private boolean sharesLineWithExcluded(int e, int c, int o) {
            int base = (c * KIND_COUNT + o) * slotCount;
            if (kind[e].isWrite()) {
                for (int p = partFrom[e]; p < partFrom[e + 1]; p++) {
                    if (exclSlot[base + partSlot[p]] > 0) {
                        return true;
                    }
                }
                return false;
            }
            return flushSlot[e] >= 0 && exclSlot[base + flushSlot[e]] > 0;
        }

        void include(int e) {
            in[e] = true;
            if (kind[e].isWrite()) {
                for (int p = partFrom[e]; p < partFrom[e + 1]; p++) {
                    setHi(partSlot[p], partPos[p] + 1);
                }
            } else if (kind[e].isFlush()) {
                if (!eadr) {
                    raiseLo(flushSlot[e], flushCut[e]);
                }
            } else if (!eadr) {
                for (int b = boundFrom[e]; b < boundFrom[e + 1]; b++) {
                    raiseLo(boundSlot[b], boundValue[b]);
                }
            }
        }

        /**
         * eADR: a free non-temporal store propagated or not, independently of everything else: its
         * line may hold its content or not, and it may be the store caught half-way.
         */
        void includeFree(int e) {
            in[e] = true;
            int s = partSlot[partFrom[e]];
            trail.add(s);
            trail.add(2);
            trail.add(free[s] ? 1 : 0);
            free[s] = true;
            freeFrom[s] = partPos[partFrom[e]];
            candidates.add(e);
        }

        void exclude(int e, boolean couldInclude) {
            in[e] = false;
            int c = cpu[e];
            int k = kind[e].ordinal();
            exclTotal[c * KIND_COUNT + k]++;
            int base = (c * KIND_COUNT + k) * slotCount;
            if (kind[e].isWrite()) {
                for (int p = partFrom[e]; p < partFrom[e + 1]; p++) {
                    exclSlot[base + partSlot[p]]++;
                }
                if (eadr && couldInclude) {
                    candidates.add(e);
                }
            } else if (kind[e].isFlush()) {
                exclSlot[base + flushSlot[e]]++;
            }
        }

        /** Reverts the decision on entry {@code e} and everything logged after the marks. */
        void undo(int trailMark, int candidateMark, int e, boolean wasIncluded) {
            while (trail.size() > trailMark) {
                int old = trail.popInt();
                int which = trail.popInt();
                int s = trail.popInt();
                if (which == 0) {
                    lo[s] = old;
                } else if (which == 1) {
                    hi[s] = old;
                } else {
                    free[s] = old == 1;
                }
            }
            candidates.size(candidateMark);
            if (!wasIncluded) {
                int c = cpu[e];
                int k = kind[e].ordinal();
                exclTotal[c * KIND_COUNT + k]--;
                int base = (c * KIND_COUNT + k) * slotCount;
                if (kind[e].isWrite()) {
                    for (int p = partFrom[e]; p < partFrom[e + 1]; p++) {
                        exclSlot[base + partSlot[p]]--;
                    }
                } else if (kind[e].isFlush()) {
                    exclSlot[base + flushSlot[e]]--;
                }
            }
            in[e] = false;
        }

        private void setHi(int s, int value) {
            if (value > hi[s]) {
                trail.add(s);
                trail.add(1);
                trail.add(hi[s]);
                hi[s] = value;
            }
        }

        private void raiseLo(int s, int value) {
            if (value > lo[s]) {
                trail.add(s);
                trail.add(0);
                trail.add(lo[s]);
                lo[s] = value;
            }
        }

        /** First variant of slot s allowed in the current box. */
        int rangeLow(int s, int torn) {
            if (eadr && free[s]) {
                return varPos[varFrom[s] + freeFrom[s]];
            }
            return varPos[varFrom[s] + (eadr ? hi[s] : Math.min(lo[s], hi[s]))];
        }

        /** Last variant of slot s allowed in the current box. */
        int rangeHigh(int s, int torn) {
            if (eadr && free[s]) {
                return varPos[varFrom[s] + freeFrom[s] + 1];
            }
            if (torn >= 0 && touches(torn, s)) {
                return varPos[varFrom[s] + hi[s] + 1];
            }
            return varPos[varFrom[s] + hi[s]];
        }

        /** True when slot s may hold only whole writes (a free line, unless it holds the torn store). */
        boolean fullOnly(int s, int torn) {
            return eadr && free[s] && !(torn >= 0 && touches(torn, s));
        }

        private boolean touches(int e, int s) {
            for (int p = partFrom[e]; p < partFrom[e + 1]; p++) {
                if (partSlot[p] == s) {
                    return true;
                }
            }
            return false;
        }

        /** Emits the box(es) of the current S; false when the emitter wants to stop. */
        boolean leaf(Emitter emitter) {
            if (!emitter.box(-1)) {
                return false;
            }
            if (eadr) {
                for (int i = 0; i < candidates.size(); i++) {
                    if (!emitter.box(candidates.getInt(i))) {
                        return false;
                    }
                }
            }
            return true;
        }
    }

    // ---- emitting the images of a box ------------------------------------------------------------

    /** Enumerates boxes image by image, deduplicating and honouring the bound. */
    final class Emitter {
        Walk walk;
        private final long maxStates;
        private final FingerprintSet runSeen;
        private final CrashStateVisitor visitor;
        /** Images emitted so far; made on the first (a box visitor, as lazy exploration uses, emits none). */
        private FingerprintSet pointSeen;
        private final FingerprintSet boxesSeen = new FingerprintSet(64);
        private final CrashState state;
        private long states;
        private long newInRun;
        private boolean truncated;
        private boolean stopped;
        BoxVisitor boxVisitor;
        Runnable heartbeat;
        private long considered;
        long boxes;
        private CrashBox boxView;
        // per box scratch
        private final int[] boxLow = new int[slotCount];
        private final int[] boxHigh = new int[slotCount];
        private final boolean[] boxFull = new boolean[slotCount];
        /** Each line's part of the key of the current leaf's first box (no store torn), and the key. */
        private final long[] baseKey1 = new long[slotCount];
        private final long[] baseKey2 = new long[slotCount];
        private long leafKey1;
        private long leafKey2;
        private long lineKey1;
        private long lineKey2;
        private final IntList[] choices = new IntList[slotCount];
        @SuppressWarnings({"unchecked", "rawtypes"})
        private final Long2ObjectOpenHashMap<IntList>[] rangeChoices = new Long2ObjectOpenHashMap[slotCount];
        private final IntArrayList[] singles = new IntArrayList[slotCount];
        private final int[] varying = new int[slotCount];

        Emitter(Walk walk, long maxStates, FingerprintSet runSeen, CrashStateVisitor visitor) {
            this.walk = walk;
            this.maxStates = maxStates;
            this.runSeen = runSeen;
            this.visitor = visitor;
            this.state = new CrashState(CrashPoint.this);
        }

        EnumerationResult result() {
            return new EnumerationResult(states, newInRun, truncated, stopped);
        }

        /** Enumerates the box of the current S (with store {@code torn} half-way, or -1). */
        boolean box(int torn) {
            if (heartbeat != null && (++considered & 4095) == 0) {
                heartbeat.run();
            }
            // Skip a box that repeats one seen before: a line with one possible content is keyed by
            // that content (so zeros stored over zeros do not make a new box), a line with a range
            // by the range, which costs nothing to compare. The key is a sum over the lines, so a
            // torn store's box, which differs from its leaf's first box only in the lines the store
            // touches, gets its key from that box's in time proportional to those lines: a leaf
            // with thousands of candidates does not cost thousands of passes over every line.
            long key1;
            long key2;
            if (torn < 0) {
                key1 = 0;
                key2 = 0;
                for (int s = 0; s < slotCount; s++) {
                    boxLow[s] = walk.rangeLow(s, torn);
                    boxHigh[s] = walk.rangeHigh(s, torn);
                    boxFull[s] = walk.fullOnly(s, torn);
                    keyTerms(s, boxLow[s], boxHigh[s], boxFull[s]);
                    baseKey1[s] = lineKey1;
                    baseKey2[s] = lineKey2;
                    key1 += lineKey1;
                    key2 += lineKey2;
                }
                leafKey1 = key1;
                leafKey2 = key2;
            } else {
                key1 = leafKey1;
                key2 = leafKey2;
                for (int p = partFrom[torn]; p < partFrom[torn + 1]; p++) {
                    int s = partSlot[p];
                    keyTerms(s, boxLow[s], walk.rangeHigh(s, torn), walk.fullOnly(s, torn));
                    key1 += lineKey1 - baseKey1[s];
                    key2 += lineKey2 - baseKey2[s];
                }
            }
            if (!boxesSeen.add(key1, key2)) {
                return true;
            }
            if (torn >= 0) {
                for (int p = partFrom[torn]; p < partFrom[torn + 1]; p++) {
                    int s = partSlot[p];
                    boxHigh[s] = walk.rangeHigh(s, torn);
                    boxFull[s] = walk.fullOnly(s, torn);
                }
                try {
                    return newBox(torn);
                } finally {
                    // Back to the leaf's first box for the next candidate.
                    for (int p = partFrom[torn]; p < partFrom[torn + 1]; p++) {
                        int s = partSlot[p];
                        boxHigh[s] = walk.rangeHigh(s, -1);
                        boxFull[s] = walk.fullOnly(s, -1);
                    }
                }
            }
            return newBox(torn);
        }

        /** Sets {@link #lineKey1} and {@link #lineKey2} to line s's part of a box key. */
        private void keyTerms(int s, int low, int high, boolean full) {
            long h1;
            long h2;
            if (low == high) {
                h1 = variantTerm1(s, low);
                h2 = variantTerm2(s, low);
            } else if (full) {
                // A free line: exactly two whole contents, keyed by both.
                h1 = variantTerm1(s, low) * 31 + variantTerm1(s, high);
                h2 = variantTerm2(s, low) * 37 + variantTerm2(s, high);
            } else {
                h1 = Fingerprints.mix(((long) low << 32) ^ high ^ (full ? 1L << 63 : 0));
                h2 = Fingerprints.mix(h1 ^ 0x5851F42D4C957F2DL);
            }
            lineKey1 = Fingerprints.mix(h1 + s);
            lineKey2 = Fingerprints.mix(h2 ^ ((long) s << 32));
        }

        /** Hands the box in boxLow/boxHigh/boxFull, not seen before, to the visitor or enumerates it. */
        private boolean newBox(int torn) {
            boxes++;
            if (boxVisitor != null) {
                if (boxView == null) {
                    boxView = new CrashBox(CrashPoint.this, this);
                }
                System.arraycopy(boxLow, 0, boxView.low, 0, slotCount);
                System.arraycopy(boxHigh, 0, boxView.high, 0, slotCount);
                System.arraycopy(boxFull, 0, boxView.fullOnly, 0, slotCount);
                Arrays.fill(boxView.choiceMemo, null);
                boxView.in = walk.in;
                boxView.torn = torn;
                boxView.ordinal = boxes - 1;
                return boxVisitor.visit(boxView);
            }
            state.beginBox(walk, torn);
            long fp1 = pm.durableFp1;
            long fp2 = pm.durableFp2;
            int k = 0;
            for (int s = 0; s < slotCount; s++) {
                IntList list = choicesIn(s, boxLow[s], boxHigh[s], boxFull[s]);
                choices[s] = list;
                int v0 = list.getInt(0);
                state.variant[s] = v0;
                fp1 += variantTerm1(s, v0) - durableTerm1[s];
                fp2 += variantTerm2(s, v0) - durableTerm2[s];
                if (list.size() > 1) {
                    varying[k++] = s;
                }
            }
            return byDistance(k, fp1, fp2);
        }

        /** Visits the product of the varying slots' choices, fewest deviations first. */
        private boolean byDistance(int k, long baseFp1, long baseFp2) {
            if (!emit(baseFp1, baseFp2)) {
                return false;
            }
            int[] chosen = new int[k];
            int[] digit = new int[k];
            for (int d = 1; d <= k; d++) {
                for (int i = 0; i < d; i++) {
                    chosen[i] = i;
                }
                while (true) {
                    long fp1 = baseFp1;
                    long fp2 = baseFp2;
                    for (int i = 0; i < d; i++) {
                        digit[i] = 1;
                        int s = varying[chosen[i]];
                        fp1 += delta1(s, 1);
                        fp2 += delta2(s, 1);
                        state.variant[s] = choices[s].getInt(1);
                    }
                    while (true) {
                        if (!emit(fp1, fp2)) {
                            return false;
                        }
                        int i = d - 1;
                        while (i >= 0) {
                            int s = varying[chosen[i]];
                            int n = choices[s].size();
                            fp1 -= delta1(s, digit[i]);
                            fp2 -= delta2(s, digit[i]);
                            if (digit[i] + 1 < n) {
                                digit[i]++;
                                fp1 += delta1(s, digit[i]);
                                fp2 += delta2(s, digit[i]);
                                state.variant[s] = choices[s].getInt(digit[i]);
                                break;
                            }
                            digit[i] = 1;
                            fp1 += delta1(s, 1);
                            fp2 += delta2(s, 1);
                            state.variant[s] = choices[s].getInt(1);
                            i--;
                        }
                        if (i < 0) {
                            break;
                        }
                    }
                    for (int i = 0; i < d; i++) {
                        int s = varying[chosen[i]];
                        state.variant[s] = choices[s].getInt(0);
                    }
                    // Next combination of d slots out of k, in lexicographic order.
                    int i = d - 1;
                    while (i >= 0 && chosen[i] == k - d + i) {
                        i--;
                    }
                    if (i < 0) {
                        break;
                    }
                    chosen[i]++;
                    for (int r = i + 1; r < d; r++) {
                        chosen[r] = chosen[r - 1] + 1;
                    }
                }
            }
            return true;
        }

        /**
         * The variants of slot s in [a, b] with pairwise distinct contents, first occurrence
         * first. Leaves of the walk share most ranges, so each list is computed once.
         */
        IntList choicesIn(int s, int a, int b, boolean fullOnly) {
            if (a == b) {
                IntArrayList single = singles[s];
                if (single == null) {
                    single = new IntArrayList(1);
                    single.add(a);
                    singles[s] = single;
                } else {
                    single.set(0, a);
                }
                return single;
            }
            if (fullOnly) {
                // Only whole writes: the full variants in the range (few: a free line has two).
                IntArrayList list = new IntArrayList(2);
                LongOpenHashSet distinct = new LongOpenHashSet(4);
                for (int j = fullWritesOf(s, b); j >= fullWritesOf(s, a); j--) {
                    int v = varPos[varFrom[s] + j];
                    if (distinct.add(variantTerm1(s, v))) {
                        list.add(v);
                    }
                }
                java.util.Collections.reverse(list);
                return list;
            }
            long key = ((long) a << 32) | (b & 0xffffffffL);
            Long2ObjectOpenHashMap<IntList> cache = rangeChoices[s];
            if (cache == null) {
                cache = new Long2ObjectOpenHashMap<>(2);
                rangeChoices[s] = cache;
            }
            IntList list = cache.get(key);
            if (list == null) {
                IntArrayList found = new IntArrayList();
                // Sized to the range: clearing one large reused set would cost its capacity each time.
                LongOpenHashSet distinct = new LongOpenHashSet(Math.min(b - a + 1, 1 << 12));
                // Each content is represented by its most persisted variant, so that provenance
                // explains an image by as much persistence as is indistinguishable from it.
                long[] terms = rangeTerms1(s, a, b);
                for (int v = b; v >= a; v--) {
                    if (distinct.add(terms[v - a])) {
                        found.add(v);
                    }
                }
                java.util.Collections.reverse(found);
                // Usually every variant is distinct (a store over different bytes): keep the range,
                // not a list of every variant of every line.
                list = found.size() == b - a + 1 ? new VariantRange(a, found.size()) : found;
                cache.put(key, list);
            }
            return list;
        }

        private long delta1(int s, int choice) {
            IntList list = choices[s];
            return variantTerm1(s, list.getInt(choice)) - variantTerm1(s, list.getInt(0));
        }

        private long delta2(int s, int choice) {
            IntList list = choices[s];
            return variantTerm2(s, list.getInt(choice)) - variantTerm2(s, list.getInt(0));
        }

        private boolean emit(long fp1, long fp2) {
            if (pointSeen == null) {
                pointSeen = new FingerprintSet(256);
            }
            if (!pointSeen.add(fp1, fp2)) {
                return true;
            }
            if (states == maxStates) {
                truncated = true;
                return false;
            }
            states++;
            boolean fresh = runSeen == null || runSeen.add(fp1, fp2);
            if (fresh) {
                newInRun++;
            }
            state.fp1 = fp1;
            state.fp2 = fp2;
            state.newInRun = fresh;
            state.ordinal = states - 1;
            if (!visitor.visit(state)) {
                stopped = true;
                return false;
            }
            return true;
        }
    }

    /** The variants from, from+1, ..., from+size-1: a choice list whose variants are all distinct. */
    static final class VariantRange extends it.unimi.dsi.fastutil.ints.AbstractIntList {
        private final int from;
        private final int size;

        VariantRange(int from, int size) {
            this.from = from;
            this.size = size;
        }

        @Override
        public int getInt(int index) {
            if (index < 0 || index >= size) {
                throw new IndexOutOfBoundsException(index);
            }
            return from + index;
        }

        @Override
        public int size() {
            return size;
        }
    }

    // ---- variants: contents and fingerprints --------------------------------------------------------

    /** The 8-byte words of its line that write w touches, as a bit mask. */
    int wordMask(int w) {
        int first = (wStart[w] & 0xff) >>> 3;
        int last = ((wStart[w] & 0xff) + (wLen[w] & 0xff) - 1) >>> 3;
        return ((1 << (last + 1)) - 1) & ~((1 << first) - 1);
    }

    /**
     * {@link #variantTerm1} of every variant of slot s in [a, b], at index v - a. The partial
     * variants after j full writes differ only in which 8-byte words of write j+1 they hold, so
     * their line hashes share prefixes: a walk over the words computes every subset's hash from
     * its prefix's (2<sup>m+1</sup> hash steps for m words instead of 2<sup>m</sup> times 8),
     * exactly as {@link Fingerprints#lineHash1} would over each content.
     */
    long[] rangeTerms1(int s, int a, int b) {
        long[] out = new long[b - a + 1];
        long[] bySubset = null;
        int v = a;
        while (v <= b) {
            int j = fullWritesOf(s, v);
            int first = varPos[varFrom[s] + j];
            if (v == first || v == b) {
                // A full variant, or a lone partial one at the end of the range.
                out[v - a] = variantTerm1(s, v);
                v++;
                continue;
            }
            // Partial variants of write j+1 (ranks 1 .. 2^m - 2; rank 2^m - 1 is j+1 full writes).
            int w = writeFrom[s] + j;
            int mask = wordMask(w);
            int last = Math.min(b, first + (1 << Integer.bitCount(mask)) - 2);
            if (bySubset == null) {
                bySubset = new long[1 << 8];
            }
            subsetHashes(fullContent(s, j), fullContent(s, j + 1), mask, 0, Fingerprints.LINE_SEED_1, 0, bySubset);
            for (; v <= last; v++) {
                out[v - a] = Fingerprints.term1(slotLine[s], bySubset[deposit(v - first, mask)]);
            }
        }
        return out;
    }

    /**
     * The lane-1 line hash of every content that takes word k from {@code with} where bit k of the
     * subset is set (a subset of {@code mask}) and from {@code without} elsewhere, by subset.
     */
    private static void subsetHashes(byte[] without, byte[] with, int mask, int word, long h, int subset, long[] out) {
        if (word == PersistentMemory.LINE_BYTES / 8) {
            out[subset] = Fingerprints.mix(h);
            return;
        }
        int i = word * 8;
        subsetHashes(without, with, mask, word + 1, Fingerprints.lineStep(h, Fingerprints.word(without, i), i), subset, out);
        if ((mask & (1 << word)) != 0) {
            subsetHashes(without, with, mask, word + 1, Fingerprints.lineStep(h, Fingerprints.word(with, i), i),
                    subset | (1 << word), out);
        }
    }

    /** Number of full writes of variant v of slot s (the j with varPos[j] ≤ v < varPos[j+1]). */
    int fullWritesOf(int s, int v) {
        int from = varFrom[s];
        int n = writeFrom[s + 1] - writeFrom[s];
        int a = 0;
        int b = n;
        while (a < b) {
            int mid = (a + b + 1) >>> 1;
            if (varPos[from + mid] <= v) {
                a = mid;
            } else {
                b = mid - 1;
            }
        }
        return a;
    }

    /** The words of write j+1 that variant v adds on top of j full writes (0 for a full variant). */
    int partialMaskOf(int s, int v) {
        int j = fullWritesOf(s, v);
        int rank = v - varPos[varFrom[s] + j];
        if (rank == 0) {
            return 0;
        }
        return deposit(rank, wordMask(writeFrom[s] + j));
    }

    /** Spreads the low bits of {@code bits} over the set bits of {@code mask}, lowest first. */
    private static int deposit(int bits, int mask) {
        int out = 0;
        for (int m = mask; m != 0; m &= m - 1) {
            int low = m & -m;
            if ((bits & 1) != 0) {
                out |= low;
            }
            bits >>>= 1;
        }
        return out;
    }

    /** The line content after j full writes of slot s (shared; do not modify). */
    byte[] fullContent(int s, int j) {
        byte[][] cache = fullContent[s];
        int n = writeFrom[s + 1] - writeFrom[s];
        if (cache == null) {
            cache = new byte[n + 1][];
            byte[] base = new byte[PersistentMemory.LINE_BYTES];
            System.arraycopy(pm.durable, slotLine[s] << PersistentMemory.LINE_SHIFT, base, 0,
                    PersistentMemory.LINE_BYTES);
            cache[0] = base;
            fullContent[s] = cache;
        }
        if (cache[j] == null) {
            int k = j;
            while (cache[k] == null) {
                k--;
            }
            for (; k < j; k++) {
                byte[] next = cache[k].clone();
                int w = writeFrom[s] + k;
                System.arraycopy(pm.pool.bytes, wDataOff[w], next, wStart[w] & 0xff, wLen[w] & 0xff);
                cache[k + 1] = next;
            }
        }
        return cache[j];
    }

    /** Writes the content of variant v of slot s into {@code out}. */
    void variantContent(int s, int v, byte[] out) {
        int j = fullWritesOf(s, v);
        System.arraycopy(fullContent(s, j), 0, out, 0, PersistentMemory.LINE_BYTES);
        int rank = v - varPos[varFrom[s] + j];
        if (rank == 0) {
            return;
        }
        int w = writeFrom[s] + j;
        int words = deposit(rank, wordMask(w));
        int start = wStart[w] & 0xff;
        int end = start + (wLen[w] & 0xff);
        for (int word = 0; word < 8; word++) {
            if ((words & (1 << word)) == 0) {
                continue;
            }
            int from = Math.max(start, word * 8);
            int to = Math.min(end, word * 8 + 8);
            System.arraycopy(pm.pool.bytes, wDataOff[w] + (from - start), out, from, to - from);
        }
    }

    /**
     * The content of variant v of slot s, computed once per crash point and shared by every run
     * that reads it (do not modify).
     */
    byte[] cachedContent(int s, int v) {
        int j = fullWritesOf(s, v);
        if (varPos[varFrom[s] + j] == v) {
            return fullContent(s, j);
        }
        byte[][] cache = contentCache[s];
        if (cache == null) {
            cache = new byte[varPos[varFrom[s + 1] - 1] + 1][];
            contentCache[s] = cache;
        }
        byte[] c = cache[v];
        if (c == null) {
            c = new byte[PersistentMemory.LINE_BYTES];
            variantContent(s, v, c);
            cache[v] = c;
        }
        return c;
    }

    /** True when variant v of slot s is "j full writes" (its content is shared, not computed). */
    boolean isFullVariant(int s, int v) {
        return varPos[varFrom[s] + fullWritesOf(s, v)] == v;
    }

    long variantTerm1(int s, int v) {
        int j = fullWritesOf(s, v);
        if (varPos[varFrom[s] + j] == v) {
            ensureFullTerms(s, j);
            return fullTerm1[s][j];
        }
        return partialTerms.term1(s, v);
    }

    private long variantTerm2(int s, int v) {
        int j = fullWritesOf(s, v);
        if (varPos[varFrom[s] + j] == v) {
            ensureFullTerms(s, j);
            return fullTerm2[s][j];
        }
        return partialTerms.term2(s, v);
    }

    private void ensureFullTerms(int s, int j) {
        if (fullKnown[s] == null) {
            int n = writeFrom[s + 1] - writeFrom[s] + 1;
            fullTerm1[s] = new long[n];
            fullTerm2[s] = new long[n];
            fullKnown[s] = new boolean[n];
        }
        if (!fullKnown[s][j]) {
            byte[] c = fullContent(s, j);
            fullTerm1[s][j] = Fingerprints.term1(slotLine[s], Fingerprints.lineHash1(c, 0));
            fullTerm2[s][j] = Fingerprints.term2(slotLine[s], Fingerprints.lineHash2(c, 0));
            fullKnown[s][j] = true;
        }
    }

    /**
     * The terms of recently used partial variants, direct-mapped by (slot, variant): a bounded
     * cache, so that enumerating a box that deviates one line at a time does not rehash the same
     * few variants over and over, and a store over millions of lines keeps nothing per line.
     */
    private final class TermCache {
        private static final int SIZE_MAX = 1 << 12;
        /** Per lane, a direct-mapped cache: the (slot, variant) key of each entry and its term. */
        private long[] key1;
        private long[] key2;
        private long[] t1;
        private long[] t2;
        private int mask;

        /**
         * Lanes are filled separately: listing a range's distinct contents asks for lane 1 of
         * every variant in it, and only box keys and fingerprints ask for lane 2.
         */
        long term1(int s, int v) {
            return term(s, v, true);
        }

        long term2(int s, int v) {
            return term(s, v, false);
        }

        private long term(int s, int v, boolean lane1) {
            if (key1 == null) {
                allocate();
            }
            long k = key(s, v);
            int i = (int) Fingerprints.mix(k) & mask;
            long[] keys = lane1 ? key1 : key2;
            long[] terms = lane1 ? t1 : t2;
            if (keys[i] != k) {
                variantContent(s, v, termScratch);
                terms[i] = lane1 ? Fingerprints.term1(slotLine[s], Fingerprints.lineHash1(termScratch, 0))
                        : Fingerprints.term2(slotLine[s], Fingerprints.lineHash2(termScratch, 0));
                keys[i] = k;
            }
            return terms[i];
        }

        private static long key(int s, int v) {
            return ((long) s << 32) | (v & 0xffffffffL);
        }

        /**
         * Allocated on first use and sized by the variants this crash point has (at most
         * {@link #SIZE_MAX} entries): most crash points have a handful of lines in flight, and
         * filling a full-size cache for each of them cost more than the terms it saved. A miss
         * only recomputes a term, so the size changes speed, never a result.
         */
        private void allocate() {
            long variants = 0;
            for (int s = 0; s < slotCount && variants < SIZE_MAX; s++) {
                variants += varPos[varFrom[s + 1] - 1] + 1L;
            }
            int size = (int) Math.min(SIZE_MAX, Math.max(16, Long.highestOneBit(Math.max(1, variants * 2 - 1)) << 1));
            key1 = new long[size];
            key2 = new long[size];
            t1 = new long[size];
            t2 = new long[size];
            mask = size - 1;
            java.util.Arrays.fill(key1, -1L);
            java.util.Arrays.fill(key2, -1L);
        }
    }

    int slotOf(int line) {
        if ((mayBeSlot[(line >>> 6) & (MAY_BE_SLOT_WORDS - 1)] & (1L << line)) == 0) {
            return -1;
        }
        return slotOfLine.get(line);
    }

    byte[] durable() {
        return pm.durable;
    }

    /** Whether a line overlapping [addr, addr+len) is poisoned at this crash point (and so in each of its images). */
    public boolean poisoned(long addr, long len) {
        return PersistentMemory.anyPoisoned(poison, addr, len);
    }

    void checkFresh() {
        if (pm.generation() != generation) {
            throw new IllegalStateException("crash point " + index
                    + " is stale: the emulator executed instructions after it was taken");
        }
    }

    /** Builds the provenance of the given box choices. */
    Provenance provenance(boolean[] in, int torn, int[] variant) {
        List<Provenance.Entry> lost = new ArrayList<>();
        for (int e = 0; e < entryCount; e++) {
            if (!in[e] && e != torn) {
                lost.add(entry(e));
            }
        }
        List<Provenance.Line> lines = new ArrayList<>();
        for (int s = 0; s < slotCount; s++) {
            int n = writeFrom[s + 1] - writeFrom[s];
            if (n == 0) {
                continue;
            }
            List<Provenance.Write> writes = new ArrayList<>(n);
            long lineAddr = (long) slotLine[s] << PersistentMemory.LINE_SHIFT;
            for (int k = 0; k < n; k++) {
                int w = writeFrom[s] + k;
                writes.add(new Provenance.Write(lineAddr + (wStart[w] & 0xff), wLen[w] & 0xff, wNonTemporal[w],
                        wCpu[w], wSite[w], wSeq[w], wEntry[w] < 0));
            }
            lines.add(new Provenance.Line(lineAddr, writes, fullWritesOf(s, variant[s]), partialMaskOf(s, variant[s])));
        }
        return new Provenance(index, lost, torn >= 0 ? Optional.of(entry(torn)) : Optional.empty(), lines);
    }

    private Provenance.Entry entry(int e) {
        return new Provenance.Entry(kind[e], addr[e], len[e], cpu[e], site[e], seq[e]);
    }
}
