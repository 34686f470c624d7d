package dev.suite.auth;

import static dev.suite.testkit.Assertions.assertError;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.suite.emulators.Emulators;
import dev.suite.shared.Clients;
import dev.suite.shared.Config;
import dev.suite.shared.data.Credits;
import dev.suite.shared.data.RateLimiter;
import dev.suite.shared.data.Users;
import dev.suite.shared.push.Connections;
import dev.suite.shared.push.Push;
import dev.suite.testkit.Events;
import dev.suite.testkit.Events.Response;
import java.lang.reflect.InvocationHandler;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Proxy;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.BiFunction;
import java.util.function.Consumer;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.awscore.exception.AwsErrorDetails;
import software.amazon.awssdk.core.SdkField;
import software.amazon.awssdk.services.cognitoidentityprovider.CognitoIdentityProviderClient;
import software.amazon.awssdk.services.cognitoidentityprovider.model.CognitoIdentityProviderException;
import software.amazon.awssdk.services.cognitoidentityprovider.model.CognitoIdentityProviderRequest;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;

/** The auth routes on their events/ samples against cognito-local and DynamoDB Local. */
class AuthHandlerTest {
    static final String PASSWORD = "Passw0rdOk";
    static Emulators emu;
    static AuthHandler handler;
    static Config config;

    @BeforeAll
    static void start() {
        emu = Emulators.shared();
        config = emu.functionConfig("AuthFunction");
        handler = new AuthHandler(config);
    }

    static String newEmail() {
        return "u" + UUID.randomUUID().toString().substring(0, 8) + "@example.com";
    }

    static Response register(String email, String password) {
        return Events.call("auth-register")
                .body(Map.of("email", email, "password", password, "name", "Ana"))
                .invoke(handler);
    }

    static Response confirm(String email, String code) {
        return Events.call("auth-confirm")
                .body(Map.of("email", email, "code", code))
                .invoke(handler);
    }

    static Response login(String email, String password) {
        return Events.call("auth-login")
                .body(Map.of("email", email, "password", password))
                .invoke(handler);
    }

    static String code(String email) {
        return emu.cognitoLocal().latestCode(email, Duration.ofSeconds(5));
    }

    @Test
    void fullJourneyFromRegisterToLogout() {
        String email = newEmail();
        Response reg = register(email, PASSWORD);
        assertEquals(201, reg.status(), reg::toString);
        String userId = reg.text("userId");
        assertNotNull(userId);
        assertEquals(email, reg.text("email"));
        assertFalse(reg.json().get("confirmed").asBoolean());

        assertError(login(email, PASSWORD), 403, "USER_NOT_CONFIRMED");
        assertError(confirm(email, "000000".equals(code(email)) ? "111111" : "000000"), 400, "INVALID_CODE");

        Response confirmed = confirm(email, code(email));
        assertEquals(200, confirmed.status(), confirmed::toString);
        assertTrue(confirmed.json().get("confirmed").asBoolean());
        // Confirming twice: cognito-local clears the code (CODE_EXPIRED); real Cognito answers
        // NotAuthorizedException, which answers as a wrong code does (alreadyConfirmedAnswersAsAWrongCode below).
        assertEquals(400, confirm(email, code(email)).status());

        Response tokens = login(email, PASSWORD);
        assertEquals(200, tokens.status(), tokens::toString);
        for (String f : new String[] {"idToken", "accessToken"}) {
            assertTrue(tokens.text(f).split("\\.").length == 3, f + " is a JWT");
        }
        assertTrue(
                tokens.text("refreshToken").startsWith(userId + "~"),
                "the refresh token names its user for SECRET_HASH");
        assertEquals("Bearer", tokens.text("tokenType"));
        assertTrue(tokens.json().get("expiresIn").asInt() > 0);

        // The PostConfirmation trigger writes the profile (tested in functions/cognito); here we seed it.
        Users.from(emu.dynamo(), config).create(userId, email, "Ana", "User", 5, Instant.parse("2026-11-23T10:00:00Z"));
        Response me = Events.call("auth-me").as(userId, email, "User").invoke(handler);
        assertEquals(200, me.status(), me::toString);
        assertEquals(userId, me.text("userId"));
        assertEquals(email, me.text("email"));
        assertEquals("Ana", me.text("name"));
        assertEquals("User", me.text("role"));
        assertEquals(5, me.json().get("credits").asInt());
        assertEquals("2026-11-23T10:00:00.000Z", me.text("createdAt"));

        String refreshToken = tokens.text("refreshToken");
        Response refreshed = Events.call("auth-refresh")
                .body(Map.of("refreshToken", refreshToken))
                .invoke(handler);
        assertEquals(200, refreshed.status(), refreshed::toString);
        assertNotNull(refreshed.text("idToken"));
        assertFalse(refreshed.json().has("refreshToken"));

        Instant asked = Instant.now();
        Response forgot =
                Events.call("auth-forgot-password").body(Map.of("email", email)).invoke(handler);
        assertEquals(200, forgot.status(), forgot::toString);
        String resetCode = emu.cognitoLocal().codeAfter(email, asked, Duration.ofSeconds(5));
        String newPassword = "N3wPassword";
        assertError(
                Events.call("auth-reset-password")
                        .body(Map.of("email", email, "code", resetCode, "newPassword", "short"))
                        .invoke(handler),
                400,
                "PASSWORD_POLICY");
        Response reset = Events.call("auth-reset-password")
                .body(Map.of("email", email, "code", resetCode, "newPassword", newPassword))
                .invoke(handler);
        assertEquals(200, reset.status(), reset::toString);
        assertError(login(email, PASSWORD), 401, "INVALID_CREDENTIALS");
        Response again = login(email, newPassword);
        assertEquals(200, again.status(), again::toString);

        Response logout = Events.call("auth-logout")
                .as(userId, email, "User")
                .body(Map.of("refreshToken", again.text("refreshToken")))
                .invoke(handler);
        assertEquals(200, logout.status(), logout::toString);
        assertError(
                Events.call("auth-refresh")
                        .body(Map.of("refreshToken", again.text("refreshToken")))
                        .invoke(handler),
                401,
                "INVALID_REFRESH_TOKEN");
    }

    /**
     * The app client has a secret only the functions read (from Cognito, not configuration) and every call to Cognito
     * carries the SECRET_HASH of its user (the sub for a refresh) or the secret itself (revocation). cognito-local does
     * not check SECRET_HASH, so this test checks each request the service sends, computed independently here.
     */
    @Test
    void everyCognitoCallCarriesTheSecretHashOfItsUser() {
        String poolId = config.require("USER_POOL_ID");
        String clientId = config.require("USER_POOL_CLIENT_ID");
        String secret = emu.cognito()
                .describeUserPoolClient(b -> b.userPoolId(poolId).clientId(clientId))
                .userPoolClient()
                .clientSecret();
        assertNotNull(secret, "the template's app client has GenerateSecret: true");
        assertFalse(config.asMap().containsValue(secret), "the secret is in no configuration");

        List<Map.Entry<String, Map<String, ?>>> sent = new CopyOnWriteArrayList<>();
        AuthHandler recorded = new AuthHandler(config, service(recordingCognito(sent)));
        String email = newEmail();
        String ip = "198.51.100." + (1 + ThreadLocalRandom.current().nextInt(250));
        Response reg = Events.call("auth-register")
                .from(ip)
                .body(Map.of("email", email, "password", PASSWORD, "name", "Ana"))
                .invoke(recorded);
        String userId = reg.text("userId");
        Events.call("auth-register")
                .from(ip)
                .body(Map.of("email", email, "password", PASSWORD, "name", "Ana"))
                .invoke(recorded);
        assertEquals(
                200,
                Events.call("auth-confirm")
                        .body(Map.of("email", email, "code", code(email)))
                        .invoke(recorded)
                        .status());
        Response tokens = Events.call("auth-login")
                .body(Map.of("email", email, "password", PASSWORD))
                .invoke(recorded);
        assertEquals(
                200,
                Events.call("auth-refresh")
                        .body(Map.of("refreshToken", tokens.text("refreshToken")))
                        .invoke(recorded)
                        .status());
        Instant asked = Instant.now();
        Events.call("auth-forgot-password")
                .from(ip)
                .body(Map.of("email", email))
                .invoke(recorded);
        String resetCode = emu.cognitoLocal().codeAfter(email, asked, Duration.ofSeconds(5));
        assertEquals(
                200,
                Events.call("auth-reset-password")
                        .body(Map.of("email", email, "code", resetCode, "newPassword", "N3wPassword"))
                        .invoke(recorded)
                        .status());
        Response again = Events.call("auth-login")
                .body(Map.of("email", email, "password", "N3wPassword"))
                .invoke(recorded);
        assertEquals(
                200,
                Events.call("auth-logout")
                        .as(userId, email, "User")
                        .body(Map.of("refreshToken", again.text("refreshToken")))
                        .invoke(recorded)
                        .status());

        Set<String> operations = new HashSet<>();
        for (Map.Entry<String, Map<String, ?>> call : sent) {
            String op = call.getKey();
            Map<String, ?> r = call.getValue();
            operations.add(op);
            assertEquals(clientId, r.get("ClientId"), op);
            switch (op) {
                case "SignUp", "ResendConfirmationCode", "ConfirmSignUp", "ForgotPassword", "ConfirmForgotPassword" ->
                    assertEquals(AppClient.hash(secret, email, clientId), r.get("SecretHash"), op);
                case "InitiateAuth" -> {
                    Map<?, ?> parameters = (Map<?, ?>) r.get("AuthParameters");
                    // A refresh is hashed with the user's Cognito username, their sub (the pool signs in by email).
                    String username = "REFRESH_TOKEN_AUTH".equals(r.get("AuthFlow")) ? userId : email;
                    assertEquals(
                            AppClient.hash(secret, username, clientId),
                            parameters.get("SECRET_HASH"),
                            op + " " + r.get("AuthFlow"));
                }
                case "RevokeToken" -> {
                    assertEquals(secret, r.get("ClientSecret"), op);
                    assertFalse(
                            String.valueOf(r.get("Token")).contains("~"),
                            "Cognito gets its own token back, not the suite's envelope");
                }
                default -> throw new AssertionError("a Cognito call this test does not check: " + op);
            }
        }
        assertEquals(
                Set.of(
                        "SignUp",
                        "ResendConfirmationCode",
                        "ConfirmSignUp",
                        "InitiateAuth",
                        "ForgotPassword",
                        "ConfirmForgotPassword",
                        "RevokeToken"),
                operations);
    }

    @Test
    void aRefreshTokenThatIsNotTheSuitesIsRefusedBeforeCognito() {
        AtomicInteger calls = new AtomicInteger();
        AuthHandler counted = new AuthHandler(config, service(countingCognito(calls)));
        assertError(
                Events.call("auth-refresh")
                        .body(Map.of("refreshToken", "eyJhbGciOiJSUzI1NiJ9.e30.c2ln"))
                        .invoke(counted),
                401,
                "INVALID_REFRESH_TOKEN");
        // Another user's token: logout revokes the caller's own tokens only.
        assertError(
                Events.call("auth-logout")
                        .as("someone-else", "x@example.com", "User")
                        .body(Map.of("refreshToken", "the-owner~eyJhbGciOiJSUzI1NiJ9.e30.c2ln"))
                        .invoke(counted),
                400,
                "INVALID_REFRESH_TOKEN");
        assertEquals(0, calls.get());
    }

    /**
     * Records each app-client call the service sends (operation and the request's fields by their names in Cognito's
     * API).
     */
    static CognitoIdentityProviderClient recordingCognito(List<Map.Entry<String, Map<String, ?>>> sent) {
        return cognito((operation, request) -> {
            Map<String, Object> fields = new HashMap<>();
            for (SdkField<?> f : request.sdkFields()) {
                Object value = f.getValueOrDefault(request);
                if (value != null) {
                    fields.put(f.memberName(), value);
                }
            }
            sent.add(Map.entry(operation, fields));
            return null;
        });
    }

    /**
     * The SDK's own client on cognito-local, every call first shown to {@code before} (the operation's name in Cognito's
     * API and the typed request): it answers an exception to throw instead of calling Cognito, or null to call it.
     */
    static CognitoIdentityProviderClient cognito(
            BiFunction<String, CognitoIdentityProviderRequest, RuntimeException> before) {
        CognitoIdentityProviderClient real = Clients.cognito(config);
        InvocationHandler h = (proxy, method, args) -> {
            if (method.isDefault()
                    && method.getParameterCount() == 1
                    && Consumer.class.equals(method.getParameterTypes()[0])) {
                // the consumer-builder overloads build the request and call the request overload on this proxy
                return InvocationHandler.invokeDefault(proxy, method, args);
            }
            if (args != null && args.length == 1 && args[0] instanceof CognitoIdentityProviderRequest request) {
                RuntimeException refused = before.apply(
                        Character.toUpperCase(method.getName().charAt(0))
                                + method.getName().substring(1),
                        request);
                if (refused != null) {
                    throw refused;
                }
            }
            try {
                return method.invoke(real, args);
            } catch (InvocationTargetException e) {
                throw e.getCause();
            }
        };
        return (CognitoIdentityProviderClient) Proxy.newProxyInstance(
                AuthHandlerTest.class.getClassLoader(), new Class<?>[] {CognitoIdentityProviderClient.class}, h);
    }

    static Response loginFrom(String ip, String email, String password) {
        return Events.call("auth-login")
                .from(ip)
                .body(Map.of("email", email, "password", password))
                .invoke(handler);
    }

    /** Failures are counted, per email and address: an attacker's failures never lock the owner out. */
    @Test
    void failedLoginsAreLimitedWithoutLockingOutTheOwner() {
        String email = newEmail();
        register(email, PASSWORD);
        confirm(email, code(email));
        String attacker = "203.0.113." + (1 + (int) (Math.random() * 200));
        for (int i = 0; i < 5; i++) {
            assertError(loginFrom(attacker, email, "Wr0ngPassword"), 401, "INVALID_CREDENTIALS");
        }
        Response limited = loginFrom(attacker, email, "Wr0ngPassword");
        assertError(limited, 429, "TOO_MANY_REQUESTS");
        long retry = Long.parseLong(limited.headers().get("Retry-After"));
        assertTrue(retry >= 1 && retry <= 60, "Retry-After " + retry);
        assertEquals(200, loginFrom("198.51.100.7", email, PASSWORD).status(), "the owner, elsewhere, logs in");
        for (int i = 0; i < 3; i++) {
            assertEquals(200, loginFrom("198.51.100.7", email, PASSWORD).status(), "successes are not counted");
        }
    }

    /**
     * A handler with these limits whose rate limiter stays in one fixed-window minute (a boundary mid-test would reset
     * the counters).
     */
    static AuthHandler inOneWindow(AuthService.Limits limits) {
        DynamoDbClient fn = Clients.dynamo(config);
        RateLimiter oneWindow =
                new RateLimiter(fn, config.require("RATE_LIMITS_TABLE"), Clock.fixed(Instant.now(), ZoneOffset.UTC));
        return new AuthHandler(
                config,
                new AuthService(
                        () -> Clients.cognito(config),
                        Users.from(fn, config),
                        new AppClient(
                                () -> Clients.cognito(config),
                                config.require("USER_POOL_ID"),
                                config.require("USER_POOL_CLIENT_ID")),
                        PasswordPolicy.parse(config.require("PASSWORD_POLICY")),
                        oneWindow,
                        limits,
                        new Push(config, Connections.from(fn, config))));
    }

    @Test
    void oneAddressIsLimitedAcrossEmailsAndRegistrationsArePerAddress() {
        AuthHandler limited = inOneWindow(new AuthService.Limits(5, 30, 10));
        String address = "192.0.2." + (1 + (int) (Math.random() * 200));
        for (int i = 0; i < 30; i++) {
            assertError(
                    Events.call("auth-login")
                            .from(address)
                            .body(Map.of("email", newEmail(), "password", PASSWORD))
                            .invoke(limited),
                    401,
                    "INVALID_CREDENTIALS");
        }
        assertError(
                Events.call("auth-login")
                        .from(address)
                        .body(Map.of("email", newEmail(), "password", PASSWORD))
                        .invoke(limited),
                429,
                "TOO_MANY_REQUESTS");
        String registrar = "192.0.2." + (201 + (int) (Math.random() * 50));
        for (int i = 0; i < 10; i++) {
            assertEquals(
                    201,
                    Events.call("auth-register")
                            .from(registrar)
                            .body(Map.of("email", newEmail(), "password", PASSWORD, "name", "R"))
                            .invoke(limited)
                            .status());
        }
        assertError(
                Events.call("auth-register")
                        .from(registrar)
                        .body(Map.of("email", newEmail(), "password", PASSWORD, "name", "R"))
                        .invoke(limited),
                429,
                "TOO_MANY_REQUESTS");
        String other = newEmail();
        for (int i = 0; i < 5; i++) {
            assertEquals(
                    200,
                    Events.call("auth-forgot-password")
                            .from(address)
                            .body(Map.of("email", other))
                            .invoke(limited)
                            .status());
        }
        assertError(
                Events.call("auth-forgot-password")
                        .from(address)
                        .body(Map.of("email", other))
                        .invoke(limited),
                429,
                "TOO_MANY_REQUESTS");
        assertEquals(
                200,
                Events.call("auth-forgot-password")
                        .from("198.51.100.9")
                        .body(Map.of("email", other))
                        .invoke(limited)
                        .status(),
                "the owner asks from elsewhere");
    }

    @Test
    void wrongConfirmationAndResetCodesAreLimitedPerEmailAndPerAddress() {
        AuthHandler limited = inOneWindow(new AuthService.Limits(5, 8, 10));
        String email = newEmail();
        assertEquals(201, register(email, PASSWORD).status());
        String good = code(email);
        String wrong = good.equals("123456") ? "654321" : "123456";
        String guesser = "192.0.2." + (1 + (int) (Math.random() * 200));
        for (int i = 0; i < 5; i++) {
            assertError(
                    Events.call("auth-confirm")
                            .from(guesser)
                            .body(Map.of("email", email, "code", wrong))
                            .invoke(limited),
                    400,
                    "INVALID_CODE");
        }
        Response stopped = Events.call("auth-confirm")
                .from(guesser)
                .body(Map.of("email", email, "code", good))
                .invoke(limited);
        assertError(stopped, 429, "TOO_MANY_REQUESTS");
        assertNotNull(stopped.headers().get("Retry-After"));
        assertEquals(
                200,
                Events.call("auth-confirm")
                        .from("198.51.100.7")
                        .body(Map.of("email", email, "code", good))
                        .invoke(limited)
                        .status(),
                "the owner confirms from their own address");
        // per address across emails and both routes: 3 more wrong codes (8 in all) and the address is stopped
        for (int i = 0; i < 3; i++) {
            assertError(
                    Events.call("auth-reset-password")
                            .from(guesser)
                            .body(Map.of("email", newEmail(), "code", wrong, "newPassword", "N3wPassword"))
                            .invoke(limited),
                    400,
                    "INVALID_CODE");
        }
        assertError(
                Events.call("auth-reset-password")
                        .from(guesser)
                        .body(Map.of("email", newEmail(), "code", wrong, "newPassword", "N3wPassword"))
                        .invoke(limited),
                429,
                "TOO_MANY_REQUESTS");
    }

    /**
     * The pool as local/ provisions it from template.yaml (UserAttributeUpdateSettings): a user's own access token
     * changing the email through Cognito directly leaves the sign-in email as it was until the new one is verified.
     */
    @Test
    void anEmailChangeThroughCognitoDirectlyWaitsForVerification() {
        String email = newEmail();
        register(email, PASSWORD);
        confirm(email, code(email));
        String access = login(email, PASSWORD).json().get("accessToken").asText();
        String other = newEmail();
        emu.cognito()
                .updateUserAttributes(b -> b.accessToken(access)
                        .userAttributes(a -> a.name("email").value(other)));
        var user =
                emu.cognito().adminGetUser(b -> b.userPoolId(emu.userPoolId()).username(email));
        assertEquals(
                email,
                user.userAttributes().stream()
                        .filter(a -> a.name().equals("email"))
                        .findFirst()
                        .orElseThrow()
                        .value(),
                "the email stays until the new one is verified");
        assertEquals(200, login(email, PASSWORD).status(), "and still signs in");
    }

    /**
     * register answers the same for a taken email as for a new one; the owner of an unconfirmed account gets the code
     * again.
     */
    @Test
    void anExistingEmailRegistersAsANewOneWould() {
        String email = newEmail();
        Response first = register(email, PASSWORD);
        assertEquals(201, first.status());
        Instant before = Instant.now();
        Response again = register(email.toUpperCase(), PASSWORD);
        assertEquals(201, again.status(), again::toString);
        assertEquals(Set.of("userId", "email", "confirmed"), fieldNames(again.json()));
        assertEquals(email, again.text("email"));
        assertFalse(again.json().get("confirmed").asBoolean());
        assertNotEquals(first.text("userId"), again.text("userId"), "the id of the existing account is not revealed");
        assertNotNull(
                emu.cognitoLocal().codeAfter(email, before, Duration.ofSeconds(5)), "the owner is sent the code again");
        confirm(email, code(email));
        assertEquals(201, register(email, PASSWORD).status(), "a confirmed account too");
    }

    static Set<String> fieldNames(JsonNode node) {
        Set<String> out = new HashSet<>();
        node.fieldNames().forEachRemaining(out::add);
        return out;
    }

    @Test
    void emailIsTrimmedAndLowerCased() {
        String email = newEmail();
        Response r = register("  " + email.toUpperCase() + " ", PASSWORD);
        assertEquals(201, r.status(), r::toString);
        assertEquals(email, r.text("email"));
    }

    @Test
    void passwordAgainstPolicyIs400WithThePolicyAndNoCognitoCall() {
        AtomicInteger calls = new AtomicInteger();
        AuthHandler counted = new AuthHandler(config, service(countingCognito(calls)));
        for (String weak :
                new String[] {"short1A", "alllowercase1", "ALLUPPERCASE1", "NoDigitsHere", " Padded1Pass "}) {
            Response r = Events.call("auth-register")
                    .body(Map.of("email", newEmail(), "password", weak, "name", "A"))
                    .invoke(counted);
            JsonNode error = assertError(r, 400, "PASSWORD_POLICY");
            assertTrue(
                    error.get("message")
                            .asText()
                            .contains("at least 8 characters, a lowercase letter, an uppercase letter and a number"),
                    error::toString);
            assertEquals("password", error.get("field").asText());
        }
        assertEquals(0, calls.get(), "no call to Cognito for a password the policy refuses");
    }

    @Test
    void wrongPasswordAndUnknownUserGetTheSame401() {
        String email = newEmail();
        register(email, PASSWORD);
        confirm(email, code(email));
        Response wrong = login(email, "Wr0ngPassword");
        Response unknown = login(newEmail(), PASSWORD);
        JsonNode a = assertError(wrong, 401, "INVALID_CREDENTIALS");
        JsonNode b = assertError(unknown, 401, "INVALID_CREDENTIALS");
        assertEquals(a.get("message"), b.get("message"));
    }

    @Test
    void forgotPasswordAnswersTheSameForUnknownAccounts() {
        Response r = Events.call("auth-forgot-password")
                .body(Map.of("email", newEmail()))
                .invoke(handler);
        assertEquals(200, r.status(), r::toString);
    }

    @Test
    void resetWithWrongCodeIs400() {
        String email = newEmail();
        register(email, PASSWORD);
        confirm(email, code(email));
        Instant asked = Instant.now();
        Events.call("auth-forgot-password").body(Map.of("email", email)).invoke(handler);
        String good = emu.cognitoLocal().codeAfter(email, asked, Duration.ofSeconds(5));
        String wrong = good.equals("123456") ? "654321" : "123456";
        assertError(
                Events.call("auth-reset-password")
                        .body(Map.of("email", email, "code", wrong, "newPassword", "N3wPassword"))
                        .invoke(handler),
                400,
                "INVALID_CODE");
    }

    @Test
    void expiredCodeIs400() {
        AuthHandler h = new AuthHandler(config, service(failingCognito("ExpiredCodeException")));
        assertError(
                Events.call("auth-confirm")
                        .body(Map.of("email", newEmail(), "code", "123456"))
                        .invoke(h),
                400,
                "CODE_EXPIRED");
        assertError(
                Events.call("auth-reset-password")
                        .body(Map.of("email", newEmail(), "code", "123456", "newPassword", "N3wPassword"))
                        .invoke(h),
                400,
                "CODE_EXPIRED");
    }

    @Test
    void alreadyConfirmedAnswersAsAWrongCode() {
        AuthHandler h = new AuthHandler(config, service(failingCognito("NotAuthorizedException")));
        assertError(
                Events.call("auth-confirm")
                        .body(Map.of("email", newEmail(), "code", "123456"))
                        .invoke(h),
                400,
                "INVALID_CODE");
    }

    @Test
    void cognitoThrottlingIs429WithRetryAfter() {
        AuthHandler h = new AuthHandler(config, service(failingCognito("TooManyRequestsException")));
        Response r = Events.call("auth-login")
                .body(Map.of("email", newEmail(), "password", PASSWORD))
                .invoke(h);
        assertError(r, 429, "TOO_MANY_REQUESTS");
        assertNotNull(r.headers().get("Retry-After"));
    }

    @Test
    void inputIsValidatedBeforeCognito() {
        AtomicInteger calls = new AtomicInteger();
        AuthHandler h = new AuthHandler(config, service(countingCognito(calls)));
        JsonNode e = assertError(
                Events.call("auth-register")
                        .body(Map.of("email", "not-an-email", "password", PASSWORD, "name", "A"))
                        .invoke(h),
                400,
                "VALIDATION_FAILED");
        assertEquals("email", e.get("field").asText());
        e = assertError(
                Events.call("auth-register")
                        .body(Map.of("email", newEmail(), "password", PASSWORD))
                        .invoke(h),
                400,
                "VALIDATION_FAILED");
        assertEquals("name", e.get("field").asText());
        e = assertError(
                Events.call("auth-confirm")
                        .body(Map.of("email", newEmail(), "code", "12ab"))
                        .invoke(h),
                400,
                "VALIDATION_FAILED");
        assertEquals("code", e.get("field").asText());
        assertError(Events.call("auth-login").body("{\"email\":").invoke(h), 400, "MALFORMED_JSON");
        assertError(
                Events.call("auth-login")
                        .body(Map.of("email", newEmail(), "password", PASSWORD, "admin", true))
                        .invoke(h),
                400,
                "UNKNOWN_FIELD");
        assertError(
                Events.call("auth-login")
                        .body(Map.of("email", 42, "password", PASSWORD))
                        .invoke(h),
                400,
                "VALIDATION_FAILED");
        assertError(
                Events.call("auth-login")
                        .header("Content-Type", "text/plain")
                        .body(Map.of("email", newEmail(), "password", PASSWORD))
                        .invoke(h),
                415,
                "UNSUPPORTED_MEDIA_TYPE");
        assertError(
                Events.call("auth-login")
                        .body("{\"email\":\"" + "a".repeat(70_000) + "\"}")
                        .invoke(h),
                413,
                "PAYLOAD_TOO_LARGE");
        assertError(Events.call("auth-login").body("").invoke(h), 400, "BODY_REQUIRED");
        assertEquals(0, calls.get());
    }

    @Test
    void meWithoutClaimsIs401AndWithoutProfileIs404() {
        assertError(Events.call("auth-me").anonymous().invoke(handler), 401, "UNAUTHORIZED");
        assertError(
                Events.call("auth-me")
                        .as(UUID.randomUUID().toString(), null, "User")
                        .invoke(handler),
                404,
                "PROFILE_NOT_FOUND");
    }

    @Test
    void meCreatesTheProfileAFailedPostConfirmationDidNot() {
        String userId = UUID.randomUUID().toString();
        Response me =
                Events.call("auth-me").as(userId, "Healed@Example.com", "User").invoke(handler);
        assertEquals(200, me.status(), me::toString);
        assertEquals("healed@example.com", me.text("email"));
        assertEquals("User", me.text("role"));
        assertEquals(5, me.json().get("credits").asInt(), "STARTING_CREDITS");
        assertEquals(
                200,
                Events.call("auth-me")
                        .as(userId, "healed@example.com", "User")
                        .invoke(handler)
                        .status());
        Credits credits = Credits.from(config);
        assertEquals(1, credits.latest(emu.dynamo(), userId, 10).size(), "one ledger entry however many calls");
        assertEquals(5, credits.ledgerSum(emu.dynamo(), userId));
    }

    @Test
    void unknownRouteIs404AndWrongMethodIs405() {
        Events.Call c = Events.call("auth-me");
        c.event().setResource("/auth/nothing");
        assertError(c.invoke(handler), 404, "NOT_FOUND");
        Events.Call m = Events.call("auth-me");
        m.event().setHttpMethod("DELETE");
        Response r = m.invoke(handler);
        assertError(r, 405, "METHOD_NOT_ALLOWED");
        assertEquals("GET", r.headers().get("Allow"));
    }

    @Test
    void corsHeadersComeFromConfiguration() {
        Response r = Events.call("auth-me")
                .as("x", "x@example.com")
                .header("Origin", "http://localhost:5173")
                .invoke(handler);
        assertEquals("http://localhost:5173", r.headers().get("Access-Control-Allow-Origin"));
        Response other = Events.call("auth-me")
                .as("x", "x@example.com")
                .header("Origin", "https://evil.example")
                .invoke(handler);
        assertFalse(other.headers().containsKey("Access-Control-Allow-Origin"));
    }

    private static AuthService service(CognitoIdentityProviderClient cognito) {
        // the function's own client: its calls go through the IAM gateway with AuthFunction's role
        DynamoDbClient fn = Clients.dynamo(config);
        return new AuthService(
                () -> cognito,
                Users.from(fn, config),
                new AppClient(
                        () -> Clients.cognito(config),
                        config.require("USER_POOL_ID"),
                        config.require("USER_POOL_CLIENT_ID")),
                PasswordPolicy.parse(config.require("PASSWORD_POLICY")),
                RateLimiter.from(fn, config),
                new AuthService.Limits(5, 30, 10),
                new Push(config, Connections.from(fn, config)));
    }

    static CognitoIdentityProviderClient countingCognito(AtomicInteger calls) {
        return cognito((operation, request) -> {
            calls.incrementAndGet();
            return null;
        });
    }

    /**
     * Cognito answering every call with this modeled error (the SDK's own exception class of that name, with the
     * status Cognito sends it with: 400, or 429 for throttling).
     */
    static CognitoIdentityProviderClient failingCognito(String type) {
        return cognito((operation, request) -> {
            try {
                Object builder = Class.forName(CognitoIdentityProviderException.class.getPackageName() + "." + type)
                        .getMethod("builder")
                        .invoke(null);
                CognitoIdentityProviderException.Builder b = (CognitoIdentityProviderException.Builder) builder;
                b.message("failing on purpose")
                        .statusCode(type.equals("TooManyRequestsException") ? 429 : 400)
                        .awsErrorDetails(AwsErrorDetails.builder()
                                .serviceName("CognitoIdentityProvider")
                                .errorCode(type)
                                .errorMessage("failing on purpose")
                                .build());
                return (RuntimeException) b.build();
            } catch (ReflectiveOperationException e) {
                throw new AssertionError("no Cognito exception " + type, e);
            }
        });
    }
}
