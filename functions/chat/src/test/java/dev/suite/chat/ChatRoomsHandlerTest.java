package dev.suite.chat;

import static dev.suite.testkit.Assertions.assertError;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.suite.chat.api.ChatRoomsHandler;
import dev.suite.chat.domain.Attachments;
import dev.suite.chat.domain.ChatService;
import dev.suite.chat.store.ChatStore;
import dev.suite.emulators.Emulators;
import dev.suite.shared.Clients;
import dev.suite.shared.Config;
import dev.suite.shared.Ids;
import dev.suite.shared.Times;
import dev.suite.shared.data.Users;
import dev.suite.testkit.Events;
import dev.suite.testkit.Events.Response;
import dev.suite.testkit.Faults;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.dynamodb.model.GetItemRequest;
import software.amazon.awssdk.services.dynamodb.model.GetItemResponse;

class ChatRoomsHandlerTest {
    static Emulators emu;
    static Config config;
    static ChatRoomsHandler handler;
    static Users users;
    static ChatStore store;

    @BeforeAll
    static void start() {
        emu = Emulators.shared();
        config = emu.functionConfig("ChatRoomsFunction");
        handler = new ChatRoomsHandler(config);
        users = Users.from(emu.dynamo(), config);
        store = ChatStore.from(emu.dynamo(), config);
    }

    static String user() {
        String id = UUID.randomUUID().toString();
        users.create(id, id.substring(0, 8) + "@example.com", "U", "User", 5, Instant.now());
        return id;
    }

    static Response create(String caller, Map<String, Object> body) {
        return Events.call("chat-create-room")
                .as(caller, "c@example.com")
                .body(body)
                .invoke(handler);
    }

    static String group(String owner, String... members) {
        Response r = create(
                owner,
                Map.of("type", "group", "name", "Group " + owner.substring(0, 4), "memberIds", List.of(members)));
        assertEquals(201, r.status(), r::toString);
        return r.text("roomId");
    }

    /** A member removed between the check and the write: the conditional transaction answers 404, not 500. */
    @Test
    void aMemberRemovedMeanwhileIs404NotA500() {
        String owner = user();
        String leaving = user();
        String other = user();
        String room = group(owner, leaving, other);
        // the target leaves just before each write reaches DynamoDB
        var racing = Faults.dynamo(Clients.dynamo(config), "transactWriteItems", (call, args) -> {
            store.removeMember(room, leaving);
            return null;
        });
        ChatRoomsHandler raced = new ChatRoomsHandler(config, ChatRoomsHandler.service(config, racing));
        for (String role : List.of("owner", "admin")) {
            store.addMember(new ChatStore.Member(room, leaving, "member", Times.iso(Instant.now())), 1000);
            Response r = Events.call("chat-change-role")
                    .as(owner, "o@example.com")
                    .pathParam("roomId", room)
                    .pathParam("userId", leaving)
                    .body(Map.of("role", role))
                    .invoke(raced);
            assertError(r, 404, "NOT_FOUND");
            assertEquals("owner", store.member(room, owner).orElseThrow().role(), "nothing handed over");
        }
    }

    @Test
    void aRetriedGroupCreationWithTheSameIdempotencyKeyMakesOneRoom() throws Exception {
        String owner = user();
        String other = user();
        String key = UUID.randomUUID().toString();
        Map<String, Object> body = Map.of("type", "group", "name", "Retried", "memberIds", List.of(other));
        List<Callable<Response>> calls = new ArrayList<>();
        for (int i = 0; i < 10; i++) {
            calls.add(() -> Events.call("chat-create-room")
                    .as(owner, "o@example.com")
                    .header("Idempotency-Key", key)
                    .body(body)
                    .invoke(handler));
        }
        ExecutorService pool = Executors.newFixedThreadPool(10);
        Set<String> ids = new HashSet<>();
        int created = 0;
        try {
            for (Future<Response> f : pool.invokeAll(calls)) {
                Response r = f.get();
                assertTrue(r.status() == 201 || r.status() == 200, r::toString);
                created += r.status() == 201 ? 1 : 0;
                ids.add(r.text("roomId"));
            }
        } finally {
            pool.shutdown();
        }
        assertEquals(1, ids.size(), "one room for one key");
        assertEquals(1, created, "created once, found nine times");
        long owned = store.roomsOf(owner, 100).stream()
                .filter(id -> id.startsWith("gr-"))
                .count();
        assertEquals(1, owned, "the owner is in one group room");
        Response other2 = Events.call("chat-create-room")
                .as(owner, "o@example.com")
                .header("Idempotency-Key", UUID.randomUUID().toString())
                .body(body)
                .invoke(handler);
        assertEquals(201, other2.status(), "another key is another room");
        assertError(
                Events.call("chat-create-room")
                        .as(owner, "o@example.com")
                        .header("Idempotency-Key", "not a key!")
                        .body(body)
                        .invoke(handler),
                400,
                "VALIDATION_FAILED");
    }

    /** A replica that has not seen the write yet answers eventually consistent reads with nothing. */
    @Test
    void aCreatedRoomIsReadBackConsistentlyNeverA500() {
        var lagging = Faults.dynamo(
                emu.dynamo(),
                "getItem",
                (call, args) -> Boolean.TRUE.equals(((GetItemRequest) args[0]).consistentRead())
                        ? null
                        : GetItemResponse.builder().build());
        ChatRoomsHandler h = new ChatRoomsHandler(config, ChatRoomsHandler.service(config, lagging));
        String owner = user();
        String other = user();
        Response group = Events.call("chat-create-room")
                .as(owner, "o@example.com")
                .body(Map.of("type", "group", "name", "Fresh", "memberIds", List.of(other)))
                .invoke(h);
        assertEquals(201, group.status(), group::toString);
        Response direct = Events.call("chat-create-room")
                .as(owner, "o@example.com")
                .body(Map.of("type", "direct", "memberIds", List.of(other)))
                .invoke(h);
        assertEquals(201, direct.status(), direct::toString);
        assertEquals(2, direct.json().get("members").size());
    }

    @Test
    void roomsHaveAMemberCapThatRacesCannotPass() throws Exception {
        ChatRoomsHandler capped = new ChatRoomsHandler(
                config,
                new ChatService(
                        store,
                        users,
                        new Attachments(null, null, "unused", Duration.ofMinutes(1), Clock.systemUTC()),
                        Clock.systemUTC(),
                        5));
        String owner = user();
        String room = group(owner, user());
        List<Callable<Response>> adds = new ArrayList<>();
        for (int i = 0; i < 10; i++) {
            String candidate = user();
            adds.add(() -> Events.call("chat-add-member")
                    .as(owner, "o@example.com")
                    .pathParam("roomId", room)
                    .body(Map.of("userId", candidate))
                    .invoke(capped));
        }
        ExecutorService pool = Executors.newFixedThreadPool(10);
        int added = 0;
        int full = 0;
        try {
            for (Future<Response> f : pool.invokeAll(adds)) {
                Response r = f.get();
                if (r.status() == 201) {
                    added++;
                } else {
                    assertError(r, 409, "ROOM_FULL");
                    full++;
                }
            }
        } finally {
            pool.shutdown();
        }
        assertEquals(3, added, "2 members + 3 = the cap of 5");
        assertEquals(7, full);
        assertEquals(5, store.members(room).size());
        // leaving frees a place
        String leaver = store.members(room).stream()
                .filter(m -> m.role().equals("member"))
                .findFirst()
                .orElseThrow()
                .userId();
        assertEquals(
                204,
                Events.call("chat-remove-member")
                        .as(leaver, "l@example.com")
                        .pathParam("roomId", room)
                        .pathParam("userId", leaver)
                        .invoke(capped)
                        .status());
        assertEquals(
                201,
                Events.call("chat-add-member")
                        .as(owner, "o@example.com")
                        .pathParam("roomId", room)
                        .body(Map.of("userId", user()))
                        .invoke(capped)
                        .status());
    }

    @Test
    void whoLeftADirectRoomIsBackWhenEitherSideOpensItAgain() {
        String a = user();
        String b = user();
        String room =
                create(a, Map.of("type", "direct", "memberIds", List.of(b))).text("roomId");
        assertEquals(
                204,
                Events.call("chat-remove-member")
                        .as(b, "b@example.com")
                        .pathParam("roomId", room)
                        .pathParam("userId", b)
                        .invoke(handler)
                        .status());
        assertTrue(store.member(room, b).isEmpty());
        Response again = create(a, Map.of("type", "direct", "memberIds", List.of(b)));
        assertEquals(200, again.status());
        assertEquals(room, again.text("roomId"));
        assertEquals(2, again.json().get("members").size(), again::toString);
        assertTrue(store.member(room, b).isPresent(), "b is back");
    }

    @Test
    void theSamePairAlwaysGetsTheSameDirectRoom() {
        String a = user();
        String b = user();
        Response first = create(a, Map.of("type", "direct", "memberIds", List.of(b)));
        assertEquals(201, first.status(), first::toString);
        Response again = create(a, Map.of("type", "direct", "memberIds", List.of(b)));
        assertEquals(200, again.status());
        Response reverse = create(b, Map.of("type", "direct", "memberIds", List.of(a)));
        assertEquals(first.text("roomId"), again.text("roomId"));
        assertEquals(first.text("roomId"), reverse.text("roomId"));
        assertEquals(2, first.json().get("members").size());
        assertError(create(a, Map.of("type", "direct", "memberIds", List.of(a))), 400, "VALIDATION_FAILED");
        assertError(
                create(
                        a,
                        Map.of(
                                "type",
                                "direct",
                                "memberIds",
                                List.of(UUID.randomUUID().toString()))),
                404,
                "USER_NOT_FOUND");
        assertError(create(a, Map.of("type", "direct", "memberIds", List.of(b, user()))), 400, "VALIDATION_FAILED");
        assertError(create(a, Map.of("type", "circle", "memberIds", List.of(b))), 400, "VALIDATION_FAILED");
        assertError(create(a, Map.of("type", "group", "memberIds", List.of(b))), 400, "VALIDATION_FAILED");
    }

    @Test
    void aGroupMakesItsCreatorOwner() {
        String owner = user();
        String m = user();
        Response r = create(owner, Map.of("type", "group", "name", "Quit together", "memberIds", List.of(m)));
        assertEquals(201, r.status());
        assertEquals("group", r.text("type"));
        assertEquals("Quit together", r.text("name"));
        Map<String, String> roles = new HashMap<>();
        r.json()
                .get("members")
                .forEach(x -> roles.put(x.get("userId").asText(), x.get("role").asText()));
        assertEquals(Map.of(owner, "owner", m, "member"), roles);
    }

    @Test
    void myRoomsAreMostRecentlyActiveFirstAndPaged() throws Exception {
        String me = user();
        String r1 = group(me);
        String r2 = group(me);
        String r3 = group(me);
        Thread.sleep(5);
        store.touch(r1, Instant.now());
        List<String> seen = new ArrayList<>();
        String cursor = null;
        do {
            Events.Call c =
                    Events.call("chat-list-rooms").as(me, "m@example.com").query("limit", "2");
            if (cursor != null) {
                c.query("cursor", cursor);
            }
            Response page = c.invoke(handler);
            assertEquals(200, page.status(), page::toString);
            page.json().get("items").forEach(i -> seen.add(i.get("roomId").asText()));
            cursor = page.json().get("nextCursor").isNull() ? null : page.text("nextCursor");
        } while (cursor != null);
        assertEquals(List.of(r1, r3, r2), seen);
        assertEquals(
                0,
                Events.call("chat-list-rooms")
                        .as(user(), "o@example.com")
                        .invoke(handler)
                        .json()
                        .get("items")
                        .size());
    }

    @Test
    void historyPagesNewestFirstAcross120MessagesForMembersOnly() {
        String me = user();
        String room = group(me);
        Instant t0 = Instant.parse("2026-11-23T10:00:00Z");
        for (int i = 0; i < 120; i++) {
            Instant t = t0.plusMillis(i * 10L);
            store.store(
                    new ChatStore.Message(room, Ids.at(t), me, "message " + i, null, null, "c" + i, Times.iso(t)),
                    t.getEpochSecond() + 86400);
        }
        List<String> texts = new ArrayList<>();
        String before = null;
        int pages = 0;
        do {
            Events.Call c = Events.call("chat-history")
                    .as(me, "m@example.com")
                    .pathParam("roomId", room)
                    .query("limit", "50");
            if (before != null) {
                c.query("before", before);
            }
            Response page = c.invoke(handler);
            assertEquals(200, page.status(), page::toString);
            page.json().get("items").forEach(i -> texts.add(i.get("text").asText()));
            before = page.json().get("nextCursor").isNull() ? null : page.text("nextCursor");
            pages++;
        } while (before != null && pages < 10);
        assertEquals(120, texts.size());
        assertEquals("message 119", texts.get(0));
        assertEquals("message 0", texts.get(119));
        assertEquals(120, new HashSet<>(texts).size(), "no message twice");
        assertTrue(pages >= 3);
        assertError(
                Events.call("chat-history")
                        .as(user(), "o@example.com")
                        .pathParam("roomId", room)
                        .invoke(handler),
                404,
                "NOT_FOUND");
        assertError(
                Events.call("chat-history")
                        .as(me, "m@example.com")
                        .pathParam("roomId", room)
                        .query("limit", "500")
                        .invoke(handler),
                400,
                "VALIDATION_FAILED");
    }

    enum Who {
        OWNER,
        ADMIN,
        MEMBER,
        OUTSIDER
    }

    /** A fresh group with one user per role plus a plain member to act on. */
    record Cast(String room, Map<Who, String> ids, String target) {}

    static Cast cast() {
        String owner = user();
        String admin = user();
        String member = user();
        String target = user();
        String room = group(owner, admin, member, target);
        store.setRole(room, admin, "admin");
        return new Cast(
                room, Map.of(Who.OWNER, owner, Who.ADMIN, admin, Who.MEMBER, member, Who.OUTSIDER, user()), target);
    }

    @Test
    void theMemberRolePermissionMatrix() {
        // add a member
        Map<Who, Integer> add = Map.of(Who.OWNER, 201, Who.ADMIN, 201, Who.MEMBER, 403, Who.OUTSIDER, 404);
        // make the target an admin
        Map<Who, Integer> promote = Map.of(Who.OWNER, 200, Who.ADMIN, 403, Who.MEMBER, 403, Who.OUTSIDER, 404);
        // remove the target (a plain member)
        Map<Who, Integer> remove = Map.of(Who.OWNER, 204, Who.ADMIN, 204, Who.MEMBER, 403, Who.OUTSIDER, 404);
        // leave
        Map<Who, Integer> leave = Map.of(Who.OWNER, 409, Who.ADMIN, 204, Who.MEMBER, 204, Who.OUTSIDER, 404);
        int cells = 0;
        for (Who who : Who.values()) {
            Cast c = cast();
            String caller = c.ids().get(who);
            Response r = Events.call("chat-add-member")
                    .as(caller, "x@example.com")
                    .pathParam("roomId", c.room())
                    .body(Map.of("userId", user()))
                    .invoke(handler);
            assertEquals((int) add.get(who), r.status(), who + " add: " + r);
            r = Events.call("chat-change-role")
                    .as(caller, "x@example.com")
                    .pathParam("roomId", c.room())
                    .pathParam("userId", c.target())
                    .body(Map.of("role", "admin"))
                    .invoke(handler);
            assertEquals((int) promote.get(who), r.status(), who + " promote: " + r);
            Cast fresh = cast();
            r = Events.call("chat-remove-member")
                    .as(fresh.ids().get(who), "x@example.com")
                    .pathParam("roomId", fresh.room())
                    .pathParam("userId", fresh.target())
                    .invoke(handler);
            assertEquals((int) remove.get(who), r.status(), who + " remove: " + r);
            r = Events.call("chat-remove-member")
                    .as(caller, "x@example.com")
                    .pathParam("roomId", c.room())
                    .pathParam("userId", caller)
                    .invoke(handler);
            assertEquals((int) leave.get(who), r.status(), who + " leave: " + r);
            cells += 4;
        }
        assertEquals(16, cells);
    }

    @Test
    void ownershipIsHandedOverThenTheOldOwnerMayLeaveAndAdminsCannotRemoveAdmins() {
        Cast c = cast();
        String owner = c.ids().get(Who.OWNER);
        String admin = c.ids().get(Who.ADMIN);
        assertError(
                Events.call("chat-remove-member")
                        .as(admin, "a@example.com")
                        .pathParam("roomId", c.room())
                        .pathParam("userId", owner)
                        .invoke(handler),
                403,
                "FORBIDDEN");
        assertError(
                Events.call("chat-add-member")
                        .as(admin, "a@example.com")
                        .pathParam("roomId", c.room())
                        .body(Map.of("userId", user(), "role", "admin"))
                        .invoke(handler),
                403,
                "FORBIDDEN");
        assertError(
                Events.call("chat-add-member")
                        .as(owner, "o@example.com")
                        .pathParam("roomId", c.room())
                        .body(Map.of("userId", admin))
                        .invoke(handler),
                409,
                "ALREADY_MEMBER");
        Response handed = Events.call("chat-change-role")
                .as(owner, "o@example.com")
                .pathParam("roomId", c.room())
                .pathParam("userId", admin)
                .body(Map.of("role", "owner"))
                .invoke(handler);
        assertEquals(200, handed.status(), handed::toString);
        assertEquals("owner", store.member(c.room(), admin).orElseThrow().role());
        assertEquals("admin", store.member(c.room(), owner).orElseThrow().role());
        assertEquals(
                204,
                Events.call("chat-remove-member")
                        .as(owner, "o@example.com")
                        .pathParam("roomId", c.room())
                        .pathParam("userId", owner)
                        .invoke(handler)
                        .status());
        assertTrue(store.member(c.room(), owner).isEmpty());
    }

    @Test
    void attachmentsAreForMembersWithAllowedTypesAndSizes() throws Exception {
        String me = user();
        String room = group(me);
        Response ok = Events.call("chat-attachment")
                .as(me, "m@example.com")
                .body(Map.of("roomId", room, "fileName", "note.txt", "contentType", "text/plain", "size", 5))
                .invoke(handler);
        assertEquals(201, ok.status(), ok::toString);
        String key = ok.text("attachmentKey");
        assertTrue(key.startsWith("attachments/" + room + "/"));
        HttpResponse<String> put = HttpClient.newHttpClient()
                .send(
                        HttpRequest.newBuilder(URI.create(ok.text("uploadUrl")))
                                .header("Content-Type", "text/plain")
                                .PUT(HttpRequest.BodyPublishers.ofString("hello"))
                                .build(),
                        HttpResponse.BodyHandlers.ofString());
        assertEquals(200, put.statusCode(), put.body());
        Attachments attachments = Attachments.from(config.with(Map.of("PRESIGN_TTL_MINUTES", "15")), Clock.systemUTC());
        assertEquals("text/plain", attachments.check(room, key));

        for (String voice :
                List.of("audio/webm", "audio/ogg", "audio/mpeg", "audio/mp4", "image/png", "application/pdf")) {
            assertEquals(
                    201,
                    Events.call("chat-attachment")
                            .as(me, "m@example.com")
                            .body(Map.of("roomId", room, "fileName", "f", "contentType", voice, "size", 1000))
                            .invoke(handler)
                            .status(),
                    voice);
        }
        assertError(
                Events.call("chat-attachment")
                        .as(me, "m@example.com")
                        .body(Map.of(
                                "roomId",
                                room,
                                "fileName",
                                "x.exe",
                                "contentType",
                                "application/x-msdownload",
                                "size",
                                10))
                        .invoke(handler),
                415,
                "UNSUPPORTED_ATTACHMENT_TYPE");
        assertError(
                Events.call("chat-attachment")
                        .as(me, "m@example.com")
                        .body(Map.of(
                                "roomId",
                                room,
                                "fileName",
                                "big.webm",
                                "contentType",
                                "audio/webm",
                                "size",
                                25L * 1024 * 1024 + 1))
                        .invoke(handler),
                413,
                "ATTACHMENT_TOO_LARGE");
        assertError(
                Events.call("chat-attachment")
                        .as(me, "m@example.com")
                        .body(Map.of(
                                "roomId",
                                room,
                                "fileName",
                                "../../etc/passwd",
                                "contentType",
                                "text/plain",
                                "size",
                                10))
                        .invoke(handler),
                400,
                "VALIDATION_FAILED");
        assertError(
                Events.call("chat-attachment")
                        .as(user(), "o@example.com")
                        .body(Map.of("roomId", room, "fileName", "a.txt", "contentType", "text/plain", "size", 10))
                        .invoke(handler),
                404,
                "NOT_FOUND");
        assertNotNull(ok.json().get("expiresAt"));
    }
}
