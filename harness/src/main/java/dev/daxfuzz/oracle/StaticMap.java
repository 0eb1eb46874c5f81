package dev.daxfuzz.oracle;

/**
 * The block map a file had when the sealed design made it static: the file system's block
 * pointers (bit 31 = unwritten), which must hold, fully written, in every crash image whose inode
 * carries the persistent static flag.
 *
 * @param step the daxctl statement
 * @param path the file's name then
 * @param fsIno the file system's inode number (stable across a crash: the inode table is on PM)
 * @param pointers pointer of each file block below the size then
 */
public record StaticMap(int step, String path, int fsIno, int[] pointers) {
}
