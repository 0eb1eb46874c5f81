package dev.daxfuzz.pm;

import java.util.Arrays;

/** Append-only storage for the bytes of issued stores; entries and line writes point into it. */
final class DataPool {
    byte[] bytes = new byte[4096];
    int size;

    int append(byte[] src, int off, int len) {
        int at = reserve(len);
        System.arraycopy(src, off, bytes, at, len);
        return at;
    }

    int appendLittleEndian(long value, int width) {
        int at = reserve(width);
        for (int i = 0; i < width; i++) {
            bytes[at + i] = (byte) (value >>> (8 * i));
        }
        return at;
    }

    int appendFill(byte value, int len) {
        int at = reserve(len);
        Arrays.fill(bytes, at, at + len, value);
        return at;
    }

    private int reserve(int len) {
        if (size + len > bytes.length) {
            bytes = Arrays.copyOf(bytes, Math.max(bytes.length * 2, size + len));
        }
        int at = size;
        size += len;
        return at;
    }

    void clear() {
        size = 0;
    }
}
