package dev.daxfuzz.pm;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.HexFormat;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;

/**
 * A deliberately simple and slow reference for the persistency model: it explores every
 * interleaving of the operational model's steps, one small step at a time, and records the
 * durable image of every state it reaches. Nothing here is shared with the fast enumerator but
 * the ordering table {@link EntryKind#mayOvertake}, which is the model's definition.
 *
 * <p>Steps from a state:
 * <ul>
 *   <li>issue the next instruction: into its CPU's store buffer; an mfence only when that buffer
 *   is empty (it then forces the CPU's non-temporal writes); a serialise only when every buffer
 *   is empty;
 *   <li>propagate one piece of a buffered store that may overtake every older entry of its CPU
 *   (a CPU finishes one store before it propagates anything else): under ADR the piece joins its
 *   line's FIFO, under eADR it is durable at once;
 *   <li>propagate a flush (ADR: every piece in its line's FIFO becomes durable) or an sfence (the
 *   CPU's non-temporal writes, and what precedes them in their lines, become durable);
 *   <li>ADR: persist any one piece of the oldest write in a line's FIFO.
 * </ul>
 */
public final class ReferenceModel {

    /** One instruction of a test program. */
    public record Instr(EntryKind kind, int cpu, int addr, byte[] data, boolean serialize) {
        public static Instr store(int addr, byte[] data) {
            return new Instr(EntryKind.STORE, 0, addr, data, false);
        }

        public static Instr ntStore(int addr, byte[] data) {
            return new Instr(EntryKind.NT_STORE, 0, addr, data, false);
        }

        public static Instr op(EntryKind kind, int addr) {
            return new Instr(kind, 0, addr, null, false);
        }

        public static Instr serializePoint() {
            return new Instr(null, 0, 0, null, true);
        }

        Instr onCpu(int c) {
            return new Instr(kind, c, addr, data, serialize);
        }

        int line() {
            return addr / 64;
        }

        @Override
        public String toString() {
            if (serialize) {
                return "serialize";
            }
            String s = (cpu == 0 ? "" : "cpu" + cpu + " ") + kind.mnemonic();
            if (kind.isWrite()) {
                return s + " " + addr + " " + HexFormat.of().formatHex(data);
            }
            return kind.isFlush() ? s + " " + addr : s;
        }
    }

    /** A naturally aligned piece (at most 8 bytes, within one word) of one store. */
    record Piece(int addr, byte[] bytes) {
    }

    static List<Piece> pieces(int addr, byte[] data) {
        List<Piece> out = new ArrayList<>();
        int a = addr;
        int end = addr + data.length;
        while (a < end) {
            int wordEnd = (a / 8 + 1) * 8;
            int to = Math.min(end, wordEnd);
            out.add(new Piece(a, Arrays.copyOfRange(data, a - addr, to - addr)));
            a = to;
        }
        return out;
    }

    /** A store-buffer entry: the instruction and, for stores, which pieces have not propagated. */
    record Buffered(int instr, List<Integer> remainingPieces) {
    }

    /** A write in a line FIFO: its instruction, the pieces present, and which of them persisted. */
    record Pending(int instr, List<Integer> present, List<Integer> persisted) {
    }

    private final List<Instr> program;
    private final List<List<Piece>> piecesOf = new ArrayList<>();
    private final int deviceBytes;
    private final int cpus;
    private final boolean eadr;

    public ReferenceModel(List<Instr> program, int deviceBytes, int cpus, Persistency persistency) {
        this.program = program;
        this.deviceBytes = deviceBytes;
        this.cpus = cpus;
        this.eadr = persistency == Persistency.EADR;
        for (Instr i : program) {
            piecesOf.add(i.data == null ? List.of() : pieces(i.addr, i.data));
        }
    }

    /** A whole machine state; immutable, compared by value through {@link #key()}. */
    private record State(int issued, List<List<Buffered>> buffers, List<List<Pending>> fifos, byte[] durable) {
        String key() {
            return issued + "|" + buffers + "|" + fifos + "|" + HexFormat.of().formatHex(durable);
        }
    }

    /**
     * For each crash position p (0..program size: a crash after p instructions), the set of
     * durable images, as hex, of every reachable state that has issued exactly p instructions.
     */
    public List<Set<String>> crashImages() {
        List<Set<String>> images = new ArrayList<>();
        for (int p = 0; p <= program.size(); p++) {
            images.add(new TreeSet<>());
        }
        List<List<Buffered>> buffers = new ArrayList<>();
        for (int c = 0; c < cpus; c++) {
            buffers.add(List.of());
        }
        List<List<Pending>> fifos = new ArrayList<>();
        for (int l = 0; l < deviceBytes / 64; l++) {
            fifos.add(List.of());
        }
        State start = new State(0, buffers, fifos, new byte[deviceBytes]);
        ArrayDeque<State> work = new ArrayDeque<>();
        Set<String> seen = new HashSet<>();
        work.add(start);
        seen.add(start.key());
        while (!work.isEmpty()) {
            State s = work.poll();
            images.get(s.issued).add(HexFormat.of().formatHex(s.durable));
            for (State next : successors(s)) {
                if (seen.add(next.key())) {
                    work.add(next);
                }
            }
        }
        return images;
    }

    private List<State> successors(State s) {
        List<State> out = new ArrayList<>();
        issue(s, out);
        for (int c = 0; c < cpus; c++) {
            propagate(s, c, out);
        }
        if (!eadr) {
            persist(s, out);
        }
        return out;
    }

    private void issue(State s, List<State> out) {
        if (s.issued == program.size()) {
            return;
        }
        Instr in = program.get(s.issued);
        if (in.serialize) {
            for (List<Buffered> b : s.buffers) {
                if (!b.isEmpty()) {
                    return;
                }
            }
            out.add(new State(s.issued + 1, s.buffers, s.fifos, s.durable));
            return;
        }
        if (in.kind == EntryKind.MFENCE) {
            if (!s.buffers.get(in.cpu).isEmpty()) {
                return;
            }
            State fenced = forceNonTemporal(s, in.cpu);
            out.add(new State(s.issued + 1, fenced.buffers, fenced.fifos, fenced.durable));
            return;
        }
        List<List<Buffered>> buffers = copy(s.buffers);
        List<Integer> all = new ArrayList<>();
        for (int k = 0; k < piecesOf.get(s.issued).size(); k++) {
            all.add(k);
        }
        buffers.get(in.cpu).add(new Buffered(s.issued, all));
        out.add(new State(s.issued + 1, freeze(buffers), s.fifos, s.durable));
    }

    private void propagate(State s, int c, List<State> out) {
        List<Buffered> buf = s.buffers.get(c);
        for (int k = 0; k < buf.size(); k++) {
            Buffered e = buf.get(k);
            Instr in = program.get(e.instr);
            boolean inProgress = in.kind.isWrite() && e.remainingPieces.size() < piecesOf.get(e.instr).size();
            boolean mayGo = true;
            for (int o = 0; o < k && mayGo; o++) {
                Buffered older = buf.get(o);
                Instr oi = program.get(older.instr);
                boolean olderInProgress = oi.kind.isWrite()
                        && older.remainingPieces.size() < piecesOf.get(older.instr).size();
                mayGo = !olderInProgress && EntryKind.mayOvertake(in.kind, oi.kind, sameLine(in, oi));
            }
            if (!mayGo) {
                continue;
            }
            // A CPU finishes a store it has started before propagating anything else.
            boolean otherInProgress = false;
            for (Buffered other : buf) {
                Instr oi = program.get(other.instr);
                if (other != e && oi.kind.isWrite()
                        && other.remainingPieces.size() < piecesOf.get(other.instr).size()) {
                    otherInProgress = true;
                }
            }
            if (otherInProgress && !inProgress) {
                continue;
            }
            if (in.kind.isWrite()) {
                for (int piece : e.remainingPieces) {
                    out.add(propagatePiece(s, c, k, piece));
                }
            } else if (in.kind.isFlush()) {
                State t = eadr ? s : persistLine(s, in.line(), Integer.MAX_VALUE);
                out.add(removeEntry(t, c, k));
            } else if (in.kind == EntryKind.SFENCE) {
                out.add(removeEntry(forceNonTemporal(s, c), c, k));
            } else {
                throw new AssertionError("unexpected buffered " + in);
            }
        }
    }

    private State propagatePiece(State s, int c, int k, int piece) {
        Buffered e = s.buffers.get(c).get(k);
        Piece p = piecesOf.get(e.instr).get(piece);
        List<List<Buffered>> buffers = copy(s.buffers);
        List<Integer> remaining = new ArrayList<>(e.remainingPieces);
        remaining.remove(Integer.valueOf(piece));
        if (remaining.isEmpty()) {
            buffers.get(c).remove(k);
        } else {
            buffers.get(c).set(k, new Buffered(e.instr, List.copyOf(remaining)));
        }
        if (eadr) {
            byte[] durable = s.durable.clone();
            System.arraycopy(p.bytes, 0, durable, p.addr, p.bytes.length);
            return new State(s.issued, freeze(buffers), s.fifos, durable);
        }
        int line = p.addr / 64;
        List<List<Pending>> fifos = copy(s.fifos);
        List<Pending> q = fifos.get(line);
        Pending last = q.isEmpty() ? null : q.get(q.size() - 1);
        if (last != null && last.instr == e.instr) {
            List<Integer> present = new ArrayList<>(last.present);
            present.add(piece);
            q.set(q.size() - 1, new Pending(e.instr, List.copyOf(present), last.persisted));
        } else {
            q.add(new Pending(e.instr, List.of(piece), List.of()));
        }
        return new State(s.issued, freeze(buffers), freeze(fifos), s.durable);
    }

    private void persist(State s, List<State> out) {
        for (int line = 0; line < s.fifos.size(); line++) {
            List<Pending> q = s.fifos.get(line);
            if (q.isEmpty()) {
                continue;
            }
            Pending head = q.get(0);
            for (int piece : head.present) {
                if (head.persisted.contains(piece)) {
                    continue;
                }
                byte[] durable = s.durable.clone();
                Piece p = piecesOf.get(head.instr).get(piece);
                System.arraycopy(p.bytes, 0, durable, p.addr, p.bytes.length);
                List<Integer> persisted = new ArrayList<>(head.persisted);
                persisted.add(piece);
                List<List<Pending>> fifos = copy(s.fifos);
                if (complete(head, line) && persisted.size() == head.present.size()) {
                    fifos.get(line).remove(0);
                } else {
                    fifos.get(line).set(0, new Pending(head.instr, head.present, List.copyOf(persisted)));
                }
                out.add(new State(s.issued, s.buffers, freeze(fifos), durable));
            }
        }
    }

    /** True when every piece of the write's instruction that falls in {@code line} is present. */
    private boolean complete(Pending w, int line) {
        int inLine = 0;
        for (Piece p : piecesOf.get(w.instr)) {
            if (p.addr / 64 == line) {
                inLine++;
            }
        }
        return w.present.size() == inLine;
    }

    /** Persists the first {@code count} writes of a line's FIFO (every piece present). */
    private State persistLine(State s, int line, int count) {
        List<Pending> q = s.fifos.get(line);
        if (q.isEmpty()) {
            return s;
        }
        byte[] durable = s.durable.clone();
        List<List<Pending>> fifos = copy(s.fifos);
        int n = Math.min(count, q.size());
        for (int k = 0; k < n; k++) {
            Pending w = q.get(k);
            for (int piece : w.present) {
                Piece p = piecesOf.get(w.instr).get(piece);
                System.arraycopy(p.bytes, 0, durable, p.addr, p.bytes.length);
            }
        }
        // A write whose store is still propagating stays, its present pieces persisted.
        List<Pending> rest = new ArrayList<>();
        for (int k = 0; k < q.size(); k++) {
            Pending w = q.get(k);
            if (k >= n) {
                rest.add(w);
            } else if (!complete(w, line)) {
                rest.add(new Pending(w.instr, w.present, w.present));
            }
        }
        fifos.set(line, rest);
        return new State(s.issued, s.buffers, freeze(fifos), durable);
    }

    /** A fence of {@code cpu} took effect: its non-temporal writes and what precedes them persist. */
    private State forceNonTemporal(State s, int cpu) {
        State t = s;
        for (int line = 0; line < s.fifos.size(); line++) {
            List<Pending> q = t.fifos.get(line);
            int last = -1;
            for (int k = 0; k < q.size(); k++) {
                Instr in = program.get(q.get(k).instr);
                if (in.kind == EntryKind.NT_STORE && in.cpu == cpu) {
                    last = k;
                }
            }
            if (last >= 0) {
                t = persistLine(t, line, last + 1);
            }
        }
        return t;
    }

    private State removeEntry(State s, int c, int k) {
        List<List<Buffered>> buffers = copy(s.buffers);
        buffers.get(c).remove(k);
        return new State(s.issued, freeze(buffers), s.fifos, s.durable);
    }

    private static boolean sameLine(Instr a, Instr b) {
        if (a.kind.isFence() || b.kind.isFence()) {
            return false;
        }
        int aFirst = a.addr / 64;
        int aLast = (a.addr + (a.data == null ? 1 : a.data.length) - 1) / 64;
        int bFirst = b.addr / 64;
        int bLast = (b.addr + (b.data == null ? 1 : b.data.length) - 1) / 64;
        return aFirst <= bLast && bFirst <= aLast;
    }

    private static <T> List<List<T>> copy(List<List<T>> lists) {
        List<List<T>> out = new ArrayList<>();
        for (List<T> l : lists) {
            out.add(new ArrayList<>(l));
        }
        return out;
    }

    private static <T> List<List<T>> freeze(List<List<T>> lists) {
        List<List<T>> out = new ArrayList<>();
        for (List<T> l : lists) {
            out.add(List.copyOf(l));
        }
        return List.copyOf(out);
    }
}
