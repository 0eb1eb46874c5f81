package dev.daxfuzz.oracle;

import dev.daxfuzz.fs.FsCorruption;
import dev.daxfuzz.fs.FsGeometry;
import dev.daxfuzz.fs.Fsck;
import dev.daxfuzz.fs.Recovery;
import dev.daxfuzz.fs.Volume;
import dev.daxfuzz.oracle.model.DataEvent;
import dev.daxfuzz.oracle.model.TreeSnapshot;
import dev.daxfuzz.pm.CrashImage;
import it.unimi.dsi.fastutil.ints.IntArrayList;
import java.util.ArrayList;
import java.util.BitSet;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;

/**
 * Judges one crash image of the {@code journal} design: it must mount, pass fsck, show a namespace
 * the model allows, and hold only legal bytes in its files.
 *
 * <p>Verifies, in order (the first failure is the verdict):
 * <ol>
 *   <li>recovery succeeds (RECOVERY_FAILED otherwise, with recovery's reason);
 *   <li>every fsck invariant holds (FSCK);
 *   <li>the recovered namespace (names, types, hard links, sizes) equals the model's namespace
 *   after some prefix of the statements, no shorter than the durability floor and no longer than
 *   the statement in progress. The design keeps all metadata in one ordered journal, so every
 *   crash leaves such a prefix: a namespace that matches only a shorter prefix is
 *   LOST_DURABLE_DATA, one that matches none is NOT_ATOMIC;
 *   <li>every byte of every file is legal by {@link DataLegality} (STALE_DATA, or
 *   LOST_DURABLE_DATA when the byte went back to a value from before its durable point).
 * </ol>
 *
 * <p>Does not verify (why): timestamps (no statement reads them); the content of open but
 * unlinked files (recovery frees them); what a program would see after recovery beyond the
 * namespace and file bytes (no statement runs after a crash).
 *
 * <p>All reads of the image go through {@link CrashImage}, so a lazily explored image learns
 * exactly which bytes the verdict depends on; file bytes are checked with
 * {@link CrashImage#forEachPossible}, which needs no branching.
 */
public final class CrashChecker {
    private final FsGeometry geometry;
    private final Recovery.Options recoveryOptions;
    /**
     * The legal byte values of each file per (crash point, path, matched prefix): the same for
     * every run of a crash point that recovers the same prefix, so computed once. Sized by the
     * files' data events, not their bytes.
     */
    private final it.unimi.dsi.fastutil.objects.Object2ObjectOpenHashMap<String, DataLegality.FilePlan> legalCache =
            new it.unimi.dsi.fastutil.objects.Object2ObjectOpenHashMap<>();
    private int cachedPoint = -1;
    private int maxReplayed;
    private int wrappedReplays;
    private int orphansFreed;

    /** How many times in a row power may fail during recovery (0: recovery is not crashed). */
    private final int recoveryCrashes;
    private final RecoveryCrashes recoveryCrashPoints;

    public CrashChecker(FsGeometry geometry, Recovery.Options recoveryOptions) {
        this(geometry, recoveryOptions, 0, dev.daxfuzz.pm.Persistency.ADR);
    }

    /**
     * A checker that also lets power fail up to {@code recoveryCrashes} times in a row while
     * recovery runs (spec §8), on a platform of the given persistency.
     */
    public CrashChecker(FsGeometry geometry, Recovery.Options recoveryOptions, int recoveryCrashes,
                        dev.daxfuzz.pm.Persistency persistency) {
        this.geometry = geometry;
        this.recoveryOptions = recoveryOptions;
        this.recoveryCrashes = recoveryCrashes;
        this.recoveryCrashPoints = new RecoveryCrashes(persistency);
    }

    /**
     * A new crash point of the program: at most {@code maxImages} images of crashed recoveries are
     * explored for it, and at most {@code maxImagesPerBarrier} for each barrier a recovery crashes
     * before ({@link RecoveryCrashes#startPoint(long, long)}; Long.MAX_VALUE: no such bound).
     */
    public void startCrashPoint(long maxImages, long maxImagesPerBarrier) {
        recoveryCrashPoints.startPoint(maxImages, maxImagesPerBarrier);
    }

    /** Images of crashed recoveries explored so far, and points whose exploration was cut. */
    public RecoveryCrashes recoveryCrashPoints() {
        return recoveryCrashPoints;
    }

    /**
     * What the recoveries this checker ran had to do, summed over its crash states: the most
     * transactions one replay applied, replays that wrapped around the end of the log, and
     * orphans freed. Feedback for the fuzzer; verdicts never depend on it.
     */
    public record RecoveryDepth(int maxTransactionsReplayed, int wrappedReplays, int orphansFreed) {
    }

    /** See {@link RecoveryDepth}. */
    public RecoveryDepth recoveryDepth() {
        return new RecoveryDepth(maxReplayed, wrappedReplays, orphansFreed);
    }

    /**
     * The verdict on {@code image}: empty when every check passes. With recovery crashes, the
     * image is also recovered after every crash of its recovery, and of that recovery's, up to
     * the configured depth; each recovery that completes is judged, and recovering what it left
     * must change nothing.
     */
    public Optional<Violation> check(CrashImage image, CrashContext ctx, List<String> canonicals) {
        if (recoveryCrashes == 0) {
            return checkOnce(image, ctx, canonicals, false, null);
        }
        return chain(image, ctx, canonicals, 0, new ArrayList<>());
    }

    private Optional<Violation> chain(CrashImage image, CrashContext ctx, List<String> canonicals, int level,
                                      List<String> crashes) {
        Recovery.Mounted[] mounted = new Recovery.Mounted[1];
        Optional<Violation> v = checkOnce(image, ctx, canonicals, true, mounted);
        if (v.isEmpty() && mounted[0] != null) {
            v = checkIdempotent(mounted[0], ctx);
        }
        if (v.isPresent() || mounted[0] == null || level == recoveryCrashes) {
            return v.map(w -> w.afterRecoveryCrashes(crashes));
        }
        Violation[] found = new Violation[1];
        recoveryCrashPoints.forEach(image, mounted[0].blocks().writes(), (where, next) -> {
            crashes.add(where);
            Optional<Violation> r = chain(next, ctx, canonicals, level + 1, crashes);
            crashes.remove(crashes.size() - 1);
            if (r.isPresent()) {
                found[0] = r.get();
                return false;
            }
            return true;
        });
        return Optional.ofNullable(found[0]);
    }

    /**
     * Idempotence: mounting the image a completed recovery leaves must succeed and write nothing
     * that changes it (jbd2 finds an empty log, the orphans are gone). A recovery that is not
     * idempotent cannot be restarted safely, whatever a single crash shows.
     */
    private Optional<Violation> checkIdempotent(Recovery.Mounted first, CrashContext ctx) {
        CrashImage recovered = first.blocks().recovered();
        Recovery.Outcome again;
        try {
            again = Recovery.mount(recovered, geometry, recoveryOptions, true);
        } catch (RuntimeException e) {
            again = new Recovery.Failed("recovery crashed: " + e);
        }
        if (again instanceof Recovery.Failed f) {
            return violation(ViolationKind.RECOVERY_NOT_IDEMPOTENT, ctx, "mounting the image a completed recovery left"
                    + " fails: " + f.reason(), List.of("a mounted file system, unchanged"), List.of("EUCLEAN: " + f.reason()));
        }
        Recovery.Mounted second = (Recovery.Mounted) again;
                for (dev.daxfuzz.fs.RecoveryWrites.Entry e : second.blocks().writes().entries()) {
            if (!(e instanceof dev.daxfuzz.fs.RecoveryWrites.Store st)) {
                continue;
            }
            for (int i = 0; i < st.length(); i++) {
                byte before = recovered.read(st.addr() + i);
                if (before != st.byteAt(i)) {
                    String what = String.format("byte 0x%x: 0x%02x", st.addr() + i, before & 0xff);
                    return violation(ViolationKind.RECOVERY_NOT_IDEMPOTENT, ctx, String.format("a second recovery of the"
                            + " recovered image rewrites device byte 0x%x (0x%02x becomes 0x%02x): %s", st.addr() + i,
                            before & 0xff, st.byteAt(i) & 0xff, second.log().transactionsReplayed() > 0
                                    ? "it replays " + second.log().transactionsReplayed() + " transaction(s) again"
                                    : second.log().orphansFreed() > 0 ? "it frees " + second.log().orphansFreed()
                                    + " orphan(s) again" : "its journal reset differs"),
                            List.of(what), List.of(String.format("byte 0x%x: 0x%02x", st.addr() + i, st.byteAt(i) & 0xff)));
                }
            }
        }
        return Optional.empty();
    }

    /**
     * One recovery and its verdict; {@code mounted[0]} receives the mounted file system when the
     * image mounted (and {@code mounted} is not null).
     */
    private Optional<Violation> checkOnce(CrashImage image, CrashContext ctx, List<String> canonicals, boolean record,
                                          Recovery.Mounted[] mountedOut) {
        Recovery.Outcome outcome;
        try {
            outcome = Recovery.mount(image, geometry, recoveryOptions, record);
        } catch (RuntimeException e) {
            return violation(ViolationKind.RECOVERY_FAILED, ctx, "recovery crashed: " + e,
                    List.of("a mounted file system"), List.of(String.valueOf(e)));
        }
        if (outcome instanceof Recovery.Failed f && f.mediaError()) {
            // Metadata on poisoned media: the mount fails cleanly with EIO, which is allowed
            // (never a wrong tree). Nothing more can be judged of this image.
            return Optional.empty();
        }
        if (outcome instanceof Recovery.Failed f) {
            return violation(ViolationKind.RECOVERY_FAILED, ctx, "the crash image does not mount: " + f.reason(),
                    List.of("a mounted file system"), List.of("EUCLEAN: " + f.reason()));
        }
        Recovery.Mounted mounted = (Recovery.Mounted) outcome;
        if (mountedOut != null) {
            mountedOut[0] = mounted;
        }
        Volume vol = mounted.volume();
        maxReplayed = Math.max(maxReplayed, mounted.log().transactionsReplayed());
        orphansFreed += mounted.log().orphansFreed();
        if (mounted.log().transactionsReplayed() > 0 && mounted.log().endLine() < mounted.log().startLine()) {
            wrappedReplays++;
        }
        List<Fsck.Problem> problems = Fsck.check(vol);
        if (!problems.isEmpty()) {
            List<String> actual = new ArrayList<>();
            for (Fsck.Problem p : problems) {
                actual.add(p.toString());
            }
            return violation(ViolationKind.FSCK, ctx, "fsck: " + problems.get(0).invariant().meaning(),
                    List.of("no broken invariant"), actual);
        }
        TreeSnapshot recovered;
        try {
            recovered = extract(vol);
        } catch (FsCorruption e) {
            return violation(ViolationKind.FSCK, ctx, "the namespace cannot be read: " + e.getMessage(),
                    List.of("a readable namespace"), List.of(e.getMessage()));
        }
        String canonical = recovered.canonical();
        IntArrayList legal = new IntArrayList();
        int older = Integer.MIN_VALUE;
        for (int k = ctx.currentStep(); k >= -1; k--) {
            if (canonicals.get(k + 1).equals(canonical)) {
                if (k >= ctx.floor()) {
                    legal.add(k);
                } else if (older == Integer.MIN_VALUE) {
                    older = k;
                }
            }
        }
        if (legal.isEmpty()) {
            List<String> expected = lines(canonicals.get(ctx.currentStep() + 1));
            if (older != Integer.MIN_VALUE) {
                return violation(ViolationKind.LOST_DURABLE_DATA, ctx, "the recovered namespace is the one after "
                        + ctx.stepName(older) + ", but the calls up to " + ctx.stepName(ctx.floor()) + " were made durable",
                        lines(canonicals.get(ctx.floor() + 1)), lines(canonical));
            }
            int before = Math.max(ctx.floor(), ctx.currentStep() - 1);
            List<String> exp = new ArrayList<>(lines(canonicals.get(before + 1)));
            exp.add("    (or, once " + ctx.stepName(ctx.currentStep()) + " took effect:)");
            exp.addAll(expected);
            return violation(ViolationKind.NOT_ATOMIC, ctx, "the recovered namespace is not the state after any "
                    + "prefix of the calls from " + ctx.stepName(ctx.floor()) + " to " + ctx.stepName(ctx.currentStep()),
                    exp, lines(canonical));
        }
        // The namespace shows paths, types and sizes, not which inode a name leads to: after
        // `unlink /a; open /a creat; truncate /a 8K` the tree reads as it did when the first /a
        // was 8K, so several prefixes can match it. The image is legal when any one of them also
        // explains the data; the earliest is tried first, and its verdict is the one reported.
        Optional<Violation> first = Optional.empty();
        for (int i = legal.size() - 1; i >= 0; i--) {
            int committedThrough = legal.getInt(i);
            Optional<Violation> v = checkPrefix(image, vol, recovered, ctx, committedThrough);
            if (v.isEmpty()) {
                return v;
            }
            if (first.isEmpty()) {
                first = v;
            }
        }
        return first;
    }

    /** The data, static-map and promised-store checks, taking the calls through {@code committedThrough} as recovered. */
    private Optional<Violation> checkPrefix(CrashImage image, Volume vol, TreeSnapshot recovered, CrashContext ctx,
                                            int committedThrough) {
        TreeSnapshot model = ctx.after(committedThrough);
        Optional<Violation> data = checkData(image, vol, recovered, model, ctx, committedThrough);
        if (data.isPresent()) {
            return data;
        }
        Optional<Violation> statics = checkStatics(vol, ctx);
        if (statics.isPresent()) {
            return statics;
        }
        return checkPromised(image, vol, recovered, model, ctx);
    }

    /**
     * The sealed daxfile promise in a crash image: a file whose inode carries the persistent
     * static flag has exactly the block map one of its seals froze, every block allocated and
     * written. Which seal set the flag the image does not say: a file sealed, cleared, changed and
     * sealed again may show either seal's flag, depending on how much of the clear and the second
     * seal reached the media, so the image is judged against each of the file's seals up to the
     * crash, and it is a violation only when it fits none of them (the report names the latest).
     */
    private Optional<Violation> checkStatics(Volume vol, CrashContext ctx) {
        if (ctx.statics().isEmpty()) {
            return Optional.empty();
        }
        java.util.Map<Integer, List<StaticMap>> seals = new java.util.TreeMap<>();
        for (StaticMap m : ctx.statics()) {
            if (m.step() <= ctx.currentStep()) {
                seals.computeIfAbsent(m.fsIno(), k -> new ArrayList<>()).add(m);
            }
        }
        for (List<StaticMap> ofFile : seals.values()) {
            int ino = ofFile.get(0).fsIno();
            if (vol.mode(ino) != dev.daxfuzz.fs.layout.InodeFormat.MODE_FILE
                    || (vol.flags(ino) & dev.daxfuzz.fs.layout.InodeFormat.FLAG_DAXFILE) == 0) {
                continue;
            }
            int blocks = (int) Math.min(FsGeometry.FILE_BLOCKS_MAX,
                    (vol.size(ino) + FsGeometry.BLOCK_BYTES - 1) / FsGeometry.BLOCK_BYTES);
            Optional<Violation> last = Optional.empty();
            boolean fits = false;
            for (StaticMap m : ofFile) {
                List<String> want = new ArrayList<>();
                List<String> got = new ArrayList<>();
                boolean differs = blocks != m.pointers().length;
                for (int fb = 0; fb < Math.max(blocks, m.pointers().length); fb++) {
                    int expected = fb < m.pointers().length ? m.pointers()[fb] : 0;
                    int actual = fb < blocks ? vol.pointer(ino, fb) : 0;
                    want.add(m.path() + " block " + fb + " -> " + pointer(expected));
                    got.add(m.path() + " block " + fb + " -> " + pointer(actual));
                    differs |= expected != actual || !dev.daxfuzz.fs.layout.InodeFormat.allocated(actual)
                            || dev.daxfuzz.fs.layout.InodeFormat.unwritten(actual);
                }
                if (!differs) {
                    fits = true;
                    break;
                }
                last = violation(ViolationKind.IMMUTABLE_VIOLATED, ctx, "after recovery " + m.path()
                        + " carries the persistent static flag, but its block map is not the fully written map it"
                        + " was sealed with at " + ctx.stepName(m.step()), want, got);
            }
            if (!fits) {
                return last;
            }
        }
        return Optional.empty();
    }

    private static String pointer(int ptr) {
        if (!dev.daxfuzz.fs.layout.InodeFormat.allocated(ptr)) {
            return "hole";
        }
        return "block " + dev.daxfuzz.fs.layout.InodeFormat.blockOf(ptr)
                + (dev.daxfuzz.fs.layout.InodeFormat.unwritten(ptr) ? " (unwritten)" : "");
    }

    /**
     * The MAP_SYNC and daxfile promise: the latest promised store of each file byte whose value
     * reached the media in this image must read back at its file offset, unless a later call or
     * store changed that byte (then the ordinary data rules judge it).
     */
    private Optional<Violation> checkPromised(CrashImage image, Volume vol, TreeSnapshot recovered, TreeSnapshot matched,
                                              CrashContext ctx) {
        if (ctx.promised().isEmpty()) {
            return Optional.empty();
        }
        List<PromisedStore> stores = ctx.promised();
        TreeSnapshot now = ctx.after(ctx.currentStep());
        // One slot the visiting lambda can write its verdict into.
        java.util.concurrent.atomic.AtomicReference<Optional<Violation>> verdict =
                new java.util.concurrent.atomic.AtomicReference<>(Optional.empty());
        // Each byte's latest promised store, visited in the order of the text "inode:offset" (the
        // order the check has always used, and so the order in which it reads the image).
        PromisedBytes.of(stores, ctx.currentStep()).forEachLatest((s, i) -> {
            long offset = s.fileOffset() + i;
            if (s.bytes()[i] == s.prior()[i]
                    || changedLater(ctx.events().apply(s.modelInode()), s.step(), offset, ctx.currentStep())) {
                return true;
            }
            // Look the file up where the recovered prefix has it: a rename after the store that
            // did not survive leaves the data, legitimately, under the old name. A file that
            // exists now but not in the recovered prefix lost the metadata the store relied on.
            Optional<String> path = pathOf(matched, s.modelInode());
            if (path.isEmpty()) {
                path = pathOf(now, s.modelInode());
            }
            if (path.isEmpty()) {
                return true;
            }
            Optional<TreeSnapshot.Entry> e = recovered.entry(path.get());
            String found;
            if (e.isEmpty()) {
                found = path.get() + " does not exist";
            } else if (e.get().directory()) {
                found = path.get() + " is a directory";
            } else if (offset >= e.get().size()) {
                found = path.get() + " is " + e.get().size() + " bytes long";
            } else if (recoveredAddress(vol, e.get().inodeId(), offset) == s.pmAddr() + i) {
                // The recovered block map leads to the very byte the store went to: whatever
                // reached the media reads back. No need to look at the data (no branching).
                return true;
            } else {
                found = String.format("%s[%d] = 0x%02x", path.get(), offset, vol.read(e.get().inodeId(), offset, 1)[0] & 0xff);
            }
            // Only now ask whether the store reached the media in this image.
            if (image.poisoned(s.pmAddr() + i, 1) || image.read(s.pmAddr() + i) != s.bytes()[i]) {
                return true;
            }
            if (found.equals(String.format("%s[%d] = 0x%02x", path.get(), offset, s.bytes()[i] & 0xff))) {
                return true;
            }
            String want = String.format("%s[%d] = 0x%02x (stored by %s through a %s mapping, at 0x%x)", path.get(),
                    offset, s.bytes()[i] & 0xff, ctx.stepName(s.step()), s.why(), s.pmAddr() + i);
            String shown = found.startsWith(path.get() + "[") ? "it reads " + found.substring(found.indexOf("= ") + 2)
                    : found;
            verdict.set(violation(ViolationKind.LOST_SYNCED_DATA, ctx, "the byte " + path.get() + "[" + offset + "] that "
                    + ctx.stepName(s.step()) + " stored through a " + s.why() + " mapping reached the media, but after"
                    + " recovery " + shown, List.of(want), List.of(found))
                    .map(v -> new Violation(v.kind(), s.step(), v.crashPoint(), v.summary(), v.expected(), v.actual(),
                            v.provenance())));
            return false;
        });
        return verdict.get();
    }

    /** The PM address recovery reads file byte {@code offset} from, or -1 (hole or unwritten). */
    private static long recoveredAddress(Volume vol, int ino, long offset) {
        long fb = offset / FsGeometry.BLOCK_BYTES;
        if (fb >= FsGeometry.FILE_BLOCKS_MAX) {
            return -1;
        }
        int ptr = vol.pointer(ino, (int) fb);
        if (!dev.daxfuzz.fs.layout.InodeFormat.allocated(ptr) || dev.daxfuzz.fs.layout.InodeFormat.unwritten(ptr)) {
            return -1;
        }
        return FsGeometry.blockAddr(dev.daxfuzz.fs.layout.InodeFormat.blockOf(ptr)) + offset % FsGeometry.BLOCK_BYTES;
    }

    private static boolean changedLater(List<DataEvent> events, int step, long offset, int currentStep) {
        for (DataEvent e : events) {
            if (e.step() > step && e.step() <= currentStep && e.kind() != DataEvent.Kind.SYNC
                    && offset >= e.offset() && offset < e.offset() + e.length()) {
                return true;
            }
        }
        return false;
    }

    private static Optional<String> pathOf(TreeSnapshot s, int inodeId) {
        for (TreeSnapshot.Entry e : s.entries()) {
            if (e.inodeId() == inodeId) {
                return Optional.of(e.path());
            }
        }
        return Optional.empty();
    }

    private Optional<Violation> checkData(CrashImage image, Volume vol, TreeSnapshot recovered, TreeSnapshot model,
                                          CrashContext ctx, int committedThrough) {
        for (TreeSnapshot.Entry e : recovered.entries()) {
            if (e.directory() || e.size() == 0) {
                continue;
            }
            TreeSnapshot.Entry m = model.entry(e.path()).orElseThrow();
            List<DataEvent> events = ctx.events().apply(m.inodeId());
            Optional<Violation> v = checkFile(image, vol, e, events, ctx, committedThrough);
            if (v.isPresent()) {
                return v;
            }
        }
        return Optional.empty();
    }

    private Optional<Violation> checkFile(CrashImage image, Volume vol, TreeSnapshot.Entry e, List<DataEvent> events,
                                          CrashContext ctx, int committedThrough) {
        // The legal values of the file's bytes, computed once per crash point: runs that recover
        // the same prefix share them.
        if (cachedPoint != ctx.crashPoint()) {
            legalCache.clear();
            cachedPoint = ctx.crashPoint();
        }
        DataLegality.FilePlan plan = legalCache.computeIfAbsent(e.path() + "|" + committedThrough,
                k -> DataLegality.plan(events, ctx.completedThrough(), ctx.currentStep(), committedThrough));
        Violation[] found = new Violation[1];
        for (Volume.Extent x : vol.extents(e.inodeId(), 0, e.size())) {
            if (x.addr() < 0) {
                long o = plan.firstIllegalZero(x.fileOffset(), x.fileOffset() + x.len());
                if (o >= 0) {
                    return Optional.of(dataViolation(e, events, o, 0, ctx, committedThrough, "a hole or unwritten block"));
                }
                continue;
            }
            long base = x.addr() - x.fileOffset();
            image.forEachPossible(x.addr(), x.len(), (addr, bytes, off, len) -> {
                if (image.poisoned(addr, len)) {
                    // Unreadable after recovery too (a read is EIO): not judged as data.
                    return true;
                }
                int i = plan.firstIllegal(addr - base, bytes, off, len);
                if (i >= 0) {
                    found[0] = dataViolation(e, events, addr + i - base, bytes[off + i] & 0xff, ctx, committedThrough,
                            String.format("device byte 0x%x", addr + i));
                    return false;
                }
                return true;
            });
            if (found[0] != null) {
                return Optional.of(found[0]);
            }
        }
        return Optional.empty();
    }

    private Violation dataViolation(TreeSnapshot.Entry e, List<DataEvent> events, long offset, int value,
                                    CrashContext ctx, int committedThrough, String where) {
        boolean lost = DataLegality.heldBeforeDurablePoint(events, offset, value, ctx.completedThrough());
        String legal = DataLegality.legalValues(events, offset, ctx.completedThrough(), ctx.currentStep(), committedThrough);
        ViolationKind kind = lost ? ViolationKind.LOST_DURABLE_DATA : ViolationKind.STALE_DATA;
        String summary = String.format("%s byte %d (%s) reads 0x%02x, %s", e.path(), offset, where, value,
                lost ? "a value from before it was made durable" : "which was never written there");
        return violation(kind, ctx, summary, List.of(e.path() + "[" + offset + "] = " + legal),
                List.of(e.path() + "[" + offset + "] = " + String.format("0x%02x", value))).orElseThrow();
    }

    private static Optional<Violation> violation(ViolationKind kind, CrashContext ctx, String summary,
                                                 List<String> expected, List<String> actual) {
        return Optional.of(new Violation(kind, ctx.currentStep(), Optional.of(ctx.description()), summary, expected,
                actual, Optional.empty()));
    }

    private static List<String> lines(String canonical) {
        return canonical.isEmpty() ? List.of("(empty file system)") : List.of(canonical.split("\n"));
    }

    /** The recovered namespace, in the model's terms (inode ids are the file system's). */
    public static TreeSnapshot extract(Volume vol) {
        List<TreeSnapshot.Entry> out = new ArrayList<>();
        BitSet visited = new BitSet();
        walk(vol, FsGeometry.ROOT_INO, "", out, visited, 0);
        out.sort(Comparator.comparing(TreeSnapshot.Entry::path));
        return new TreeSnapshot(out);
    }

    private static void walk(Volume vol, int dir, String prefix, List<TreeSnapshot.Entry> out, BitSet visited,
                             int depth) {
        if (visited.get(dir) || depth > vol.geometry().inodeCount()) {
            throw new FsCorruption("directory " + dir + " is reached twice");
        }
        visited.set(dir);
        for (Volume.Entry e : vol.entries(dir)) {
            String path = prefix + "/" + e.name();
            boolean isDir = vol.isDir(e.ino());
            out.add(new TreeSnapshot.Entry(path, isDir, e.ino(), isDir ? 0 : vol.size(e.ino())));
            if (isDir) {
                walk(vol, e.ino(), path, out, visited, depth + 1);
            }
        }
    }
}
