package dev.suite.chat.store;

import dev.suite.shared.Config;
import dev.suite.shared.Times;
import dev.suite.shared.data.Dynamo;
import dev.suite.shared.data.Rooms;
import dev.suite.shared.http.Page;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.Put;
import software.amazon.awssdk.services.dynamodb.model.QueryResponse;
import software.amazon.awssdk.services.dynamodb.model.TransactWriteItem;

/** Rooms, RoomMembers, Messages and the message idempotency records. */
public final class ChatStore {
    public static final String MEMBER_ROOMS = "user-rooms-index";
    private final DynamoDbClient dynamo;
    private final String rooms;
    private final String members;
    private final String messages;
    private final String idempotency;

    public record Room(String roomId, String type, String name, String createdBy, String createdAt, String lastActivityAt) {
    }

    public record Member(String roomId, String userId, String role, String joinedAt) {
    }

    public record Message(String roomId, String messageId, String senderId, String text, String attachmentKey,
                          String attachmentType, String clientMessageId, String createdAt) {
    }

    /** The message as stored, and whether this call stored it (false: a retry of an earlier one). */
    public record Stored(Message message, boolean fresh) {
    }

    public ChatStore(DynamoDbClient dynamo, String rooms, String members, String messages, String idempotency) {
        this.dynamo = dynamo;
        this.rooms = rooms;
        this.members = members;
        this.messages = messages;
        this.idempotency = idempotency;
    }

    public static ChatStore from(DynamoDbClient dynamo, Config config) {
        return new ChatStore(dynamo, config.require("ROOMS_TABLE"), config.require("ROOM_MEMBERS_TABLE"),
                config.require("MESSAGES_TABLE"), config.require("IDEMPOTENCY_TABLE"));
    }

    /** Creates a room with its members in one transaction; false when a room with that id exists (direct pairs). */
    public boolean createRoom(Room room, List<Member> initial) {
        List<TransactWriteItem> items = new ArrayList<>();
        Map<String, AttributeValue> r = Rooms.roomItem(room.roomId(), room.type(), room.name(), room.createdBy(), room.createdAt(),
                room.lastActivityAt());
        items.add(TransactWriteItem.builder().put(Put.builder().tableName(rooms).item(r)
                .conditionExpression("attribute_not_exists(roomId)").build()).build());
        for (Member m : initial) {
            items.add(TransactWriteItem.builder().put(Put.builder().tableName(members).item(memberItem(m)).build()).build());
        }
        return Dynamo.transact(dynamo, items);
    }

    public Optional<Room> room(String roomId) {
        Map<String, AttributeValue> i = dynamo.getItem(b -> b.tableName(rooms).key(Map.of("roomId", s(roomId)))).item();
        return i == null || i.isEmpty() ? Optional.empty() : Optional.of(room(i));
    }

    public List<Room> rooms(List<String> ids) {
        return Dynamo.batchGet(dynamo, rooms, ids.stream().map(id -> Map.of("roomId", s(id))).toList())
                .stream().map(ChatStore::room).toList();
    }

    public void touch(String roomId, Instant now) {
        dynamo.updateItem(b -> b.tableName(rooms).key(Map.of("roomId", s(roomId)))
                .updateExpression("SET lastActivityAt = :t").conditionExpression("attribute_exists(roomId)")
                .expressionAttributeValues(Map.of(":t", s(Times.iso(now)))));
    }

    public Optional<Member> member(String roomId, String userId) {
        Map<String, AttributeValue> i = dynamo.getItem(b -> b.tableName(members)
                .key(Map.of("roomId", s(roomId), "userId", s(userId))).consistentRead(true)).item();
        return i == null || i.isEmpty() ? Optional.empty() : Optional.of(member(i));
    }

    public List<Member> members(String roomId) {
        return Dynamo.queryAll(from -> dynamo.query(b -> b.tableName(members).keyConditionExpression("roomId = :r")
                .expressionAttributeValues(Map.of(":r", s(roomId))).exclusiveStartKey(from)), Integer.MAX_VALUE)
                .stream().map(ChatStore::member).toList();
    }

    /** Room ids of a user's memberships (at most {@code max}). */
    public List<String> roomsOf(String userId, int max) {
        return Dynamo.queryAll(from -> dynamo.query(b -> b.tableName(members).indexName(MEMBER_ROOMS)
                .keyConditionExpression("userId = :u").expressionAttributeValues(Map.of(":u", s(userId))).exclusiveStartKey(from)), max)
                .stream().map(i -> i.get("roomId").s()).toList();
    }

    /** Adds a member; false when already one. */
    public boolean addMember(Member m) {
        return Dynamo.transact(dynamo, List.of(TransactWriteItem.builder().put(p -> p.tableName(members).item(memberItem(m))
                .conditionExpression("attribute_not_exists(userId)")).build()));
    }

    /** Changes a member's role; false when that user is no longer a member. */
    public boolean setRole(String roomId, String userId, String role) {
        return Dynamo.transact(dynamo, List.of(TransactWriteItem.builder().update(u -> u.tableName(members)
                .key(Map.of("roomId", s(roomId), "userId", s(userId))).updateExpression("SET #r = :r")
                .conditionExpression("attribute_exists(userId)").expressionAttributeNames(Map.of("#r", "role"))
                .expressionAttributeValues(Map.of(":r", s(role)))).build()));
    }

    /** What a handover found: done, the new owner left meanwhile, or the caller is no longer the owner. */
    public enum Handover { DONE, NOT_A_MEMBER, NOT_THE_OWNER }

    /** Hands the room over: the new owner and the old one (now admin) change in one transaction. */
    public Handover transferOwnership(String roomId, String from, String to) {
        TransactWriteItem promote = TransactWriteItem.builder().update(u -> u.tableName(members)
                .key(Map.of("roomId", s(roomId), "userId", s(to))).updateExpression("SET #r = :owner")
                .conditionExpression("attribute_exists(userId)").expressionAttributeNames(Map.of("#r", "role"))
                .expressionAttributeValues(Map.of(":owner", s("owner")))).build();
        TransactWriteItem demote = TransactWriteItem.builder().update(u -> u.tableName(members)
                .key(Map.of("roomId", s(roomId), "userId", s(from))).updateExpression("SET #r = :admin")
                .conditionExpression("#r = :owner").expressionAttributeNames(Map.of("#r", "role"))
                .expressionAttributeValues(Map.of(":admin", s("admin"), ":owner", s("owner")))).build();
        return switch (Dynamo.failedCondition(dynamo, List.of(promote, demote))) {
            case -1 -> Handover.DONE;
            case 0 -> Handover.NOT_A_MEMBER;
            default -> Handover.NOT_THE_OWNER;
        };
    }

    public void removeMember(String roomId, String userId) {
        dynamo.deleteItem(b -> b.tableName(members).key(Map.of("roomId", s(roomId), "userId", s(userId))));
    }

    /**
     * Stores a message once per (sender, clientMessageId): the idempotency record and the message are written
     * together; a retry gets back the first message instead.
     */
    public Stored store(Message m, long ttlEpochSeconds) {
        String key = "msg#" + m.senderId() + "#" + m.clientMessageId();
        Map<String, AttributeValue> idem = new HashMap<>();
        idem.put("id", s(key));
        idem.put("roomId", s(m.roomId()));
        idem.put("messageId", s(m.messageId()));
        idem.put("createdAt", s(m.createdAt()));
        idem.put("expiresAt", AttributeValue.fromN(Long.toString(ttlEpochSeconds)));
        Map<String, AttributeValue> msg = new HashMap<>();
        msg.put("roomId", s(m.roomId()));
        msg.put("messageId", s(m.messageId()));
        msg.put("senderId", s(m.senderId()));
        if (m.text() != null) {
            msg.put("text", s(m.text()));
        }
        if (m.attachmentKey() != null) {
            msg.put("attachmentKey", s(m.attachmentKey()));
            msg.put("attachmentType", s(m.attachmentType()));
        }
        msg.put("clientMessageId", s(m.clientMessageId()));
        msg.put("createdAt", s(m.createdAt()));
        if (Dynamo.transact(dynamo, List.of(
                TransactWriteItem.builder().put(p -> p.tableName(idempotency).item(idem).conditionExpression("attribute_not_exists(id)")).build(),
                TransactWriteItem.builder().put(p -> p.tableName(messages).item(msg)).build()))) {
            return new Stored(m, true);
        }
        // a retry: answer with the message the first attempt stored
        Map<String, AttributeValue> first = dynamo.getItem(b -> b.tableName(idempotency).key(Map.of("id", s(key))).consistentRead(true)).item();
        return new Stored(new Message(first.get("roomId").s(), first.get("messageId").s(), m.senderId(), m.text(), m.attachmentKey(),
                m.attachmentType(), m.clientMessageId(), first.get("createdAt").s()), false);
    }

    /** A room's messages newest first, older than {@code before}; the next cursor is the next {@code before}. */
    public Page<Message> history(String roomId, String before, int limit) {
        QueryResponse r = dynamo.query(b -> {
            b.tableName(messages).scanIndexForward(false).limit(limit);
            if (before == null) {
                b.keyConditionExpression("roomId = :r").expressionAttributeValues(Map.of(":r", s(roomId)));
            } else {
                b.keyConditionExpression("roomId = :r AND messageId < :b").expressionAttributeValues(Map.of(":r", s(roomId), ":b", s(before)));
            }
        });
        String next = r.hasLastEvaluatedKey() && !r.lastEvaluatedKey().isEmpty() ? r.lastEvaluatedKey().get("messageId").s() : null;
        return new Page<>(r.items().stream().map(ChatStore::message).toList(), next);
    }

    static Room room(Map<String, AttributeValue> i) {
        return new Room(str(i, "roomId"), str(i, "type"), str(i, "name"), str(i, "createdBy"), str(i, "createdAt"), str(i, "lastActivityAt"));
    }

    static Member member(Map<String, AttributeValue> i) {
        return new Member(str(i, "roomId"), str(i, "userId"), str(i, "role"), str(i, "joinedAt"));
    }

    public static Message message(Map<String, AttributeValue> i) {
        return new Message(str(i, "roomId"), str(i, "messageId"), str(i, "senderId"), str(i, "text"), str(i, "attachmentKey"),
                str(i, "attachmentType"), str(i, "clientMessageId"), str(i, "createdAt"));
    }

    private static Map<String, AttributeValue> memberItem(Member m) {
        return Rooms.memberItem(m.roomId(), m.userId(), m.role(), m.joinedAt());
    }

    private static AttributeValue s(String v) {
        return AttributeValue.fromS(v);
    }

    private static String str(Map<String, AttributeValue> i, String k) {
        AttributeValue v = i.get(k);
        return v == null ? null : v.s();
    }
}
