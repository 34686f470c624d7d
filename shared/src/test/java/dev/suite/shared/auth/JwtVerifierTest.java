package dev.suite.shared.auth;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.auth0.jwt.JWT;
import com.auth0.jwt.algorithms.Algorithm;
import com.sun.net.httpserver.HttpServer;
import dev.suite.shared.auth.JwtVerifier.InvalidTokenException;
import dev.suite.shared.auth.JwtVerifier.TokenUse;
import java.io.IOException;
import java.math.BigInteger;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.security.KeyPairGenerator;
import java.security.interfaces.RSAPrivateKey;
import java.security.interfaces.RSAPublicKey;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.Arrays;
import java.util.Base64;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The shared verifier against tokens shaped as Cognito issues them (RS256, kid, token_use), and forgeries of them. */
class JwtVerifierTest {
    static final String CLIENT = "app-client";
    static HttpServer jwks;
    static String issuer;
    static URI jwksUri;
    static RSAPublicKey publicKey;
    static RSAPrivateKey privateKey;
    static JwtVerifier verifier;
    static Tokens tokens;
    static String sub = UUID.randomUUID().toString();

    record Tokens(String idToken, String accessToken) {}

    /** A pool of our own: an RSA key served as a JWKS on loopback, tokens shaped as Cognito issues them. */
    @BeforeAll
    static void issue() throws Exception {
        var gen = KeyPairGenerator.getInstance("RSA");
        gen.initialize(2048);
        var pair = gen.generateKeyPair();
        publicKey = (RSAPublicKey) pair.getPublic();
        privateKey = (RSAPrivateKey) pair.getPrivate();
        jwks = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        jwks.createContext("/pool/.well-known/jwks.json", exchange -> {
            byte[] body = jwksJson(publicKey).getBytes(StandardCharsets.UTF_8);
            exchange.getResponseHeaders().add("Content-Type", "application/json");
            exchange.sendResponseHeaders(200, body.length);
            exchange.getResponseBody().write(body);
            exchange.close();
        });
        jwks.start();
        issuer = "http://127.0.0.1:" + jwks.getAddress().getPort() + "/pool";
        jwksUri = URI.create(issuer + "/.well-known/jwks.json");
        verifier = new JwtVerifier(issuer, jwksUri, Set.of(CLIENT), Clock.systemUTC());
        Instant exp = Instant.now().plus(Duration.ofHours(1));
        Algorithm rs = Algorithm.RSA256(publicKey, privateKey);
        tokens = new Tokens(
                JWT.create()
                        .withKeyId("k1")
                        .withIssuer(issuer)
                        .withSubject(sub)
                        .withAudience(CLIENT)
                        .withClaim("token_use", "id")
                        .withClaim("email", "jwt@example.com")
                        .withExpiresAt(exp)
                        .sign(rs),
                JWT.create()
                        .withKeyId("k1")
                        .withIssuer(issuer)
                        .withSubject(sub)
                        .withClaim("client_id", CLIENT)
                        .withClaim("token_use", "access")
                        .withExpiresAt(exp)
                        .sign(rs));
    }

    @AfterAll
    static void stop() {
        jwks.stop(0);
    }

    static String jwksJson(RSAPublicKey key) {
        Base64.Encoder b64 = Base64.getUrlEncoder().withoutPadding();
        return "{\"keys\":[{\"kty\":\"RSA\",\"kid\":\"k1\",\"use\":\"sig\",\"alg\":\"RS256\",\"n\":\""
                + b64.encodeToString(unsigned(key.getModulus())) + "\",\"e\":\""
                + b64.encodeToString(unsigned(key.getPublicExponent()))
                + "\"}]}";
    }

    static byte[] unsigned(BigInteger value) {
        byte[] bytes = value.toByteArray();
        return bytes[0] == 0 ? Arrays.copyOfRange(bytes, 1, bytes.length) : bytes;
    }

    @Test
    void realTokensPass() throws Exception {
        Map<String, Object> id = verifier.verify(tokens.idToken(), TokenUse.id);
        assertEquals(sub, id.get("sub"));
        assertEquals("id", id.get("token_use"));
        Map<String, Object> access = verifier.verify(tokens.accessToken(), TokenUse.access);
        assertEquals(sub, access.get("sub"));
    }

    @Test
    void wrongTokenUseFails() {
        assertThrows(InvalidTokenException.class, () -> verifier.verify(tokens.idToken(), TokenUse.access));
        assertThrows(InvalidTokenException.class, () -> verifier.verify(tokens.accessToken(), TokenUse.id));
    }

    @Test
    void forgedSignatureFails() throws Exception {
        var gen = KeyPairGenerator.getInstance("RSA");
        gen.initialize(2048);
        var pair = gen.generateKeyPair();
        var decoded = JWT.decode(tokens.idToken());
        String forged = JWT.create()
                .withKeyId(decoded.getKeyId())
                .withIssuer(decoded.getIssuer())
                .withSubject(sub)
                .withAudience(CLIENT)
                .withClaim("token_use", "id")
                .withExpiresAt(decoded.getExpiresAtAsInstant())
                .sign(Algorithm.RSA256((RSAPublicKey) pair.getPublic(), (RSAPrivateKey) pair.getPrivate()));
        assertThrows(InvalidTokenException.class, () -> verifier.verify(forged, TokenUse.id));
    }

    @Test
    void tamperedPayloadFails() {
        String[] parts = tokens.idToken().split("\\.");
        String payload = new String(Base64.getUrlDecoder().decode(parts[1]), StandardCharsets.UTF_8)
                .replace(sub, UUID.randomUUID().toString());
        String tampered = parts[0] + "."
                + Base64.getUrlEncoder().withoutPadding().encodeToString(payload.getBytes(StandardCharsets.UTF_8)) + "."
                + parts[2];
        assertThrows(InvalidTokenException.class, () -> verifier.verify(tampered, TokenUse.id));
    }

    @Test
    void expiredTokenFails() {
        JwtVerifier later = new JwtVerifier(
                verifier.issuer(), jwksUri, Set.of(CLIENT), Clock.offset(Clock.systemUTC(), Duration.ofDays(2)));
        assertThrows(InvalidTokenException.class, () -> later.verify(tokens.idToken(), TokenUse.id));
    }

    @Test
    void algNoneFails() {
        String[] parts = tokens.idToken().split("\\.");
        String header = Base64.getUrlEncoder()
                .withoutPadding()
                .encodeToString("{\"alg\":\"none\",\"kid\":\"k1\",\"typ\":\"JWT\"}".getBytes(StandardCharsets.UTF_8));
        assertThrows(InvalidTokenException.class, () -> verifier.verify(header + "." + parts[1] + ".", TokenUse.id));
    }

    @Test
    void symmetricAlgorithmWithThePublicKeyFails() {
        var decoded = JWT.decode(tokens.idToken());
        String hs = JWT.create()
                .withKeyId(decoded.getKeyId())
                .withIssuer(decoded.getIssuer())
                .withSubject(sub)
                .withAudience(CLIENT)
                .withClaim("token_use", "id")
                .withExpiresAt(decoded.getExpiresAtAsInstant())
                .sign(Algorithm.HMAC256("public-key-material"));
        assertThrows(InvalidTokenException.class, () -> verifier.verify(hs, TokenUse.id));
    }

    @Test
    void wrongIssuerFails() {
        JwtVerifier other =
                new JwtVerifier("http://localhost:1/other-pool", jwksUri, Set.of(CLIENT), Clock.systemUTC());
        assertThrows(InvalidTokenException.class, () -> other.verify(tokens.idToken(), TokenUse.id));
    }

    @Test
    void wrongAudienceFails() {
        JwtVerifier other = new JwtVerifier(verifier.issuer(), jwksUri, Set.of("another-client"), Clock.systemUTC());
        assertThrows(InvalidTokenException.class, () -> other.verify(tokens.idToken(), TokenUse.id));
        assertThrows(InvalidTokenException.class, () -> other.verify(tokens.accessToken(), TokenUse.access));
    }

    @Test
    void garbageFails() {
        for (String t : new String[] {"", "abc", "a.b.c", "Bearer x"}) {
            assertThrows(InvalidTokenException.class, () -> verifier.verify(t, TokenUse.id));
        }
    }

    /** A clock the test moves forward. */
    static final class MovableClock extends Clock {
        private volatile Instant now = Instant.now();

        void advance(Duration d) {
            now = now.plus(d);
        }

        @Override
        public ZoneId getZone() {
            return ZoneOffset.UTC;
        }

        @Override
        public Clock withZone(ZoneId zone) {
            return this;
        }

        @Override
        public Instant instant() {
            return now;
        }
    }

    /** A JWKS endpoint that can be made to fail or to hang, counting the fetches it answered. */
    static final class FlakyJwks implements AutoCloseable {
        final HttpServer server;
        final AtomicInteger fetches = new AtomicInteger();
        volatile boolean failing;
        volatile long delayMs;

        FlakyJwks() throws IOException {
            server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
            server.setExecutor(Executors.newCachedThreadPool());
            server.createContext("/pool/.well-known/jwks.json", exchange -> {
                try {
                    Thread.sleep(delayMs);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
                fetches.incrementAndGet();
                byte[] body = (failing ? "{\"message\":\"unavailable\"}" : jwksJson(publicKey))
                        .getBytes(StandardCharsets.UTF_8);
                exchange.sendResponseHeaders(failing ? 503 : 200, body.length);
                exchange.getResponseBody().write(body);
                exchange.close();
            });
            server.start();
        }

        URI uri() {
            return URI.create("http://127.0.0.1:" + server.getAddress().getPort() + "/pool/.well-known/jwks.json");
        }

        @Override
        public void close() {
            server.stop(0);
        }
    }

    static String longLived() {
        return JWT.create()
                .withKeyId("k1")
                .withIssuer(issuer)
                .withSubject(sub)
                .withAudience(CLIENT)
                .withClaim("token_use", "id")
                .withExpiresAt(Instant.now().plus(Duration.ofDays(30)))
                .sign(Algorithm.RSA256(publicKey, privateKey));
    }

    @Test
    void aFailedRefreshKeepsTheLastGoodKeys() throws Exception {
        try (FlakyJwks endpoint = new FlakyJwks()) {
            MovableClock clock = new MovableClock();
            JwtVerifier v = new JwtVerifier(issuer, endpoint.uri(), Set.of(CLIENT), clock);
            String token = longLived();
            assertEquals(sub, v.verify(token, TokenUse.id).get("sub"));
            endpoint.failing = true;
            clock.advance(Duration.ofHours(7));
            for (int i = 0; i < 20; i++) {
                assertEquals(sub, v.verify(token, TokenUse.id).get("sub"), "still trusted while the endpoint fails");
                Thread.sleep(20);
            }
            assertTrue(endpoint.fetches.get() >= 2, "a refresh was tried");
            // an unknown key id during the outage does not wipe the known ones either
            String unknownKid = JWT.create()
                    .withKeyId("k2")
                    .withIssuer(issuer)
                    .withSubject(sub)
                    .withAudience(CLIENT)
                    .withClaim("token_use", "id")
                    .withExpiresAt(Instant.now().plus(Duration.ofDays(1)))
                    .sign(Algorithm.RSA256(publicKey, privateKey));
            clock.advance(Duration.ofMinutes(2));
            assertThrows(InvalidTokenException.class, () -> v.verify(unknownKid, TokenUse.id));
            assertEquals(sub, v.verify(token, TokenUse.id).get("sub"));
        }
    }

    @Test
    void aStaleKeySetIsRefreshedWithoutHoldingRequests() throws Exception {
        try (FlakyJwks endpoint = new FlakyJwks()) {
            MovableClock clock = new MovableClock();
            JwtVerifier v = new JwtVerifier(issuer, endpoint.uri(), Set.of(CLIENT), clock);
            String token = longLived();
            v.verify(token, TokenUse.id);
            endpoint.delayMs = 1_500;
            clock.advance(Duration.ofHours(7));
            long started = System.nanoTime();
            for (int i = 0; i < 50; i++) {
                v.verify(token, TokenUse.id);
            }
            long tookMs = (System.nanoTime() - started) / 1_000_000;
            assertTrue(tookMs < 1_000, "50 verifications during a slow refresh took " + tookMs + " ms");
            long deadline = System.currentTimeMillis() + 5_000;
            while (endpoint.fetches.get() < 2 && System.currentTimeMillis() < deadline) {
                Thread.sleep(50);
            }
            assertEquals(2, endpoint.fetches.get(), "one background refresh, not one per request");
        }
    }
}
