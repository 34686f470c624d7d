package dev.suite.image.provider;

import dev.suite.shared.Config;
import dev.suite.shared.Http;
import dev.suite.shared.Log;
import dev.suite.shared.http.ApiException;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InterruptedIOException;
import java.net.URI;
import java.net.http.HttpRequest;
import java.nio.charset.StandardCharsets;
import java.util.Locale;
import java.util.Map;
import java.util.UUID;
import java.util.function.Supplier;
import org.slf4j.Logger;

/**
 * ClipDrop text-to-image: POST multipart {@code prompt} with {@code x-api-key}, answers a PNG. Explicit
 * connect, read and call timeouts; every failure becomes an ApiException a client can act on. The key is
 * never logged.
 */
public final class ClipDrop {
    private static final Logger LOG = Log.get(ClipDrop.class);
    public static final String DEFAULT_URL = "https://clipdrop-api.co/text-to-image/v1";

    private final Http http;
    private final String url;
    private final Supplier<String> apiKey;

    public ClipDrop(Http http, String url, Supplier<String> apiKey) {
        this.http = http;
        this.url = url;
        this.apiKey = apiKey;
    }

    public static ClipDrop from(Config config, Supplier<String> apiKey) {
        Http http = Http.client(config, "CLIPDROP", 3_000, 20_000, 24_000);
        return new ClipDrop(http, config.get("CLIPDROP_URL", DEFAULT_URL), apiKey);
    }

    /** The PNG bytes for a prompt. */
    public byte[] generate(String prompt) {
        String boundary = UUID.randomUUID().toString();
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(url))
                .header("x-api-key", apiKey.get())
                .header("Content-Type", "multipart/form-data; boundary=" + boundary)
                .POST(HttpRequest.BodyPublishers.ofByteArray(multipart(boundary, "prompt", prompt)));
        try {
            Http.Response response = http.send(request);
            int code = response.status();
            if (code == 200) {
                String type = response.header("Content-Type").orElse(null);
                byte[] bytes = response.body();
                if (bytes.length == 0
                        || (type != null
                                && !type.trim().toLowerCase(Locale.ROOT).startsWith("image/"))) {
                    LOG.warn("ClipDrop answered 200 without an image ({})", type);
                    throw new ApiException(
                            502,
                            "PROVIDER_ERROR",
                            "the image provider answered without an image; your credit was refunded");
                }
                return bytes;
            }
            switch (code) {
                case 400:
                    throw new ApiException(
                            422,
                            "PROMPT_REJECTED",
                            "the image provider rejected this prompt; change it and retry (your credit was refunded)");
                case 401, 403:
                    LOG.error("ClipDrop refused the API key (HTTP {}): check the configured key", code);
                    throw new ApiException(
                            502,
                            "PROVIDER_AUTH_FAILED",
                            "the image provider is misconfigured; your credit was refunded");
                case 402:
                    LOG.error("ClipDrop account is out of credits (HTTP 402)");
                    throw new ApiException(
                            503,
                            "PROVIDER_OUT_OF_CREDITS",
                            "the image provider is out of capacity; retry later (your credit was refunded)");
                case 429: {
                    String retry = response.header("Retry-After").orElse(null);
                    long seconds = parseSeconds(retry, 10);
                    throw new ApiException(
                            429,
                            "PROVIDER_RATE_LIMITED",
                            "the image provider is busy; retry in " + seconds + " s (your credit was refunded)",
                            null,
                            Map.of("Retry-After", Long.toString(seconds)));
                }
                default:
                    LOG.warn("ClipDrop answered HTTP {}", code);
                    throw new ApiException(
                            502, "PROVIDER_ERROR", "the image provider failed; retry (your credit was refunded)");
            }
        } catch (InterruptedIOException e) {
            LOG.warn("ClipDrop timed out: {}", e.getClass().getSimpleName());
            throw new ApiException(
                    504, "PROVIDER_TIMEOUT", "the image provider took too long; retry (your credit was refunded)");
        } catch (IOException e) {
            LOG.warn("ClipDrop unreachable: {}", e.getClass().getSimpleName());
            throw new ApiException(
                    502,
                    "PROVIDER_UNREACHABLE",
                    "the image provider could not be reached; retry (your credit was refunded)");
        }
    }

    /** A multipart/form-data body of one text field, as ClipDrop takes it. */
    static byte[] multipart(String boundary, String name, String value) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        out.writeBytes(("--" + boundary + "\r\nContent-Disposition: form-data; name=\"" + name + "\"\r\n\r\n")
                .getBytes(StandardCharsets.UTF_8));
        out.writeBytes(value.getBytes(StandardCharsets.UTF_8));
        out.writeBytes(("\r\n--" + boundary + "--\r\n").getBytes(StandardCharsets.UTF_8));
        return out.toByteArray();
    }

    static long parseSeconds(String value, long fallback) {
        try {
            return value == null ? fallback : Math.max(1, Long.parseLong(value.trim()));
        } catch (NumberFormatException e) {
            return fallback;
        }
    }
}
