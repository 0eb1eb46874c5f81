package dev.daxfuzz.fs.layout;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteOrder;
import java.util.zip.CRC32C;

/** Little-endian field access on byte arrays, and the CRC32C every on-media checksum uses. */
public final class Le {
    private static final VarHandle U16 = MethodHandles.byteArrayViewVarHandle(short[].class, ByteOrder.LITTLE_ENDIAN);
    private static final VarHandle U32 = MethodHandles.byteArrayViewVarHandle(int[].class, ByteOrder.LITTLE_ENDIAN);
    private static final VarHandle U64 = MethodHandles.byteArrayViewVarHandle(long[].class, ByteOrder.LITTLE_ENDIAN);

    private Le() {
    }

    public static int u8(byte[] b, int off) {
        return b[off] & 0xff;
    }

    public static int u16(byte[] b, int off) {
        return (short) U16.get(b, off) & 0xffff;
    }

    public static long u32(byte[] b, int off) {
        return (int) U32.get(b, off) & 0xffffffffL;
    }

    public static int i32(byte[] b, int off) {
        return (int) U32.get(b, off);
    }

    public static long u64(byte[] b, int off) {
        return (long) U64.get(b, off);
    }

    public static void put8(byte[] b, int off, int v) {
        b[off] = (byte) v;
    }

    public static void put16(byte[] b, int off, int v) {
        U16.set(b, off, (short) v);
    }

    public static void put32(byte[] b, int off, long v) {
        U32.set(b, off, (int) v);
    }

    public static void put64(byte[] b, int off, long v) {
        U64.set(b, off, v);
    }

    /** CRC32C (Castagnoli), as ext4 and jbd2 use, of {@code len} bytes at {@code off}. */
    public static int crc32c(byte[] b, int off, int len) {
        CRC32C c = new CRC32C();
        c.update(b, off, len);
        return (int) c.getValue();
    }
}
