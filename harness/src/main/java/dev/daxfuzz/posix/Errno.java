package dev.daxfuzz.posix;

import java.util.Optional;

/**
 * The Linux errno values that daxfuzz's models return, with their x86-64 numbers.
 *
 * <p>Limits: only the errnos a file-system or memory-management call of the program format can
 * return are listed; names follow {@code include/uapi/asm-generic/errno-base.h} and
 * {@code errno.h}. {@code EUCLEAN} is what ext4 and XFS return for a corrupt structure
 * ({@code EFSCORRUPTED}).
 */
public enum Errno {
    EPERM(1), ENOENT(2), EINTR(4), EIO(5), ENXIO(6), E2BIG(7), EBADF(9), EAGAIN(11), ENOMEM(12),
    EACCES(13), EFAULT(14), EBUSY(16), EEXIST(17), EXDEV(18), ENODEV(19), ENOTDIR(20), EISDIR(21),
    EINVAL(22), ENFILE(23), EMFILE(24), ETXTBSY(26), EFBIG(27), ENOSPC(28), ESPIPE(29), EROFS(30),
    EMLINK(31), ERANGE(34), EDEADLK(35), ENAMETOOLONG(36), ENOSYS(38), ENOTEMPTY(39), ELOOP(40),
    ENODATA(61), EOVERFLOW(75), EOPNOTSUPP(95), EUCLEAN(117);

    private final int number;

    Errno(int number) {
        this.number = number;
    }

    /** The positive errno number on x86-64 Linux. */
    public int number() {
        return number;
    }

    /** The errno with this exact (upper-case) name, if daxfuzz knows it. */
    public static Optional<Errno> byName(String name) {
        for (Errno e : values()) {
            if (e.name().equals(name)) {
                return Optional.of(e);
            }
        }
        return Optional.empty();
    }
}
