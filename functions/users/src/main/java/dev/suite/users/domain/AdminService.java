package dev.suite.users.domain;

import dev.suite.shared.Log;
import dev.suite.shared.auth.Role;
import dev.suite.shared.data.Cursor;
import dev.suite.shared.data.Dynamo;
import dev.suite.shared.data.UserRecord;
import dev.suite.shared.data.Users;
import dev.suite.shared.http.ApiException;
import dev.suite.shared.http.Page;
import dev.suite.shared.push.Push;
import dev.suite.users.store.CaseloadStore;
import dev.suite.users.store.RoleStore;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import org.slf4j.Logger;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.services.cognitoidentityprovider.CognitoIdentityProviderClient;
import software.amazon.awssdk.services.cognitoidentityprovider.model.AdminGetUserResponse;
import software.amazon.awssdk.services.cognitoidentityprovider.model.AttributeType;
import software.amazon.awssdk.services.cognitoidentityprovider.model.GroupType;
import software.amazon.awssdk.services.cognitoidentityprovider.model.InvalidParameterException;
import software.amazon.awssdk.services.cognitoidentityprovider.model.ListUsersResponse;
import software.amazon.awssdk.services.cognitoidentityprovider.model.UserNotFoundException;
import software.amazon.awssdk.services.cognitoidentityprovider.model.UserType;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;

/** Admin operations: list users with their role and credits; change a user's role. */
public final class AdminService {
    private static final Logger LOG = Log.get(AdminService.class);
    /** A user of the pool as an admin sees it: Cognito's account and the profile's role and credits. */
    public record UserView(
            String username,
            String userId,
            String email,
            String status,
            Boolean enabled,
            String role,
            long credits,
            String createdAt) {}

    /** The answer to a role change. */
    public record RoleChange(String username, String userId, String role) {}

    private final CognitoIdentityProviderClient cognito;
    private final DynamoDbClient dynamo;
    private final Users users;
    private final String usersTable;
    private final String poolId;
    private final Clock clock;
    private final RoleStore roles;
    private final Push push;
    private final CaseloadStore caseload;

    public AdminService(
            CognitoIdentityProviderClient cognito,
            DynamoDbClient dynamo,
            Users users,
            String usersTable,
            String poolId,
            Clock clock,
            Push push,
            CaseloadStore caseload) {
        this.caseload = caseload;
        this.roles = new RoleStore(dynamo, usersTable);
        this.push = push;
        this.cognito = cognito;
        this.dynamo = dynamo;
        this.users = users;
        this.usersTable = usersTable;
        this.poolId = poolId;
        this.clock = clock;
    }

    /**
     * One page of users. The cursor wraps Cognito's pagination token ("t:") or, where the provider ignores
     * Limit and returns everything (cognito-local), an offset ("o:"), so clients page the same way on both.
     */
    public Page<UserView> listUsers(int limit, String cursor) {
        String token = null;
        int offset = 0;
        String plain = Cursor.unwrap(cursor);
        if (plain != null) {
            try {
                if (plain.startsWith("t:") && plain.length() > 2) {
                    token = plain.substring(2);
                } else if (plain.startsWith("o:")) {
                    offset = Integer.parseInt(plain.substring(2));
                    if (offset < 0) {
                        throw new IllegalArgumentException();
                    }
                } else {
                    throw new IllegalArgumentException();
                }
            } catch (IllegalArgumentException e) {
                throw Cursor.invalid();
            }
        }
        String paginationToken = token;
        ListUsersResponse res;
        try {
            res = cognito.listUsers(b -> b.userPoolId(poolId).limit(limit).paginationToken(paginationToken));
        } catch (InvalidParameterException e) {
            throw Cursor.invalid();
        }
        List<UserType> page = res.users();
        String next;
        if (page.size() > limit) {
            int from = Math.min(offset, page.size());
            int to = Math.min(from + limit, page.size());
            next = to < page.size() ? "o:" + to : null;
            page = page.subList(from, to);
        } else {
            next = res.paginationToken() == null || res.paginationToken().isEmpty()
                    ? null
                    : "t:" + res.paginationToken();
        }
        Map<String, UserRecord> profiles =
                profiles(page.stream().map(u -> attr(u.attributes(), "sub")).toList());
        List<UserView> items = new ArrayList<>();
        for (UserType u : page) {
            String sub = attr(u.attributes(), "sub");
            UserRecord p = sub == null ? null : profiles.get(sub);
            items.add(new UserView(
                    u.username(),
                    sub,
                    attr(u.attributes(), "email"),
                    u.userStatusAsString(),
                    u.enabled(),
                    p == null ? Role.User.name() : p.role(),
                    p == null ? 0 : p.credits(),
                    u.userCreateDate() == null ? null : u.userCreateDate().toString()));
        }
        return new Page<>(items, Cursor.wrap(next));
    }

    private Map<String, UserRecord> profiles(List<String> ids) {
        Map<String, UserRecord> out = new HashMap<>();
        List<Map<String, AttributeValue>> keys = ids.stream()
                .filter(Objects::nonNull)
                .distinct()
                .map(id -> Map.of("userId", AttributeValue.fromS(id)))
                .toList();
        for (Map<String, AttributeValue> item : Dynamo.batchGet(dynamo, usersTable, keys)) {
            UserRecord u = Users.toRecord(item);
            out.put(u.userId(), u);
        }
        return out;
    }

    /**
     * Changes a user's role. The decision is one conditional DynamoDB transaction (the profile's role and the count of
     * enabled admins, which never goes below one), so concurrent demotions cannot leave no admin. Cognito's groups
     * follow: the new group is added before the old ones are removed, and when a removal fails the change is undone,
     * so the user keeps exactly one role. A role other than Coach ends the user's coaching assignments (each client is
     * told), and so does a promotion to Coach: it starts with no caseload; a retry of the same change ends any it left. Then the user's
     * open WebSocket connections are closed: their next {@code $connect} and their next token carry the new role.
     */
    public RoleChange setRole(String callerId, String username, Role role) {
        AdminGetUserResponse user;
        try {
            user = cognito.adminGetUser(b -> b.userPoolId(poolId).username(username));
        } catch (UserNotFoundException e) {
            throw ApiException.notFound("user");
        }
        String realUsername = user.username();
        String sub = attr(user.userAttributes(), "sub");
        List<String> groups =
                cognito.adminListGroupsForUser(b -> b.userPoolId(poolId).username(realUsername)).groups().stream()
                        .map(GroupType::groupName)
                        .toList();
        Optional<UserRecord> profile = sub == null ? Optional.empty() : users.get(sub);
        Role from = profile.flatMap(p -> Role.parse(p.role())).orElse(Role.highest(groups));
        if (!roles.counted()) {
            roles.startCount(enabledAdmins());
        }
        Instant now = Instant.now(clock);
        if (from != role) {
            switch (roles.change(sub == null ? realUsername : sub, profile.isPresent(), from, role, now)) {
                case LAST_ADMIN ->
                    throw ApiException.conflict("LAST_ADMIN", "this is the last admin; promote another admin first");
                case RACED ->
                    throw ApiException.conflict("ROLE_CHANGED", "the role changed meanwhile; read it again and retry");
                default -> {}
            }
        }
        try {
            cognito.adminAddUserToGroup(
                    b -> b.userPoolId(poolId).username(realUsername).groupName(role.name()));
            for (Role other : Role.values()) {
                if (other != role && groups.contains(other.name())) {
                    cognito.adminRemoveUserFromGroup(
                            b -> b.userPoolId(poolId).username(realUsername).groupName(other.name()));
                }
            }
        } catch (SdkException e) {
            undo(realUsername, sub, profile.isPresent(), groups, from, role);
            throw ApiException.unavailable(
                    "ROLE_CHANGE_FAILED", "the role could not be changed (nothing changed); retry shortly", 2);
        }
        if (sub != null && (role != Role.Coach || from != Role.Coach)) {
            // away from Coach, and into it too: a promotion starts with no caseload, even a row left by a race with the
            // demotion
            endCaseload(sub, now);
        }
        if (sub != null) {
            push.disconnect(sub, now);
        }
        return new RoleChange(realUsername, sub, role.name());
    }

    private void endCaseload(String userId, Instant now) {
        try {
            int ended = caseload.end(userId, now);
            if (ended > 0) {
                LOG.info("role change ended {} coaching assignments of {}", ended, userId);
            }
        } catch (SdkException e) {
            LOG.error(
                    "ending the coaching assignments of {} failed: {}",
                    userId,
                    e.getClass().getSimpleName());
            throw ApiException.unavailable(
                    "ROLE_CHANGE_INCOMPLETE",
                    "the role changed but the coach's assignments did not all end; send the same change again",
                    2);
        }
    }

    /** Back to the groups and the profile role the user had: best effort, each step logged when it fails. */
    private void undo(String username, String sub, boolean hasProfile, List<String> groups, Role from, Role to) {
        try {
            if (!groups.contains(to.name())) {
                cognito.adminRemoveUserFromGroup(
                        b -> b.userPoolId(poolId).username(username).groupName(to.name()));
            }
            for (String g : groups) {
                cognito.adminAddUserToGroup(
                        b -> b.userPoolId(poolId).username(username).groupName(g));
            }
        } catch (SdkException e) {
            LOG.error(
                    "undoing the groups of {} failed: {}",
                    username,
                    e.getClass().getSimpleName());
        }
        if (from != to
                && roles.change(sub == null ? username : sub, hasProfile, to, from, Instant.now(clock))
                        != RoleStore.Outcome.CHANGED) {
            LOG.error("undoing the role of {} in the profile failed", username);
        }
    }

    /** Enabled members of the Admin group (disabled accounts cannot act, so they do not count). */
    private long enabledAdmins() {
        long n = 0;
        String token = null;
        do {
            String page = token;
            var r = cognito.listUsersInGroup(
                    b -> b.userPoolId(poolId).groupName(Role.Admin.name()).nextToken(page));
            n += r.users().stream()
                    .filter(u -> !Boolean.FALSE.equals(u.enabled()))
                    .count();
            token = r.nextToken();
        } while (token != null && !token.isEmpty());
        return n;
    }

    private static String attr(List<AttributeType> attributes, String name) {
        if (attributes == null) {
            return null;
        }
        for (AttributeType a : attributes) {
            if (name.equals(a.name())) {
                return a.value();
            }
        }
        return null;
    }
}
