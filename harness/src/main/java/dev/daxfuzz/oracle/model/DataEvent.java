package dev.daxfuzz.oracle.model;

import dev.daxfuzz.program.Bytes;
import java.util.Objects;

/**
 * One change to, or durability point of, the data of one regular-file inode, as the reference
 * model recorded it. A data oracle replays an inode's events to decide which bytes a crash may
 * legally leave at each offset.
 *
 * <p>Limits: only successful calls leave events; metadata (names, link counts) is not here but in
 * {@link TreeSnapshot} and {@link PosixModel#metadataFloor()}. Size changes that destroy nothing
 * (truncate up, fallocate, an extending write) are implied, not recorded.
 *
 * @param step the 0-based statement index of the call
 * @param kind what happened
 * @param offset first byte affected (0 for {@link Kind#SYNC})
 * @param length bytes affected (0 for {@link Kind#SYNC}; the byte count for writes)
 * @param bytes the bytes written for {@link Kind#WRITE} and {@link Kind#DSYNC_WRITE}, else empty
 */
public record DataEvent(int step, Kind kind, long offset, long length, Bytes bytes) {

    /** The kinds of data events. */
    public enum Kind {
        /** {@code bytes} written at {@code offset}; durable only at a later sync. */
        WRITE,
        /** A write through an {@code O_DSYNC} description: durable when the call returns. */
        DSYNC_WRITE,
        /** [offset, offset + length) lost its old content and now reads as zeros. */
        DISCARD,
        /**
         * A completed {@code fsync} or {@code fdatasync} through a description of this inode, or a
         * {@code sync}: every earlier event of the inode is durable.
         */
        SYNC
    }

    public DataEvent {
        Objects.requireNonNull(kind, "kind");
        Objects.requireNonNull(bytes, "bytes");
        if (offset < 0 || length < 0) {
            throw new IllegalArgumentException("negative offset or length");
        }
        switch (kind) {
            case WRITE, DSYNC_WRITE -> {
                if (length != bytes.length()) {
                    throw new IllegalArgumentException("a write's length is its byte count");
                }
            }
            case DISCARD -> {
                if (bytes.length() != 0) {
                    throw new IllegalArgumentException("a discard carries no bytes");
                }
            }
            case SYNC -> {
                if (offset != 0 || length != 0 || bytes.length() != 0) {
                    throw new IllegalArgumentException("a sync has no range and no bytes");
                }
            }
        }
    }

    /** A {@link Kind#WRITE} or {@link Kind#DSYNC_WRITE} of {@code bytes} at {@code offset}. */
    public static DataEvent write(int step, boolean dsync, long offset, Bytes bytes) {
        return new DataEvent(step, dsync ? Kind.DSYNC_WRITE : Kind.WRITE, offset, bytes.length(), bytes);
    }

    /** A {@link Kind#DISCARD} of [offset, offset + length). */
    public static DataEvent discard(int step, long offset, long length) {
        return new DataEvent(step, Kind.DISCARD, offset, length, Bytes.empty());
    }

    /** A {@link Kind#SYNC}. */
    public static DataEvent sync(int step) {
        return new DataEvent(step, Kind.SYNC, 0, 0, Bytes.empty());
    }
}
