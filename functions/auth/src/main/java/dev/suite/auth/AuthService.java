package dev.suite.auth;

import com.fasterxml.jackson.databind.JsonNode;
import dev.suite.shared.Cognito;
import dev.suite.shared.Json;
import dev.suite.shared.Log;
import dev.suite.shared.auth.Caller;
import dev.suite.shared.data.RateLimiter;
import dev.suite.shared.data.UserRecord;
import dev.suite.shared.data.Users;
import dev.suite.shared.http.ApiException;
import dev.suite.shared.push.Push;
import java.io.IOException;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.function.Supplier;
import org.slf4j.Logger;
/** Account operations on the Cognito user pool and the Users table. No AWS event types here. */
public final class AuthService {
    private static final Logger LOG = Log.get(AuthService.class);
    private final Cognito cognito;
    private final Users users;
    private final AppClient client;
    private final PasswordPolicy policy;
    private static final Duration MINUTE = Duration.ofMinutes(1);
    private final RateLimiter limiter;
    private final Limits limits;
    private final Push push;

    /**
     * Per minute: failed logins (and forgot-password requests) per email from one source address, failed logins
     * (and forgot-password requests) per source address, registrations per source address. Failures are counted,
     * not attempts, and per address: someone else's failures never block the owner's right password.
     */
    public record Limits(int perEmailAndAddress, int perAddress, int registrationsPerAddress) {
    }

    public AuthService(Cognito cognito, Users users, AppClient client, PasswordPolicy policy,
                       RateLimiter limiter, Limits limits, Push push) {
        this.push = push;
        this.cognito = cognito;
        this.users = users;
        this.client = client;
        this.policy = policy;
        this.limiter = limiter;
        this.limits = limits;
    }

    /**
     * Registers an account. An email that already has one gets the same answer (201, a fresh id that names no account),
     * so the route tells nobody which emails have accounts; the owner of an unconfirmed account gets the code again.
     */
    Views.Registered register(Requests.Register r, String sourceIp) {
        checkPolicy(r.password(), "password");
        limiter.hit("register#" + sourceIp, limits.registrationsPerAddress(), MINUTE, "registrations from this address");
        try {
            JsonNode res = cognito.call("SignUp", client.request(r.email(), Map.of("Username", r.email(), "Password", r.password(),
                    "UserAttributes", List.of(Map.of("Name", "email", "Value", r.email()), Map.of("Name", "name", "Value", r.name())))));
            return new Views.Registered(res.path("UserSub").textValue(), r.email(), res.path("UserConfirmed").asBoolean(false));
        } catch (Cognito.Failure e) {
            switch (e.type()) {
                case "UsernameExistsException" -> {
                    try {
                        cognito.call("ResendConfirmationCode", client.request(r.email(), Map.of("Username", r.email())));
                    } catch (Cognito.Failure notSent) {
                        // a confirmed account gets no code (InvalidParameter), nor does a throttled one; the answer stays the same
                        LOG.info("confirmation code not sent again: {}", notSent.type());
                    }
                    return new Views.Registered(UUID.randomUUID().toString(), r.email(), false);
                }
                case "InvalidPasswordException" -> throw passwordPolicy("password");
                default -> throw common(e);
            }
        }
    }

    /**
     * A code attempt ({@code /auth/confirm}, {@code /auth/reset-password}) limited like logins: 429 once this address had
     * {@code perEmailAndAddress} wrong codes for the email, or {@code perAddress} wrong codes in all, this minute (the
     * two routes count together; only wrong codes count). Cognito's own limits (LimitExceeded, TooManyFailedAttempts:
     * 429 too) apply in AWS; cognito-local has none, so this is the limit that always holds.
     */
    private <T> T codeAttempt(String email, String sourceIp, Supplier<T> attempt) {
        String fromAddress = "code-failures#" + sourceIp;
        String forEmail = "code-failures#" + email + "#" + sourceIp;
        limiter.check(fromAddress, limits.perAddress(), MINUTE, "wrong codes from this address");
        limiter.check(forEmail, limits.perEmailAndAddress(), MINUTE, "wrong codes for this email");
        try {
            return attempt.get();
        } catch (ApiException e) {
            if (e.code().equals("INVALID_CODE")) {
                limiter.count(fromAddress, MINUTE);
                limiter.count(forEmail, MINUTE);
            }
            throw e;
        }
    }

    Views.Confirmed confirm(Requests.Confirm r, String sourceIp) {
        return codeAttempt(r.email(), sourceIp, () -> confirm(r));
    }

    Views.PasswordReset resetPassword(Requests.Reset r, String sourceIp) {
        return codeAttempt(r.email(), sourceIp, () -> resetPassword(r));
    }

    Views.Confirmed confirm(Requests.Confirm r) {
        try {
            cognito.call("ConfirmSignUp", client.request(r.email(), Map.of("Username", r.email(), "ConfirmationCode", r.code())));
            return new Views.Confirmed(true);
        } catch (Cognito.Failure e) {
            switch (e.type()) {
                // an account already confirmed (NotAuthorized) answers as a wrong code does: confirm tells nobody which accounts exist
                case "CodeMismatchException", "UserNotFoundException", "NotAuthorizedException" ->
                        throw ApiException.badRequest("INVALID_CODE", "the code is wrong; check the latest email or ask for a new code");
                case "ExpiredCodeException" -> throw ApiException.badRequest("CODE_EXPIRED", "the code has expired; ask for a new code");
                default -> throw common(e);
            }
        }
    }

    Views.Tokens login(Requests.Login r, String sourceIp) {
        String fromAddress = "login-failures#" + sourceIp;
        String forEmail = "login-failures#" + r.email() + "#" + sourceIp;
        limiter.check(fromAddress, limits.perAddress(), MINUTE, "failed logins from this address");
        limiter.check(forEmail, limits.perEmailAndAddress(), MINUTE, "failed logins for this email");
        try {
            JsonNode res = cognito.call("InitiateAuth", Map.of("ClientId", client.id(), "AuthFlow", "USER_PASSWORD_AUTH",
                    "AuthParameters", client.authParameters(r.email(), Map.of("USERNAME", r.email(), "PASSWORD", r.password()))));
            return tokens(res, true);
        } catch (Cognito.Failure e) {
            switch (e.type()) {
                case "NotAuthorizedException", "UserNotFoundException", "InvalidPasswordException" -> {
                    // One answer for an unknown account and a wrong password: no account enumeration. Only failures count.
                    limiter.count(fromAddress, MINUTE);
                    limiter.count(forEmail, MINUTE);
                    throw new ApiException(401, "INVALID_CREDENTIALS", "email or password is incorrect");
                }
                case "UserNotConfirmedException" -> throw new ApiException(403, "USER_NOT_CONFIRMED", "confirm the account with the emailed code first");
                case "PasswordResetRequiredException" ->
                        throw new ApiException(403, "PASSWORD_RESET_REQUIRED", "reset the password with forgot-password first");
                default -> throw common(e);
            }
        }
    }

    Views.Tokens refresh(Requests.Refresh r) {
        AppClient.RefreshToken t = AppClient.RefreshToken.parse(r.refreshToken()).orElseThrow(() -> invalidRefreshToken(401));
        try {
            JsonNode res = cognito.call("InitiateAuth", Map.of("ClientId", client.id(), "AuthFlow", "REFRESH_TOKEN_AUTH",
                    "AuthParameters", client.authParameters(t.username(), Map.of("REFRESH_TOKEN", t.token()))));
            return tokens(res, false);
        } catch (Cognito.Failure e) {
            switch (e.type()) {
                case "NotAuthorizedException", "UserNotFoundException" -> throw invalidRefreshToken(401);
                default -> throw common(e);
            }
        }
    }

    Views.Notice forgotPassword(Requests.Forgot r, String sourceIp) {
        limiter.hit("forgot#" + sourceIp, limits.perAddress(), MINUTE, "forgot-password requests from this address");
        limiter.hit("forgot#" + r.email() + "#" + sourceIp, limits.perEmailAndAddress(), MINUTE, "forgot-password requests for this email");
        try {
            cognito.call("ForgotPassword", client.request(r.email(), Map.of("Username", r.email())));
        } catch (Cognito.Failure e) {
            switch (e.type()) {
                case "UserNotFoundException", "NotAuthorizedException", "InvalidParameterException" -> {
                    // Same answer whether or not the account exists (or is confirmed): no account enumeration.
                }
                default -> throw common(e);
            }
        }
        return new Views.Notice("if an account exists for this email, a reset code was sent to it");
    }

    Views.PasswordReset resetPassword(Requests.Reset r) {
        checkPolicy(r.newPassword(), "newPassword");
        try {
            cognito.call("ConfirmForgotPassword", client.request(r.email(), Map.of("Username", r.email(), "ConfirmationCode", r.code(),
                    "Password", r.newPassword())));
            return new Views.PasswordReset(true);
        } catch (Cognito.Failure e) {
            switch (e.type()) {
                case "CodeMismatchException", "UserNotFoundException" ->
                        throw ApiException.badRequest("INVALID_CODE", "the code is wrong; check the latest email or ask for a new code");
                case "ExpiredCodeException" -> throw ApiException.badRequest("CODE_EXPIRED", "the code has expired; ask for a new code");
                case "InvalidPasswordException" -> throw passwordPolicy("newPassword");
                default -> throw common(e);
            }
        }
    }

    Views.Me me(Caller caller) {
        UserRecord u = users.ensure(caller, Instant.now());
        return new Views.Me(u.userId(), u.email(), u.name(), u.role(), u.credits(), u.createdAt());
    }

    /** Revokes the refresh token (and the tokens issued from it), then closes the user's open WebSocket connections. */
    void logout(Requests.Logout r, String userId) {
        // A caller revokes their own tokens only: the token names its user.
        AppClient.RefreshToken t = AppClient.RefreshToken.parse(r.refreshToken())
                .filter(token -> token.username().equals(userId)).orElseThrow(() -> invalidRefreshToken(400));
        Map<String, String> revoke = new HashMap<>(Map.of("ClientId", client.id(), "Token", t.token()));
        if (client.secret() != null) {
            revoke.put("ClientSecret", client.secret());
        }
        try {
            cognito.call("RevokeToken", revoke);
        } catch (Cognito.Failure e) {
            switch (e.type()) {
                case "NotAuthorizedException", "UnsupportedTokenTypeException" -> throw invalidRefreshToken(400);
                default -> throw common(e);
            }
        }
        push.disconnect(userId, Instant.now());
    }

    private void checkPolicy(String password, String field) {
        if (!policy.accepts(password)) {
            throw passwordPolicy(field);
        }
    }

    private ApiException passwordPolicy(String field) {
        return new ApiException(400, "PASSWORD_POLICY", field + ": the password must have " + policy.describe()
                + ", with no leading or trailing spaces", field, Map.of());
    }

    private static ApiException invalidRefreshToken(int status) {
        return status == 401
                ? new ApiException(401, "INVALID_REFRESH_TOKEN", "the refresh token is invalid, expired or revoked; log in again")
                : new ApiException(400, "INVALID_REFRESH_TOKEN", "the refresh token is not valid for this app");
    }

    /** Login hands out the suite's refresh token (user + Cognito's token, see {@link AppClient.RefreshToken}); refresh does not. */
    private static Views.Tokens tokens(JsonNode res, boolean withRefresh) {
        JsonNode a = res.path("AuthenticationResult");
        if (!a.isObject()) {
            throw new ApiException(403, "CHALLENGE_REQUIRED", "this account needs a further step (" + res.path("ChallengeName").asText(null) + ")");
        }
        String idToken = a.path("IdToken").textValue();
        JsonNode claims = claims(idToken);
        String refresh = withRefresh ? new AppClient.RefreshToken(claims.path("sub").asText(), a.path("RefreshToken").textValue()).value() : null;
        return new Views.Tokens(idToken, a.path("AccessToken").textValue(), refresh,
                a.path("ExpiresIn").isNumber() ? a.path("ExpiresIn").asInt() : lifetime(claims), "Bearer");
    }

    /** The payload of a JWT Cognito just issued (its signature is Cognito's business here: it came over TLS from Cognito). */
    private static JsonNode claims(String jwt) {
        try {
            return Json.EVENTS.readTree(Base64.getUrlDecoder().decode(jwt.split("\\.")[1]));
        } catch (RuntimeException | IOException e) {
            throw new ApiException(502, "AUTH_PROVIDER_ERROR", "the account service answered an unreadable token; retry shortly");
        }
    }

    /** Seconds from issue to expiry, for providers that leave ExpiresIn out (cognito-local); an hour if absent. */
    static int lifetime(JsonNode claims) {
        return claims.has("exp") && claims.has("iat") ? (int) (claims.get("exp").asLong() - claims.get("iat").asLong()) : 3600;
    }

    /** Throttling is 429 with Retry-After; anything else unexpected from Cognito is a 502, logged by the gateway. */
    private static ApiException common(Cognito.Failure e) {
        if (e.throttling() || e.type().equals("LimitExceededException") || e.type().equals("TooManyFailedAttemptsException")) {
            return ApiException.tooManyRequests("too many attempts; wait and retry", 30);
        }
        if (e.type().equals("InvalidParameterException")) {
            return ApiException.badRequest("INVALID_REQUEST", "the account service refused the request: check the fields");
        }
        LOG.error("Cognito answered {} {}", e.status(), e.type());
        return new ApiException(502, "AUTH_PROVIDER_ERROR", "the account service failed; retry shortly");
    }
}
