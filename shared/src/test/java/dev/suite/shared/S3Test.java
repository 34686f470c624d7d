package dev.suite.shared;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.URI;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** URLs as the S3 SDK's presigner made them; the calls themselves run against S3Proxy in the image, chat and gym tests. */
class S3Test {
    static final Config AWS = new Config(Map.of("AWS_REGION", "eu-west-1", "AWS_ACCESS_KEY_ID", "AKIDEXAMPLE",
            "AWS_SECRET_ACCESS_KEY", "secret", "AWS_SESSION_TOKEN", "session"));

    @Test
    void aPresignedGetIsVirtualHostedWithItsExpiryAndSessionToken() {
        URI url = URI.create(S3.from(AWS).presignGet("media", "attachments/r1/01J/voice note ü.ogg", Duration.ofMinutes(15)));
        assertEquals("https", url.getScheme());
        assertEquals("media.s3.eu-west-1.amazonaws.com", url.getHost());
        assertEquals("/attachments/r1/01J/voice%20note%20%C3%BC.ogg", url.getRawPath());
        String q = url.getRawQuery();
        assertTrue(q.contains("X-Amz-Algorithm=AWS4-HMAC-SHA256") && q.contains("X-Amz-Expires=900") && q.contains("X-Amz-SignedHeaders=host")
                && q.contains("X-Amz-Security-Token=session") && q.contains("X-Amz-Credential=AKIDEXAMPLE%2F") && q.contains("X-Amz-Signature="), q);
    }

    @Test
    void aPresignedPutSignsItsTypeAndSize() {
        String url = S3.from(AWS).presignPut("media", "machines/m1/x.jpg", "image/jpeg", 1234, Duration.ofMinutes(5));
        assertTrue(url.contains("X-Amz-SignedHeaders=content-length%3Bcontent-type%3Bhost") && url.contains("X-Amz-Expires=300"), url);
    }

    @Test
    void pathStyleOnTheEndpointOverride() {
        String url = S3.from(AWS.with(Map.of("AWS_ENDPOINT_URL_S3", "http://127.0.0.1:9000", "S3_FORCE_PATH_STYLE", "true")))
                .presignGet("media", "a/b.png", Duration.ofMinutes(1));
        assertTrue(url.startsWith("http://127.0.0.1:9000/media/a/b.png?"), url);
    }

    @Test
    void keysAreEncodedAsS3sCanonicalUriWantsThem() {
        assertEquals("a/b%2Bc%20d~e_f-g.h/%25", S3.encode("a/b+c d~e_f-g.h/%"));
    }
}
