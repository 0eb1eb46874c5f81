package dev.daxfuzz.program;

import java.nio.charset.StandardCharsets;

/**
 * A data literal of the program format (spec §1), kept in the form the author wrote so that
 * printing a program gives back the same literal.
 */
public sealed interface Data permits Data.Text, Data.Hex, Data.Fill, Data.UInt {

    /** The bytes this literal denotes. */
    Bytes bytes();

    /** The number of bytes this literal denotes. */
    default long length() {
        return bytes().length();
    }

    /**
     * {@code "text"}: the bytes between the quotes after escapes ({@code \n \t \\ \" \xHH}) are
     * resolved. The bytes need not be valid UTF-8 ({@code "\xff"} is one byte).
     */
    record Text(Bytes bytes) implements Data {
        public static Text of(String s) {
            return new Text(Bytes.of(s.getBytes(StandardCharsets.UTF_8)));
        }
    }

    /** {@code hex:00ff1a}: raw bytes, two hex digits each. */
    record Hex(Bytes bytes) implements Data {
    }

    /** {@code fill:BYTE*COUNT}: COUNT copies of BYTE. */
    record Fill(int value, long count) implements Data {
        /** The largest COUNT accepted: the largest device daxfuzz emulates. */
        public static final long COUNT_MAX = 1L << 30;

        public Fill {
            if (value < 0 || value > 0xff) {
                throw new IllegalArgumentException("fill byte out of range: " + value);
            }
            if (count < 0 || count > COUNT_MAX) {
                throw new IllegalArgumentException("fill count out of range: " + count);
            }
        }

        @Override
        public Bytes bytes() {
            byte[] b = new byte[(int) count];
            java.util.Arrays.fill(b, (byte) value);
            return Bytes.of(b);
        }

        @Override
        public long length() {
            return count;
        }
    }

    /** {@code u8:V}, {@code u16:V}, {@code u32:V}, {@code u64:V}: V little-endian in that many bytes. */
    record UInt(int widthBytes, long value) implements Data {
        public UInt {
            if (widthBytes != 1 && widthBytes != 2 && widthBytes != 4 && widthBytes != 8) {
                throw new IllegalArgumentException("width must be 1, 2, 4 or 8 bytes: " + widthBytes);
            }
            if (widthBytes < 8 && (value >>> (8 * widthBytes)) != 0) {
                throw new IllegalArgumentException(
                        "value " + Long.toUnsignedString(value) + " does not fit in " + widthBytes + " bytes");
            }
        }

        @Override
        public Bytes bytes() {
            byte[] b = new byte[widthBytes];
            for (int i = 0; i < widthBytes; i++) {
                b[i] = (byte) (value >>> (8 * i));
            }
            return Bytes.of(b);
        }

        @Override
        public long length() {
            return widthBytes;
        }
    }
}
