package dev.daxfuzz.fs;

import dev.daxfuzz.fs.layout.DirentFormat;
import dev.daxfuzz.fs.layout.InodeFormat;
import it.unimi.dsi.fastutil.ints.Int2IntOpenHashMap;
import it.unimi.dsi.fastutil.ints.IntArrayList;
import java.util.ArrayList;
import java.util.List;
import java.util.TreeSet;

/**
 * The structural invariants of a mounted {@code journal} file system, checked the way e2fsck's
 * passes check ext4: inodes, block ownership, directory structure and connectivity, link counts,
 * the block bitmap. It reads metadata only (never file data) and reports every broken invariant
 * by name, without repairing anything.
 *
 * <p>Not checked (why): timestamps (logical, nothing depends on them); the content of unwritten or
 * free blocks (any bytes are legal there); file data (the oracle's job).
 */
public final class Fsck {
    private Fsck() {
    }

    /** The invariants, each with what it means. */
    public enum Invariant {
        INODE_CHECKSUM("an allocated inode's checksum does not match its content"),
        INODE_MODE("an inode has a mode that is neither free, file nor directory"),
        BLOCK_RANGE("a block pointer lies outside the data area"),
        BLOCK_SHARED("a block is referenced more than once"),
        BLOCK_NOT_MARKED("a referenced block is free in the bitmap"),
        BLOCK_LEAKED("a block is marked in the bitmap but nothing references it"),
        METADATA_NOT_MARKED("a block of the metadata regions is free in the bitmap"),
        FILE_SIZE("a file's size does not fit its block map (written blocks past the end, or too large)"),
        DIR_SIZE("a directory's size is not a whole number of allocated, written blocks"),
        ENTRY_DANGLING("a directory entry names a free inode"),
        ENTRY_TYPE("a directory entry's type disagrees with its inode"),
        ENTRY_NAME("a directory entry's name is empty, too long or contains '/' or NUL"),
        ENTRY_DUPLICATE("two entries of one directory have the same name"),
        DIR_LINKED_TWICE("a directory has more than one name"),
        DIR_PARENT("a directory's parent field disagrees with the directory that names it"),
        CYCLE("a directory contains itself"),
        UNREACHABLE("an allocated inode is not reachable from the root"),
        LINK_COUNT("an inode's link count differs from the names (and subdirectories) it has"),
        STATIC_MAP_INCOMPLETE("a file carrying the persistent static (daxfile) flag has a hole or an unwritten block"
                + " below its size"),
        CORRUPT("a structure could not be read at all");

        private final String meaning;

        Invariant(String meaning) {
            this.meaning = meaning;
        }

        public String meaning() {
            return meaning;
        }
    }

    /** One broken invariant and where. */
    public record Problem(Invariant invariant, String detail) {
        @Override
        public String toString() {
            return invariant + ": " + detail;
        }
    }

    public static List<Problem> check(Volume vol) {
        List<Problem> out = new ArrayList<>();
        try {
            run(vol, out);
        } catch (FsCorruption e) {
            out.add(new Problem(Invariant.CORRUPT, e.getMessage()));
        }
        return out;
    }

    private static void run(Volume vol, List<Problem> out) {
        FsGeometry g = vol.geometry();
        Int2IntOpenHashMap owner = new Int2IntOpenHashMap();
        IntArrayList live = new IntArrayList();
        // Pass 1: inodes and block ownership.
        for (int ino = 1; ino < g.inodeCount(); ino++) {
            int mode = vol.mode(ino);
            if (mode == InodeFormat.MODE_FREE) {
                continue;
            }
            if (mode != InodeFormat.MODE_FILE && mode != InodeFormat.MODE_DIR) {
                out.add(new Problem(Invariant.INODE_MODE, "inode " + ino + " has mode " + mode));
                continue;
            }
            if (!vol.inodeChecksumOk(ino)) {
                out.add(new Problem(Invariant.INODE_CHECKSUM, "inode " + ino));
            }
            live.add(ino);
            claimBlocks(vol, ino, owner, out);
        }
        // Pass 2: bitmap against ownership.
        // A line of the bitmap at a time (512 blocks): as many reads of the image as lines, not
        // blocks, and a poisoned line still stops the pass at its first block, as before.
        byte[] bitmap = new byte[FsGeometry.LINE_BYTES];
        for (int b = 0; b < g.blocks(); b++) {
            int bit = b % (8 * FsGeometry.LINE_BYTES);
            if (bit == 0) {
                vol.bitmapBytes(b, bitmap, Math.min(FsGeometry.LINE_BYTES, (g.blocks() - b + 7) / 8));
            }
            boolean marked = (bitmap[bit >>> 3] & (1 << (bit & 7))) != 0;
            if (b < g.dataStart()) {
                if (!marked) {
                    out.add(new Problem(Invariant.METADATA_NOT_MARKED, "block " + b));
                }
            } else if (owner.containsKey(b) && !marked) {
                out.add(new Problem(Invariant.BLOCK_NOT_MARKED, "block " + b + " of inode " + owner.get(b)));
            } else if (!owner.containsKey(b) && marked) {
                out.add(new Problem(Invariant.BLOCK_LEAKED, "block " + b));
            }
        }
        // Pass 3: directory structure, from the root.
        Int2IntOpenHashMap names = new Int2IntOpenHashMap();
        Int2IntOpenHashMap subdirs = new Int2IntOpenHashMap();
        Int2IntOpenHashMap namedBy = new Int2IntOpenHashMap();
        IntArrayList work = new IntArrayList();
        java.util.BitSet visited = new java.util.BitSet();
        work.add(FsGeometry.ROOT_INO);
        visited.set(FsGeometry.ROOT_INO);
        while (!work.isEmpty()) {
            int dir = work.popInt();
            TreeSet<String> seen = new TreeSet<>();
            for (Volume.Entry e : vol.entries(dir)) {
                String where = "entry '" + printable(e.name()) + "' of directory " + dir;
                if (e.name().isEmpty() || e.name().indexOf('/') >= 0 || e.name().indexOf('\0') >= 0) {
                    out.add(new Problem(Invariant.ENTRY_NAME, where));
                }
                if (!seen.add(e.name())) {
                    out.add(new Problem(Invariant.ENTRY_DUPLICATE, where));
                }
                if (e.ino() < 1 || e.ino() >= g.inodeCount()) {
                    out.add(new Problem(Invariant.ENTRY_DANGLING, where + " names inode " + e.ino()));
                    continue;
                }
                int mode = vol.mode(e.ino());
                if (mode == InodeFormat.MODE_FREE) {
                    out.add(new Problem(Invariant.ENTRY_DANGLING, where + " names free inode " + e.ino()));
                    continue;
                }
                int want = mode == InodeFormat.MODE_DIR ? DirentFormat.TYPE_DIR : DirentFormat.TYPE_FILE;
                if (e.type() != want) {
                    out.add(new Problem(Invariant.ENTRY_TYPE, where + " has type " + e.type() + " for inode " + e.ino()));
                }
                names.addTo(e.ino(), 1);
                if (mode == InodeFormat.MODE_DIR) {
                    subdirs.addTo(dir, 1);
                    if (e.ino() == FsGeometry.ROOT_INO || visited.get(e.ino())) {
                        out.add(new Problem(e.ino() == FsGeometry.ROOT_INO || namedBy.containsKey(e.ino())
                                ? Invariant.DIR_LINKED_TWICE : Invariant.CYCLE, where + " names directory " + e.ino()));
                        continue;
                    }
                    visited.set(e.ino());
                    namedBy.put(e.ino(), dir);
                    if (vol.parent(e.ino()) != dir) {
                        out.add(new Problem(Invariant.DIR_PARENT, "directory " + e.ino() + " says its parent is "
                                + vol.parent(e.ino()) + " but directory " + dir + " names it"));
                    }
                    work.add(e.ino());
                }
            }
        }
        if (vol.parent(FsGeometry.ROOT_INO) != FsGeometry.ROOT_INO) {
            out.add(new Problem(Invariant.DIR_PARENT, "the root's parent is " + vol.parent(FsGeometry.ROOT_INO)));
        }
        // Pass 4: connectivity and link counts.
        for (int i = 0; i < live.size(); i++) {
            int ino = live.getInt(i);
            if (ino != FsGeometry.ROOT_INO && names.get(ino) == 0) {
                out.add(new Problem(Invariant.UNREACHABLE, "inode " + ino));
                continue;
            }
            long want = vol.isDir(ino) ? 2 + subdirs.get(ino) : names.get(ino);
            if (vol.nlink(ino) != want) {
                out.add(new Problem(Invariant.LINK_COUNT, "inode " + ino + " has nlink " + vol.nlink(ino) + ", expected "
                        + want));
            }
        }
    }

    private static void claimBlocks(Volume vol, int ino, Int2IntOpenHashMap owner, List<Problem> out) {
        FsGeometry g = vol.geometry();
        boolean dir = vol.isDir(ino);
        long size = vol.size(ino);
        int ind = vol.indirect(ino);
        if (ind != 0) {
            if (ind < g.dataStart() || ind >= g.blocks()) {
                out.add(new Problem(Invariant.BLOCK_RANGE, "indirect block " + ind + " of inode " + ino));
                ind = 0;
            } else {
                claim(owner, ind, ino, out);
            }
        }
        int limit = ind != 0 ? FsGeometry.FILE_BLOCKS_MAX : FsGeometry.DIRECT_BLOCKS;
        if (dir) {
            if (size % FsGeometry.BLOCK_BYTES != 0 || size > (long) FsGeometry.DIR_BLOCKS_MAX * FsGeometry.BLOCK_BYTES) {
                out.add(new Problem(Invariant.DIR_SIZE, "directory " + ino + " has size " + size));
                return;
            }
        } else if (size > FsGeometry.LIMITS.fileSizeMaxBytes()) {
            out.add(new Problem(Invariant.FILE_SIZE, "file " + ino + " has size " + size));
        }
        long sizeBlocks = (size + FsGeometry.BLOCK_BYTES - 1) / FsGeometry.BLOCK_BYTES;
        boolean sealed = !dir && (vol.flags(ino) & InodeFormat.FLAG_DAXFILE) != 0;
        for (int fb = 0; fb < limit; fb++) {
            int ptr;
            try {
                ptr = vol.pointer(ino, fb);
            } catch (FsCorruption e) {
                out.add(new Problem(Invariant.BLOCK_RANGE, "block " + fb + " of inode " + ino + ": " + e.getMessage()));
                continue;
            }
            boolean allocated = InodeFormat.allocated(ptr);
            if (dir) {
                boolean inside = fb < sizeBlocks;
                if (inside != allocated || (allocated && InodeFormat.unwritten(ptr))) {
                    out.add(new Problem(Invariant.DIR_SIZE, "directory " + ino + " block " + fb + " is "
                            + (allocated ? InodeFormat.unwritten(ptr) ? "unwritten" : "allocated" : "a hole")
                            + " with size " + size));
                }
            } else if (allocated && !InodeFormat.unwritten(ptr) && fb >= sizeBlocks) {
                out.add(new Problem(Invariant.FILE_SIZE, "file " + ino + " has written block " + fb + " past its size "
                        + size));
            } else if (sealed && fb < sizeBlocks && (!allocated || InodeFormat.unwritten(ptr))) {
                // The sealed design's flag means "fully allocated and zeroed" (Dave Chinner's rule).
                out.add(new Problem(Invariant.STATIC_MAP_INCOMPLETE, "file " + ino + " block " + fb + " is "
                        + (allocated ? "unwritten" : "a hole")));
            }
            if (allocated) {
                claim(owner, InodeFormat.blockOf(ptr), ino, out);
            }
        }
        if (sealed && limit < sizeBlocks) {
            out.add(new Problem(Invariant.STATIC_MAP_INCOMPLETE, "file " + ino + " has no indirect block below its size"));
        }
    }

    private static void claim(Int2IntOpenHashMap owner, int b, int ino, List<Problem> out) {
        if (owner.containsKey(b)) {
            out.add(new Problem(Invariant.BLOCK_SHARED, "block " + b + " of inode " + ino + " also belongs to inode "
                    + owner.get(b)));
        } else {
            owner.put(b, ino);
        }
    }

    /** A name as a report can show it: control characters and quotes escaped. */
    static String printable(String name) {
        StringBuilder sb = new StringBuilder();
        for (int i = 0; i < name.length(); i++) {
            char c = name.charAt(i);
            if (c < 0x20 || c == 0x7f || c == '\\' || c == '\'') {
                sb.append(String.format("\\x%02x", (int) c));
            } else {
                sb.append(c);
            }
        }
        return sb.toString();
    }
}
