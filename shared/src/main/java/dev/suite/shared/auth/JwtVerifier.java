package dev.suite.shared.auth;

import com.auth0.jwk.Jwk;
import com.auth0.jwk.JwkException;
import com.auth0.jwk.JwkProvider;
import com.auth0.jwk.SigningKeyNotFoundException;
import com.auth0.jwk.UrlJwkProvider;
import com.auth0.jwt.JWT;
import com.auth0.jwt.JWTVerifier;
import com.auth0.jwt.algorithms.Algorithm;
import com.auth0.jwt.exceptions.JWTVerificationException;
import com.auth0.jwt.interfaces.Claim;
import com.auth0.jwt.interfaces.DecodedJWT;
import dev.suite.shared.Clients;
import dev.suite.shared.Config;
import dev.suite.shared.Log;
import java.net.MalformedURLException;
import java.net.URI;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.NoSuchAlgorithmException;
import java.security.interfaces.RSAPrivateKey;
import java.security.interfaces.RSAPublicKey;
import java.time.Clock;
import java.time.Instant;
import java.util.Arrays;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.stream.Collectors;
import org.slf4j.Logger;

/**
 * Verifies Cognito JWTs: RS256 only, key from the pool's JWKS (cached), issuer, expiry, token_use, and the
 * audience (ID token {@code aud}) or {@code client_id} (access token) among the allowed app clients.
 */
public final class JwtVerifier {

    public enum TokenUse {
        id,
        access
    }

    /** Thrown for any token that must not be trusted; the message is safe to log (it never holds the token). */
    public static final class InvalidTokenException extends Exception {
        public InvalidTokenException(String message) {
            super(message, null, false, false);
        }
    }

    private final String issuer;
    private final Set<String> clientIds;
    private final JwkProvider jwks;
    private final Clock clock;

    public JwtVerifier(String issuer, URI jwksUri, Set<String> clientIds, Clock clock) {
        this.issuer = issuer;
        this.clientIds = Set.copyOf(clientIds);
        this.clock = clock;
        try {
            this.jwks = new CachedJwks(new UrlJwkProvider(jwksUri.toURL(), 2_000, 2_000), clock);
        } catch (MalformedURLException e) {
            throw new IllegalArgumentException("bad JWKS URL " + jwksUri, e);
        }
    }

    /**
     * Keys cached by key id. A known key is always answered from memory: once the set is older than six hours it is
     * refreshed in the background (one refresh at a time), so no request waits on the JWKS endpoint. An unknown key id
     * refetches the set in the caller's thread, at most once a minute, so a flood of forged key ids cannot hammer the
     * endpoint. A failed fetch keeps the last good keys. (jwks-rsa's own cache needs Guava: 3 MB.)
     */
    static final class CachedJwks implements JwkProvider {
        static final long TTL_MS = TimeUnit.HOURS.toMillis(6);
        static final long MISS_INTERVAL_MS = TimeUnit.MINUTES.toMillis(1);
        private static final Logger LOG = Log.get(CachedJwks.class);
        private final UrlJwkProvider source;
        private final Clock clock;
        private final AtomicBoolean refreshing = new AtomicBoolean();
        private volatile Map<String, Jwk> keys = Map.of();
        private volatile long fetchedAt = Long.MIN_VALUE / 2;
        private volatile long lastAttempt = Long.MIN_VALUE / 2;

        CachedJwks(UrlJwkProvider source, Clock clock) {
            this.source = source;
            this.clock = clock;
        }

        @Override
        public Jwk get(String keyId) throws JwkException {
            Jwk jwk = keys.get(keyId);
            if (jwk != null) {
                if (clock.millis() - fetchedAt >= TTL_MS && refreshing.compareAndSet(false, true)) {
                    Thread t = new Thread(
                            () -> {
                                try {
                                    refresh();
                                } finally {
                                    refreshing.set(false);
                                }
                            },
                            "jwks-refresh");
                    t.setDaemon(true);
                    t.start();
                }
                return jwk;
            }
            synchronized (this) {
                jwk = keys.get(keyId);
                if (jwk == null && clock.millis() - lastAttempt >= MISS_INTERVAL_MS) {
                    refresh();
                    jwk = keys.get(keyId);
                }
            }
            if (jwk == null) {
                throw new SigningKeyNotFoundException("no key " + keyId, null);
            }
            return jwk;
        }

        /** Fetches the set; on success it replaces the cached one whole, on failure the last good keys stay. */
        void refresh() {
            lastAttempt = clock.millis();
            try {
                Map<String, Jwk> fresh = new HashMap<>();
                for (Jwk k : source.getAll()) {
                    if (k.getId() != null) {
                        fresh.put(k.getId(), k);
                    }
                }
                keys = Map.copyOf(fresh);
                fetchedAt = clock.millis();
            } catch (JwkException | RuntimeException e) {
                LOG.warn(
                        "JWKS refresh failed, keeping the {} last good keys: {}",
                        keys.size(),
                        e.getClass().getSimpleName());
            }
        }
    }

    /**
     * From configuration: USER_POOL_ID and USER_POOL_CLIENT_ID (comma-separated for several clients);
     * JWT_ISSUER and JWKS_URL override the AWS defaults for emulators.
     */
    public static JwtVerifier fromConfig(Config config) {
        String poolId = config.require("USER_POOL_ID");
        String issuer = config.get("JWT_ISSUER")
                .orElse("https://cognito-idp." + Clients.region(config).id() + ".amazonaws.com/" + poolId);
        URI jwks = URI.create(config.get("JWKS_URL").orElse(issuer + "/.well-known/jwks.json"));
        Set<String> clients = Arrays.stream(
                        config.require("USER_POOL_CLIENT_ID").split(","))
                .map(String::trim)
                .filter(s -> !s.isEmpty())
                .collect(Collectors.toSet());
        return new JwtVerifier(issuer, jwks, clients, Clock.systemUTC());
    }

    public String issuer() {
        return issuer;
    }

    /** The token's claims as plain strings and lists, as API Gateway's authorizer would pass them. */
    public Map<String, Object> verify(String token, TokenUse expectedUse) throws InvalidTokenException {
        if (token == null || token.isBlank()) {
            throw new InvalidTokenException("no token");
        }
        DecodedJWT unverified;
        try {
            unverified = JWT.decode(token.trim());
        } catch (JWTVerificationException e) {
            throw new InvalidTokenException("token is not a JWT");
        }
        if (!"RS256".equals(unverified.getAlgorithm())) {
            throw new InvalidTokenException("algorithm " + unverified.getAlgorithm() + " is not accepted");
        }
        if (unverified.getKeyId() == null) {
            throw new InvalidTokenException("token has no key id");
        }
        RSAPublicKey key;
        try {
            Jwk jwk = jwks.get(unverified.getKeyId());
            if (jwk.getAlgorithm() != null && !"RS256".equals(jwk.getAlgorithm())) {
                throw new InvalidTokenException("key algorithm is not RS256");
            }
            key = (RSAPublicKey) jwk.getPublicKey();
        } catch (JwkException | ClassCastException e) {
            throw new InvalidTokenException("signing key not found");
        }
        return verified(unverified, key, expectedUse);
    }

    /**
     * For SnapStart priming, without changing what is trusted: fetches the pool's keys (what the first token would
     * fetch) and reads them, then runs the verification below on a token signed by a throwaway RSA key made here,
     * checked against that key only (the key never enters the cached set, so nothing it signs is ever accepted).
     */
    public void prime() {
        if (jwks instanceof CachedJwks cached) {
            cached.refresh();
            for (Jwk k : cached.keys.values()) {
                try {
                    k.getPublicKey();
                } catch (JwkException e) {
                    // a key verify would refuse as well
                }
            }
        }
        try {
            KeyPairGenerator generator = KeyPairGenerator.getInstance("RSA");
            generator.initialize(2048);
            KeyPair throwaway = generator.generateKeyPair();
            RSAPublicKey publicKey = (RSAPublicKey) throwaway.getPublic();
            Instant now = Instant.now(clock);
            String token = JWT.create()
                    .withKeyId("priming")
                    .withIssuer(issuer)
                    .withSubject("priming")
                    .withAudience(clientIds.iterator().next())
                    .withClaim("token_use", TokenUse.id.name())
                    .withClaim("cognito:groups", List.of("User"))
                    .withClaim("email", "priming@example.invalid")
                    .withIssuedAt(now)
                    .withExpiresAt(now.plusSeconds(60))
                    .sign(Algorithm.RSA256(publicKey, (RSAPrivateKey) throwaway.getPrivate()));
            verified(JWT.decode(token), publicKey, TokenUse.id);
        } catch (NoSuchAlgorithmException | InvalidTokenException e) {
            throw new IllegalStateException("priming the verification failed: " + e.getMessage(), e);
        }
    }

    /** The checks after the key is known: signature, issuer, token_use, expiry, audience; the claims as strings. */
    private Map<String, Object> verified(DecodedJWT unverified, RSAPublicKey key, TokenUse expectedUse)
            throws InvalidTokenException {
        DecodedJWT jwt;
        try {
            var verification = (JWTVerifier.BaseVerification) JWT.require(Algorithm.RSA256(key, null))
                    .withIssuer(issuer)
                    .withClaim("token_use", expectedUse.name())
                    .withClaimPresence("sub")
                    .withClaimPresence("exp")
                    .acceptLeeway(0);
            jwt = verification.build(clock).verify(unverified);
        } catch (JWTVerificationException e) {
            throw new InvalidTokenException("token rejected: " + e.getClass().getSimpleName());
        }
        if (!Instant.now(clock).isBefore(jwt.getExpiresAtAsInstant())) {
            throw new InvalidTokenException("token expired");
        }
        String audience = expectedUse == TokenUse.id
                ? (jwt.getAudience() == null || jwt.getAudience().size() != 1
                        ? null
                        : jwt.getAudience().get(0))
                : jwt.getClaim("client_id").asString();
        if (audience == null || !clientIds.contains(audience)) {
            throw new InvalidTokenException("token was issued for another client");
        }
        Map<String, Object> claims = new LinkedHashMap<>();
        for (Map.Entry<String, Claim> e : jwt.getClaims().entrySet()) {
            Claim c = e.getValue();
            List<Object> list = c.asList(Object.class);
            if (list != null) {
                claims.put(e.getKey(), list.stream().map(String::valueOf).toList());
            } else if (c.asString() != null) {
                claims.put(e.getKey(), c.asString());
            } else {
                Object o = c.as(Object.class);
                claims.put(e.getKey(), o == null ? null : String.valueOf(o));
            }
        }
        return claims;
    }
}
