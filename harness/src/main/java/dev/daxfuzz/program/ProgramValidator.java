package dev.daxfuzz.program;

import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * The semantic rules of a {@code .dxp} program that a line-by-line parse cannot see:
 *
 * <ul>
 *   <li>Header: {@code fs} names a design this version runs ({@link Header#FS_DESIGNS}); the
 *       {@code journal} design needs a device of {@link Header#JOURNAL_DEVICE_BYTES_MIN} or more.
 *   <li>Domains: with {@code fs none} only raw-device and any-fs operations, otherwise only
 *       file-system and any-fs operations ({@link Op#domain()}).
 *   <li>Device ranges: {@code store}, {@code ntstore}, {@code load} and {@code poison ADDR LEN}
 *       touch at least one byte, all of them inside the device; a flushed address lies inside the
 *       device; {@code poison PATH OFF LEN} covers at least one byte.
 *   <li>Poison: the PATH form only with a file system, the ADDR form only with {@code fs none}.
 *   <li>Names: every FD and MAP a statement uses is bound by an earlier {@code open} or
 *       {@code mmap}. A name used after {@code close} or {@code munmap} is accepted on purpose:
 *       that is how a program asks for EBADF or EINVAL. A task uses only names bound by the
 *       setup or earlier in itself, and binds only names that neither the setup nor another task
 *       binds (tasks share the process's names, so a shared name would mean what the schedule
 *       made it mean).
 *   <li>Results: {@code => DATA} only on {@code read}, {@code mload} and {@code load};
 *       {@code => static|dynamic} only on {@code daxctl PATH get}; {@code => SIGBUS} only on
 *       user-space accesses through a mapping and on {@code load} (a machine check on poison).
 * </ul>
 *
 * <p>{@link ProgramParser#parse} runs this on every program, pointing errors at the offending
 * token. Code that builds a {@link Program} directly (a fuzzer, a shrinker) can run
 * {@link #validate(String, Program)}; its errors point at the statement's position.
 *
 * <p>Limits: nothing here depends on run-time state (file sizes, whether an {@code open}
 * succeeds); those are the runner's to report.
 */
public final class ProgramValidator {

    /** Where the parts of statements were written, for precise error positions. */
    interface Locator {
        /** The position of argument {@code index} (0-based, after the statement word) of step {@code step}. */
        SourcePos argument(int step, int index);

        /** The position of the result token after {@code =>} of step {@code step}. */
        SourcePos result(int step);

        /** The line of header line {@code key}, 0 when absent, -1 when not known. */
        int headerLine(String key);

        /** The position of header line {@code key}'s argument; 1:1 when absent or not known. */
        SourcePos headerArgument(String key);
    }

    private ProgramValidator() {
    }

    /**
     * Checks {@code program}; errors name {@code sourceName} and the position recorded in the
     * offending {@link Step}.
     */
    public static void validate(String sourceName, Program program) throws DxpSyntaxError {
        List<Step> steps = program.steps();
        validate(sourceName, program, new Locator() {
            @Override
            public SourcePos argument(int step, int index) {
                return steps.get(step).pos();
            }

            @Override
            public SourcePos result(int step) {
                return steps.get(step).pos();
            }

            @Override
            public int headerLine(String key) {
                return -1;
            }

            @Override
            public SourcePos headerArgument(String key) {
                return new SourcePos(1, 1);
            }
        });
    }

    static void validate(String source, Program program, Locator locator) throws DxpSyntaxError {
        Header header = program.header();
        checkHeader(source, header, locator);
        if (!header.schedule().isEmpty()) {
            if (!program.hasTasks()) {
                throw new DxpSyntaxError(source, locator.headerArgument("schedule"),
                        "a schedule orders tasks, and this program has none (no `task NAME` line)");
            }
            for (String name : new java.util.TreeSet<>(ProgramParser.scheduleItems(header.schedule()))) {
                if (!program.tasks().contains(name)) {
                    throw new DxpSyntaxError(source, locator.headerArgument("schedule"), "the schedule names task '"
                            + name + "', which the program does not declare (its tasks: "
                            + String.join(", ", program.tasks()) + ")");
                }
            }
        }
        // Lookups only: no iteration order reaches any output. Each name maps to the task that
        // bound it (Step.SETUP for the setup), so a task cannot use another task's names.
        Map<String, String> fds = new TreeMap<>();
        Map<String, String> maps = new TreeMap<>();
        List<Step> steps = program.steps();
        for (int i = 0; i < steps.size(); i++) {
            Step step = steps.get(i);
            Op op = step.op();
            checkDomain(source, header, step, locator);
            checkDeviceRange(source, header, op, i, locator);
            String fd = fdUsed(op);
            if (fd != null && !visible(fds, fd, step)) {
                int index = op instanceof Op.Mmap ? 1 : 0;
                throw new DxpSyntaxError(source, locator.argument(i, index), fds.containsKey(fd)
                        ? "fd '" + fd + "' is bound by task " + fds.get(fd) + "; " + OWN_NAMES
                        : "fd '" + fd + "' is not bound by any earlier open"
                                + (maps.containsKey(fd) ? " ('" + fd + "' is a map)" : ""));
            }
            String map = mapUsed(op);
            if (map != null && !visible(maps, map, step)) {
                throw new DxpSyntaxError(source, locator.argument(i, 0), maps.containsKey(map)
                        ? "map '" + map + "' is bound by task " + maps.get(map) + "; " + OWN_NAMES
                        : "map '" + map + "' is not bound by any earlier mmap"
                                + (fds.containsKey(map) ? " ('" + map + "' is an fd)" : ""));
            }
            if (op instanceof Op.Open open) {
                bind(source, fds, "fd", open.fd(), step, locator.argument(i, 0));
            } else if (op instanceof Op.Mmap mmap) {
                bind(source, maps, "map", mmap.map(), step, locator.argument(i, 0));
            }
            if (step.expectation().isPresent()) {
                checkResult(source, op, step.expectation().get(), locator.result(i));
            }
        }
    }

    private static final String OWN_NAMES = "a task uses only names bound by the setup or earlier in the same task";

    private static boolean visible(Map<String, String> names, String name, Step step) {
        String owner = names.get(name);
        return owner != null && (owner.equals(Step.SETUP) || owner.equals(step.task()));
    }

    /**
     * Records that {@code step} binds {@code name}. Tasks are threads of one process and share its
     * names, so a task may not bind a name the setup or another task binds: which binding a
     * statement meant would depend on the schedule.
     */
    private static void bind(String source, Map<String, String> names, String what, String name, Step step, SourcePos pos)
            throws DxpSyntaxError {
        String owner = names.get(name);
        if (owner != null && !step.inSetup() && !owner.equals(step.task())) {
            throw new DxpSyntaxError(source, pos, what + " '" + name + "' is already bound by "
                    + (owner.equals(Step.SETUP) ? "the setup" : "task " + owner)
                    + "; tasks share the process's names, so each task binds names of its own");
        }
        names.put(name, step.task());
    }

    /**
     * The header as a whole: a design this version runs, and a device it can format. Checked here
     * rather than line by line because {@code device} may come before or after {@code fs}.
     */
    private static void checkHeader(String source, Header header, Locator locator) throws DxpSyntaxError {
        if (!Header.FS_DESIGNS.contains(header.fs())) {
            throw new DxpSyntaxError(source, locator.headerArgument("fs"), "expected a file-system design ("
                    + String.join(" or ", Header.FS_DESIGNS) + "), found " + ProgramParser.quote(header.fs()));
        }
        if (header.fs().equals(Header.FS_JOURNAL) && header.deviceBytes() < Header.JOURNAL_DEVICE_BYTES_MIN) {
            throw new DxpSyntaxError(source, locator.headerArgument("device"), "expected a device of at least "
                    + Header.JOURNAL_DEVICE_BYTES_MIN + " bytes (" + ProgramPrinter.size(Header.JOURNAL_DEVICE_BYTES_MIN)
                    + ") for fs journal (superblock, inode table, bitmap, journal and data), found "
                    + header.deviceBytes() + (locator.headerLine("fs") == 0 ? " (fs journal is the default)" : ""));
        }
        if (header.rawDevice() && header.recoveryCrashes() > 0) {
            throw new DxpSyntaxError(source, locator.headerArgument("recovery-crashes"),
                    "expected recovery-crashes 0 with fs none (a raw device has no recovery to crash), found "
                            + header.recoveryCrashes());
        }
    }

    private static void checkDomain(String source, Header header, Step step, Locator locator) throws DxpSyntaxError {
        Op op = step.op();
        int line = locator.headerLine("fs");
        String where = line > 0 ? " (set at line " + line + ")" : line == 0 ? " (the default)" : "";
        if (header.rawDevice() && op instanceof Op.Crash c && c.choices().isPresent()) {
            throw new DxpSyntaxError(source, step.pos(), "'crash choose' draws crash states of a file system; with fs"
                    + " none every outcome is enumerated, so write plain 'crash'" + where);
        }
        if (header.rawDevice() && op instanceof Op.Poison) {
            throw new DxpSyntaxError(source, step.pos(), "'poison PATH OFF LEN' poisons a file and needs a file"
                    + " system, but fs is none" + where + "; on the raw device write 'poison ADDR LEN'");
        }
        if (!header.rawDevice() && op instanceof Op.PoisonDevice) {
            throw new DxpSyntaxError(source, step.pos(), "'poison ADDR LEN' poisons raw device bytes and needs fs"
                    + " none, but fs is " + header.fs() + where + "; with a file system write 'poison PATH OFF LEN'");
        }
        if (header.rawDevice() && op.domain() == Op.Domain.FILE_SYSTEM) {
            throw new DxpSyntaxError(source, step.pos(), "'" + op.keyword() + "' is a file-system call and needs a"
                    + " file system (fs journal or another design), but fs is none" + where);
        }
        if (!header.rawDevice() && op.domain() == Op.Domain.RAW_DEVICE) {
            throw new DxpSyntaxError(source, step.pos(), "'" + op.keyword() + "' addresses the raw device and needs"
                    + " fs none, but fs is " + header.fs() + where);
        }
    }

    private static void checkDeviceRange(String source, Header header, Op op, int step, Locator locator)
            throws DxpSyntaxError {
        long device = header.deviceBytes();
        long addr;
        long length;
        if (op instanceof Op.Store s) {
            addr = s.addr();
            length = s.data().length();
        } else if (op instanceof Op.NtStore s) {
            addr = s.addr();
            length = s.data().length();
        } else if (op instanceof Op.Load l) {
            addr = l.addr();
            length = l.len();
        } else if (op instanceof Op.PoisonDevice p) {
            addr = p.addr();
            length = p.len();
        } else if (op instanceof Op.Poison p) {
            if (p.len() == 0) {
                throw new DxpSyntaxError(source, locator.argument(step, 2), "a poison needs at least one byte");
            }
            return;
        } else if (op instanceof Op.Flush f) {
            addr = f.addr();
            if (addr >= device) {
                throw new DxpSyntaxError(source, locator.argument(step, 0), op.keyword() + " address "
                        + ProgramPrinter.address(addr) + " is outside the " + device + "-byte device");
            }
            return;
        } else {
            return;
        }
        String article = op instanceof Op.NtStore ? "an " : "a ";
        if (length == 0) {
            throw new DxpSyntaxError(source, locator.argument(step, 1), article + op.keyword()
                    + " needs at least one byte");
        }
        // Written as a subtraction so that a huge address cannot overflow the sum.
        if (addr > device - length) {
            throw new DxpSyntaxError(source, locator.argument(step, 0), op.keyword() + " of " + length + " byte"
                    + (length == 1 ? "" : "s") + " at " + ProgramPrinter.address(addr) + " ends past the end of the "
                    + device + "-byte device");
        }
    }

    private static void checkResult(String source, Op op, Expectation expectation, SourcePos pos)
            throws DxpSyntaxError {
        if (expectation instanceof Expectation.Returns) {
            if (!(op instanceof Op.Read || op instanceof Op.MLoad || op instanceof Op.Load)) {
                throw new DxpSyntaxError(source, pos, "a data result ('=> DATA') only goes with read, mload or load,"
                        + " not with '" + op.keyword() + "'");
            }
        } else if (expectation instanceof Expectation.Word w) {
            Expectation.ResultWord word = w.word();
            if (word == Expectation.ResultWord.SIGBUS) {
                boolean access = op instanceof Op.MStore || op instanceof Op.MNtStore || op instanceof Op.MLoad
                        || op instanceof Op.MFlush || op instanceof Op.Persist || op instanceof Op.Load;
                if (!access) {
                    throw new DxpSyntaxError(source, pos, "'=> SIGBUS' only goes with an access through a mapping"
                            + " (mstore, mntstore, mload, mclwb, mclflushopt, mclflush or persist) or a raw load of"
                            + " poisoned media, not with '" + op.keyword() + "'");
                }
            } else if (!(op instanceof Op.Daxctl d && d.action() == Op.DaxctlAction.GET)) {
                String what = op instanceof Op.Daxctl d ? "daxctl PATH " + d.action().keyword() : op.keyword();
                throw new DxpSyntaxError(source, pos, "'=> " + word.keyword() + "' only goes with 'daxctl PATH get',"
                        + " not with '" + what + "'");
            }
        }
    }

    /** The FD name {@code op} uses (not binds), or null. */
    private static String fdUsed(Op op) {
        if (op instanceof Op.Close x) {
            return x.fd();
        } else if (op instanceof Op.Write x) {
            return x.fd();
        } else if (op instanceof Op.Read x) {
            return x.fd();
        } else if (op instanceof Op.Truncate x) {
            return x.fd();
        } else if (op instanceof Op.Fallocate x) {
            return x.fd();
        } else if (op instanceof Op.Fsync x) {
            return x.fd();
        } else if (op instanceof Op.Fdatasync x) {
            return x.fd();
        } else if (op instanceof Op.Mmap x) {
            return x.fd();
        }
        return null;
    }

    /** The MAP name {@code op} uses (not binds), or null. */
    private static String mapUsed(Op op) {
        if (op instanceof Op.Munmap x) {
            return x.map();
        } else if (op instanceof Op.Msync x) {
            return x.map();
        } else if (op instanceof Op.MStore x) {
            return x.map();
        } else if (op instanceof Op.MNtStore x) {
            return x.map();
        } else if (op instanceof Op.MFlush x) {
            return x.map();
        } else if (op instanceof Op.MLoad x) {
            return x.map();
        } else if (op instanceof Op.Persist x) {
            return x.map();
        }
        return null;
    }
}
