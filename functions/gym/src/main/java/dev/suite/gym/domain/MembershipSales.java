package dev.suite.gym.domain;

import dev.suite.gym.provider.StripeSessions;
import dev.suite.gym.store.GymStore;
import dev.suite.gym.store.PurchaseStore;
import dev.suite.gym.store.PurchaseStore.Purchase;
import dev.suite.shared.Ids;
import dev.suite.shared.data.RateLimiter;
import dev.suite.shared.http.ApiException;
import dev.suite.shared.http.Page;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Buying memberships through Stripe Checkout: the session is created with the server's price. A buyer who already has
 * an open session for the plan gets its page again; new sessions are limited per user and minute, so no one can make
 * the account's Stripe rate limit run out for every buyer. Fulfilment is the webhook's ({@link StripeFulfilment}).
 */
public final class MembershipSales {
    /** A pending session is reused while it stays open at least this long (a buyer needs the time to pay). */
    static final Duration REUSE_MARGIN = Duration.ofMinutes(30);
    /** How many of the buyer's newest purchases are searched for an open one. */
    static final int REUSE_SEARCH = 20;

    public static final int DEFAULT_LIMIT_PER_MINUTE = 5;
    private final GymStore gyms;
    private final PurchaseStore purchases;
    private final StripeSessions stripe;
    private final RateLimiter limiter;
    private final int limitPerMinute;
    private final Clock clock;

    /** A checkout's answer, and whether it reused an open session (200) or opened one (201). */
    public record Checkout(Map<String, Object> body, boolean reused) {}

    public MembershipSales(
            GymStore gyms,
            PurchaseStore purchases,
            StripeSessions stripe,
            RateLimiter limiter,
            int limitPerMinute,
            Clock clock) {
        this.gyms = gyms;
        this.purchases = purchases;
        this.stripe = stripe;
        this.limiter = limiter;
        this.limitPerMinute = limitPerMinute;
        this.clock = clock;
    }

    public Checkout checkout(String userId, String planId) {
        Plan plan = gyms.plan(planId).orElseThrow(() -> ApiException.notFound("plan"));
        if (!plan.active()) {
            throw ApiException.conflict(
                    "PLAN_INACTIVE", "this plan is no longer sold; pick another from GET /membership/plans");
        }
        Instant now = Instant.now(clock);
        var open = purchases.openPending(userId, planId, now.plus(REUSE_MARGIN), REUSE_SEARCH);
        if (open.isPresent()) {
            return new Checkout(
                    answer(
                            open.get().checkoutUrl(),
                            open.get().sessionId(),
                            open.get().expiresAt(),
                            true),
                    true);
        }
        limiter.hit("checkout#" + userId, limitPerMinute, Duration.ofMinutes(1), "checkouts");
        StripeSessions.Created s = stripe.create(plan, userId, Ids.next());
        purchases.create(new Purchase(
                s.sessionId(),
                userId,
                plan.planId(),
                plan.name(),
                plan.days(),
                plan.amount(),
                plan.currency(),
                "PENDING",
                now.toString(),
                null,
                s.expiresAt().toString(),
                s.url()));
        return new Checkout(answer(s.url(), s.sessionId(), s.expiresAt().toString(), false), false);
    }

    private static Map<String, Object> answer(String url, String sessionId, String expiresAt, boolean reused) {
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("checkoutUrl", url);
        out.put("sessionId", sessionId);
        out.put("expiresAt", expiresAt);
        out.put("reused", reused);
        return out;
    }

    public Page<Purchase> purchases(String userId, int limit, String cursor) {
        return purchases.purchases(userId, limit, cursor);
    }
}
