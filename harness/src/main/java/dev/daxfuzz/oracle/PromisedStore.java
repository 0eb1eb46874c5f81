package dev.daxfuzz.oracle;

/**
 * A user store through a mapping that promised durability once flushed: a MAP_SYNC mapping (the
 * mmap(2) page: "visible in the same file at the same offset even after the system crashes"), or
 * any shared mapping of a file whose block map was static when the store ran (the daxfile
 * promise). The oracle checks it against every crash image in which its bytes reached the media.
 *
 * @param step the statement that stored
 * @param modelInode the model's id of the file
 * @param fileOffset the file offset of {@code bytes[0]}
 * @param pmAddr the persistent-memory address the store went to
 * @param bytes what was stored
 * @param prior what the coherent view held there just before (a byte equal to its prior value
 *     cannot tell whether the store reached the media, so it proves nothing)
 * @param why "MAP_SYNC" or "static daxfile", for reports
 */
public record PromisedStore(int step, int modelInode, long fileOffset, long pmAddr, byte[] bytes, byte[] prior,
                            String why) {
}
