package dev.daxfuzz.pm;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.daxfuzz.pm.ReferenceModel.Instr;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Set;
import java.util.SplittableRandom;
import java.util.TreeSet;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/**
 * The fast crash-state enumerator against {@link ReferenceModel}, which explores every
 * interleaving of the operational model step by step: on thousands of seeded random small
 * programs, both must give the same set of crash images after every prefix of the program.
 *
 * <p>Programs use a 256-byte device (four cache lines) so that line-crossing stores, shared lines
 * and flushes of untouched lines all happen often. Seeds are fixed; a failure prints the program
 * and the images only one side produced.
 */
public class DifferentialTest {
    public static final int DEVICE_BYTES = 256;

    @Test
    void adrSingleCpuMatchesReference() {
        int checked = runMany(0xDA7F0001L, 2500, Persistency.ADR, 1);
        assertTrue(checked >= 2500);
    }

    @Test
    void eadrSingleCpuMatchesReference() {
        int checked = runMany(0xDA7F0002L, 1500, Persistency.EADR, 1);
        assertTrue(checked >= 1500);
    }

    @Test
    void adrTwoCpusOnDisjointLinesMatchesReference() {
        // With disjoint lines per CPU no cross-CPU interleaving matters, so the model is exact.
        int checked = runMany(0xDA7F0003L, 300, Persistency.ADR, 2);
        assertTrue(checked >= 300);
    }

    @Test
    void handPickedProgramsMatchReference() {
        byte[] a = bytes(1, 8);
        byte[] b = bytes(2, 8);
        List<List<Instr>> programs = List.of(
                List.of(Instr.store(0, a), Instr.op(EntryKind.CLWB, 0), Instr.store(64, b)),
                List.of(Instr.store(0, a), Instr.op(EntryKind.CLWB, 0), Instr.op(EntryKind.SFENCE, 0),
                        Instr.store(64, b)),
                List.of(Instr.store(60, a), Instr.op(EntryKind.CLFLUSH, 0), Instr.op(EntryKind.MFENCE, 0)),
                List.of(Instr.ntStore(0, a), Instr.store(64, b), Instr.op(EntryKind.SFENCE, 0),
                        Instr.store(128, bytes(3, 8))),
                List.of(Instr.store(0, bytes(4, 16)), Instr.store(16, bytes(5, 8))),
                List.of(Instr.store(4, a), Instr.op(EntryKind.CLWB, 8), Instr.store(8, b),
                        Instr.op(EntryKind.SFENCE, 0), Instr.serializePoint()));
        for (Persistency p : Persistency.values()) {
            for (List<Instr> program : programs) {
                compare(program, p, 1);
            }
        }
    }

    private int runMany(long seed, int count, Persistency persistency, int cpus) {
        SplittableRandom random = new SplittableRandom(seed);
        for (int n = 0; n < count; n++) {
            compare(randomProgram(random, cpus), persistency, cpus);
        }
        return count;
    }

    private static List<Instr> randomProgram(SplittableRandom r, int cpus) {
        int length = 1 + r.nextInt(6);
        List<Instr> program = new ArrayList<>();
        int value = 1;
        for (int i = 0; i < length; i++) {
            int cpu = r.nextInt(cpus);
            // With two CPUs, CPU 0 uses lines 0-1 and CPU 1 lines 2-3.
            int lo = cpus == 1 ? 0 : cpu * 128;
            int span = cpus == 1 ? DEVICE_BYTES : 128;
            int roll = r.nextInt(100);
            Instr in;
            if (roll < 38 || roll < 50) {
                int len = switch (r.nextInt(6)) {
                    case 0 -> 1;
                    case 1 -> 2;
                    case 2 -> 4;
                    case 3 -> 8;
                    case 4 -> 16;
                    default -> 1 + r.nextInt(12);
                };
                int addr = lo + r.nextInt(span - len + 1);
                if (r.nextInt(3) > 0) {
                    addr = lo + (r.nextInt(span - len + 1) / len) * len; // often aligned
                }
                byte[] data = bytes(value, len);
                value += len;
                in = roll < 38 ? Instr.store(addr, data) : Instr.ntStore(addr, data);
            } else if (roll < 62) {
                in = Instr.op(EntryKind.CLWB, lo + r.nextInt(span));
            } else if (roll < 70) {
                in = Instr.op(EntryKind.CLFLUSHOPT, lo + r.nextInt(span));
            } else if (roll < 78) {
                in = Instr.op(EntryKind.CLFLUSH, lo + r.nextInt(span));
            } else if (roll < 89) {
                in = Instr.op(EntryKind.SFENCE, 0);
            } else if (roll < 96) {
                in = Instr.op(EntryKind.MFENCE, 0);
            } else {
                in = Instr.serializePoint();
            }
            program.add(in.onCpu(cpu));
        }
        return program;
    }

    private static byte[] bytes(int first, int len) {
        byte[] b = new byte[len];
        for (int i = 0; i < len; i++) {
            b[i] = (byte) (first + i == 0 ? 0x5a : first + i);
        }
        return b;
    }

    private static void compare(List<Instr> program, Persistency persistency, int cpus) {
        List<Set<String>> expected = new ReferenceModel(program, DEVICE_BYTES, cpus, persistency).crashImages();
        List<Set<String>> actual = fastImages(program, persistency, cpus);
        for (int p = 0; p <= program.size(); p++) {
            if (!expected.get(p).equals(actual.get(p))) {
                Set<String> missing = new TreeSet<>(expected.get(p));
                missing.removeAll(actual.get(p));
                Set<String> extra = new TreeSet<>(actual.get(p));
                extra.removeAll(expected.get(p));
                assertEquals(expected.get(p), actual.get(p), persistency + " program:\n  "
                        + program.stream().map(Instr::toString).collect(Collectors.joining("\n  "))
                        + "\ncrash after " + p + " instructions\nmissing from fast: " + describe(missing)
                        + "\nextra in fast: " + describe(extra));
            }
        }
    }

    /** Images as their non-zero 8-byte words ("addr=hex ..."), so that a failure can be read. */
    private static String describe(Set<String> images) {
        StringBuilder sb = new StringBuilder();
        for (String hex : images) {
            sb.append("\n    {");
            for (int w = 0; w < hex.length() / 16; w++) {
                String word = hex.substring(w * 16, w * 16 + 16);
                if (!word.equals("0000000000000000")) {
                    sb.append(' ').append(w * 8).append('=').append(word);
                }
            }
            sb.append(" }");
        }
        return sb.toString();
    }

    public static List<Set<String>> fastImages(List<Instr> program, Persistency persistency, int cpus) {
        PersistentMemory pm = new PersistentMemory(new PmOptions(DEVICE_BYTES, persistency, cpus));
        List<Set<String>> out = new ArrayList<>();
        for (int p = 0; p <= program.size(); p++) {
            Set<String> images = new TreeSet<>();
            EnumerationResult e = pm.crashPoint().enumerate(Long.MAX_VALUE, null, state -> {
                images.add(HexFormat.of().formatHex(state.image().toBytes()));
                return true;
            });
            assertEquals(images.size(), e.states(), "distinct images visited once each");
            out.add(images);
            if (p == program.size()) {
                break;
            }
            Instr in = program.get(p);
            if (in.serialize()) {
                pm.serialize();
            } else if (in.kind().isWrite()) {
                if (in.kind() == EntryKind.STORE) {
                    pm.store(in.cpu(), in.addr(), in.data(), 0, in.data().length, p);
                } else {
                    pm.ntStore(in.cpu(), in.addr(), in.data(), 0, in.data().length, p);
                }
            } else if (in.kind().isFlush()) {
                pm.flush(in.cpu(), in.kind(), in.addr(), p);
            } else if (in.kind() == EntryKind.SFENCE) {
                pm.sfence(in.cpu(), p);
            } else {
                pm.mfence(in.cpu(), p);
            }
        }
        return out;
    }
}
