package dev.suite.testkit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import com.auth0.jwt.JWT;
import com.auth0.jwt.algorithms.Algorithm;
import dev.suite.shared.Config;
import dev.suite.shared.auth.JwtVerifier;
import dev.suite.shared.auth.JwtVerifier.InvalidTokenException;
import dev.suite.shared.auth.JwtVerifier.TokenUse;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.security.KeyPairGenerator;
import java.security.interfaces.RSAPrivateKey;
import java.security.interfaces.RSAPublicKey;
import java.time.Clock;
import java.time.Duration;
import java.util.Base64;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.cognitoidentityprovider.model.AttributeType;
import software.amazon.awssdk.services.cognitoidentityprovider.model.AuthFlowType;
import software.amazon.awssdk.services.cognitoidentityprovider.model.AuthenticationResultType;

/** The shared verifier against tokens issued by cognito-local, and against forgeries of them. */
class JwtVerifierTest {
    static Emulators emu;
    static JwtVerifier verifier;
    static AuthenticationResultType tokens;
    static String sub;

    @BeforeAll
    static void issue() {
        emu = Emulators.shared();
        verifier = JwtVerifier.fromConfig(config());
        String email = "jwt" + UUID.randomUUID().toString().substring(0, 8) + "@example.com";
        sub = emu.cognito().signUp(b -> b.clientId(emu.clientId()).username(email).password("Passw0rdOk")
                .userAttributes(AttributeType.builder().name("email").value(email).build())).userSub();
        emu.cognito().adminConfirmSignUp(b -> b.userPoolId(emu.userPoolId()).username(sub));
        tokens = emu.cognito().initiateAuth(b -> b.clientId(emu.clientId()).authFlow(AuthFlowType.USER_PASSWORD_AUTH)
                .authParameters(Map.of("USERNAME", email, "PASSWORD", "Passw0rdOk"))).authenticationResult();
    }

    static Config config() {
        return emu.baseConfig().with(Map.of("USER_POOL_ID", emu.userPoolId(), "USER_POOL_CLIENT_ID", emu.clientId()));
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
                .withSubject(sub).withAudience(emu.clientId()).withClaim("token_use", "id")
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
        JwtVerifier later = new JwtVerifier(verifier.issuer(), URI.create(config().require("JWKS_URL")), Set.of(emu.clientId()),
                Clock.offset(Clock.systemUTC(), Duration.ofDays(2)));
        assertThrows(InvalidTokenException.class, () -> later.verify(tokens.idToken(), TokenUse.id));
    }

    @Test
    void algNoneFails() {
        String[] parts = tokens.idToken().split("\\.");
        String header = Base64.getUrlEncoder().withoutPadding().encodeToString(
                "{\"alg\":\"none\",\"kid\":\"CognitoLocal\",\"typ\":\"JWT\"}".getBytes(StandardCharsets.UTF_8));
        assertThrows(InvalidTokenException.class, () -> verifier.verify(header + "." + parts[1] + ".", TokenUse.id));
    }

    @Test
    void symmetricAlgorithmWithThePublicKeyFails() {
        var decoded = JWT.decode(tokens.idToken());
        String hs = JWT.create().withKeyId(decoded.getKeyId()).withIssuer(decoded.getIssuer()).withSubject(sub)
                .withAudience(emu.clientId()).withClaim("token_use", "id").withExpiresAt(decoded.getExpiresAtAsInstant())
                .sign(Algorithm.HMAC256("public-key-material"));
        assertThrows(InvalidTokenException.class, () -> verifier.verify(hs, TokenUse.id));
    }

    @Test
    void wrongIssuerFails() {
        JwtVerifier other = new JwtVerifier("http://localhost:1/other-pool", URI.create(config().require("JWKS_URL")),
                Set.of(emu.clientId()), Clock.systemUTC());
        assertThrows(InvalidTokenException.class, () -> other.verify(tokens.idToken(), TokenUse.id));
    }

    @Test
    void wrongAudienceFails() {
        JwtVerifier other = new JwtVerifier(verifier.issuer(), URI.create(config().require("JWKS_URL")), Set.of("another-client"),
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
