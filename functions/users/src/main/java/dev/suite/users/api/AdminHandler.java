package dev.suite.users.api;

import com.amazonaws.services.lambda.runtime.Context;
import com.amazonaws.services.lambda.runtime.RequestHandler;
import com.amazonaws.services.lambda.runtime.events.APIGatewayProxyRequestEvent;
import com.amazonaws.services.lambda.runtime.events.APIGatewayProxyResponseEvent;
import dev.suite.shared.Clients;
import dev.suite.shared.Config;
import dev.suite.shared.auth.Caller;
import dev.suite.shared.auth.Role;
import dev.suite.shared.data.Users;
import dev.suite.shared.http.ApiException;
import dev.suite.shared.http.ApiRequest;
import dev.suite.shared.http.ApiResponse;
import dev.suite.shared.http.Body;
import dev.suite.shared.http.Check;
import dev.suite.shared.http.Dispatcher;
import dev.suite.shared.http.Router;
import dev.suite.shared.http.Validated;
import dev.suite.shared.push.Connections;
import dev.suite.shared.push.Push;
import dev.suite.users.domain.AdminService;
import dev.suite.users.store.CaseloadStore;
import java.time.Clock;
import java.util.Arrays;
import java.util.Map;
import java.util.UUID;
import java.util.regex.Pattern;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;

/** Admin routes: GET /admin/users, PUT /admin/users/{userId}/role; callers in the Admin group only. */
public final class AdminHandler implements RequestHandler<APIGatewayProxyRequestEvent, APIGatewayProxyResponseEvent> {
    private static final Pattern USERNAME = Pattern.compile("^[A-Za-z0-9@._+-]{1,128}$");
    private final Dispatcher gateway;

    record RoleChange(String role) implements Validated<RoleChange> {
        @Override
        public RoleChange validated() {
            return new RoleChange(Check.oneOf(
                    "role", role, Arrays.stream(Role.values()).map(Enum::name).toList()));
        }
    }

    public AdminHandler() {
        this(Config.fromSystem());
    }

    public AdminHandler(Config config) {
        this(config, service(config, Clients.dynamo(config)));
    }

    public static AdminService service(Config config, DynamoDbClient dynamo) {
        return new AdminService(
                Clients.cognito(config),
                dynamo,
                Users.from(dynamo, config),
                config.require("USERS_TABLE"),
                config.require("USER_POOL_ID"),
                Clock.systemUTC(),
                new Push(config, Connections.from(dynamo, config)),
                CaseloadStore.from(dynamo, config));
    }

    public AdminHandler(Config config, AdminService admin) {
        Router router = new Router()
                .add("GET", "/admin/users", r -> {
                    admin(r);
                    int limit = Check.intParam("limit", r.query("limit"), 1, 60, 20);
                    String cursor = r.query("cursor");
                    return ApiResponse.ok(admin.listUsers(limit, cursor == null || cursor.isEmpty() ? null : cursor));
                })
                .add("PUT", "/admin/users/{userId}/role", r -> {
                    Caller caller = admin(r);
                    String username = r.pathParam("userId");
                    if (username == null || !USERNAME.matcher(username).matches()) {
                        throw ApiException.invalid("userId", "must be a user's id (sub) or username");
                    }
                    Role role = Role.valueOf(Body.parse(r, RoleChange.class).role());
                    return ApiResponse.ok(admin.setRole(caller.userId(), username, role));
                });
        // Priming as an admin nobody is, read-only: one page of one user (Cognito's ListUsers and the profiles'
        // BatchGetItem), and a role change for a username that cannot exist (AdminGetUser answers not found, 404).
        this.gateway = new Dispatcher(config, router)
                .primeWith(
                        "AdminHandler",
                        asAdmin(Dispatcher.synthetic("GET", "/admin/users", null, null)
                                .withQueryStringParameters(Map.of("limit", "1"))),
                        asAdmin(Dispatcher.synthetic(
                                "PUT",
                                "/admin/users/{userId}/role",
                                Map.of("userId", "priming-" + UUID.randomUUID()),
                                "{\"role\":\"User\"}")));
    }

    /** A synthetic request whose caller (a fresh random id) is in the Admin group. */
    static APIGatewayProxyRequestEvent asAdmin(APIGatewayProxyRequestEvent synthetic) {
        synthetic
                .getRequestContext()
                .setAuthorizer(Map.of(
                        "claims", Map.of("sub", "priming-" + UUID.randomUUID(), "cognito:groups", Role.Admin.name())));
        return synthetic;
    }

    private static Caller admin(ApiRequest r) {
        Caller caller = r.caller();
        if (!caller.isAdmin()) {
            throw ApiException.forbidden("this route is for admins only");
        }
        return caller;
    }

    @Override
    public APIGatewayProxyResponseEvent handleRequest(APIGatewayProxyRequestEvent event, Context context) {
        return gateway.handle(event, context);
    }

    public Router router() {
        return gateway.router();
    }
}
