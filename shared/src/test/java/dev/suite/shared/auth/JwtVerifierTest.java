package dev.suite.shared.auth;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import com.auth0.jwt.JWT;
import com.auth0.jwt.algorithms.Algorithm;
import com.sun.net.httpserver.HttpServer;
import dev.suite.shared.auth.JwtVerifier.InvalidTokenException;
import dev.suite.shared.auth.JwtVerifier.TokenUse;
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
import java.util.Arrays;
import java.util.Base64;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
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

    record Tokens(String idToken, String accessToken) {
    }

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
                JWT.create().withKeyId("k1").withIssuer(issuer).withSubject(sub).withAudience(CLIENT)
                        .withClaim("token_use", "id").withClaim("email", "jwt@example.com").withExpiresAt(exp).sign(rs),
                JWT.create().withKeyId("k1").withIssuer(issuer).withSubject(sub).withClaim("client_id", CLIENT)
                        .withClaim("token_use", "access").withExpiresAt(exp).sign(rs));
    }

    @AfterAll
    static void stop() {
        jwks.stop(0);
    }

    static String jwksJson(RSAPublicKey key) {
        Base64.Encoder b64 = Base64.getUrlEncoder().withoutPadding();
        return "{\"keys\":[{\"kty\":\"RSA\",\"kid\":\"k1\",\"use\":\"sig\",\"alg\":\"RS256\",\"n\":\""
                + b64.encodeToString(unsigned(key.getModulus())) + "\",\"e\":\"" + b64.encodeToString(unsigned(key.getPublicExponent()))
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
        String forged = JWT.create().withKeyId(decoded.getKeyId()).withIssuer(decoded.getIssuer())
                .withSubject(sub).withAudience(CLIENT).withClaim("token_use", "id")
                .withExpiresAt(decoded.getExpiresAtAsInstant())
                .sign(Algorithm.RSA256((RSAPublicKey) pair.getPublic(), (RSAPrivateKey) pair.getPrivate()));
        assertThrows(InvalidTokenException.class, () -> verifier.verify(forged, TokenUse.id));
    }

    @Test
    void tamperedPayloadFails() {
        String[] parts = tokens.idToken().split("\\.");
        String payload = new String(Base64.getUrlDecoder().decode(parts[1]), StandardCharsets.UTF_8)
                .replace(sub, UUID.randomUUID().toString());
        String tampered = parts[0] + "." + Base64.getUrlEncoder().withoutPadding().encodeToString(payload.getBytes(StandardCharsets.UTF_8))
                + "." + parts[2];
        assertThrows(InvalidTokenException.class, () -> verifier.verify(tampered, TokenUse.id));
    }

    @Test
    void expiredTokenFails() {
        JwtVerifier later = new JwtVerifier(verifier.issuer(), jwksUri, Set.of(CLIENT),
                Clock.offset(Clock.systemUTC(), Duration.ofDays(2)));
        assertThrows(InvalidTokenException.class, () -> later.verify(tokens.idToken(), TokenUse.id));
    }

    @Test
    void algNoneFails() {
        String[] parts = tokens.idToken().split("\\.");
        String header = Base64.getUrlEncoder().withoutPadding().encodeToString(
                "{\"alg\":\"none\",\"kid\":\"k1\",\"typ\":\"JWT\"}".getBytes(StandardCharsets.UTF_8));
        assertThrows(InvalidTokenException.class, () -> verifier.verify(header + "." + parts[1] + ".", TokenUse.id));
    }

    @Test
    void symmetricAlgorithmWithThePublicKeyFails() {
        var decoded = JWT.decode(tokens.idToken());
        String hs = JWT.create().withKeyId(decoded.getKeyId()).withIssuer(decoded.getIssuer()).withSubject(sub)
                .withAudience(CLIENT).withClaim("token_use", "id").withExpiresAt(decoded.getExpiresAtAsInstant())
                .sign(Algorithm.HMAC256("public-key-material"));
        assertThrows(InvalidTokenException.class, () -> verifier.verify(hs, TokenUse.id));
    }

    @Test
    void wrongIssuerFails() {
        JwtVerifier other = new JwtVerifier("http://localhost:1/other-pool", jwksUri,
                Set.of(CLIENT), Clock.systemUTC());
        assertThrows(InvalidTokenException.class, () -> other.verify(tokens.idToken(), TokenUse.id));
    }

    @Test
    void wrongAudienceFails() {
        JwtVerifier other = new JwtVerifier(verifier.issuer(), jwksUri, Set.of("another-client"),
                Clock.systemUTC());
        assertThrows(InvalidTokenException.class, () -> other.verify(tokens.idToken(), TokenUse.id));
        assertThrows(InvalidTokenException.class, () -> other.verify(tokens.accessToken(), TokenUse.access));
    }

    @Test
    void garbageFails() {
        for (String t : new String[] {"", "abc", "a.b.c", "Bearer x"}) {
            assertThrows(InvalidTokenException.class, () -> verifier.verify(t, TokenUse.id));
        }
    }
}
