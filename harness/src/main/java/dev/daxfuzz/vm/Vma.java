package dev.daxfuzz.vm;

/**
 * A {@code struct vm_area_struct}: a range of user addresses mapping a file from a page-aligned
 * offset. {@code shared} covers MAP_SHARED and MAP_SHARED_VALIDATE; {@code sync} is VM_SYNC
 * (MAP_SYNC honoured: only on a shared-validate mapping); {@code writable} is PROT_WRITE.
 *
 * <p>As in Linux, the VMA covers whole pages: {@code do_mmap} rounds the length up
 * ({@code len = PAGE_ALIGN(len)}), so the bytes between the length asked for and the end of its
 * last page are inside the mapping. The file system's {@code mmap} refuses a mapping whose last
 * byte would lie past file offset 2^63-1 ({@code file_mmap_ok}, EOVERFLOW), so file offsets
 * computed here never overflow.
 *
 * @param start first user address (page aligned)
 * @param lengthBytes length as asked for; the VMA covers whole pages
 * @param fileOffsetBytes file offset of {@code start} (vm_pgoff × PAGE), page aligned
 */
public record Vma(String name, long start, long lengthBytes, MappedFile file, long fileOffsetBytes, boolean shared,
                  boolean sync, boolean writable) {

    /** The page offset in the file of user address {@code addr}. */
    public long pgoff(long addr) {
        return (fileOffsetBytes + (addr - start)) / AddressSpace.PAGE_BYTES;
    }

    /** Bytes the VMA covers: the length asked for, rounded up to whole pages. */
    public long coveredBytes() {
        return pageAlign(lengthBytes);
    }

    /**
     * Whether the bytes {@code [off, off + len)} of the mapping (offsets from {@code start}) lie
     * inside the VMA. Written without the sum, so that offsets near 2^63 cannot wrap into range.
     */
    public boolean inside(long off, long len) {
        return off >= 0 && len >= 0 && len <= coveredBytes() && off <= coveredBytes() - len;
    }

    /** One past the last page-aligned address of the VMA. */
    public long end() {
        return start + coveredBytes();
    }

    /** The file page mapped at {@code start}. */
    public long firstPgoff() {
        return fileOffsetBytes / AddressSpace.PAGE_BYTES;
    }

    /** One past the last file page the VMA maps. */
    public long endPgoff() {
        return firstPgoff() + coveredBytes() / AddressSpace.PAGE_BYTES;
    }

    /** The user address of file page {@code pgoff}, which must lie in {@code [firstPgoff(), endPgoff()]}. */
    public long addressOf(long pgoff) {
        return start + (pgoff - firstPgoff()) * AddressSpace.PAGE_BYTES;
    }

    /** {@code len} rounded up to a whole number of pages ({@code PAGE_ALIGN}); {@code len} at most 2^62. */
    static long pageAlign(long len) {
        return (len + AddressSpace.PAGE_BYTES - 1) / AddressSpace.PAGE_BYTES * AddressSpace.PAGE_BYTES;
    }
}
