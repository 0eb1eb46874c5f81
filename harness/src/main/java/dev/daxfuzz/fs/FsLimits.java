package dev.daxfuzz.fs;

/**
 * The limits a file-system design imposes, which decide some errno results: the reference model
 * takes them from the design so that both agree on ENAMETOOLONG, EMLINK, EMFILE and EFBIG.
 *
 * @param nameMaxBytes longest name of one directory entry (NAME_MAX); longer gives ENAMETOOLONG
 * @param linkMax most links to one inode; one more gives EMLINK
 * @param openFilesMax most file descriptors open at once; one more gives EMFILE
 * @param fileSizeMaxBytes largest file size (s_maxbytes); beyond gives EFBIG
 * @param blockBytes allocation unit: holes, unwritten extents and punches work in whole blocks
 */
public record FsLimits(int nameMaxBytes, int linkMax, int openFilesMax, long fileSizeMaxBytes, int blockBytes) {
    public FsLimits {
        if (nameMaxBytes < 1 || linkMax < 2 || openFilesMax < 1 || fileSizeMaxBytes < blockBytes
                || blockBytes < 1 || Integer.bitCount(blockBytes) != 1) {
            throw new IllegalArgumentException("bad limits");
        }
    }
}
