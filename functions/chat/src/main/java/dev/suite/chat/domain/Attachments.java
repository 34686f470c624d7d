package dev.suite.chat.domain;

import dev.suite.shared.Ids;
import dev.suite.shared.Times;
import dev.suite.shared.http.ApiException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.Set;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.HeadObjectResponse;
import software.amazon.awssdk.services.s3.model.NoSuchKeyException;
import software.amazon.awssdk.services.s3.model.S3Exception;
import software.amazon.awssdk.services.s3.presigner.S3Presigner;

/** Chat files and voice notes: presigned PUTs under the room's prefix, presigned GETs for members. */
public final class Attachments {
    public static final long MAX_BYTES = 25L * 1024 * 1024;
    public static final Set<String> TYPES = Set.of("image/png", "image/jpeg", "image/gif", "image/webp",
            "audio/webm", "audio/ogg", "audio/mpeg", "audio/mp4", "audio/wav", "application/pdf", "text/plain");

    private final S3Client s3;
    private final S3Presigner presigner;
    private final String bucket;
    private final Duration ttl;
    private final Clock clock;

    public Attachments(S3Client s3, S3Presigner presigner, String bucket, Duration ttl, Clock clock) {
        this.s3 = s3;
        this.presigner = presigner;
        this.bucket = bucket;
        this.ttl = ttl;
        this.clock = clock;
    }

    public static String prefix(String roomId) {
        return "attachments/" + roomId + "/";
    }

    public Views.Upload upload(String roomId, String fileName, String contentType, long size) {
        String key = prefix(roomId) + Ids.next() + "/" + fileName;
        String url = presigner.presignPutObject(b -> b.signatureDuration(ttl)
                .putObjectRequest(p -> p.bucket(bucket).key(key).contentType(contentType).contentLength(size))).url().toString();
        return new Views.Upload(key, url, "PUT", Map.of("Content-Type", contentType, "Content-Length", Long.toString(size)),
                Times.iso(Instant.now(clock).plus(ttl)));
    }

    /** The uploaded object's content type; 400 when the key is not an upload of this room or was never uploaded. */
    public String check(String roomId, String key) {
        if (!key.startsWith(prefix(roomId)) || key.contains("..") || key.length() > 400) {
            throw ApiException.invalid("attachmentKey", "must be a key from POST /chat/attachments for this room");
        }
        try {
            HeadObjectResponse head = s3.headObject(b -> b.bucket(bucket).key(key));
            String type = head.contentType();
            return type == null || !TYPES.contains(type) ? "application/octet-stream" : type;
        } catch (NoSuchKeyException e) {
            throw ApiException.invalid("attachmentKey", "nothing was uploaded under this key yet");
        } catch (S3Exception e) {
            if (e.statusCode() == 404) {
                throw ApiException.invalid("attachmentKey", "nothing was uploaded under this key yet");
            }
            throw e;
        }
    }

    public String url(String key) {
        return presigner.presignGetObject(b -> b.signatureDuration(ttl).getObjectRequest(g -> g.bucket(bucket).key(key))).url().toString();
    }
}
