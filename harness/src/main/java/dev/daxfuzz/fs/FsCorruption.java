package dev.daxfuzz.fs;

/**
 * A structure on the media is not what the design writes: a bad magic or checksum, a pointer
 * outside the device, a loop. Mount turns it into a clean EUCLEAN failure (as ext4 and XFS report
 * EFSCORRUPTED); it is never a crash of daxfuzz.
 */
public final class FsCorruption extends RuntimeException {
    private static final long serialVersionUID = 1L;

    private final boolean mediaError;

    public FsCorruption(String message) {
        this(message, false);
    }

    /** With {@code mediaError}: the structure could not be read because its media is poisoned (EIO). */
    public FsCorruption(String message, boolean mediaError) {
        super(message, null, false, false);
        this.mediaError = mediaError;
    }

    /** Whether this is a media error (poisoned metadata), not corruption. */
    public boolean mediaError() {
        return mediaError;
    }
}
