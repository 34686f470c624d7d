package dev.suite.shared.log;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import org.slf4j.MDC;
import org.slf4j.Marker;
import org.slf4j.event.Level;
import org.slf4j.helpers.LegacyAbstractLogger;
import org.slf4j.helpers.MessageFormatter;

/**
 * One JSON line per event on standard out: timestamp, level, message, then every MDC entry (the Lambda context fields,
 * correlation_id, user_id: see dev.suite.shared.Log), and for a throwable {@code error: {name, message, stack}}.
 */
final class JsonLogger extends LegacyAbstractLogger {
    private static final long serialVersionUID = 1L;
    /** Context fields written as JSON booleans or numbers, as Powertools wrote them. */
    private static final Set<String> RAW = Set.of("cold_start", "function_memory_size");

    JsonLogger(String name) {
        this.name = name;
    }

    @Override
    public boolean isTraceEnabled() {
        return Levels.enabled(name, Level.TRACE);
    }

    @Override
    public boolean isDebugEnabled() {
        return Levels.enabled(name, Level.DEBUG);
    }

    @Override
    public boolean isInfoEnabled() {
        return Levels.enabled(name, Level.INFO);
    }

    @Override
    public boolean isWarnEnabled() {
        return Levels.enabled(name, Level.WARN);
    }

    @Override
    public boolean isErrorEnabled() {
        return Levels.enabled(name, Level.ERROR);
    }

    @Override
    protected String getFullyQualifiedCallerName() {
        return null;
    }

    @Override
    protected void handleNormalizedLoggingCall(Level level, Marker marker, String pattern, Object[] arguments, Throwable throwable) {
        String message = arguments == null || arguments.length == 0 ? pattern : MessageFormatter.basicArrayFormat(pattern, arguments);
        Instant at = Instant.now();
        Map<String, String> context = MDC.getCopyOfContextMap();
        System.out.println(line(at, level, message, context, throwable));
        if (LogTaps.any()) {
            LogTaps.publish(new LogTaps.Line(at, level.name(), name, message, context == null ? Map.of() : context));
        }
    }

    static String line(Instant at, Level level, String message, Map<String, String> context, Throwable throwable) {
        StringBuilder b = new StringBuilder(256);
        b.append("{\"timestamp\":\"").append(at.truncatedTo(ChronoUnit.MILLIS)).append('"');
        b.append(",\"level\":\"").append(level.name()).append('"');
        field(b, "message", message);
        if (context != null) {
            for (Map.Entry<String, String> e : new TreeMap<>(context).entrySet()) {
                if (e.getValue() == null) {
                    continue;
                }
                if (RAW.contains(e.getKey()) && e.getValue().matches("true|false|[0-9]{1,9}")) {
                    b.append(',');
                    string(b, e.getKey());
                    b.append(':').append(e.getValue());
                } else {
                    field(b, e.getKey(), e.getValue());
                }
            }
        }
        if (throwable != null) {
            StringWriter stack = new StringWriter();
            throwable.printStackTrace(new PrintWriter(stack));
            b.append(",\"error\":{\"name\":");
            string(b, throwable.getClass().getName());
            b.append(",\"message\":");
            string(b, String.valueOf(throwable.getMessage()));
            b.append(",\"stack\":");
            string(b, stack.toString());
            b.append('}');
        }
        return b.append('}').toString();
    }

    private static void field(StringBuilder b, String key, String value) {
        b.append(',');
        string(b, key);
        b.append(':');
        string(b, value);
    }

    private static void string(StringBuilder b, String s) {
        // escaped as databind escapes it (jackson-core's encoder)
        b.append('"');
        com.fasterxml.jackson.core.io.JsonStringEncoder.getInstance().quoteAsString(s, b);
        b.append('"');
    }
}
