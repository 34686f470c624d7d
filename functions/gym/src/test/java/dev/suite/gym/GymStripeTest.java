package dev.suite.gym;

import static dev.suite.gym.GymHandlerTest.CONFIG;
import static dev.suite.gym.GymHandlerTest.DOOR;
import static dev.suite.gym.GymHandlerTest.EMU;
import static dev.suite.gym.GymHandlerTest.STRIPE;
import static dev.suite.gym.GymHandlerTest.WEBHOOK;
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
import dev.suite.emulators.Template;
import dev.suite.gym.GymHandlerTest.Who;
import dev.suite.gym.api.GymHandler;
import dev.suite.gym.domain.GymService;
import dev.suite.gym.domain.MembershipSales;
import dev.suite.gym.provider.StripeSessions;
import dev.suite.gym.store.GymStore;
import dev.suite.gym.store.PurchaseStore;
import dev.suite.shared.Clients;
import dev.suite.shared.Json;
import dev.suite.shared.data.RateLimiter;
import dev.suite.testkit.Events;
import dev.suite.testkit.Events.Response;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
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
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;

/**
 * Stripe Checkout through stripe-java against MockWebServer, and the signed webhook (its own function) with events
 * signed by stripe-java's own HMAC helper: once per session however it is delivered, and nothing for an event that does
 * not match its purchase.
 */
class GymStripeTest {
    static final PurchaseStore PURCHASES = PurchaseStore.from(EMU.dynamo(), GymHandlerTest.WEBHOOK_CONFIG);

    static String plan(int days, long amount) {
        Response r = run(call("gym-create-plan", who("Admin"))
                .body(Map.of("name", days + " days", "days", days, "amount", amount, "currency", "VND")));
        assertEquals(201, r.status(), r::toString);
        return r.text("planId");
    }

    static MockResponse session(String sessionId) {
        return new MockResponse()
                .setResponseCode(200)
                .setHeader("Content-Type", "application/json")
                .setBody(Json.write(Map.of(
                        "id",
                        sessionId,
                        "object",
                        "checkout.session",
                        "url",
                        "https://checkout.stripe.com/c/pay/" + sessionId,
                        "expires_at",
                        Instant.now().plus(1, ChronoUnit.DAYS).getEpochSecond())));
    }

    /** A checkout through the mock Stripe that opens a new session; the session id it answered. */
    static synchronized String checkout(Who buyer, String planId) throws Exception {
        String sessionId = "cs_test_" + UUID.randomUUID().toString().replace("-", "");
        STRIPE.enqueue(session(sessionId));
        Response r = run(call("gym-checkout-session", buyer).body(Map.of("planId", planId)));
        assertEquals(201, r.status(), r::toString);
        assertEquals(sessionId, r.text("sessionId"));
        STRIPE.takeRequest(5, TimeUnit.SECONDS);
        return sessionId;
    }

    /**
     * An event as Stripe sends it for a session in payment mode of {@code buyer}; {@code changes} replace or (null)
     * remove fields.
     */
    static String event(
            String eventId, String type, String sessionId, Who buyer, long amount, Map<String, Object> changes) {
        Map<String, Object> session = new LinkedHashMap<>();
        session.put("id", sessionId);
        session.put("object", "checkout.session");
        session.put("mode", "payment");
        session.put("payment_status", "paid");
        session.put("amount_total", amount);
        session.put("currency", "vnd");
        session.put("client_reference_id", buyer.id());
        session.put("metadata", Map.of("userId", buyer.id()));
        changes.forEach((k, v) -> {
            if (v == null) {
                session.remove(k);
            } else {
                session.put(k, v);
            }
        });
        return Json.write(Map.of(
                "id",
                eventId,
                "object",
                "event",
                "api_version",
                StripeSessions.API_VERSION,
                "type",
                type,
                "data",
                Map.of("object", session)));
    }

    static String event(String eventId, String type, String sessionId, Who buyer, long amount) {
        return event(eventId, type, sessionId, buyer, amount, Map.of());
    }

    /** The Stripe-Signature header, from stripe-java's own HMAC helper. */
    static String sign(String payload, String secret, long timestamp) throws Exception {
        return "t=" + timestamp + ",v1=" + Webhook.Util.computeHmacSha256(secret, timestamp + "." + payload);
    }

    static Response deliver(String payload, String signature) {
        return Events.call("gym-stripe-webhook")
                .body(payload)
                .header("Stripe-Signature", signature)
                .invoke(WEBHOOK);
    }

    static Response deliver(String payload) throws Exception {
        return deliver(payload, sign(payload, WEBHOOK_SECRET, Instant.now().getEpochSecond()));
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

    /** An answer Stripe marks as not worth retrying, so stripe-java's network retry passes it straight on. */
    static MockResponse refusal(int status, String body) {
        return new MockResponse()
                .setResponseCode(status)
                .setHeader("Stripe-Should-Retry", "false")
                .setHeader("Content-Type", "application/json")
                .setBody(body);
    }

    static Map<String, Object> variables(String function) {
        Map<String, Object> env =
                Template.cast(EMU.template().properties(function).get("Environment"));
        return Template.cast(env.get("Variables"));
    }

    @Test
    void theUnauthenticatedWebhookHasAFunctionThatHoldsOnlyTheWebhookSecret() {
        List<String> webhookRoutes = EMU.template().apiRoutes().stream()
                .filter(r -> r.path().equals("/payments/stripe/webhook"))
                .map(Template.ApiRoute::function)
                .toList();
        assertEquals(List.of("StripeWebhookFunction"), webhookRoutes);
        assertEquals(
                List.of("StripeWebhookFunction"),
                EMU.template().apiRoutes().stream()
                        .filter(r -> r.function().equals("StripeWebhookFunction"))
                        .map(Template.ApiRoute::function)
                        .toList(),
                "it serves nothing else");
        Map<String, Object> webhook = variables("StripeWebhookFunction");
        assertTrue(webhook.containsKey("STRIPE_WEBHOOK_SECRET_PARAM"));
        assertTrue(
                webhook.keySet().stream()
                        .filter(k -> k.endsWith("_PARAM"))
                        .toList()
                        .equals(List.of("STRIPE_WEBHOOK_SECRET_PARAM")),
                webhook::toString);
        String policy =
                Json.write(EMU.template().properties("StripeWebhookFunction").get("Policies"));
        for (String other : List.of(
                "StripeSecretKeyParameter",
                "CheckinTokenKeyParameter",
                "GymsTable",
                "CheckinTokensTable",
                "GymPresenceTable",
                "VisitsTable",
                "MembershipPlansTable",
                "UsersTable")) {
            assertTrue(!policy.contains(other), "the webhook's policy names " + other);
        }
        Map<String, Object> gym = variables("GymFunction");
        assertTrue(gym.containsKey("STRIPE_SECRET_KEY_PARAM") && gym.containsKey("CHECKIN_TOKEN_KEY_PARAM"));
        assertTrue(
                !gym.containsKey("STRIPE_WEBHOOK_SECRET_PARAM") && !gym.containsKey("STRIPE_EVENTS_TABLE"),
                gym::toString);
        String gymPolicy = Json.write(EMU.template().properties("GymFunction").get("Policies"));
        assertTrue(
                !gymPolicy.contains("StripeWebhookSecretParameter") && !gymPolicy.contains("StripeEventsTable"),
                gymPolicy);
    }

    @Test
    void checkoutCreatesASessionAtTheServersPriceThroughStripeJava() throws Exception {
        Who buyer = who("User");
        String planId = plan(30, 500_000);
        STRIPE.enqueue(new MockResponse()
                .setResponseCode(200)
                .setBody("{\"id\":\"cs_test_one\",\"object\":\"checkout.session\","
                        + "\"url\":\"https://checkout.stripe.com/c/pay/cs_test_one\",\"expires_at\":1895428000}"));
        Response r = run(call("gym-checkout-session", buyer).body(Map.of("planId", planId)));
        assertEquals(201, r.status(), r::toString);
        assertEquals("https://checkout.stripe.com/c/pay/cs_test_one", r.text("checkoutUrl"));
        assertEquals(Instant.ofEpochSecond(1895428000).toString(), r.text("expiresAt"));
        assertEquals(false, r.json().get("reused").asBoolean());
        RecordedRequest sent = STRIPE.takeRequest(5, TimeUnit.SECONDS);
        assertEquals("POST", sent.getMethod());
        assertEquals("/v1/checkout/sessions", sent.getPath());
        assertEquals("Bearer sk_test_gym", sent.getHeader("Authorization"));
        assertEquals("2025-03-31.basil", sent.getHeader("Stripe-Version"), "the version stripe-java 29.0.0 pins");
        assertNotNull(sent.getHeader("Idempotency-Key"));
        assertTrue(sent.getHeader("Content-Type").startsWith("application/x-www-form-urlencoded"));
        Map<String, String> f = form(sent);
        assertEquals("payment", f.get("mode"));
        assertEquals("500000", f.get("line_items[0][price_data][unit_amount]"));
        assertEquals("vnd", f.get("line_items[0][price_data][currency]"));
        assertEquals("30 days", f.get("line_items[0][price_data][product_data][name]"));
        assertEquals("1", f.get("line_items[0][quantity]"));
        assertEquals(buyer.id(), f.get("client_reference_id"));
        assertEquals(buyer.id(), f.get("metadata[userId]"));
        assertEquals(planId, f.get("metadata[planId]"));
        assertEquals(sent.getHeader("Idempotency-Key"), f.get("metadata[purchaseId]"));
        assertEquals(CONFIG.require("STRIPE_SUCCESS_URL"), f.get("success_url"));
        JsonNode mine = run(call("gym-my-purchases", buyer)).json().get("items");
        assertEquals(1, mine.size());
        assertEquals("PENDING", mine.get(0).get("status").asText());
        assertEquals(500_000, mine.get(0).get("amount").asLong());

        assertError(
                run(call("gym-checkout-session", buyer).body(Map.of("planId", planId, "amount", 1))),
                400,
                "UNKNOWN_FIELD");
        assertError(run(call("gym-checkout-session", buyer).body(Map.of("planId", "no-such-plan"))), 404, "NOT_FOUND");
        assertEquals(
                200,
                run(call("gym-update-plan", who("Admin"))
                                .pathParam("planId", planId)
                                .body(Map.of("active", false)))
                        .status());
        assertError(run(call("gym-checkout-session", buyer).body(Map.of("planId", planId))), 409, "PLAN_INACTIVE");
    }

    @Test
    void stripesRefusalsMapToClearErrorsAndLeaveNoPurchase() throws Exception {
        String planId = plan(30, 500_000);
        Map<MockResponse, String[]> cases = new LinkedHashMap<>();
        cases.put(
                refusal(
                        401,
                        "{\"error\":{\"type\":\"invalid_request_error\",\"message\":\"Invalid API Key provided\"}}"),
                new String[] {"502", "PROVIDER_AUTH_FAILED"});
        cases.put(
                refusal(500, "{\"error\":{\"type\":\"api_error\",\"message\":\"boom\"}}"),
                new String[] {"502", "PROVIDER_ERROR"});
        cases.put(
                refusal(
                        429,
                        "{\"error\":{\"type\":\"invalid_request_error\",\"code\":\"rate_limit\",\"message\":\"slow down\"}}"),
                new String[] {"429", "PROVIDER_RATE_LIMITED"});
        cases.put(refusal(200, "not json"), new String[] {"502", "PROVIDER_ERROR"});
        cases.put(refusal(200, "{\"object\":\"checkout.session\"}"), new String[] {"502", "PROVIDER_ERROR"});
        for (var c : cases.entrySet()) {
            Who buyer = who("User");
            STRIPE.enqueue(c.getKey());
            assertError(
                    run(call("gym-checkout-session", buyer).body(Map.of("planId", planId))),
                    Integer.parseInt(c.getValue()[0]),
                    c.getValue()[1]);
            STRIPE.takeRequest(5, TimeUnit.SECONDS);
            assertEquals(
                    0,
                    run(call("gym-my-purchases", buyer)).json().get("items").size(),
                    "a failed checkout leaves no purchase");
        }
    }

    @Test
    void aSecondCheckoutOfTheSamePlanAnswersTheOpenSession() throws Exception {
        Who buyer = who("User");
        String planId = plan(30, 500_000);
        String first = checkout(buyer, planId);
        int requests = STRIPE.getRequestCount();
        Response again = run(call("gym-checkout-session", buyer).body(Map.of("planId", planId)));
        assertEquals(200, again.status(), again::toString);
        assertEquals(first, again.text("sessionId"));
        assertEquals("https://checkout.stripe.com/c/pay/" + first, again.text("checkoutUrl"));
        assertTrue(again.json().get("reused").asBoolean());
        assertEquals(requests, STRIPE.getRequestCount(), "no call to Stripe");
        assertEquals(1, run(call("gym-my-purchases", buyer)).json().get("items").size(), "no second pending row");

        String other = checkout(buyer, plan(7, 150_000));
        assertTrue(!other.equals(first), "another plan is another session");
        assertTrue(!checkout(who("User"), planId).equals(first), "another buyer is another session");

        EMU.dynamo()
                .updateItem(b -> b.tableName(CONFIG.require("PURCHASES_TABLE"))
                        .key(Map.of("sessionId", AttributeValue.fromS(first)))
                        .updateExpression("SET expiresAt = :e")
                        .expressionAttributeValues(Map.of(
                                ":e",
                                AttributeValue.fromS(Instant.now()
                                        .plus(10, ChronoUnit.MINUTES)
                                        .toString()))));
        String fresh = checkout(buyer, planId);
        assertTrue(!fresh.equals(first), "a session about to expire is not handed out again");
        assertEquals(
                "fulfilled",
                deliver(event("evt_reuse_" + fresh, "checkout.session.completed", fresh, buyer, 500_000))
                        .text("result"));
        assertTrue(!checkout(buyer, planId).equals(fresh), "a paid session is not reused");
    }

    @Test
    void newSessionsAreLimitedPerUserPerMinuteReusedOnesAreNot() throws Exception {
        Clock oneWindow = Clock.fixed(Instant.now(), ZoneOffset.UTC);
        // the function's own client: its calls go through the IAM gateway with GymFunction's role
        DynamoDbClient fn = Clients.dynamo(CONFIG);
        GymService gyms = GymHandler.service(CONFIG, fn, Clock.systemUTC());
        MembershipSales sales = new MembershipSales(
                GymStore.from(fn, CONFIG),
                PurchaseStore.from(fn, CONFIG),
                StripeSessions.from(CONFIG),
                new RateLimiter(fn, CONFIG.require("RATE_LIMITS_TABLE"), oneWindow),
                CONFIG.getInt("CHECKOUT_LIMIT_PER_USER_PER_MINUTE", 0),
                Clock.systemUTC());
        GymHandler limited =
                new GymHandler(CONFIG, gyms, sales, GymHandler.machines(CONFIG, fn, gyms, Clock.systemUTC()));
        assertEquals(5, CONFIG.getInt("CHECKOUT_LIMIT_PER_USER_PER_MINUTE", 0), "the template's limit");
        Who buyer = who("User");
        List<String> plans = new ArrayList<>();
        for (int i = 0; i < 6; i++) {
            plans.add(plan(30 + i, 100_000 + i));
        }
        String firstSession = null;
        for (int i = 0; i < 5; i++) {
            String id = "cs_test_limit_" + UUID.randomUUID().toString().replace("-", "");
            STRIPE.enqueue(session(id));
            Response r = call("gym-checkout-session", buyer)
                    .body(Map.of("planId", plans.get(i)))
                    .invoke(limited);
            assertEquals(201, r.status(), r::toString);
            STRIPE.takeRequest(5, TimeUnit.SECONDS);
            firstSession = firstSession == null ? id : firstSession;
        }
        int requests = STRIPE.getRequestCount();
        Response sixth = call("gym-checkout-session", buyer)
                .body(Map.of("planId", plans.get(5)))
                .invoke(limited);
        assertError(sixth, 429, "TOO_MANY_REQUESTS");
        assertNotNull(sixth.headers().get("Retry-After"));
        assertEquals(requests, STRIPE.getRequestCount(), "the sixth never reached Stripe");
        Response reused = call("gym-checkout-session", buyer)
                .body(Map.of("planId", plans.get(0)))
                .invoke(limited);
        assertEquals(200, reused.status(), "an open session is still answered: " + reused);
        assertEquals(firstSession, reused.text("sessionId"));
        String id = "cs_test_limit_other";
        STRIPE.enqueue(session(id));
        assertEquals(
                201,
                call("gym-checkout-session", who("User"))
                        .body(Map.of("planId", plans.get(5)))
                        .invoke(limited)
                        .status(),
                "per user");
        STRIPE.takeRequest(5, TimeUnit.SECONDS);
    }

    @Test
    void aPaidSessionExtendsTheMembershipOnceHoweverItIsDelivered() throws Exception {
        Who buyer = who("User");
        String planId = plan(30, 500_000);
        String session = checkout(buyer, planId);
        Response unpaid = deliver(event(
                "evt_unpaid_" + session,
                "checkout.session.completed",
                session,
                buyer,
                500_000,
                Map.of("payment_status", "unpaid")));
        assertEquals("awaiting-payment", unpaid.text("result"), unpaid::toString);
        assertEquals("NONE", run(call("gym-my-membership", buyer)).text("status"));
        Instant before = Instant.now();
        Response paid = deliver(
                event("evt_async_" + session, "checkout.session.async_payment_succeeded", session, buyer, 500_000));
        assertEquals("fulfilled", paid.text("result"), paid::toString);
        Instant first = expiry(buyer);
        assertTrue(!first.isBefore(before.plus(30, ChronoUnit.DAYS).minusSeconds(1))
                && first.isBefore(Instant.now().plus(30, ChronoUnit.DAYS).plusSeconds(1)));
        assertEquals("ACTIVE", run(call("gym-my-membership", buyer)).text("status"));
        assertEquals(
                "duplicate",
                deliver(event(
                                "evt_async_" + session,
                                "checkout.session.async_payment_succeeded",
                                session,
                                buyer,
                                500_000))
                        .text("result"));
        assertEquals(
                "already-fulfilled",
                deliver(event("evt_other_" + session, "checkout.session.completed", session, buyer, 500_000))
                        .text("result"),
                "the same session as another event");
        assertEquals(first, expiry(buyer));
        assertEquals("PAID", PURCHASES.purchase(session).orElseThrow().status());
        assertEquals(
                "ignored",
                deliver(event("evt_refund_" + session, "charge.refunded", session, buyer, 500_000))
                        .text("result"));
        String failing = checkout(buyer, planId);
        assertEquals(
                "failed",
                deliver(event(
                                "evt_fail_" + failing,
                                "checkout.session.async_payment_failed",
                                failing,
                                buyer,
                                500_000,
                                Map.of("payment_status", "unpaid")))
                        .text("result"));
        assertEquals("FAILED", PURCHASES.purchase(failing).orElseThrow().status());
        assertEquals(first, expiry(buyer));
    }

    @Test
    void fulfilmentFailsClosedOnAnythingThatDoesNotMatchThePurchase() throws Exception {
        Who buyer = who("User");
        String session = checkout(buyer, plan(30, 500_000));
        Map<String, Map<String, Object>> wrong = new LinkedHashMap<>();
        Map<String, Object> noAmount = new HashMap<>();
        noAmount.put("amount_total", null);
        wrong.put("amount-mismatch", noAmount);
        Map<String, Object> noCurrency = new HashMap<>();
        noCurrency.put("currency", null);
        wrong.put("amount-mismatch ", noCurrency);
        wrong.put("amount-mismatch  ", Map.of("amount_total", 1));
        wrong.put("amount-mismatch   ", Map.of("currency", "usd"));
        wrong.put("unexpected-mode", Map.of("mode", "subscription"));
        Map<String, Object> noMode = new HashMap<>();
        noMode.put("mode", null);
        wrong.put("unexpected-mode ", noMode);
        Who someoneElse = who("User");
        wrong.put(
                "user-mismatch",
                Map.of("client_reference_id", someoneElse.id(), "metadata", Map.of("userId", someoneElse.id())));
        Map<String, Object> noClient = new HashMap<>();
        noClient.put("client_reference_id", null);
        wrong.put("user-mismatch ", noClient);
        int n = 0;
        for (var w : wrong.entrySet()) {
            Response r = deliver(event(
                    "evt_wrong_" + n++ + "_" + session,
                    "checkout.session.completed",
                    session,
                    buyer,
                    500_000,
                    w.getValue()));
            assertEquals(200, r.status(), r::toString);
            assertEquals(w.getKey().trim(), r.text("result"), w.getValue()::toString);
        }
        assertEquals("PENDING", PURCHASES.purchase(session).orElseThrow().status());
        assertEquals(null, expiry(buyer));
        assertEquals(null, expiry(someoneElse));

        // a paid session we have no row for: its metadata names a user and plan, but nothing is trusted from it
        Map<String, Object> metadataOnly =
                Map.of("metadata", Map.of("userId", buyer.id(), "planId", plan(30, 500_000), "purchaseId", "p1"));
        assertEquals(
                "unknown-session",
                deliver(event(
                                "evt_meta",
                                "checkout.session.completed",
                                "cs_test_not_ours",
                                buyer,
                                500_000,
                                metadataOnly))
                        .text("result"));
        assertTrue(PURCHASES.purchase("cs_test_not_ours").isEmpty());
        assertEquals(null, expiry(buyer));
        assertEquals(
                "fulfilled",
                deliver(event("evt_right_" + session, "checkout.session.completed", session, buyer, 500_000))
                        .text("result"),
                "the refusals recorded nothing: the genuine event still fulfils");
    }

    @Test
    void thirtyConcurrentDeliveriesOfOneEventExtendOnce() throws Exception {
        Who buyer = who("User");
        Instant start = Instant.now().plus(10, ChronoUnit.DAYS).truncatedTo(ChronoUnit.SECONDS);
        DOOR.setMembership(buyer.id(), start);
        String session = checkout(buyer, plan(30, 300_000));
        String payload = event("evt_storm_" + session, "checkout.session.completed", session, buyer, 300_000);
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
        String month = checkout(buyer, plan(30, 500_000));
        String week = checkout(buyer, plan(7, 150_000));
        assertEquals(
                "fulfilled",
                deliver(event("evt_w_" + week, "checkout.session.completed", week, buyer, 150_000))
                        .text("result"));
        Instant afterWeek = expiry(buyer);
        assertEquals(
                "fulfilled",
                deliver(event("evt_m_" + month, "checkout.session.completed", month, buyer, 500_000))
                        .text("result"));
        assertEquals(afterWeek.plus(30, ChronoUnit.DAYS), expiry(buyer));
    }

    @Test
    void tamperedForeignStaleAndUnsignedDeliveriesAre400AndChangeNothing() throws Exception {
        Who buyer = who("User");
        String session = checkout(buyer, plan(30, 500_000));
        String payload = event("evt_bad_" + session, "checkout.session.completed", session, buyer, 500_000);
        long now = Instant.now().getEpochSecond();
        String good = sign(payload, WEBHOOK_SECRET, now);
        assertError(deliver(payload.replace("500000", "500001"), good), 400, "INVALID_SIGNATURE");
        assertError(deliver(payload, sign(payload, "whsec_someone_else", now)), 400, "INVALID_SIGNATURE");
        assertError(deliver(payload, sign(payload, WEBHOOK_SECRET, now - 301)), 400, "INVALID_SIGNATURE");
        assertError(deliver(payload, null), 400, "INVALID_SIGNATURE");
        assertError(deliver(payload, "t=" + now), 400, "INVALID_SIGNATURE");
        assertError(deliver(payload, good.replace("v1=", "v0=")), 400, "INVALID_SIGNATURE");
        assertError(Events.call("gym-stripe-webhook").invoke(WEBHOOK), 400, "INVALID_SIGNATURE");
        assertError(deliver("not json", sign("not json", WEBHOOK_SECRET, now)), 400, "MALFORMED_JSON");
        assertError(
                Events.call("gym-stripe-webhook")
                        .body("x".repeat(512 * 1024 + 1))
                        .invoke(WEBHOOK),
                413,
                "PAYLOAD_TOO_LARGE");
        assertEquals("PENDING", PURCHASES.purchase(session).orElseThrow().status());
        assertEquals(null, expiry(buyer));
        String sig = good.substring(good.indexOf("v1=") + 3);
        assertEquals(
                "fulfilled",
                deliver(
                                payload,
                                "t=" + now + ",v1="
                                        + sign(payload, "whsec_other", now).split("v1=")[1] + ",v1=" + sig)
                        .text("result"),
                "the genuine delivery still works (one matching v1 of several is enough): nothing was recorded");
    }
}
