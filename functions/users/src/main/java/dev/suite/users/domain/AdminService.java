package dev.suite.users.domain;

import dev.suite.shared.auth.Role;
import dev.suite.shared.data.Cursor;
import dev.suite.shared.data.Dynamo;
import dev.suite.shared.data.UserRecord;
import dev.suite.shared.data.Users;
import dev.suite.shared.http.ApiException;
import dev.suite.shared.http.Page;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
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
import software.amazon.awssdk.services.dynamodb.model.ConditionalCheckFailedException;

/** Admin operations: list users with their role and credits; change a user's role. */
public final class AdminService {
    /** A user of the pool as an admin sees it: Cognito's account and the profile's role and credits. */
    public record UserView(String username, String userId, String email, String status, Boolean enabled, String role, long credits,
                           String createdAt) {
    }

    /** The answer to a role change. */
    public record RoleChange(String username, String userId, String role) {
    }

    private final CognitoIdentityProviderClient cognito;
    private final DynamoDbClient dynamo;
    private final Users users;
    private final String usersTable;
    private final String poolId;
    private final Clock clock;

    public AdminService(CognitoIdentityProviderClient cognito, DynamoDbClient dynamo, Users users, String usersTable,
                        String poolId, Clock clock) {
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
            next = res.paginationToken() == null || res.paginationToken().isEmpty() ? null : "t:" + res.paginationToken();
        }
        Map<String, UserRecord> profiles = profiles(page.stream().map(u -> attr(u.attributes(), "sub")).toList());
        List<UserView> items = new ArrayList<>();
        for (UserType u : page) {
            String sub = attr(u.attributes(), "sub");
            UserRecord p = sub == null ? null : profiles.get(sub);
            items.add(new UserView(u.username(), sub, attr(u.attributes(), "email"), u.userStatusAsString(), u.enabled(),
                    p == null ? Role.User.name() : p.role(), p == null ? 0 : p.credits(),
                    u.userCreateDate() == null ? null : u.userCreateDate().toString()));
        }
        return new Page<>(items, Cursor.wrap(next));
    }


    private Map<String, UserRecord> profiles(List<String> ids) {
        Map<String, UserRecord> out = new HashMap<>();
        List<Map<String, AttributeValue>> keys = ids.stream().filter(Objects::nonNull).distinct()
                .map(id -> Map.of("userId", AttributeValue.fromS(id))).toList();
        for (Map<String, AttributeValue> item : Dynamo.batchGet(dynamo, usersTable, keys)) {
            UserRecord u = Users.toRecord(item);
            out.put(u.userId(), u);
        }
        return out;
    }

    public RoleChange setRole(String callerId, String username, Role role) {
        AdminGetUserResponse user;
        try {
            user = cognito.adminGetUser(b -> b.userPoolId(poolId).username(username));
        } catch (UserNotFoundException e) {
            throw ApiException.notFound("user");
        }
        String realUsername = user.username();
        String sub = attr(user.userAttributes(), "sub");
        List<String> groups = cognito.adminListGroupsForUser(b -> b.userPoolId(poolId).username(realUsername))
                .groups().stream().map(GroupType::groupName).toList();
        if (groups.contains(Role.Admin.name()) && role != Role.Admin && adminCount() <= 1) {
            throw ApiException.conflict("LAST_ADMIN", "this is the last admin; promote another admin first");
        }
        cognito.adminAddUserToGroup(b -> b.userPoolId(poolId).username(realUsername).groupName(role.name()));
        for (Role other : Role.values()) {
            if (other != role && groups.contains(other.name())) {
                cognito.adminRemoveUserFromGroup(b -> b.userPoolId(poolId).username(realUsername).groupName(other.name()));
            }
        }
        if (sub != null) {
            try {
                users.setRole(sub, role.name(), Instant.now(clock));
            } catch (ConditionalCheckFailedException noProfileYet) {
                // an unconfirmed user has no profile yet; Cognito's group is the record until they confirm
            }
        }
        return new RoleChange(realUsername, sub, role.name());
    }

    private int adminCount() {
        var r = cognito.listUsersInGroup(b -> b.userPoolId(poolId).groupName(Role.Admin.name()).limit(2));
        return r.users().size();
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
