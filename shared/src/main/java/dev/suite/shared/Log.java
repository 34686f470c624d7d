package dev.suite.shared;

import com.amazonaws.services.lambda.runtime.Context;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.slf4j.MDC;
import software.amazon.lambda.powertools.logging.PowertoolsLogging;

/**
 * Logging through Powertools v2's functional API: JSON lines with the Lambda context, the API Gateway
 * request id as correlation id and, once known, the user id. Callers never pass passwords, tokens, codes
 * or secrets to a log line.
 */
public final class Log {
    public static final String CORRELATION_ID = "correlation_id";
    public static final String USER_ID = "user_id";

    private Log() {
    }

    public static Logger get(Class<?> type) {
        return LoggerFactory.getLogger(type);
    }

    public static <T> T around(Context context, String correlationId, Supplier<T> body) {
        return PowertoolsLogging.withLogging(context, () -> {
            if (correlationId != null) {
                MDC.put(CORRELATION_ID, correlationId);
            }
            try {
                return body.get();
            } finally {
                MDC.remove(CORRELATION_ID);
                MDC.remove(USER_ID);
            }
        });
    }

    public static void user(String userId) {
        if (userId != null) {
            MDC.put(USER_ID, userId);
        }
    }
}
