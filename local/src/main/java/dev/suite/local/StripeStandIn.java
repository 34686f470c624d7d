package dev.suite.local;

import com.stripe.net.Webhook;
import dev.suite.gym.provider.StripeSessions;
import dev.suite.shared.Json;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.UnaryOperator;

/**
 * A Stripe Checkout stand-in for laptops without Stripe keys, speaking what stripe-java sends: {@code POST
 * /v1/checkout/sessions} form-encoded, with {@code Authorization: Bearer} (the key checked), {@code Stripe-Version}
 * (required) and {@code Idempotency-Key} (a replayed key answers the same session, as Stripe does). The session's URL
 * is a local page showing the plan and amount with Pay and Cancel; Pay posts a {@code checkout.session.completed} event
 * of the pinned API version, signed with the webhook secret by stripe-java's own HMAC helper, to the webhook, then
 * redirects to the success URL.
 */
final class StripeStandIn {
    static final String API = "/_local/stripe";
    static final String SESSIONS = API + "/v1/checkout/sessions";
    static final String PAY = API + "/pay/";
    static final String COMPLETE = API + "/complete";
    static final String SUCCESS = API + "/success";
    static final String CANCELLED = API + "/cancelled";
    static final String KEY = "sk_test_local_stand_in";

    private final Map<String, Map<String, String>> sessions = new ConcurrentHashMap<>();
    private final Map<String, String> idempotent = new ConcurrentHashMap<>();
    private final AtomicLong ids = new AtomicLong(System.currentTimeMillis());
    private final HttpClient http =
            HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(3)).build();
    private final String baseUrl;
    private final String webhookSecret;

    StripeStandIn(String baseUrl, String webhookSecret) {
        this.baseUrl = baseUrl;
        this.webhookSecret = webhookSecret;
    }

    /** One request; {@code headers} answers a request header by name (null when absent). */
    RestGateway.HttpResponse handle(String method, String path, UnaryOperator<String> headers, byte[] body)
            throws IOException, InterruptedException {
        if (path.equals(SESSIONS) && method.equals("POST")) {
            if (!("Bearer " + KEY).equals(headers.apply("Authorization"))) {
                return json(
                        401,
                        Map.of(
                                "error",
                                Map.of("type", "invalid_request_error", "message", "Invalid API Key provided")));
            }
            if (headers.apply("Stripe-Version") == null) {
                return json(
                        400,
                        Map.of(
                                "error",
                                Map.of(
                                        "type",
                                        "invalid_request_error",
                                        "message",
                                        "no Stripe-Version header (stripe-java pins one)")));
            }
            return create(
                    VnpayStandIn.query(new String(body, StandardCharsets.UTF_8)),
                    headers.apply("Stripe-Version"),
                    headers.apply("Idempotency-Key"));
        }
        if (path.startsWith(PAY) && method.equals("GET")) {
            return payPage(path.substring(PAY.length()));
        }
        if (path.equals(COMPLETE) && method.equals("POST")) {
            return complete(VnpayStandIn.query(new String(body, StandardCharsets.UTF_8)));
        }
        if (path.equals(SUCCESS) || path.equals(CANCELLED)) {
            return html(
                    200,
                    path.equals(SUCCESS)
                            ? "<h1>Paid</h1><p>The membership is extended when the webhook arrives (it did).</p>"
                            : "<h1>Cancelled</h1><p>Nothing was charged.</p>");
        }
        return new RestGateway.HttpResponse(404, Map.of(), new byte[0]);
    }

    /** A new session, or the one created earlier with the same idempotency key. */
    private synchronized RestGateway.HttpResponse create(
            Map<String, String> form, String version, String idempotencyKey) {
        if (idempotencyKey != null && idempotent.containsKey(idempotencyKey)) {
            return session(sessions.get(idempotent.get(idempotencyKey)));
        }
        String id = "cs_test_local_" + ids.incrementAndGet();
        if (idempotencyKey != null) {
            idempotent.put(idempotencyKey, id);
        }
        Map<String, String> s = new LinkedHashMap<>(form);
        s.put("id", id);
        s.put(
                "expires_at",
                Long.toString(Instant.now().plus(Duration.ofHours(24)).getEpochSecond()));
        s.put("api_version", version);
        sessions.put(id, s);
        return session(s);
    }

    private RestGateway.HttpResponse session(Map<String, String> s) {
        return json(
                200,
                Map.of(
                        "id",
                        s.get("id"),
                        "object",
                        "checkout.session",
                        "mode",
                        s.getOrDefault("mode", "payment"),
                        "url",
                        baseUrl + PAY + s.get("id"),
                        "expires_at",
                        Long.parseLong(s.get("expires_at")),
                        "payment_status",
                        "unpaid"));
    }

    private RestGateway.HttpResponse payPage(String id) {
        Map<String, String> s = sessions.get(id);
        if (s == null) {
            return html(404, "<h1>No such checkout session</h1>");
        }
        String form = "<form method='post' action='" + COMPLETE
                + "' style='display:inline'><input type='hidden' name='session' value='" + VnpayStandIn.escape(id)
                + "'><button name='result' value='RESULT'>LABEL</button></form> ";
        return html(
                200,
                "<h1>Stripe Checkout (local stand-in)</h1><p>"
                        + VnpayStandIn.escape(s.get("line_items[0][price_data][product_data][name]")) + "</p>"
                        + "<p>Amount: <b>" + VnpayStandIn.escape(s.get("line_items[0][price_data][unit_amount]")) + " "
                        + VnpayStandIn.escape(s.getOrDefault("line_items[0][price_data][currency]", "")
                                .toUpperCase(Locale.ROOT))
                        + "</b></p>"
                        + form.replace("RESULT", "pay").replace("LABEL", "Pay")
                        + form.replace("RESULT", "cancel").replace("LABEL", "Cancel"));
    }

    /**
     * The buyer's choice: on Pay, a signed checkout.session.completed to the webhook; then the success or cancel URL.
     */
    private RestGateway.HttpResponse complete(Map<String, String> form) throws IOException, InterruptedException {
        Map<String, String> s = sessions.get(form.get("session"));
        if (s == null) {
            return html(404, "<h1>No such checkout session</h1>");
        }
        if (!"pay".equals(form.get("result"))) {
            return new RestGateway.HttpResponse(302, Map.of("Location", s.get("cancel_url")), new byte[0]);
        }
        Map<String, Object> metadata = new LinkedHashMap<>();
        s.forEach((k, v) -> {
            if (k.startsWith("metadata[") && k.endsWith("]")) {
                metadata.put(k.substring("metadata[".length(), k.length() - 1), v);
            }
        });
        Map<String, Object> session = new LinkedHashMap<>();
        session.put("id", s.get("id"));
        session.put("object", "checkout.session");
        session.put("mode", s.getOrDefault("mode", "payment"));
        session.put("status", "complete");
        session.put("payment_status", "paid");
        session.put("amount_total", Long.parseLong(s.get("line_items[0][price_data][unit_amount]")));
        session.put("currency", s.get("line_items[0][price_data][currency]"));
        session.put("client_reference_id", s.get("client_reference_id"));
        session.put("metadata", metadata);
        String payload = Json.write(Map.of(
                "id",
                "evt_local_" + ids.incrementAndGet(),
                "object",
                "event",
                "type",
                "checkout.session.completed",
                "api_version",
                StripeSessions.API_VERSION,
                "created",
                Instant.now().getEpochSecond(),
                "data",
                Map.of("object", session)));
        http.send(
                HttpRequest.newBuilder(URI.create(baseUrl + "/payments/stripe/webhook"))
                        .header("Content-Type", "application/json; charset=utf-8")
                        .header(
                                "Stripe-Signature",
                                signature(payload, webhookSecret, Instant.now().getEpochSecond()))
                        .POST(HttpRequest.BodyPublishers.ofString(payload, StandardCharsets.UTF_8))
                        .build(),
                HttpResponse.BodyHandlers.discarding());
        return new RestGateway.HttpResponse(
                302,
                Map.of("Location", s.get("success_url").replace("{CHECKOUT_SESSION_ID}", s.get("id"))),
                new byte[0]);
    }

    /** The {@code Stripe-Signature} header Stripe sends for this payload, computed with stripe-java's own helper. */
    static String signature(String payload, String secret, long timestamp) {
        try {
            return "t=" + timestamp + ",v1=" + Webhook.Util.computeHmacSha256(secret, timestamp + "." + payload);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("HMAC-SHA256 unavailable", e);
        }
    }

    private static RestGateway.HttpResponse json(int status, Object body) {
        return new RestGateway.HttpResponse(
                status,
                Map.of("Content-Type", "application/json"),
                Json.write(body).getBytes(StandardCharsets.UTF_8));
    }

    private static RestGateway.HttpResponse html(int status, String body) {
        String page = "<!doctype html><html><head><meta charset='utf-8'><title>Stripe stand-in</title></head>"
                + "<body style='font-family:sans-serif;max-width:40em;margin:3em auto'>" + body + "</body></html>";
        return new RestGateway.HttpResponse(
                status, Map.of("Content-Type", "text/html; charset=utf-8"), page.getBytes(StandardCharsets.UTF_8));
    }
}
