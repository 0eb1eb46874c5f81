package dev.daxfuzz.oracle;

import dev.daxfuzz.fs.FsGeometry;
import dev.daxfuzz.fs.Site;
import dev.daxfuzz.pm.Provenance;
import dev.daxfuzz.program.Program;
import dev.daxfuzz.program.ProgramPrinter;
import dev.daxfuzz.program.Step;
import java.util.ArrayList;
import java.util.List;
import java.util.TreeSet;

/**
 * Explains a {@link Violation} in words a person can follow: the call and crash point, a
 * "Let … then … a contradiction" paragraph, what was expected against what recovery showed as a
 * diff, how the crash image came about (which store-buffer entries were lost, which lines of which
 * region persisted), and the command that reproduces it. Computing violations is elsewhere; this
 * class only renders them.
 */
public final class ViolationReport {
    private final Program program;
    private final FsGeometry geometry;
    private final String reproduce;

    /**
     * @param reproduce the command line that reproduces the run (printed after "reproduce with:")
     */
    public ViolationReport(Program program, FsGeometry geometry, String reproduce) {
        this.program = program;
        this.geometry = geometry;
        this.reproduce = reproduce;
    }

    /** The whole report of one violation, numbered {@code number}, seen in {@code states} crash states. */
    public String render(Violation v, int number, long states) {
        StringBuilder sb = new StringBuilder();
        sb.append("VIOLATION ").append(number).append(": ").append(v.kind()).append(" (").append(v.kind().title())
                .append(")\n");
        sb.append("  call:        ").append(statement(v.step())).append('\n');
        v.crashPoint().ifPresent(cp -> sb.append("  crash point: ").append(cp).append(" (")
                .append(states).append(states == 1 ? " crash state shows it)\n" : " crash states show it)\n"));
        for (int i = 0; i < v.recoveryCrashes().size(); i++) {
            sb.append("  then:        power failed again during recovery ").append(i + 1).append(", ")
                    .append(v.recoveryCrashes().get(i)).append('\n');
        }
        sb.append("  what:        ").append(v.summary()).append("\n\n");
        sb.append(indent(chain(v) + explain(v), "  ")).append("\n\n");
        sb.append("  expected (-) and found (+):\n");
        for (String line : diff(v.expected(), v.actual())) {
            sb.append("    ").append(line).append('\n');
        }
        v.provenance().ifPresent(p -> {
            sb.append("\n  the crash image:\n");
            for (String line : provenance(p)) {
                sb.append("    ").append(line).append('\n');
            }
        });
        sb.append("\n  reproduce with: ").append(reproduce).append('\n');
        if (!v.recoveryCrashes().isEmpty()) {
            // The header carries recovery-crashes N, so the command replays the same chain; say which.
            sb.append("    (the crash chain: ").append(v.crashPoint().orElse("?"));
            for (int i = 0; i < v.recoveryCrashes().size(); i++) {
                sb.append(" -> recovery ").append(i + 1).append(' ').append(v.recoveryCrashes().get(i));
            }
            sb.append(")\n");
        }
        return sb.toString();
    }

    /** "line 7 (fsync f)", or "the start" for −1. */
    public String statement(int step) {
        if (step < 0 || step >= program.steps().size()) {
            return "the start";
        }
        Step s = program.steps().get(step);
        return "line " + s.pos().line() + " (" + ProgramPrinter.print(s.op()) + ")";
    }

    /**
     * For a violation seen only after power failed again during recovery, why that matters, ahead
     * of the kind's argument (which then speaks of the last recovery).
     */
    private static String chain(Violation v) {
        if (v.recoveryCrashes().isEmpty()) {
            return "";
        }
        return "Recovery must be restartable: whatever a recovery cut short by a power failure left, the next"
                + " recovery must still reach a state the program could have crashed into. ";
    }

    /** Where the power failed, with each recovery crash after the program's. */
    private static String where(Violation v) {
        StringBuilder sb = new StringBuilder(v.crashPoint().orElse(""));
        for (int i = 0; i < v.recoveryCrashes().size(); i++) {
            sb.append(", then again while recovery ").append(i + 1).append(" ran, ").append(v.recoveryCrashes().get(i));
        }
        if (!v.recoveryCrashes().isEmpty()) {
            sb.append(" (recovery ").append(v.recoveryCrashes().size() + 1).append(" ran to the end)");
        }
        return sb.toString();
    }

    private String explain(Violation v) {
        String call = statement(v.step());
        if (!v.argument().isEmpty()) {
            return String.join(" ", v.argument());
        }
        return switch (v.kind()) {
            case WRONG_RESULT -> "Let C = " + call + ". On Linux C returns " + String.join(", ", v.expected())
                    + "; this file system returned " + String.join(", ", v.actual()) + ".";
            case RECOVERY_FAILED -> "Let the power fail " + where(v) + ". Mounting what persisted must"
                    + " succeed after any crash, as a journaling file system promises; instead it fails ("
                    + String.join("; ", v.actual()) + ").";
            case RECOVERY_NOT_IDEMPOTENT -> "Let the power fail " + where(v) + " and recovery"
                    + " complete. Then the file system is consistent and its journal empty, so mounting it again must"
                    + " find nothing to do; but " + v.summary() + ". A recovery that does not leave a state it accepts"
                    + " as recovered cannot be restarted safely when power fails while it runs.";
            case FSCK -> "Let the power fail " + where(v) + " and the file system recover. Its"
                    + " structure must then be consistent; fsck finds " + v.actual().size()
                    + (v.actual().size() == 1 ? " broken invariant" : " broken invariants") + ", first: "
                    + v.actual().get(0) + ".";
            case NOT_ATOMIC -> "Let C = " + call + ". A crash while C runs must leave the namespace as it was"
                    + " before C, or as C leaves it (or as an earlier state not yet made durable). Then the"
                    + " recovered namespace is one of those; but it is neither: C was applied in part, a"
                    + " contradiction.";
            case LOST_DURABLE_DATA -> "Let D be the last fsync, fdatasync, sync or O_DSYNC write that returned"
                    + " before the power failed " + where(v) + ". Then everything D made durable"
                    + " must be recovered; but " + v.summary() + ": a contradiction.";
            case STALE_DATA -> "Let B be the byte named below. Then its value after recovery is one that some"
                    + " write gave it, or zero; but " + v.summary() + ", so the block behind it carries bytes"
                    + " from elsewhere (a freed block or another file).";
            case LOST_SYNCED_DATA -> "Let S = " + call + ", a store through a mapping that promises durability"
                    + " once its lines are flushed (MAP_SYNC: \"visible in the same file at the same offset even"
                    + " after the system crashes\"; or any shared mapping of a static daxfile). Let the power fail "
                    + where(v) + " with S's bytes on the media (the image holds them at S's"
                    + " persistent-memory address). Then recovery must show them at S's file offset; but "
                    + v.summary() + ": a contradiction. The block map that led to S's block was not durable when"
                    + " the mapping became writable.";
            case IMMUTABLE_VIOLATED -> "Let F be a file whose block map daxctl made static. Then until the flag"
                    + " is cleared no call and no page fault may change which blocks hold F's data or their state"
                    + " (that is what lets user space store to them without syncing metadata), and a call that"
                    + " would must be refused before anything else is checked; but "
                    + v.summary() + ".";
            case PRIVILEGE -> "Let C = " + call + ". Changing the daxfile flag needs CAP_LINUX_IMMUTABLE (as the"
                    + " RFC and chattr +i do); the caller had dropped it, so C must fail with EPERM; but it returned "
                    + String.join(", ", v.actual()) + ".";
            case DEADLOCK, LIVELOCK -> v.summary() + ".";
            case SILENT_CORRUPTION -> "Let C = " + call + ". The media behind some of the bytes C reads is poisoned"
                    + " (a machine check on read, as badblocks reports it): those bytes are lost, so C must fail"
                    + " (read: EIO; a load through a mapping: SIGBUS) rather than return anything for them; but "
                    + v.summary() + ". The caller takes them for the file's data: silent corruption.";
            case LEAK -> "Let the program end: the process exits, closing every descriptor and unmapping every"
                    + " mapping. Then the only references left at unmount are the ones the design accounts for"
                    + " (the pin of an rfc-v1 daxfile whose flag is still set); but " + v.summary() + ": the"
                    + " kernel would report \"VFS: Busy inodes after unmount\" and the inode would never leave"
                    + " memory.";
        };
    }

    /** A unified-style diff of two line lists: common lines plain, removed with -, added with +. */
    static List<String> diff(List<String> expected, List<String> actual) {
        // Longest common subsequence, then the edit script; lists are short.
        int n = expected.size();
        int m = actual.size();
        int[][] lcs = new int[n + 1][m + 1];
        for (int i = n - 1; i >= 0; i--) {
            for (int j = m - 1; j >= 0; j--) {
                lcs[i][j] = expected.get(i).equals(actual.get(j)) ? lcs[i + 1][j + 1] + 1
                        : Math.max(lcs[i + 1][j], lcs[i][j + 1]);
            }
        }
        List<String> out = new ArrayList<>();
        int i = 0;
        int j = 0;
        while (i < n || j < m) {
            if (i < n && j < m && expected.get(i).equals(actual.get(j))) {
                out.add("  " + expected.get(i));
                i++;
                j++;
            } else if (i < n && (j == m || lcs[i + 1][j] >= lcs[i][j + 1])) {
                out.add("- " + expected.get(i++));
            } else {
                out.add("+ " + actual.get(j++));
            }
        }
        return out;
    }

    private List<String> provenance(Provenance p) {
        List<String> out = new ArrayList<>();
        if (p.lost().isEmpty()) {
            out.add("every store-buffer entry had propagated");
        } else {
            out.add("still in the store buffer (lost): " + entries(p.lost()));
        }
        p.torn().ifPresent(t -> out.add("caught half-way out of the store buffer: " + entry(t)));
        // Consecutive lines with the same fate and the same writers print as one run.
        List<Provenance.Line> lines = p.lines();
        int i = 0;
        while (i < lines.size()) {
            Provenance.Line first = lines.get(i);
            String fate = fate(first);
            String from = sites(first.writes());
            String region = regionKind(first.addr());
            int j = i + 1;
            while (j < lines.size() && lines.get(j).addr() == lines.get(j - 1).addr() + FsGeometry.LINE_BYTES
                    && fate(lines.get(j)).equals(fate) && sites(lines.get(j).writes()).equals(from)
                    && regionKind(lines.get(j).addr()).equals(region)) {
                j++;
            }
            Provenance.Line last = lines.get(j - 1);
            String where = j - i == 1 ? String.format("0x%x (%s)", first.addr(), region(first.addr()))
                    : String.format("0x%x..0x%x (%d lines, %s .. %s)", first.addr(), last.addr() + FsGeometry.LINE_BYTES - 1,
                            j - i, region(first.addr()), region(last.addr()));
            out.add(where + ": " + fate + "; written by " + from);
            i = j;
        }
        return out;
    }

    private static String fate(Provenance.Line line) {
        if (line.fullyPersisted()) {
            return line.writes().size() == 1 ? "persisted" : "all " + line.writes().size() + " writes persisted";
        }
        if (line.persistedWrites() == 0 && line.partialWordMask() == 0) {
            return "not persisted";
        }
        String s = line.persistedWrites() + " of " + line.writes().size() + " writes persisted";
        if (line.partialWordMask() != 0) {
            s = (line.persistedWrites() == 0 ? "of its write only" : s + ", then of the next only") + " words "
                    + words(line.partialWordMask());
        }
        return s;
    }

    private String regionKind(long addr) {
        String r = region(addr);
        int space = r.indexOf(' ');
        return r.startsWith("journal line") ? "journal" : r.startsWith("block") ? r : space < 0 ? r : r.substring(0, space);
    }

    private static boolean allBuffered(Provenance.Line line) {
        for (Provenance.Write w : line.writes()) {
            if (w.propagatedBeforeCrashPoint()) {
                return false;
            }
        }
        return true;
    }

    private String entries(List<Provenance.Entry> entries) {
        List<String> parts = new ArrayList<>();
        for (int i = 0; i < entries.size(); i++) {
            if (i == 6) {
                parts.add("… " + (entries.size() - 6) + " more");
                break;
            }
            parts.add(entry(entries.get(i)));
        }
        return String.join(", ", parts);
    }

    private String entry(Provenance.Entry e) {
        String what = e.kind().isFence() ? e.kind().mnemonic()
                : String.format("%s 0x%x%s", e.kind().mnemonic(), e.addr(), e.kind().isWrite() ? "+" + e.len() : "");
        return what + " [" + site(e.site()) + "]";
    }

    private String sites(List<Provenance.Write> writes) {
        TreeSet<String> names = new TreeSet<>();
        for (Provenance.Write w : writes) {
            names.add(site(w.site()));
        }
        return String.join(", ", names);
    }

    private String site(int site) {
        int step = Site.stepOf(site);
        String where = step < 0 ? "mkfs" : "line " + program.steps().get(step).pos().line();
        return where + " " + Site.of(site).description();
    }

    private static String words(int mask) {
        List<String> w = new ArrayList<>();
        for (int i = 0; i < 8; i++) {
            if ((mask & (1 << i)) != 0) {
                w.add(String.valueOf(i));
            }
        }
        return String.join(",", w);
    }

    /** Which region of the layout a device address falls in. */
    public String region(long addr) {
        long block = addr / FsGeometry.BLOCK_BYTES;
        if (block == 0) {
            return "superblock";
        } else if (block < geometry.bitmapBlock()) {
            return "inode " + (addr - geometry.inodeAddr(0)) / FsGeometry.INODE_BYTES;
        } else if (block < geometry.journalBlock()) {
            return "bitmap";
        } else if (block < geometry.dataStart()) {
            long line = (addr - geometry.journalLineAddr(0)) / FsGeometry.LINE_BYTES;
            return line == 0 ? "journal superblock" : "journal line " + line;
        }
        return "block " + block;
    }

    private static String indent(String text, String prefix) {
        StringBuilder sb = new StringBuilder();
        int width = 96;
        for (String para : text.split("\n")) {
            StringBuilder line = new StringBuilder(prefix);
            for (String word : para.split(" ")) {
                if (line.length() + word.length() + 1 > width && line.length() > prefix.length()) {
                    sb.append(line).append('\n');
                    line = new StringBuilder(prefix);
                }
                if (line.length() > prefix.length()) {
                    line.append(' ');
                }
                line.append(word);
            }
            sb.append(line);
        }
        return sb.toString();
    }
}
