package dev.suite.chat.api;

import com.amazonaws.services.lambda.runtime.Context;
import com.amazonaws.services.lambda.runtime.RequestHandler;
import com.amazonaws.services.lambda.runtime.events.APIGatewayProxyRequestEvent;
import com.amazonaws.services.lambda.runtime.events.APIGatewayProxyResponseEvent;
import dev.suite.chat.domain.Attachments;
import dev.suite.chat.domain.ChatService;
import dev.suite.chat.store.ChatStore;
import dev.suite.shared.Clients;
import dev.suite.shared.Config;
import dev.suite.shared.data.Users;
import dev.suite.shared.http.ApiException;
import dev.suite.shared.http.ApiRequest;
import dev.suite.shared.http.ApiResponse;
import dev.suite.shared.http.Body;
import dev.suite.shared.http.Check;
import dev.suite.shared.http.Dispatcher;
import dev.suite.shared.http.Router;
import dev.suite.shared.http.Validated;
import java.time.Clock;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeSet;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;

/** Chat REST routes: rooms, history, members, attachments. */
public final class ChatRoomsHandler
        implements RequestHandler<APIGatewayProxyRequestEvent, APIGatewayProxyResponseEvent> {
    private final Dispatcher gateway;

    record NewRoom(String type, String name, List<String> memberIds) implements Validated<NewRoom> {
        @Override
        public NewRoom validated() {
            String t = Check.oneOf("type", type, List.of("direct", "group"));
            List<String> ids = Check.required("memberIds", memberIds);
            ids.forEach(id -> Check.id("memberIds", id));
            if (t.equals("direct")) {
                Check.size("memberIds", ids, 1, 1);
                if (name != null) {
                    throw ApiException.invalid("name", "a direct room has no name");
                }
                return new NewRoom(t, null, ids);
            }
            Check.size("memberIds", ids, 0, ChatService.MAX_INITIAL_MEMBERS + 1);
            return new NewRoom(t, Check.text("name", name, 1, 100), ids);
        }
    }

    record NewMember(String userId, String role) implements Validated<NewMember> {
        @Override
        public NewMember validated() {
            return new NewMember(
                    Check.id("userId", userId),
                    role == null ? "member" : Check.oneOf("role", role, List.of("member", "admin")));
        }
    }

    record RoleChange(String role) implements Validated<RoleChange> {
        @Override
        public RoleChange validated() {
            return new RoleChange(Check.oneOf("role", role, List.of("owner", "admin", "member")));
        }
    }

    record NewAttachment(String roomId, String fileName, String contentType, Long size)
            implements Validated<NewAttachment> {
        @Override
        public NewAttachment validated() {
            String file = Attachments.fileName("fileName", fileName);
            String type = Check.required("contentType", contentType).toLowerCase(Locale.ROOT);
            if (!Attachments.TYPES.contains(type)) {
                throw new ApiException(
                        415,
                        "UNSUPPORTED_ATTACHMENT_TYPE",
                        "contentType must be one of " + String.join(", ", new TreeSet<>(Attachments.TYPES)),
                        "contentType",
                        Map.of());
            }
            long bytes = Check.required("size", size);
            if (bytes < 1 || bytes > Attachments.MAX_BYTES) {
                throw new ApiException(413, "ATTACHMENT_TOO_LARGE", "size must be 1 byte to 25 MB", "size", Map.of());
            }
            return new NewAttachment(Check.id("roomId", roomId), file, type, bytes);
        }
    }

    public ChatRoomsHandler() {
        this(Config.fromSystem());
    }

    public ChatRoomsHandler(Config config) {
        this(config, service(config, Clients.dynamo(config)));
    }

    public static ChatService service(Config config, DynamoDbClient dynamo) {
        return new ChatService(
                ChatStore.from(dynamo, config),
                Users.from(dynamo, config),
                Attachments.from(config, Clock.systemUTC()),
                Clock.systemUTC(),
                config.getInt("ROOM_MEMBER_CAP", 1000));
    }

    /** The optional Idempotency-Key header: 1 to 64 letters, digits, '-' or '_' (a UUID fits). */
    static String idempotencyKey(ApiRequest r) {
        String key = r.header("Idempotency-Key");
        return key == null ? null : Check.id("Idempotency-Key", key);
    }

    public ChatRoomsHandler(Config config, ChatService chat) {
        Router router = new Router()
                .add("POST", "/chat/rooms", r -> {
                    String me = r.caller().userId();
                    NewRoom room = Body.parse(r, NewRoom.class);
                    ChatService.Created c = room.type().equals("direct")
                            ? chat.createDirect(me, room.memberIds().get(0))
                            : chat.createGroup(me, room.name(), room.memberIds(), idempotencyKey(r));
                    return c.created() ? ApiResponse.created(c.room()) : ApiResponse.ok(c.room());
                })
                .add(
                        "GET",
                        "/chat/rooms",
                        r -> ApiResponse.ok(chat.myRooms(
                                r.caller().userId(),
                                Check.intParam("limit", r.query("limit"), 1, 100, 20),
                                r.query("cursor"))))
                .add("GET", "/chat/rooms/{roomId}/messages", r -> {
                    String before = r.query("before") != null ? r.query("before") : r.query("cursor");
                    return ApiResponse.ok(chat.history(
                            r.caller().userId(),
                            Check.id("roomId", r.pathParam("roomId")),
                            before == null ? null : Check.id("before", before),
                            Check.intParam("limit", r.query("limit"), 1, 100, 50)));
                })
                .add("POST", "/chat/rooms/{roomId}/members", r -> {
                    String me = r.caller().userId();
                    NewMember m = Body.parse(r, NewMember.class);
                    return ApiResponse.created(
                            chat.addMember(me, Check.id("roomId", r.pathParam("roomId")), m.userId(), m.role()));
                })
                .add("PUT", "/chat/rooms/{roomId}/members/{userId}", r -> {
                    String me = r.caller().userId();
                    RoleChange c = Body.parse(r, RoleChange.class);
                    return ApiResponse.ok(chat.changeRole(
                            me,
                            Check.id("roomId", r.pathParam("roomId")),
                            Check.id("userId", r.pathParam("userId")),
                            c.role()));
                })
                .add("DELETE", "/chat/rooms/{roomId}/members/{userId}", r -> {
                    chat.removeMember(
                            r.caller().userId(),
                            Check.id("roomId", r.pathParam("roomId")),
                            Check.id("userId", r.pathParam("userId")));
                    return ApiResponse.noContent();
                })
                .add("POST", "/chat/attachments", r -> {
                    String me = r.caller().userId();
                    NewAttachment a = Body.parse(r, NewAttachment.class);
                    return ApiResponse.created(
                            chat.attachment(me, a.roomId(), a.fileName(), a.contentType(), a.size()));
                });
        // Priming: a caller nobody is lists no rooms, so the rooms' BatchGetItem is primed apart (rooms that cannot
        // exist).
        this.gateway = new Dispatcher(config, router)
                .primeWith(
                        "ChatRoomsHandler",
                        chat::primeRooms,
                        Dispatcher.synthetic("GET", "/chat/rooms", null, null),
                        Dispatcher.synthetic("POST", "/chat/rooms", null, "{\"type\":\"direct\",\"memberIds\":[]}"));
    }

    @Override
    public APIGatewayProxyResponseEvent handleRequest(APIGatewayProxyRequestEvent event, Context context) {
        return gateway.handle(event, context);
    }

    public Router router() {
        return gateway.router();
    }
}
