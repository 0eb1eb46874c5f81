package dev.daxfuzz.oracle.model;

/**
 * An open file description: the inode it refers to and the open flags that matter afterwards.
 * A description outlives its file's names (an unlinked file stays readable and writable through it).
 *
 * <p>Limits: no file position: the program format only has positional reads and writes.
 *
 * @param inode the file or directory opened
 * @param readable opened read-only or read-write
 * @param writable opened write-only or read-write (never for a directory)
 * @param append {@code O_APPEND}: every write goes to the end of file
 * @param dsync {@code O_DSYNC}: every write is durable when it returns
 */
record OpenFile(ModelInode inode, boolean readable, boolean writable, boolean append, boolean dsync) {
}
