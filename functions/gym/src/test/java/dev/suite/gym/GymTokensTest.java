package dev.suite.gym;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.suite.gym.domain.CheckinTokens;
import dev.suite.gym.domain.Membership;
import dev.suite.shared.http.ApiException;
import java.time.Instant;
import java.util.Base64;
import org.junit.jupiter.api.Test;

/** Check-in codes and membership arithmetic, without emulators. */
class GymTokensTest {
    static final String KEY = "k".repeat(32);
    static final Instant NOW = Instant.parse("2026-11-23T10:00:00Z");
    final CheckinTokens tokens = new CheckinTokens(() -> KEY, 60);

    static String code(Runnable r) {
        return assertThrows(ApiException.class, r::run).code();
    }

    @Test
    void aCodeCarriesUserGymExpiryAndAUniqueId() {
        CheckinTokens.Issued a = tokens.issue("user-1", "gym-1", NOW);
        CheckinTokens.Issued b = tokens.issue("user-1", "gym-1", NOW);
        assertNotEquals(a.tokenId(), b.tokenId());
        assertNotEquals(a.token(), b.token());
        assertEquals(NOW.plusSeconds(60), a.expiresAt());
        assertTrue(
                a.token().length() < 200, "fits a small QR code: " + a.token().length());
        CheckinTokens.Claims c = tokens.verify(a.token(), NOW.plusSeconds(59));
        assertEquals("user-1", c.userId());
        assertEquals("gym-1", c.gymId());
        assertEquals(a.tokenId(), c.tokenId());
    }

    @Test
    void expiredForeignTamperedAndMalformedCodesAreRefused() {
        String t = tokens.issue("user-1", "gym-1", NOW).token();
        assertEquals("TOKEN_EXPIRED", code(() -> tokens.verify(t, NOW.plusSeconds(60))));
        assertEquals("INVALID_TOKEN", code(() -> new CheckinTokens(() -> "x".repeat(32), 60).verify(t, NOW)));
        String payload = new String(Base64.getUrlDecoder().decode(t.substring(0, t.indexOf('.'))));
        String forged = Base64.getUrlEncoder()
                        .withoutPadding()
                        .encodeToString(payload.replace("user-1", "user-2").getBytes())
                + t.substring(t.indexOf('.'));
        assertEquals("INVALID_TOKEN", code(() -> tokens.verify(forged, NOW)));
        for (String bad :
                new String[] {"", ".", "abc", "a.b.c", t + "x", t.substring(0, t.length() - 2), "é.é", "a".repeat(2000)
                }) {
            assertEquals("INVALID_TOKEN", code(() -> tokens.verify(bad, NOW)), bad);
        }
    }

    @Test
    void theLifetimeIsAtMostSixtySeconds() {
        assertEquals(60, new CheckinTokens(() -> KEY, 3600).ttlSeconds());
        assertEquals(5, new CheckinTokens(() -> KEY, 0).ttlSeconds());
        assertThrows(IllegalStateException.class, () -> new CheckinTokens(() -> "short", 60).issue("u", "g", NOW));
    }

    @Test
    void aMembershipExtendsFromTheLaterOfNowAndItsExpiry() {
        assertEquals(NOW.plusSeconds(30 * 86_400L), Membership.extended(null, NOW, 30));
        assertEquals(NOW.plusSeconds(30 * 86_400L), Membership.extended(NOW.minusSeconds(999), NOW, 30));
        assertEquals(NOW.plusSeconds(40 * 86_400L), Membership.extended(NOW.plusSeconds(10 * 86_400L), NOW, 30));
        assertEquals("NONE", new Membership("u", null).status(NOW));
        assertEquals("ACTIVE", new Membership("u", NOW.plusSeconds(1)).status(NOW));
        assertEquals("EXPIRED", new Membership("u", NOW).status(NOW));
    }
}
