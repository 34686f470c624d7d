package dev.suite.gym.domain;

import com.fasterxml.jackson.databind.JsonNode;
import dev.suite.gym.provider.StripeCheckout;
import dev.suite.gym.provider.StripeSignature;
import dev.suite.gym.store.CheckinStore;
import dev.suite.gym.store.GymStore;
import dev.suite.gym.store.PurchaseStore;
import dev.suite.gym.store.PurchaseStore.Purchase;
import dev.suite.shared.Ids;
import dev.suite.shared.Json;
import dev.suite.shared.Log;
import dev.suite.shared.data.Dynamo;
import dev.suite.shared.http.ApiException;
import dev.suite.shared.http.Page;
import java.io.IOException;
import java.time.Clock;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.ThreadLocalRandom;
import java.util.function.Supplier;
import java.util.regex.Pattern;
import org.slf4j.Logger;
import software.amazon.awssdk.services.dynamodb.model.TransactionCanceledException;
import software.amazon.awssdk.services.dynamodb.model.TransactionConflictException;

/**
 * Buying memberships through Stripe Checkout: the session is created with the server's price; only the signed
 * webhook fulfils, once per session however many deliveries or events arrive, extending the membership from the
 * later of now and its current expiry in one transaction with the purchase row.
 */
public final class MembershipSales {
    private static final Logger LOG = Log.get(MembershipSales.class);
    private static final Pattern ID = Pattern.compile("^[A-Za-z0-9_-]{1,128}$");
    private static final int ATTEMPTS = 12;
    private final GymStore gyms;
    private final CheckinStore door;
    private final PurchaseStore purchases;
    private final StripeCheckout stripe;
    private final Supplier<String> webhookSecret;
    private final Clock clock;

    public MembershipSales(GymStore gyms, CheckinStore door, PurchaseStore purchases, StripeCheckout stripe, Supplier<String> webhookSecret, Clock clock) {
        this.gyms = gyms;
        this.door = door;
        this.purchases = purchases;
        this.stripe = stripe;
        this.webhookSecret = webhookSecret;
        this.clock = clock;
    }

    public Map<String, Object> checkout(String userId, String planId) {
        Plan plan = gyms.plan(planId).orElseThrow(() -> ApiException.notFound("plan"));
        if (!plan.active()) {
            throw ApiException.conflict("PLAN_INACTIVE", "this plan is no longer sold; pick another from GET /membership/plans");
        }
        StripeCheckout.Session s = stripe.create(plan, userId, Ids.next());
        purchases.create(new Purchase(s.sessionId(), userId, plan.planId(), plan.name(), plan.days(), plan.amount(), plan.currency(), "PENDING",
                Instant.now(clock).toString(), null, s.expiresAt().toString()));
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("checkoutUrl", s.url());
        out.put("sessionId", s.sessionId());
        out.put("expiresAt", s.expiresAt().toString());
        return out;
    }

    public Page<Purchase> purchases(String userId, int limit, String cursor) {
        return purchases.purchases(userId, limit, cursor);
    }

    /** A webhook delivery: 400 unless signed within the tolerance; otherwise what was done, for Stripe's log. */
    public Map<String, Object> webhook(byte[] body, String signature) {
        Instant now = Instant.now(clock);
        if (!StripeSignature.valid(body, signature, webhookSecret.get(), now.getEpochSecond())) {
            throw ApiException.badRequest("INVALID_SIGNATURE", "the Stripe-Signature header does not sign this body within 300 seconds");
        }
        JsonNode event;
        try {
            event = Json.MAPPER.readTree(body);
        } catch (IOException e) {
            throw ApiException.badRequest("MALFORMED_JSON", "the event is not JSON");
        }
        String eventId = event == null ? null : event.path("id").asText(null);
        String type = event == null ? null : event.path("type").asText(null);
        JsonNode session = event == null ? null : event.path("data").path("object");
        if (eventId == null || type == null || !ID.matcher(eventId).matches()) {
            throw ApiException.invalid("id", "a Stripe event has an id and a type");
        }
        String result = switch (type) {
            case "checkout.session.completed" -> "paid".equals(session.path("payment_status").asText()) ? fulfil(eventId, type, session, now)
                    : "awaiting-payment";
            case "checkout.session.async_payment_succeeded" -> fulfil(eventId, type, session, now);
            case "checkout.session.async_payment_failed" -> sessionId(session) == null ? "unknown-session"
                    : purchases.fail(eventId, type, sessionId(session), now) ? "failed" : "already-settled";
            default -> "ignored";
        };
        LOG.info("stripe event {} {}: {}", type, eventId, result);
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("received", true);
        out.put("result", result);
        return out;
    }

    private static String sessionId(JsonNode session) {
        String id = session.path("id").asText(null);
        return id != null && ID.matcher(id).matches() ? id : null;
    }

    private String fulfil(String eventId, String type, JsonNode session, Instant now) {
        String sessionId = sessionId(session);
        if (sessionId == null) {
            return "unknown-session";
        }
        Purchase p = purchases.purchase(sessionId).orElseGet(() -> fromMetadata(sessionId, session, now));
        if (p == null) {
            LOG.warn("stripe session {} is not one of ours", sessionId);
            return "unknown-session";
        }
        long paid = session.path("amount_total").asLong(p.amount());
        String currency = session.path("currency").asText(p.currency());
        if (paid != p.amount() || !currency.equalsIgnoreCase(p.currency())) {
            LOG.error("stripe session {} paid {} {} for a plan of {} {}: not fulfilled", sessionId, paid, currency, p.amount(), p.currency());
            return "amount-mismatch";
        }
        for (int attempt = 1; attempt <= ATTEMPTS; attempt++) {
            Membership m = door.membership(p.userId());
            Instant extended = Membership.extended(m.expiresAt(), now, p.days());
            try {
                switch (purchases.fulfil(eventId, type, p, m.expiresAt(), extended, now)) {
                    case FULFILLED:
                        return "fulfilled";
                    case EVENT_SEEN:
                        return "duplicate";
                    case ALREADY_SETTLED:
                        return "already-fulfilled";
                    default:
                        break;
                }
            } catch (TransactionCanceledException | TransactionConflictException e) {
                if (attempt == ATTEMPTS) {
                    throw e;
                }
            }
            Dynamo.pause(ThreadLocalRandom.current().nextLong(5, 20L * attempt));
        }
        throw ApiException.unavailable("SERVICE_BUSY", "the membership is changing; Stripe will retry", 1);
    }

    /** The session's own metadata, when our row was never written (a crash after Stripe created the session). */
    private Purchase fromMetadata(String sessionId, JsonNode session, Instant now) {
        String userId = session.path("metadata").path("userId").asText(null);
        String planId = session.path("metadata").path("planId").asText(null);
        if (userId == null || planId == null || !ID.matcher(userId).matches() || !ID.matcher(planId).matches()) {
            return null;
        }
        Plan plan = gyms.plan(planId).orElse(null);
        if (plan == null) {
            return null;
        }
        purchases.create(new Purchase(sessionId, userId, planId, plan.name(), plan.days(), plan.amount(), plan.currency(), "PENDING",
                now.toString(), null, null));
        return purchases.purchase(sessionId).orElse(null);
    }
}
