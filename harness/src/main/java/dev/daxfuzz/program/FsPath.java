package dev.daxfuzz.program;

import java.nio.charset.StandardCharsets;
import java.util.List;

/**
 * An absolute path of the program format: {@code /} or {@code /a/b}, at most
 * {@value #COMPONENTS_MAX} components of at most {@value #COMPONENT_BYTES_MAX} bytes each.
 * Components are never empty, {@code .} or {@code ..}.
 */
public record FsPath(List<String> components) {
    public static final int COMPONENTS_MAX = 8;
    public static final int COMPONENT_BYTES_MAX = 32;

    public FsPath {
        components = List.copyOf(components);
        if (components.size() > COMPONENTS_MAX) {
            throw new IllegalArgumentException("more than " + COMPONENTS_MAX + " components");
        }
        for (String c : components) {
            int n = c.getBytes(StandardCharsets.UTF_8).length;
            if (n == 0 || n > COMPONENT_BYTES_MAX || c.equals(".") || c.equals("..") || c.indexOf('/') >= 0) {
                throw new IllegalArgumentException("bad path component: '" + c + "'");
            }
        }
    }

    /** The root directory. */
    public static FsPath root() {
        return new FsPath(List.of());
    }

    public boolean isRoot() {
        return components.isEmpty();
    }

    @Override
    public String toString() {
        return components.isEmpty() ? "/" : "/" + String.join("/", components);
    }
}
