package dev.suite.gym;

import static dev.suite.gym.GymHandlerTest.CONFIG;
import static dev.suite.gym.GymHandlerTest.DOOR;
import static dev.suite.gym.GymHandlerTest.HANDLER;
import static dev.suite.gym.GymHandlerTest.STRIPE;
import static dev.suite.gym.GymHandlerTest.WEBHOOK_SECRET;
import static dev.suite.gym.GymHandlerTest.call;
import static dev.suite.gym.GymHandlerTest.run;
import static dev.suite.gym.GymHandlerTest.who;
import static dev.suite.testkit.Assertions.assertError;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.stripe.net.Webhook;
import dev.suite.gym.GymHandlerTest.Who;
import dev.suite.gym.provider.StripeSignature;
import dev.suite.gym.store.PurchaseStore;
import dev.suite.shared.Json;
import dev.suite.testkit.Events;
import dev.suite.testkit.Events.Response;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import okhttp3.mockwebserver.MockResponse;
import okhttp3.mockwebserver.RecordedRequest;
import org.junit.jupiter.api.Test;

/** Stripe Checkout through MockWebServer and the signed webhook: once per session, however it is delivered. */
class GymStripeTest {
    static final PurchaseStore PURCHASES = PurchaseStore.from(GymHandlerTest.EMU.dynamo(), CONFIG);

    static String plan(int days, long amount) {
        Response r = run(call("gym-create-plan", who("Admin")).body(Map.of("name", days + " days", "days", days, "amount", amount, "currency", "VND")));
        assertEquals(201, r.status(), r::toString);
        return r.text("planId");
    }

    /** A checkout through the mock Stripe; the session id it answered. */
    static synchronized String checkout(Who buyer, String planId) throws Exception {
        String sessionId = "cs_test_" + UUID.randomUUID().toString().replace("-", "");
        STRIPE.enqueue(new MockResponse().setResponseCode(200).setHeader("Content-Type", "application/json")
                .setBody(Json.write(Map.of("id", sessionId, "object", "checkout.session", "url", "https://checkout.stripe.com/c/pay/" + sessionId,
                        "expires_at", Instant.now().plus(1, ChronoUnit.DAYS).getEpochSecond()))));
        Response r = run(call("gym-checkout-session", buyer).body(Map.of("planId", planId)));
        assertEquals(201, r.status(), r::toString);
        assertEquals(sessionId, r.text("sessionId"));
        STRIPE.takeRequest(5, TimeUnit.SECONDS);
        return sessionId;
    }

    static String event(String eventId, String type, String sessionId, String paymentStatus, long amount) {
        Map<String, Object> session = new LinkedHashMap<>();
        session.put("id", sessionId);
        session.put("object", "checkout.session");
        session.put("payment_status", paymentStatus);
        session.put("amount_total", amount);
        session.put("currency", "vnd");
        return Json.write(Map.of("id", eventId, "object", "event", "type", type, "data", Map.of("object", session)));
    }

    static Response deliver(String payload, String signature) {
        return Events.call("gym-stripe-webhook").body(payload).header("Stripe-Signature", signature).invoke(HANDLER);
    }

    static Response deliver(String payload) {
        return deliver(payload, StripeSignature.header(payload.getBytes(StandardCharsets.UTF_8), WEBHOOK_SECRET, Instant.now().getEpochSecond()));
    }

    static Instant expiry(Who who) {
        return DOOR.membership(who.id()).expiresAt();
    }

    static Map<String, String> form(RecordedRequest r) {
        Map<String, String> out = new HashMap<>();
        for (String pair : r.getBody().readUtf8().split("&")) {
            String[] kv = pair.split("=", 2);
            out.put(URLDecoder.decode(kv[0], StandardCharsets.UTF_8), URLDecoder.decode(kv[1], StandardCharsets.UTF_8));
        }
        return out;
    }

    @Test
    void checkoutCreatesASessionAtTheServersPrice() throws Exception {
        Who buyer = who("User");
        String planId = plan(30, 500_000);
        STRIPE.enqueue(new MockResponse().setResponseCode(200).setBody("{\"id\":\"cs_test_one\",\"url\":\"https://checkout.stripe.com/c/pay/cs_test_one\","
                + "\"expires_at\":1895428000}"));
        Response r = run(call("gym-checkout-session", buyer).body(Map.of("planId", planId)));
        assertEquals(201, r.status(), r::toString);
        assertEquals("https://checkout.stripe.com/c/pay/cs_test_one", r.text("checkoutUrl"));
        assertEquals(Instant.ofEpochSecond(1895428000).toString(), r.text("expiresAt"));
        RecordedRequest sent = STRIPE.takeRequest(5, TimeUnit.SECONDS);
        assertEquals("POST", sent.getMethod());
        assertEquals("/v1/checkout/sessions", sent.getPath());
        assertEquals("Bearer sk_test_gym", sent.getHeader("Authorization"));
        assertNotNull(sent.getHeader("Idempotency-Key"));
        assertTrue(sent.getHeader("Content-Type").startsWith("application/x-www-form-urlencoded"));
        Map<String, String> f = form(sent);
        assertEquals("payment", f.get("mode"));
        assertEquals("500000", f.get("line_items[0][price_data][unit_amount]"));
        assertEquals("vnd", f.get("line_items[0][price_data][currency]"));
        assertEquals("1", f.get("line_items[0][quantity]"));
        assertEquals(buyer.id(), f.get("client_reference_id"));
        assertEquals(buyer.id(), f.get("metadata[userId]"));
        assertEquals(planId, f.get("metadata[planId]"));
        assertEquals(CONFIG.require("STRIPE_SUCCESS_URL"), f.get("success_url"));
        JsonNode mine = run(call("gym-my-purchases", buyer)).json().get("items");
        assertEquals(1, mine.size());
        assertEquals("PENDING", mine.get(0).get("status").asText());
        assertEquals(500_000, mine.get(0).get("amount").asLong());

        assertError(run(call("gym-checkout-session", buyer).body(Map.of("planId", planId, "amount", 1))), 400, "UNKNOWN_FIELD");
        assertError(run(call("gym-checkout-session", buyer).body(Map.of("planId", "no-such-plan"))), 404, "NOT_FOUND");
        STRIPE.enqueue(new MockResponse().setResponseCode(401));
        assertError(run(call("gym-checkout-session", buyer).body(Map.of("planId", planId))), 502, "PROVIDER_AUTH_FAILED");
        STRIPE.enqueue(new MockResponse().setResponseCode(500));
        assertError(run(call("gym-checkout-session", buyer).body(Map.of("planId", planId))), 502, "PROVIDER_ERROR");
        STRIPE.enqueue(new MockResponse().setResponseCode(429));
        assertError(run(call("gym-checkout-session", buyer).body(Map.of("planId", planId))), 429, "PROVIDER_RATE_LIMITED");
        STRIPE.enqueue(new MockResponse().setResponseCode(200).setBody("not json"));
        assertError(run(call("gym-checkout-session", buyer).body(Map.of("planId", planId))), 502, "PROVIDER_ERROR");
        for (int i = 0; i < 4; i++) {
            STRIPE.takeRequest(5, TimeUnit.SECONDS);
        }
        assertEquals(200, run(call("gym-update-plan", who("Admin")).pathParam("planId", planId).body(Map.of("active", false))).status());
        assertError(run(call("gym-checkout-session", buyer).body(Map.of("planId", planId))), 409, "PLAN_INACTIVE");
        assertEquals(1, run(call("gym-my-purchases", buyer)).json().get("items").size(), "failed checkouts left no purchase");
    }

    @Test
    void aPaidSessionExtendsTheMembershipOnceHoweverItIsDelivered() throws Exception {
        Who buyer = who("User");
        String planId = plan(30, 500_000);
        String session = checkout(buyer, planId);
        Response unpaid = deliver(event("evt_unpaid_" + session, "checkout.session.completed", session, "unpaid", 500_000));
        assertEquals("awaiting-payment", unpaid.text("result"), unpaid::toString);
        assertEquals("NONE", run(call("gym-my-membership", buyer)).text("status"));
        Instant before = Instant.now();
        Response paid = deliver(event("evt_async_" + session, "checkout.session.async_payment_succeeded", session, "paid", 500_000));
        assertEquals("fulfilled", paid.text("result"), paid::toString);
        Instant first = expiry(buyer);
        assertTrue(!first.isBefore(before.plus(30, ChronoUnit.DAYS).minusSeconds(1)) && first.isBefore(Instant.now().plus(30, ChronoUnit.DAYS).plusSeconds(1)));
        assertEquals("ACTIVE", run(call("gym-my-membership", buyer)).text("status"));
        String sameEvent = event("evt_async_" + session, "checkout.session.async_payment_succeeded", session, "paid", 500_000);
        assertEquals("duplicate", deliver(sameEvent).text("result"));
        assertEquals("already-fulfilled", deliver(event("evt_other_" + session, "checkout.session.completed", session, "paid", 500_000)).text("result"),
                "the same session as another event");
        assertEquals(first, expiry(buyer));
        assertEquals("PAID", PURCHASES.purchase(session).orElseThrow().status());
        assertEquals("ignored", deliver(event("evt_refund_" + session, "charge.refunded", session, "paid", 500_000)).text("result"));
        assertEquals("amount-mismatch", deliver(event("evt_cheap", "checkout.session.completed", checkout(buyer, planId), "paid", 1)).text("result"));
        assertEquals(first, expiry(buyer));
        String failing = checkout(buyer, planId);
        assertEquals("failed", deliver(event("evt_fail_" + failing, "checkout.session.async_payment_failed", failing, "unpaid", 500_000)).text("result"));
        assertEquals("FAILED", PURCHASES.purchase(failing).orElseThrow().status());
    }

    @Test
    void thirtyConcurrentDeliveriesOfOneEventExtendOnce() throws Exception {
        Who buyer = who("User");
        Instant start = Instant.now().plus(10, ChronoUnit.DAYS).truncatedTo(ChronoUnit.SECONDS);
        DOOR.setMembership(buyer.id(), start);
        String session = checkout(buyer, plan(30, 300_000));
        String payload = event("evt_storm_" + session, "checkout.session.completed", session, "paid", 300_000);
        ExecutorService pool = Executors.newFixedThreadPool(10);
        try {
            List<Future<Response>> answers = new ArrayList<>();
            for (int i = 0; i < 30; i++) {
                answers.add(pool.submit(() -> {
                    Response r = deliver(payload);
                    for (int attempt = 0; r.status() == 503 && attempt < 20; attempt++) {
                        Thread.sleep(20);
                        r = deliver(payload); // Stripe retries a 5xx
                    }
                    return r;
                }));
            }
            int fulfilled = 0;
            for (Future<Response> f : answers) {
                Response r = f.get();
                assertEquals(200, r.status(), r::toString);
                fulfilled += "fulfilled".equals(r.text("result")) ? 1 : 0;
            }
            assertEquals(1, fulfilled);
        } finally {
            pool.shutdownNow();
        }
        assertEquals(start.plus(30, ChronoUnit.DAYS), expiry(buyer), "extended once, from the later expiry");
    }

    @Test
    void outOfOrderEventsNeverShortenAMembership() throws Exception {
        Who buyer = who("User");
        String planId30 = plan(30, 500_000);
        String planId7 = plan(7, 150_000);
        String month = checkout(buyer, planId30);
        String week = checkout(buyer, planId7);
        assertEquals("fulfilled", deliver(event("evt_w_" + week, "checkout.session.completed", week, "paid", 150_000)).text("result"));
        Instant afterWeek = expiry(buyer);
        assertEquals("fulfilled", deliver(event("evt_m_" + month, "checkout.session.completed", month, "paid", 500_000)).text("result"));
        assertEquals(afterWeek.plus(30, ChronoUnit.DAYS), expiry(buyer));
    }

    @Test
    void tamperedForeignAndStaleDeliveriesAre400AndChangeNothing() throws Exception {
        Who buyer = who("User");
        String session = checkout(buyer, plan(30, 500_000));
        String payload = event("evt_bad_" + session, "checkout.session.completed", session, "paid", 500_000);
        byte[] bytes = payload.getBytes(StandardCharsets.UTF_8);
        long now = Instant.now().getEpochSecond();
        String good = StripeSignature.header(bytes, WEBHOOK_SECRET, now);
        assertError(deliver(payload.replace("500000", "500001"), good), 400, "INVALID_SIGNATURE");
        assertError(deliver(payload, StripeSignature.header(bytes, "whsec_someone_else", now)), 400, "INVALID_SIGNATURE");
        assertError(deliver(payload, StripeSignature.header(bytes, WEBHOOK_SECRET, now - 301)), 400, "INVALID_SIGNATURE");
        assertError(deliver(payload, null), 400, "INVALID_SIGNATURE");
        assertError(deliver(payload, "t=" + now), 400, "INVALID_SIGNATURE");
        assertError(Events.call("gym-stripe-webhook").invoke(HANDLER), 400, "INVALID_SIGNATURE");
        assertEquals("PENDING", PURCHASES.purchase(session).orElseThrow().status());
        assertEquals(null, expiry(buyer));
        assertEquals("fulfilled", deliver(payload, good).text("result"), "the genuine delivery still works: nothing was recorded");
    }

    @Test
    void ourVerificationAcceptsExactlyWhatStripesLibraryAccepts() throws Exception {
        String payload = event("evt_cross", "checkout.session.completed", "cs_test_cross", "paid", 1);
        byte[] bytes = payload.getBytes(StandardCharsets.UTF_8);
        long now = Instant.now().getEpochSecond();
        String sig = StripeSignature.header(bytes, WEBHOOK_SECRET, now).substring(("t=" + now + ",v1=").length());
        String other = StripeSignature.header(bytes, "whsec_other", now).substring(("t=" + now + ",v1=").length());
        List<String> headers = List.of("t=" + now + ",v1=" + sig, "t=" + now + ",v1=" + other + ",v1=" + sig, "t=" + now + ",v0=" + sig,
                "t=" + now + ",v1=" + other, "v1=" + sig, "t=" + now, "", "t=" + (now - 301) + ",v1=" + StripeSignature.header(bytes, WEBHOOK_SECRET,
                now - 301).split("v1=")[1], "t=" + (now - 200) + ",v1=" + StripeSignature.header(bytes, WEBHOOK_SECRET, now - 200).split("v1=")[1],
                "t=" + (now + 120) + ",v1=" + StripeSignature.header(bytes, WEBHOOK_SECRET, now + 120).split("v1=")[1],
                "t=" + now + ",v1=" + sig.toUpperCase(), "t=" + now + ", v1=" + sig, "v1=" + sig + ",t=" + now, "t=" + now + ",v1=" + sig + "0",
                "t=" + now + ",v1=" + sig + ",extra", "t=" + now + ",v1=" + sig.substring(2));
        for (String h : headers) {
            boolean stripe;
            try {
                Webhook.constructEvent(payload, h, WEBHOOK_SECRET);
                stripe = true;
            } catch (Exception e) {
                stripe = false;
            }
            assertEquals(stripe, StripeSignature.valid(bytes, h, WEBHOOK_SECRET, Instant.now().getEpochSecond()), h);
        }
        String ours = StripeSignature.header(bytes, WEBHOOK_SECRET, now);
        assertEquals("evt_cross", Webhook.constructEvent(payload, ours, WEBHOOK_SECRET).getId(), "what we (and the local stand-in) sign passes Stripe's check");
        String stripeSigned = "t=" + now + ",v1=" + Webhook.Util.computeHmacSha256(WEBHOOK_SECRET, now + "." + payload);
        assertTrue(StripeSignature.valid(bytes, stripeSigned, WEBHOOK_SECRET, now), "Stripe's own signature passes ours");
    }
}
