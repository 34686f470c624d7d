package dev.suite.local;

import dev.suite.shared.Json;
import java.io.IOException;
import java.io.OutputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpRequest.BodyPublishers;
import java.net.http.HttpResponse.BodyHandlers;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import org.eclipse.jetty.http.HttpField;
import org.eclipse.jetty.http.UriCompliance;
import org.eclipse.jetty.io.Content;
import org.eclipse.jetty.server.Handler;
import org.eclipse.jetty.server.HttpConfiguration;
import org.eclipse.jetty.server.HttpConnectionFactory;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;
import org.eclipse.jetty.server.handler.ErrorHandler;
import org.eclipse.jetty.util.Callback;
import org.eclipse.jetty.util.Fields;
import org.eclipse.jetty.util.thread.QueuedThreadPool;

/** Jetty on the REST port: the REST API, the Lambda Invoke API and the runtime's own /_local routes. */
final class HttpServer {
    private static final String INVOKE = "/2015-03-31/functions/";
    private final LocalRuntime runtime;
    private Server server;
    private ServerConnector connector;

    HttpServer(LocalRuntime runtime) {
        this.runtime = runtime;
    }

    void start(int port) throws Exception {
        QueuedThreadPool threads = new QueuedThreadPool(200, 8);
        threads.setName("rest");
        server = new Server(threads);
        // API Gateway passes encoded separators (%2F) and odd bytes on to the route; so does the local runtime.
        HttpConfiguration http = new HttpConfiguration();
        http.setUriCompliance(UriCompliance.UNSAFE);
        connector = new ServerConnector(server, new HttpConnectionFactory(http));
        connector.setHost("127.0.0.1");
        connector.setPort(port);
        server.addConnector(connector);
        server.setHandler(new Handler.Abstract() {
            @Override
            public boolean handle(Request request, Response response, Callback callback) throws Exception {
                serve(request, response, callback);
                return true;
            }
        });
        server.setErrorHandler(new JsonErrors());
        server.start();
    }

    /** Requests Jetty itself refuses (bad URIs, bad headers) still answer in the error contract. */
    static final class JsonErrors extends ErrorHandler {
        @Override
        public boolean handle(Request request, Response response, Callback callback) {
            int status = response.getStatus() <= 0 ? 400 : response.getStatus();
            String body = Json.write(Map.of(
                    "error",
                    Map.of(
                            "code",
                            status >= 500 ? "INTERNAL" : "BAD_REQUEST",
                            "message",
                            status >= 500 ? "an unexpected error occurred" : "the request is malformed",
                            "requestId",
                            UUID.randomUUID().toString())));
            response.getHeaders().put("Content-Type", "application/json");
            // Jetty drops the connection after a request it could not parse: say so, so clients do not reuse it.
            response.getHeaders().put("Connection", "close");
            response.write(true, ByteBuffer.wrap(body.getBytes(StandardCharsets.UTF_8)), callback);
            return true;
        }
    }

    int port() {
        return connector.getLocalPort();
    }

    private void serve(Request request, Response response, Callback callback) throws IOException {
        String path = request.getHttpURI().getPath();
        String refused = refusal(request, path);
        if (refused != null) {
            write(response, callback, 403, Map.of("Content-Type", "application/json"), LocalGuard.forbidden(refused));
            return;
        }
        byte[] body = Content.Source.asInputStream(request).readAllBytes();
        if (runtime.rest() == null) {
            write(
                    response,
                    callback,
                    503,
                    Map.of("Content-Type", "application/json"),
                    "{\"message\":\"starting\"}".getBytes(StandardCharsets.UTF_8));
            return;
        }
        if (path.startsWith(INVOKE)
                && path.endsWith("/invocations")
                && request.getMethod().equals("POST")) {
            invoke(path.substring(INVOKE.length(), path.length() - "/invocations".length()), body, response, callback);
            return;
        }
        if (path.equals(ClipDropStandIn.PATH) && request.getMethod().equals("POST")) {
            RestGateway.HttpResponse out = ClipDropStandIn.handle(
                    request.getHeaders().get("x-api-key"), request.getHeaders().get("Content-Type"), body);
            write(response, callback, out.status(), out.headers(), out.body());
            return;
        }
        if (path.startsWith("/_local/vnpay/") && runtime.vnpay() != null) {
            try {
                RestGateway.HttpResponse out;
                if (path.equals(VnpayStandIn.PAY)) {
                    out = runtime.vnpay().payPage(request.getHttpURI().getQuery());
                } else if (path.equals(VnpayStandIn.COMPLETE)
                        && request.getMethod().equals("POST")) {
                    out = runtime.vnpay().complete(new String(body, StandardCharsets.UTF_8));
                } else if (path.equals(VnpayStandIn.QUERYDR)
                        && request.getMethod().equals("POST")) {
                    out = runtime.vnpay().queryDr(body);
                } else {
                    out = new RestGateway.HttpResponse(404, Map.of(), new byte[0]);
                }
                write(response, callback, out.status(), out.headers(), out.body());
            } catch (Exception e) {
                write(
                        response,
                        callback,
                        500,
                        Map.of("Content-Type", "text/plain"),
                        String.valueOf(e).getBytes(StandardCharsets.UTF_8));
            }
            return;
        }
        if (ApiDocs.serves(path) && request.getMethod().equals("GET")) {
            try {
                RestGateway.HttpResponse out = ApiDocs.handle(path);
                write(response, callback, out.status(), out.headers(), out.body());
            } catch (IOException e) {
                write(
                        response,
                        callback,
                        503,
                        Map.of("Content-Type", "text/plain"),
                        String.valueOf(e.getMessage()).getBytes(StandardCharsets.UTF_8));
            }
            return;
        }
        if (path.startsWith(StripeStandIn.API + "/") && runtime.stripe() != null) {
            try {
                RestGateway.HttpResponse out =
                        runtime.stripe().handle(request.getMethod(), path, request.getHeaders()::get, body);
                write(response, callback, out.status(), out.headers(), out.body());
            } catch (Exception e) {
                write(
                        response,
                        callback,
                        500,
                        Map.of("Content-Type", "text/plain"),
                        String.valueOf(e).getBytes(StandardCharsets.UTF_8));
            }
            return;
        }
        if (path.startsWith("/_local/schedules/") && request.getMethod().equals("POST")) {
            try {
                String result = runtime.fire(path.substring("/_local/schedules/".length()));
                write(
                        response,
                        callback,
                        200,
                        Map.of("Content-Type", "application/json"),
                        result.getBytes(StandardCharsets.UTF_8));
            } catch (IllegalArgumentException e) {
                write(
                        response,
                        callback,
                        404,
                        Map.of("Content-Type", "application/json"),
                        Json.write(Map.of("message", e.getMessage())).getBytes(StandardCharsets.UTF_8));
            } catch (Exception e) {
                write(
                        response,
                        callback,
                        500,
                        Map.of("Content-Type", "application/json"),
                        Json.write(Map.of("message", String.valueOf(e))).getBytes(StandardCharsets.UTF_8));
            }
            return;
        }
        if (Console.serves(path) && runtime.console() != null) {
            if (path.equals(Console.EVENTS)) {
                events(response, callback);
                return;
            }
            Map<String, String> query = new LinkedHashMap<>();
            Request.extractQueryParameters(request).forEach(f -> query.put(f.getName(), f.getValue()));
            RestGateway.HttpResponse out = runtime.console()
                    .handle(
                            request.getMethod(),
                            path,
                            query,
                            request.getHeaders().get("Origin"),
                            request.getHeaders().get("Content-Type"),
                            body);
            write(response, callback, out.status(), out.headers(), out.body());
            return;
        }
        Map<String, List<String>> headers = new LinkedHashMap<>();
        for (HttpField f : request.getHeaders()) {
            headers.computeIfAbsent(f.getName(), k -> new ArrayList<>()).add(f.getValue());
        }
        Map<String, List<String>> query = new LinkedHashMap<>();
        Fields fields = Request.extractQueryParameters(request);
        for (Fields.Field f : fields) {
            query.put(f.getName(), f.getValues());
        }
        String ip = Request.getRemoteAddr(request);
        RestGateway.HttpResponse out = runtime.rest()
                .handle(new RestGateway.HttpRequest(
                        request.getMethod(), path, headers, query, body, ip == null ? "127.0.0.1" : ip));
        write(response, callback, out.status(), out.headers(), out.body());
    }

    /** Why {@link LocalGuard} refuses the request, or null: every route checks Host; Invoke, schedules and the console also the caller. */
    private String refusal(Request request, String path) {
        String host = LocalGuard.host(request.getHeaders().get("Host"), port());
        if (host != null) {
            return host;
        }
        boolean console = Console.serves(path);
        if (console || path.startsWith(INVOKE) || path.startsWith("/_local/schedules/")) {
            return LocalGuard.caller(
                    request.getHeaders().get("Origin"), request.getHeaders().get("Sec-Fetch-Site"), port(), console);
        }
        return null;
    }

    /** The console's server-sent events: this request's thread writes them until the browser leaves. */
    private void events(Response response, Callback callback) {
        response.setStatus(200);
        response.getHeaders().put("Content-Type", "text/event-stream; charset=utf-8");
        response.getHeaders().put("Cache-Control", "no-store");
        try (OutputStream out = Content.Sink.asOutputStream(response)) {
            runtime.console().stream(out);
            callback.succeeded();
        } catch (IOException | RuntimeException e) {
            callback.failed(e);
        }
    }

    private void invoke(String name, byte[] body, Response response, Callback callback) {
        String id = name.contains(":") ? name.substring(name.lastIndexOf(':') + 1) : name;
        LocalFunction fn = runtime.functions().get(id);
        if (fn == null) {
            write(
                    response,
                    callback,
                    404,
                    Map.of("Content-Type", "application/json", "x-amzn-ErrorType", "ResourceNotFoundException"),
                    Json.write(Map.of("Type", "User", "Message", "Function not found: " + name))
                            .getBytes(StandardCharsets.UTF_8));
            return;
        }
        try {
            write(
                    response,
                    callback,
                    200,
                    Map.of("Content-Type", "application/json", "X-Amz-Executed-Version", "$LATEST"),
                    fn.invoke(body));
        } catch (Exception | Error e) {
            write(
                    response,
                    callback,
                    200,
                    Map.of("Content-Type", "application/json", "X-Amz-Function-Error", "Unhandled"),
                    Json.write(Map.of(
                                    "errorMessage",
                                    String.valueOf(e.getMessage()),
                                    "errorType",
                                    e.getClass().getName()))
                            .getBytes(StandardCharsets.UTF_8));
        }
    }

    private static void write(
            Response response, Callback callback, int status, Map<String, String> headers, byte[] body) {
        response.setStatus(status);
        headers.forEach((k, v) -> response.getHeaders().put(k, v));
        response.write(true, ByteBuffer.wrap(body), callback);
    }

    /** One request per route through the real port: none may answer 5xx before "ready" is printed. */
    void selfCheck() {
        HttpClient client = HttpClient.newHttpClient();
        List<CompletableFuture<Void>> checks = new ArrayList<>();
        for (var route : runtime.rest().routes()) {
            String path = route.path().replaceAll("\\{[^}]+}", "selfcheck");
            var req = HttpRequest.newBuilder(URI.create(runtime.baseUrl() + path))
                    .method(route.method(), BodyPublishers.noBody())
                    .build();
            checks.add(client.sendAsync(req, BodyHandlers.discarding()).thenAccept(r -> {
                if (r.statusCode() >= 500) {
                    throw new IllegalStateException(route.key() + " answered " + r.statusCode());
                }
            }));
        }
        checks.forEach(CompletableFuture::join);
    }

    void stop() {
        try {
            if (server != null) {
                server.stop();
            }
        } catch (Exception ignored) {
            // stopping anyway
        }
    }
}
