package dev.daxfuzz.run;

import dev.daxfuzz.fs.FileSystemCalls;
import dev.daxfuzz.program.Op;
import dev.daxfuzz.vm.FlushKind;
import dev.daxfuzz.vm.UserAccesses;
import java.util.EnumSet;
import java.util.Set;

/**
 * The one place where the {@code .dxp} language meets the system under test: translates a
 * parsed statement ({@link Op}) into a call of {@link FileSystemCalls} or an access of
 * {@link UserAccesses}, with the file system's and the address space's own argument types. The
 * file system under test and the reference model are both driven through it, so they see the
 * same call with the same arguments.
 *
 * <p>Limits: {@code crash} and the fences are not calls; the runner handles them itself.
 */
public final class SyscallDispatch {
    private SyscallDispatch() {
    }

    /** Whether {@code op} is a user instruction through a mapping (not a system call). */
    public static boolean isUserInstruction(Op op) {
        return op instanceof Op.MStore || op instanceof Op.MNtStore || op instanceof Op.MFlush
                || op instanceof Op.MLoad || op instanceof Op.Persist;
    }

    /** Statement {@code step}, a call or a user instruction, on a target that answers both. */
    public static <R, T extends FileSystemCalls<R> & UserAccesses<R>> R statement(int step, Op op, T target) {
        return isUserInstruction(op) ? access(step, op, target) : call(step, op, target);
    }

    /**
     * Calls the system call of statement {@code step}.
     *
     * @throws IllegalArgumentException when {@code op} is not a file-system call
     */
    public static <R> R call(int step, Op op, FileSystemCalls<R> fs) {
        if (op instanceof Op.Mkdir m) {
            return fs.mkdir(step, m.path());
        } else if (op instanceof Op.Rmdir r) {
            return fs.rmdir(step, r.path());
        } else if (op instanceof Op.Open o) {
            return fs.open(step, o.fd(), o.path(), openFlags(o.flags()));
        } else if (op instanceof Op.Close c) {
            return fs.close(step, c.fd());
        } else if (op instanceof Op.Write w) {
            return fs.write(step, w.fd(), w.off(), w.data().bytes());
        } else if (op instanceof Op.Read r) {
            return fs.read(step, r.fd(), r.off(), r.len());
        } else if (op instanceof Op.Truncate t) {
            return fs.truncate(step, t.fd(), t.len());
        } else if (op instanceof Op.Fallocate f) {
            return fs.fallocate(step, f.fd(), fallocMode(f.mode()), f.off(), f.len());
        } else if (op instanceof Op.Fsync f) {
            return fs.fsync(step, f.fd());
        } else if (op instanceof Op.Fdatasync f) {
            return fs.fdatasync(step, f.fd());
        } else if (op instanceof Op.Sync) {
            return fs.sync(step);
        } else if (op instanceof Op.Unlink u) {
            return fs.unlink(step, u.path());
        } else if (op instanceof Op.Link l) {
            return fs.link(step, l.oldPath(), l.newPath());
        } else if (op instanceof Op.Rename r) {
            return fs.rename(step, r.oldPath(), r.newPath());
        } else if (op instanceof Op.Mmap m) {
            return fs.mmap(step, m.map(), m.fd(), m.off(), m.len(), mapFlags(m.flags()));
        } else if (op instanceof Op.Munmap m) {
            return fs.munmap(step, m.map());
        } else if (op instanceof Op.Msync m) {
            return fs.msync(step, m.map(), m.off(), m.len());
        } else if (op instanceof Op.Daxctl d) {
            return fs.daxctl(step, d.path(), daxctlAction(d.action()), d.align());
        } else if (op instanceof Op.Cred c) {
            return fs.cred(step, c.action() == Op.CredAction.DROP
                    ? FileSystemCalls.CredAction.DROP : FileSystemCalls.CredAction.GRANT, c.capability());
        } else if (op instanceof Op.Poison p) {
            return fs.poison(step, p.path(), p.off(), p.len());
        }
        throw new IllegalArgumentException("'" + op.keyword() + "' is not a file-system call");
    }

    /**
     * Runs the user instruction of statement {@code step}.
     *
     * @throws IllegalArgumentException when {@code op} is not a user instruction
     */
    public static <R> R access(int step, Op op, UserAccesses<R> user) {
        if (op instanceof Op.MStore s) {
            return user.mstore(step, s.map(), s.off(), s.data().bytes(), false);
        } else if (op instanceof Op.MNtStore s) {
            return user.mstore(step, s.map(), s.off(), s.data().bytes(), true);
        } else if (op instanceof Op.MLoad l) {
            return user.mload(step, l.map(), l.off(), l.len());
        } else if (op instanceof Op.MFlush f) {
            return user.mflush(step, flushKind(f.kind()), f.map(), f.off());
        } else if (op instanceof Op.Persist p) {
            return user.persist(step, p.map(), p.off(), p.len());
        }
        throw new IllegalArgumentException("'" + op.keyword() + "' is not a user instruction");
    }

    /** The address space's flush for the format's flush keyword. */
    public static FlushKind flushKind(Op.FlushKind kind) {
        return switch (kind) {
            case CLFLUSH -> FlushKind.CLFLUSH;
            case CLFLUSHOPT -> FlushKind.CLFLUSHOPT;
            case CLWB -> FlushKind.CLWB;
        };
    }

    private static Set<FileSystemCalls.OpenFlag> openFlags(Set<Op.OpenFlag> flags) {
        EnumSet<FileSystemCalls.OpenFlag> out = EnumSet.noneOf(FileSystemCalls.OpenFlag.class);
        for (Op.OpenFlag f : flags) {
            out.add(switch (f) {
                case CREAT -> FileSystemCalls.OpenFlag.CREAT;
                case EXCL -> FileSystemCalls.OpenFlag.EXCL;
                case TRUNC -> FileSystemCalls.OpenFlag.TRUNC;
                case RDONLY -> FileSystemCalls.OpenFlag.RDONLY;
                case WRONLY -> FileSystemCalls.OpenFlag.WRONLY;
                case RDWR -> FileSystemCalls.OpenFlag.RDWR;
                case APPEND -> FileSystemCalls.OpenFlag.APPEND;
                case DSYNC -> FileSystemCalls.OpenFlag.DSYNC;
            });
        }
        return out;
    }

    private static Set<FileSystemCalls.MapFlag> mapFlags(Set<Op.MapFlag> flags) {
        EnumSet<FileSystemCalls.MapFlag> out = EnumSet.noneOf(FileSystemCalls.MapFlag.class);
        for (Op.MapFlag f : flags) {
            out.add(switch (f) {
                case SHARED -> FileSystemCalls.MapFlag.SHARED;
                case SHARED_VALIDATE -> FileSystemCalls.MapFlag.SHARED_VALIDATE;
                case PRIVATE -> FileSystemCalls.MapFlag.PRIVATE;
                case SYNC -> FileSystemCalls.MapFlag.SYNC;
                case RO -> FileSystemCalls.MapFlag.RO;
            });
        }
        return out;
    }

    private static FileSystemCalls.FallocMode fallocMode(Op.FallocMode mode) {
        return switch (mode) {
            case ALLOC -> FileSystemCalls.FallocMode.ALLOC;
            case KEEP_SIZE -> FileSystemCalls.FallocMode.KEEP_SIZE;
            case PUNCH -> FileSystemCalls.FallocMode.PUNCH;
            case ZERO -> FileSystemCalls.FallocMode.ZERO;
        };
    }

    private static FileSystemCalls.DaxctlAction daxctlAction(Op.DaxctlAction action) {
        return switch (action) {
            case STATIC -> FileSystemCalls.DaxctlAction.STATIC;
            case CLEAR -> FileSystemCalls.DaxctlAction.CLEAR;
            case GET -> FileSystemCalls.DaxctlAction.GET;
        };
    }
}
