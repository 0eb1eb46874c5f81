package dev.daxfuzz.oracle.model;

import dev.daxfuzz.posix.Errno;
import dev.daxfuzz.program.FsPath;
import java.nio.charset.StandardCharsets;
import java.util.List;

/**
 * Path resolution as the model's calls need it: walk from the root, component by component, and
 * stop at the first problem. For each component: the node reached so far is not a directory gives
 * ENOTDIR; a name longer than NAME_MAX bytes gives ENAMETOOLONG; a missing intermediate component
 * gives ENOENT. What a missing final component means is the call's business.
 *
 * <p>Limits: no symbolic links, no {@code .} or {@code ..} (the program format has neither), no
 * PATH_MAX (paths are at most 8 components of 32 bytes), no permission checks.
 */
final class Resolver {
    private final ModelInode root;
    private final int nameMaxBytes;

    Resolver(ModelInode root, int nameMaxBytes) {
        this.root = root;
        this.nameMaxBytes = nameMaxBytes;
    }

    /**
     * What a walk found: an error, or the parent directory and final name (root: both null) and,
     * once {@link #last()} has looked it up, the node the name denotes (null when missing).
     */
    record Lookup(Errno error, ModelInode parent, String name, ModelInode node) {
        boolean failed() {
            return error != null;
        }

        boolean isRoot() {
            return error == null && parent == null;
        }
    }

    /** True when {@code name} is longer than NAME_MAX in UTF-8 bytes. */
    boolean tooLong(String name) {
        return name.getBytes(StandardCharsets.UTF_8).length > nameMaxBytes;
    }

    /**
     * Walks to the parent of {@code path}'s final component; the final component itself is not
     * looked up (see {@link #last(Lookup)}). For the root path, returns the root as the node.
     */
    Lookup parent(FsPath path) {
        if (path.isRoot()) {
            return new Lookup(null, null, null, root);
        }
        List<String> parts = path.components();
        ModelInode dir = root;
        for (int i = 0; i < parts.size() - 1; i++) {
            String part = parts.get(i);
            if (!dir.directory) {
                return fail(Errno.ENOTDIR);
            }
            if (tooLong(part)) {
                return fail(Errno.ENAMETOOLONG);
            }
            ModelInode next = dir.entries.get(part);
            if (next == null) {
                return fail(Errno.ENOENT);
            }
            dir = next;
        }
        if (!dir.directory) {
            return fail(Errno.ENOTDIR);
        }
        return new Lookup(null, dir, parts.get(parts.size() - 1), null);
    }

    /** Looks up the final name of a successful {@link #parent} walk: ENAMETOOLONG, or the node or null. */
    Lookup last(Lookup walk) {
        if (walk.failed() || walk.isRoot()) {
            return walk;
        }
        if (tooLong(walk.name())) {
            return fail(Errno.ENAMETOOLONG);
        }
        return new Lookup(null, walk.parent(), walk.name(), walk.parent().entries.get(walk.name()));
    }

    /** The whole walk: {@link #parent} then {@link #last}. A missing final component is not an error. */
    Lookup resolve(FsPath path) {
        return last(parent(path));
    }

    private static Lookup fail(Errno errno) {
        return new Lookup(errno, null, null, null);
    }
}
