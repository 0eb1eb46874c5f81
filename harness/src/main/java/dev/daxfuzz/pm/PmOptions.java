package dev.daxfuzz.pm;

/**
 * The shape of an emulated persistent-memory platform.
 *
 * @param deviceBytes size of the device, a positive multiple of {@link PersistentMemory#LINE_BYTES}
 * @param persistency where the power-fail-safe domain ends (ADR or eADR)
 * @param cpus number of CPUs, each with its own store buffer
 */
public record PmOptions(long deviceBytes, Persistency persistency, int cpus) {
    /** The largest device: images are Java arrays indexed by int. */
    public static final long DEVICE_BYTES_MAX = 1L << 30;
    public static final int CPUS_MAX = 64;

    public PmOptions {
        if (deviceBytes <= 0 || deviceBytes % PersistentMemory.LINE_BYTES != 0 || deviceBytes > DEVICE_BYTES_MAX) {
            throw new IllegalArgumentException("device size must be a positive multiple of "
                    + PersistentMemory.LINE_BYTES + " up to " + DEVICE_BYTES_MAX + ": " + deviceBytes);
        }
        if (persistency == null) {
            throw new IllegalArgumentException("persistency is required");
        }
        if (cpus < 1 || cpus > CPUS_MAX) {
            throw new IllegalArgumentException("cpus must be in 1.." + CPUS_MAX + ": " + cpus);
        }
    }

    /** One CPU, ADR: the common case. */
    public static PmOptions of(long deviceBytes, Persistency persistency) {
        return new PmOptions(deviceBytes, persistency, 1);
    }
}
