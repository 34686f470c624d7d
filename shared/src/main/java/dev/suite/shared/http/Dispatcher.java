package dev.suite.shared.http;

import com.amazonaws.services.lambda.runtime.Context;
import com.amazonaws.services.lambda.runtime.events.APIGatewayProxyRequestEvent;
import com.amazonaws.services.lambda.runtime.events.APIGatewayProxyResponseEvent;
import dev.suite.shared.Config;
import dev.suite.shared.Json;
import dev.suite.shared.Log;
import dev.suite.shared.Priming;
import dev.suite.shared.SyntheticContext;
import dev.suite.shared.auth.Caller;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.UUID;
import org.slf4j.Logger;
import software.amazon.awssdk.awscore.exception.AwsServiceException;
import software.amazon.awssdk.core.exception.SdkClientException;
import software.amazon.awssdk.services.dynamodb.model.TransactionCanceledException;
import software.amazon.awssdk.services.dynamodb.model.TransactionConflictException;

/**
 * Runs one REST route group: logging context, routing, and the one error contract
 * {@code {"error":{"code","message","requestId"}}}. Never lets a stack trace reach the client.
 */
public final class Dispatcher {
    private static final Logger LOG = Log.get(Dispatcher.class);
    private final Router router;
    private final Cors cors;

    public Dispatcher(Config config, Router router) {
        this.router = router;
        this.cors = new Cors(config);
    }

    public Router router() {
        return router;
    }

    /**
     * Registers SnapStart priming that sends these synthetic requests through the whole path (routing, claims,
     * JSON, validation, SDK calls, response writing). Callers choose requests that only read: no side effects.
     */
    public Dispatcher primeWith(String name, APIGatewayProxyRequestEvent... requests) {
        return primeWith(name, () -> {}, requests);
    }

    /** As {@link #primeWith(String, APIGatewayProxyRequestEvent...)}, then {@code more}: calls of the hot path no synthetic request reaches. */
    public Dispatcher primeWith(String name, Runnable more, APIGatewayProxyRequestEvent... requests) {
        Priming.register(
                name,
                () -> {
                    for (APIGatewayProxyRequestEvent r : requests) {
                        handle(r, new SyntheticContext(name));
                    }
                    more.run();
                },
                () -> {});
        return this;
    }

    /**
     * A synthetic request for priming, from a caller nobody is (a fresh random id) and with no email claim, so a
     * route that creates a missing profile ({@code Users.ensure}) only reads and answers 404.
     */
    public static APIGatewayProxyRequestEvent synthetic(
            String method, String resource, Map<String, String> pathParams, String body) {
        APIGatewayProxyRequestEvent.ProxyRequestContext ctx = new APIGatewayProxyRequestEvent.ProxyRequestContext()
                .withRequestId("priming")
                .withStage("priming")
                .withIdentity(new APIGatewayProxyRequestEvent.RequestIdentity().withSourceIp("127.0.0.1"));
        ctx.setAuthorizer(Map.of("claims", Map.of("sub", "priming-" + UUID.randomUUID(), "cognito:groups", "User")));
        return new APIGatewayProxyRequestEvent()
                .withHttpMethod(method)
                .withResource(resource)
                .withPath(resource)
                .withPathParameters(pathParams)
                .withBody(body)
                .withRequestContext(ctx)
                .withHeaders(Map.of("Content-Type", "application/json"));
    }

    public APIGatewayProxyResponseEvent handle(APIGatewayProxyRequestEvent event, Context context) {
        String requestId = requestId(event, context);
        return Log.around(context, requestId, () -> {
            ApiRequest request = new ApiRequest(event, requestId);
            Map<String, String> headers = new LinkedHashMap<>(cors.headers(request.header("Origin")));
            try {
                Caller caller = request.callerOrNull();
                if (caller != null) {
                    Log.user(caller.userId());
                }
                ApiResponse response = router.dispatch(request);
                headers.putAll(response.headers());
                return write(response.status(), response.body(), headers);
            } catch (ApiException e) {
                if (e.status() >= 500) {
                    LOG.warn("{} {} answered {} {}", request.method(), request.resource(), e.status(), e.code());
                }
                headers.putAll(e.headers());
                return error(e.status(), e.code(), e.getMessage(), e.field(), requestId, headers);
            } catch (AwsServiceException e) {
                if (e.isThrottlingException() || contended(e)) {
                    LOG.warn(
                            "throttled by {} on {} {}",
                            e.awsErrorDetails() == null
                                    ? "AWS"
                                    : e.awsErrorDetails().serviceName(),
                            request.method(),
                            request.resource());
                    headers.put("Retry-After", "1");
                    return error(503, "SERVICE_BUSY", "the service is busy, retry shortly", null, requestId, headers);
                }
                LOG.error(
                        "AWS call failed on {} {}: {} {}",
                        request.method(),
                        request.resource(),
                        e.statusCode(),
                        e.awsErrorDetails() == null
                                ? e.getClass().getSimpleName()
                                : e.awsErrorDetails().errorCode());
                return error(500, "INTERNAL", "an unexpected error occurred", null, requestId, headers);
            } catch (SdkClientException e) {
                LOG.error(
                        "AWS client failure on {} {}: {}",
                        request.method(),
                        request.resource(),
                        e.getClass().getSimpleName());
                headers.put("Retry-After", "1");
                return error(
                        503,
                        "SERVICE_UNAVAILABLE",
                        "a backing service is unavailable, retry shortly",
                        null,
                        requestId,
                        headers);
            } catch (RuntimeException e) {
                LOG.error("unexpected failure on " + request.method() + " " + request.resource(), e);
                return error(500, "INTERNAL", "an unexpected error occurred", null, requestId, headers);
            }
        });
    }

    /** A transaction cancelled by a conflicting write or throttling: nothing was written, the client may retry. */
    static boolean contended(AwsServiceException e) {
        if (e instanceof TransactionCanceledException t && t.hasCancellationReasons()) {
            return t.cancellationReasons().stream()
                    .anyMatch(r -> "TransactionConflict".equals(r.code())
                            || "ThrottlingError".equals(r.code())
                            || "ProvisionedThroughputExceeded".equals(r.code()));
        }
        return e instanceof TransactionConflictException;
    }

    static String requestId(APIGatewayProxyRequestEvent event, Context context) {
        if (event != null
                && event.getRequestContext() != null
                && event.getRequestContext().getRequestId() != null) {
            return event.getRequestContext().getRequestId();
        }
        if (context != null && context.getAwsRequestId() != null) {
            return context.getAwsRequestId();
        }
        return UUID.randomUUID().toString();
    }

    public static APIGatewayProxyResponseEvent write(int status, Object body, Map<String, String> headers) {
        Map<String, String> h = new LinkedHashMap<>(headers);
        APIGatewayProxyResponseEvent out = new APIGatewayProxyResponseEvent().withStatusCode(status);
        if (body != null) {
            h.put("Content-Type", "application/json");
            out.setBody(body instanceof String s ? s : Json.write(body));
        }
        out.setHeaders(h);
        return out;
    }

    public static APIGatewayProxyResponseEvent error(
            int status, String code, String message, String field, String requestId, Map<String, String> headers) {
        Map<String, Object> error = new LinkedHashMap<>();
        error.put("code", code);
        error.put("message", message);
        if (field != null) {
            error.put("field", field);
        }
        error.put("requestId", requestId);
        return write(status, Map.of("error", error), headers);
    }
}
