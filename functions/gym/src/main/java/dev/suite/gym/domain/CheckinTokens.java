package dev.suite.gym.domain;

import dev.suite.shared.http.ApiException;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.time.Instant;
import java.util.Base64;
import java.util.function.Supplier;
import java.util.regex.Pattern;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * Check-in tokens: {@code base64url(v1|userId|gymId|expiresAtEpochSecond|tokenId)} + "." + {@code base64url(HMAC-SHA256)} of the
 * first part with the server's key. Compact enough for a QR code, carrying no login token; the id makes each token
 * usable once (the scan writes it with a condition). Verification compares signatures in constant time.
 */
public final class CheckinTokens {
    public static final int MAX_TTL_SECONDS = 60;
    private static final Pattern PART = Pattern.compile("^[A-Za-z0-9_-]{1,512}$");
    private static final Pattern ID = Pattern.compile("^[A-Za-z0-9_-]{1,128}$");
    private static final SecureRandom RANDOM = new SecureRandom();
    private final Supplier<String> key;
    private final int ttlSeconds;

    /** What a token carries. */
    public record Claims(String userId, String gymId, Instant expiresAt, String tokenId) {}

    /** A token issued to a member. */
    public record Issued(String token, Instant expiresAt, String tokenId) {}

    public CheckinTokens(Supplier<String> key, int ttlSeconds) {
        this.key = key;
        this.ttlSeconds = Math.max(5, Math.min(MAX_TTL_SECONDS, ttlSeconds));
    }

    public int ttlSeconds() {
        return ttlSeconds;
    }

    public Issued issue(String userId, String gymId, Instant now) {
        if (!ID.matcher(userId).matches() || !ID.matcher(gymId).matches()) {
            throw new IllegalArgumentException("user and gym ids must be url-safe");
        }
        byte[] random = new byte[16];
        RANDOM.nextBytes(random);
        String tokenId = Base64.getUrlEncoder().withoutPadding().encodeToString(random);
        Instant expires = now.plusSeconds(ttlSeconds);
        String payload = b64(("v1|" + userId + "|" + gymId + "|" + expires.getEpochSecond() + "|" + tokenId)
                .getBytes(StandardCharsets.UTF_8));
        return new Issued(payload + "." + b64(sign(payload)), Instant.ofEpochSecond(expires.getEpochSecond()), tokenId);
    }

    /**
     * The claims of a token signed with our key and not expired at {@code now}; else 400 INVALID_TOKEN or
     * TOKEN_EXPIRED.
     */
    public Claims verify(String token, Instant now) {
        if (token == null || token.length() > 1024) {
            throw invalid();
        }
        int dot = token.indexOf('.');
        if (dot <= 0 || dot != token.lastIndexOf('.')) {
            throw invalid();
        }
        String payload = token.substring(0, dot);
        String signature = token.substring(dot + 1);
        if (!PART.matcher(payload).matches() || !PART.matcher(signature).matches()) {
            throw invalid();
        }
        byte[] given;
        try {
            given = Base64.getUrlDecoder().decode(signature);
        } catch (IllegalArgumentException e) {
            throw invalid();
        }
        if (!MessageDigest.isEqual(sign(payload), given)) {
            throw invalid();
        }
        String[] parts;
        long expires;
        try {
            parts = new String(Base64.getUrlDecoder().decode(payload), StandardCharsets.UTF_8).split("\\|", -1);
            if (parts.length != 5 || !"v1".equals(parts[0])) {
                throw invalid();
            }
            expires = Long.parseLong(parts[3]);
        } catch (IllegalArgumentException e) {
            throw invalid();
        }
        if (now.getEpochSecond() >= expires) {
            throw ApiException.badRequest("TOKEN_EXPIRED", "the check-in code has expired; show a fresh one");
        }
        return new Claims(parts[1], parts[2], Instant.ofEpochSecond(expires), parts[4]);
    }

    private byte[] sign(String payload) {
        String secret = key.get();
        if (secret == null || secret.length() < 32) {
            throw new IllegalStateException("CHECKIN_TOKEN_KEY must be at least 32 characters");
        }
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(secret.getBytes(StandardCharsets.UTF_8), "HmacSHA256"));
            return mac.doFinal(payload.getBytes(StandardCharsets.US_ASCII));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("HMAC-SHA256 unavailable", e);
        }
    }

    private static String b64(byte[] bytes) {
        return Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
    }

    private static ApiException invalid() {
        return ApiException.badRequest(
                "INVALID_TOKEN", "not a check-in code of this gym; ask the member to show a fresh one");
    }
}
