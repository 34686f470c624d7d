package dev.suite.shared;

import com.amazonaws.services.lambda.runtime.Context;
import java.util.List;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.slf4j.MDC;

/**
 * Logging: JSON lines (dev.suite.shared.log.JsonLogProvider behind SLF4J) with the Lambda context, the API Gateway
 * request id as correlation id and, once known, the user id, the fields Powertools logging wrote. Callers never pass
 * passwords, tokens, codes or secrets to a log line.
 */
public final class Log {
    public static final String CORRELATION_ID = "correlation_id";
    public static final String USER_ID = "user_id";
    private static final String SERVICE = Config.fromSystem().get("POWERTOOLS_SERVICE_NAME").orElse(null);
    private static final List<String> KEYS = List.of("function_name", "function_version", "function_arn", "function_memory_size",
            "function_request_id", "cold_start", "service", "xray_trace_id", CORRELATION_ID, USER_ID);
    private static volatile boolean coldStart = true;

    private Log() {
    }

    public static Logger get(Class<?> type) {
        return LoggerFactory.getLogger(type);
    }

    /** Runs one invocation with its context fields (and the correlation id, when given) on every log line it writes. */
    public static <T> T around(Context context, String correlationId, Supplier<T> body) {
        if (context != null) {
            put("function_name", context.getFunctionName());
            put("function_version", context.getFunctionVersion());
            put("function_arn", context.getInvokedFunctionArn());
            put("function_memory_size", Integer.toString(context.getMemoryLimitInMB()));
            put("function_request_id", context.getAwsRequestId());
        }
        put("cold_start", Boolean.toString(coldStart));
        coldStart = false;
        put("service", SERVICE);
        put("xray_trace_id", traceId());
        put(CORRELATION_ID, correlationId);
        try {
            return body.get();
        } finally {
            KEYS.forEach(MDC::remove);
        }
    }

    public static void user(String userId) {
        put(USER_ID, userId);
    }

    private static void put(String key, String value) {
        if (value != null) {
            MDC.put(key, value);
        }
    }

    /** The X-Ray trace id of this invocation, from _X_AMZN_TRACE_ID ({@code Root=1-...;Parent=...;Sampled=1}). */
    private static String traceId() {
        String header = System.getProperty("com.amazonaws.xray.traceHeader");
        if (header == null) {
            header = Config.fromSystem().get("_X_AMZN_TRACE_ID").orElse(null);
        }
        if (header == null) {
            return null;
        }
        for (String part : header.split(";")) {
            if (part.startsWith("Root=")) {
                return part.substring(5);
            }
        }
        return null;
    }
}
