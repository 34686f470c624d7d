package dev.suite.chat.domain;

import dev.suite.chat.store.ChatStore;
import dev.suite.shared.Ids;
import dev.suite.shared.Times;
import dev.suite.shared.data.Cursor;
import dev.suite.shared.data.Rooms;
import dev.suite.shared.data.Users;
import dev.suite.shared.http.ApiException;
import dev.suite.shared.http.Page;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.UUID;

/**
 * Rooms and members. Roles: owner (one per group room), admin, member. Add: owner or admin (only the owner adds
 * admins). Change role: owner only (giving ownership hands it over). Remove: owner or admin (an admin removes
 * members only); anyone may leave; the owner leaves only after handing over ownership. Outsiders see 404.
 */
public final class ChatService {
    public static final int MAX_INITIAL_MEMBERS = 98;
    public static final int MAX_ROOMS_LISTED = 1000;
    private final ChatStore store;
    private final Users users;
    private final Attachments attachments;
    private final Clock clock;
    private final int memberCap;

    public ChatService(ChatStore store, Users users, Attachments attachments, Clock clock, int memberCap) {
        this.store = store;
        this.users = users;
        this.attachments = attachments;
        this.clock = clock;
        this.memberCap = memberCap;
    }

    public record Created(boolean created, Views.Room room) {}

    public Created createDirect(String caller, String other) {
        if (caller.equals(other)) {
            throw ApiException.invalid("memberIds", "a direct room needs one other user");
        }
        requireUser(other);
        String roomId = directId(caller, other);
        String now = Times.iso(Instant.now(clock));
        List<ChatStore.Member> members = List.of(
                new ChatStore.Member(roomId, caller, "member", now),
                new ChatStore.Member(roomId, other, "member", now));
        boolean created = store.createRoom(new ChatStore.Room(roomId, "direct", null, caller, now, now), members);
        if (!created) {
            // either side opening the pair again brings back whoever had left it
            members.forEach(m -> store.addMember(m, 2));
        }
        return new Created(created, Views.room(store.room(roomId).orElseThrow(), store.members(roomId)));
    }

    /**
     * The same pair always gets the same room (the id rule is shared with coaching, which opens coach-client rooms).
     */
    static String directId(String a, String b) {
        return Rooms.directId(a, b);
    }

    /**
     * A group room owned by the caller. With an {@code idempotencyKey} (the Idempotency-Key header), a retry with the
     * same key gets the first room back (200) instead of a second room.
     */
    public Created createGroup(String caller, String name, List<String> memberIds, String idempotencyKey) {
        Set<String> others = new LinkedHashSet<>(memberIds);
        others.remove(caller);
        if (others.size() > MAX_INITIAL_MEMBERS) {
            throw ApiException.invalid(
                    "memberIds", "at most " + MAX_INITIAL_MEMBERS + " initial members; add more later");
        }
        others.forEach(this::requireUser);
        String now = Times.iso(Instant.now(clock));
        String roomId = "gr-" + Ids.next();
        List<ChatStore.Member> members = new ArrayList<>();
        members.add(new ChatStore.Member(roomId, caller, "owner", now));
        others.forEach(u -> members.add(new ChatStore.Member(roomId, u, "member", now)));
        String key = idempotencyKey == null ? null : "room#" + caller + "#" + idempotencyKey;
        String existing = store.createRoom(new ChatStore.Room(roomId, "group", name, caller, now, now), members, key);
        if (existing != null) {
            ChatStore.Room first = store.room(existing).orElseThrow(() -> ApiException.notFound("room"));
            return new Created(false, Views.room(first, store.members(existing)));
        }
        return new Created(true, Views.room(store.room(roomId).orElseThrow(), members));
    }

    /** My rooms, most recently active first; the cursor is the position after the last room of the page. */
    public Page<Views.RoomSummary> myRooms(String caller, int limit, String cursor) {
        List<ChatStore.Room> rooms = new ArrayList<>(store.rooms(store.roomsOf(caller, MAX_ROOMS_LISTED)));
        rooms.sort(Comparator.comparing(ChatStore.Room::lastActivityAt, Comparator.reverseOrder())
                .thenComparing(ChatStore.Room::roomId));
        int from = 0;
        if (cursor != null && !cursor.isEmpty()) {
            String[] after = decodeCursor(cursor);
            from = rooms.size();
            for (int i = 0; i < rooms.size(); i++) {
                ChatStore.Room r = rooms.get(i);
                int c = after[0].compareTo(r.lastActivityAt());
                if (c > 0 || (c == 0 && r.roomId().compareTo(after[1]) > 0)) {
                    from = i;
                    break;
                }
            }
        }
        int to = Math.min(rooms.size(), from + limit);
        List<Views.RoomSummary> items =
                rooms.subList(from, to).stream().map(Views::summary).toList();
        String next = to < rooms.size() ? encodeCursor(rooms.get(to - 1)) : null;
        return new Page<>(items, next);
    }

    private static String encodeCursor(ChatStore.Room r) {
        return Cursor.wrap(r.lastActivityAt() + "|" + r.roomId());
    }

    private static String[] decodeCursor(String cursor) {
        String[] parts = Cursor.unwrap(cursor).split("\\|", 2);
        if (parts.length != 2) {
            throw Cursor.invalid();
        }
        return parts;
    }

    /**
     * For SnapStart priming: the rooms' read {@link #myRooms} makes for a caller with rooms, of a room that cannot
     * exist.
     */
    public void primeRooms() {
        store.rooms(List.of("priming#" + UUID.randomUUID()));
        attachments.prime();
    }

    public Page<Views.Message> history(String caller, String roomId, String before, int limit) {
        membership(roomId, caller);
        return store.history(roomId, before, limit).map(m -> Views.message(m, attachments));
    }

    public Views.Membership addMember(String caller, String roomId, String userId, String role) {
        ChatStore.Room room = groupRoom(roomId, caller);
        ChatStore.Member me = membership(roomId, caller);
        MemberRules.add(me.role(), role);
        requireUser(userId);
        switch (store.addMember(
                new ChatStore.Member(room.roomId(), userId, role, Times.iso(Instant.now(clock))), memberCap)) {
            case ALREADY_MEMBER -> throw ApiException.conflict("ALREADY_MEMBER", "this user is already a member");
            case ROOM_FULL ->
                throw ApiException.conflict(
                        "ROOM_FULL", "this room has its " + memberCap + " members; remove one first");
            default -> {}
        }
        return new Views.Membership(roomId, userId, role);
    }

    public Views.Membership changeRole(String caller, String roomId, String userId, String role) {
        groupRoom(roomId, caller);
        ChatStore.Member me = membership(roomId, caller);
        MemberRules.changeRole(me.role(), caller.equals(userId));
        store.member(roomId, userId).orElseThrow(() -> ApiException.notFound("member"));
        if (role.equals("owner")) {
            switch (store.transferOwnership(roomId, caller, userId)) {
                case NOT_A_MEMBER -> throw ApiException.notFound("member");
                case NOT_THE_OWNER -> throw ApiException.forbidden("only the owner changes roles");
                default -> {}
            }
        } else if (!store.setRole(roomId, userId, role)) {
            throw ApiException.notFound("member");
        }
        return new Views.Membership(roomId, userId, role);
    }

    public void removeMember(String caller, String roomId, String userId) {
        ChatStore.Member me = membership(roomId, caller);
        ChatStore.Room room = store.room(roomId).orElseThrow(() -> ApiException.notFound("room"));
        if (caller.equals(userId)) {
            MemberRules.leave(me.role());
            store.removeMember(roomId, caller);
            return;
        }
        boolean direct = room.type().equals("direct");
        String targetRole = direct
                ? null
                : store.member(roomId, userId)
                        .orElseThrow(() -> ApiException.notFound("member"))
                        .role();
        MemberRules.remove(me.role(), targetRole, direct);
        store.removeMember(roomId, userId);
    }

    public Views.Upload attachment(String caller, String roomId, String fileName, String contentType, long size) {
        membership(roomId, caller);
        return attachments.upload(roomId, fileName, contentType, size);
    }

    /** The caller's membership; 404 for outsiders (a room is invisible to non-members). */
    public ChatStore.Member membership(String roomId, String userId) {
        return store.member(roomId, userId).orElseThrow(() -> ApiException.notFound("room"));
    }

    private ChatStore.Room groupRoom(String roomId, String caller) {
        membership(roomId, caller);
        ChatStore.Room room = store.room(roomId).orElseThrow(() -> ApiException.notFound("room"));
        if (!room.type().equals("group")) {
            throw ApiException.badRequest("DIRECT_ROOM", "a direct room has exactly two members and no roles");
        }
        return room;
    }

    private void requireUser(String userId) {
        if (users.get(userId).isEmpty()) {
            throw new ApiException(404, "USER_NOT_FOUND", "no user " + userId);
        }
    }
}
