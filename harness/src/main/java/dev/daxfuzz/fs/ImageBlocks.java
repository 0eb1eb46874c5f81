package dev.daxfuzz.fs;

import dev.daxfuzz.pm.CrashImage;
import it.unimi.dsi.fastutil.longs.Long2LongOpenHashMap;
import it.unimi.dsi.fastutil.longs.Long2ObjectOpenHashMap;

/**
 * A crash image being recovered, copy-on-write: recovery's writes (journal replay, orphan
 * cleanup, the journal superblock) land in a private overlay, byte-exact per line, never in the
 * image, so one image can be recovered again and again. A read takes the bytes recovery wrote from
 * the overlay and only the others from the image, so the image learns exactly which of its bytes
 * the outcome depends on.
 *
 * <p>When asked to ({@link #ImageBlocks(CrashImage, FsGeometry, boolean)}), it also keeps
 * recovery's writes in order with the persist barriers between them ({@link #barrier}), a
 * {@link RecoveryWrites} log that replays them through the emulator, so that power failing while
 * recovery runs can be explored like a program's crash points.
 */
public final class ImageBlocks implements BlockSource {
    private final CrashImage image;
    private final FsGeometry geometry;
    private final Long2ObjectOpenHashMap<byte[]> written = new Long2ObjectOpenHashMap<>();
    private final Long2LongOpenHashMap writtenMask = new Long2LongOpenHashMap();
    /**
     * A filter over {@link #written}: bit (line mod 4096) is set for every line recovery wrote, so
     * a read of a line it did not write (most reads) needs no hash lookup.
     */
    private final long[] mayBeWritten = new long[64];
    /** Recovery's writes and barriers in order, or null when not recorded. */
    private final RecoveryWrites.Builder log;

    public ImageBlocks(CrashImage image, FsGeometry geometry) {
        this(image, geometry, false);
    }

    /** An overlay that also records recovery's writes when {@code record} is true. */
    public ImageBlocks(CrashImage image, FsGeometry geometry, boolean record) {
        this.image = image;
        this.geometry = geometry;
        this.log = record ? new RecoveryWrites.Builder() : null;
    }

    /** The image under the overlay. */
    public CrashImage image() {
        return image;
    }

    /**
     * A persist barrier of recovery: every line written since the previous one is written back
     * (clwb) and a fence orders them before what follows, as jbd2 recovery's
     * {@code sync_blockdev} does; {@code label} says what it makes durable, for reports.
     */
    void barrier(String label) {
        if (log != null) {
            log.barrier(label);
        }
    }

    /** Recovery's writes, in order, with its barriers; empty when not recorded. */
    public RecoveryWrites writes() {
        return log == null ? RecoveryWrites.NONE : log.build();
    }

    /** The image as recovery leaves it when it completes: its writes over the crash image. */
    public CrashImage recovered() {
        return new CrashImage() {
            @Override
            public long size() {
                return image.size();
            }

            @Override
            public byte read(long addr) {
                byte[] one = new byte[1];
                readMeta(addr, one, 0, 1);
                return one[0];
            }

            @Override
            public void read(long addr, byte[] dst, int off, int len) {
                readMeta(addr, dst, off, len);
            }

            @Override
            public boolean poisoned(long addr, long len) {
                return image.poisoned(addr, len);
            }

            @Override
            public void digestStart() {
                image.digestStart();
            }

            @Override
            public void digestEnd() {
                image.digestEnd();
            }
        };
    }

    private void check(long addr, int len) {
        if (addr < 0 || addr + len > (long) geometry.blocks() * FsGeometry.BLOCK_BYTES) {
            throw new FsCorruption("read of [" + addr + ", +" + len + ") outside the device");
        }
    }

    @Override
    public void readMeta(long addr, byte[] dst, int off, int len) {
        if (image.poisoned(addr, len)) {
            // Metadata on poisoned media cannot be read (a machine check, EIO): the mount fails
            // cleanly rather than guessing. Recovery's own writes never clear poison here: it
            // rewrites lines of the journal and of home locations, and checks each read.
            throw new FsCorruption("metadata at device byte 0x" + Long.toHexString(addr) + " is on poisoned media (EIO)",
                    true);
        }
        read(addr, dst, off, len);
    }

    private void read(long addr, byte[] dst, int off, int len) {
        check(addr, len);
        long first = addr / FsGeometry.LINE_BYTES;
        if (len > 0 && (addr + len - 1) / FsGeometry.LINE_BYTES == first
                && (mayBeWritten[(int) (first >>> 6) & 63] & (1L << first)) == 0) {
            // The common case: a field within one line recovery did not write.
            image.read(addr, dst, off, len);
            return;
        }
        int done = 0;
        while (done < len) {
            long a = addr + done;
            long line = a / FsGeometry.LINE_BYTES;
            int in = (int) (a % FsGeometry.LINE_BYTES);
            int n = Math.min(len - done, FsGeometry.LINE_BYTES - in);
            byte[] w = (mayBeWritten[(int) (line >>> 6) & 63] & (1L << line)) == 0 ? null : written.get(line);
            if (w == null) {
                image.read(a, dst, off + done, n);
            } else {
                long mask = writtenMask.get(line);
                int i = 0;
                while (i < n) {
                    // Runs of overlay bytes come from the overlay, runs of others from the image.
                    boolean mine = (mask & (1L << (in + i))) != 0;
                    int j = i;
                    while (j < n && ((mask & (1L << (in + j))) != 0) == mine) {
                        j++;
                    }
                    if (mine) {
                        System.arraycopy(w, in + i, dst, off + done + i, j - i);
                    } else {
                        image.read(a + i, dst, off + done + i, j - i);
                    }
                    i = j;
                }
            }
            done += n;
        }
    }

    @Override
    public void readData(long addr, byte[] dst, int off, int len) {
        // File data under poison is the reader's to refuse (CrashImage#poisoned), not recovery's.
        read(addr, dst, off, len);
    }

    @Override
    public void digestStart() {
        image.digestStart();
    }

    @Override
    public void digestEnd() {
        image.digestEnd();
    }

    /** Writes {@code len} bytes at device address {@code addr} into the overlay. */
    void write(long addr, byte[] src, int off, int len) {
        check(addr, len);
        if (log != null) {
            log.write(addr, src, off, len);
        }
        int done = 0;
        while (done < len) {
            long a = addr + done;
            long line = a / FsGeometry.LINE_BYTES;
            int in = (int) (a % FsGeometry.LINE_BYTES);
            int n = Math.min(len - done, FsGeometry.LINE_BYTES - in);
            byte[] w = written.get(line);
            if (w == null) {
                w = new byte[FsGeometry.LINE_BYTES];
                written.put(line, w);
                mayBeWritten[(int) (line >>> 6) & 63] |= 1L << line;
            }
            System.arraycopy(src, off + done, w, in, n);
            long bits = n == 64 ? -1L : ((1L << n) - 1) << in;
            writtenMask.put(line, writtenMask.get(line) | bits);
            done += n;
        }
    }

    /** Reads a whole line. */
    byte[] line(long line) {
        byte[] out = new byte[FsGeometry.LINE_BYTES];
        readMeta(line * FsGeometry.LINE_BYTES, out, 0, out.length);
        return out;
    }

    /** Reads {@code len} bytes of a line. */
    byte[] bytes(long addr, int len) {
        byte[] out = new byte[len];
        readMeta(addr, out, 0, len);
        return out;
    }

    /** Writes a whole line. */
    void writeLine(long line, byte[] content) {
        write(line * FsGeometry.LINE_BYTES, content, 0, FsGeometry.LINE_BYTES);
    }
}
