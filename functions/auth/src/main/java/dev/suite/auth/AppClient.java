package dev.suite.auth;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.function.Supplier;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import software.amazon.awssdk.services.cognitoidentityprovider.CognitoIdentityProviderClient;

/**
 * The user pool's app client the auth routes call Cognito through. In the template it has a secret (GenerateSecret), which
 * is in no configuration: it is read from Cognito (DescribeUserPoolClient) the first time a call needs it, and every
 * call carries the SECRET_HASH of its username. Only the functions hold the secret, so the app client's public path
 * (USER_PASSWORD_AUTH straight to Cognito, around the rate limits) is closed. An app client without a secret (an old
 * stack) works as before: no SECRET_HASH is sent.
 */
final class AppClient {
    private final Supplier<CognitoIdentityProviderClient> cognito;
    private final String userPoolId;
    private final String clientId;
    private volatile Optional<String> secret;

    AppClient(Supplier<CognitoIdentityProviderClient> cognito, String userPoolId, String clientId) {
        this.cognito = cognito;
        this.userPoolId = userPoolId;
        this.clientId = clientId;
    }

    /** A client whose secret is known already (tests, or no secret at all with {@code null}). */
    static AppClient withSecret(String clientId, String secret) {
        AppClient c = new AppClient(null, null, clientId);
        c.secret = Optional.ofNullable(secret);
        return c;
    }

    String id() {
        return clientId;
    }

    /** The app client secret, or null when the client has none. Read once, then kept for the container's life. */
    String secret() {
        Optional<String> s = secret;
        if (s == null) {
            synchronized (this) {
                if (secret == null) {
                    secret = Optional.ofNullable(cognito.get()
                            .describeUserPoolClient(
                                    b -> b.userPoolId(userPoolId).clientId(clientId))
                            .userPoolClient()
                            .clientSecret());
                }
                s = secret;
            }
        }
        return s.orElse(null);
    }

    /** Base64(HMAC-SHA256(secret, username + clientId)), or null when the client has no secret. */
    String secretHash(String username) {
        String s = secret();
        return s == null ? null : hash(s, username, clientId);
    }

    /** InitiateAuth's AuthParameters plus SECRET_HASH when the client has a secret. */
    Map<String, String> authParameters(String username, Map<String, String> parameters) {
        Map<String, String> all = new LinkedHashMap<>(parameters);
        String hash = secretHash(username);
        if (hash != null) {
            all.put("SECRET_HASH", hash);
        }
        return all;
    }

    static String hash(String secret, String username, String clientId) {
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(secret.getBytes(StandardCharsets.UTF_8), "HmacSHA256"));
            return Base64.getEncoder()
                    .encodeToString(mac.doFinal((username + clientId).getBytes(StandardCharsets.UTF_8)));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("HmacSHA256 is part of every JDK", e);
        }
    }

    /**
     * The refresh token the suite hands out: the user's Cognito username (their sub) and Cognito's refresh token. A
     * refresh with a secret needs the SECRET_HASH of the sub, which Cognito's opaque token does not reveal, so the token
     * carries it. Clients keep it as one opaque string. A forged sub only makes the hash wrong: Cognito refuses it.
     */
    record RefreshToken(String username, String token) {
        private static final char SEPARATOR = '~';

        /** Empty for a value that is not one of ours (a raw Cognito token, a truncated copy). */
        static Optional<RefreshToken> parse(String value) {
            int at = value.indexOf(SEPARATOR);
            if (at <= 0 || at == value.length() - 1) {
                return Optional.empty();
            }
            return Optional.of(new RefreshToken(value.substring(0, at), value.substring(at + 1)));
        }

        String value() {
            return username + SEPARATOR + token;
        }
    }
}
