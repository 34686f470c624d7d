package dev.suite.shared;

import java.time.Duration;
import software.amazon.awssdk.services.s3.presigner.S3Presigner;

/** The two presigned URLs the functions hand out, made by the SDK's {@link S3Presigner} ({@link Clients#presigner}). */
public final class Presigned {
    private Presigned() {}

    /** A presigned GET of the object, valid for {@code ttl}. */
    public static String get(S3Presigner presigner, String bucket, String key, Duration ttl) {
        return presigner
                .presignGetObject(p -> p.signatureDuration(ttl)
                        .getObjectRequest(g -> g.bucket(bucket).key(key)))
                .url()
                .toString();
    }

    /** A presigned PUT bound to this content type and size (both are signed headers the uploader must send). */
    public static String put(
            S3Presigner presigner, String bucket, String key, String contentType, long contentLength, Duration ttl) {
        return presigner
                .presignPutObject(p -> p.signatureDuration(ttl)
                        .putObjectRequest(o -> o.bucket(bucket)
                                .key(key)
                                .contentType(contentType)
                                .contentLength(contentLength)))
                .url()
                .toString();
    }
}
