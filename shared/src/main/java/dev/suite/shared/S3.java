package dev.suite.shared;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import software.amazon.awssdk.auth.credentials.AwsCredentialsProvider;
import software.amazon.awssdk.awscore.exception.AwsErrorDetails;
import software.amazon.awssdk.awscore.exception.AwsServiceException;
import software.amazon.awssdk.core.exception.SdkClientException;
import software.amazon.awssdk.http.ContentStreamProvider;
import software.amazon.awssdk.http.HttpExecuteRequest;
import software.amazon.awssdk.http.HttpExecuteResponse;
import software.amazon.awssdk.http.SdkHttpClient;
import software.amazon.awssdk.http.SdkHttpFullRequest;
import software.amazon.awssdk.http.SdkHttpMethod;
import software.amazon.awssdk.http.auth.aws.signer.AwsV4FamilyHttpSigner;
import software.amazon.awssdk.http.auth.aws.signer.AwsV4HttpSigner;
import software.amazon.awssdk.http.auth.spi.signer.SignedRequest;
import software.amazon.awssdk.regions.Region;

/**
 * The S3 calls the functions make, and no more: put, head and delete of one object, presigned GET and PUT URLs. Each is
 * one SigV4-signed request (the SDK's own signer) over the URLConnection client, with the region, credentials and
 * endpoint of every other client ({@link Clients}); a failure is an SDK exception as before ({@link AwsServiceException}
 * with S3's status and error code, {@link SdkClientException} when S3 could not be reached), retried twice when S3 says
 * to (500, 503, throttling) or the connection failed, as the SDK's standard retries did. The S3 SDK module (4 MB, 2,300
 * classes in each jar that stores images or attachments) is used only by the emulators.
 *
 * <p>Virtual-hosted URLs ({@code https://<bucket>.s3.<region>.amazonaws.com/<key>}), or path-style on the endpoint
 * override when S3_FORCE_PATH_STYLE is true (emulators). Checksums only as S3 requires them (none of these calls do).
 */
public final class S3 {
    private static final Pattern CODE = Pattern.compile("<Code>([^<]*)</Code>");
    private static final int ATTEMPTS = 3;
    private final Region region;
    private final Optional<URI> endpoint;
    private final boolean pathStyle;
    private final AwsCredentialsProvider credentials;
    private final Lazy<SdkHttpClient> http;

    /** An object's type and size, from HEAD. */
    public record Head(String contentType, long contentLength) {
    }

    private S3(Config config) {
        this.region = Clients.region(config);
        this.endpoint = Clients.endpoint(config, "S3");
        this.pathStyle = Boolean.parseBoolean(config.get("S3_FORCE_PATH_STYLE", "false"));
        this.credentials = Clients.credentials(config);
        this.http = Lazy.of(() -> Clients.httpClient(config));
    }

    public static S3 from(Config config) {
        return new S3(config);
    }

    public static Duration presignTtl(Config config) {
        return Duration.ofMinutes(config.getInt("PRESIGN_TTL_MINUTES", 15));
    }

    public void put(String bucket, String key, String contentType, Map<String, String> metadata, byte[] body) {
        SdkHttpFullRequest.Builder request = request(SdkHttpMethod.PUT, bucket, key)
                .putHeader("Content-Type", contentType)
                .putHeader("Content-Length", Integer.toString(body.length));
        metadata.forEach((name, value) -> request.putHeader("x-amz-meta-" + name, value));
        call(request.build(), body, "PutObject");
    }

    /** Deletes the object; deleting one that is not there succeeds, as in S3. */
    public void delete(String bucket, String key) {
        call(request(SdkHttpMethod.DELETE, bucket, key).build(), null, "DeleteObject");
    }

    /** The object's type and size, or empty when there is no such object. */
    public Optional<Head> head(String bucket, String key) {
        try {
            Response r = call(request(SdkHttpMethod.HEAD, bucket, key).build(), null, "HeadObject");
            return Optional.of(new Head(r.header("Content-Type"), Long.parseLong(Optional.ofNullable(r.header("Content-Length")).orElse("-1"))));
        } catch (AwsServiceException e) {
            if (e.statusCode() == 404) {
                return Optional.empty();
            }
            throw e;
        }
    }

    /** A presigned GET of the object, valid for {@code ttl}. */
    public String presignGet(String bucket, String key, Duration ttl) {
        return presign(request(SdkHttpMethod.GET, bucket, key).build(), ttl);
    }

    /** A presigned PUT bound to this content type and size (both are signed headers the uploader must send). */
    public String presignPut(String bucket, String key, String contentType, long contentLength, Duration ttl) {
        return presign(request(SdkHttpMethod.PUT, bucket, key)
                .putHeader("Content-Type", contentType)
                .putHeader("Content-Length", Long.toString(contentLength))
                .build(), ttl);
    }

    private String presign(SdkHttpFullRequest request, Duration ttl) {
        SignedRequest signed = AwsV4HttpSigner.create().sign(r -> r
                .identity(credentials.resolveCredentials())
                .request(request)
                .putProperty(AwsV4HttpSigner.SERVICE_SIGNING_NAME, "s3")
                .putProperty(AwsV4HttpSigner.REGION_NAME, region.id())
                .putProperty(AwsV4HttpSigner.DOUBLE_URL_ENCODE, false)
                .putProperty(AwsV4HttpSigner.NORMALIZE_PATH, false)
                .putProperty(AwsV4HttpSigner.PAYLOAD_SIGNING_ENABLED, false)
                .putProperty(AwsV4HttpSigner.AUTH_LOCATION, AwsV4FamilyHttpSigner.AuthLocation.QUERY_STRING)
                .putProperty(AwsV4HttpSigner.EXPIRATION_DURATION, ttl));
        return signed.request().getUri().toString();
    }

    private record Response(int status, Map<String, List<String>> headers) {
        String header(String name) {
            for (Map.Entry<String, List<String>> e : headers.entrySet()) {
                if (e.getKey().equalsIgnoreCase(name) && !e.getValue().isEmpty()) {
                    return e.getValue().get(0);
                }
            }
            return null;
        }
    }

    private Response call(SdkHttpFullRequest request, byte[] body, String operation) {
        for (int attempt = 1; ; attempt++) {
            try {
                return once(request, body, operation);
            } catch (AwsServiceException e) {
                if (attempt >= ATTEMPTS || !(e.statusCode() == 500 || e.statusCode() == 503 || e.isThrottlingException())) {
                    throw e;
                }
            } catch (SdkClientException e) {
                if (attempt >= ATTEMPTS) {
                    throw e;
                }
            }
            pause(attempt);
        }
    }

    private Response once(SdkHttpFullRequest request, byte[] body, String operation) {
        ContentStreamProvider payload = body == null ? null : ContentStreamProvider.fromByteArrayUnsafe(body);
        // S3 wants the payload's hash in a header on every SigV4 request
        SdkHttpFullRequest hashed = request.toBuilder().putHeader("x-amz-content-sha256", sha256(body == null ? new byte[0] : body)).build();
        SignedRequest signed = AwsV4HttpSigner.create().sign(r -> r
                .identity(credentials.resolveCredentials())
                .request(hashed)
                .payload(payload)
                .putProperty(AwsV4HttpSigner.SERVICE_SIGNING_NAME, "s3")
                .putProperty(AwsV4HttpSigner.REGION_NAME, region.id())
                .putProperty(AwsV4HttpSigner.DOUBLE_URL_ENCODE, false)
                .putProperty(AwsV4HttpSigner.NORMALIZE_PATH, false));
        HttpExecuteResponse response;
        String error;
        try {
            response = http.get().prepareRequest(HttpExecuteRequest.builder()
                    .request(signed.request())
                    .contentStreamProvider(signed.payload().orElse(null))
                    .build()).call();
            try (InputStream in = response.responseBody().map(InputStream.class::cast).orElseGet(() -> new ByteArrayInputStream(new byte[0]))) {
                byte[] answer = in.readAllBytes();
                error = response.httpResponse().isSuccessful() ? null : new String(answer, StandardCharsets.UTF_8);
            }
        } catch (IOException e) {
            throw SdkClientException.create("S3 " + operation + " failed: " + e.getClass().getSimpleName(), e);
        }
        int status = response.httpResponse().statusCode();
        if (error != null) {
            Matcher code = CODE.matcher(error);
            throw AwsServiceException.builder()
                    .statusCode(status)
                    .message("S3 " + operation + " answered " + status)
                    .awsErrorDetails(AwsErrorDetails.builder().serviceName("S3").errorCode(code.find() ? code.group(1) : Integer.toString(status))
                            .errorMessage("S3 " + operation + " answered " + status).build())
                    .build();
        }
        return new Response(status, response.httpResponse().headers());
    }

    private SdkHttpFullRequest.Builder request(SdkHttpMethod method, String bucket, String key) {
        String path = "/" + encode(key);
        URI base;
        if (endpoint.isPresent() && pathStyle) {
            base = endpoint.get();
            path = "/" + bucket + path;
        } else if (endpoint.isPresent()) {
            URI e = endpoint.get();
            base = URI.create(e.getScheme() + "://" + bucket + "." + e.getAuthority());
        } else {
            base = URI.create("https://" + bucket + ".s3." + region.id() + "." + AwsJsonApi.domain(region));
        }
        String prefix = base.getRawPath() == null || base.getRawPath().equals("/") ? "" : base.getRawPath();
        SdkHttpFullRequest.Builder b = SdkHttpFullRequest.builder()
                .method(method)
                .protocol(base.getScheme())
                .host(base.getHost())
                .encodedPath(prefix + path);
        if (base.getPort() != -1) {
            b.port(base.getPort());
        }
        return b;
    }

    /** A key as S3's canonical URI wants it: every byte but unreserved characters and '/' percent-encoded. */
    static String encode(String key) {
        StringBuilder out = new StringBuilder();
        for (byte b : key.getBytes(StandardCharsets.UTF_8)) {
            char c = (char) (b & 0xff);
            if ((c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '-' || c == '_' || c == '.' || c == '~'
                    || c == '/') {
                out.append(c);
            } else {
                out.append('%').append(Character.toUpperCase(Character.forDigit((b >> 4) & 0xf, 16)))
                        .append(Character.toUpperCase(Character.forDigit(b & 0xf, 16)));
            }
        }
        return out.toString();
    }

    private static String sha256(byte[] bytes) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    private static void pause(int attempt) {
        try {
            Thread.sleep(50L << attempt);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw SdkClientException.create("interrupted while retrying S3");
        }
    }
}
