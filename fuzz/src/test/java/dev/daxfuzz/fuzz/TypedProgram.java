package dev.daxfuzz.fuzz;

import com.code_intelligence.jazzer.mutation.annotation.InRange;
import com.code_intelligence.jazzer.mutation.annotation.NotNull;
import com.code_intelligence.jazzer.mutation.annotation.WithLength;
import dev.daxfuzz.fuzzing.ByteCodec;
import dev.daxfuzz.fuzzing.ByteCodec.Kind;
import dev.daxfuzz.pm.Persistency;
import dev.daxfuzz.program.Data;
import dev.daxfuzz.program.FsPath;
import dev.daxfuzz.program.Header;
import dev.daxfuzz.program.Op;
import dev.daxfuzz.program.Program;
import dev.daxfuzz.program.Step;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/**
 * The typed encoding of {@code SyscallCrash} programs: sealed records that Jazzer's mutation
 * framework mutates field by field (an offset stays an offset, a path stays a path), instead of
 * bytes whose meaning shifts when one is inserted. Each record writes exactly the bytes
 * {@link ByteCodec#decode} reads for its statement, so a typed input and its byte twin are the
 * same {@code Program}; the byte form is what findings store and {@code repro} replays.
 *
 * <p>Names are the byte encoding's: {@code path} indexes {@link ByteCodec#PATHS}, {@code fd} and
 * {@code map} of {@code Open} and {@code Mmap} name a slot ({@code f0..f3}, {@code m0, m1}), and
 * elsewhere they pick among the names bound so far (modulo their number), so a statement never
 * uses a name that was never bound; one that would is dropped by the decoder.
 */
public final class TypedProgram {
    /**
     * Offsets and lengths up to 1 MiB, the larger device: the byte encoding reaches 2^24, but
     * numbers past the device only repeat its EFBIG and ENOSPC paths.
     */
    public static final int NUM_MAX = (1 << 20) - 1;

    private TypedProgram() {
    }

    /** The header bits the byte encoding carries. */
    public record Platform(boolean eadr, boolean dropLockRetry, boolean asyncCommit, boolean smallDevice) {
    }

    /** Data of a write or store: literal bytes or a fill. */
    public sealed interface Payload permits Raw, Fill {
    }

    public record Raw(@NotNull @WithLength(min = 1, max = ByteCodec.RAW_BYTES_MAX) byte[] bytes) implements Payload {
    }

    public record Fill(@InRange(min = 0, max = 255) int value, @InRange(min = 1, max = 65536) int count) implements Payload {
    }

    /** One statement. */
    public sealed interface Stmt permits Mkdir, Rmdir, Open, Close, Write, Read, Truncate, Fallocate, Fsync, Fdatasync, Sync,
            Unlink, Link, Rename, Mmap, Munmap, Msync, MStore, MNtStore, MFlush, MLoad, Persist, Daxctl, Cred, Fence,
            Crash, CrashChoose, Poison {
    }

    public record Mkdir(@InRange(min = 0, max = 41) int path) implements Stmt {
    }

    public record Rmdir(@InRange(min = 0, max = 41) int path) implements Stmt {
    }

    /** {@code access}: 0 rdwr, 1 rdonly, 2 wronly. */
    public record Open(@InRange(min = 0, max = 3) int fd, @InRange(min = 0, max = 41) int path,
                @InRange(min = 0, max = 2) int access, boolean creat, boolean excl, boolean trunc, boolean append,
                boolean dsync) implements Stmt {
    }

    public record Close(@InRange(min = 0, max = 3) int fd) implements Stmt {
    }

    public record Write(@InRange(min = 0, max = 3) int fd, @InRange(min = 0, max = NUM_MAX) int off, @NotNull Payload data)
            implements Stmt {
    }

    public record Read(@InRange(min = 0, max = 3) int fd, @InRange(min = 0, max = NUM_MAX) int off,
                @InRange(min = 0, max = 65536) int len) implements Stmt {
    }

    public record Truncate(@InRange(min = 0, max = 3) int fd, @InRange(min = 0, max = NUM_MAX) int len) implements Stmt {
    }

    public record Fallocate(@InRange(min = 0, max = 3) int fd, Op.@NotNull FallocMode mode,
                     @InRange(min = 0, max = NUM_MAX) int off, @InRange(min = 0, max = NUM_MAX) int len) implements Stmt {
    }

    public record Fsync(@InRange(min = 0, max = 3) int fd) implements Stmt {
    }

    public record Fdatasync(@InRange(min = 0, max = 3) int fd) implements Stmt {
    }

    public record Sync() implements Stmt {
    }

    public record Unlink(@InRange(min = 0, max = 41) int path) implements Stmt {
    }

    public record Link(@InRange(min = 0, max = 41) int from, @InRange(min = 0, max = 41) int to) implements Stmt {
    }

    public record Rename(@InRange(min = 0, max = 41) int from, @InRange(min = 0, max = 41) int to) implements Stmt {
    }

    /** {@code sharing}: 0 shared, 1 shared-validate, 2 private. */
    public record Mmap(@InRange(min = 0, max = 1) int map, @InRange(min = 0, max = 3) int fd,
                @InRange(min = 0, max = NUM_MAX) int off, @InRange(min = 0, max = NUM_MAX) int len,
                @InRange(min = 0, max = 2) int sharing, boolean sync, boolean readOnly) implements Stmt {
    }

    public record Munmap(@InRange(min = 0, max = 1) int map) implements Stmt {
    }

    public record Msync(@InRange(min = 0, max = 1) int map, @InRange(min = 0, max = NUM_MAX) int off,
                 @InRange(min = 0, max = NUM_MAX) int len) implements Stmt {
    }

    public record MStore(@InRange(min = 0, max = 1) int map, @InRange(min = 0, max = NUM_MAX) int off, @NotNull Payload data)
            implements Stmt {
    }

    public record MNtStore(@InRange(min = 0, max = 1) int map, @InRange(min = 0, max = NUM_MAX) int off,
                    @NotNull Payload data) implements Stmt {
    }

    public record MFlush(@InRange(min = 0, max = 1) int map, Op.@NotNull FlushKind kind,
                  @InRange(min = 0, max = NUM_MAX) int off) implements Stmt {
    }

    public record MLoad(@InRange(min = 0, max = 1) int map, @InRange(min = 0, max = NUM_MAX) int off,
                 @InRange(min = 0, max = 4096) int len) implements Stmt {
    }

    public record Persist(@InRange(min = 0, max = 1) int map, @InRange(min = 0, max = NUM_MAX) int off,
                   @InRange(min = 0, max = 65536) int len) implements Stmt {
    }

    /** {@code align}: 0 none, 1 4K, 2 16K, 3 64K (static only). */
    public record Daxctl(@InRange(min = 0, max = 41) int path, Op.@NotNull DaxctlAction action,
                  @InRange(min = 0, max = 3) int align) implements Stmt {
    }

    /** {@code capability}: 0 CAP_LINUX_IMMUTABLE, 1 CAP_SYS_ADMIN. */
    public record Cred(boolean grant, @InRange(min = 0, max = 1) int capability) implements Stmt {
    }

    public record Fence(boolean mfence) implements Stmt {
    }

    /** {@code crash}: every crash state of this point. */
    public record Crash() implements Stmt {
    }

    /** {@code crash choose}: the crash states these choices draw, one per box. */
    public record CrashChoose(@NotNull @WithLength(min = 1, max = 16) byte[] choices) implements Stmt {
    }

    /** {@code poison PATH OFF LEN}: media poison under a file's written blocks (a length of 0 reads as 1). */
    public record Poison(@InRange(min = 0, max = 41) int path, @InRange(min = 0, max = NUM_MAX) int off,
                         @InRange(min = 0, max = NUM_MAX) int len) implements Stmt {
    }

    /** The byte encoding of a typed input. */
    static byte[] toBytes(Platform p, List<Stmt> steps) {
        ByteCodec.Writer w = new ByteCodec.Writer(p.eadr(), p.dropLockRetry(), p.asyncCommit(), p.smallDevice());
        int n = 0;
        for (Stmt s : steps) {
            if (s == null) {
                continue;
            }
            if (n++ == ByteCodec.STATEMENTS_MAX) {
                break;
            }
            write(w, s);
        }
        return w.toByteArray();
    }

    private static void write(ByteCodec.Writer w, Stmt s) {
        if (s instanceof Mkdir o) {
            w.kind(Kind.MKDIR).u8(o.path());
        } else if (s instanceof Rmdir o) {
            w.kind(Kind.RMDIR).u8(o.path());
        } else if (s instanceof Open o) {
            w.kind(Kind.OPEN).u8(o.fd()).u8(o.path()).u8(Math.floorMod(o.access(), 3) | (o.creat() ? 4 : 0)
                    | (o.excl() ? 8 : 0) | (o.trunc() ? 16 : 0) | (o.append() ? 32 : 0) | (o.dsync() ? 64 : 0));
        } else if (s instanceof Close o) {
            w.kind(Kind.CLOSE).u8(o.fd());
        } else if (s instanceof Write o) {
            payload(w.kind(Kind.WRITE).u8(o.fd()).number(o.off()), o.data());
        } else if (s instanceof Read o) {
            w.kind(Kind.READ).u8(o.fd()).number(o.off()).number(o.len());
        } else if (s instanceof Truncate o) {
            w.kind(Kind.TRUNCATE).u8(o.fd()).number(o.len());
        } else if (s instanceof Fallocate o) {
            w.kind(Kind.FALLOCATE).u8(o.fd()).u8(ordinal(o.mode())).number(o.off()).number(o.len());
        } else if (s instanceof Fsync o) {
            w.kind(Kind.FSYNC).u8(o.fd());
        } else if (s instanceof Fdatasync o) {
            w.kind(Kind.FDATASYNC).u8(o.fd());
        } else if (s instanceof Sync) {
            w.kind(Kind.SYNC);
        } else if (s instanceof Unlink o) {
            w.kind(Kind.UNLINK).u8(o.path());
        } else if (s instanceof Link o) {
            w.kind(Kind.LINK).u8(o.from()).u8(o.to());
        } else if (s instanceof Rename o) {
            w.kind(Kind.RENAME).u8(o.from()).u8(o.to());
        } else if (s instanceof Mmap o) {
            w.kind(Kind.MMAP).u8(o.map()).u8(o.fd()).number(o.off()).number(o.len())
                    .u8(Math.floorMod(o.sharing(), 3) | (o.sync() ? 4 : 0) | (o.readOnly() ? 8 : 0));
        } else if (s instanceof Munmap o) {
            w.kind(Kind.MUNMAP).u8(o.map());
        } else if (s instanceof Msync o) {
            w.kind(Kind.MSYNC).u8(o.map()).number(o.off()).number(o.len());
        } else if (s instanceof MStore o) {
            payload(w.kind(Kind.MSTORE).u8(o.map()).number(o.off()), o.data());
        } else if (s instanceof MNtStore o) {
            payload(w.kind(Kind.MNTSTORE).u8(o.map()).number(o.off()), o.data());
        } else if (s instanceof MFlush o) {
            w.kind(Kind.MFLUSH).u8(o.map()).u8(ordinal(o.kind())).number(o.off());
        } else if (s instanceof MLoad o) {
            w.kind(Kind.MLOAD).u8(o.map()).number(o.off()).number(o.len());
        } else if (s instanceof Persist o) {
            w.kind(Kind.PERSIST).u8(o.map()).number(o.off()).number(o.len());
        } else if (s instanceof Daxctl o) {
            int action = ordinal(o.action());
            int align = action == Op.DaxctlAction.STATIC.ordinal() ? Math.floorMod(o.align(), 4) : 0;
            w.kind(Kind.DAXCTL).u8(o.path()).u8(action + 3 * align);
        } else if (s instanceof Cred o) {
            w.kind(Kind.CRED).u8((o.grant() ? 1 : 0) | (Math.floorMod(o.capability(), 2) << 1));
        } else if (s instanceof Fence o) {
            w.kind(Kind.FENCE).u8(o.mfence() ? 1 : 0);
        } else if (s instanceof Crash) {
            w.kind(Kind.CRASH);
        } else if (s instanceof CrashChoose o) {
            w.crashChoose(o.choices() == null ? new byte[1] : o.choices());
        } else if (s instanceof Poison o) {
            w.kind(Kind.POISON).u8(o.path()).number(o.off()).number(o.len());
        }
    }

    /** Jazzer fills references on a best-effort basis: a null enum reads as its first constant. */
    private static int ordinal(Enum<?> e) {
        return e == null ? 0 : e.ordinal();
    }

    private static void payload(ByteCodec.Writer w, Payload p) {
        if (p instanceof Fill f) {
            w.fill(f.value(), f.count());
        } else if (p instanceof Raw r && r.bytes() != null) {
            w.raw(r.bytes());
        } else {
            w.raw(new byte[1]);
        }
    }

    // ---- from programs: seeds -----------------------------------------------------------------

    /**
     * The typed form of a decoded program (names already in the byte encoding's name space, as
     * {@link ByteCodec#decode} leaves them). {@code toBytes(platform(p), statements(p))} decodes
     * back to {@code p}.
     */
    static List<Stmt> statements(Program program) {
        List<String> fds = new ArrayList<>();
        List<String> maps = new ArrayList<>();
        List<Stmt> out = new ArrayList<>();
        for (Step step : program.steps()) {
            out.add(statement(step.op(), fds, maps));
        }
        return out;
    }

    static Platform platform(Program program) {
        Header h = program.header();
        return new Platform(h.persistency() == Persistency.EADR, h.syncFault() == Header.SyncFault.DROP_LOCK_RETRY,
                h.journalCommit() == Header.JournalCommit.ASYNC, h.deviceBytes() == 64 * 1024);
    }

    private static Stmt statement(Op op, List<String> fds, List<String> maps) {
        if (op instanceof Op.Mkdir o) {
            return new Mkdir(path(o.path()));
        } else if (op instanceof Op.Rmdir o) {
            return new Rmdir(path(o.path()));
        } else if (op instanceof Op.Open o) {
            bind(fds, o.fd());
            Set<Op.OpenFlag> f = o.flags();
            int access = f.contains(Op.OpenFlag.RDONLY) ? 1 : f.contains(Op.OpenFlag.WRONLY) ? 2 : 0;
            return new Open(Integer.parseInt(o.fd().substring(1)), path(o.path()), access, f.contains(Op.OpenFlag.CREAT),
                    f.contains(Op.OpenFlag.EXCL), f.contains(Op.OpenFlag.TRUNC), f.contains(Op.OpenFlag.APPEND),
                    f.contains(Op.OpenFlag.DSYNC));
        } else if (op instanceof Op.Close o) {
            return new Close(fds.indexOf(o.fd()));
        } else if (op instanceof Op.Write o) {
            return new Write(fds.indexOf(o.fd()), (int) o.off(), payload(o.data()));
        } else if (op instanceof Op.Read o) {
            return new Read(fds.indexOf(o.fd()), (int) o.off(), (int) o.len());
        } else if (op instanceof Op.Truncate o) {
            return new Truncate(fds.indexOf(o.fd()), (int) o.len());
        } else if (op instanceof Op.Fallocate o) {
            return new Fallocate(fds.indexOf(o.fd()), o.mode(), (int) o.off(), (int) o.len());
        } else if (op instanceof Op.Fsync o) {
            return new Fsync(fds.indexOf(o.fd()));
        } else if (op instanceof Op.Fdatasync o) {
            return new Fdatasync(fds.indexOf(o.fd()));
        } else if (op instanceof Op.Sync) {
            return new Sync();
        } else if (op instanceof Op.Unlink o) {
            return new Unlink(path(o.path()));
        } else if (op instanceof Op.Link o) {
            return new Link(path(o.oldPath()), path(o.newPath()));
        } else if (op instanceof Op.Rename o) {
            return new Rename(path(o.oldPath()), path(o.newPath()));
        } else if (op instanceof Op.Mmap o) {
            int fd = fds.indexOf(o.fd());
            bind(maps, o.map());
            Set<Op.MapFlag> f = o.flags();
            int sharing = f.contains(Op.MapFlag.SHARED) ? 0 : f.contains(Op.MapFlag.SHARED_VALIDATE) ? 1 : 2;
            return new Mmap(Integer.parseInt(o.map().substring(1)), fd, (int) o.off(), (int) o.len(), sharing,
                    f.contains(Op.MapFlag.SYNC), f.contains(Op.MapFlag.RO));
        } else if (op instanceof Op.Munmap o) {
            return new Munmap(maps.indexOf(o.map()));
        } else if (op instanceof Op.Msync o) {
            return new Msync(maps.indexOf(o.map()), (int) o.off(), (int) o.len());
        } else if (op instanceof Op.MStore o) {
            return new MStore(maps.indexOf(o.map()), (int) o.off(), payload(o.data()));
        } else if (op instanceof Op.MNtStore o) {
            return new MNtStore(maps.indexOf(o.map()), (int) o.off(), payload(o.data()));
        } else if (op instanceof Op.MFlush o) {
            return new MFlush(maps.indexOf(o.map()), o.kind(), (int) o.off());
        } else if (op instanceof Op.MLoad o) {
            return new MLoad(maps.indexOf(o.map()), (int) o.off(), (int) o.len());
        } else if (op instanceof Op.Persist o) {
            return new Persist(maps.indexOf(o.map()), (int) o.off(), (int) o.len());
        } else if (op instanceof Op.Daxctl o) {
            long a = o.align().orElse(0);
            return new Daxctl(path(o.path()), o.action(), a == 4096 ? 1 : a == 16384 ? 2 : a == 65536 ? 3 : 0);
        } else if (op instanceof Op.Cred o) {
            return new Cred(o.action() == Op.CredAction.GRANT, o.capability().equals("CAP_SYS_ADMIN") ? 1 : 0);
        } else if (op instanceof Op.Fence o) {
            return new Fence(o.kind() == Op.FenceKind.MFENCE);
        } else if (op instanceof Op.Crash o) {
            return o.choices().isPresent() ? new CrashChoose(o.choices().get().bytes().toArray()) : new Crash();
        } else if (op instanceof Op.Poison o) {
            return new Poison(path(o.path()), (int) o.off(), (int) o.len());
        }
        throw new IllegalArgumentException("not a SyscallCrash statement: " + op);
    }

    private static void bind(List<String> bound, String name) {
        if (!bound.contains(name)) {
            bound.add(name);
        }
    }

    private static int path(FsPath p) {
        int i = ByteCodec.PATHS.indexOf(p);
        if (i < 0) {
            throw new IllegalArgumentException("path outside the name space: " + p);
        }
        return i;
    }

    private static Payload payload(Data d) {
        return d instanceof Data.Fill f ? new Fill(f.value() & 0xff, (int) f.count()) : new Raw(d.bytes().toArray());
    }
}
