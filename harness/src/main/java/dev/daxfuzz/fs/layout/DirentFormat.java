package dev.daxfuzz.fs.layout;

import dev.daxfuzz.fs.FsGeometry;
import java.nio.charset.StandardCharsets;

/**
 * A 32-byte directory entry: {@code 0 ino u32 (0 = free)  4 name length u8  5 type u8
 * 6 reserved u16  8 name[24]}. Directories are arrays of these in whole blocks; "." and ".."
 * are not stored (the parent is in the directory's inode).
 */
public final class DirentFormat {
    public static final int TYPE_FILE = 1;
    public static final int TYPE_DIR = 2;

    private DirentFormat() {
    }

    public static int ino(byte[] b, int off) {
        return Le.i32(b, off);
    }

    public static int nameLength(byte[] b, int off) {
        return Le.u8(b, off + 4);
    }

    public static int type(byte[] b, int off) {
        return Le.u8(b, off + 5);
    }

    public static String name(byte[] b, int off) {
        int n = Math.min(nameLength(b, off), FsGeometry.NAME_MAX_BYTES);
        return new String(b, off + 8, n, StandardCharsets.UTF_8);
    }

    /** True when the entry's name is exactly {@code name} (as UTF-8 bytes). */
    public static boolean nameEquals(byte[] b, int off, byte[] name) {
        if (nameLength(b, off) != name.length) {
            return false;
        }
        for (int i = 0; i < name.length; i++) {
            if (b[off + 8 + i] != name[i]) {
                return false;
            }
        }
        return true;
    }

    /** Writes a whole entry into {@code b} at {@code off}. */
    public static void put(byte[] b, int off, int ino, byte[] name, int type) {
        java.util.Arrays.fill(b, off, off + FsGeometry.DIRENT_BYTES, (byte) 0);
        Le.put32(b, off, ino);
        Le.put8(b, off + 4, name.length);
        Le.put8(b, off + 5, type);
        System.arraycopy(name, 0, b, off + 8, name.length);
    }
}
