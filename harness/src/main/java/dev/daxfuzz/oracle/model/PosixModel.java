package dev.daxfuzz.oracle.model;

import dev.daxfuzz.fs.CallResult;
import dev.daxfuzz.fs.FileSystemCalls;
import dev.daxfuzz.fs.FsLimits;
import dev.daxfuzz.posix.Errno;
import dev.daxfuzz.vm.FlushKind;
import dev.daxfuzz.vm.UserAccesses;
import dev.daxfuzz.program.Bytes;
import dev.daxfuzz.program.FsPath;
import dev.daxfuzz.program.Header;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.OptionalLong;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.regex.Pattern;

/**
 * The reference model of the file-system calls of the program format (spec §3.2): it runs beside
 * the file system under test, predicts every call's result as Linux would give it, and records
 * what a crash may legally leave behind (the namespace, each file's data history, and how far
 * back the metadata may fall).
 *
 * <p>It answers the same system-call interface as the file system under test
 * ({@link FileSystemCalls}, and {@link UserAccesses} for accesses through mappings), driven by
 * the same dispatch in the runner: each method returns a {@link Prediction}, computed without
 * changing anything, which the runner then {@linkplain Prediction#judge judges} against the file
 * system's actual result; judging applies the call.
 *
 * <h2>What it models</h2>
 * <ul>
 *   <li>The calls {@code mkdir rmdir open close write read truncate fallocate fsync fdatasync sync
 *   unlink link rename} on a tree of directories and regular files with hard links and link counts
 *   (a directory has 2 + its subdirectories), resolved by absolute paths; each call's result and
 *   errno in the order agreed with the file-system author, which is Linux's except where listed
 *   below (see the package tests).
 *   <li>Named file descriptors bound by {@code open} to open file descriptions; unlinked files
 *   live on while a description refers to them; the {@code openFilesMax} limit counts every open
 *   description, reachable or not.
 *   <li>File contents (sparse), sizes, and per-block allocation states
 *   ({@link BlockState}: hole, unwritten, written) so that {@code fdatasync} knows whether a step
 *   changed allocation.
 *   <li>Durability: a data history per regular-file inode ({@link #events}) and a floor below
 *   which the journaled metadata may not fall after a crash ({@link #metadataFloor}).
 * </ul>
 *
 * <h2>Results with more than one legal value</h2>
 * ENOSPC, and the failures media poison allows (see "Media poison" below): a call that would allocate (mkdir, creating open, link, rename, a write touching a
 * hole, fallocate alloc/keep-size/zero) may fail with ENOSPC instead of succeeding. Such a result
 * is accepted and the model then applies nothing for the step. Any other disagreement is not
 * accepted; the model then goes on as if its own result had happened, so that one difference does
 * not cascade into many.
 *
 * <h2>Media poison</h2>
 * {@code poison PATH OFF LEN} is a fault the program injects, not a call: the model cannot know
 * which of the file's blocks are written (poison under a hole or an unwritten extent does
 * nothing), so it keeps, per file, the 64-byte lines the program poisoned, cut at end of file,
 * and allows a failure where they are: EIO for a read that overlaps one and for a write that
 * covers one only in part (the write then changes nothing), SIGBUS for a load or store through a
 * mapping that touches one (a private store: the page it copies). A line leaves the set when a
 * write or {@code fallocate zero} covers it whole ({@code dax_recovery_write}, zeroing), when a
 * hole punch covers it whole below end of file, or when a truncate cuts it off entirely. The set
 * only ever over-approximates the poisoned media, so the model allows the failure and nowhere
 * else; that the bytes of poisoned media are never returned is the runner's own check.
 *
 * <h2>Agreed deviations from Linux</h2>
 * <ul>
 *   <li>Two access modes in one {@code open} (e.g. {@code rdonly,wronly}) are EINVAL.
 *   <li>{@code fallocate} through a read-only descriptor is EBADF even with LEN 0 (Linux checks
 *   LEN first: EINVAL).
 *   <li>Only a truncate to a smaller size frees blocks beyond the new end of file (ext4 also
 *   frees preallocated blocks past EOF on a same-size truncate).
 * </ul>
 *
 * <h2>Offsets and lengths at the edges</h2>
 * Every range test is written so that no sum can wrap past 2^63-1 (the program format's integers
 * go up to it): {@code off > limit - len}, never {@code off + len > limit}. What Linux returns there:
 * <ul>
 *   <li>{@code read} and {@code write}: EINVAL when {@code off + len} overflows {@code loff_t}
 *   ({@code fs/read_write.c rw_verify_area}, after the EBADF of {@code vfs_read}/{@code vfs_write};
 *   a zero-length write never overflows). A write starting at or past {@code fileSizeMaxBytes}
 *   ({@code s_maxbytes}) is EFBIG; one starting below it and ending past it is cut short at the
 *   limit and returns ok ({@code mm/filemap.c generic_write_check_limits}).
 *   <li>{@code truncate} past the limit: EFBIG ({@code fs/attr.c inode_newsize_ok});
 *   {@code fallocate} whose {@code off + len} passes the limit or wraps: EFBIG
 *   ({@code fs/open.c vfs_fallocate}).
 *   <li>{@code mmap} whose last byte would lie past file offset 2^63-1: EOVERFLOW
 *   ({@code mm/mmap.c file_mmap_ok}); a mapping covers whole pages, so user accesses and
 *   {@code msync} are checked against its length rounded up to a page (docs/mappings.md).
 * </ul>
 * The program's buffers are assumed valid, so {@code access_ok}'s EFAULT for a buffer larger
 * than the address space is not modelled.
 *
 * <h2>Choices where Linux or the agreed semantics leave room</h2>
 * <ul>
 *   <li>A failed {@code open} leaves its FD name bound as it was (a failed call changes nothing).
 *   <li>A final component longer than NAME_MAX is ENAMETOOLONG wherever the call looks it up
 *   (Linux's lookup), so {@code unlink}, {@code rmdir}, {@code open} without {@code creat} and
 *   rename's OLD give ENAMETOOLONG rather than ENOENT for it.
 *   <li>A rename that names one inode twice is Linux's early {@code return 0}: ENOSPC is not a
 *   legal alternative to it.
 *   <li>A DISCARD event is recorded only for a non-empty range.
 *   <li>An {@code O_DSYNC} write is a data durability point ({@link DataEvent.Kind#DSYNC_WRITE})
 *   and, like fdatasync, raises {@link #metadataFloor()} to the inode's last size or allocation
 *   change; creating a file does not count as a size change for {@code fdatasync}.
 * </ul>
 *
 * <h2>Limits</h2>
 * No permissions (credentials only as far as {@code daxctl} consults CAP_LINUX_IMMUTABLE), no
 * symbolic links, no timestamps (a timestamp change is only a dirtying step), no file positions
 * (reads and writes are positional), no device capacity (ENOSPC is never predicted, only accepted;
 * so is SIGBUS for a store that must allocate), no address-space exhaustion (any number of
 * mappings of up to 2^40 bytes fit). Mappings, user accesses and {@code daxctl} follow
 * docs/mappings.md. A read
 * returns at most {@link #MAX_RW_COUNT} bytes, as Linux does. Directories have no size and no
 * blocks, so {@code fdatasync} of a directory never raises the floor.
 *
 * <p>Deterministic (sorted collections only) and not thread-safe: one model follows one run.
 */
public final class PosixModel implements FileSystemCalls<PosixModel.Prediction>, UserAccesses<PosixModel.Prediction> {
    /** The inode id of the root directory; other inodes are numbered from 2 in creation order. */
    public static final int ROOT_INODE_ID = 1;
    /** The most bytes one read or write transfers in Linux ({@code MAX_RW_COUNT}). */
    public static final int MAX_RW_COUNT = 0x7ffff000;

    /**
     * The model's answer for one call.
     *
     * @param expected the result Linux gives (the success result when ENOSPC was also legal)
     * @param accepted whether the file system's actual result is a legal one
     */
    public record Verdict(CallResult expected, boolean accepted) {
        public Verdict {
            Objects.requireNonNull(expected, "expected");
        }
    }

    /**
     * What a call would do: its Linux result, whether ENOSPC is a legal alternative, and the
     * state change to make if it succeeds as predicted. Computing a plan changes nothing.
     */
    private record Plan(CallResult expected, boolean enospcAllowed, Runnable effect, CallResult alternative) {
        Plan(CallResult expected, boolean enospcAllowed, Runnable effect) {
            this(expected, enospcAllowed, effect, null);
        }
    }

    /**
     * What the model knows of a mapping.
     *
     * @param inodeId the mapped file
     * @param fileOffset the file offset of the mapping's first byte
     * @param length the length asked for
     * @param shared MAP_SHARED or MAP_SHARED_VALIDATE
     * @param sync VM_SYNC: MAP_SYNC honoured (shared-validate only)
     * @param writable PROT_WRITE (no {@code ro})
     */
    public record MappingView(int inodeId, long fileOffset, long length, boolean shared, boolean sync,
                              boolean writable) {
    }

    /** A mapping and, for a private one, its copied pages (file page index to bytes). */
    private record ModelMapping(ModelInode inode, MappingView view, TreeMap<Long, byte[]> copies) {
    }

    private static final long PAGE = 4096;
    private static final Pattern CAPABILITY = Pattern.compile("CAP_[A-Z_]+");
    private static final String CAP_LINUX_IMMUTABLE = "CAP_LINUX_IMMUTABLE";

    private static final CallResult ENOSPC = CallResult.failed(Errno.ENOSPC);
    private static final Runnable NOTHING = () -> { };

    private final FsLimits limits;
    private final ModelInode root = new ModelInode(ROOT_INODE_ID, true);
    private final Resolver resolver;
    /** Every inode that still exists (has a name or an open description), by id. */
    private final TreeMap<Integer, ModelInode> live = new TreeMap<>();
    /** Data history of every regular file ever created, by inode id (kept after it is gone). */
    private final TreeMap<Integer, List<DataEvent>> history = new TreeMap<>();
    /** FD name to the description it is bound to. Closed names are removed. */
    private final TreeMap<String, OpenFile> fds = new TreeMap<>();
    private int openDescriptions;
    private int nextInodeId = ROOT_INODE_ID + 1;
    private final Header.DaxfileDesign design;
    private final TreeMap<String, ModelMapping> maps = new TreeMap<>();
    private final TreeSet<String> droppedCaps = new TreeSet<>();
    private int floor = -1;
    private int lastStep = -1;

    public PosixModel(FsLimits limits) {
        this(limits, Header.DaxfileDesign.SEALED);
    }

    /** A model of the daxfile design {@code design} (mappings and other calls do not depend on it). */
    public PosixModel(FsLimits limits, Header.DaxfileDesign design) {
        this.design = Objects.requireNonNull(design, "design");
        this.limits = Objects.requireNonNull(limits, "limits");
        this.resolver = new Resolver(root, limits.nameMaxBytes());
        root.nlink = 2;
        live.put(root.id, root);
    }

    /**
     * What the model predicts for one call or user access of statement {@code step}, as computed
     * by the {@link FileSystemCalls} and {@link UserAccesses} methods: computing it changes
     * nothing; {@link #judge} then compares the system under test's actual result with it and
     * applies the call's effect to the model.
     */
    public final class Prediction {
        private final int step;
        private final Plan plan;
        private boolean judged;

        private Prediction(int step, Plan plan) {
            this.step = step;
            this.plan = plan;
        }

        /** The result Linux gives (the success result when ENOSPC is also legal). */
        public CallResult expected() {
            return plan.expected();
        }

        /**
         * Applies the call as Linux would. {@code actual} is what the file system under test
         * returned; it only matters where Linux allows more than one result (ENOSPC).
         *
         * @throws IllegalArgumentException for a step not after the previous one judged
         * @throws IllegalStateException when this prediction was judged already
         */
        public Verdict judge(CallResult actual) {
            Objects.requireNonNull(actual, "actual");
            if (judged) {
                throw new IllegalStateException("step " + step + " was judged already");
            }
            if (step <= lastStep) {
                throw new IllegalArgumentException("step " + step + " is not after step " + lastStep);
            }
            judged = true;
            lastStep = step;
            boolean same = actual.equals(plan.expected());
            boolean enospc = !same && ((plan.enospcAllowed() && actual.equals(ENOSPC))
                    || (plan.alternative() != null && actual.equals(plan.alternative())));
            if (!enospc) {
                // Either the call went as predicted or the file system is wrong; in both cases the
                // model follows Linux.
                plan.effect().run();
            }
            return new Verdict(plan.expected(), same || enospc);
        }
    }

    private Prediction predict(int step, Plan plan) {
        return new Prediction(step, plan);
    }

    /** The current namespace, root excluded, sorted by path. */
    public TreeSnapshot snapshot() {
        TreeMap<String, TreeSnapshot.Entry> byPath = new TreeMap<>();
        collect(root, "", byPath);
        return new TreeSnapshot(new ArrayList<>(byPath.values()));
    }

    /**
     * The earliest step whose resulting namespace a crash may still leave: states after steps
     * {@code >=} the floor are legal, earlier ones are not. Starts at -1 (the empty file system
     * before step 0 is legal) and only rises, at completed {@code fsync}, {@code fdatasync} and
     * {@code sync} calls.
     */
    public int metadataFloor() {
        return floor;
    }

    /**
     * The data history of inode {@code inodeId}, oldest first: empty for a directory, an unknown
     * id, or a file nothing happened to. Kept after the inode is gone.
     */
    public List<DataEvent> events(int inodeId) {
        List<DataEvent> list = history.get(inodeId);
        return list == null ? List.of() : List.copyOf(list);
    }

    /** The inode FD name {@code fd} is bound to, if it is bound to an open description. */
    public OptionalInt descriptorInode(String fd) {
        OpenFile of = fds.get(fd);
        return of == null ? OptionalInt.empty() : OptionalInt.of(of.inode().id);
    }

    /** The mapping name {@code map} is bound to. */
    public Optional<MappingView> mapping(String map) {
        ModelMapping m = maps.get(map);
        return m == null ? Optional.empty() : Optional.of(m.view());
    }

    /**
     * The current size of the file mapping {@code map} maps, or -1 for an unknown name. A store
     * through the mapping beyond this size lands in the tail of the last page, which Linux
     * zeroes on the next extension and never writes back as file data (mmap(2): "modifications
     * made to that region are not written out to the file").
     */
    public long mappedFileSize(String map) {
        ModelMapping m = maps.get(map);
        return m == null ? -1 : m.inode().size;
    }

    /** Whether live inode {@code inodeId} carries the daxfile flag. */
    public boolean isStatic(int inodeId) {
        ModelInode node = live.get(inodeId);
        return node != null && node.isStatic;
    }

    /** Whether the caller holds capability {@code cap} (programs start with all of them). */
    public boolean hasCapability(String cap) {
        return !droppedCaps.contains(cap);
    }

    /** The link count of live inode {@code inodeId} (for tests); -1 when it is gone or unknown. */
    int linkCount(int inodeId) {
        ModelInode node = live.get(inodeId);
        return node == null ? -1 : node.nlink;
    }

    /** True while inode {@code inodeId} exists: named, or held by an open description (for tests). */
    boolean exists(int inodeId) {
        return live.containsKey(inodeId);
    }

    /** The state of block {@code block} of live regular file {@code inodeId} (for tests). */
    BlockState blockState(int inodeId, long block) {
        return live.get(inodeId).blocks.get(block);
    }

    // ---- planning --------------------------------------------------------------------------

    @Override
    public Prediction mkdir(int step, FsPath path) {
        return predict(step, planMkdir(step, path));
    }

    @Override
    public Prediction rmdir(int step, FsPath path) {
        return predict(step, planRmdir(step, path));
    }

    @Override
    public Prediction open(int step, String fd, FsPath path, Set<OpenFlag> flags) {
        return predict(step, planOpen(step, fd, path, flags));
    }

    @Override
    public Prediction close(int step, String fd) {
        return predict(step, planClose(fd));
    }

    @Override
    public Prediction write(int step, String fd, long off, Bytes data) {
        return predict(step, planWrite(step, fd, off, data));
    }

    @Override
    public Prediction read(int step, String fd, long off, long len) {
        return predict(step, planRead(fd, off, len));
    }

    @Override
    public Prediction truncate(int step, String fd, long len) {
        return predict(step, planTruncate(step, fd, len));
    }

    @Override
    public Prediction fallocate(int step, String fd, FallocMode mode, long off, long len) {
        return predict(step, planFallocate(step, fd, mode, off, len));
    }

    @Override
    public Prediction fsync(int step, String fd) {
        return predict(step, planFsync(step, fd, false));
    }

    @Override
    public Prediction fdatasync(int step, String fd) {
        return predict(step, planFsync(step, fd, true));
    }

    @Override
    public Prediction sync(int step) {
        return predict(step, planSync(step));
    }

    @Override
    public Prediction unlink(int step, FsPath path) {
        return predict(step, planUnlink(step, path));
    }

    @Override
    public Prediction link(int step, FsPath oldPath, FsPath newPath) {
        return predict(step, planLink(step, oldPath, newPath));
    }

    @Override
    public Prediction rename(int step, FsPath oldPath, FsPath newPath) {
        return predict(step, planRename(step, oldPath, newPath));
    }

    @Override
    public Prediction mmap(int step, String map, String fd, long off, long len, Set<MapFlag> flags) {
        return predict(step, planMmap(map, fd, off, len, flags));
    }

    @Override
    public Prediction munmap(int step, String map) {
        return predict(step, planMunmap(map));
    }

    @Override
    public Prediction msync(int step, String map, long off, long len) {
        return predict(step, planMsync(step, map, off, len));
    }

    @Override
    public Prediction mstore(int step, String map, long off, Bytes data, boolean nonTemporal) {
        return predict(step, planStore(step, map, off, data));
    }

    @Override
    public Prediction mload(int step, String map, long off, long len) {
        return predict(step, planLoad(map, off, len));
    }

    @Override
    public Prediction mflush(int step, FlushKind kind, String map, long off) {
        return predict(step, planTouch(map, off, 1));
    }

    @Override
    public Prediction persist(int step, String map, long off, long len) {
        return predict(step, planTouch(map, off, len));
    }

    @Override
    public Prediction daxctl(int step, FsPath path, DaxctlAction action, OptionalLong align) {
        return predict(step, planDaxctl(step, path, action, align));
    }

    @Override
    public Prediction cred(int step, CredAction action, String capability) {
        return predict(step, planCred(action, capability));
    }

    @Override
    public Prediction poison(int step, FsPath path, long off, long len) {
        return predict(step, planPoison(path, off, len));
    }

    private static Plan fail(Errno errno) {
        return new Plan(CallResult.failed(errno), false, NOTHING);
    }

    private static Plan ok(boolean enospcAllowed, Runnable effect) {
        return new Plan(CallResult.OK, enospcAllowed, effect);
    }

    // ---- namespace calls -------------------------------------------------------------------

    private Plan planMkdir(int step, FsPath path) {
        if (path.isRoot()) {
            return fail(Errno.EEXIST);
        }
        Resolver.Lookup l = resolver.resolve(path);
        if (l.failed()) {
            return fail(l.error());
        }
        if (l.node() != null) {
            return fail(Errno.EEXIST);
        }
        ModelInode parent = l.parent();
        if (parent.nlink >= limits.linkMax()) {
            return fail(Errno.EMLINK);
        }
        return ok(true, () -> {
            ModelInode dir = newInode(true, step);
            dir.nlink = 2;
            parent.entries.put(l.name(), dir);
            parent.nlink++;
            parent.dirty(step);
        });
    }

    private Plan planRmdir(int step, FsPath path) {
        if (path.isRoot()) {
            return fail(Errno.EBUSY);
        }
        Resolver.Lookup l = resolver.resolve(path);
        if (l.failed()) {
            return fail(l.error());
        }
        ModelInode dir = l.node();
        if (dir == null) {
            return fail(Errno.ENOENT);
        }
        if (!dir.directory) {
            return fail(Errno.ENOTDIR);
        }
        if (!dir.entries.isEmpty()) {
            return fail(Errno.ENOTEMPTY);
        }
        return ok(false, () -> {
            removeDirectory(l.parent(), l.name(), dir, step);
            l.parent().dirty(step);
        });
    }

    private Plan planUnlink(int step, FsPath path) {
        if (path.isRoot()) {
            return fail(Errno.EISDIR);
        }
        Resolver.Lookup l = resolver.resolve(path);
        if (l.failed()) {
            return fail(l.error());
        }
        ModelInode node = l.node();
        if (node == null) {
            return fail(Errno.ENOENT);
        }
        if (node.directory) {
            return fail(Errno.EISDIR);
        }
        if (sealedStatic(node)) {
            return fail(Errno.EPERM);
        }
        return ok(false, () -> {
            l.parent().entries.remove(l.name());
            l.parent().dirty(step);
            dropLink(node, step);
        });
    }

    private Plan planLink(int step, FsPath oldPath, FsPath newPath) {
        Resolver.Lookup from = resolver.resolve(oldPath);
        if (from.failed()) {
            return fail(from.error());
        }
        ModelInode node = from.node();
        if (node == null) {
            return fail(Errno.ENOENT);
        }
        if (newPath.isRoot()) {
            return fail(Errno.EEXIST);
        }
        Resolver.Lookup to = resolver.resolve(newPath);
        if (to.failed()) {
            return fail(to.error());
        }
        if (to.node() != null) {
            return fail(Errno.EEXIST);
        }
        if (node.directory) {
            return fail(Errno.EPERM);
        }
        if (node.nlink >= limits.linkMax()) {
            return fail(Errno.EMLINK);
        }
        return ok(true, () -> {
            to.parent().entries.put(to.name(), node);
            to.parent().dirty(step);
            node.nlink++;
            node.dirty(step);
        });
    }

    private Plan planRename(int step, FsPath oldPath, FsPath newPath) {
        Resolver.Lookup from = resolver.parent(oldPath);
        if (from.failed()) {
            return fail(from.error());
        }
        Resolver.Lookup to = resolver.parent(newPath);
        if (to.failed()) {
            return fail(to.error());
        }
        if (oldPath.isRoot() || newPath.isRoot()) {
            return fail(Errno.EBUSY);
        }
        from = resolver.last(from);
        if (from.failed()) {
            return fail(from.error());
        }
        ModelInode source = from.node();
        if (source == null) {
            return fail(Errno.ENOENT);
        }
        to = resolver.last(to);
        if (to.failed()) {
            return fail(to.error());
        }
        ModelInode target = to.node();
        if (target == source) {
            // Same name, or two hard links of one file: Linux returns 0 and changes nothing.
            return ok(false, NOTHING);
        }
        if (source.directory && properPrefix(oldPath, newPath)) {
            return fail(Errno.EINVAL);
        }
        if (target != null && properPrefix(newPath, oldPath)) {
            return fail(Errno.ENOTEMPTY);
        }
        if (!source.directory && target != null && target.directory) {
            return fail(Errno.EISDIR);
        }
        if (source.directory && target != null && !target.directory) {
            return fail(Errno.ENOTDIR);
        }
        if (target != null && target.directory && !target.entries.isEmpty()) {
            return fail(Errno.ENOTEMPTY);
        }
        ModelInode oldParent = from.parent();
        ModelInode newParent = to.parent();
        boolean targetIsDir = target != null && target.directory;
        if (source.directory && oldParent != newParent && !targetIsDir && newParent.nlink >= limits.linkMax()) {
            return fail(Errno.EMLINK);
        }
        if (target != null && !target.directory && sealedStatic(target)) {
            return fail(Errno.EPERM);
        }
        String oldName = from.name();
        String newName = to.name();
        return ok(true, () -> {
            if (target != null) {
                if (target.directory) {
                    removeDirectory(newParent, newName, target, step);
                } else {
                    newParent.entries.remove(newName);
                    dropLink(target, step);
                }
            }
            oldParent.entries.remove(oldName);
            newParent.entries.put(newName, source);
            if (source.directory && oldParent != newParent) {
                // The moved directory's ".." now counts toward the new parent.
                oldParent.nlink--;
                newParent.nlink++;
            }
            oldParent.dirty(step);
            newParent.dirty(step);
            // The inode moved: its ctime changes (and a directory's ".." entry).
            source.dirty(step);
        });
    }

    /** True when {@code a}'s components are a proper prefix of {@code b}'s (a is a proper ancestor). */
    private static boolean properPrefix(FsPath a, FsPath b) {
        List<String> x = a.components();
        List<String> y = b.components();
        return x.size() < y.size() && y.subList(0, x.size()).equals(x);
    }

    // ---- descriptors -----------------------------------------------------------------------

    private Plan planOpen(int step, String fd, FsPath path, Set<OpenFlag> flags) {
        boolean rd = flags.contains(OpenFlag.RDONLY);
        boolean wr = flags.contains(OpenFlag.WRONLY);
        boolean rw = flags.contains(OpenFlag.RDWR);
        if ((rd ? 1 : 0) + (wr ? 1 : 0) + (rw ? 1 : 0) > 1) {
            return fail(Errno.EINVAL);
        }
        if (openDescriptions >= limits.openFilesMax()) {
            return fail(Errno.EMFILE);
        }
        boolean readable = !wr;
        boolean writable = wr || rw;
        boolean creat = flags.contains(OpenFlag.CREAT);
        boolean excl = flags.contains(OpenFlag.EXCL);
        boolean trunc = flags.contains(OpenFlag.TRUNC);
        boolean append = flags.contains(OpenFlag.APPEND);
        boolean dsync = flags.contains(OpenFlag.DSYNC);
        Resolver.Lookup l = resolver.resolve(path);
        if (l.failed()) {
            return fail(l.error());
        }
        ModelInode node = l.node();
        if (node == null) {
            if (!creat) {
                return fail(Errno.ENOENT);
            }
            return ok(true, () -> {
                ModelInode file = newInode(false, step);
                file.nlink = 1;
                l.parent().entries.put(l.name(), file);
                l.parent().dirty(step);
                bind(fd, new OpenFile(file, readable, writable, append, dsync));
            });
        }
        if (creat && excl) {
            return fail(Errno.EEXIST);
        }
        if (node.directory) {
            if (writable || creat || trunc) {
                return fail(Errno.EISDIR);
            }
            return ok(false, () -> bind(fd, new OpenFile(node, true, false, append, dsync)));
        }
        if (trunc && node.isStatic) {
            return fail(staticErrno());
        }
        return ok(false, () -> {
            if (trunc) {
                // O_TRUNC truncates whatever the access mode (Linux), and dirties the inode
                // (mtime) even when it was already empty.
                truncateTo(node, 0, step);
            }
            bind(fd, new OpenFile(node, readable, writable, append, dsync));
        });
    }

    private Plan planClose(String fd) {
        OpenFile of = fds.get(fd);
        if (of == null) {
            return fail(Errno.EBADF);
        }
        return ok(false, () -> {
            fds.remove(fd);
            release(of);
        });
    }

    private Plan planWrite(int step, String fd, long off, Bytes data) {
        OpenFile of = fds.get(fd);
        if (of == null || !of.writable()) {
            return fail(Errno.EBADF);
        }
        ModelInode file = of.inode();
        Bytes given = data;
        if (given.length() == 0) {
            return ok(false, NOTHING);
        }
        // rw_verify_area checks the offset the caller passed, even on an O_APPEND description.
        if (off > Long.MAX_VALUE - given.length()) {
            return fail(Errno.EINVAL);
        }
        // pwrite on an O_APPEND description writes at the end of file (a Linux quirk POSIX allows).
        long pos = of.append() ? file.size : off;
        if (pos >= limits.fileSizeMaxBytes()) {
            return fail(Errno.EFBIG);
        }
        // generic_write_check_limits: count = min(count, s_maxbytes - pos), a short write.
        int n = (int) Math.min(given.length(), limits.fileSizeMaxBytes() - pos);
        Bytes bytes = n == given.length() ? given : Bytes.of(java.util.Arrays.copyOf(given.toArray(), n));
        int bs = limits.blockBytes();
        long firstBlock = pos / bs;
        long endBlock = ceilDiv(pos + n, bs);
        if (sealedStatic(file) && (pos + n > file.size || !file.blocks.uniform(firstBlock, endBlock, BlockState.WRITTEN))) {
            return fail(Errno.EPERM);
        }
        boolean allocates = file.blocks.anyHole(firstBlock, endBlock);
        CallResult eio = poisonPartlyCovered(file, pos, pos + n) ? CallResult.failed(Errno.EIO) : null;
        return new Plan(CallResult.OK, allocates, () -> {
            clearPoison(file, pos, pos + n);
            file.content.write(pos, bytes.toArray());
            boolean changed = file.blocks.set(firstBlock, endBlock, BlockState.WRITTEN);
            if (pos + n > file.size) {
                file.size = pos + n;
                changed = true;
            }
            if (changed) {
                file.datasyncDirty(step);
            } else {
                file.dirty(step);
            }
            record(file, DataEvent.write(step, of.dsync(), pos, bytes));
            if (of.dsync()) {
                // O_DSYNC: the write returns only after fdatasync semantics for it.
                floor = Math.max(floor, file.lastDatasyncDirty);
            }
        }, eio);
    }

    private Plan planRead(String fd, long off, long len) {
        OpenFile of = fds.get(fd);
        if (of == null || !of.readable()) {
            return fail(Errno.EBADF);
        }
        if (off > Long.MAX_VALUE - len) {
            return fail(Errno.EINVAL);
        }
        ModelInode file = of.inode();
        if (file.directory) {
            return fail(Errno.EISDIR);
        }
        long n = off >= file.size ? 0 : Math.min(len, file.size - off);
        n = Math.min(n, MAX_RW_COUNT);
        Bytes bytes = Bytes.of(file.content.read(off, (int) n));
        return new Plan(new CallResult.Data(bytes), false, NOTHING,
                poisonOverlaps(file, off, n) ? CallResult.failed(Errno.EIO) : null);
    }

    private Plan planTruncate(int step, String fd, long len) {
        OpenFile of = fds.get(fd);
        if (of == null) {
            return fail(Errno.EBADF);
        }
        if (!of.writable() || of.inode().directory) {
            return fail(Errno.EINVAL);
        }
        if (sealedStatic(of.inode())) {
            return fail(Errno.EPERM);
        }
        if (len > limits.fileSizeMaxBytes()) {
            return fail(Errno.EFBIG);
        }
        if (of.inode().isStatic && len <= of.inode().size) {
            // inode_newsize_ok: truncation of an in-use swapfile is disallowed.
            return fail(Errno.ETXTBSY);
        }
        return ok(false, () -> truncateTo(of.inode(), len, step));
    }

    private Plan planFallocate(int step, String fd, FallocMode mode, long off, long len) {
        OpenFile of = fds.get(fd);
        // Linux: fdget (EBADF), then vfs_fallocate's range check (EINVAL), then FMODE_WRITE (EBADF).
        if (of == null) {
            return fail(Errno.EBADF);
        }
        if (len == 0) {
            return fail(Errno.EINVAL);
        }
        if (!of.writable()) {
            return fail(Errno.EBADF);
        }
        if (of.inode().isStatic) {
            return fail(staticErrno());
        }
        if (off > limits.fileSizeMaxBytes() - len) {
            return fail(Errno.EFBIG);
        }
        ModelInode file = of.inode();
        int bs = limits.blockBytes();
        long end = off + len;
        // Blocks the range touches at all, and blocks wholly inside it.
        long touchedFirst = off / bs;
        long touchedEnd = ceilDiv(end, bs);
        long wholeFirst = ceilDiv(off, bs);
        long wholeEnd = end / bs;
        return ok(mode != FallocMode.PUNCH, () -> {
            boolean changed;
            switch (mode) {
                case ALLOC, KEEP_SIZE -> {
                    changed = file.blocks.fillHoles(touchedFirst, touchedEnd, BlockState.UNWRITTEN);
                    if (mode == FallocMode.ALLOC && end > file.size) {
                        file.size = end;
                        changed = true;
                    }
                }
                case PUNCH -> {
                    long zeroEnd = Math.min(end, file.size);
                    if (zeroEnd > off) {
                        file.content.zero(off, zeroEnd - off);
                        record(file, DataEvent.discard(step, off, zeroEnd - off));
                        clearPoison(file, off, zeroEnd);
                    }
                    changed = file.blocks.set(wholeFirst, wholeEnd, BlockState.HOLE);
                }
                case ZERO -> {
                    clearPoison(file, off, end);
                    file.content.zero(off, len);
                    record(file, DataEvent.discard(step, off, len));
                    changed = file.blocks.fillHoles(touchedFirst, touchedEnd, BlockState.UNWRITTEN);
                    changed |= file.blocks.set(wholeFirst, wholeEnd, BlockState.UNWRITTEN);
                    if (end > file.size) {
                        file.size = end;
                        changed = true;
                    }
                }
                default -> throw new AssertionError(mode);
            }
            if (changed) {
                file.datasyncDirty(step);
            } else {
                file.dirty(step);
            }
        });
    }

    private Plan planFsync(int step, String fd, boolean datasync) {
        OpenFile of = fds.get(fd);
        if (of == null) {
            return fail(Errno.EBADF);
        }
        ModelInode node = of.inode();
        return ok(false, () -> {
            floor = Math.max(floor, datasync ? node.lastDatasyncDirty : node.lastDirty);
            if (!node.directory) {
                record(node, DataEvent.sync(step));
            }
        });
    }

    private Plan planSync(int step) {
        return ok(false, () -> {
            floor = Math.max(floor, step);
            for (ModelInode node : live.values()) {
                if (!node.directory) {
                    record(node, DataEvent.sync(step));
                }
            }
        });
    }

    // ---- mappings and user accesses (docs/mappings.md) --------------------------------------------

    private Plan planMmap(String map, String fd, long off, long len, Set<MapFlag> flags) {
        if (off % PAGE != 0 || off < 0) {
            return fail(Errno.EINVAL);
        }
        OpenFile of = fds.get(fd);
        if (of == null) {
            return fail(Errno.EBADF);
        }
        if (len == 0) {
            return fail(Errno.EINVAL);
        }
        if (len < 0 || len > (1L << 40)) {
            return fail(Errno.ENOMEM);
        }
        if (off > Long.MAX_VALUE - pageRoundUp(len)) {
            return fail(Errno.EOVERFLOW);
        }
        boolean shared = flags.contains(MapFlag.SHARED);
        boolean validate = flags.contains(MapFlag.SHARED_VALIDATE);
        boolean priv = flags.contains(MapFlag.PRIVATE);
        if ((shared ? 1 : 0) + (validate ? 1 : 0) + (priv ? 1 : 0) != 1) {
            return fail(Errno.EINVAL);
        }
        boolean writable = !flags.contains(MapFlag.RO);
        if (!priv && writable && !of.writable()) {
            return fail(Errno.EACCES);
        }
        if (!of.readable()) {
            return fail(Errno.EACCES);
        }
        if (of.inode().directory) {
            return fail(Errno.ENODEV);
        }
        boolean sync = validate && flags.contains(MapFlag.SYNC);
        MappingView view = new MappingView(of.inode().id, off, len, !priv, sync, writable);
        return ok(false, () -> {
            maps.put(map, new ModelMapping(of.inode(), view, new TreeMap<>()));
            of.inode().mappings++;
        });
    }

    private Plan planMunmap(String map) {
        ModelMapping m = maps.get(map);
        if (m == null) {
            return fail(Errno.EINVAL);
        }
        return ok(false, () -> {
            maps.remove(map);
            m.inode().mappings--;
            reap(m.inode());
        });
    }

    private Plan planMsync(int step, String map, long off, long len) {
        if (off % PAGE != 0 || off < 0 || len < 0) {
            return fail(Errno.EINVAL);
        }
        ModelMapping m = maps.get(map);
        if (m == null) {
            return fail(Errno.ENOMEM);
        }
        if (len == 0) {
            return ok(false, NOTHING);
        }
        Runnable effect = !m.view().shared() ? NOTHING : () -> {
            // fdatasync of the whole file (stronger than Linux, which writes back the range only).
            floor = Math.max(floor, m.inode().lastDatasyncDirty);
            record(m.inode(), DataEvent.sync(step));
        };
        // sys_msync rounds the length up to pages; the mapping covers whole pages.
        long covered = pageRoundUp(m.view().length());
        if (off > covered || pageRoundUp(len) > covered - off) {
            return new Plan(CallResult.failed(Errno.ENOMEM), false, effect);
        }
        return ok(false, effect);
    }

    /**
     * The checks of a user access before any byte moves; null when it may go ahead. Bytes outside
     * the mapping's whole pages are SIGSEGV; the test never forms {@code off + len}.
     */
    private CallResult accessCheck(ModelMapping m, long off, long len, boolean store) {
        if (m == null || off < 0 || len < 0) {
            return CallResult.SIGSEGV;
        }
        long covered = pageRoundUp(m.view().length());
        if (len > covered || off > covered - len) {
            return CallResult.SIGSEGV;
        }
        if (store && !m.view().writable()) {
            return CallResult.SIGSEGV;
        }
        if (len == 0) {
            return null;
        }
        long lastPage = (m.view().fileOffset() + off + len - 1) / PAGE;
        if (lastPage >= ceilDiv(m.inode().size, PAGE)) {
            return CallResult.SIGBUS;
        }
        return null;
    }

    private Plan planStore(int step, String map, long off, Bytes data) {
        ModelMapping m = maps.get(map);
        int n = data.length();
        CallResult bad = accessCheck(m, off, n, true);
        if (bad != null) {
            return new Plan(bad, false, NOTHING);
        }
        if (n == 0) {
            return ok(false, NOTHING);
        }
        ModelInode file = m.inode();
        long fileOff = m.view().fileOffset() + off;
        byte[] bytes = data.toArray();
        if (!m.view().shared()) {
            // The first store to a page copies it from the media (copy_mc): poison there is SIGBUS.
            long from = fileOff / PAGE * PAGE;
            CallResult sigbus = poisonOverlaps(file, from, ceilDiv(fileOff + n, PAGE) * PAGE - from)
                    ? CallResult.SIGBUS : null;
            return new Plan(CallResult.OK, false, () -> {
                for (long pos = fileOff; pos < fileOff + n; ) {
                    long page = pos / PAGE;
                    byte[] copy = m.copies().computeIfAbsent(page, k -> file.content.read(k * PAGE, (int) PAGE));
                    int k = (int) Math.min(fileOff + n - pos, (page + 1) * PAGE - pos);
                    System.arraycopy(bytes, (int) (pos - fileOff), copy, (int) (pos - page * PAGE), k);
                    pos += k;
                }
            }, sigbus);
        }
        long first = fileOff / PAGE;
        long end = ceilDiv(fileOff + n, PAGE);
        boolean allocates = file.blocks.anyHole(first, end);
        return new Plan(CallResult.OK, false, () -> {
            file.content.write(fileOff, bytes);
            // A store that fills a hole or an unwritten extent write-faults and changes the block
            // map. One that does not changes no metadata but the timestamps, and only if it
            // write-faults (a store through an already writable PTE enters no kernel code, as
            // file_update_time is called from the fault path alone); the model does not follow
            // page tables, so such a store promises nothing to a later fsync. Counting it as a
            // change of the inode made fsync promise every earlier call, which the file system
            // rightly does not commit when the inode is clean: a false LOST_DURABLE_DATA.
            if (file.blocks.set(first, end, BlockState.WRITTEN)) {
                file.datasyncDirty(step);
            }
            record(file, DataEvent.write(step, false, fileOff, data));
        }, allocates || poisonOverlaps(file, fileOff, n) ? CallResult.SIGBUS : null);
    }

    private Plan planLoad(String map, long off, long len) {
        ModelMapping m = maps.get(map);
        CallResult bad = accessCheck(m, off, len, false);
        if (bad != null) {
            return new Plan(bad, false, NOTHING);
        }
        int n = (int) len;
        byte[] out = new byte[n];
        long fileOff = m.view().fileOffset() + off;
        for (long pos = fileOff; pos < fileOff + n; ) {
            long page = pos / PAGE;
            int k = (int) Math.min(fileOff + n - pos, (page + 1) * PAGE - pos);
            byte[] copy = m.copies().get(page);
            byte[] src = copy != null ? java.util.Arrays.copyOfRange(copy, (int) (pos - page * PAGE),
                    (int) (pos - page * PAGE) + k) : m.inode().content.read(pos, k);
            System.arraycopy(src, 0, out, (int) (pos - fileOff), k);
            pos += k;
        }
        return new Plan(new CallResult.Data(Bytes.of(out)), false, NOTHING,
                poisonOverlaps(m.inode(), fileOff, n) ? CallResult.SIGBUS : null);
    }

    /** Flushes and persist: only the access checks matter to the model. */
    private Plan planTouch(String map, long off, long len) {
        CallResult bad = accessCheck(maps.get(map), off, len, false);
        return bad != null ? new Plan(bad, false, NOTHING) : ok(false, NOTHING);
    }

    // ---- media poison ----------------------------------------------------------------------------

    private static final long LINE = 64;

    /**
     * {@code poison PATH OFF LEN}: path errors as for any lookup, EISDIR for a directory (only
     * file data is poisoned), otherwise ok; the lines of [OFF, OFF+LEN) below end of file join the
     * file's poisoned set.
     */
    private Plan planPoison(FsPath path, long off, long len) {
        if (path.isRoot()) {
            return fail(Errno.EISDIR);
        }
        Resolver.Lookup l = resolver.resolve(path);
        if (l.failed()) {
            return fail(l.error());
        }
        ModelInode node = l.node();
        if (node == null) {
            return fail(Errno.ENOENT);
        }
        if (node.directory) {
            return fail(Errno.EISDIR);
        }
        return ok(false, () -> {
            if (off >= node.size || len == 0) {
                return;
            }
            long end = off > node.size - len ? node.size : off + len;
            if (node.poisoned == null) {
                node.poisoned = new it.unimi.dsi.fastutil.longs.LongAVLTreeSet();
            }
            for (long line = off / LINE * LINE; line < end; line += LINE) {
                node.poisoned.add(line);
            }
        });
    }

    /** Whether a poisoned line of {@code file} overlaps [off, off+len); overflow-safe. */
    private static boolean poisonOverlaps(ModelInode file, long off, long len) {
        if (file.poisoned == null || file.poisoned.isEmpty() || len <= 0) {
            return false;
        }
        long first = off / LINE * LINE;
        it.unimi.dsi.fastutil.longs.LongSortedSet from = file.poisoned.tailSet(first);
        return !from.isEmpty() && from.firstLong() - off < len;
    }

    /** Whether [from, to) covers a poisoned line of {@code file} only in part (its first or last line). */
    private static boolean poisonPartlyCovered(ModelInode file, long from, long to) {
        if (file.poisoned == null || from >= to) {
            return false;
        }
        long head = from / LINE * LINE;
        long tail = (to - 1) / LINE * LINE;
        boolean headPartial = from != head || to - head < LINE;
        boolean tailPartial = to - tail != LINE || from > tail;
        return headPartial && file.poisoned.contains(head) || tailPartial && file.poisoned.contains(tail);
    }

    /** Forgets the poisoned lines of {@code file} that lie wholly inside [from, to). */
    private static void clearPoison(ModelInode file, long from, long to) {
        if (file.poisoned == null) {
            return;
        }
        long first = (from + LINE - 1) / LINE * LINE;
        it.unimi.dsi.fastutil.longs.LongIterator it = file.poisoned.tailSet(first).iterator();
        while (it.hasNext()) {
            long line = it.nextLong();
            if (line > to - LINE) {
                break;
            }
            it.remove();
        }
    }

    // ---- daxctl and cred ------------------------------------------------------------------------

    private boolean sealedStatic(ModelInode node) {
        return design == Header.DaxfileDesign.SEALED && node.isStatic;
    }

    private Errno staticErrno() {
        return design == Header.DaxfileDesign.RFC_V1 ? Errno.ETXTBSY : Errno.EPERM;
    }

    private Plan planDaxctl(int step, FsPath path, DaxctlAction action, OptionalLong alignment) {
        ModelInode node;
        if (path.isRoot()) {
            node = root;
        } else {
            Resolver.Lookup l = resolver.resolve(path);
            if (l.failed()) {
                return fail(l.error());
            }
            if (l.node() == null) {
                return fail(Errno.ENOENT);
            }
            node = l.node();
        }
        if (node.directory) {
            return fail(Errno.EISDIR);
        }
        if (action == DaxctlAction.GET) {
            return new Plan(new CallResult.DaxState(node.isStatic), false, NOTHING);
        }
        if (droppedCaps.contains(CAP_LINUX_IMMUTABLE)) {
            return fail(Errno.EPERM);
        }
        boolean v1 = design == Header.DaxfileDesign.RFC_V1;
        if (action == DaxctlAction.CLEAR) {
            if (!node.isStatic) {
                return ok(false, NOTHING);
            }
            if (!v1 && node.mappings > 0) {
                return fail(Errno.EBUSY);
            }
            return ok(false, () -> {
                node.isStatic = false;
                if (v1) {
                    node.pinned = false;
                    reap(node);
                } else {
                    node.datasyncDirty(step);
                    floor = Math.max(floor, step);
                }
            });
        }
        if (node.isStatic) {
            return fail(Errno.EBUSY);
        }
        long align = alignment.orElse(PAGE);
        if (align < PAGE || Long.bitCount(align) != 1) {
            return fail(Errno.EINVAL);
        }
        long end = v1 ? node.size / align * align : ceilDiv(node.size, PAGE) * PAGE;
        if (end > 0 && node.blocks.anyHole(0, ceilDiv(end, limits.blockBytes()))) {
            return fail(Errno.EINVAL);
        }
        long blocks = ceilDiv(node.size, limits.blockBytes());
        CallResult alternative = align > PAGE && end > 0 ? CallResult.failed(Errno.EINVAL) : null;
        return new Plan(CallResult.OK, false, () -> {
            node.isStatic = true;
            if (v1) {
                node.pinned = true;
                return;
            }
            if (blocks > 0) {
                node.blocks.set(0, blocks, BlockState.WRITTEN);
            }
            node.datasyncDirty(step);
            floor = Math.max(floor, step);
            record(node, DataEvent.sync(step));
        }, alternative);
    }

    private Plan planCred(CredAction action, String capability) {
        if (!CAPABILITY.matcher(capability).matches()) {
            return fail(Errno.EINVAL);
        }
        return ok(false, () -> {
            if (action == CredAction.DROP) {
                droppedCaps.add(capability);
            } else {
                droppedCaps.remove(capability);
            }
        });
    }

    // ---- effects ---------------------------------------------------------------------------

    private ModelInode newInode(boolean directory, int step) {
        ModelInode node = new ModelInode(nextInodeId++, directory);
        node.dirty(step);
        live.put(node.id, node);
        if (!directory) {
            history.put(node.id, new ArrayList<>());
        }
        return node;
    }

    /** Sets {@code file}'s size to {@code len} as ftruncate does; always dirties the inode. */
    private void truncateTo(ModelInode file, long len, int step) {
        long old = file.size;
        boolean changed = false;
        if (len < old) {
            file.content.zero(len, old - len);
            // Bytes stored through a shared mapping past the old end of file sit in its last page
            // (planStore keeps them, and a load there sees them while the block lives). A block
            // wholly beyond the new size is freed with them, and a block allocated again is
            // zeroed, so they are gone. In the partial block that stays they stay too, as in the
            // file system under test, which zeroes only up to the old size (ext4's
            // ext4_block_truncate_page zeroes to the end of the block: a known difference).
            long freedFrom = ceilDiv(len, limits.blockBytes()) * limits.blockBytes();
            long lastPageEnd = ceilDiv(old, PAGE) * PAGE;
            // truncate_pagecache unmaps every page from the one past the new end of file, private
            // copies included (even_cows): a load there faults the file's page in again.
            long keptPages = ceilDiv(len, PAGE);
            for (ModelMapping m : maps.values()) {
                if (m.inode() == file) {
                    m.copies().tailMap(keptPages).clear();
                }
            }
            record(file, DataEvent.discard(step, len, old - len));
            long from = Math.max(freedFrom, old);
            if (lastPageEnd > from && !allZero(file.content.read(from, (int) (lastPageEnd - from)))) {
                file.content.zero(from, lastPageEnd - from);
                // The data oracles follow the events, not the content: they must forget them too.
                record(file, DataEvent.discard(step, from, lastPageEnd - from));
            }
            clearPoison(file, len, Long.MAX_VALUE);
            // Blocks wholly at or beyond the new size are freed; the partial last block stays.
            changed = file.blocks.set(ceilDiv(len, limits.blockBytes()), Long.MAX_VALUE, BlockState.HOLE);
        }
        if (len != old) {
            file.size = len;
            changed = true;
        }
        if (changed) {
            file.datasyncDirty(step);
        } else {
            file.dirty(step);
        }
    }

    /** Removes empty directory {@code dir} named {@code name} in {@code parent}, as rmdir does. */
    private void removeDirectory(ModelInode parent, String name, ModelInode dir, int step) {
        parent.entries.remove(name);
        parent.nlink--;
        dir.nlink = 0;
        dir.dirty(step);
        reap(dir);
    }

    /** One name of regular file {@code file} is gone (the caller removed the entry). */
    private void dropLink(ModelInode file, int step) {
        file.nlink--;
        file.dirty(step);
        reap(file);
    }

    private void bind(String fd, OpenFile of) {
        // A description the name was bound to stays open, unreachable: it still counts toward the
        // limit and keeps its inode alive.
        fds.put(fd, of);
        of.inode().openDescriptions++;
        openDescriptions++;
    }

    private void release(OpenFile of) {
        of.inode().openDescriptions--;
        openDescriptions--;
        reap(of.inode());
    }

    private void reap(ModelInode node) {
        if (!node.alive()) {
            live.remove(node.id);
        }
    }

    private void record(ModelInode file, DataEvent event) {
        history.get(file.id).add(event);
    }

    private void collect(ModelInode dir, String prefix, TreeMap<String, TreeSnapshot.Entry> out) {
        for (Map.Entry<String, ModelInode> e : dir.entries.entrySet()) {
            String path = prefix + "/" + e.getKey();
            ModelInode node = e.getValue();
            out.put(path, new TreeSnapshot.Entry(path, node.directory, node.id, node.directory ? 0 : node.size));
            if (node.directory) {
                collect(node, path, out);
            }
        }
    }

    private static boolean allZero(byte[] b) {
        for (byte x : b) {
            if (x != 0) {
                return false;
            }
        }
        return true;
    }

    private static long ceilDiv(long a, long b) {
        return a / b + (a % b == 0 ? 0 : 1);
    }

    /** {@code len} rounded up to whole pages, saturating at 2^63-1 instead of wrapping. */
    private static long pageRoundUp(long len) {
        long pages = ceilDiv(len, PAGE);
        return pages > Long.MAX_VALUE / PAGE ? Long.MAX_VALUE : pages * PAGE;
    }
}
