package dev.daxfuzz.bench;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

/** Medians and ranges for the benchmark's reports (never a single run as a result). */
public final class Stats {
    private Stats() {
    }

    /** The median of {@code xs}; NaN when empty. */
    public static double median(List<? extends Number> xs) {
        if (xs.isEmpty()) {
            return Double.NaN;
        }
        List<Double> s = new ArrayList<>();
        for (Number x : xs) {
            s.add(x.doubleValue());
        }
        Collections.sort(s);
        int n = s.size();
        return n % 2 == 1 ? s.get(n / 2) : (s.get(n / 2 - 1) + s.get(n / 2)) / 2;
    }

    /** The smallest of {@code xs}; NaN when empty. */
    public static double min(List<? extends Number> xs) {
        return xs.stream().mapToDouble(Number::doubleValue).min().orElse(Double.NaN);
    }

    /** The largest of {@code xs}; NaN when empty. */
    public static double max(List<? extends Number> xs) {
        return xs.stream().mapToDouble(Number::doubleValue).max().orElse(Double.NaN);
    }
}
