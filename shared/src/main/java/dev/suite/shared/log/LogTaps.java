package dev.suite.shared.log;

import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * Listeners to the functions' log lines in the same JVM, for the local runtime's console (it shows each invocation's
 * lines by correlation id). In Lambda nobody listens and a line costs one empty-list check.
 */
public final class LogTaps {
    /** A log line as written: time, level name, logger, formatted message, MDC (correlation_id, user_id, ...). */
    public record Line(Instant at, String level, String logger, String message, Map<String, String> context) {
    }

    /** Receives every line; must not log itself. */
    public interface Tap {
        void line(Line line);
    }

    private static final List<Tap> TAPS = new CopyOnWriteArrayList<>();

    private LogTaps() {
    }

    public static void add(Tap tap) {
        TAPS.add(tap);
    }

    public static void remove(Tap tap) {
        TAPS.remove(tap);
    }

    static boolean any() {
        return !TAPS.isEmpty();
    }

    static void publish(Line line) {
        for (Tap t : TAPS) {
            t.line(line);
        }
    }
}
