package dev.daxfuzz.oracle;

import dev.daxfuzz.oracle.model.DataEvent;
import dev.daxfuzz.oracle.model.TreeSnapshot;
import java.util.List;
import java.util.function.IntFunction;
import java.util.function.IntUnaryOperator;

/**
 * What the model knows at one crash point: which namespaces recovery may legally show, and the
 * data history it judges file contents by.
 *
 * @param crashPoint index of the crash point in the run
 * @param description where it is ("during line 7 (fsync f)", "at line 9 (crash)")
 * @param currentStep the last statement that may have had an effect (the call in progress, or the
 *     last call before a {@code crash} statement); −1 before any
 * @param completedThrough the last statement that had returned
 * @param floor the model's durability floor: prefixes shorter than this are lost durable state
 * @param snapshots namespace after each statement: index k+1 holds the state after statement k,
 *     index 0 the empty file system
 * @param events data history of a model inode
 * @param promised user stores whose mapping promised durability once flushed, in program order
 * @param statics block maps of files sealed static (sealed design), which must never change
 * @param lineOf the source line of statement k, so that explanations name statements as the
 *     program's reader sees them ("line 10"), never by index; null names them by index
 */
public record CrashContext(int crashPoint, String description, int currentStep, int completedThrough, int floor,
                           List<TreeSnapshot> snapshots, IntFunction<List<DataEvent>> events,
                           List<PromisedStore> promised, List<StaticMap> statics, IntUnaryOperator lineOf) {

    public CrashContext(int crashPoint, String description, int currentStep, int completedThrough, int floor,
                        List<TreeSnapshot> snapshots, IntFunction<List<DataEvent>> events) {
        this(crashPoint, description, currentStep, completedThrough, floor, snapshots, events, List.of(), List.of(),
                null);
    }

    /** "line 10" for statement k (by its source line), "the start" for −1. */
    public String stepName(int k) {
        if (k < 0) {
            return "the start";
        }
        return lineOf == null ? "statement " + (k + 1) : "line " + lineOf.applyAsInt(k);
    }

    /** The namespace after statement {@code k} (−1: the empty file system). */
    public TreeSnapshot after(int k) {
        return snapshots.get(k + 1);
    }
}
