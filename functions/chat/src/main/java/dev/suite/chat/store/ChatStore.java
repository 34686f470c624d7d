package dev.suite.chat.store;

import static dev.suite.shared.data.Items.s;
import static dev.suite.shared.data.Items.str;

import dev.suite.shared.Config;
import dev.suite.shared.Times;
import dev.suite.shared.data.Dynamo;
import dev.suite.shared.data.Rooms;
import dev.suite.shared.data.Transaction;
import dev.suite.shared.http.Page;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
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

    public record Room(
            String roomId, String type, String name, String createdBy, String createdAt, String lastActivityAt) {}

    public record Member(String roomId, String userId, String role, String joinedAt) {}

    public record Message(
            String roomId,
            String messageId,
            String senderId,
            String text,
            String attachmentKey,
            String attachmentType,
            String clientMessageId,
            String createdAt) {}

    /**
     * The message as stored, whether this call stored it (false: a retry of an earlier one), and whether its fan-out
     * completed (a retry of a message whose fan-out failed fans it out again).
     */
    public record Stored(Message message, boolean fresh, boolean delivered) {}

    public ChatStore(DynamoDbClient dynamo, String rooms, String members, String messages, String idempotency) {
        this.dynamo = dynamo;
        this.rooms = rooms;
        this.members = members;
        this.messages = messages;
        this.idempotency = idempotency;
    }

    public static ChatStore from(DynamoDbClient dynamo, Config config) {
        return new ChatStore(
                dynamo,
                config.require("ROOMS_TABLE"),
                config.require("ROOM_MEMBERS_TABLE"),
                config.require("MESSAGES_TABLE"),
                config.require("IDEMPOTENCY_TABLE"));
    }

    /** Creates a room with its members in one transaction; false when a room with that id exists (direct pairs). */
    public boolean createRoom(Room room, List<Member> initial) {
        return createRoom(room, initial, null) == null;
    }

    /** Why a room was not created: its idempotency key was used, or a room with its id exists. */
    private enum Existing {
        KEY_USED,
        ROOM_EXISTS
    }

    /**
     * Creates a room with its members (and its member count) in one transaction. With an idempotency key, the key's
     * record is written in the same transaction: a retry with the same key finds it and gets the first room's id back.
     * Returns null when this call created the room, else the id of the room that already stands for it.
     */
    public String createRoom(Room room, List<Member> initial, String idempotencyKey) {
        Transaction<Existing> tx = new Transaction<>();
        Map<String, AttributeValue> r = new HashMap<>(Rooms.roomItem(
                room.roomId(), room.type(), room.name(), room.createdBy(), room.createdAt(), room.lastActivityAt()));
        r.put("memberCount", AttributeValue.fromN(Integer.toString(initial.size())));
        if (idempotencyKey != null) {
            tx.guard(
                    TransactWriteItem.builder()
                            .put(p -> p.tableName(idempotency)
                                    .item(Map.of(
                                            "id",
                                            s(idempotencyKey),
                                            "roomId",
                                            s(room.roomId()),
                                            "expiresAt",
                                            AttributeValue.fromN(Long.toString(Instant.parse(room.createdAt())
                                                    .plus(Duration.ofDays(1))
                                                    .getEpochSecond()))))
                                    .conditionExpression("attribute_not_exists(id)"))
                            .build(),
                    Existing.KEY_USED);
        }
        tx.guard(
                TransactWriteItem.builder()
                        .put(Put.builder()
                                .tableName(rooms)
                                .item(r)
                                .conditionExpression("attribute_not_exists(roomId)")
                                .build())
                        .build(),
                Existing.ROOM_EXISTS);
        for (Member m : initial) {
            tx.add(TransactWriteItem.builder()
                    .put(Put.builder().tableName(members).item(memberItem(m)).build())
                    .build());
        }
        if (tx.write(dynamo).isEmpty()) {
            return null;
        }
        if (idempotencyKey == null) {
            return room.roomId();
        }
        Map<String, AttributeValue> first = dynamo.getItem(b -> b.tableName(idempotency)
                        .key(Map.of("id", s(idempotencyKey)))
                        .consistentRead(true))
                .item();
        return first == null || first.isEmpty()
                ? room.roomId()
                : first.get("roomId").s();
    }

    public Optional<Room> room(String roomId) {
        Map<String, AttributeValue> i = dynamo.getItem(
                        b -> b.tableName(rooms).key(Map.of("roomId", s(roomId))).consistentRead(true))
                .item();
        return i == null || i.isEmpty() ? Optional.empty() : Optional.of(room(i));
    }

    public List<Room> rooms(List<String> ids) {
        return Dynamo.batchGet(
                        dynamo,
                        rooms,
                        ids.stream().map(id -> Map.of("roomId", s(id))).toList())
                .stream()
                .map(ChatStore::room)
                .toList();
    }

    public void touch(String roomId, Instant now) {
        dynamo.updateItem(b -> b.tableName(rooms)
                .key(Map.of("roomId", s(roomId)))
                .updateExpression("SET lastActivityAt = :t")
                .conditionExpression("attribute_exists(roomId)")
                .expressionAttributeValues(Map.of(":t", s(Times.iso(now)))));
    }

    public Optional<Member> member(String roomId, String userId) {
        Map<String, AttributeValue> i = dynamo.getItem(b -> b.tableName(members)
                        .key(Map.of("roomId", s(roomId), "userId", s(userId)))
                        .consistentRead(true))
                .item();
        return i == null || i.isEmpty() ? Optional.empty() : Optional.of(member(i));
    }

    public List<Member> members(String roomId) {
        return Dynamo.queryAll(
                        from -> dynamo.query(b -> b.tableName(members)
                                .keyConditionExpression("roomId = :r")
                                .consistentRead(true)
                                .expressionAttributeValues(Map.of(":r", s(roomId)))
                                .exclusiveStartKey(from)),
                        Integer.MAX_VALUE)
                .stream()
                .map(ChatStore::member)
                .toList();
    }

    /** Room ids of a user's memberships (at most {@code max}). */
    public List<String> roomsOf(String userId, int max) {
        return Dynamo.queryAll(
                        from -> dynamo.query(b -> b.tableName(members)
                                .indexName(MEMBER_ROOMS)
                                .keyConditionExpression("userId = :u")
                                .expressionAttributeValues(Map.of(":u", s(userId)))
                                .exclusiveStartKey(from)),
                        max)
                .stream()
                .map(i -> i.get("roomId").s())
                .toList();
    }

    /** What adding a member found. */
    public enum Added {
        ADDED,
        ALREADY_MEMBER,
        ROOM_FULL
    }

    /**
     * Adds a member and counts it on the room, in one transaction: the room's count stays below {@code cap} however
     * many adds race (rooms written before the count existed start counting from their next add).
     */
    public Added addMember(Member m, int cap) {
        return switch (Rooms.join(dynamo, rooms, members, m.roomId(), m.userId(), m.role(), m.joinedAt(), cap)) {
            case JOINED -> Added.ADDED;
            case ROOM_FULL -> Added.ROOM_FULL;
            case ALREADY_MEMBER -> Added.ALREADY_MEMBER;
        };
    }

    /** Changes a member's role; false when that user is no longer a member. */
    public boolean setRole(String roomId, String userId, String role) {
        return Dynamo.transact(
                dynamo,
                List.of(TransactWriteItem.builder()
                        .update(u -> u.tableName(members)
                                .key(Map.of("roomId", s(roomId), "userId", s(userId)))
                                .updateExpression("SET #r = :r")
                                .conditionExpression("attribute_exists(userId)")
                                .expressionAttributeNames(Map.of("#r", "role"))
                                .expressionAttributeValues(Map.of(":r", s(role))))
                        .build()));
    }

    /** What a handover found: done, the new owner left meanwhile, or the caller is no longer the owner. */
    public enum Handover {
        DONE,
        NOT_A_MEMBER,
        NOT_THE_OWNER
    }

    /** Hands the room over: the new owner and the old one (now admin) change in one transaction. */
    public Handover transferOwnership(String roomId, String from, String to) {
        TransactWriteItem promote = TransactWriteItem.builder()
                .update(u -> u.tableName(members)
                        .key(Map.of("roomId", s(roomId), "userId", s(to)))
                        .updateExpression("SET #r = :owner")
                        .conditionExpression("attribute_exists(userId)")
                        .expressionAttributeNames(Map.of("#r", "role"))
                        .expressionAttributeValues(Map.of(":owner", s("owner"))))
                .build();
        TransactWriteItem demote = TransactWriteItem.builder()
                .update(u -> u.tableName(members)
                        .key(Map.of("roomId", s(roomId), "userId", s(from)))
                        .updateExpression("SET #r = :admin")
                        .conditionExpression("#r = :owner")
                        .expressionAttributeNames(Map.of("#r", "role"))
                        .expressionAttributeValues(Map.of(":admin", s("admin"), ":owner", s("owner"))))
                .build();
        return new Transaction<Handover>()
                .guard(promote, Handover.NOT_A_MEMBER)
                .guard(demote, Handover.NOT_THE_OWNER)
                .write(dynamo)
                .orElse(Handover.DONE);
    }

    /** Why a removal wrote nothing: the user was not a member, or the room keeps no count yet. */
    private enum Removal {
        NOT_A_MEMBER,
        UNCOUNTED_ROOM
    }

    /** Removes a member and uncounts it, in one transaction; nothing happens when that user is not a member. */
    public void removeMember(String roomId, String userId) {
        TransactWriteItem delete = TransactWriteItem.builder()
                .delete(d -> d.tableName(members)
                        .key(Map.of("roomId", s(roomId), "userId", s(userId)))
                        .conditionExpression("attribute_exists(userId)"))
                .build();
        TransactWriteItem uncount = TransactWriteItem.builder()
                .update(u -> u.tableName(rooms)
                        .key(Map.of("roomId", s(roomId)))
                        .updateExpression("SET memberCount = memberCount - :one")
                        .conditionExpression("attribute_exists(memberCount) AND memberCount > :zero")
                        .expressionAttributeValues(
                                Map.of(":zero", AttributeValue.fromN("0"), ":one", AttributeValue.fromN("1"))))
                .build();
        if (new Transaction<Removal>()
                        .guard(delete, Removal.NOT_A_MEMBER)
                        .guard(uncount, Removal.UNCOUNTED_ROOM)
                        .write(dynamo)
                        .orElse(null)
                == Removal.UNCOUNTED_ROOM) {
            // a room from before the count: remove the member alone
            new Transaction<Removal>().guard(delete, Removal.NOT_A_MEMBER).write(dynamo);
        }
    }

    /**
     * Stores a message once per (sender, clientMessageId): the idempotency record and the message are written
     * together; a retry gets back the first message instead.
     */
    public Stored store(Message m, long ttlEpochSeconds) {
        String key = "msg#" + m.roomId() + "#" + m.senderId() + "#" + m.clientMessageId();
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
        msg.put("delivered", AttributeValue.fromBool(false));
        if (Dynamo.transact(
                dynamo,
                List.of(
                        TransactWriteItem.builder()
                                .put(p -> p.tableName(idempotency)
                                        .item(idem)
                                        .conditionExpression("attribute_not_exists(id)"))
                                .build(),
                        TransactWriteItem.builder()
                                .put(p -> p.tableName(messages).item(msg))
                                .build()))) {
            return new Stored(m, true, false);
        }
        // a retry: answer with the message the first attempt stored, and whether its fan-out completed
        Map<String, AttributeValue> first = dynamo.getItem(
                        b -> b.tableName(idempotency).key(Map.of("id", s(key))).consistentRead(true))
                .item();
        Map<String, AttributeValue> row = dynamo.getItem(b -> b.tableName(messages)
                        .key(Map.of("roomId", first.get("roomId"), "messageId", first.get("messageId")))
                        .consistentRead(true))
                .item();
        if (row == null || row.isEmpty()) {
            return new Stored(
                    new Message(
                            first.get("roomId").s(),
                            first.get("messageId").s(),
                            m.senderId(),
                            m.text(),
                            m.attachmentKey(),
                            m.attachmentType(),
                            m.clientMessageId(),
                            first.get("createdAt").s()),
                    false,
                    true);
        }
        AttributeValue delivered = row.get("delivered");
        return new Stored(message(row), false, delivered == null || Boolean.TRUE.equals(delivered.bool()));
    }

    /**
     * For SnapStart priming, the DynamoDB operations a sent message makes, writing nothing: the members of a room that
     * does not exist (a Query), the message's transaction and the room's touch refused by their condition
     * ({@link Dynamo#refusedWrite}).
     */
    public void primeSend() {
        members("priming#" + UUID.randomUUID());
        Dynamo.refusedWrite(dynamo, Dynamo.Write.TRANSACT_PUT, messages, "roomId", "messageId");
        Dynamo.refusedWrite(dynamo, Dynamo.Write.UPDATE, rooms, "roomId");
    }

    /** Records that the message's fan-out completed, so a retry acks without fanning out again. */
    public void markDelivered(String roomId, String messageId) {
        dynamo.updateItem(b -> b.tableName(messages)
                .key(Map.of("roomId", s(roomId), "messageId", s(messageId)))
                .updateExpression("SET delivered = :t")
                .conditionExpression("attribute_exists(messageId)")
                .expressionAttributeValues(Map.of(":t", AttributeValue.fromBool(true))));
    }

    /** A room's messages newest first, older than {@code before}; the next cursor is the next {@code before}. */
    public Page<Message> history(String roomId, String before, int limit) {
        QueryResponse r = dynamo.query(b -> {
            b.tableName(messages).scanIndexForward(false).limit(limit);
            if (before == null) {
                b.keyConditionExpression("roomId = :r").expressionAttributeValues(Map.of(":r", s(roomId)));
            } else {
                b.keyConditionExpression("roomId = :r AND messageId < :b")
                        .expressionAttributeValues(Map.of(":r", s(roomId), ":b", s(before)));
            }
        });
        String next = r.hasLastEvaluatedKey() && !r.lastEvaluatedKey().isEmpty()
                ? r.lastEvaluatedKey().get("messageId").s()
                : null;
        return new Page<>(r.items().stream().map(ChatStore::message).toList(), next);
    }

    static Room room(Map<String, AttributeValue> i) {
        return new Room(
                str(i, "roomId"),
                str(i, "type"),
                str(i, "name"),
                str(i, "createdBy"),
                str(i, "createdAt"),
                str(i, "lastActivityAt"));
    }

    static Member member(Map<String, AttributeValue> i) {
        return new Member(str(i, "roomId"), str(i, "userId"), str(i, "role"), str(i, "joinedAt"));
    }

    public static Message message(Map<String, AttributeValue> i) {
        return new Message(
                str(i, "roomId"),
                str(i, "messageId"),
                str(i, "senderId"),
                str(i, "text"),
                str(i, "attachmentKey"),
                str(i, "attachmentType"),
                str(i, "clientMessageId"),
                str(i, "createdAt"));
    }

    private static Map<String, AttributeValue> memberItem(Member m) {
        return Rooms.memberItem(m.roomId(), m.userId(), m.role(), m.joinedAt());
    }
}
