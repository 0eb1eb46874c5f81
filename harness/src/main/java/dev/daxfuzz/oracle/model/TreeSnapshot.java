package dev.daxfuzz.oracle.model;

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.TreeMap;

/**
 * The live namespace at one moment: one entry per name (so a file with two hard links appears
 * twice, with one inode id), sorted by path string, the root left out. Records compare by value,
 * so two snapshots are equal when names, kinds, sizes and inode numbering all agree;
 * {@link #canonical()} compares shape without numbering.
 *
 * <p>Limits: only names, kinds, sizes and link sharing: no contents (see {@link DataEvent}), no
 * link counts, no inodes that have no name (open orphans).
 *
 * @param entries sorted by {@link Entry#path()} ({@link String#compareTo} order)
 */
public record TreeSnapshot(List<Entry> entries) {

    /**
     * One name.
     *
     * @param path absolute path, e.g. {@code /a/b}
     * @param directory true for a directory
     * @param inodeId the numbering's inode id; hard links share it
     * @param size bytes for a regular file, 0 for a directory
     */
    public record Entry(String path, boolean directory, int inodeId, long size) {
        public Entry {
            Objects.requireNonNull(path, "path");
        }
    }

    public TreeSnapshot {
        entries = List.copyOf(entries);
        for (int i = 1; i < entries.size(); i++) {
            if (entries.get(i - 1).path().compareTo(entries.get(i).path()) >= 0) {
                throw new IllegalArgumentException("entries not sorted by path: " + entries.get(i).path());
            }
        }
    }

    /** The entry for {@code path}, if that name exists. */
    public Optional<Entry> entry(String path) {
        for (Entry e : entries) {
            if (e.path().equals(path)) {
                return Optional.of(e);
            }
        }
        return Optional.empty();
    }

    /**
     * One line per entry with inode ids replaced by the first path (in sorted order) naming the
     * same inode: {@code /a dir @/a}, {@code /a/f file @/a/f size=3}, {@code /g file @/a/f size=3}.
     * Equal strings mean the same namespace up to inode numbering.
     */
    public String canonical() {
        TreeMap<Integer, String> firstName = new TreeMap<>();
        for (Entry e : entries) {
            firstName.putIfAbsent(e.inodeId(), e.path());
        }
        List<String> lines = new ArrayList<>();
        for (Entry e : entries) {
            lines.add(line(e, "@" + firstName.get(e.inodeId())));
        }
        return String.join("\n", lines);
    }

    /** One line per entry: {@code /a dir #2}, {@code /a/f file #3 size=3}; empty for an empty tree. */
    @Override
    public String toString() {
        List<String> lines = new ArrayList<>();
        for (Entry e : entries) {
            lines.add(line(e, "#" + e.inodeId()));
        }
        return String.join("\n", lines);
    }

    private static String line(Entry e, String inode) {
        return e.path() + (e.directory() ? " dir " + inode : " file " + inode + " size=" + e.size());
    }
}
