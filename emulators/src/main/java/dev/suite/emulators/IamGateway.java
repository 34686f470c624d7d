package dev.suite.emulators;

import dev.suite.shared.Json;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.Executors;
import org.eclipse.jetty.http.HttpField;
import org.eclipse.jetty.io.Content;
import org.eclipse.jetty.server.Handler;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;
import org.eclipse.jetty.util.Callback;
import org.eclipse.jetty.util.thread.QueuedThreadPool;

/**
 * IAM in front of the emulators, as AWS enforces it on the server side by the caller's credentials: every call to
 * DynamoDB Local, S3Proxy, cognito-local and the SSM stand-in arrives here first, on a port of its own per service. The
 * access key that signed it ({@link IamRequests#accessKey}) names the function ({@link Emulators#accessKey}); the
 * function's role is evaluated ({@link IamPolicies}) for every action and resource the call asks for, and a refusal is
 * answered in the service's own error shape (DynamoDB, Cognito and SSM: 400 {@code AccessDeniedException}; S3: 403
 * {@code AccessDenied} XML), naming the function, the action and the resource. The emulators' own key
 * ({@link Emulators#ACCESS_KEY}: provisioning and tests looking at data) may do everything. Every decision goes to
 * {@link IamUsage}.
 */
public final class IamGateway implements AutoCloseable {
    private static final Set<String> HOP = Set.of(
            "host",
            "content-length",
            "connection",
            "expect",
            "upgrade",
            "transfer-encoding",
            "keep-alive",
            "te",
            "trailer",
            "proxy-connection",
            "http2-settings");

    /** Which upstream a port stands for. */
    enum Service {
        DYNAMODB,
        S3,
        COGNITO,
        SSM
    }

    private final IamPolicies policies;
    private final IamRequests requests;
    private final Set<String> functions;
    private final IamUsage usage;
    private final Clock clock;
    private final Map<Service, URI> upstream;
    private final SsmStandIn ssm;
    /** Cognito operations cognito-local lacks, answered here (op, body) -> answer, or null to forward. */
    private volatile java.util.function.BiFunction<String, byte[], SsmStandIn.Answer> cognitoGaps = (op, body) -> null;

    private final HttpClient http = HttpClient.newBuilder()
            .version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(5))
            .executor(Executors.newVirtualThreadPerTaskExecutor())
            .build();
    private final Server server;
    private final Map<Service, ServerConnector> connectors = new LinkedHashMap<>();

    IamGateway(
            IamPolicies policies,
            IamRequests requests,
            IamUsage usage,
            Clock clock,
            Map<Service, URI> upstream,
            SsmStandIn ssm)
            throws Exception {
        this.policies = policies;
        this.requests = requests;
        this.functions = policies.all().keySet();
        this.usage = usage;
        this.clock = clock;
        this.upstream = upstream;
        this.ssm = ssm;
        QueuedThreadPool threads = new QueuedThreadPool(64, 4);
        threads.setName("iam");
        threads.setVirtualThreadsExecutor(Executors.newVirtualThreadPerTaskExecutor());
        this.server = new Server(threads);
        for (Service s : upstream.keySet()) {
            ServerConnector c = new ServerConnector(server);
            c.setHost("127.0.0.1");
            c.setPort(0);
            c.setName(s.name());
            server.addConnector(c);
            connectors.put(s, c);
        }
        server.setHandler(new Handler.Abstract() {
            @Override
            public boolean handle(Request request, Response response, Callback callback) throws Exception {
                serve(
                        Service.valueOf(
                                request.getConnectionMetaData().getConnector().getName()),
                        request,
                        response,
                        callback);
                return true;
            }
        });
        server.start();
    }

    void cognitoGaps(java.util.function.BiFunction<String, byte[], SsmStandIn.Answer> gaps) {
        this.cognitoGaps = gaps;
    }

    public int port(Service service) {
        return connectors.get(service).getLocalPort();
    }

    public String endpoint(Service service) {
        return "http://127.0.0.1:" + port(service);
    }

    /** The access key of a SigV4 (or V2) Authorization header, or null. */
    public static String accessKeyOf(String authorization) {
        return authorization == null
                ? null
                : IamRequests.accessKey(new IamRequests.Call(
                        "GET", "/", Map.of(), Map.of("Authorization", authorization), new byte[0]));
    }

    /** The function an access key belongs to, or null for the emulators' own key. */
    Optional<String> function(String accessKey) {
        if (accessKey != null && accessKey.startsWith(Emulators.KEY_PREFIX)) {
            String fn = accessKey.substring(Emulators.KEY_PREFIX.length());
            if (functions.contains(fn)) {
                return Optional.of(fn);
            }
        }
        return Optional.empty();
    }

    /**
     * The refusal of one IAM request made with an access key, or empty when the key's role allows it (the emulators' own
     * key always is). Used here and by local's {@code @connections} API.
     */
    public Optional<String> check(String accessKey, IamPolicies.Request request) {
        if (Emulators.ACCESS_KEY.equals(accessKey)) {
            return Optional.empty();
        }
        Optional<String> fn = function(accessKey);
        if (fn.isEmpty()) {
            String message = "The security token included in the request is invalid (access key " + accessKey + ") for "
                    + request.action() + " on resource: " + request.resource();
            usage.denied(String.valueOf(accessKey), request, message);
            return Optional.of(message);
        }
        IamPolicies.Decision d = policies.evaluate(fn.get(), request);
        if (d.allowed()) {
            usage.allowed(
                    fn.get(),
                    policies.statements(fn.get()).stream()
                            .filter(s -> s.allow() && IamPolicies.matches(s, request))
                            .toList(),
                    request);
            return Optional.empty();
        }
        String message = IamPolicies.deniedMessage(fn.get(), request, d.statement() != null);
        usage.denied(fn.get(), request, message);
        return Optional.of(message);
    }

    private void serve(Service service, Request request, Response response, Callback callback) {
        try {
            Map<String, String> headers = new LinkedHashMap<>();
            for (HttpField f : request.getHeaders()) {
                headers.merge(f.getName(), f.getValue(), (a, b) -> a + "," + b);
            }
            byte[] body = Content.Source.asInputStream(request).readAllBytes();
            String rawQuery = request.getHttpURI().getQuery();
            IamRequests.Call call = new IamRequests.Call(
                    request.getMethod(), request.getHttpURI().getPath(), IamRequests.query(rawQuery), headers, body);
            IamRequests.Asked asked = switch (service) {
                case DYNAMODB -> requests.dynamo(call);
                case S3 -> requests.s3(call, clock.instant());
                case COGNITO -> requests.cognito(call);
                case SSM -> requests.ssm(call);
            };
            if (asked.expired()) {
                refuse(service, response, callback, "Request has expired");
                return;
            }
            if (!asked.requests().isEmpty() && asked.accessKey() == null) {
                refuse(
                        service,
                        response,
                        callback,
                        "Missing Authentication Token for "
                                + asked.requests().get(0).action() + " on resource: "
                                + asked.requests().get(0).resource());
                return;
            }
            for (IamPolicies.Request r : asked.requests()) {
                Optional<String> refused = check(asked.accessKey(), r);
                if (refused.isPresent()) {
                    refuse(service, response, callback, refused.get());
                    return;
                }
            }
            forward(service, call, rawQuery, response, callback);
        } catch (Exception e) {
            response.setStatus(502);
            response.write(true, ByteBuffer.wrap(("IAM gateway: " + e).getBytes(StandardCharsets.UTF_8)), callback);
        }
    }

    private void forward(Service service, IamRequests.Call call, String rawQuery, Response response, Callback callback)
            throws IOException, InterruptedException {
        String amzTarget = String.valueOf(call.header("X-Amz-Target"));
        SsmStandIn.Answer gap = service == Service.COGNITO
                ? cognitoGaps.apply(amzTarget.substring(amzTarget.indexOf('.') + 1), call.body())
                : null;
        if (service == Service.SSM || gap != null) {
            SsmStandIn.Answer a = gap != null ? gap : ssm.answer(call.header("X-Amz-Target"), call.body());
            byte[] bytes = a.body().getBytes(StandardCharsets.UTF_8);
            response.setStatus(a.status());
            response.getHeaders().put("Content-Type", "application/x-amz-json-1.1");
            response.getHeaders().put("Content-Length", Integer.toString(bytes.length));
            response.write(true, ByteBuffer.wrap(bytes), callback);
            return;
        }
        URI target = URI.create(upstream.get(service) + call.path() + (rawQuery == null ? "" : "?" + rawQuery));
        HttpRequest.Builder b = HttpRequest.newBuilder(target)
                .timeout(Duration.ofSeconds(60))
                .method(
                        call.method(),
                        call.body().length == 0 && !List.of("PUT", "POST").contains(call.method())
                                ? HttpRequest.BodyPublishers.noBody()
                                : HttpRequest.BodyPublishers.ofByteArray(call.body()));
        call.headers().forEach((name, value) -> {
            if (!HOP.contains(name.toLowerCase(Locale.ROOT))) {
                b.header(name, value);
            }
        });
        HttpResponse<byte[]> r = http.send(b.build(), HttpResponse.BodyHandlers.ofByteArray());
        response.setStatus(r.statusCode());
        r.headers().map().forEach((name, values) -> {
            String lower = name.toLowerCase(Locale.ROOT);
            if (!HOP.contains(lower) && !lower.equals(":status")) {
                values.forEach(v -> response.getHeaders().add(name, v));
            }
        });
        if (call.method().equals("HEAD")) {
            r.headers()
                    .firstValue("Content-Length")
                    .ifPresent(v -> response.getHeaders().put("Content-Length", v));
            response.write(true, null, callback);
            return;
        }
        response.getHeaders().put("Content-Length", Integer.toString(r.body().length));
        response.write(true, ByteBuffer.wrap(r.body()), callback);
    }

    /** A refusal in the service's own shape, as the SDK's error parsers read it. */
    private static void refuse(Service service, Response response, Callback callback, String message) {
        String body;
        if (service == Service.S3) {
            response.setStatus(403);
            response.getHeaders().put("Content-Type", "application/xml");
            body = "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<Error><Code>AccessDenied</Code><Message>"
                    + xml(message) + "</Message><RequestId>" + UUID.randomUUID() + "</RequestId></Error>";
        } else {
            response.setStatus(400);
            String type = service == Service.DYNAMODB
                    ? "com.amazon.coral.service#AccessDeniedException"
                    : "AccessDeniedException";
            response.getHeaders()
                    .put(
                            "Content-Type",
                            service == Service.DYNAMODB ? "application/x-amz-json-1.0" : "application/x-amz-json-1.1");
            response.getHeaders().put("x-amzn-ErrorType", "AccessDeniedException");
            response.getHeaders().put("x-amzn-RequestId", UUID.randomUUID().toString());
            body = Json.write(Map.of("__type", type, "message", message));
        }
        byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
        response.getHeaders().put("Content-Length", Integer.toString(bytes.length));
        response.write(true, ByteBuffer.wrap(bytes), callback);
    }

    private static String xml(String s) {
        return s.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;");
    }

    @Override
    public void close() {
        try {
            server.stop();
        } catch (Exception ignored) {
            // best effort
        }
    }
}
