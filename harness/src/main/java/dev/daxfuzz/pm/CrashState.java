package dev.daxfuzz.pm;

/**
 * One crash state of a {@link CrashPoint}: a persistent image and how it came about.
 *
 * <p>During enumeration the same object is reused for every state and is valid only inside the
 * visitor's call; {@link #image()} is a view that reads the emulator's durable bytes through an
 * overlay of the lines in flight, so building a state copies nothing. A state from
 * {@link CrashPoint#draw} is valid until the emulator executes its next instruction.
 */
public final class CrashState {
    private final CrashPoint point;
    final int[] variant;
    private final byte[][] content;
    private final int[] contentVariant;
    private final byte[][] scratch;
    private boolean[] in;
    private int torn = -1;
    long fp1;
    long fp2;
    boolean newInRun;
    long ordinal;
    private final Image image = new Image();

    CrashState(CrashPoint point) {
        this.point = point;
        this.variant = new int[point.slotCount];
        this.content = new byte[point.slotCount][];
        this.contentVariant = new int[point.slotCount];
        this.scratch = new byte[point.slotCount][];
        java.util.Arrays.fill(contentVariant, -1);
    }

    void beginBox(CrashPoint.Walk walk, int tornEntry) {
        this.in = walk.in;
        this.torn = tornEntry;
    }

    /** The crash point this state belongs to. */
    public CrashPoint crashPoint() {
        return point;
    }

    /** Position of this state in its crash point's enumeration (0 for a drawn state). */
    public long ordinal() {
        return ordinal;
    }

    /** First lane of the image's 128-bit fingerprint. */
    public long fingerprint1() {
        return fp1;
    }

    /** Second lane of the image's 128-bit fingerprint. */
    public long fingerprint2() {
        return fp2;
    }

    /** False when an earlier crash point of the run already produced this image. */
    public boolean newInRun() {
        return newInRun;
    }

    /** The image; a view valid as long as this state is. */
    public CrashImage image() {
        point.checkFresh();
        return image;
    }

    /** Which entries were lost and which writes persisted, as a value that outlives the state. */
    public Provenance provenance() {
        point.checkFresh();
        return point.provenance(in.clone(), torn, variant.clone());
    }

    private byte[] lineContent(int s) {
        int v = variant[s];
        if (contentVariant[s] != v) {
            if (point.isFullVariant(s, v)) {
                content[s] = point.fullContent(s, point.fullWritesOf(s, v));
            } else {
                // Partial variants are built in a per-line scratch array; full ones are shared.
                if (scratch[s] == null) {
                    scratch[s] = new byte[PersistentMemory.LINE_BYTES];
                }
                point.variantContent(s, v, scratch[s]);
                content[s] = scratch[s];
            }
            contentVariant[s] = v;
        }
        return content[s];
    }

    /** The overlay view: lines in flight come from their chosen variant, the rest from the device. */
    private final class Image implements CrashImage {
        @Override
        public long size() {
            return point.durable().length;
        }

        @Override
        public boolean poisoned(long addr, long len) {
            return point.poisoned(addr, len);
        }

        @Override
        public byte read(long addr) {
            int s = point.slotOf((int) (addr >>> PersistentMemory.LINE_SHIFT));
            if (s < 0) {
                return point.durable()[(int) addr];
            }
            return lineContent(s)[(int) (addr & (PersistentMemory.LINE_BYTES - 1))];
        }

        @Override
        public void read(long addr, byte[] dst, int off, int len) {
            byte[] durable = point.durable();
            if (addr < 0 || len < 0 || addr + len > durable.length) {
                throw new IndexOutOfBoundsException("read [" + addr + ", +" + len + ") of " + durable.length);
            }
            long end = addr + len;
            long a = addr;
            while (a < end) {
                long line = a >>> PersistentMemory.LINE_SHIFT;
                long lineEnd = Math.min(end, (line + 1) << PersistentMemory.LINE_SHIFT);
                int n = (int) (lineEnd - a);
                int s = point.slotOf((int) line);
                if (s < 0) {
                    System.arraycopy(durable, (int) a, dst, off + (int) (a - addr), n);
                } else {
                    System.arraycopy(lineContent(s), (int) (a & (PersistentMemory.LINE_BYTES - 1)), dst,
                            off + (int) (a - addr), n);
                }
                a = lineEnd;
            }
        }
    }
}
