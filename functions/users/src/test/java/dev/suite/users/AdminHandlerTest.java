package dev.suite.users;

import static dev.suite.testkit.Assertions.assertError;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.suite.emulators.Emulators;
import dev.suite.shared.Clients;
import dev.suite.shared.data.Users;
import dev.suite.shared.push.Connections;
import dev.suite.shared.push.Push;
import dev.suite.testkit.Events;
import dev.suite.testkit.Events.Response;
import dev.suite.testkit.Faults;
import dev.suite.users.api.AdminHandler;
import dev.suite.users.api.PreTokenGenerationHandler;
import dev.suite.users.domain.AdminService;
import dev.suite.users.store.CaseloadStore;
import dev.suite.users.store.RoleStore;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.cognitoidentityprovider.CognitoIdentityProviderClient;
import software.amazon.awssdk.services.cognitoidentityprovider.model.GroupType;
import software.amazon.awssdk.services.cognitoidentityprovider.model.TooManyRequestsException;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.BatchGetItemRequest;
import software.amazon.awssdk.services.dynamodb.model.BatchGetItemResponse;

class AdminHandlerTest {
    static Emulators emu;
    static AdminHandler handler;
    static Users users;

    @BeforeAll
    static void start() {
        emu = Emulators.shared();
        var config = emu.functionConfig("AdminFunction");
        handler = new AdminHandler(config);
        users = Users.from(emu.dynamo(), config);
    }

    static CognitoTestUsers.TestUser onboarded(String role) {
        var u = CognitoTestUsers.create(emu);
        users.create(u.userId(), u.email(), "N", "User", 5, Instant.now());
        emu.cognito()
                .adminAddUserToGroup(b ->
                        b.userPoolId(emu.userPoolId()).username(u.username()).groupName(role));
        if (!role.equals("User")) {
            users.setRole(u.userId(), role, Instant.now());
        }
        return u;
    }

    static Response setRole(CognitoTestUsers.TestUser caller, String callerGroup, String target, Object role) {
        return Events.call("admin-set-role")
                .as(caller.userId(), caller.email(), callerGroup)
                .pathParam("userId", target)
                .body(Map.of("role", role))
                .invoke(handler);
    }

    Set<String> groups(CognitoTestUsers.TestUser u) {
        return new HashSet<>(
                emu
                        .cognito()
                        .adminListGroupsForUser(
                                b -> b.userPoolId(emu.userPoolId()).username(u.username()))
                        .groups()
                        .stream()
                        .map(GroupType::groupName)
                        .toList());
    }

    @Test
    void adminListsUsersWithRoleAndCreditsPageByPage() {
        var admin = CognitoTestUsers.create(emu);
        onboarded("User");
        onboarded("Coach");
        Response first = Events.call("admin-list-users")
                .as(admin.userId(), admin.email(), "Admin")
                .query("limit", "1")
                .invoke(handler);
        assertEquals(200, first.status(), first::toString);
        JsonNode items = first.json().get("items");
        assertEquals(1, items.size());
        for (String f : List.of("username", "userId", "email", "status", "role", "credits")) {
            assertTrue(items.get(0).has(f), f);
        }
        String cursor = first.text("nextCursor");
        assertNotNull(cursor);
        Response second = Events.call("admin-list-users")
                .as(admin.userId(), admin.email(), "Admin")
                .query("limit", "1")
                .query("cursor", cursor)
                .invoke(handler);
        assertEquals(200, second.status(), second::toString);
        assertNotEquals(
                items.get(0).get("userId"), second.json().get("items").get(0).get("userId"));

        Response all = Events.call("admin-list-users")
                .as(admin.userId(), admin.email(), "Admin")
                .query("limit", "60")
                .invoke(handler);
        boolean sawCoach = false;
        for (JsonNode u : all.json().get("items")) {
            if ("Coach".equals(u.get("role").asText())) {
                sawCoach = true;
                assertEquals(5, u.get("credits").asInt());
                assertEquals("CONFIRMED", u.get("status").asText());
            }
        }
        assertTrue(sawCoach, all::toString);
    }

    /** DynamoDB may answer a BatchGetItem with some keys unprocessed: they are asked again, none is dropped. */
    @Test
    void unprocessedKeysAreReadAgainNotDroppedNor500() {
        var admin = CognitoTestUsers.create(emu);
        var coach = onboarded("Coach");
        var config = emu.functionConfig("AdminFunction");
        var halfUnprocessed = Faults.dynamo(Clients.dynamo(config), "batchGetItem", (call, args) -> {
            if (call > 2) {
                return null;
            }
            // answer nothing now: every key comes back unprocessed, as DynamoDB does under throttling
            var request = (BatchGetItemRequest) args[0];
            return BatchGetItemResponse.builder()
                    .responses(Map.of())
                    .unprocessedKeys(request.requestItems())
                    .build();
        });
        var flaky = new AdminHandler(config, AdminHandler.service(config, halfUnprocessed));
        Response all = Events.call("admin-list-users")
                .as(admin.userId(), admin.email(), "Admin")
                .query("limit", "60")
                .invoke(flaky);
        assertEquals(200, all.status(), all::toString);
        boolean sawCoach = false;
        for (JsonNode u : all.json().get("items")) {
            sawCoach |= u.get("userId").asText().equals(coach.userId())
                    && "Coach".equals(u.get("role").asText());
        }
        assertTrue(sawCoach, "the coach's profile was read on a later attempt: " + all);

        var neverProcessed = Faults.dynamo(
                Clients.dynamo(config),
                "batchGetItem",
                (call, args) -> BatchGetItemResponse.builder()
                        .responses(Map.of())
                        .unprocessedKeys(((BatchGetItemRequest) args[0]).requestItems())
                        .build());
        Response busy = Events.call("admin-list-users")
                .as(admin.userId(), admin.email(), "Admin")
                .invoke(new AdminHandler(config, AdminHandler.service(config, neverProcessed)));
        assertError(busy, 503, "SERVICE_BUSY");
    }

    /**
     * Cognito throttling (the SDK's modeled TooManyRequestsException, after its retries) is 503 SERVICE_BUSY, not a
     * 500.
     */
    @Test
    void cognitoThrottlingIs503ServiceBusy() {
        var admin = CognitoTestUsers.create(emu);
        var config = emu.functionConfig("AdminFunction");
        var throttled = Faults.intercept(
                CognitoIdentityProviderClient.class,
                Clients.cognito(config),
                "listUsers",
                (call, args) -> TooManyRequestsException.builder()
                        .message("injected")
                        .statusCode(429)
                        .build());
        var fnDynamo = Clients.dynamo(config);
        var h = new AdminHandler(
                config,
                new AdminService(
                        throttled,
                        fnDynamo,
                        Users.from(fnDynamo, config),
                        config.require("USERS_TABLE"),
                        config.require("USER_POOL_ID"),
                        Clock.systemUTC(),
                        new Push(config, Connections.from(fnDynamo, config)),
                        CaseloadStore.from(fnDynamo, config)));
        assertError(
                Events.call("admin-list-users")
                        .as(admin.userId(), admin.email(), "Admin")
                        .invoke(h),
                503,
                "SERVICE_BUSY");
    }

    @Test
    void listValidatesLimitAndCursor() {
        var admin = CognitoTestUsers.create(emu);
        for (String bad : List.of("0", "61", "x", "-1")) {
            assertError(
                    Events.call("admin-list-users")
                            .as(admin.userId(), admin.email(), "Admin")
                            .query("limit", bad)
                            .invoke(handler),
                    400,
                    "VALIDATION_FAILED");
        }
        assertError(
                Events.call("admin-list-users")
                        .as(admin.userId(), admin.email(), "Admin")
                        .query("cursor", "../../etc")
                        .invoke(handler),
                400,
                "INVALID_CURSOR");
    }

    @Test
    void nonAdminsAre403AndAnonymousIs401() {
        var user = onboarded("User");
        assertError(
                Events.call("admin-list-users")
                        .as(user.userId(), user.email(), "User")
                        .invoke(handler),
                403,
                "FORBIDDEN");
        assertError(
                Events.call("admin-list-users")
                        .as(user.userId(), user.email(), "Coach")
                        .invoke(handler),
                403,
                "FORBIDDEN");
        assertError(setRole(user, "User", user.username(), "Admin"), 403, "FORBIDDEN");
        assertEquals(Set.of("User"), groups(user), "nothing changed");
        assertError(Events.call("admin-list-users").anonymous().invoke(handler), 401, "UNAUTHORIZED");
    }

    @Test
    void adminMakesStaffAndBackToUser() {
        var admin = onboarded("Admin");
        var target = onboarded("User");
        Response r = setRole(admin, "Admin", target.username(), "Staff");
        assertEquals(200, r.status(), r::toString);
        assertEquals("Staff", r.text("role"));
        assertEquals(Set.of("Staff"), groups(target), "left User, joined Staff");
        assertEquals("Staff", users.get(target.userId()).orElseThrow().role());
        assertError(setRole(admin, "Admin", target.username(), "Frontdesk"), 400, "VALIDATION_FAILED");
        assertEquals(200, setRole(admin, "Admin", target.username(), "User").status());
        assertEquals(Set.of("User"), groups(target), "left Staff");
    }

    @Test
    void adminChangesRoleGroupsAndProfile() {
        var admin = onboarded("Admin");
        var target = onboarded("User");
        Response r = setRole(admin, "Admin", target.username(), "Coach");
        assertEquals(200, r.status(), r::toString);
        assertEquals("Coach", r.text("role"));
        assertEquals(target.userId(), r.text("userId"));
        assertEquals(Set.of("Coach"), groups(target), "left User, joined Coach");
        assertEquals("Coach", users.get(target.userId()).orElseThrow().role());
        // the next token carries it
        var event = Events.json("cognito-pre-token-generation");
        ((ObjectNode) event.get("request").get("userAttributes")).put("sub", target.userId());
        var out = Events.invoke(new PreTokenGenerationHandler(emu.functionConfig("PreTokenGenerationFunction")), event);
        assertEquals(
                "Coach",
                out.at("/response/claimsOverrideDetails/claimsToAddOrOverride/role")
                        .asText());
    }

    @Test
    void roleAndUsernameAreValidated() {
        var admin = onboarded("Admin");
        var target = onboarded("User");
        assertEquals(
                "role",
                assertError(setRole(admin, "Admin", target.username(), "Owner"), 400, "VALIDATION_FAILED")
                        .get("field")
                        .asText());
        assertError(setRole(admin, "Admin", target.username(), 3), 400, "VALIDATION_FAILED");
        assertError(setRole(admin, "Admin", "no-such-user-" + System.nanoTime(), "Coach"), 404, "NOT_FOUND");
        assertError(setRole(admin, "Admin", "a b\u0000c", "Coach"), 400, "VALIDATION_FAILED");
        assertEquals(Set.of("User"), groups(target));
    }

    @Test
    void theLastAdminCannotBeDemoted() {
        // Start from a pool with no admin but the one made here.
        onlyTheseAdmins();
        var only = onboarded("Admin");
        assertError(setRole(only, "Admin", only.username(), "User"), 409, "LAST_ADMIN");
        assertEquals(Set.of("Admin"), groups(only));
        var second = onboarded("User");
        assertEquals(200, setRole(only, "Admin", second.username(), "Admin").status());
        Response demoted = setRole(second, "Admin", only.username(), "User");
        assertEquals(200, demoted.status(), demoted::toString);
        assertEquals(Set.of("User"), groups(only));
        assertNull(null);
    }

    static void onlyTheseAdmins() {
        emu.cognito()
                .listUsersInGroup(b -> b.userPoolId(emu.userPoolId()).groupName("Admin"))
                .users()
                .forEach(u -> emu.cognito()
                        .adminRemoveUserFromGroup(b -> b.userPoolId(emu.userPoolId())
                                .username(u.username())
                                .groupName("Admin")));
        emu.dynamo()
                .deleteItem(b -> b.tableName(emu.functionConfig("AdminFunction").require("USERS_TABLE"))
                        .key(Map.of("userId", AttributeValue.fromS(RoleStore.COUNTER))));
    }

    /** Two admins demoting each other, 20 requests at once: one demotion wins, one enabled admin is left. */
    @Test
    void concurrentMutualDemotionsNeverLeaveNoAdmin() throws Exception {
        onlyTheseAdmins();
        var a = onboarded("Admin");
        var b = onboarded("Admin");
        List<Callable<Response>> calls = new ArrayList<>();
        for (int i = 0; i < 10; i++) {
            calls.add(() -> setRole(a, "Admin", b.username(), "User"));
            calls.add(() -> setRole(b, "Admin", a.username(), "User"));
        }
        ExecutorService pool = Executors.newFixedThreadPool(20);
        try {
            for (Future<Response> f : pool.invokeAll(calls)) {
                Response r = f.get();
                assertTrue(
                        r.status() == 200
                                || (r.status() == 409
                                        && Set.of("LAST_ADMIN", "ROLE_CHANGED").contains(r.errorCode())),
                        r::toString);
            }
        } finally {
            pool.shutdown();
        }
        long cognitoAdmins =
                Stream.of(a, b).filter(u -> groups(u).contains("Admin")).count();
        long profileAdmins = Stream.of(a, b)
                .filter(u -> users.get(u.userId()).orElseThrow().role().equals("Admin"))
                .count();
        assertEquals(1, cognitoAdmins, "exactly one admin left in the pool");
        assertEquals(1, profileAdmins, "and in the profiles");
        for (var u : List.of(a, b)) {
            assertEquals(1, groups(u).size(), "one role each: " + groups(u));
        }
    }

    /**
     * Adding to the new group worked, removing from the old one failed (once): the change is undone, one role stays.
     */
    @Test
    void aFailedGroupRemovalUndoesTheChange() {
        var admin = onboarded("Admin");
        var target = onboarded("Coach");
        var config = emu.functionConfig("AdminFunction");
        var failingRemove = Faults.intercept(
                CognitoIdentityProviderClient.class,
                Clients.cognito(config),
                "adminRemoveUserFromGroup",
                (call, args) -> call == 1
                        ? TooManyRequestsException.builder()
                                .message("injected")
                                .statusCode(429)
                                .build()
                        : null);
        var fn = Clients.dynamo(config);
        var flaky = new AdminHandler(
                config,
                new AdminService(
                        failingRemove,
                        fn,
                        Users.from(fn, config),
                        config.require("USERS_TABLE"),
                        config.require("USER_POOL_ID"),
                        Clock.systemUTC(),
                        new Push(config, Connections.from(fn, config)),
                        CaseloadStore.from(fn, config)));
        assertError(setRoleWith(flaky, admin, target.username(), "User"), 503, "ROLE_CHANGE_FAILED");
        assertEquals(Set.of("Coach"), groups(target), "back to the one role it had");
        assertEquals("Coach", users.get(target.userId()).orElseThrow().role());
        assertEquals(200, setRole(admin, "Admin", target.username(), "User").status(), "and a retry works");
        assertEquals(Set.of("User"), groups(target));
    }

    @Test
    void demotingACoachEndsTheirAssignmentsTellsEachClientAndPromotionDoesNotRestoreThem() {
        var admin = onboarded("Admin");
        var coach = onboarded("Coach");
        var config = emu.functionConfig("AdminFunction");
        String clients = config.require("COACH_CLIENTS_TABLE");
        String notifications = config.require("NOTIFICATIONS_TABLE");
        String other = "coach-" + UUID.randomUUID();
        List<String> mine = List.of("client-" + UUID.randomUUID(), "client-" + UUID.randomUUID());
        String theirs = "client-" + UUID.randomUUID();
        for (String c : mine) {
            emu.dynamo()
                    .putItem(b -> b.tableName(clients)
                            .item(Map.of(
                                    "userId",
                                    AttributeValue.fromS(c),
                                    "coachId",
                                    AttributeValue.fromS(coach.userId()),
                                    "roomId",
                                    AttributeValue.fromS("dm-" + c),
                                    "assignedAt",
                                    AttributeValue.fromS("2026-01-01T00:00:00Z"))));
        }
        emu.dynamo()
                .putItem(b -> b.tableName(clients)
                        .item(Map.of(
                                "userId",
                                AttributeValue.fromS(theirs),
                                "coachId",
                                AttributeValue.fromS(other),
                                "roomId",
                                AttributeValue.fromS("dm-x"),
                                "assignedAt",
                                AttributeValue.fromS("2026-01-01T00:00:00Z"))));
        assertEquals(200, setRole(admin, "Admin", coach.username(), "Staff").status());
        for (String c : mine) {
            var row = emu.dynamo()
                    .getItem(b -> b.tableName(clients)
                            .key(Map.of("userId", AttributeValue.fromS(c)))
                            .consistentRead(true));
            assertTrue(!row.hasItem() || row.item().isEmpty(), "the assignment of " + c + " ended with the role");
            var told = emu.dynamo()
                    .query(b -> b.tableName(notifications)
                            .keyConditionExpression("userId = :u")
                            .expressionAttributeValues(Map.of(":u", AttributeValue.fromS(c))))
                    .items();
            assertEquals(1, told.size(), told::toString);
            assertEquals("coach-ended", told.get(0).get("type").s());
            assertEquals(c, told.get(0).get("unreadBy").s(), "unread");
            assertEquals("dm-" + c, told.get(0).get("ref").s());
        }
        assertEquals(
                other,
                emu.dynamo()
                        .getItem(b -> b.tableName(clients)
                                .key(Map.of("userId", AttributeValue.fromS(theirs)))
                                .consistentRead(true))
                        .item()
                        .get("coachId")
                        .s(),
                "another coach's client stays");
        // an assignment written in the same instant as the demotion, missed by the coach index: the promotion removes
        // it
        String raced = "client-" + UUID.randomUUID();
        emu.dynamo()
                .putItem(b -> b.tableName(clients)
                        .item(Map.of(
                                "userId",
                                AttributeValue.fromS(raced),
                                "coachId",
                                AttributeValue.fromS(coach.userId()),
                                "roomId",
                                AttributeValue.fromS("dm-" + raced),
                                "assignedAt",
                                AttributeValue.fromS("2026-01-01T00:00:00Z"))));
        assertEquals(200, setRole(admin, "Admin", coach.username(), "Coach").status());
        assertEquals(
                0,
                emu.dynamo()
                        .query(b -> b.tableName(clients)
                                .indexName("coach-index")
                                .keyConditionExpression("coachId = :c")
                                .expressionAttributeValues(Map.of(":c", AttributeValue.fromS(coach.userId()))))
                        .count(),
                "promotion starts with no caseload");
        assertEquals(
                200, setRole(admin, "Admin", coach.username(), "User").status(), "a demotion with no caseload left");
    }

    /**
     * A role change closes the user's open connections through the management API and forgets them: the connection's
     * row and its entry in the user's item (the UpdateItem on ConnectionsTable the policy grants AdminFunction).
     */
    @Test
    void aRoleChangeClosesTheUsersOpenConnectionsAndForgetsThem() throws Exception {
        var admin = CognitoTestUsers.create(emu);
        var target = onboarded("User");
        List<String> calls = new java.util.concurrent.CopyOnWriteArrayList<>();
        var management = com.sun.net.httpserver.HttpServer.create(new java.net.InetSocketAddress("127.0.0.1", 0), 0);
        management.createContext("/", exchange -> {
            calls.add(
                    exchange.getRequestMethod() + " " + exchange.getRequestURI().getPath());
            exchange.sendResponseHeaders(204, -1);
            exchange.close();
        });
        management.start();
        try {
            var config = emu.functionConfig(
                    "AdminFunction",
                    Map.of(
                            "WEBSOCKET_MANAGEMENT_ENDPOINT",
                            "http://127.0.0.1:" + management.getAddress().getPort()));
            var connections = Connections.from(emu.dynamo(), config);
            String id = "conn-" + UUID.randomUUID();
            connections.open(id, target.userId(), Instant.now());
            assertEquals(List.of(id), connections.ofUser(target.userId(), Instant.now()));
            Response r = setRoleWith(new AdminHandler(config), admin, target.username(), "Staff");
            assertEquals(200, r.status(), r.body());
            assertEquals(1, calls.size(), "one DELETE per open connection: " + calls);
            assertTrue(calls.get(0).startsWith("DELETE ") && calls.get(0).endsWith("/" + id), String.valueOf(calls));
            assertEquals(
                    List.of(), connections.ofUser(target.userId(), Instant.now()), "the row and the entry are gone");
            var userItem = emu.dynamo()
                    .getItem(b -> b.tableName(config.require("CONNECTIONS_TABLE"))
                            .key(Map.of("connectionId", AttributeValue.fromS("user#" + target.userId())))
                            .consistentRead(true))
                    .item();
            assertTrue(
                    userItem.isEmpty() || !userItem.get("connections").m().containsKey(id),
                    "the user's item no longer lists the connection: " + userItem);
        } finally {
            management.stop(0);
        }
    }

    static Response setRoleWith(AdminHandler h, CognitoTestUsers.TestUser caller, String target, String role) {
        return Events.call("admin-set-role")
                .as(caller.userId(), caller.email(), "Admin")
                .pathParam("userId", target)
                .body(Map.of("role", role))
                .invoke(h);
    }
}
