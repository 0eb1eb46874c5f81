package dev.daxfuzz.fs;

/**
 * A structure on the media is not what the design writes: a bad magic or checksum, a pointer
 * outside the device, a loop. Mount turns it into a clean EUCLEAN failure (as ext4 and XFS report
 * EFSCORRUPTED); it is never a crash of daxfuzz.
 */
public final class FsCorruption extends RuntimeException {
    private static final long serialVersionUID = 1L;

    public FsCorruption(String message) {
        super(message, null, false, false);
    }
}
