package dev.suite.gym.provider;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import dev.suite.gym.domain.Plan;
import dev.suite.shared.Config;
import dev.suite.shared.Http;
import dev.suite.shared.Json;
import dev.suite.shared.Log;
import dev.suite.shared.Secrets;
import dev.suite.shared.http.ApiException;
import java.io.IOException;
import java.io.InterruptedIOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpRequest;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.function.Supplier;
import java.util.stream.Collectors;
import org.slf4j.Logger;

/**
 * Stripe Checkout Sessions without Stripe's library: one form-encoded {@code POST /v1/checkout/sessions} with the
 * secret key, mode {@code payment}, the price and name from the server's plan, the user and plan in
 * {@code client_reference_id} and metadata, and an idempotency key so a retried call makes one session.
 */
public final class StripeCheckout {
    private static final Logger LOG = Log.get(StripeCheckout.class);
    private final Http http;
    private final String apiUrl;
    private final Supplier<String> secretKey;
    private final String successUrl;
    private final String cancelUrl;

    /** A created session: where to send the buyer, and until when it can be paid. */
    public record Session(String sessionId, String url, Instant expiresAt) {
    }

    public StripeCheckout(Http http, String apiUrl, Supplier<String> secretKey, String successUrl, String cancelUrl) {
        this.http = http;
        this.apiUrl = apiUrl.endsWith("/") ? apiUrl.substring(0, apiUrl.length() - 1) : apiUrl;
        this.secretKey = secretKey;
        this.successUrl = successUrl;
        this.cancelUrl = cancelUrl;
    }

    public static StripeCheckout from(Config config) {
        return new StripeCheckout(Http.client(config, "STRIPE", 3000, 10000, 12000), config.get("STRIPE_API_URL").orElse("https://api.stripe.com"),
                Secrets.supplier(config, "STRIPE_SECRET_KEY"), config.require("STRIPE_SUCCESS_URL"), config.require("STRIPE_CANCEL_URL"));
    }

    public Session create(Plan plan, String userId, String purchaseId) {
        Map<String, String> form = new LinkedHashMap<>();
        form.put("mode", "payment");
        form.put("success_url", successUrl);
        form.put("cancel_url", cancelUrl);
        form.put("client_reference_id", userId);
        form.put("line_items[0][quantity]", "1");
        form.put("line_items[0][price_data][currency]", plan.currency().toLowerCase(Locale.ROOT));
        form.put("line_items[0][price_data][unit_amount]", Long.toString(plan.amount()));
        form.put("line_items[0][price_data][product_data][name]", plan.name());
        form.put("metadata[userId]", userId);
        form.put("metadata[planId]", plan.planId());
        form.put("metadata[purchaseId]", purchaseId);
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(apiUrl + "/v1/checkout/sessions"))
                .header("Content-Type", "application/x-www-form-urlencoded")
                .header("Authorization", "Bearer " + secretKey.get())
                .header("Idempotency-Key", purchaseId)
                .POST(HttpRequest.BodyPublishers.ofString(encode(form), StandardCharsets.UTF_8));
        try {
            Http.Response r = http.send(request);
            String body = r.text();
            if (r.status() == 401 || r.status() == 403) {
                LOG.error("Stripe refused the secret key: {}", r.status());
                throw new ApiException(502, "PROVIDER_AUTH_FAILED", "the payment provider is misconfigured; nothing was charged");
            }
            if (r.status() == 429) {
                throw new ApiException(429, "PROVIDER_RATE_LIMITED", "the payment provider is busy; retry in a few seconds", null,
                        Map.of("Retry-After", "2"));
            }
            if (!r.successful()) {
                LOG.error("Stripe answered {} to a checkout session", r.status());
                throw new ApiException(502, "PROVIDER_ERROR", "the payment provider failed; retry (nothing was charged)");
            }
            JsonNode s;
            try {
                s = Json.MAPPER.readTree(body);
            } catch (JsonProcessingException e) {
                throw new ApiException(502, "PROVIDER_ERROR", "the payment provider answered something unreadable; retry");
            }
            if (s == null || !s.path("id").isTextual() || !s.path("url").isTextual()) {
                throw new ApiException(502, "PROVIDER_ERROR", "the payment provider answered without a checkout page; retry");
            }
            Instant expires = s.path("expires_at").canConvertToLong() ? Instant.ofEpochSecond(s.get("expires_at").asLong())
                    : Instant.now().plusSeconds(86_400);
            return new Session(s.get("id").asText(), s.get("url").asText(), expires);
        } catch (InterruptedIOException e) {
            throw new ApiException(504, "PROVIDER_TIMEOUT", "the payment provider took too long; retry (nothing was charged)");
        } catch (IOException e) {
            throw new ApiException(502, "PROVIDER_UNREACHABLE", "the payment provider could not be reached; retry");
        }
    }

    /** application/x-www-form-urlencoded, as Stripe's API takes it. */
    static String encode(Map<String, String> form) {
        return form.entrySet().stream()
                .map(e -> URLEncoder.encode(e.getKey(), StandardCharsets.UTF_8) + "=" + URLEncoder.encode(e.getValue(), StandardCharsets.UTF_8))
                .collect(Collectors.joining("&"));
    }
}
