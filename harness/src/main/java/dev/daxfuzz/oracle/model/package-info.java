/**
 * The reference model of POSIX/Linux file-system semantics that runs beside the file system under
 * test: {@link dev.daxfuzz.oracle.model.PosixModel} predicts every call's result and records what a
 * crash may legally leave (namespace snapshots, per-inode data histories, the metadata floor).
 *
 * <p>Written independently of {@code dev.daxfuzz.fs}: it shares only
 * {@link dev.daxfuzz.fs.CallResult} and {@link dev.daxfuzz.fs.FsLimits} with it, so that the two
 * implementations can be compared.
 */
package dev.daxfuzz.oracle.model;
