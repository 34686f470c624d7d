package dev.suite.auth;

import com.fasterxml.jackson.databind.JsonNode;
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
import java.util.Map;
import java.util.UUID;
import java.util.function.Supplier;
import org.slf4j.Logger;
import software.amazon.awssdk.services.cognitoidentityprovider.CognitoIdentityProviderClient;
import software.amazon.awssdk.services.cognitoidentityprovider.model.AttributeType;
import software.amazon.awssdk.services.cognitoidentityprovider.model.AuthFlowType;
import software.amazon.awssdk.services.cognitoidentityprovider.model.AuthenticationResultType;
import software.amazon.awssdk.services.cognitoidentityprovider.model.CodeMismatchException;
import software.amazon.awssdk.services.cognitoidentityprovider.model.CognitoIdentityProviderException;
import software.amazon.awssdk.services.cognitoidentityprovider.model.ExpiredCodeException;
import software.amazon.awssdk.services.cognitoidentityprovider.model.InitiateAuthResponse;
import software.amazon.awssdk.services.cognitoidentityprovider.model.InvalidParameterException;
import software.amazon.awssdk.services.cognitoidentityprovider.model.InvalidPasswordException;
import software.amazon.awssdk.services.cognitoidentityprovider.model.LimitExceededException;
import software.amazon.awssdk.services.cognitoidentityprovider.model.NotAuthorizedException;
import software.amazon.awssdk.services.cognitoidentityprovider.model.PasswordResetRequiredException;
import software.amazon.awssdk.services.cognitoidentityprovider.model.SignUpResponse;
import software.amazon.awssdk.services.cognitoidentityprovider.model.TooManyFailedAttemptsException;
import software.amazon.awssdk.services.cognitoidentityprovider.model.UnsupportedTokenTypeException;
import software.amazon.awssdk.services.cognitoidentityprovider.model.UserNotConfirmedException;
import software.amazon.awssdk.services.cognitoidentityprovider.model.UserNotFoundException;
import software.amazon.awssdk.services.cognitoidentityprovider.model.UsernameExistsException;

/** Account operations on the Cognito user pool and the Users table. No AWS event types here. */
public final class AuthService {
    private static final Logger LOG = Log.get(AuthService.class);
    private final Supplier<CognitoIdentityProviderClient> cognito;
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
    public record Limits(int perEmailAndAddress, int perAddress, int registrationsPerAddress) {}

    /**
     * {@code cognito} is built when a route first calls Cognito ({@code GET /auth/me} never does), or by priming
     * ({@link #warm}).
     */
    public AuthService(
            Supplier<CognitoIdentityProviderClient> cognito,
            Users users,
            AppClient client,
            PasswordPolicy policy,
            RateLimiter limiter,
            Limits limits,
            Push push) {
        this.push = push;
        this.cognito = cognito;
        this.users = users;
        this.client = client;
        this.policy = policy;
        this.limiter = limiter;
        this.limits = limits;
    }

    /**
     * SnapStart priming: builds the Cognito client and reads the app client's secret (DescribeUserPoolClient, read
     * only), so the snapshot holds both and the client's marshalling classes are loaded.
     */
    void warm() {
        client.secret();
    }

    /**
     * Registers an account. An email that already has one gets the same answer (201, a fresh id that names no account),
     * so the route tells nobody which emails have accounts; the owner of an unconfirmed account gets the code again.
     */
    Views.Registered register(Requests.Register r, String sourceIp) {
        checkPolicy(r.password(), "password");
        limiter.hit(
                "register#" + sourceIp, limits.registrationsPerAddress(), MINUTE, "registrations from this address");
        try {
            SignUpResponse res = cognito.get()
                    .signUp(b -> b.clientId(client.id())
                            .secretHash(client.secretHash(r.email()))
                            .username(r.email())
                            .password(r.password())
                            .userAttributes(
                                    AttributeType.builder()
                                            .name("email")
                                            .value(r.email())
                                            .build(),
                                    AttributeType.builder()
                                            .name("name")
                                            .value(r.name())
                                            .build()));
            return new Views.Registered(res.userSub(), r.email(), Boolean.TRUE.equals(res.userConfirmed()));
        } catch (UsernameExistsException e) {
            try {
                cognito.get()
                        .resendConfirmationCode(b -> b.clientId(client.id())
                                .secretHash(client.secretHash(r.email()))
                                .username(r.email()));
            } catch (CognitoIdentityProviderException notSent) {
                // a confirmed account gets no code (InvalidParameter), nor does a throttled one; the answer stays the
                // same
                LOG.info("confirmation code not sent again: {}", type(notSent));
            }
            return new Views.Registered(UUID.randomUUID().toString(), r.email(), false);
        } catch (InvalidPasswordException e) {
            throw passwordPolicy("password");
        } catch (CognitoIdentityProviderException e) {
            throw common(e);
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
            cognito.get()
                    .confirmSignUp(b -> b.clientId(client.id())
                            .secretHash(client.secretHash(r.email()))
                            .username(r.email())
                            .confirmationCode(r.code()));
            return new Views.Confirmed(true);
        } catch (CodeMismatchException | UserNotFoundException | NotAuthorizedException e) {
            // an account already confirmed (NotAuthorized) answers as a wrong code does: confirm tells nobody which
            // accounts exist
            throw ApiException.badRequest(
                    "INVALID_CODE", "the code is wrong; check the latest email or ask for a new code");
        } catch (ExpiredCodeException e) {
            throw ApiException.badRequest("CODE_EXPIRED", "the code has expired; ask for a new code");
        } catch (CognitoIdentityProviderException e) {
            throw common(e);
        }
    }

    Views.Tokens login(Requests.Login r, String sourceIp) {
        String fromAddress = "login-failures#" + sourceIp;
        String forEmail = "login-failures#" + r.email() + "#" + sourceIp;
        limiter.check(fromAddress, limits.perAddress(), MINUTE, "failed logins from this address");
        limiter.check(forEmail, limits.perEmailAndAddress(), MINUTE, "failed logins for this email");
        try {
            InitiateAuthResponse res = cognito.get()
                    .initiateAuth(b -> b.clientId(client.id())
                            .authFlow(AuthFlowType.USER_PASSWORD_AUTH)
                            .authParameters(client.authParameters(
                                    r.email(), Map.of("USERNAME", r.email(), "PASSWORD", r.password()))));
            return tokens(res, true);
        } catch (NotAuthorizedException | UserNotFoundException | InvalidPasswordException e) {
            // One answer for an unknown account and a wrong password: no account enumeration. Only failures count.
            limiter.count(fromAddress, MINUTE);
            limiter.count(forEmail, MINUTE);
            throw new ApiException(401, "INVALID_CREDENTIALS", "email or password is incorrect");
        } catch (UserNotConfirmedException e) {
            throw new ApiException(403, "USER_NOT_CONFIRMED", "confirm the account with the emailed code first");
        } catch (PasswordResetRequiredException e) {
            throw new ApiException(403, "PASSWORD_RESET_REQUIRED", "reset the password with forgot-password first");
        } catch (CognitoIdentityProviderException e) {
            throw common(e);
        }
    }

    Views.Tokens refresh(Requests.Refresh r) {
        AppClient.RefreshToken t =
                AppClient.RefreshToken.parse(r.refreshToken()).orElseThrow(() -> invalidRefreshToken(401));
        try {
            InitiateAuthResponse res = cognito.get()
                    .initiateAuth(b -> b.clientId(client.id())
                            .authFlow(AuthFlowType.REFRESH_TOKEN_AUTH)
                            .authParameters(client.authParameters(t.username(), Map.of("REFRESH_TOKEN", t.token()))));
            return tokens(res, false);
        } catch (NotAuthorizedException | UserNotFoundException e) {
            throw invalidRefreshToken(401);
        } catch (CognitoIdentityProviderException e) {
            throw common(e);
        }
    }

    Views.Notice forgotPassword(Requests.Forgot r, String sourceIp) {
        limiter.hit("forgot#" + sourceIp, limits.perAddress(), MINUTE, "forgot-password requests from this address");
        limiter.hit(
                "forgot#" + r.email() + "#" + sourceIp,
                limits.perEmailAndAddress(),
                MINUTE,
                "forgot-password requests for this email");
        try {
            cognito.get()
                    .forgotPassword(b -> b.clientId(client.id())
                            .secretHash(client.secretHash(r.email()))
                            .username(r.email()));
        } catch (UserNotFoundException | NotAuthorizedException | InvalidParameterException e) {
            // Same answer whether or not the account exists (or is confirmed): no account enumeration.
            LOG.debug("forgot-password not sent: {}", type(e));
        } catch (CognitoIdentityProviderException e) {
            throw common(e);
        }
        return new Views.Notice("if an account exists for this email, a reset code was sent to it");
    }

    Views.PasswordReset resetPassword(Requests.Reset r) {
        checkPolicy(r.newPassword(), "newPassword");
        try {
            cognito.get()
                    .confirmForgotPassword(b -> b.clientId(client.id())
                            .secretHash(client.secretHash(r.email()))
                            .username(r.email())
                            .confirmationCode(r.code())
                            .password(r.newPassword()));
            return new Views.PasswordReset(true);
        } catch (CodeMismatchException | UserNotFoundException e) {
            throw ApiException.badRequest(
                    "INVALID_CODE", "the code is wrong; check the latest email or ask for a new code");
        } catch (ExpiredCodeException e) {
            throw ApiException.badRequest("CODE_EXPIRED", "the code has expired; ask for a new code");
        } catch (InvalidPasswordException e) {
            throw passwordPolicy("newPassword");
        } catch (CognitoIdentityProviderException e) {
            throw common(e);
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
                .filter(token -> token.username().equals(userId))
                .orElseThrow(() -> invalidRefreshToken(400));
        try {
            cognito.get()
                    .revokeToken(b -> b.clientId(client.id())
                            .clientSecret(client.secret())
                            .token(t.token()));
        } catch (NotAuthorizedException | UnsupportedTokenTypeException e) {
            throw invalidRefreshToken(400);
        } catch (CognitoIdentityProviderException e) {
            throw common(e);
        }
        push.disconnect(userId, Instant.now());
    }

    private void checkPolicy(String password, String field) {
        if (!policy.accepts(password)) {
            throw passwordPolicy(field);
        }
    }

    private ApiException passwordPolicy(String field) {
        return new ApiException(
                400,
                "PASSWORD_POLICY",
                field + ": the password must have " + policy.describe() + ", with no leading or trailing spaces",
                field,
                Map.of());
    }

    private static ApiException invalidRefreshToken(int status) {
        return status == 401
                ? new ApiException(
                        401, "INVALID_REFRESH_TOKEN", "the refresh token is invalid, expired or revoked; log in again")
                : new ApiException(400, "INVALID_REFRESH_TOKEN", "the refresh token is not valid for this app");
    }

    /**
     * Login hands out the suite's refresh token (user + Cognito's token, see {@link AppClient.RefreshToken}); refresh
     * does not.
     */
    private static Views.Tokens tokens(InitiateAuthResponse res, boolean withRefresh) {
        AuthenticationResultType a = res.authenticationResult();
        if (a == null) {
            throw new ApiException(
                    403,
                    "CHALLENGE_REQUIRED",
                    "this account needs a further step (" + res.challengeNameAsString() + ")");
        }
        JsonNode claims = claims(a.idToken());
        String refresh =
                withRefresh ? new AppClient.RefreshToken(claims.path("sub").asText(), a.refreshToken()).value() : null;
        return new Views.Tokens(
                a.idToken(),
                a.accessToken(),
                refresh,
                a.expiresIn() != null ? a.expiresIn() : lifetime(claims),
                "Bearer");
    }

    /**
     * The payload of a JWT Cognito just issued (its signature is Cognito's business here: it came over TLS from
     * Cognito).
     */
    private static JsonNode claims(String jwt) {
        try {
            return Json.EVENTS.readTree(Base64.getUrlDecoder().decode(jwt.split("\\.")[1]));
        } catch (RuntimeException | IOException e) {
            throw new ApiException(
                    502, "AUTH_PROVIDER_ERROR", "the account service answered an unreadable token; retry shortly");
        }
    }

    /** Seconds from issue to expiry, for providers that leave ExpiresIn out (cognito-local); an hour if absent. */
    static int lifetime(JsonNode claims) {
        return claims.has("exp") && claims.has("iat")
                ? (int) (claims.get("exp").asLong() - claims.get("iat").asLong())
                : 3600;
    }

    /** Throttling is 429 with Retry-After; anything else unexpected from Cognito is a 502, logged by the gateway. */
    private static ApiException common(CognitoIdentityProviderException e) {
        if (e.isThrottlingException()
                || e instanceof LimitExceededException
                || e instanceof TooManyFailedAttemptsException) {
            return ApiException.tooManyRequests("too many attempts; wait and retry", 30);
        }
        if (e instanceof InvalidParameterException) {
            return ApiException.badRequest(
                    "INVALID_REQUEST", "the account service refused the request: check the fields");
        }
        LOG.error("Cognito answered {} {}", e.statusCode(), type(e));
        return new ApiException(502, "AUTH_PROVIDER_ERROR", "the account service failed; retry shortly");
    }

    /** Cognito's error code ({@code UsernameExistsException}, ...), or the exception's class when it named none. */
    private static String type(CognitoIdentityProviderException e) {
        return e.awsErrorDetails() == null || e.awsErrorDetails().errorCode() == null
                ? e.getClass().getSimpleName()
                : e.awsErrorDetails().errorCode();
    }
}
