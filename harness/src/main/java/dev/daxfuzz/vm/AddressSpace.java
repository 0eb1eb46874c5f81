package dev.daxfuzz.vm;

import dev.daxfuzz.pm.PersistentMemory;
import it.unimi.dsi.fastutil.longs.Long2ObjectAVLTreeMap;
import it.unimi.dsi.fastutil.longs.Long2ObjectMap;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * One process's {@code mm_struct}: its VMAs, its page table, and the user instructions that go
 * through them (the program's {@code mstore}, {@code mntstore}, {@code mload}, {@code mclwb},
 * {@code mclflushopt}, {@code mclflush} and {@code persist}).
 *
 * <p><b>Page table.</b> A PTE is absent, read-only or writable, and points at a persistent-memory
 * page (DAX has no page cache: {@code vmf_insert_mixed} maps the pmem pfn), at the shared zero page
 * ({@code dax_load_hole}), or at an anonymous copy-on-write page of a private mapping.
 *
 * <p><b>Faults.</b> An access to an absent PTE, or a store to a read-only one, enters the fault
 * path as {@code do_user_addr_fault} and {@code handle_mm_fault} do: take {@code mmap_lock} shared,
 * find the VMA, check permissions, call the file's handler. {@code VM_FAULT_RETRY} means the handler
 * dropped {@code mmap_lock}; the core retakes it, looks the VMA up again and retries with
 * FAULT_FLAG_TRIED, keeping FAULT_FLAG_ALLOW_RETRY as kernels since 5.7 do (Peter Xu's series; 2017
 * x86 retried once). A correct handler needs one retry at most in a single-threaded program; a
 * fault still asking after {@link #RETRY_LIMIT} retries never completes: a LIVELOCK. The return
 * from a fault is an exception return, which serialises: the store buffer drains, after the
 * {@link FaultReturn} observer had a chance to crash just before.
 *
 * <p><b>Checks before any byte moves.</b> A user access is checked whole first (spec: docs/mappings.md):
 * SIGSEGV outside the mapping or for a store through a read-only one, SIGBUS for a page at or
 * beyond end of file. Real code stores the bytes before the faulting page first; the model keeps
 * accesses all-or-nothing so that the reference model can predict them exactly.
 *
 * <p>Limits: one task, one CPU (CPU 0); 4 KiB PTEs only (no PMD faults); no mprotect, mremap or
 * fork; private mappings copy a page on the first write and never see later file changes to it.
 */
public final class AddressSpace {
    public static final long PAGE_BYTES = 4096;
    /** Retries one fault may ask for before daxfuzz calls it a livelock. */
    public static final int RETRY_LIMIT = 16;
    private static final int CPU = 0;
    private static final long BASE = 0x7f00_0000_0000L;

    /** Target of a PTE that maps the shared zero page. */
    private static final long ZERO_PAGE = -1;
    /** Target of a PTE that maps an anonymous page. */
    private static final long ANON_PAGE = -2;

    private record Pte(long target, boolean writable) {
    }

    /** The signal a user access ended with. */
    public enum Signal {
        SIGBUS, SIGSEGV
    }

    /** The outcome of a user access: a signal, or success with the bytes a load read. */
    public record Access(Signal signal, byte[] data) {
        static final Access OK = new Access(null, new byte[0]);

        public boolean ok() {
            return signal == null;
        }
    }

    /** Told of every byte range a user store put into persistent memory through a shared mapping. */
    @FunctionalInterface
    public interface StoreSink {
        /**
         * @param prior the bytes the coherent view held there just before the store
         */
        void stored(Vma vma, long fileOffset, long pmAddr, byte[] bytes, byte[] prior);
    }

    /** Told just before a fault returns to user space (the serialising exception return). */
    @FunctionalInterface
    public interface FaultReturn {
        void beforeReturn(int step);
    }

    private final PersistentMemory pm;
    private final LockChecker locks;
    private final TreeMap<String, Vma> byName = new TreeMap<>();
    private final TreeMap<Long, Vma> byStart = new TreeMap<>();
    /** Every VMA still mapped, named or not (an overwritten name leaves its VMA mapped). */
    private final List<Vma> all = new ArrayList<>();
    /**
     * Present PTEs and anonymous pages by user address, sorted: unmapping a range walks only the
     * pages that are present, so a 1 TiB mapping with two touched pages costs two steps, not 2^28.
     */
    private final Long2ObjectAVLTreeMap<Pte> ptes = new Long2ObjectAVLTreeMap<>();
    private final Long2ObjectAVLTreeMap<byte[]> anon = new Long2ObjectAVLTreeMap<>();
    private long next = BASE;
    private FaultReturn faultReturn = step -> { };
    private int faults;
    private int retries;

    public AddressSpace(PersistentMemory pm, LockChecker locks) {
        this.pm = pm;
        this.locks = locks;
    }

    public LockChecker locks() {
        return locks;
    }

    public void onFaultReturn(FaultReturn observer) {
        this.faultReturn = observer;
    }

    /** Faults taken so far (for tests and statistics). */
    public int faults() {
        return faults;
    }

    /** VM_FAULT_RETRY answers so far (for tests and statistics). */
    public int retries() {
        return retries;
    }

    // ---- mmap and munmap (the core half; the syscall's checks are the file system's) -----------

    /** Maps {@code file} and binds {@code name} to the new VMA; mmap_lock is taken exclusively. */
    public Vma mmap(String name, MappedFile file, long fileOffsetBytes, long lengthBytes, boolean shared, boolean sync,
                    boolean writable) {
        locks.acquire(LockClass.MMAP_LOCK, true, "mmap");
        try {
            Vma vma = new Vma(name, next, lengthBytes, file, fileOffsetBytes, shared, sync, writable);
            // A guard page between mappings, so that an access past one never lands in the next.
            next = vma.end() + PAGE_BYTES;
            byName.put(name, vma);
            byStart.put(vma.start(), vma);
            all.add(vma);
            return vma;
        } finally {
            locks.release(LockClass.MMAP_LOCK);
        }
    }

    /** The VMA bound to {@code name}. */
    public Vma vma(String name) {
        return byName.get(name);
    }

    /** Every mapped VMA, oldest first. */
    public List<Vma> vmas() {
        return List.copyOf(all);
    }

    /** Unmaps the VMA bound to {@code name}; false when the name is not bound. */
    public boolean munmap(String name) {
        Vma vma = byName.remove(name);
        if (vma == null) {
            return false;
        }
        unmap(vma);
        return true;
    }

    /** Unmaps every VMA, as process exit does. */
    public void exit() {
        byName.clear();
        for (Vma vma : List.copyOf(all)) {
            unmap(vma);
        }
    }

    private void unmap(Vma vma) {
        locks.acquire(LockClass.MMAP_LOCK, true, "munmap");
        try {
            dropPages(vma.start(), vma.end());
            byStart.remove(vma.start());
            all.remove(vma);
        } finally {
            locks.release(LockClass.MMAP_LOCK);
        }
        vma.file().ops().close(vma);
    }

    /** Whether any VMA maps inode {@code ino} of {@code ops}. */
    public boolean isMapped(VmOperations ops, int ino) {
        for (Vma v : all) {
            if (v.file().ops() == ops && v.file().ino() == ino) {
                return true;
            }
        }
        return false;
    }

    // ---- what fault handlers and file systems call ----------------------------------------------

    /** {@code vmf_insert_mixed(_mkwrite)}: maps {@code address} to PM address {@code pmAddr}. */
    public void installPte(long address, long pmAddr, boolean writable) {
        ptes.put(address, new Pte(pmAddr, writable));
    }

    /** {@code dax_load_hole}: maps the shared zero page read-only. */
    public void installZeroPage(long address) {
        ptes.put(address, new Pte(ZERO_PAGE, false));
    }

    /**
     * {@code unmap_mapping_range(mapping, from, len, evenCows)}: drops the PTEs of file pages
     * {@code [fromPgoff, toPgoff)} of inode {@code ino}, and with {@code evenCows} also the private
     * copies a MAP_PRIVATE mapping made of them. Truncate passes 1 ({@code truncate_pagecache}:
     * pages past the end of file are gone, copied or not); hole punch, zero range
     * ({@code truncate_pagecache_range}) and a write or conversion that allocates a block under a
     * mapped hole ({@code dax_iomap_iter}'s {@code invalidate_inode_pages2_range}) pass 0: a private
     * copy is the process's own memory and keeps what was stored in it.
     */
    public void unmapMappingRange(VmOperations ops, int ino, long fromPgoff, long toPgoff, boolean evenCows) {
        for (Vma v : all) {
            if (v.file().ops() != ops || v.file().ino() != ino) {
                continue;
            }
            long from = v.addressOf(Math.max(fromPgoff, v.firstPgoff()));
            long to = v.addressOf(Math.min(toPgoff, v.endPgoff()));
            if (from >= to) {
                continue;
            }
            if (evenCows || v.shared()) {
                dropPages(from, to);
            } else {
                ptes.subMap(from, to).values().removeIf(p -> p.target() != ANON_PAGE);
            }
        }
    }

    /** Drops the PTEs and anonymous pages of user addresses {@code [from, to)}. */
    private void dropPages(long from, long to) {
        ptes.subMap(from, to).clear();
        anon.subMap(from, to).clear();
    }

    /**
     * {@code dax_entry_mkclean}: write-protects the shared PTEs of file page {@code pgoff}, so that
     * the next store faults again ({@code pfn_mkwrite}) and dirties the entry anew.
     */
    public void mkclean(VmOperations ops, int ino, long pgoff) {
        for (Vma v : all) {
            if (!v.shared() || v.file().ops() != ops || v.file().ino() != ino) {
                continue;
            }
            if (pgoff < v.firstPgoff() || pgoff >= v.endPgoff()) {
                continue;
            }
            long a = v.addressOf(pgoff);
            Pte p = ptes.get(a);
            if (p != null && p.writable() && p.target() >= 0) {
                ptes.put(a, new Pte(p.target(), false));
            }
        }
    }

    /** Whether a writable PTE maps the page of user address {@code address} (a store there takes no fault). */
    public boolean writable(long address) {
        Pte p = ptes.get(address & -PAGE_BYTES);
        return p != null && p.writable();
    }

    /** The PM address a PTE maps {@code address} to, or -1 (absent, zero page or anonymous). */
    public long physical(long address) {
        Pte p = ptes.get(address & -PAGE_BYTES);
        return p == null || p.target() < 0 ? -1 : p.target() + (address & (PAGE_BYTES - 1));
    }

    /**
     * A PTE that maps a page of a file to persistent memory.
     *
     * @param ino the file's inode
     * @param pgoff the file page
     * @param pmAddr the device address of the block it maps
     */
    public record FilePte(int ino, long pgoff, long pmAddr) {
    }

    /**
     * Every PTE that maps a file page to a block of the device, in address order (the zero page,
     * anonymous copies and absent pages are left out): what a racing task's loads and stores reach
     * without a fault.
     */
    public List<FilePte> filePtes() {
        List<FilePte> out = new ArrayList<>();
        for (Long2ObjectMap.Entry<Pte> e : ptes.long2ObjectEntrySet()) {
            if (e.getValue().target() < 0) {
                continue;
            }
            Map.Entry<Long, Vma> v = byStart.floorEntry(e.getLongKey());
            if (v != null && e.getLongKey() < v.getValue().end()) {
                out.add(new FilePte(v.getValue().file().ino(), v.getValue().pgoff(e.getLongKey()), e.getValue().target()));
            }
        }
        return out;
    }

    // ---- user accesses ---------------------------------------------------------------------------

    /** {@code mstore} / {@code mntstore}: stores {@code data} at offset {@code off} of mapping {@code map}. */
    public Access store(String map, long off, byte[] data, boolean nonTemporal, int step, int site, StoreSink sink) {
        Vma vma = byName.get(map);
        Access bad = check(vma, off, data.length, true);
        if (bad != null) {
            return bad;
        }
        bad = faultAll(vma, off, data.length, true, step);
        if (bad != null) {
            return bad;
        }
        if (storeHitsPoison(vma, off, data.length)) {
            // A store's read-for-ownership of a poisoned line consumes the poison: a machine check
            // in user mode, SIGBUS (BUS_MCEERR_AR) from memory_failure. Checked before any byte is
            // stored, so the access is all or nothing. Only write(2) clears poison
            // (dax_recovery_write), never a store.
            return new Access(Signal.SIGBUS, null);
        }
        int done = 0;
        while (done < data.length) {
            long addr = vma.start() + off + done;
            long page = addr & -PAGE_BYTES;
            int n = (int) Math.min(data.length - done, page + PAGE_BYTES - addr);
            Pte p = ptes.get(page);
            if (p.target() == ANON_PAGE) {
                System.arraycopy(data, done, anon.get(page), (int) (addr - page), n);
            } else {
                long pmAddr = p.target() + (addr - page);
                byte[] prior = new byte[n];
                pm.load(CPU, pmAddr, prior, 0, n);
                if (nonTemporal) {
                    pm.ntStore(CPU, pmAddr, data, done, n, site);
                } else {
                    pm.store(CPU, pmAddr, data, done, n, site);
                }
                if (sink != null) {
                    byte[] bytes = java.util.Arrays.copyOfRange(data, done, done + n);
                    sink.stored(vma, vma.fileOffsetBytes() + (addr - vma.start()), pmAddr, bytes, prior);
                }
            }
            done += n;
        }
        return Access.OK;
    }

    /** {@code mload}: the {@code len} bytes at offset {@code off} of mapping {@code map}. */
    public Access load(String map, long off, long len, int step) {
        Vma vma = byName.get(map);
        Access bad = check(vma, off, len, false);
        if (bad != null) {
            return bad;
        }
        byte[] out = new byte[(int) len];
        int done = 0;
        while (done < len) {
            long addr = vma.start() + off + done;
            long page = addr & -PAGE_BYTES;
            int n = (int) Math.min(len - done, page + PAGE_BYTES - addr);
            Signal s = faultIn(vma, page, false, step);
            if (s != null) {
                return new Access(s, null);
            }
            Pte p = ptes.get(page);
            if (p.target() == ANON_PAGE) {
                System.arraycopy(anon.get(page), (int) (addr - page), out, done, n);
            } else if (p.target() >= 0) {
                if (pm.poisoned(p.target() + (addr - page), n)) {
                    // A load that consumes poison: a machine check in user mode, SIGBUS.
                    return new Access(Signal.SIGBUS, null);
                }
                pm.load(CPU, p.target() + (addr - page), out, done, n);
            }
            done += n;
        }
        return new Access(null, out);
    }

    /** {@code mclwb}, {@code mclflushopt}, {@code mclflush}: flushes the line holding offset {@code off}. */
    public Access flush(FlushKind kind, String map, long off, int step, int site) {
        Vma vma = byName.get(map);
        Access bad = check(vma, off, 1, false);
        if (bad != null) {
            return bad;
        }
        return flushLine(vma, vma.start() + off, kind, step, site);
    }

    /** {@code persist}: clwb every line of the range, then sfence (libpmem's pmem_persist). */
    public Access persist(String map, long off, long len, int step, int site, int fenceSite) {
        Vma vma = byName.get(map);
        Access bad = check(vma, off, len, false);
        if (bad == null) {
            bad = faultAll(vma, off, len, false, step);
        }
        if (bad != null) {
            return bad;
        }
        // An empty range flushes no line (the clwb loop of a pmem_persist(addr, 0) never runs),
        // so it touches no page and cannot fault; only the fence remains.
        long first = (vma.start() + off) & -PersistentMemory.LINE_BYTES;
        for (long a = first; len > 0 && a < vma.start() + off + len; a += PersistentMemory.LINE_BYTES) {
            Access r = flushLine(vma, a, FlushKind.CLWB, step, site);
            if (!r.ok()) {
                return r;
            }
        }
        pm.sfence(CPU, fenceSite);
        return Access.OK;
    }

    private Access flushLine(Vma vma, long addr, FlushKind kind, int step, int site) {
        long page = addr & -PAGE_BYTES;
        // A flush of a non-present page faults like a read; of a present one it needs no permission.
        Signal s = faultIn(vma, page, false, step);
        if (s != null) {
            return new Access(s, null);
        }
        Pte p = ptes.get(page);
        if (p.target() >= 0) {
            long pmAddr = p.target() + (addr - page);
            switch (kind) {
                case CLFLUSH -> pm.clflush(CPU, pmAddr, site);
                case CLFLUSHOPT -> pm.clflushopt(CPU, pmAddr, site);
                case CLWB -> pm.clwb(CPU, pmAddr, site);
                default -> throw new AssertionError(kind);
            }
        }
        return Access.OK;
    }

    /**
     * Faults in every page of the access before any byte moves, so that an access stays
     * all-or-nothing and a crash inside any of its faults comes before any of its bytes.
     */
    private Access faultAll(Vma vma, long off, long len, boolean store, int step) {
        if (len <= 0) {
            return null;
        }
        long first = (vma.start() + off) & -PAGE_BYTES;
        for (long page = first; page < vma.start() + off + len; page += PAGE_BYTES) {
            Signal s = faultIn(vma, page, store, step);
            if (s != null) {
                return new Access(s, null);
            }
        }
        return null;
    }

    /**
     * The checks made before any byte moves; null when the access may go ahead. The user address
     * is the mapping's start plus {@code off}: bytes outside the VMA (whole pages, see {@link Vma})
     * are SIGSEGV (no VMA there, {@code bad_area}), bytes inside it but at or beyond end of file
     * SIGBUS ({@code dax_iomap_pte_fault}). The range test never forms {@code off + len}, which
     * for an offset near 2^63 would wrap and let the access through.
     */
    private Access check(Vma vma, long off, long len, boolean store) {
        if (vma == null || !vma.inside(off, len)) {
            return new Access(Signal.SIGSEGV, null);
        }
        if (store && !vma.writable()) {
            return new Access(Signal.SIGSEGV, null);
        }
        if (len == 0) {
            return null;
        }
        long size = vma.file().ops().sizeBytes(vma.file().ino());
        long pagesInFile = (size + PAGE_BYTES - 1) / PAGE_BYTES;
        long lastPage = vma.pgoff(vma.start() + off + len - 1);
        if (lastPage >= pagesInFile) {
            return new Access(Signal.SIGBUS, null);
        }
        return null;
    }

    /**
     * Makes page {@code page} of {@code vma} accessible for a load or store, faulting as needed;
     * the signal when the fault fails.
     */
    private Signal faultIn(Vma vma, long page, boolean store, int step) {
        for (int again = 0; ; again++) {
            Pte p = ptes.get(page);
            if (p != null && (!store || p.writable())) {
                return null;
            }
            if (again > RETRY_LIMIT) {
                throw livelock(vma, page, again, "the handler keeps returning without installing the PTE");
            }
            Signal s = handleFault(vma, page, store, step);
            if (s != null) {
                return s;
            }
        }
    }

    private Signal handleFault(Vma vma, long page, boolean store, int step) {
        faults++;
        locks.acquire(LockClass.MMAP_LOCK, false, "page fault (" + (store ? "write" : "read") + ")");
        boolean tried = false;
        Vma v = vma;
        for (int retries = 0; ; retries++) {
            boolean writeFault = store && v.shared();
            VmFault.Result r = v.file().ops().fault(new VmFault(v, page, v.pgoff(page), writeFault, true, tried, step),
                    this);
            if (r == VmFault.Result.RETRY) {
                this.retries++;
                if (retries >= RETRY_LIMIT) {
                    throw livelock(v, page, retries + 1, "every attempt returned VM_FAULT_RETRY");
                }
                // The handler dropped mmap_lock: everything seen under it is stale. Retake it
                // and redo the VMA lookup and the permission checks.
                locks.acquire(LockClass.MMAP_LOCK, false, "page fault retry");
                Map.Entry<Long, Vma> e = byStart.floorEntry(page);
                v = e == null || page >= e.getValue().end() ? null : e.getValue();
                if (v == null || (store && !v.writable())) {
                    locks.release(LockClass.MMAP_LOCK);
                    returnToUser(step);
                    return Signal.SIGSEGV;
                }
                tried = true;
                continue;
            }
            locks.release(LockClass.MMAP_LOCK);
            if (r == VmFault.Result.SIGBUS) {
                returnToUser(step);
                return Signal.SIGBUS;
            }
            break;
        }
        if (store && !v.shared() && !cowPage(page)) {
            // The copy (copy_mc_user_highpage) met poison: VM_FAULT_HWPOISON, SIGBUS.
            returnToUser(step);
            return Signal.SIGBUS;
        }
        returnToUser(step);
        return null;
    }

    /**
     * do_cow_fault: a private write copies the page the handler mapped into an anonymous page.
     * False when the page holds poisoned media: nothing is copied.
     */
    private boolean cowPage(long page) {
        Pte p = ptes.get(page);
        byte[] copy = new byte[(int) PAGE_BYTES];
        if (p != null && p.target() >= 0) {
            if (pm.poisoned(p.target(), PAGE_BYTES)) {
                return false;
            }
            pm.load(CPU, p.target(), copy, 0, copy.length);
        } else if (p != null && p.target() == ANON_PAGE) {
            return true;
        }
        anon.put(page, copy);
        ptes.put(page, new Pte(ANON_PAGE, true));
        return true;
    }

    /** Whether a store to [off, off+len) of {@code vma}, all of it faulted in, meets a poisoned line. */
    private boolean storeHitsPoison(Vma vma, long off, int len) {
        if (!pm.anyPoison()) {
            return false;
        }
        int done = 0;
        while (done < len) {
            long addr = vma.start() + off + done;
            long page = addr & -PAGE_BYTES;
            int n = (int) Math.min(len - done, page + PAGE_BYTES - addr);
            Pte p = ptes.get(page);
            if (p != null && p.target() >= 0 && pm.poisoned(p.target() + (addr - page), n)) {
                return true;
            }
            done += n;
        }
        return false;
    }

    /** The exception return: a crash may come just before it; it drains the store buffer. */
    private void returnToUser(int step) {
        faultReturn.beforeReturn(step);
        pm.serialize();
    }

    private static LockViolation livelock(Vma vma, long page, int attempts, String why) {
        long pgoff = vma.pgoff(page);
        return new LockViolation(LockViolation.Kind.LIVELOCK,
                "livelock: the fault on page " + pgoff + " of mapping " + vma.name() + " never completes",
                List.of("Let a store through mapping " + vma.name() + " fault on file page " + pgoff + ".",
                        "The core retried the fault " + attempts + " times and " + why + ".",
                        TaskScheduler.current() == null
                                ? "In a single-threaded program nothing else changes the file between attempts, so a"
                                        + " handler that needed more than one retry will need them forever: the store"
                                        + " never completes."
                                : "Other tasks ran between the attempts, and each attempt found a reason to retry again:"
                                        + " for as long as they keep giving it one, the store does not complete (daxfuzz"
                                        + " calls " + RETRY_LIMIT + " retries in a row a livelock). No retry is bounded,"
                                        + " so the scheduler's order alone decides whether the store ever completes."));
    }
}
