package dev.daxfuzz.program;

import java.util.Arrays;
import java.util.HexFormat;

/**
 * An immutable byte string with value equality, so that records holding data compare by content.
 */
public final class Bytes {
    private static final Bytes EMPTY = new Bytes(new byte[0]);
    private final byte[] bytes;

    private Bytes(byte[] bytes) {
        this.bytes = bytes;
    }

    /** A copy of {@code bytes}; later changes to the array do not show. */
    public static Bytes of(byte[] bytes) {
        return bytes.length == 0 ? EMPTY : new Bytes(bytes.clone());
    }

    /** The empty byte string. */
    public static Bytes empty() {
        return EMPTY;
    }

    public int length() {
        return bytes.length;
    }

    public byte get(int index) {
        return bytes[index];
    }

    /**
     * The first {@code i} in [0, len) where byte {@code from + i} of this string differs from
     * {@code other[otherOff + i]}, or -1 when the ranges are equal: a bulk comparison for checks
     * that would otherwise call {@link #get} once a byte.
     */
    public int mismatch(int from, byte[] other, int otherOff, int len) {
        return Arrays.mismatch(bytes, from, from + len, other, otherOff, otherOff + len);
    }

    /** A fresh copy of the content. */
    public byte[] toArray() {
        return bytes.clone();
    }

    /** Lower-case hex, two digits a byte, no separators. */
    public String toHex() {
        return HexFormat.of().formatHex(bytes);
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof Bytes other && Arrays.equals(bytes, other.bytes);
    }

    @Override
    public int hashCode() {
        return Arrays.hashCode(bytes);
    }

    @Override
    public String toString() {
        return "hex:" + toHex();
    }
}
