package dev.daxfuzz.vm;

/**
 * What a file system provides to the memory-management core for its mapped files: the pieces
 * of {@code vm_operations_struct} and {@code file_operations} a DAX mapping uses.
 *
 * <p>A handler must leave the lock state as the kernel contract says: on {@link VmFault.Result#RETRY}
 * it has released {@link LockClass#MMAP_LOCK} (taken shared by the core), on any other result it
 * still holds it.
 */
public interface VmOperations {
    /**
     * {@code ->huge_fault} / {@code ->page_mkwrite} / {@code ->pfn_mkwrite} of a DAX file, for one
     * page: install a PTE with {@link AddressSpace#installPte} (writable for a write fault) and
     * return {@link VmFault.Result#NOPAGE}, or say why not.
     */
    VmFault.Result fault(VmFault vmf, AddressSpace mm);

    /** {@code i_size_read}: the file's size, for the core's end-of-file checks. */
    long sizeBytes(int ino);

    /** {@code vm_ops->close} and {@code fput}: the mapping is gone; drop its file reference. */
    void close(Vma vma);
}
