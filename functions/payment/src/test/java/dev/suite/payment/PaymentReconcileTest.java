package dev.suite.payment;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.suite.emulators.Emulators;
import dev.suite.payment.api.PaymentHandler;
import dev.suite.payment.api.PaymentReconcileHandler;
import dev.suite.payment.domain.PaymentRecord;
import dev.suite.payment.provider.Vnpay;
import dev.suite.payment.store.Payments;
import dev.suite.shared.Config;
import dev.suite.shared.Ids;
import dev.suite.shared.Json;
import dev.suite.shared.SyntheticContext;
import dev.suite.shared.Times;
import dev.suite.shared.data.Credits;
import dev.suite.shared.data.Users;
import dev.suite.testkit.Emf;
import dev.suite.testkit.Events;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The reconciliation job against DynamoDB Local and MockWebServer as VNPAY querydr. */
class PaymentReconcileTest {
    static Emulators emu;
    static VnpayFake vnpay;
    static Config config;
    static Payments payments;
    static Users users;
    static Credits credits;

    @BeforeAll
    static void start() throws Exception {
        emu = Emulators.shared();
        vnpay = new VnpayFake();
        config = emu.functionConfig("PaymentReconcileFunction", VnpayFake.config(vnpay.url()));
        payments = Payments.from(emu.dynamo(), config);
        users = Users.from(emu.dynamo(), config);
        credits = Credits.from(config);
    }

    @AfterAll
    static void stop() throws Exception {
        vnpay.close();
    }

    static String pending(String userId, long amountVnd, Instant created) {
        String id = Ids.at(created);
        payments.create(new PaymentRecord(
                id,
                userId,
                "starter",
                10,
                amountVnd,
                PaymentRecord.PENDING,
                Times.iso(created),
                Times.iso(created.plus(Duration.ofMinutes(15))),
                Vnpay.date(created),
                "Mua goi starter don " + id,
                "203.0.113.10",
                null,
                null,
                null,
                null));
        return id;
    }

    @Test
    @SuppressWarnings("unchecked")
    void settlesPaidOrdersOnceAndExpiresTheRestEvenWhenTwoRunsOverlap() throws Exception {
        String user = UUID.randomUUID().toString();
        users.create(user, "r@example.com", "R", "User", 0, Instant.now());
        Instant old = Instant.now().minus(Duration.ofMinutes(40));
        String paid = pending(user, 20000, old);
        String unknown = pending(user, 20000, old.plusSeconds(1));
        String abandoned = pending(user, 20000, old.plusSeconds(2));
        String wrongAmount = pending(user, 20000, old.plusSeconds(3));
        String open = pending(user, 20000, Instant.now());
        vnpay.orders.put(paid, new VnpayFake.Known("00", "00", 2_000_000));
        vnpay.orders.put(abandoned, new VnpayFake.Known("00", "01", 2_000_000));
        vnpay.orders.put(wrongAmount, new VnpayFake.Known("00", "00", 100));
        vnpay.orders.put(open, new VnpayFake.Known("00", "00", 2_000_000));

        PaymentReconcileHandler handler = new PaymentReconcileHandler(config);
        var event = Json.EVENTS.convertValue(Events.json("schedule-payment-reconcile"), Map.class);
        var a = CompletableFuture.supplyAsync(() -> handler.handleRequest(event, new SyntheticContext()));
        var b = CompletableFuture.supplyAsync(() -> handler.handleRequest(event, new SyntheticContext()));
        a.get();
        b.get();

        assertEquals(PaymentRecord.SUCCEEDED, payments.get(paid).orElseThrow().status());
        assertEquals(PaymentRecord.EXPIRED, payments.get(unknown).orElseThrow().status());
        assertEquals("91", payments.get(unknown).orElseThrow().responseCode());
        assertEquals(
                PaymentRecord.EXPIRED, payments.get(abandoned).orElseThrow().status());
        assertEquals(
                PaymentRecord.PENDING,
                payments.get(wrongAmount).orElseThrow().status(),
                "an amount mismatch is never credited");
        assertEquals(PaymentRecord.PENDING, payments.get(open).orElseThrow().status(), "still inside its window");
        assertEquals(10, users.get(user).orElseThrow().credits(), "credited once across both runs");
        assertEquals(10, credits.ledgerSum(emu.dynamo(), user));

        // A customer who paid after the deadline is still credited, once, when the late IPN or a query finds it.
        vnpay.orders.put(abandoned, new VnpayFake.Known("00", "00", 2_000_000));
        PaymentRecord late = payments.get(abandoned).orElseThrow();
        assertEquals(true, payments.settlePaid(late, "9", "NCB", "20261123180000", Instant.now()));
        assertEquals(false, payments.settlePaid(late, "9", "NCB", "20261123180000", Instant.now()));
        assertEquals(20, users.get(user).orElseThrow().credits());
        assertEquals(20, credits.ledgerSum(emu.dynamo(), user));
    }

    static String user(long credits) {
        String user = UUID.randomUUID().toString();
        users.create(user, "r@example.com", "R", "User", credits, Instant.now());
        return user;
    }

    /** A reconciler whose clock stands at {@code at}: tests live far in the past so only their own rows are due. */
    static PaymentReconcileHandler at(Instant at, int maxRows) {
        return new PaymentReconcileHandler(config, payments, Clock.fixed(at, ZoneOffset.UTC), maxRows);
    }

    static Instant era(int daysAgo) {
        return Instant.now().minus(Duration.ofDays(daysAgo)).truncatedTo(ChronoUnit.SECONDS);
    }

    @Test
    @SuppressWarnings("unchecked")
    void oneBadRowIsIsolatedCountedAndRetriedLaterWhileTheRunGoesOn() {
        Instant t0 = era(400);
        String ghost = UUID.randomUUID().toString();
        String orphan = pending(ghost, 20000, t0);
        String user = user(0);
        String paid = pending(user, 20000, t0.plusSeconds(1));
        vnpay.orders.put(orphan, new VnpayFake.Known("00", "00", 2_000_000));
        vnpay.orders.put(paid, new VnpayFake.Known("00", "00", 2_000_000));

        Map<String, Object>[] result = new Map[1];
        String out = Emf.stdout(
                () -> result[0] = at(t0.plus(Duration.ofMinutes(20)), 50).reconcile(() -> Long.MAX_VALUE));
        assertEquals(1, result[0].get("succeeded"), result[0]::toString);
        assertEquals(1, result[0].get("errors"), result[0]::toString);
        assertEquals(
                PaymentRecord.SUCCEEDED,
                payments.get(paid).orElseThrow().status(),
                "the row after the bad one is settled");
        assertEquals(10, users.get(user).orElseThrow().credits());
        PaymentRecord bad = payments.get(orphan).orElseThrow();
        assertEquals(PaymentRecord.PENDING, bad.status(), "no profile to credit: left for a later run");
        assertEquals(1, bad.attempts());
        assertTrue(
                bad.nextAttemptAt().compareTo(Times.iso(t0.plus(Duration.ofMinutes(20)))) > 0,
                "backed off: " + bad.nextAttemptAt());
        assertEquals(1, Emf.emf(out, "ReconcileFailures").size(), out);
    }

    @Test
    void failingRowsBackOffBehindNewerRowsInsteadOfStarvingThem() {
        Instant t0 = era(410);
        String ghost = UUID.randomUUID().toString();
        String bad1 = pending(ghost, 20000, t0);
        String bad2 = pending(ghost, 20000, t0.plusSeconds(1));
        String user = user(0);
        String good = pending(user, 20000, t0.plusSeconds(2));
        for (String id : List.of(bad1, bad2, good)) {
            vnpay.orders.put(id, new VnpayFake.Known("00", "00", 2_000_000));
        }
        Instant now = t0.plus(Duration.ofMinutes(20));
        var first = at(now, 2).reconcile(() -> Long.MAX_VALUE);
        assertEquals(2, first.get("errors"), first::toString);
        assertEquals(
                PaymentRecord.PENDING, payments.get(good).orElseThrow().status(), "not reached in a run of two rows");
        var second = at(now.plusSeconds(30), 2).reconcile(() -> Long.MAX_VALUE);
        assertEquals(1, second.get("succeeded"), second::toString);
        assertEquals(
                PaymentRecord.SUCCEEDED,
                payments.get(good).orElseThrow().status(),
                "the failing rows wait their backoff");
        assertEquals(10, users.get(user).orElseThrow().credits());
    }

    @Test
    void aRunStopsTakingRowsWhenTheInvocationRunsLowOnTime() {
        Instant t0 = era(420);
        String user = user(0);
        String a = pending(user, 20000, t0);
        String b = pending(user, 20000, t0.plusSeconds(1));
        vnpay.orders.put(a, new VnpayFake.Known("00", "00", 2_000_000));
        vnpay.orders.put(b, new VnpayFake.Known("00", "00", 2_000_000));
        AtomicInteger asked = new AtomicInteger();
        // 60 s left for the first row, then 9 s: less than one querydr (8 s call timeout) plus the margin.
        var r = at(t0.plus(Duration.ofMinutes(20)), 50).reconcile(() -> asked.incrementAndGet() == 1 ? 60_000 : 9_000);
        assertEquals(1, r.get("succeeded"), r::toString);
        assertEquals(true, r.get("stoppedEarly"));
        assertEquals(PaymentRecord.SUCCEEDED, payments.get(a).orElseThrow().status());
        assertEquals(PaymentRecord.PENDING, payments.get(b).orElseThrow().status(), "left for the next run");

        var next = at(t0.plus(Duration.ofMinutes(21)), 50)
                .handleRequest(Map.of(), new SyntheticContext("reconcile", Duration.ofSeconds(9)));
        assertEquals(true, next.get("stoppedEarly"), "a Lambda context with 9 s left takes no row");
        assertEquals(PaymentRecord.PENDING, payments.get(b).orElseThrow().status());
    }

    @Test
    void lateMoneyIsCreditedOnceAndHeldStatusesAreNeverTerminal() {
        Instant t0 = era(430);
        String user = user(0);
        String late = pending(user, 20000, t0);
        String held = pending(user, 20000, t0.plusSeconds(1));
        String failed = pending(user, 20000, t0.plusSeconds(2));
        vnpay.orders.put(late, new VnpayFake.Known("00", "01", 2_000_000));
        vnpay.orders.put(held, new VnpayFake.Known("00", "05", 2_000_000));
        vnpay.orders.put(failed, new VnpayFake.Known("00", "02", 2_000_000));
        Instant now = t0.plus(Duration.ofMinutes(20));
        at(now, 50).reconcile(() -> Long.MAX_VALUE);
        assertEquals(PaymentRecord.EXPIRED, payments.get(late).orElseThrow().status());
        assertEquals(
                PaymentRecord.PENDING,
                payments.get(held).orElseThrow().status(),
                "05 (refund in progress) is not final");
        assertEquals(PaymentRecord.FAILED, payments.get(failed).orElseThrow().status(), "02 is a final failure");

        // Hours later (inside PAYMENT_LATE_RECONCILE_HOURS) VNPAY reports both paid: each is credited once.
        vnpay.orders.put(late, new VnpayFake.Known("00", "00", 2_000_000));
        vnpay.orders.put(held, new VnpayFake.Known("00", "00", 2_000_000));
        Instant later = now.plus(Duration.ofHours(5));
        CompletableFuture.allOf(
                        CompletableFuture.runAsync(() -> at(later, 50).reconcile(() -> Long.MAX_VALUE)),
                        CompletableFuture.runAsync(() -> at(later, 50).reconcile(() -> Long.MAX_VALUE)))
                .join();
        at(later.plus(Duration.ofHours(3)), 50).reconcile(() -> Long.MAX_VALUE);
        assertEquals(
                PaymentRecord.SUCCEEDED, payments.get(late).orElseThrow().status(), "paid after the window: credited");
        assertEquals(PaymentRecord.SUCCEEDED, payments.get(held).orElseThrow().status());
        assertEquals(20, users.get(user).orElseThrow().credits(), "two purchases, each credited once");
        assertEquals(20, credits.ledgerSum(emu.dynamo(), user));
    }

    @Test
    void atTheDeadlineHeldMoneyGoesToReviewAndNothingPaidStopsBeingChecked() {
        Instant t0 = era(440);
        String user = user(0);
        String held = pending(user, 20000, t0);
        String never = pending(user, 20000, t0.plusSeconds(1));
        vnpay.orders.put(held, new VnpayFake.Known("00", "07", 2_000_000));
        at(t0.plus(Duration.ofMinutes(20)), 50).reconcile(() -> Long.MAX_VALUE);
        assertEquals(PaymentRecord.PENDING, payments.get(held).orElseThrow().status());
        assertEquals(PaymentRecord.EXPIRED, payments.get(never).orElseThrow().status());

        String out = Emf.stdout(() -> at(t0.plus(Duration.ofHours(25)), 50).reconcile(() -> Long.MAX_VALUE));
        PaymentRecord review = payments.get(held).orElseThrow();
        assertEquals(PaymentRecord.REVIEW, review.status());
        assertTrue(review.reviewReason().contains("07"), review.reviewReason());
        assertEquals(1, Emf.emf(out, "PaymentsForReview").size(), out);
        assertEquals(PaymentRecord.EXPIRED, payments.get(never).orElseThrow().status());
        var again = at(t0.plus(Duration.ofHours(30)), 50).reconcile(() -> Long.MAX_VALUE);
        assertEquals(0, again.get("expired"), "an EXPIRED row past its late window is no longer checked: " + again);

        PaymentHandler api = new PaymentHandler(emu.functionConfig("PaymentFunction", VnpayFake.config(vnpay.url())));
        Events.Response list =
                Events.call("payment-transactions").as(user, "r@example.com").invoke(api);
        List<String> statuses = new ArrayList<>();
        list.json()
                .get("items")
                .forEach(i -> statuses.add(
                        i.get("transactionId").asText() + "=" + i.get("status").asText()));
        assertTrue(statuses.contains(held + "=REVIEW"), statuses::toString);
    }
}
