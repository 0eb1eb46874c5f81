package dev.daxfuzz.bench;

import dev.daxfuzz.oracle.Violation;
import dev.daxfuzz.run.FsRunner;
import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.List;

/**
 * Whether each enumeration method catches each seeded bug on its catalog reproducer: daxfuzz's
 * lazy exploration; every image in full (Yat, pmreorder ReorderFull); and only images where at
 * most k in-flight writes persisted (Chipmunk, k = 2 and 5).
 *
 * <p>The eager methods are bounded ({@code maxImagesPerPoint} checked images per crash point,
 * four times that made), as the peers bound theirs (pmreorder and CrashMonkey sample 10,000
 * orderings; Vinter takes 20 random subsets); a miss under a cut bound says "not within the
 * bound", and the report says which crash points were cut. A bug whose violation needs no crash
 * (a wrong result, a missing capability check) is caught by every method alike and is marked so.
 *
 * <p>Limits: the k methods take images with at most k lines away from their least persisted
 * content ({@link dev.daxfuzz.pm.BoundedDeviationChooser}), a superset of what Chipmunk's
 * subsets of at most k writes reach: a miss is a miss for Chipmunk's k too (within the bound), a
 * catch may not be.
 */
public final class CatalogCoverage {
    private CatalogCoverage() {
    }

    /** A method and whether it caught the bug. */
    public record Catch(String method, boolean caught, long checks, boolean cut) {
    }

    /** One catalog bug. */
    public record Row(String bug, boolean needsCrash, List<Catch> catches) {
        public Row {
            catches = List.copyOf(catches);
        }
    }

    /** The section's result. */
    public record Result(long maxImagesPerPoint, List<Row> rows) {
        public Result {
            rows = List.copyOf(rows);
        }
    }

    /** The methods, in report order. */
    public static final List<String> METHODS = List.of("daxfuzz", "all images", "k <= 5", "k <= 2");

    /**
     * Runs each reproducer (named by its bug) with each method, stopping at the first violation;
     * reproducers go to {@code threads} threads (nothing here is timed), rows come back in order.
     */
    public static Result run(List<Throughput.NamedProgram> reproducers, long maxImagesPerPoint, int threads,
                             PrintWriter progress) {
        java.util.concurrent.ExecutorService pool = java.util.concurrent.Executors.newFixedThreadPool(threads);
        try {
            List<java.util.concurrent.Future<Row>> futures = new ArrayList<>();
            for (Throughput.NamedProgram p : reproducers) {
                futures.add(pool.submit(() -> {
                    Row row = check(p, maxImagesPerPoint);
                    synchronized (progress) {
                        progress.printf("catalog %s: %s%n", p.name(), row.catches().stream()
                                .map(c -> c.method() + (c.caught() ? " caught" : " missed") + (c.cut() ? " (cut)" : ""))
                                .toList());
                        progress.flush();
                    }
                    return row;
                }));
            }
            List<Row> rows = new ArrayList<>();
            for (java.util.concurrent.Future<Row> f : futures) {
                rows.add(f.get());
            }
            return new Result(maxImagesPerPoint, rows);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted", e);
        } catch (java.util.concurrent.ExecutionException e) {
            throw new IllegalStateException("catalog coverage failed: " + e.getCause(), e.getCause());
        } finally {
            pool.shutdownNow();
        }
    }

    private static Row check(Throughput.NamedProgram p, long maxImagesPerPoint) {
        List<Catch> catches = new ArrayList<>();
        boolean needsCrash = false;
        for (String method : METHODS) {
            FsRunner.Exploration e = switch (method) {
                case "daxfuzz" -> FsRunner.Exploration.LAZY;
                case "all images" -> new FsRunner.Exploration.Eager(FsRunner.Exploration.Eager.ALL);
                case "k <= 5" -> new FsRunner.Exploration.Eager(5);
                default -> new FsRunner.Exploration.Eager(2);
            };
            long bound = method.equals("daxfuzz") ? Long.MAX_VALUE : maxImagesPerPoint;
            FsRunner.Result r = FsRunner.measure(p.program(), bound, e, true).result();
            boolean caught = !r.violations().isEmpty();
            if (method.equals("daxfuzz") && caught) {
                Violation v = r.violations().get(0).violation();
                needsCrash = v.crashPoint().isPresent();
            }
            catches.add(new Catch(method, caught, r.crashStates(), !r.truncatedAt().isEmpty()));
        }
        return new Row(p.name(), needsCrash, catches);
    }
}
