package dev.daxfuzz.bench;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The pauses of a HotSpot unified GC log ({@code -Xlog:gc}, JDK 9 and later): when each pause
 * happened (JVM uptime) and the heap in use before and after it, as printed by G1, Parallel and
 * Serial ({@code GC(3) Pause Young (Normal) (G1 Evacuation Pause) 120M->30M(256M) 4.567ms}).
 *
 * <p>Limits: only lines with an uptime decorator ({@code [12.345s]} or {@code [12345ms]}) and a
 * {@code before->after(capacity)} transition are read; everything else (the {@code Using G1}
 * banner, concurrent phases, ZGC's and Shenandoah's formats, a line cut short by a dying JVM) is
 * skipped, never an error. The sizes are what the JVM prints, rounded to its unit (G1 prints whole
 * MiB), so a sample is accurate to about 1 MiB. The heap is seen only at pauses: its true peak
 * between two GCs may be a little above the next pause's "before" size.
 */
public final class GcLog {
    /** One GC pause: its id, its kind as printed (without the cause), and the heap around it. */
    public record Pause(long uptimeMillis, int gcId, String kind, long beforeBytes, long afterBytes, long capacityBytes) {
        /** A full (stop-the-world, whole-heap) collection: its "after" size is the live set. */
        public boolean full() {
            return kind.startsWith("Full");
        }
    }

    // Uptime decorators: uptimemillis prints integers (no locale can reach them), uptime prints
    // seconds with three decimals; a comma is accepted in case a C locale other than "C" is in force.
    private static final Pattern UPTIME_MILLIS = Pattern.compile("\\[(\\d+)ms\\]");
    private static final Pattern UPTIME_SECONDS = Pattern.compile("\\[(\\d+)(?:[.,](\\d+))?s\\]");
    private static final String SIZE = "(\\d+(?:[.,]\\d+)?)([BKMG])";
    private static final Pattern PAUSE = Pattern.compile(
            "GC\\((\\d+)\\)\\s+Pause\\s+(.*?)\\s+" + SIZE + "->" + SIZE + "\\(" + SIZE + "\\)");

    private static final List<String> G1_YOUNG_TYPES = List.of("Normal", "Concurrent Start", "Prepare Mixed", "Mixed");

    private GcLog() {
    }

    /**
     * The JVM option that makes the log this class reads: GC pauses at info level to {@code file},
     * decorated with the uptime in milliseconds, and with rotation off ({@code filecount=0}) so a
     * long campaign's early pauses are not rotated away into {@code file.0}.
     */
    public static String jvmOption(Path file) {
        String f = file.toAbsolutePath().toString();
        if (f.contains(":") || f.contains(" ")) {
            // -Xlog splits on ':' and the option travels as one argument: keep the path plain.
            throw new IllegalArgumentException("GC log path must not contain ':' or spaces: " + f);
        }
        return "-Xlog:gc:file=" + f + ":uptimemillis:filecount=0";
    }

    /** Every pause that can be read, in the log's order; unreadable lines are skipped. */
    public static List<Pause> parse(List<String> lines) {
        List<Pause> out = new ArrayList<>();
        for (String line : lines) {
            parseLine(line).ifPresent(out::add);
        }
        return out;
    }

    /** The pause on this line, or empty when the line is not a complete pause with sizes. */
    public static Optional<Pause> parseLine(String line) {
        Matcher p = PAUSE.matcher(line);
        if (!p.find()) {
            return Optional.empty();
        }
        try {
            // The uptime must be a decorator before the GC id, not a number inside the message.
            OptionalLong up = uptime(line.substring(0, p.start()));
            if (up.isEmpty()) {
                return Optional.empty();
            }
            return Optional.of(new Pause(up.getAsLong(), Integer.parseInt(p.group(1)), kind(p.group(2)),
                    bytes(p.group(3), p.group(4)), bytes(p.group(5), p.group(6)), bytes(p.group(7), p.group(8))));
        } catch (NumberFormatException | ArithmeticException e) {
            // Digits beyond long/int range: not a line the JVM wrote.
            return Optional.empty();
        }
    }

    private static OptionalLong uptime(String prefix) {
        Matcher ms = UPTIME_MILLIS.matcher(prefix);
        if (ms.find()) {
            return OptionalLong.of(Long.parseLong(ms.group(1)));
        }
        Matcher s = UPTIME_SECONDS.matcher(prefix);
        if (s.find()) {
            long whole = Long.parseLong(s.group(1));
            String frac = s.group(2) == null ? "" : s.group(2);
            // Read the fraction as text so 12.3s and 12.300s are the same 12300 ms.
            String three = (frac + "000").substring(0, 3);
            return OptionalLong.of(Math.addExact(Math.multiplyExact(whole, 1000L), Long.parseLong(three)));
        }
        return OptionalLong.empty();
    }

    /**
     * The pause's kind without its cause: {@code Young (Normal)}, {@code Young (Mixed)},
     * {@code Young (Concurrent Start)}, {@code Full}, {@code Remark}, {@code Cleanup}; Parallel's
     * and Serial's {@code Young}/{@code Full} likewise. The cause (evacuation, humongous
     * allocation, System.gc()) says why, not what, so it is left out of the counts.
     */
    static String kind(String text) {
        String t = text.trim();
        if (t.startsWith("Young (")) {
            int close = t.indexOf(')');
            String type = t.substring("Young (".length(), close);
            // G1 names the young pause's type first; Parallel and Serial put only the cause there
            // ("Young (Allocation Failure)").
            return G1_YOUNG_TYPES.contains(type) ? "Young (" + type + ")" : "Young";
        }
        int space = t.indexOf(' ');
        return space < 0 ? t : t.substring(0, space);
    }

    private static long bytes(String number, String unit) {
        double n = Double.parseDouble(number.replace(',', '.'));
        long scale = switch (unit.toUpperCase(Locale.ROOT)) {
            case "K" -> 1L << 10;
            case "M" -> 1L << 20;
            case "G" -> 1L << 30;
            default -> 1L;
        };
        double b = n * scale;
        if (!(b < Long.MAX_VALUE)) {
            throw new NumberFormatException("size out of range: " + number + unit);
        }
        return Math.round(b);
    }
}
