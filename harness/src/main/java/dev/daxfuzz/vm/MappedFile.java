package dev.daxfuzz.vm;

/**
 * The file behind a mapping: the file system's {@link VmOperations} (its {@code vm_ops} and
 * {@code f_op}) and the inode number it knows the file by.
 */
public record MappedFile(VmOperations ops, int ino) {
}
