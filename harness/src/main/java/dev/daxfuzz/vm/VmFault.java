package dev.daxfuzz.vm;

/**
 * A {@code struct vm_fault}: one page fault handed to a file system's fault handler.
 *
 * @param vma the mapping, looked up under mmap_lock by the core
 * @param address the faulting user address (page aligned)
 * @param pgoff the page offset in the file
 * @param write FAULT_FLAG_WRITE on a shared mapping (a private mapping's write fault asks the file
 *     system for the page read-only and copies it: do_cow_fault)
 * @param allowRetry FAULT_FLAG_ALLOW_RETRY: the handler may drop mmap_lock and return
 *     {@link Result#RETRY}
 * @param tried FAULT_FLAG_TRIED: this is a retried fault
 * @param step the program statement that faulted (for provenance)
 */
public record VmFault(Vma vma, long address, long pgoff, boolean write, boolean allowRetry, boolean tried, int step) {

    /** What a fault handler returns ({@code vm_fault_t}). */
    public enum Result {
        /** VM_FAULT_NOPAGE: the handler installed the PTE itself (or the core must fault again). */
        NOPAGE,
        /** VM_FAULT_RETRY: the handler released mmap_lock; the core retakes it and retries. */
        RETRY,
        /** VM_FAULT_SIGBUS: beyond end of file, or the file system could not serve the page. */
        SIGBUS
    }
}
