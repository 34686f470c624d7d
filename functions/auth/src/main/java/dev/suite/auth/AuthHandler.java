package dev.suite.auth;

import com.amazonaws.services.lambda.runtime.Context;
import com.amazonaws.services.lambda.runtime.RequestHandler;
import com.amazonaws.services.lambda.runtime.events.APIGatewayProxyRequestEvent;
import com.amazonaws.services.lambda.runtime.events.APIGatewayProxyResponseEvent;
import dev.suite.shared.Clients;
import dev.suite.shared.Config;
import dev.suite.shared.Lazy;
import dev.suite.shared.data.RateLimiter;
import dev.suite.shared.data.Users;
import dev.suite.shared.http.ApiResponse;
import dev.suite.shared.http.Body;
import dev.suite.shared.http.Dispatcher;
import dev.suite.shared.http.Router;
import dev.suite.shared.push.Connections;
import dev.suite.shared.push.Push;
import software.amazon.awssdk.services.cognitoidentityprovider.CognitoIdentityProviderClient;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;

/** The auth route group: register, confirm, login, refresh, forgot/reset password, me, logout. */
public final class AuthHandler implements RequestHandler<APIGatewayProxyRequestEvent, APIGatewayProxyResponseEvent> {
    private final Dispatcher gateway;

    /** What Lambda calls: real clients from the environment, once per container. */
    public AuthHandler() {
        this(Config.fromSystem());
    }

    public AuthHandler(Config config) {
        this(config, service(config, Clients.dynamo(config)));
    }

    private static AuthService service(Config config, DynamoDbClient dynamo) {
        Lazy<CognitoIdentityProviderClient> cognito = Lazy.of(() -> Clients.cognito(config));
        return new AuthService(
                cognito,
                Users.from(dynamo, config),
                new AppClient(cognito, config.require("USER_POOL_ID"), config.require("USER_POOL_CLIENT_ID")),
                PasswordPolicy.parse(config.get("PASSWORD_POLICY", "minLength=8,lowercase,uppercase,numbers")),
                RateLimiter.from(dynamo, config),
                limits(config),
                new Push(config, Connections.from(dynamo, config)));
    }

    static AuthService.Limits limits(Config config) {
        return new AuthService.Limits(
                config.getInt("LOGIN_LIMIT_PER_MINUTE", 5),
                config.getInt("LOGIN_FAILURES_PER_IP_PER_MINUTE", 30),
                config.getInt("REGISTER_LIMIT_PER_IP_PER_MINUTE", 10));
    }

    public AuthHandler(Config config, AuthService auth) {
        Router router = new Router()
                .add(
                        "POST",
                        "/auth/register",
                        r -> ApiResponse.created(auth.register(Body.parse(r, Requests.Register.class), r.sourceIp())))
                .add(
                        "POST",
                        "/auth/confirm",
                        r -> ApiResponse.ok(auth.confirm(Body.parse(r, Requests.Confirm.class), r.sourceIp())))
                .add(
                        "POST",
                        "/auth/login",
                        r -> ApiResponse.ok(auth.login(Body.parse(r, Requests.Login.class), r.sourceIp())))
                .add("POST", "/auth/refresh", r -> ApiResponse.ok(auth.refresh(Body.parse(r, Requests.Refresh.class))))
                .add(
                        "POST",
                        "/auth/forgot-password",
                        r -> ApiResponse.ok(auth.forgotPassword(Body.parse(r, Requests.Forgot.class), r.sourceIp())))
                .add(
                        "POST",
                        "/auth/reset-password",
                        r -> ApiResponse.ok(auth.resetPassword(Body.parse(r, Requests.Reset.class), r.sourceIp())))
                .add("GET", "/auth/me", r -> ApiResponse.ok(auth.me(r.caller())))
                .add("POST", "/auth/logout", r -> {
                    auth.logout(Body.parse(r, Requests.Logout.class), r.caller().userId());
                    return ApiResponse.ok(new Views.LoggedOut(true));
                });
        this.gateway = new Dispatcher(config, router)
                .primeWith(
                        "AuthHandler",
                        auth::warm,
                        Dispatcher.synthetic("GET", "/auth/me", null, null),
                        Dispatcher.synthetic(
                                "POST", "/auth/login", null, "{\"email\":\"not-an-email\",\"password\":\"x\"}"));
    }

    @Override
    public APIGatewayProxyResponseEvent handleRequest(APIGatewayProxyRequestEvent event, Context context) {
        return gateway.handle(event, context);
    }

    public Router router() {
        return gateway.router();
    }
}
