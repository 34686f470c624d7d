package dev.suite.local;

import com.amazonaws.services.lambda.runtime.events.APIGatewayProxyRequestEvent;
import com.amazonaws.services.lambda.runtime.events.APIGatewayProxyResponseEvent;
import dev.suite.emulators.Resolver;
import dev.suite.emulators.Template;
import dev.suite.shared.Log;
import dev.suite.shared.auth.JwtVerifier;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.UUID;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.slf4j.Logger;

/**
 * API Gateway's REST API as the template declares it: routes from each function's Api events, the Cognito
 * authorizer (ID token verified against the pool's JWKS; 401 otherwise), CORS preflight from the API's Cors,
 * gateway responses from GatewayResponses, and REST proxy events in and out.
 */
public final class RestGateway {
    private static final Logger LOG = Log.get(RestGateway.class);

    /** An HTTP request as the server received it. */
    public record HttpRequest(
            String method,
            String path,
            Map<String, List<String>> headers,
            Map<String, List<String>> query,
            byte[] body,
            String sourceIp) {}

    /** What goes back on the wire. */
    public record HttpResponse(int status, Map<String, String> headers, byte[] body) {}

    private record Route(Template.ApiRoute route, Pattern pattern, List<String> params, LocalFunction function) {}

    private final List<Route> routes = new ArrayList<>();
    private final JwtVerifier verifier;
    private final String stage;
    private final Map<String, String> cors;
    private final Map<String, Map<String, Object>> gatewayResponses;

    RestGateway(Template template, Resolver resolver, Map<String, LocalFunction> functions, JwtVerifier verifier) {
        this.verifier = verifier;
        Map<String, Object> api = template.resourcesOfType("AWS::Serverless::Api").values().stream()
                .findFirst()
                .map(r -> Template.<Map<String, Object>>cast(resolver.resolve(r.get("Properties"))))
                .orElse(Map.of());
        this.stage = String.valueOf(api.getOrDefault("StageName", "dev"));
        this.cors = new LinkedHashMap<>();
        Map<String, Object> c = Template.cast(api.getOrDefault("Cors", Map.of()));
        putCors("Access-Control-Allow-Origin", c.get("AllowOrigin"));
        putCors("Access-Control-Allow-Headers", c.get("AllowHeaders"));
        putCors("Access-Control-Allow-Methods", c.get("AllowMethods"));
        putCors("Access-Control-Max-Age", c.get("MaxAge"));
        this.gatewayResponses = Template.cast(api.getOrDefault("GatewayResponses", Map.of()));
        for (Template.ApiRoute r : template.apiRoutes()) {
            List<String> params = new ArrayList<>();
            Matcher m = Pattern.compile("\\{([^}]+)}").matcher(r.path());
            StringBuilder regex = new StringBuilder("^");
            int last = 0;
            while (m.find()) {
                regex.append(Pattern.quote(r.path().substring(last, m.start()))).append("([^/]+)");
                params.add(m.group(1));
                last = m.end();
            }
            regex.append(Pattern.quote(r.path().substring(last))).append("/?$");
            routes.add(new Route(r, Pattern.compile(regex.toString()), params, functions.get(r.function())));
        }
        // Literal routes win over parameterised ones, as in API Gateway.
        routes.sort(Comparator.comparingInt((Route r) -> r.params().size()));
    }

    private void putCors(String header, Object value) {
        if (value != null) {
            cors.put(header, unquote(value));
        }
    }

    /** API Gateway's header values are quoted literals: {@code 'value'}. */
    private static String unquote(Object value) {
        return String.valueOf(value).replaceAll("^'|'$", "");
    }

    public List<Template.ApiRoute> routes() {
        return routes.stream().map(Route::route).toList();
    }

    public HttpResponse handle(HttpRequest req) {
        return handle(req, null);
    }

    /**
     * A request the local console makes on a route as a caller it names (its claims stand for the authorizer's), so
     * an explicit console action runs the real route and handler: the role change as an Admin, say.
     */
    HttpResponse handleAs(HttpRequest req, Map<String, Object> callerClaims) {
        return handle(req, callerClaims);
    }

    private HttpResponse handle(HttpRequest req, Map<String, Object> callerClaims) {
        String requestId = UUID.randomUUID().toString();
        List<Route> forPath = routes.stream()
                .filter(r -> r.pattern().matcher(req.path()).matches())
                .toList();
        if (req.method().equals("OPTIONS") && !forPath.isEmpty() && !cors.isEmpty()) {
            return new HttpResponse(200, new LinkedHashMap<>(cors), new byte[0]);
        }
        Route route = forPath.stream()
                .filter(r -> r.route().method().equals(req.method()))
                .findFirst()
                .orElse(null);
        if (route == null) {
            return gatewayResponse(
                    "MISSING_AUTHENTICATION_TOKEN", 403, "{\"message\":\"Missing Authentication Token\"}", requestId);
        }
        Map<String, Object> claims = callerClaims;
        if (route.route().authorized() && claims == null) {
            String header = first(req.headers(), "Authorization");
            String token = header == null
                    ? null
                    : header.regionMatches(true, 0, "Bearer ", 0, 7) ? header.substring(7) : header;
            try {
                claims = verifier.verify(token, JwtVerifier.TokenUse.id);
            } catch (JwtVerifier.InvalidTokenException e) {
                return gatewayResponse("UNAUTHORIZED", 401, "{\"message\":\"Unauthorized\"}", requestId);
            }
        }
        APIGatewayProxyRequestEvent event = event(req, route, claims, requestId);
        try {
            APIGatewayProxyResponseEvent out = route.function().call(event, APIGatewayProxyResponseEvent.class);
            Map<String, String> headers = new LinkedHashMap<>();
            if (out.getHeaders() != null) {
                headers.putAll(out.getHeaders());
            }
            if (out.getMultiValueHeaders() != null) {
                out.getMultiValueHeaders().forEach((k, v) -> headers.put(k, String.join(",", v)));
            }
            headers.putIfAbsent("x-amzn-RequestId", requestId);
            byte[] body = out.getBody() == null
                    ? new byte[0]
                    : Boolean.TRUE.equals(out.getIsBase64Encoded())
                            ? Base64.getDecoder().decode(out.getBody())
                            : out.getBody().getBytes(StandardCharsets.UTF_8);
            return new HttpResponse(out.getStatusCode() == null ? 200 : out.getStatusCode(), headers, body);
        } catch (Exception | Error e) {
            LOG.error("function " + route.function().name() + " failed", e);
            return gatewayResponse("DEFAULT_5XX", 502, "{\"message\": \"Internal server error\"}", requestId);
        }
    }

    private APIGatewayProxyRequestEvent event(
            HttpRequest req, Route route, Map<String, Object> claims, String requestId) {
        Map<String, String> headers = new LinkedHashMap<>();
        Map<String, List<String>> multiHeaders = new LinkedHashMap<>();
        req.headers().forEach((k, v) -> {
            headers.put(k, String.join(",", v));
            multiHeaders.put(k, v);
        });
        Map<String, String> query = null;
        Map<String, List<String>> multiQuery = null;
        if (!req.query().isEmpty()) {
            query = new LinkedHashMap<>();
            multiQuery = new LinkedHashMap<>();
            for (Map.Entry<String, List<String>> e : req.query().entrySet()) {
                query.put(e.getKey(), e.getValue().get(e.getValue().size() - 1));
                multiQuery.put(e.getKey(), e.getValue());
            }
        }
        Map<String, String> pathParams = null;
        Matcher m = route.pattern().matcher(req.path());
        if (m.matches() && !route.params().isEmpty()) {
            pathParams = new LinkedHashMap<>();
            for (int i = 0; i < route.params().size(); i++) {
                pathParams.put(route.params().get(i), URLDecoder.decode(m.group(i + 1), StandardCharsets.UTF_8));
            }
        }
        String contentType = first(req.headers(), "Content-Type");
        boolean text = contentType == null || isText(contentType);
        String body = req.body().length == 0
                ? null
                : text
                        ? new String(req.body(), StandardCharsets.UTF_8)
                        : Base64.getEncoder().encodeToString(req.body());
        APIGatewayProxyRequestEvent.ProxyRequestContext ctx = new APIGatewayProxyRequestEvent.ProxyRequestContext()
                .withResourcePath(route.route().path())
                .withHttpMethod(req.method())
                .withPath("/" + stage + req.path())
                .withStage(stage)
                .withRequestId(requestId)
                .withAccountId("000000000000")
                .withApiId("local")
                .withProtocol("HTTP/1.1")
                .withResourceId("local")
                .withIdentity(new APIGatewayProxyRequestEvent.RequestIdentity()
                        .withSourceIp(req.sourceIp())
                        .withUserAgent(first(req.headers(), "User-Agent")));
        ctx.setRequestTimeEpoch(Instant.now().toEpochMilli());
        ctx.setDomainName("localhost");
        if (claims != null) {
            Map<String, Object> flat = new LinkedHashMap<>();
            claims.forEach((k, v) -> flat.put(
                    k,
                    v instanceof List<?> l
                            ? String.join(",", l.stream().map(String::valueOf).toList())
                            : String.valueOf(v)));
            Map<String, Object> authorizer = new LinkedHashMap<>();
            authorizer.put("claims", flat);
            ctx.setAuthorizer(authorizer);
        }
        return new APIGatewayProxyRequestEvent()
                .withResource(route.route().path())
                .withPath(req.path())
                .withHttpMethod(req.method())
                .withHeaders(headers)
                .withMultiValueHeaders(multiHeaders)
                .withQueryStringParameters(query)
                .withMultiValueQueryStringParameters(multiQuery)
                .withPathParameters(pathParams)
                .withRequestContext(ctx)
                .withBody(body)
                .withIsBase64Encoded(!text && body != null);
    }

    private static boolean isText(String contentType) {
        String c = contentType.toLowerCase(Locale.ROOT);
        return c.startsWith("text/") || c.contains("json") || c.contains("xml") || c.contains("x-www-form-urlencoded");
    }

    private HttpResponse gatewayResponse(String type, int defaultStatus, String defaultBody, String requestId) {
        Map<String, Object> configured = Template.cast(gatewayResponses.get(type));
        int status = defaultStatus;
        String body = defaultBody;
        Map<String, String> headers = new LinkedHashMap<>();
        headers.put("Content-Type", "application/json");
        if (configured != null) {
            Map<String, Object> parameters = Template.cast(configured.getOrDefault("ResponseParameters", Map.of()));
            Map<String, Object> extra = Template.cast(parameters.getOrDefault("Headers", Map.of()));
            extra.forEach((name, value) -> headers.put(name, unquote(value)));
            if (configured.get("StatusCode") != null) {
                status = Integer.parseInt(configured.get("StatusCode").toString());
            }
            Map<String, Object> templates = Template.cast(configured.getOrDefault("ResponseTemplates", Map.of()));
            if (templates.get("application/json") != null) {
                body = templates.get("application/json").toString();
            }
        }
        body = body.replace("$context.requestId", requestId);
        headers.put("x-amzn-RequestId", requestId);
        headers.put(
                "x-amzn-ErrorType",
                type.equals("UNAUTHORIZED") ? "UnauthorizedException" : "MissingAuthenticationTokenException");
        return new HttpResponse(status, headers, body.getBytes(StandardCharsets.UTF_8));
    }

    static String first(Map<String, List<String>> headers, String name) {
        for (Map.Entry<String, List<String>> e : headers.entrySet()) {
            if (e.getKey().equalsIgnoreCase(name) && !e.getValue().isEmpty()) {
                return e.getValue().get(0);
            }
        }
        return null;
    }
}
