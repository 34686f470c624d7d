package dev.suite.gym;

import static dev.suite.testkit.Assertions.assertError;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.suite.emulators.Emulators;
import dev.suite.gym.api.AutoCheckoutJobHandler;
import dev.suite.gym.api.GymHandler;
import dev.suite.gym.api.StripeWebhookFunction;
import dev.suite.gym.domain.CheckinTokens;
import dev.suite.gym.domain.GymService;
import dev.suite.gym.provider.StripeSessions;
import dev.suite.gym.store.CheckinStore;
import dev.suite.shared.Clients;
import dev.suite.shared.Config;
import dev.suite.shared.Json;
import dev.suite.testkit.Events;
import dev.suite.testkit.Events.Response;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import okhttp3.mockwebserver.MockWebServer;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;

/**
 * Every gym route on its events/ sample against DynamoDB Local: success, each error, the role matrix, the door under
 * load.
 */
class GymHandlerTest {
    static final String KEY = "test-checkin-key-of-at-least-32-characters";
    static final String WEBHOOK_SECRET = "whsec_test_gym_webhook_secret";
    static final MockWebServer STRIPE = stripe();
    static final Emulators EMU = Emulators.shared();
    static final Config CONFIG = EMU.functionConfig(
            "GymFunction",
            Map.of(
                    "CHECKIN_TOKEN_KEY",
                    KEY,
                    "STRIPE_SECRET_KEY",
                    "sk_test_gym",
                    "STRIPE_API_URL",
                    STRIPE.url("/").toString()));
    static final Config WEBHOOK_CONFIG =
            EMU.functionConfig("StripeWebhookFunction", Map.of("STRIPE_WEBHOOK_SECRET", WEBHOOK_SECRET));
    static final GymHandler HANDLER = handler(Clock.systemUTC());
    static final StripeWebhookFunction WEBHOOK = new StripeWebhookFunction(WEBHOOK_CONFIG);
    static final CheckinStore DOOR = CheckinStore.from(EMU.dynamo(), CONFIG);

    static MockWebServer stripe() {
        MockWebServer server = new MockWebServer();
        try {
            server.start();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return server;
    }

    static GymHandler handler(Clock clock) {
        // the function's own client: its calls go through the IAM gateway with GymFunction's role
        DynamoDbClient dynamo = Clients.dynamo(CONFIG);
        GymService gyms = GymHandler.service(CONFIG, dynamo, clock);
        return new GymHandler(
                CONFIG,
                gyms,
                GymHandler.sales(CONFIG, dynamo, StripeSessions.from(CONFIG), clock),
                GymHandler.machines(CONFIG, dynamo, gyms, clock));
    }

    /** The user's profile row, as PostConfirmation writes it (name "Name <first 8 of id>"). */
    static void profile(Who w, String role) {
        EMU.dynamo()
                .putItem(b -> b.tableName(CONFIG.require("USERS_TABLE"))
                        .item(Map.of(
                                "userId",
                                AttributeValue.fromS(w.id()),
                                "email",
                                AttributeValue.fromS(w.id().substring(0, 8) + "@example.com"),
                                "name",
                                AttributeValue.fromS("Name " + w.id().substring(0, 8)),
                                "role",
                                AttributeValue.fromS(role))));
    }

    /** A Staff account assigned by an Admin to each of the gyms. */
    static Who staffOf(String... gymIds) {
        Who s = who("Staff");
        profile(s, "Staff");
        for (String gymId : gymIds) {
            Response r = run(call("gym-assign-staff", who("Admin"))
                    .pathParam("gymId", gymId)
                    .pathParam("userId", s.id()));
            assertEquals(200, r.status(), r::toString);
        }
        return s;
    }

    record Who(String id, String group) {}

    static Who who(String group) {
        return new Who(UUID.randomUUID().toString(), group);
    }

    static Events.Call call(String event, Who who) {
        Events.Call c = Events.call(event);
        return who == null ? c.anonymous() : c.as(who.id(), who.id().substring(0, 8) + "@example.com", who.group());
    }

    static Response run(Events.Call c) {
        return c.invoke(HANDLER);
    }

    static String gym(int capacity) {
        Response r = run(call("gym-create-gym", who("Admin"))
                .body(Map.of("name", "Gym " + capacity, "capacity", capacity, "timezone", "Asia/Ho_Chi_Minh")));
        assertEquals(201, r.status(), r::toString);
        return r.text("gymId");
    }

    static Who member() {
        Who m = who("User");
        profile(m, "User");
        DOOR.setMembership(m.id(), Instant.now().plusSeconds(86_400));
        return m;
    }

    static String token(Who m, String gymId) {
        Response r = run(call("gym-checkin-token", m).body(Map.of("gymId", gymId)));
        assertEquals(201, r.status(), r::toString);
        assertNotNull(r.text("expiresAt"));
        return r.text("token");
    }

    static Response scan(Who staff, String token) {
        return run(call("gym-checkin", staff).body(Map.of("token", token)));
    }

    static int occupancy(String gymId) {
        return run(call("gym-get-gym", who("User")).pathParam("gymId", gymId))
                .json()
                .get("occupancy")
                .asInt();
    }

    @Test
    void adminsCreateAndChangeGymsEveryoneSignedInReadsThem() {
        Who admin = who("Admin");
        Response created = run(call("gym-create-gym", admin));
        assertEquals(201, created.status(), created::toString);
        String id = created.text("gymId");
        assertEquals(0, created.json().get("occupancy").asInt());
        Response patched = run(
                call("gym-update-gym", admin).pathParam("gymId", id).body(Map.of("capacity", 80, "name", "Renamed")));
        assertEquals(200, patched.status(), patched::toString);
        assertEquals(80, patched.json().get("capacity").asInt());
        assertEquals("Asia/Ho_Chi_Minh", patched.text("timezone"));
        JsonNode got =
                run(call("gym-get-gym", who("User")).pathParam("gymId", id)).json();
        assertEquals("Renamed", got.get("name").asText());
        assertEquals(0, got.get("occupancy").asInt());
        assertError(run(call("gym-get-gym", who("User")).pathParam("gymId", "nope")), 404, "NOT_FOUND");
        assertError(run(call("gym-update-gym", admin).pathParam("gymId", "nope")), 404, "NOT_FOUND");
        gym(5);
        Response first = run(call("gym-list-gyms", who("User")).query("limit", "1"));
        assertEquals(1, first.json().get("items").size());
        String next = first.text("nextCursor");
        assertNotNull(next);
        assertEquals(
                200,
                run(call("gym-list-gyms", who("Staff")).query("cursor", next)).status());
        assertError(run(call("gym-list-gyms", who("User")).query("cursor", "garbage")), 400, "INVALID_CURSOR");
        Map<String, Object> good = Map.of("name", "G", "capacity", 10, "timezone", "UTC");
        Map<String, Object[]> bad = Map.of(
                "capacity",
                new Object[] {0, 100_001, "ten"},
                "timezone",
                new Object[] {"GMT+7", "ICT", "Mars/Base"},
                "name",
                new Object[] {"", "x".repeat(101)});
        bad.forEach((field, values) -> {
            for (Object v : values) {
                Map<String, Object> body = new HashMap<>(good);
                body.put(field, v);
                Response r = run(call("gym-create-gym", admin).body(body));
                assertEquals(400, r.status(), field + "=" + v + " " + r);
            }
        });
        assertError(
                run(call("gym-create-gym", admin)
                        .body(Map.of("name", "G", "capacity", 1, "timezone", "UTC", "occupancy", 0))),
                400,
                "UNKNOWN_FIELD");
        assertError(run(call("gym-update-gym", admin).pathParam("gymId", id).body(Map.of())), 400, "VALIDATION_FAILED");
    }

    @Test
    void plansAreSoldAtTheirOwnPriceWhichNeverChanges() {
        Who admin = who("Admin");
        Response created = run(call("gym-create-plan", admin)
                .body(Map.of("name", "Week", "days", 7, "amount", 150_000, "currency", "VND")));
        assertEquals(201, created.status(), created::toString);
        String planId = created.text("planId");
        assertTrue(created.json().get("active").asBoolean());
        assertError(
                run(call("gym-update-plan", admin).pathParam("planId", planId).body(Map.of("amount", 1))),
                400,
                "UNKNOWN_FIELD");
        Response off =
                run(call("gym-update-plan", admin).pathParam("planId", planId).body(Map.of("active", false)));
        assertEquals(200, off.status(), off::toString);
        assertEquals(150_000, off.json().get("amount").asLong());
        assertTrue(
                ids(run(call("gym-list-plans", who("User"))).json()).stream().noneMatch(planId::equals),
                "inactive plans are not on sale");
        assertTrue(ids(run(call("gym-list-plans", admin)).json()).contains(planId), "an admin sees them");
        assertEquals(
                200,
                run(call("gym-update-plan", admin).pathParam("planId", planId)).status(),
                "the sample renames and reactivates");
        assertTrue(ids(run(call("gym-list-plans", who("User"))).json()).contains(planId));
        assertError(run(call("gym-update-plan", admin).pathParam("planId", "nope")), 404, "NOT_FOUND");
        for (Map<String, Object> body : List.<Map<String, Object>>of(
                Map.of("name", "X", "days", 0, "amount", 1, "currency", "VND"),
                Map.of("name", "X", "days", 1, "amount", 0, "currency", "VND"),
                Map.of("name", "X", "days", 1, "amount", 1, "currency", "vnd"),
                Map.of("name", "X", "days", 1, "amount", 1_000_000_001L, "currency", "USD"),
                Map.of("name", "X", "days", 1, "amount", 1, "currency", "XYZ"))) {
            assertError(run(call("gym-create-plan", admin).body(body)), 400, "VALIDATION_FAILED");
        }
    }

    static List<String> ids(JsonNode page) {
        List<String> out = new ArrayList<>();
        page.get("items").forEach(i -> out.add(i.get("planId").asText()));
        return out;
    }

    @Test
    void theRoleMatrixHoldsOnEveryRoute() {
        String gymId = gym(3);
        Map<String, Map<String, Object>> adminOnly = Map.of(
                "gym-create-gym",
                Map.of(),
                "gym-update-gym",
                Map.of("gymId", gymId),
                "gym-create-plan",
                Map.of(),
                "gym-update-plan",
                Map.of("planId", "p1"),
                "gym-list-staff",
                Map.of("gymId", gymId),
                "gym-assign-staff",
                Map.of("gymId", gymId),
                "gym-unassign-staff",
                Map.of("gymId", gymId));
        for (var e : adminOnly.entrySet()) {
            for (String group : List.of("User", "Staff", "Coach")) {
                Events.Call c = call(e.getKey(), who(group));
                e.getValue().forEach((k, v) -> c.pathParam(k, v.toString()));
                assertError(run(c), 403, "FORBIDDEN");
            }
        }
        for (String event : List.of("gym-checkin", "gym-checkout")) {
            assertError(run(call(event, who("User"))), 403, "FORBIDDEN");
            assertError(run(call(event, who("Coach"))), 403, "FORBIDDEN");
        }
        for (String event : List.of(
                "gym-create-gym",
                "gym-update-gym",
                "gym-list-gyms",
                "gym-get-gym",
                "gym-list-plans",
                "gym-create-plan",
                "gym-update-plan",
                "gym-my-membership",
                "gym-checkin-token",
                "gym-checkin",
                "gym-checkout",
                "gym-checkout-session",
                "gym-my-purchases",
                "gym-my-visits",
                "gym-list-staff",
                "gym-assign-staff",
                "gym-unassign-staff")) {
            assertError(run(call(event, null)), 401, "UNAUTHORIZED");
        }
        Who staff = staffOf(gymId);
        Who m = member();
        assertEquals(201, scan(staff, token(m, gymId)).status(), "Staff scans");
        assertEquals(
                200,
                run(call("gym-checkout", who("Admin")).body(Map.of("userId", m.id(), "gymId", gymId)))
                        .status(),
                "an Admin too");
    }

    @Test
    void aCodeIsUsedOnceAndTheDoorChecksEverythingAtScanTime() {
        String gymId = gym(5);
        Who staff = staffOf(gymId);
        Who m = member();
        assertEquals("ACTIVE", run(call("gym-my-membership", m)).text("status"));
        String t = token(m, gymId);
        Response in = scan(staff, t);
        assertEquals(201, in.status(), in::toString);
        assertEquals(1, in.json().get("occupancy").asInt());
        assertEquals(m.id(), in.text("userId"));
        assertEquals("Name " + m.id().substring(0, 8), in.text("name"), "the desk sees who stands there");
        assertError(scan(staff, t), 409, "TOKEN_USED");
        assertError(scan(staff, token(m, gymId)), 409, "ALREADY_INSIDE");
        assertEquals(1, occupancy(gymId));
        Response out = run(call("gym-checkout", staff).body(Map.of("userId", m.id(), "gymId", gymId)));
        assertEquals(200, out.status(), out::toString);
        assertEquals(0, out.json().get("occupancy").asInt());
        assertError(run(call("gym-checkout", staff).body(Map.of("userId", m.id(), "gymId", gymId))), 404, "NOT_INSIDE");
        assertError(run(call("gym-checkout", staff)), 403, "NOT_GYM_STAFF");
        assertEquals(201, scan(staff, token(m, gymId)).status(), "back in with a fresh code");

        GymHandler past = handler(Clock.fixed(Instant.now().minusSeconds(61), ZoneOffset.UTC));
        Who other = member();
        String old = call("gym-checkin-token", other)
                .body(Map.of("gymId", gymId))
                .invoke(past)
                .text("token");
        assertError(scan(staff, old), 400, "TOKEN_EXPIRED");
        String foreign = new CheckinTokens(() -> "another-key-of-at-least-32-characters!!", 60)
                .issue(other.id(), gymId, Instant.now())
                .token();
        assertError(scan(staff, foreign), 400, "INVALID_TOKEN");
        assertError(scan(staff, "not-a-code"), 400, "INVALID_TOKEN");
        assertError(run(call("gym-checkin", staff)), 400, "INVALID_TOKEN");

        Who lapsed = member();
        String fresh = token(lapsed, gymId);
        DOOR.setMembership(lapsed.id(), Instant.now().minusSeconds(1));
        assertEquals("EXPIRED", run(call("gym-my-membership", lapsed)).text("status"));
        assertError(scan(staff, fresh), 403, "MEMBERSHIP_EXPIRED");
        Who never = who("User");
        assertEquals("NONE", run(call("gym-my-membership", never)).text("status"));
        assertError(scan(staff, token(never, gymId)), 403, "MEMBERSHIP_EXPIRED");
        DOOR.setMembership(lapsed.id(), Instant.now().plusSeconds(3600));
        assertEquals(
                201, scan(staff, fresh).status(), "a refused scan wrote nothing: the same code works once renewed");
        assertEquals(2, occupancy(gymId));
        assertError(run(call("gym-checkin-token", m).body(Map.of("gymId", "no-such-gym"))), 404, "NOT_FOUND");
        assertError(run(call("gym-checkin-token", m).body(Map.of("gymId", "../x"))), 400, "VALIDATION_FAILED");
    }

    @Test
    void staffWorkOnlyAtTheGymsTheyAreAssignedToAndAdminsEverywhere() {
        String gymA = gym(5);
        String gymB = gym(5);
        Who deskA = staffOf(gymA);
        Who deskB = staffOf(gymB);
        Who admin = who("Admin");
        Who m = member();
        String codeForB = token(m, gymB);
        assertError(scan(deskA, codeForB), 403, "NOT_GYM_STAFF");
        assertEquals(0, occupancy(gymB));
        Response in = scan(deskB, codeForB);
        assertEquals(201, in.status(), "the refused scan used nothing up: " + in);
        assertEquals("Name " + m.id().substring(0, 8), in.text("name"));
        Who outside = member();
        assertError(
                run(call("gym-checkout", deskA).body(Map.of("userId", m.id(), "gymId", gymB))), 403, "NOT_GYM_STAFF");
        // inside or not, another gym's desk learns nothing
        assertError(
                run(call("gym-checkout", deskA).body(Map.of("userId", outside.id(), "gymId", gymB))),
                403,
                "NOT_GYM_STAFF");
        assertError(
                run(call("gym-checkout", deskB).body(Map.of("userId", outside.id(), "gymId", gymB))),
                404,
                "NOT_INSIDE");
        assertEquals(
                200,
                run(call("gym-checkout", admin).body(Map.of("userId", m.id(), "gymId", gymB)))
                        .status(),
                "an Admin works everywhere");
        assertEquals(201, scan(admin, token(outside, gymA)).status());

        JsonNode listed = run(call("gym-list-staff", admin).pathParam("gymId", gymA))
                .json()
                .get("items");
        assertEquals(1, listed.size(), listed::toString);
        assertEquals(deskA.id(), listed.get(0).get("userId").asText());
        assertEquals(
                "Name " + deskA.id().substring(0, 8), listed.get(0).get("name").asText());
        assertTrue(
                listed.get(0).get("assignedBy").asText().length() == 36
                        && listed.get(0).hasNonNull("assignedAt"),
                listed::toString);
        Who plain = who("User");
        profile(plain, "User");
        assertError(
                run(call("gym-assign-staff", admin).pathParam("gymId", gymA).pathParam("userId", plain.id())),
                409,
                "NOT_STAFF");
        assertError(
                run(call("gym-assign-staff", admin)
                        .pathParam("gymId", gymA)
                        .pathParam("userId", who("Staff").id())),
                404,
                "NOT_FOUND");
        assertError(
                run(call("gym-assign-staff", admin)
                        .pathParam("gymId", "no-such-gym")
                        .pathParam("userId", deskA.id())),
                404,
                "NOT_FOUND");
        assertError(
                run(call("gym-assign-staff", admin).pathParam("gymId", "../x").pathParam("userId", deskA.id())),
                400,
                "VALIDATION_FAILED");
        assertError(run(call("gym-list-staff", admin).pathParam("gymId", "no-such-gym")), 404, "NOT_FOUND");
        assertError(
                run(call("gym-list-staff", admin).pathParam("gymId", gymA).query("cursor", "bogus")),
                400,
                "INVALID_CURSOR");

        assertEquals(
                204,
                run(call("gym-unassign-staff", admin).pathParam("gymId", gymA).pathParam("userId", deskA.id()))
                        .status());
        assertError(
                run(call("gym-unassign-staff", admin).pathParam("gymId", gymA).pathParam("userId", deskA.id())),
                404,
                "NOT_FOUND");
        assertError(scan(deskA, token(member(), gymA)), 403, "NOT_GYM_STAFF");
        assertEquals(
                0,
                run(call("gym-list-staff", admin).pathParam("gymId", gymA))
                        .json()
                        .get("items")
                        .size());
    }

    @Test
    void visitsAreListedAndTheJobClosesLongOnesAndKeepsOccupancyEqualToThoseInside() {
        String gymId = gym(10);
        Who staff = staffOf(gymId);
        GymHandler earlier = handler(Clock.fixed(Instant.now().minus(Duration.ofHours(7)), ZoneOffset.UTC));
        Who stayer = member();
        String old = call("gym-checkin-token", stayer)
                .body(Map.of("gymId", gymId))
                .invoke(earlier)
                .text("token");
        assertEquals(
                201,
                call("gym-checkin", staff)
                        .body(Map.of("token", old))
                        .invoke(earlier)
                        .status());
        Who fresh = member();
        assertEquals(201, scan(staff, token(fresh, gymId)).status());
        assertEquals(2, occupancy(gymId));
        EMU.dynamo()
                .updateItem(b -> b.tableName(CONFIG.require("GYMS_TABLE"))
                        .key(Map.of("gymId", AttributeValue.fromS(gymId)))
                        .updateExpression("SET occupancy = :o")
                        .expressionAttributeValues(Map.of(":o", AttributeValue.fromN("7"))));
        String drifted = gym(3);
        EMU.dynamo()
                .updateItem(b -> b.tableName(CONFIG.require("GYMS_TABLE"))
                        .key(Map.of("gymId", AttributeValue.fromS(drifted)))
                        .updateExpression("SET occupancy = :o")
                        .expressionAttributeValues(Map.of(":o", AttributeValue.fromN("2"))));
        AutoCheckoutJobHandler job = new AutoCheckoutJobHandler(DOOR, Duration.ofHours(6), Clock.systemUTC());
        @SuppressWarnings("unchecked")
        Map<String, Object> sample = Json.MAPPER.convertValue(Events.json("schedule-gym-auto-checkout"), Map.class);
        Map<String, Object> first = job.handleRequest(sample, null);
        assertTrue(((Integer) first.get("closed")) >= 1, first::toString);
        assertEquals(
                1, occupancy(gymId), "the fresh member is inside, the stayer was checked out, the drift corrected");
        assertEquals(0, occupancy(drifted));
        Map<String, Object> second = job.handleRequest(sample, null);
        assertEquals(0, second.get("closed"));
        assertEquals(1, occupancy(gymId));
        assertEquals(0, occupancy(drifted));
        JsonNode visits = run(call("gym-my-visits", stayer)).json().get("items");
        assertEquals(1, visits.size());
        assertEquals("auto", visits.get(0).get("closedBy").asText());
        assertNotNull(visits.get(0).get("checkedOutAt").asText(null));
        JsonNode open = run(call("gym-my-visits", fresh)).json().get("items").get(0);
        assertTrue(open.get("checkedOutAt").isNull(), open::toString);
        assertEquals(201, scan(staff, token(stayer, gymId)).status(), "the stayer can come back in");
        assertError(run(call("gym-my-visits", fresh).query("cursor", "bogus")), 400, "INVALID_CURSOR");
    }

    @Test
    void adminsSeeAttendanceInTheGymsZone() {
        Who admin = who("Admin");
        String gymId = run(call("gym-create-gym", admin)
                        .body(Map.of("name", "Night owls", "capacity", 50, "timezone", "America/New_York")))
                .text("gymId");
        Who staff = staffOf(gymId);
        for (int i = 0; i < 3; i++) {
            assertEquals(201, scan(staff, token(member(), gymId)).status());
        }
        String today =
                java.time.LocalDate.now(java.time.ZoneId.of("America/New_York")).toString();
        Response r = run(call("gym-attendance", admin)
                .pathParam("gymId", gymId)
                .query("from", today)
                .query("to", today));
        assertEquals(200, r.status(), r::toString);
        assertEquals(3, r.json().get("total").asInt());
        assertEquals(today, r.json().get("buckets").get(0).get("key").asText());
        assertEquals("America/New_York", r.text("timezone"));
        Response byHour = run(call("gym-attendance", admin)
                .pathParam("gymId", gymId)
                .query("from", null)
                .query("to", null)
                .query("groupBy", "hour"));
        assertEquals(3, byHour.json().get("total").asInt());
        assertEquals(
                3,
                byHour.json().get("peakHours").get(0).get("visits").asInt()
                        + (byHour.json().get("peakHours").size() > 1
                                ? byHour.json()
                                        .get("peakHours")
                                        .get(1)
                                        .get("visits")
                                        .asInt()
                                : 0),
                "all three in at most two clock hours");
        assertError(
                run(call("gym-attendance", admin).pathParam("gymId", gymId).query("groupBy", "week")),
                400,
                "VALIDATION_FAILED");
        assertError(
                run(call("gym-attendance", admin).pathParam("gymId", gymId).query("from", "2020-01-01")),
                400,
                "VALIDATION_FAILED");
        assertError(run(call("gym-attendance", admin).pathParam("gymId", "nope")), 404, "NOT_FOUND");
        assertError(run(call("gym-attendance", staff).pathParam("gymId", gymId)), 403, "FORBIDDEN");
        assertError(run(call("gym-attendance", null).pathParam("gymId", gymId)), 401, "UNAUTHORIZED");
    }

    @Test
    void fiftyConcurrentCheckInsIntoCapacityTenAdmitExactlyTen() throws Exception {
        String gymId = gym(10);
        Who staff = staffOf(gymId);
        List<String> codes = new ArrayList<>();
        for (int i = 0; i < 50; i++) {
            codes.add(token(member(), gymId));
        }
        ExecutorService pool = Executors.newFixedThreadPool(16);
        try {
            List<Future<Response>> answers = new ArrayList<>();
            for (String c : codes) {
                answers.add(pool.submit(() -> {
                    Response r = scan(staff, c);
                    for (int attempt = 0; r.status() == 503 && attempt < 20; attempt++) {
                        Thread.sleep(20L + (long) (Math.random() * 30));
                        r = scan(staff, c); // a conflicted scan wrote nothing: the desk scans again
                    }
                    return r;
                }));
            }
            int admitted = 0;
            int full = 0;
            for (Future<Response> f : answers) {
                Response r = f.get();
                if (r.status() == 201) {
                    admitted++;
                } else {
                    assertEquals("GYM_FULL", r.errorCode(), r::toString);
                    full++;
                }
            }
            assertEquals(10, admitted);
            assertEquals(40, full);
            assertEquals(10, occupancy(gymId));
        } finally {
            pool.shutdownNow();
        }
    }
}
