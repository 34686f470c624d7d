package dev.suite.chat.domain;

import dev.suite.shared.Clients;
import dev.suite.shared.Config;
import dev.suite.shared.Ids;
import dev.suite.shared.Lazy;
import dev.suite.shared.Presigned;
import dev.suite.shared.Times;
import dev.suite.shared.http.ApiException;
import dev.suite.shared.http.Check;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.Set;
import java.util.function.Supplier;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.S3Exception;
import software.amazon.awssdk.services.s3.presigner.S3Presigner;

/** Chat files and voice notes: presigned PUTs under the room's prefix, presigned GETs for members. */
public final class Attachments {
    public static final long MAX_BYTES = 25L * 1024 * 1024;
    public static final Set<String> TYPES = Set.of(
            "image/png",
            "image/jpeg",
            "image/gif",
            "image/webp",
            "audio/webm",
            "audio/ogg",
            "audio/mpeg",
            "audio/mp4",
            "audio/wav",
            "application/pdf",
            "text/plain");

    private final Supplier<S3Client> s3;
    private final Supplier<S3Presigner> presigner;
    private final String bucket;
    private final Duration ttl;
    private final Clock clock;

    public Attachments(
            Supplier<S3Client> s3, Supplier<S3Presigner> presigner, String bucket, Duration ttl, Clock clock) {
        this.s3 = s3;
        this.presigner = presigner;
        this.bucket = bucket;
        this.ttl = ttl;
        this.clock = clock;
    }

    /** From the environment: S3 and its presigner built when first needed, MEDIA_BUCKET, PRESIGN_TTL_MINUTES. */
    public static Attachments from(Config config, Clock clock) {
        return new Attachments(
                Lazy.of(() -> Clients.s3(config)),
                Lazy.of(() -> Clients.presigner(config)),
                config.require("MEDIA_BUCKET"),
                Clients.presignTtl(config),
                clock);
    }

    public static String prefix(String roomId) {
        return "attachments/" + roomId + "/";
    }

    /**
     * The one rule for attachment file names, at upload and at send: 1 to 200 characters, no '/', '\\', control
     * characters or "..", not starting with '.'.
     */
    public static String fileName(String field, String value) {
        String file = Check.text(field, value, 1, 200);
        if (file.contains("/") || file.contains("\\") || file.startsWith(".") || file.contains("..")) {
            throw ApiException.invalid(field, "must be a plain file name (no '/', '\\', '..' or leading '.')");
        }
        return file;
    }

    public Views.Upload upload(String roomId, String fileName, String contentType, long size) {
        String key = prefix(roomId) + Ids.next() + "/" + fileName;
        String url = Presigned.put(presigner.get(), bucket, key, contentType, size, ttl);
        return new Views.Upload(
                key,
                url,
                "PUT",
                Map.of("Content-Type", contentType, "Content-Length", Long.toString(size)),
                Times.iso(Instant.now(clock).plus(ttl)));
    }

    /**
     * A key of the shape upload gives out: the room's prefix, an id, '/', a file name that passes the upload's rule.
     */
    public static void checkKey(String roomId, String key) {
        String rest =
                key.startsWith(prefix(roomId)) ? key.substring(prefix(roomId).length()) : "";
        int slash = rest.indexOf('/');
        if (slash < 1 || !rest.substring(0, slash).matches("[A-Za-z0-9_-]{1,64}")) {
            throw ApiException.invalid("attachmentKey", "must be a key from POST /chat/attachments for this room");
        }
        fileName("attachmentKey", rest.substring(slash + 1));
    }

    /** The uploaded object's content type; 400 when the key is not an upload of this room or was never uploaded. */
    public String check(String roomId, String key) {
        checkKey(roomId, key);
        String type;
        try {
            type = s3.get().headObject(b -> b.bucket(bucket).key(key)).contentType();
        } catch (S3Exception e) {
            if (e.statusCode() == 404) {
                throw ApiException.invalid("attachmentKey", "nothing was uploaded under this key yet");
            }
            throw e;
        }
        return type == null || !TYPES.contains(type) ? "application/octet-stream" : type;
    }

    /** SnapStart priming: builds the S3 client and the presigner, and presigns one URL (no call to S3). */
    public void prime() {
        s3.get();
        url(prefix("priming") + "priming");
    }

    public String url(String key) {
        return Presigned.get(presigner.get(), bucket, key, ttl);
    }
}
