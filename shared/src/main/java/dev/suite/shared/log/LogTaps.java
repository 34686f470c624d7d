package dev.suite.shared.log;

import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import org.apache.logging.log4j.core.Appender;
import org.apache.logging.log4j.core.LogEvent;
import org.apache.logging.log4j.core.LoggerContext;
import org.apache.logging.log4j.core.appender.AbstractAppender;
import org.apache.logging.log4j.core.config.Configuration;
import org.apache.logging.log4j.core.config.Property;

/**
 * Listeners to the functions' log lines in the same JVM, for the local runtime's console (it shows each invocation's
 * lines by correlation id): a log4j2 appender on the root logger, attached while a tap listens. In Lambda nobody
 * listens and no such appender exists.
 */
public final class LogTaps {
    /** A log line as written: time, level name, logger, formatted message, MDC (correlation_id, user_id, ...). */
    public record Line(Instant at, String level, String logger, String message, Map<String, String> context) {}

    /** Receives every line; must not log itself. */
    public interface Tap {
        void line(Line line);
    }

    private static final String APPENDER = "LogTaps";
    private static final List<Tap> TAPS = new CopyOnWriteArrayList<>();

    private LogTaps() {}

    public static synchronized void add(Tap tap) {
        TAPS.add(tap);
        LoggerContext context = LoggerContext.getContext(false);
        Configuration config = context.getConfiguration();
        if (config.getAppender(APPENDER) == null) {
            TapAppender appender = new TapAppender();
            appender.start();
            config.addAppender(appender);
            config.getRootLogger().addAppender(appender, null, null);
            context.updateLoggers();
        }
    }

    public static synchronized void remove(Tap tap) {
        TAPS.remove(tap);
        if (TAPS.isEmpty()) {
            LoggerContext context = LoggerContext.getContext(false);
            Configuration config = context.getConfiguration();
            config.getRootLogger().removeAppender(APPENDER);
            Appender appender = config.getAppenders().remove(APPENDER);
            if (appender != null) {
                appender.stop();
            }
            context.updateLoggers();
        }
    }

    /** Hands every event the root logger passes on to the taps. */
    private static final class TapAppender extends AbstractAppender {
        TapAppender() {
            super(APPENDER, null, null, true, Property.EMPTY_ARRAY);
        }

        @Override
        public void append(LogEvent event) {
            Line line = new Line(
                    Instant.ofEpochSecond(
                            event.getInstant().getEpochSecond(),
                            event.getInstant().getNanoOfSecond()),
                    event.getLevel().name(),
                    event.getLoggerName(),
                    event.getMessage().getFormattedMessage(),
                    Map.copyOf(event.getContextData().toMap()));
            for (Tap t : TAPS) {
                t.line(line);
            }
        }
    }
}
