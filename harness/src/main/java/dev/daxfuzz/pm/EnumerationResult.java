package dev.daxfuzz.pm;

/**
 * What enumerating a crash point found.
 *
 * @param states distinct images visited at this crash point
 * @param newInRun how many of those the run-wide fingerprint set had not seen (equal to
 *     {@code states} when no run-wide set was given)
 * @param truncated true when the bound stopped the enumeration while unvisited images remained
 * @param stopped true when the visitor asked to stop
 */
public record EnumerationResult(long states, long newInRun, boolean truncated, boolean stopped) {
}
