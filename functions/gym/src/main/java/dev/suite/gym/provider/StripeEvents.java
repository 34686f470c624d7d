package dev.suite.gym.provider;

import com.stripe.exception.EventDataObjectDeserializationException;
import com.stripe.exception.SignatureVerificationException;
import com.stripe.model.Event;
import com.stripe.model.EventDataObjectDeserializer;
import com.stripe.model.StripeObject;
import com.stripe.net.Webhook;
import dev.suite.shared.Log;
import dev.suite.shared.http.ApiException;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.util.Optional;
import java.util.function.Supplier;
import org.slf4j.Logger;

/**
 * Stripe webhook events verified with stripe-java's own {@link Webhook#constructEvent}: the {@code Stripe-Signature}
 * header must carry a {@code v1} HMAC-SHA256 of {@code "<t>.<raw body>"} under the endpoint secret, made at most
 * {@link #TOLERANCE_SECONDS} ago (a replay is refused).
 */
public final class StripeEvents {
    public static final long TOLERANCE_SECONDS = 300;
    private static final Logger LOG = Log.get(StripeEvents.class);
    private final Supplier<String> secret;
    private final Clock clock;

    public StripeEvents(Supplier<String> secret, Clock clock) {
        this.secret = secret;
        this.clock = clock;
    }

    /** The event the body carries: 400 {@code INVALID_SIGNATURE} unless signed with the secret within the tolerance. */
    public Event verify(byte[] body, String signature) {
        if (signature == null || signature.isBlank()) {
            throw invalid();
        }
        try {
            return Webhook.constructEvent(
                    new String(body, StandardCharsets.UTF_8), signature, secret.get(), TOLERANCE_SECONDS, clock);
        } catch (SignatureVerificationException e) {
            throw invalid();
        } catch (RuntimeException e) { // gson's parse errors: the body is read before its signature is checked
            throw ApiException.badRequest("MALFORMED_JSON", "the event is not JSON");
        }
    }

    /**
     * The event's {@code data.object} as stripe-java's typed model. An event of another API version than
     * {@link StripeSessions#API_VERSION} (the endpoint was created on another version) is read leniently, with a warning.
     */
    public static Optional<StripeObject> object(Event event) {
        EventDataObjectDeserializer data = event.getDataObjectDeserializer();
        Optional<StripeObject> typed = data.getObject();
        if (typed.isPresent()) {
            return typed;
        }
        LOG.warn(
                "stripe event {} has API version {}, not {}: read leniently; set the endpoint's version to {}",
                event.getId(),
                event.getApiVersion(),
                StripeSessions.API_VERSION,
                StripeSessions.API_VERSION);
        try {
            return Optional.ofNullable(data.deserializeUnsafe());
        } catch (EventDataObjectDeserializationException | RuntimeException e) {
            return Optional.empty();
        }
    }

    private static ApiException invalid() {
        return ApiException.badRequest(
                "INVALID_SIGNATURE",
                "the Stripe-Signature header does not sign this body within " + TOLERANCE_SECONDS + " seconds");
    }
}
