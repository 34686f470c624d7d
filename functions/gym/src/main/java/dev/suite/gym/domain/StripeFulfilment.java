package dev.suite.gym.domain;

import com.stripe.model.Event;
import com.stripe.model.checkout.Session;
import dev.suite.gym.provider.StripeEvents;
import dev.suite.gym.store.CheckinStore;
import dev.suite.gym.store.PurchaseStore;
import dev.suite.gym.store.PurchaseStore.Purchase;
import dev.suite.shared.Log;
import dev.suite.shared.data.Dynamo;
import dev.suite.shared.http.ApiException;
import java.time.Clock;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.ThreadLocalRandom;
import java.util.regex.Pattern;
import org.slf4j.Logger;
import software.amazon.awssdk.services.dynamodb.model.TransactionCanceledException;
import software.amazon.awssdk.services.dynamodb.model.TransactionConflictException;

/**
 * Stripe's signed webhook: only a verified event fulfils, once per session however many deliveries or events arrive,
 * extending the membership from the later of now and its current expiry in one transaction with the purchase row.
 * It fails closed: the session must be one of ours (no row, no fulfilment: the session's metadata is never trusted),
 * in {@code payment} mode, paid by the purchase's own user ({@code client_reference_id}), with {@code amount_total}
 * and {@code currency} present and equal to the purchase's.
 */
public final class StripeFulfilment {
    private static final Logger LOG = Log.get(StripeFulfilment.class);
    private static final Pattern ID = Pattern.compile("^[A-Za-z0-9_-]{1,128}$");
    private static final int ATTEMPTS = 12;
    private final CheckinStore door;
    private final PurchaseStore purchases;
    private final StripeEvents events;
    private final Clock clock;

    public StripeFulfilment(CheckinStore door, PurchaseStore purchases, StripeEvents events, Clock clock) {
        this.door = door;
        this.purchases = purchases;
        this.events = events;
        this.clock = clock;
    }

    /**
     * The reads and the transaction a paid session's fulfilment makes, for a session and a member that cannot exist:
     * both reads find nothing, and the transaction is refused by its first condition (nothing written).
     */
    public void warmStores() {
        String none = "priming#" + java.util.UUID.randomUUID();
        purchases.purchase(none);
        door.membership(none);
        purchases.fail(none, "priming", none, Instant.now(clock));
    }

    /** A webhook delivery: 400 unless signed within the tolerance; otherwise what was done, for Stripe's log. */
    public Map<String, Object> webhook(byte[] body, String signature) {
        Event event = events.verify(body, signature);
        Instant now = Instant.now(clock);
        String eventId = event.getId();
        String type = event.getType();
        if (eventId == null || type == null || !ID.matcher(eventId).matches()) {
            throw ApiException.invalid("id", "a Stripe event has an id and a type");
        }
        String result = switch (type) {
            case "checkout.session.completed",
                    "checkout.session.async_payment_succeeded",
                    "checkout.session.async_payment_failed" -> {
                Session session = StripeEvents.object(event)
                        .filter(Session.class::isInstance)
                        .map(Session.class::cast)
                        .orElse(null);
                if (session == null
                        || session.getId() == null
                        || !ID.matcher(session.getId()).matches()) {
                    yield "unknown-session";
                }
                if (type.endsWith("async_payment_failed")) {
                    yield purchases.fail(eventId, type, session.getId(), now) ? "failed" : "already-settled";
                }
                yield type.endsWith("completed") && !"paid".equals(session.getPaymentStatus())
                        ? "awaiting-payment"
                        : fulfil(eventId, type, session, now);
            }
            default -> "ignored";
        };
        LOG.info("stripe event {} {}: {}", type, eventId, result);
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("received", true);
        out.put("result", result);
        return out;
    }

    /** Why a paid session does not match its purchase, or null when it does. */
    static String mismatch(Session session, Purchase p) {
        if (!"payment".equals(session.getMode())) {
            return "unexpected-mode";
        }
        if (!p.userId().equals(session.getClientReferenceId())) {
            return "user-mismatch";
        }
        if (session.getAmountTotal() == null
                || session.getCurrency() == null
                || session.getAmountTotal() != p.amount()
                || !session.getCurrency().equalsIgnoreCase(p.currency())) {
            return "amount-mismatch";
        }
        return null;
    }

    private String fulfil(String eventId, String type, Session session, Instant now) {
        Purchase p = purchases.purchase(session.getId()).orElse(null);
        if (p == null) {
            LOG.error(
                    "stripe session {} is paid but has no purchase row: not fulfilled (settle it by hand in Stripe's dashboard)",
                    session.getId());
            return "unknown-session";
        }
        String mismatch = mismatch(session, p);
        if (mismatch != null) {
            LOG.error(
                    "stripe session {} ({} mode, user {}, {} {}) does not match its purchase ({} {} of {}): {}, not fulfilled",
                    session.getId(),
                    session.getMode(),
                    session.getClientReferenceId(),
                    session.getAmountTotal(),
                    session.getCurrency(),
                    p.amount(),
                    p.currency(),
                    p.userId(),
                    mismatch);
            return mismatch;
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
}
