package dev.suite.gym.provider;

import com.stripe.Stripe;
import com.stripe.StripeClient;
import com.stripe.exception.ApiConnectionException;
import com.stripe.exception.StripeException;
import com.stripe.model.checkout.Session;
import com.stripe.net.BearerTokenAuthenticator;
import com.stripe.net.RequestOptions;
import com.stripe.param.checkout.SessionCreateParams;
import dev.suite.gym.domain.Plan;
import dev.suite.shared.Config;
import dev.suite.shared.Log;
import dev.suite.shared.Secrets;
import dev.suite.shared.http.ApiException;
import java.net.SocketTimeoutException;
import java.time.Instant;
import java.util.Locale;
import java.util.Map;
import java.util.function.Supplier;
import org.slf4j.Logger;

/**
 * Stripe Checkout Sessions through stripe-java's {@link StripeClient}: every request carries the {@code Stripe-Version}
 * stripe-java 29.0.0 pins ({@link #API_VERSION}), the secret key (read from its supplier per request, so a rotated SSM
 * value is picked up) and, for a session, an idempotency key, so a retried call makes one session. The session is in
 * {@code payment} mode with the price and name of the server's plan and the buyer in {@code client_reference_id}.
 */
public final class StripeSessions {
    /** The Stripe API version of every request: the one stripe-java 29.0.0 is generated for. */
    public static final String API_VERSION = Stripe.API_VERSION;

    private static final Logger LOG = Log.get(StripeSessions.class);
    private final StripeClient client;
    private final String successUrl;
    private final String cancelUrl;

    /** A created session: where to send the buyer, and until when it can be paid. */
    public record Created(String sessionId, String url, Instant expiresAt) {}

    public StripeSessions(StripeClient client, String successUrl, String cancelUrl) {
        this.client = client;
        this.successUrl = successUrl;
        this.cancelUrl = cancelUrl;
    }

    public static StripeSessions from(Config config) {
        return new StripeSessions(
                client(config, Secrets.supplier(config, "STRIPE_SECRET_KEY")),
                config.require("STRIPE_SUCCESS_URL"),
                config.require("STRIPE_CANCEL_URL"));
    }

    /**
     * A client on {@code STRIPE_API_URL} (Stripe's own by default; the local stand-in or MockWebServer otherwise) with
     * the key's supplier.
     */
    public static StripeClient client(Config config, Supplier<String> key) {
        String base = config.get("STRIPE_API_URL").orElse(Stripe.LIVE_API_BASE);
        return StripeClient.builder()
                .setAuthenticator(request -> new BearerTokenAuthenticator(key.get()).authenticate(request))
                .setApiBase(base.endsWith("/") ? base.substring(0, base.length() - 1) : base)
                .setConnectTimeout(config.getInt("STRIPE_CONNECT_TIMEOUT_MS", 3000))
                .setReadTimeout(config.getInt("STRIPE_READ_TIMEOUT_MS", 10000))
                .setMaxNetworkRetries(config.getInt("STRIPE_MAX_NETWORK_RETRIES", 1))
                .build();
    }

    /** Creates the session of one purchase; {@code purchaseKey} is its idempotency key. */
    public Created create(Plan plan, String userId, String purchaseKey) {
        SessionCreateParams params = SessionCreateParams.builder()
                .setMode(SessionCreateParams.Mode.PAYMENT)
                .setSuccessUrl(successUrl)
                .setCancelUrl(cancelUrl)
                .setClientReferenceId(userId)
                .addLineItem(SessionCreateParams.LineItem.builder()
                        .setQuantity(1L)
                        .setPriceData(SessionCreateParams.LineItem.PriceData.builder()
                                .setCurrency(plan.currency().toLowerCase(Locale.ROOT))
                                .setUnitAmount(plan.amount())
                                .setProductData(SessionCreateParams.LineItem.PriceData.ProductData.builder()
                                        .setName(plan.name())
                                        .build())
                                .build())
                        .build())
                .putMetadata("userId", userId)
                .putMetadata("planId", plan.planId())
                .putMetadata("purchaseId", purchaseKey)
                .build();
        Session s;
        try {
            s = client.checkout()
                    .sessions()
                    .create(
                            params,
                            RequestOptions.builder()
                                    .setIdempotencyKey(purchaseKey)
                                    .build());
        } catch (ApiConnectionException e) {
            if (e.getCause() instanceof SocketTimeoutException) {
                throw new ApiException(
                        504, "PROVIDER_TIMEOUT", "the payment provider took too long; retry (nothing was charged)");
            }
            throw new ApiException(502, "PROVIDER_UNREACHABLE", "the payment provider could not be reached; retry");
        } catch (StripeException e) {
            throw refused(e);
        } catch (RuntimeException e) { // gson's parse errors (gson is stripe-java's runtime dependency only)
            LOG.error("Stripe answered something unreadable to a checkout session: {}", e.toString());
            throw new ApiException(502, "PROVIDER_ERROR", "the payment provider answered something unreadable; retry");
        }
        if (s == null || s.getId() == null || s.getUrl() == null) {
            throw new ApiException(
                    502, "PROVIDER_ERROR", "the payment provider answered without a checkout page; retry");
        }
        Instant expires = s.getExpiresAt() != null
                ? Instant.ofEpochSecond(s.getExpiresAt())
                : Instant.now().plusSeconds(86_400);
        return new Created(s.getId(), s.getUrl(), expires);
    }

    private static ApiException refused(StripeException e) {
        int status = e.getStatusCode() == null ? 0 : e.getStatusCode();
        if (status == 401 || status == 403) {
            LOG.error("Stripe refused the secret key: {}", status);
            return new ApiException(
                    502, "PROVIDER_AUTH_FAILED", "the payment provider is misconfigured; nothing was charged");
        }
        if (status == 429) {
            return new ApiException(
                    429,
                    "PROVIDER_RATE_LIMITED",
                    "the payment provider is busy; retry in a few seconds",
                    null,
                    Map.of("Retry-After", "2"));
        }
        LOG.error("Stripe answered {} to a checkout session ({}, request {})", status, e.getCode(), e.getRequestId());
        return new ApiException(502, "PROVIDER_ERROR", "the payment provider failed; retry (nothing was charged)");
    }
}
