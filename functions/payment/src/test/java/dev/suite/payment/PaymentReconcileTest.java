package dev.suite.payment;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.suite.emulators.Emulators;
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
import dev.suite.testkit.Events;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
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
        payments.create(new PaymentRecord(id, userId, "starter", 10, amountVnd, PaymentRecord.PENDING, Times.iso(created),
                Times.iso(created.plus(Duration.ofMinutes(15))), Vnpay.date(created), "Mua goi starter don " + id, "203.0.113.10",
                null, null, null, null));
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
        assertEquals(PaymentRecord.EXPIRED, payments.get(abandoned).orElseThrow().status());
        assertEquals(PaymentRecord.PENDING, payments.get(wrongAmount).orElseThrow().status(), "an amount mismatch is never credited");
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
}
