package dev.suite.shared;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.URI;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.s3.presigner.S3Presigner;

/**
 * Presigned URLs as the functions make them (the SDK's S3Presigner); the calls run against S3Proxy in the image, chat
 * and gym tests.
 */
class ClientsTest {
    static final Config AWS = new Config(Map.of(
            "AWS_REGION",
            "eu-west-1",
            "AWS_ACCESS_KEY_ID",
            "AKIDEXAMPLE",
            "AWS_SECRET_ACCESS_KEY",
            "secret",
            "AWS_SESSION_TOKEN",
            "session"));

    @Test
    void aPresignedGetIsVirtualHostedWithItsExpiryAndSessionToken() {
        try (S3Presigner presigner = Clients.presigner(AWS)) {
            URI url = URI.create(presigner
                    .presignGetObject(p -> p.signatureDuration(Duration.ofMinutes(15))
                            .getObjectRequest(g -> g.bucket("media").key("attachments/r1/01J/voice note ü.ogg")))
                    .url()
                    .toString());
            assertEquals("https", url.getScheme());
            assertEquals("media.s3.eu-west-1.amazonaws.com", url.getHost());
            assertEquals("/attachments/r1/01J/voice%20note%20%C3%BC.ogg", url.getRawPath());
            String q = url.getRawQuery();
            assertTrue(
                    q.contains("X-Amz-Algorithm=AWS4-HMAC-SHA256")
                            && q.contains("X-Amz-Expires=900")
                            && q.contains("X-Amz-SignedHeaders=host")
                            && q.contains("X-Amz-Security-Token=session")
                            && q.contains("X-Amz-Credential=AKIDEXAMPLE%2F")
                            && q.contains("X-Amz-Signature="),
                    q);
        }
    }

    @Test
    void aPresignedPutSignsItsTypeAndSize() {
        try (S3Presigner presigner = Clients.presigner(AWS)) {
            String url = presigner
                    .presignPutObject(p -> p.signatureDuration(Duration.ofMinutes(5))
                            .putObjectRequest(o -> o.bucket("media")
                                    .key("machines/m1/x.jpg")
                                    .contentType("image/jpeg")
                                    .contentLength(1234L)))
                    .url()
                    .toString();
            assertTrue(
                    url.contains("X-Amz-SignedHeaders=content-length%3Bcontent-type%3Bhost")
                            && url.contains("X-Amz-Expires=300"),
                    url);
        }
    }

    @Test
    void pathStyleOnTheEndpointOverride() {
        try (S3Presigner presigner = Clients.presigner(
                AWS.with(Map.of("AWS_ENDPOINT_URL_S3", "http://127.0.0.1:9000", "S3_FORCE_PATH_STYLE", "true")))) {
            String url = presigner
                    .presignGetObject(p -> p.signatureDuration(Duration.ofMinutes(1))
                            .getObjectRequest(g -> g.bucket("media").key("a/b.png")))
                    .url()
                    .toString();
            assertTrue(url.startsWith("http://127.0.0.1:9000/media/a/b.png?"), url);
        }
    }

    @Test
    void thePresignTtlIsConfigured() {
        assertEquals(Duration.ofMinutes(15), Clients.presignTtl(AWS));
        assertEquals(Duration.ofMinutes(3), Clients.presignTtl(AWS.with(Map.of("PRESIGN_TTL_MINUTES", "3"))));
    }
}
