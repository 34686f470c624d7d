package dev.suite.payment;

import static dev.suite.testkit.Assertions.assertError;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.suite.emulators.Emulators;
import dev.suite.payment.api.PaymentHandler;
import dev.suite.payment.domain.PaymentRecord;
import dev.suite.payment.domain.PaymentService;
import dev.suite.payment.provider.Vnpay;
import dev.suite.payment.store.Payments;
import dev.suite.shared.Config;
import dev.suite.shared.Http;
import dev.suite.shared.auth.Caller;
import dev.suite.shared.auth.Role;
import dev.suite.shared.data.Credits;
import dev.suite.shared.data.Users;
import dev.suite.testkit.Emf;
import dev.suite.testkit.Events;
import dev.suite.testkit.Events.Response;
import java.net.URI;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import okhttp3.mockwebserver.MockResponse;
import okhttp3.mockwebserver.MockWebServer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** Payment routes against DynamoDB Local and MockWebServer as VNPAY's querydr. */
class PaymentHandlerTest {
    static Emulators emu;
    static VnpayFake vnpayFake;
    static Config config;
    static PaymentHandler handler;
    static Users users;
    static Credits credits;
    static Payments payments;
    static final Vnpay SIGNER = new Vnpay(
            () -> VnpayFake.TMN,
            () -> VnpayFake.SECRET,
            "x",
            "x",
            Http.client(new Config(Map.of()), "VNPAY", 3_000, 8_000, 8_000));

    @BeforeAll
    static void start() throws Exception {
        emu = Emulators.shared();
        vnpayFake = new VnpayFake();
        config = emu.functionConfig("PaymentFunction", VnpayFake.config(vnpayFake.url()));
        handler = new PaymentHandler(config);
        users = Users.from(emu.dynamo(), config);
        credits = Credits.from(config);
        payments = Payments.from(emu.dynamo(), config);
    }

    @AfterAll
    static void stop() throws Exception {
        vnpayFake.close();
    }

    static String newUser() {
        String id = UUID.randomUUID().toString();
        users.create(id, id.substring(0, 8) + "@example.com", "U", "User", 5, Instant.now());
        return id;
    }

    static String buy(String userId, String packageId) {
        Response r = Events.call("payment-pay-vnpay")
                .as(userId, "u@example.com")
                .body(Map.of("packageId", packageId))
                .invoke(handler);
        assertEquals(201, r.status(), r::toString);
        return r.text("transactionId");
    }

    /** The parameters VNPAY would send for an order, signed with the merchant secret. */
    static Map<String, String> vnpayParams(String txnRef, long amountVnd, String responseCode, String status) {
        Map<String, String> p = new LinkedHashMap<>();
        p.put("vnp_Amount", Long.toString(amountVnd * 100));
        p.put("vnp_BankCode", "NCB");
        p.put("vnp_BankTranNo", "VNP14226112");
        p.put("vnp_CardType", "ATM");
        p.put("vnp_OrderInfo", "Mua goi starter 10 credits don " + txnRef);
        p.put("vnp_PayDate", "20261123170512");
        p.put("vnp_ResponseCode", responseCode);
        p.put("vnp_TmnCode", VnpayFake.TMN);
        p.put("vnp_TransactionNo", "14226112");
        p.put("vnp_TransactionStatus", status);
        p.put("vnp_TxnRef", txnRef);
        p.put("vnp_SecureHash", SIGNER.sign(p));
        return p;
    }

    static JsonNode ipn(Map<String, String> params) {
        Events.Call c = Events.call("payment-vnpay-ipn");
        c.event().setQueryStringParameters(new LinkedHashMap<>(params));
        Response r = c.invoke(handler);
        assertEquals(200, r.status(), "the IPN always answers HTTP 200: " + r);
        return r.json();
    }

    static void assertIpn(JsonNode answer, String code) {
        assertEquals(code, answer.get("RspCode").asText(), answer::toString);
        assertNotNull(answer.get("Message").asText());
    }

    static long balance(String userId) {
        return users.get(userId).orElseThrow().credits();
    }

    @Test
    void packagesComeFromConfiguration() {
        Response r = Events.call("payment-packages").invoke(handler);
        assertEquals(200, r.status());
        JsonNode first = r.json().get("packages").get(0);
        assertEquals("starter", first.get("id").asText());
        assertEquals(10, first.get("credits").asInt());
        assertEquals(20000, first.get("amountVnd").asInt());
        assertError(Events.call("payment-packages").anonymous().invoke(handler), 401, "UNAUTHORIZED");
    }

    @Test
    void thePaymentUrlCarriesEverySignedFieldInVietnamTime() throws Exception {
        String user = newUser();
        Clock fixed = Clock.fixed(Instant.parse("2026-11-23T10:00:00Z"), ZoneOffset.UTC);
        PaymentService service =
                PaymentHandler.service(config.with(Map.of("CREDIT_PACKAGES", "starter:10:20000")), emu.dynamo(), fixed);
        var out = service.create(
                        new Caller(user, "u@example.com", Role.User, List.of()),
                        "starter",
                        "NCB",
                        "en",
                        "203.0.113.10",
                        null)
                .payment();
        assertEquals("2026-11-23T10:15:00.000Z", out.expiresAt());
        String url = out.paymentUrl();
        Map<String, String> q = new LinkedHashMap<>();
        for (String pair : URI.create(url).getRawQuery().split("&")) {
            String[] kv = pair.split("=", 2);
            q.put(kv[0], URLDecoder.decode(kv[1], StandardCharsets.US_ASCII));
        }
        assertEquals("2.1.0", q.get("vnp_Version"));
        assertEquals("pay", q.get("vnp_Command"));
        assertEquals("DEMOTMN1", q.get("vnp_TmnCode"));
        assertEquals("2000000", q.get("vnp_Amount"));
        assertEquals("VND", q.get("vnp_CurrCode"));
        assertEquals(out.transactionId(), q.get("vnp_TxnRef"));
        assertTrue(q.get("vnp_OrderInfo").matches("[A-Za-z0-9 ]+"), q.get("vnp_OrderInfo"));
        assertEquals("other", q.get("vnp_OrderType"));
        assertEquals("en", q.get("vnp_Locale"));
        assertEquals("http://localhost:3000/payment/vnpay-return", q.get("vnp_ReturnUrl"));
        assertEquals("203.0.113.10", q.get("vnp_IpAddr"));
        assertEquals("NCB", q.get("vnp_BankCode"));
        assertEquals("20261123170000", q.get("vnp_CreateDate"), "GMT+7");
        assertEquals("20261123171500", q.get("vnp_ExpireDate"));
        assertTrue(!q.containsKey("vnp_SecureHashType"));
        assertTrue(SIGNER.verify(q), "the URL's hash verifies");
        assertEquals(
                PaymentRecord.PENDING,
                payments.get(q.get("vnp_TxnRef")).orElseThrow().status());
    }

    @Test
    void payValidatesItsInput() {
        String user = newUser();
        for (Map<String, Object> bad : List.<Map<String, Object>>of(
                Map.of("packageId", "gold"),
                Map.of("packageId", "starter", "locale", "fr"),
                Map.of("packageId", "starter", "bankCode", "n c b"),
                Map.of(),
                Map.of("packageId", 5))) {
            assertError(
                    Events.call("payment-pay-vnpay")
                            .as(user, "u@example.com")
                            .body(bad)
                            .invoke(handler),
                    400,
                    "VALIDATION_FAILED");
        }
        Response r = Events.call("payment-pay-vnpay")
                .as(user, "u@example.com")
                .body(Map.of("packageId", "starter"))
                .invoke(handler);
        assertEquals(201, r.status());
        assertTrue(
                r.text("paymentUrl").contains("vnp_IpAddr=203.0.113.10"),
                "the caller's address from the request context");
    }

    @Test
    void ipnCreditsOnceAndAnswersEveryCase() {
        String user = newUser();
        String txn = buy(user, "starter");
        Map<String, String> good = vnpayParams(txn, 20000, "00", "00");

        Map<String, String> tamperedAmount = new LinkedHashMap<>(good);
        tamperedAmount.put("vnp_Amount", "9900000");
        assertIpn(ipn(tamperedAmount), "97");
        Map<String, String> tamperedRef = new LinkedHashMap<>(good);
        tamperedRef.put("vnp_TxnRef", buy(user, "starter"));
        assertIpn(ipn(tamperedRef), "97");
        Map<String, String> dropped = new LinkedHashMap<>(good);
        dropped.remove("vnp_PayDate");
        assertIpn(ipn(dropped), "97");
        Map<String, String> unsigned = new LinkedHashMap<>(good);
        unsigned.remove("vnp_SecureHash");
        assertIpn(ipn(unsigned), "97");
        assertIpn(ipn(vnpayParams("01NOSUCHORDER0000000000000", 20000, "00", "00")), "01");
        assertIpn(ipn(vnpayParams(txn, 30000, "00", "00")), "04");
        assertEquals(5, balance(user), "nothing credited so far");

        assertIpn(ipn(good), "00");
        assertEquals(15, balance(user));
        PaymentRecord settled = payments.get(txn).orElseThrow();
        assertEquals(PaymentRecord.SUCCEEDED, settled.status());
        assertEquals("14226112", settled.vnpTransactionNo());
        assertEquals("NCB", settled.bankCode());
        assertEquals("20261123170512", settled.payDate());
        assertIpn(ipn(good), "02");
        assertEquals(15, balance(user));
        assertEquals(balance(user), credits.ledgerSum(emu.dynamo(), user));
    }

    @Test
    void aCancelledPaymentIsFailedAndConfirmed() {
        String user = newUser();
        String txn = buy(user, "starter");
        assertIpn(ipn(vnpayParams(txn, 20000, "24", "02")), "00");
        PaymentRecord p = payments.get(txn).orElseThrow();
        assertEquals(PaymentRecord.FAILED, p.status());
        assertEquals("24", p.responseCode());
        assertIpn(ipn(vnpayParams(txn, 20000, "00", "00")), "02");
        assertEquals(5, balance(user));
    }

    @Test
    void creditsBoughtAndFailedPaymentsAreEmfMetrics() {
        String user = newUser();
        String paid = buy(user, "pro");
        String cancelled = buy(user, "starter");
        String out = Emf.stdout(() -> {
            assertIpn(ipn(vnpayParams(paid, 200000, "00", "00")), "00");
            assertIpn(ipn(vnpayParams(cancelled, 20000, "24", "02")), "00");
        });
        var bought = Emf.emf(out, "CreditsBought");
        assertEquals(1, bought.size(), out);
        assertEquals(120, bought.get(0).get("CreditsBought").asInt());
        assertEquals(1, Emf.emf(out, "PaymentsFailed").size(), out);
    }

    @Test
    void fiftyConcurrentCopiesOfOneIpnCreditExactlyOnce() throws Exception {
        String user = newUser();
        String txn = buy(user, "standard");
        Map<String, String> good = vnpayParams(txn, 90000, "00", "00");
        ExecutorService pool = Executors.newFixedThreadPool(16);
        List<Future<JsonNode>> answers = new ArrayList<>();
        for (int i = 0; i < 50; i++) {
            answers.add(pool.submit((Callable<JsonNode>) () -> ipn(good)));
        }
        int confirmed = 0;
        int already = 0;
        for (Future<JsonNode> f : answers) {
            String code = f.get().get("RspCode").asText();
            if (code.equals("00")) {
                confirmed++;
            } else {
                assertEquals("02", code);
                already++;
            }
        }
        pool.shutdown();
        assertEquals(1, confirmed);
        assertEquals(49, already);
        assertEquals(55, balance(user));
        assertEquals(55, credits.ledgerSum(emu.dynamo(), user));
        assertEquals(
                1,
                credits.latest(emu.dynamo(), user, 10).stream()
                        .filter(e -> e.reason().equals("purchase"))
                        .count());
    }

    static Response returned(Map<String, String> params) {
        Events.Call c = Events.call("payment-vnpay-return");
        c.event().setQueryStringParameters(new LinkedHashMap<>(params));
        return c.invoke(handler);
    }

    @Test
    void theReturnPageNeverCreditsOnItsOwnWordAndSettlesThroughQuerydrOnce() {
        String user = newUser();
        String txn = buy(user, "starter");
        // VNPAY has no record of a payment: a success return alone credits nothing.
        Response r = returned(vnpayParams(txn, 20000, "00", "00"));
        assertEquals(200, r.status(), r::toString);
        assertEquals(PaymentRecord.PENDING, r.text("status"));
        assertEquals(5, balance(user));

        vnpayFake.orders.put(txn, new VnpayFake.Known("00", "00", 2_000_000));
        Response settled = returned(vnpayParams(txn, 20000, "00", "00"));
        assertEquals(PaymentRecord.SUCCEEDED, settled.text("status"));
        assertEquals(15, balance(user));
        Response reload = returned(vnpayParams(txn, 20000, "00", "00"));
        assertEquals(PaymentRecord.SUCCEEDED, reload.text("status"));
        assertIpn(ipn(vnpayParams(txn, 20000, "00", "00")), "02");
        assertEquals(15, balance(user), "return, reload and the late IPN credited once");
        assertEquals(15, credits.ledgerSum(emu.dynamo(), user));

        Map<String, String> forged = vnpayParams(txn, 20000, "00", "00");
        forged.put("vnp_Amount", "1");
        assertError(returned(forged), 400, "INVALID_SIGNATURE");
    }

    @Test
    void aVnpayTimeoutLeavesThePaymentPendingAndCreditsNothing() throws Exception {
        try (MockWebServer slow = new MockWebServer()) {
            slow.enqueue(new MockResponse().setHeadersDelay(5, TimeUnit.SECONDS).setBody("{}"));
            slow.start();
            PaymentHandler h = new PaymentHandler(
                    config.with(Map.of("VNPAY_API_URL", slow.url("/api").toString(), "VNPAY_CALL_TIMEOUT_MS", "500")));
            String user = newUser();
            Response order = Events.call("payment-pay-vnpay")
                    .as(user, "u@example.com")
                    .body(Map.of("packageId", "starter"))
                    .invoke(h);
            String txn = order.text("transactionId");
            Events.Call c = Events.call("payment-vnpay-return");
            c.event().setQueryStringParameters(new LinkedHashMap<>(vnpayParams(txn, 20000, "00", "00")));
            long started = System.nanoTime();
            Response r = c.invoke(h);
            assertEquals(200, r.status(), r::toString);
            assertEquals(
                    PaymentRecord.PENDING,
                    r.text("status"),
                    "VNPAY did not answer: nothing is settled on the return's word");
            assertTrue((System.nanoTime() - started) / 1_000_000 < 3000, "the timeout holds");
            assertEquals(5, balance(user));
        }
    }

    @Test
    void aQuerydrAnswerWithABadSignatureCreditsNothing() {
        String user = newUser();
        String txn = buy(user, "starter");
        vnpayFake.orders.put(txn, new VnpayFake.Known("00", "00", 2_000_000));
        vnpayFake.badSignatures = true;
        try {
            assertEquals(
                    PaymentRecord.PENDING,
                    returned(vnpayParams(txn, 20000, "00", "00")).text("status"));
            assertEquals(5, balance(user));
        } finally {
            vnpayFake.badSignatures = false;
        }
    }

    @Test
    void transactionsAreOwnOnlyNewestFirstAndPaged() {
        String user = newUser();
        String a = buy(user, "starter");
        String b = buy(user, "pro");
        Response page = Events.call("payment-transactions")
                .as(user, "u@example.com")
                .query("limit", "1")
                .invoke(handler);
        assertEquals(200, page.status());
        assertEquals(b, page.json().get("items").get(0).get("transactionId").asText());
        Response next = Events.call("payment-transactions")
                .as(user, "u@example.com")
                .query("limit", "1")
                .query("cursor", page.text("nextCursor"))
                .invoke(handler);
        assertEquals(a, next.json().get("items").get(0).get("transactionId").asText());
        Response one = Events.call("payment-transaction-get")
                .as(user, "u@example.com")
                .pathParam("transactionId", a)
                .invoke(handler);
        assertEquals(200, one.status());
        assertEquals("starter", one.text("packageId"));
        assertEquals(20000, one.json().get("amountVnd").asInt());
        String other = newUser();
        assertError(
                Events.call("payment-transaction-get")
                        .as(other, "o@example.com")
                        .pathParam("transactionId", a)
                        .invoke(handler),
                404,
                "NOT_FOUND");
        assertEquals(
                0,
                Events.call("payment-transactions")
                        .as(other, "o@example.com")
                        .invoke(handler)
                        .json()
                        .get("items")
                        .size());
    }

    static Response pay(String userId, String email, String key, Object body) {
        Events.Call c = Events.call("payment-pay-vnpay").as(userId, email).body(body);
        if (key != null) {
            c.header("Idempotency-Key", key);
        }
        return c.invoke(handler);
    }

    static int rows(String userId) {
        return Events.call("payment-transactions")
                .as(userId, "u@example.com")
                .query("limit", "50")
                .invoke(handler)
                .json()
                .get("items")
                .size();
    }

    @Test
    void twentyConcurrentRequestsWithOneIdempotencyKeyMakeOnePayment() throws Exception {
        String user = newUser();
        String key = UUID.randomUUID().toString();
        ExecutorService pool = Executors.newFixedThreadPool(20);
        List<Future<Response>> answers = new ArrayList<>();
        for (int i = 0; i < 20; i++) {
            answers.add(pool.submit(() -> pay(user, "u@example.com", key, Map.of("packageId", "starter"))));
        }
        Set<String> ids = new HashSet<>();
        Set<String> urls = new HashSet<>();
        int created = 0;
        for (Future<Response> f : answers) {
            Response r = f.get();
            assertTrue(r.status() == 201 || r.status() == 200, r::toString);
            created += r.status() == 201 ? 1 : 0;
            ids.add(r.text("transactionId"));
            urls.add(r.text("paymentUrl"));
        }
        pool.shutdown();
        assertEquals(1, created, "one call created the payment; the others got it again");
        assertEquals(1, ids.size(), ids::toString);
        assertEquals(1, urls.size());
        assertEquals(1, rows(user), "one PENDING row");

        Response again = pay(user, "u@example.com", key, Map.of("packageId", "starter"));
        assertEquals(200, again.status());
        assertEquals(ids.iterator().next(), again.text("transactionId"));
        assertError(pay(user, "u@example.com", key, Map.of("packageId", "pro")), 409, "IDEMPOTENCY_KEY_REUSED");
        assertEquals(
                201,
                pay(user, "u@example.com", UUID.randomUUID().toString(), Map.of("packageId", "starter"))
                        .status());
        assertEquals(
                201,
                pay(newUser(), "o@example.com", key, Map.of("packageId", "starter"))
                        .status(),
                "keys are per user");
        assertError(
                pay(user, "u@example.com", "no spaces allowed", Map.of("packageId", "starter")),
                400,
                "VALIDATION_FAILED");
        assertEquals(2, rows(user));
    }

    @Test
    void aConfirmedUserWithoutProfileGetsOneOnFirstPaymentOrAClear404() throws Exception {
        String noEmail = UUID.randomUUID().toString();
        assertError(pay(noEmail, null, null, Map.of("packageId", "starter")), 404, "PROFILE_NOT_FOUND");
        assertEquals(0, rows(noEmail), "nothing written");

        // PostConfirmation failed for this user: ten concurrent first calls create one profile, one ledger entry.
        String user = UUID.randomUUID().toString();
        ExecutorService pool = Executors.newFixedThreadPool(10);
        List<Future<Response>> answers = new ArrayList<>();
        for (int i = 0; i < 10; i++) {
            answers.add(pool.submit(() -> pay(user, "Late@Example.com", null, Map.of("packageId", "starter"))));
        }
        for (Future<Response> f : answers) {
            assertEquals(201, f.get().status(), () -> f.toString());
        }
        pool.shutdown();
        var profile = users.get(user).orElseThrow();
        assertEquals("User", profile.role());
        assertEquals("late@example.com", profile.email());
        assertEquals(5, profile.credits(), "STARTING_CREDITS");
        assertEquals(1, credits.latest(emu.dynamo(), user, 10).size(), "one ledger entry of the starting credits");
        assertEquals(5, credits.ledgerSum(emu.dynamo(), user));

        // and the payment credits that profile once
        String txn = buy(user, "starter");
        assertIpn(ipn(vnpayParams(txn, 20000, "00", "00")), "00");
        assertEquals(15, balance(user));
    }

    @Test
    void heldOrUnfinishedIpnStatusesLeaveThePaymentOpenForALaterSuccess() {
        String user = newUser();
        String txn = buy(user, "starter");
        for (String held : List.of("01", "04", "05", "06", "07", "09")) {
            assertIpn(ipn(vnpayParams(txn, 20000, held.equals("07") ? "07" : "00", held)), "00");
            PaymentRecord p = payments.get(txn).orElseThrow();
            assertEquals(PaymentRecord.PENDING, p.status(), "status " + held + " is not final");
            assertEquals(held, p.lastStatus());
        }
        assertIpn(ipn(vnpayParams(txn, 20000, "00", "00")), "00");
        assertEquals(PaymentRecord.SUCCEEDED, payments.get(txn).orElseThrow().status());
        assertEquals(15, balance(user));
    }

    @Test
    void responsesKeepTheirDocumentedShape() {
        String user = newUser();
        Response created = pay(user, "u@example.com", null, Map.of("packageId", "starter"));
        assertEquals(List.of("transactionId", "paymentUrl", "expiresAt"), fields(created.json()));
        String txn = created.text("transactionId");
        Response one = Events.call("payment-transaction-get")
                .as(user, "u@example.com")
                .pathParam("transactionId", txn)
                .invoke(handler);
        assertEquals(
                List.of(
                        "transactionId",
                        "packageId",
                        "credits",
                        "amountVnd",
                        "status",
                        "createdAt",
                        "expiresAt",
                        "responseCode",
                        "vnpTransactionNo",
                        "bankCode",
                        "payDate"),
                fields(one.json()));
        assertTrue(one.json().get("responseCode").isNull(), "null fields are written, not left out");
        assertEquals(List.of("RspCode", "Message"), fields(ipn(vnpayParams(txn, 20000, "00", "00"))));
        assertEquals(
                List.of("transactionId", "status", "credits", "responseCode"),
                fields(returned(vnpayParams(txn, 20000, "00", "00")).json()));
        assertEquals(
                List.of("packages"),
                fields(Events.call("payment-packages").invoke(handler).json()));
    }

    static List<String> fields(JsonNode n) {
        List<String> out = new ArrayList<>();
        n.fieldNames().forEachRemaining(out::add);
        return out;
    }
}
