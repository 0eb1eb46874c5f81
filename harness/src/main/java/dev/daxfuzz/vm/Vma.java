package dev.daxfuzz.vm;

/**
 * A {@code struct vm_area_struct}: a range of user addresses mapping a file from a page-aligned
 * offset. {@code shared} covers MAP_SHARED and MAP_SHARED_VALIDATE; {@code sync} is VM_SYNC
 * (MAP_SYNC honoured: only on a shared-validate mapping); {@code writable} is PROT_WRITE.
 *
 * @param start first user address (page aligned)
 * @param lengthBytes length as asked for; the VMA covers whole pages
 * @param fileOffsetBytes file offset of {@code start} (vm_pgoff × PAGE)
 */
public record Vma(String name, long start, long lengthBytes, MappedFile file, long fileOffsetBytes, boolean shared,
                  boolean sync, boolean writable) {

    /** The page offset in the file of user address {@code addr}. */
    public long pgoff(long addr) {
        return (fileOffsetBytes + (addr - start)) / AddressSpace.PAGE_BYTES;
    }

    /** Whether {@code [addr, addr + len)} lies inside the mapping as asked for. */
    public boolean covers(long addr, long len) {
        return addr >= start && len >= 0 && addr - start + len <= lengthBytes;
    }

    /** One past the last page-aligned address of the VMA. */
    public long end() {
        return start + (lengthBytes + AddressSpace.PAGE_BYTES - 1) / AddressSpace.PAGE_BYTES * AddressSpace.PAGE_BYTES;
    }
}
