package dev.suite.shared.http;

import com.amazonaws.services.lambda.runtime.events.APIGatewayProxyRequestEvent;
import dev.suite.shared.auth.Caller;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.Map;

/** A REST call as the route functions see it: no AWS event types past this class. */
public final class ApiRequest {
    private final APIGatewayProxyRequestEvent event;
    private final String requestId;
    private Caller caller;
    private boolean callerRead;

    public ApiRequest(APIGatewayProxyRequestEvent event, String requestId) {
        this.event = event;
        this.requestId = requestId;
    }

    public String method() {
        return event.getHttpMethod() == null ? "" : event.getHttpMethod().toUpperCase();
    }

    public String resource() {
        return event.getResource() == null ? "" : event.getResource();
    }

    public String requestId() {
        return requestId;
    }

    public String pathParam(String name) {
        Map<String, String> p = event.getPathParameters();
        return p == null ? null : p.get(name);
    }

    public String query(String name) {
        Map<String, String> q = event.getQueryStringParameters();
        return q == null ? null : q.get(name);
    }

    public Map<String, String> queryParams() {
        return event.getQueryStringParameters() == null ? Map.of() : event.getQueryStringParameters();
    }

    public String header(String name) {
        Map<String, String> h = event.getHeaders();
        if (h == null) {
            return null;
        }
        for (Map.Entry<String, String> e : h.entrySet()) {
            if (e.getKey() != null && e.getKey().equalsIgnoreCase(name)) {
                return e.getValue();
            }
        }
        return null;
    }

    /** The raw body, decoded when API Gateway base64-encoded it. */
    public byte[] bodyBytes() {
        String body = event.getBody();
        if (body == null) {
            return new byte[0];
        }
        if (Boolean.TRUE.equals(event.getIsBase64Encoded())) {
            try {
                return Base64.getDecoder().decode(body);
            } catch (IllegalArgumentException e) {
                throw ApiException.badRequest("MALFORMED_BODY", "the body is not valid base64");
            }
        }
        return body.getBytes(StandardCharsets.UTF_8);
    }

    public String sourceIp() {
        var ctx = event.getRequestContext();
        if (ctx != null && ctx.getIdentity() != null && ctx.getIdentity().getSourceIp() != null) {
            return ctx.getIdentity().getSourceIp();
        }
        return "127.0.0.1";
    }

    /** The verified caller; 401 when no authorizer claims came with the call. */
    public Caller caller() {
        Caller c = callerOrNull();
        if (c == null) {
            throw ApiException.unauthorized("a valid bearer token is required");
        }
        return c;
    }

    @SuppressWarnings("unchecked")
    public Caller callerOrNull() {
        if (!callerRead) {
            callerRead = true;
            var ctx = event.getRequestContext();
            if (ctx != null && ctx.getAuthorizer() != null) {
                Object claims = ctx.getAuthorizer().get("claims");
                if (claims instanceof Map<?, ?> m) {
                    caller = Caller.fromClaims((Map<String, ?>) m);
                }
            }
        }
        return caller;
    }

    public APIGatewayProxyRequestEvent event() {
        return event;
    }
}
