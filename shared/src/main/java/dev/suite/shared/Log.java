package dev.suite.shared;

import com.amazonaws.services.lambda.runtime.Context;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Supplier;
import org.apache.logging.log4j.Level;
import org.apache.logging.log4j.LogManager;
import org.apache.logging.log4j.core.LoggerContext;
import org.apache.logging.log4j.core.config.Configuration;
import org.apache.logging.log4j.core.config.Configurator;
import org.apache.logging.log4j.core.config.LoggerConfig;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.slf4j.MDC;
import software.amazon.lambda.powertools.logging.PowertoolsLogging;

/**
 * Logging: Powertools for Java logging through its functional API (no AspectJ), on log4j2 with Powertools' JSON
 * layout (shared/src/main/resources/log4j2.xml). Each invocation's scope ({@link #around}) puts on every line the
 * Lambda context, {@code cold_start}, {@code service}, {@code xray_trace_id}, {@code sampling_rate}, the correlation id
 * the caller gives (the API Gateway request id, else Lambda's) and, once known, the user id. The layout redacts secrets in
 * messages; callers still never pass passwords, tokens, codes or secrets to a log line.
 *
 * <p>{@code cold_start} is ours, not Powertools': Powertools reports a SnapStart restore as warm and consumes the cold
 * start on its first scope, which is priming's. Here it is true on the first invocation of a container and on the
 * first after a restore ({@link Priming}), and priming's synthetic invocations neither consume nor claim it.
 */
public final class Log {
    public static final String CORRELATION_ID = "correlation_id";
    public static final String USER_ID = "user_id";
    private static final String COLD_START = "cold_start";
    /** POWERTOOLS_LOGGER_SAMPLE_RATE (0..1): the share of invocations logged at DEBUG (Powertools reads it too). */
    private static final double SAMPLE_RATE =
            sampleRate(Config.fromSystem().get("POWERTOOLS_LOGGER_SAMPLE_RATE").orElse(null));

    private static final AtomicBoolean COLD = new AtomicBoolean(true);
    private static final ThreadLocal<Boolean> PRIMING = ThreadLocal.withInitial(() -> false);

    static {
        // Powertools sets every logger to POWERTOOLS_LOG_LEVEL / AWS_LAMBDA_LOG_LEVEL when its class initializes: the
        // loggers log4j2.xml (or the emulators) name keep their own level, the AWS SDK its WARN.
        Map<String, Level> named = levels();
        named.remove(LogManager.ROOT_LOGGER_NAME);
        PowertoolsLogging.clearBuffer();
        Configurator.setLevel(named);
    }

    private Log() {}

    public static Logger get(Class<?> type) {
        return LoggerFactory.getLogger(type);
    }

    /** Runs one invocation with its context fields (and the correlation id, when given) on every log line it writes. */
    public static <T> T around(Context context, String correlationId, Supplier<T> body) {
        return around(context, correlationId, SAMPLE_RATE, body);
    }

    /**
     * As {@link #around(Context, String, Supplier)} with a sampling rate: a sampled invocation logs at DEBUG (the root
     * logger; the loggers configured by name keep their level) and the levels are put back after it, which Powertools'
     * functional API does not do.
     */
    static <T> T around(Context context, String correlationId, double sampleRate, Supplier<T> body) {
        Map<String, String> outer = MDC.getCopyOfContextMap();
        Map<String, Level> levels = sampleRate > 0 ? levels() : null;
        PowertoolsLogging.initializeLogging(context, sampleRate);
        boolean sampled = levels != null && !levels().equals(levels);
        if (sampled) {
            Map<String, Level> named = new HashMap<>(levels);
            named.remove(LogManager.ROOT_LOGGER_NAME);
            Configurator.setLevel(named);
        }
        MDC.put(COLD_START, Boolean.toString(!PRIMING.get() && COLD.getAndSet(false)));
        if (correlationId != null) {
            MDC.put(CORRELATION_ID, correlationId);
        }
        try {
            return body.get();
        } finally {
            PowertoolsLogging.clearState(false);
            if (outer == null) {
                MDC.clear();
            } else {
                MDC.setContextMap(outer);
            }
            if (sampled) {
                Configurator.setLevel(levels);
            }
        }
    }

    public static void user(String userId) {
        if (userId != null) {
            MDC.put(USER_ID, userId);
        }
    }

    /**
     * Runs SnapStart priming on this thread: its invocations log cold_start false and leave the cold start unconsumed.
     */
    static void priming(Runnable hooks) {
        PRIMING.set(true);
        try {
            hooks.run();
        } finally {
            PRIMING.remove();
        }
    }

    /** After a SnapStart restore: the next invocation is this container's cold start. */
    static void restored() {
        COLD.set(true);
    }

    private static Map<String, Level> levels() {
        Configuration config = LoggerContext.getContext(false).getConfiguration();
        Map<String, Level> levels = new HashMap<>();
        for (LoggerConfig c : config.getLoggers().values()) {
            levels.put(c.getName(), c.getLevel());
        }
        levels.put(LogManager.ROOT_LOGGER_NAME, config.getRootLogger().getLevel());
        return levels;
    }

    static double sampleRate(String value) {
        try {
            double rate = value == null ? 0 : Double.parseDouble(value.trim());
            return rate >= 0 && rate <= 1 ? rate : 0;
        } catch (NumberFormatException e) {
            return 0;
        }
    }
}
