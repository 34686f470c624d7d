package dev.suite.gym.provider;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * Stripe's webhook signature, verified by hand as Stripe documents it: the {@code Stripe-Signature} header is
 * {@code t=<unix seconds>,v1=<hex>[,v1=<hex>...][,v0=...]}; a {@code v1} is the hex HMAC-SHA256 of
 * {@code "<t>.<raw body>"} keyed with the endpoint secret. Any one matching {@code v1} (compared in constant time) is
 * enough; a timestamp older than the tolerance is refused (a replay). No Stripe library: it would double the jar.
 */
public final class StripeSignature {
    public static final long TOLERANCE_SECONDS = 300;

    private StripeSignature() {
    }

    /** True when the header carries a valid v1 signature of the payload, made within the tolerance before {@code nowSeconds}. */
    public static boolean valid(byte[] payload, String header, String secret, long nowSeconds) {
        if (header == null || secret == null || secret.isEmpty()) {
            return false;
        }
        long timestamp = -1;
        List<String> v1 = new ArrayList<>();
        for (String item : header.split(",")) {
            String[] kv = item.split("=", 2);
            if (kv.length != 2) {
                continue;
            }
            if ("t".equals(kv[0])) {
                try {
                    timestamp = Long.parseLong(kv[1]);
                } catch (NumberFormatException e) {
                    return false;
                }
            } else if ("v1".equals(kv[0])) {
                v1.add(kv[1]);
            }
        }
        if (timestamp < 0 || v1.isEmpty()) {
            return false;
        }
        byte[] expected = HexFormat.of().formatHex(hmac(secret, timestamp, payload)).getBytes(StandardCharsets.US_ASCII);
        boolean match = false;
        for (String candidate : v1) {
            match |= MessageDigest.isEqual(expected, candidate.getBytes(StandardCharsets.UTF_8));
        }
        return match && timestamp >= nowSeconds - TOLERANCE_SECONDS;
    }

    /** The header Stripe would send for this payload at {@code timestamp} (the local stand-in and tests sign with it). */
    public static String header(byte[] payload, String secret, long timestamp) {
        return "t=" + timestamp + ",v1=" + HexFormat.of().formatHex(hmac(secret, timestamp, payload));
    }

    private static byte[] hmac(String secret, long timestamp, byte[] payload) {
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(secret.getBytes(StandardCharsets.UTF_8), "HmacSHA256"));
            mac.update((timestamp + ".").getBytes(StandardCharsets.US_ASCII));
            return mac.doFinal(payload);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("HMAC-SHA256 unavailable", e);
        }
    }
}
