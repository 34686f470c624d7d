package dev.suite.shared.data;

import dev.suite.shared.Times;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Instant;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.TransactWriteItem;

/**
 * The chat's room items as every module writes them (Rooms and RoomMembers tables), and the direct room of a pair:
 * chat opens it when a user asks, coaching when an admin assigns a coach. One room id per pair, whoever opens it.
 */
public final class Rooms {
    private Rooms() {}

    /** The same pair always gets the same room: the id is derived from the two sorted user ids. */
    public static String directId(String a, String b) {
        String pair = a.compareTo(b) < 0 ? a + "|" + b : b + "|" + a;
        try {
            byte[] hash = MessageDigest.getInstance("SHA-256").digest(pair.getBytes(StandardCharsets.UTF_8));
            return "dm-" + HexFormat.of().formatHex(hash, 0, 16);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    public static Map<String, AttributeValue> roomItem(
            String roomId, String type, String name, String createdBy, String createdAt, String lastActivityAt) {
        Map<String, AttributeValue> r = new HashMap<>();
        r.put("roomId", AttributeValue.fromS(roomId));
        r.put("type", AttributeValue.fromS(type));
        if (name != null) {
            r.put("name", AttributeValue.fromS(name));
        }
        r.put("createdBy", AttributeValue.fromS(createdBy));
        r.put("createdAt", AttributeValue.fromS(createdAt));
        r.put("lastActivityAt", AttributeValue.fromS(lastActivityAt));
        return r;
    }

    public static Map<String, AttributeValue> memberItem(String roomId, String userId, String role, String joinedAt) {
        return Map.of(
                "roomId",
                AttributeValue.fromS(roomId),
                "userId",
                AttributeValue.fromS(userId),
                "role",
                AttributeValue.fromS(role),
                "joinedAt",
                AttributeValue.fromS(joinedAt));
    }

    /**
     * Adds a member and counts it on the room, in one transaction: the room's {@code memberCount} stays at most
     * {@code cap} however many joins race (rooms written before the count existed start counting from their next join).
     * Answers whether the user joined, or why not.
     */
    public static Join join(
            DynamoDbClient dynamo,
            String roomsTable,
            String membersTable,
            String roomId,
            String userId,
            String role,
            String joinedAt,
            int cap) {
        TransactWriteItem count = TransactWriteItem.builder()
                .update(u -> u.tableName(roomsTable)
                        .key(Map.of("roomId", AttributeValue.fromS(roomId)))
                        .updateExpression("SET memberCount = if_not_exists(memberCount, :zero) + :one")
                        .conditionExpression(
                                "attribute_exists(roomId) AND (attribute_not_exists(memberCount) OR memberCount < :cap)")
                        .expressionAttributeValues(Map.of(
                                ":zero",
                                AttributeValue.fromN("0"),
                                ":one",
                                AttributeValue.fromN("1"),
                                ":cap",
                                AttributeValue.fromN(Integer.toString(cap)))))
                .build();
        TransactWriteItem put = TransactWriteItem.builder()
                .put(p -> p.tableName(membersTable)
                        .item(memberItem(roomId, userId, role, joinedAt))
                        .conditionExpression("attribute_not_exists(userId)"))
                .build();
        return new Transaction<Join>()
                .guard(count, Join.ROOM_FULL)
                .guard(put, Join.ALREADY_MEMBER)
                .write(dynamo)
                .orElse(Join.JOINED);
    }

    /** What a join found: joined, the room full (or gone), or the user already a member. */
    public enum Join {
        JOINED,
        ROOM_FULL,
        ALREADY_MEMBER
    }

    /**
     * Opens the direct room of a pair, or reuses it: a new room and both memberships in one transaction; when the room
     * exists, whichever of the two had left is a member again. Returns the room id.
     */
    public static String openDirect(
            DynamoDbClient dynamo,
            String roomsTable,
            String membersTable,
            String createdBy,
            String other,
            Instant now) {
        String roomId = directId(createdBy, other);
        String at = Times.iso(now);
        Map<String, AttributeValue> room = new HashMap<>(roomItem(roomId, "direct", null, createdBy, at, at));
        room.put("memberCount", AttributeValue.fromN("2"));
        boolean created = Dynamo.transact(
                dynamo,
                List.of(
                        TransactWriteItem.builder()
                                .put(p -> p.tableName(roomsTable)
                                        .item(room)
                                        .conditionExpression("attribute_not_exists(roomId)"))
                                .build(),
                        TransactWriteItem.builder()
                                .put(p -> p.tableName(membersTable).item(memberItem(roomId, createdBy, "member", at)))
                                .build(),
                        TransactWriteItem.builder()
                                .put(p -> p.tableName(membersTable).item(memberItem(roomId, other, "member", at)))
                                .build()));
        if (!created) {
            for (String userId : List.of(createdBy, other)) {
                join(dynamo, roomsTable, membersTable, roomId, userId, "member", at, 2);
            }
        }
        return roomId;
    }
}
