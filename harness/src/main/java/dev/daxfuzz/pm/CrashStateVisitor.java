package dev.daxfuzz.pm;

/** Receives crash states one by one during enumeration. */
@FunctionalInterface
public interface CrashStateVisitor {
    /**
     * Called once per distinct image of a crash point. The state and its image are valid only
     * during the call. Return false to stop the enumeration.
     */
    boolean visit(CrashState state);
}
