package dev.suite.shared;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import software.amazon.awssdk.auth.credentials.AwsCredentialsProvider;
import software.amazon.awssdk.core.exception.SdkClientException;
import software.amazon.awssdk.http.ContentStreamProvider;
import software.amazon.awssdk.http.HttpExecuteRequest;
import software.amazon.awssdk.http.HttpExecuteResponse;
import software.amazon.awssdk.http.SdkHttpClient;
import software.amazon.awssdk.http.SdkHttpFullRequest;
import software.amazon.awssdk.http.SdkHttpMethod;
import software.amazon.awssdk.http.SdkHttpRequest;
import software.amazon.awssdk.http.auth.aws.signer.AwsV4HttpSigner;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.regions.RegionMetadata;

/** {@link Cognito} over HTTP: see there. */
final class CognitoApi implements Cognito {
    private static final String TARGET = "AWSCognitoIdentityProviderService.";
    private static final int ATTEMPTS = 3;
    private final Region region;
    private final URI endpoint;
    private final AwsCredentialsProvider credentials;
    private final Lazy<SdkHttpClient> http;

    CognitoApi(Config config) {
        this.region = Clients.region(config);
        this.endpoint = Clients.endpoint(config, "COGNITO_IDENTITY_PROVIDER")
                .orElseGet(() -> URI.create("https://cognito-idp." + region.id() + "." + domain(region)));
        this.credentials = Clients.credentials(config);
        this.http = Lazy.of(() -> Clients.httpClient(config));
    }

    @Override
    public JsonNode call(String operation, Map<String, ?> request) {
        return send(operation, request, false);
    }

    @Override
    public JsonNode admin(String operation, Map<String, ?> request) {
        return send(operation, request, true);
    }

    private JsonNode send(String operation, Map<String, ?> request, boolean signed) {
        byte[] body = Json.write(request).getBytes(StandardCharsets.UTF_8);
        for (int attempt = 1; ; attempt++) {
            try {
                return once(operation, body, signed);
            } catch (Failure e) {
                if (attempt >= ATTEMPTS || !(e.throttling() || e.status() >= 500)) {
                    throw e;
                }
            } catch (SdkClientException e) {
                if (attempt >= ATTEMPTS) {
                    throw e;
                }
            }
            try {
                Thread.sleep(50L << attempt);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw SdkClientException.create("interrupted while retrying Cognito " + operation);
            }
        }
    }

    private JsonNode once(String operation, byte[] body, boolean signed) {
        SdkHttpRequest unsigned = SdkHttpFullRequest.builder()
                .method(SdkHttpMethod.POST)
                .uri(endpoint)
                .putHeader("Content-Type", "application/x-amz-json-1.1")
                .putHeader("X-Amz-Target", TARGET + operation)
                .putHeader("Content-Length", Integer.toString(body.length))
                .build();
        ContentStreamProvider payload = ContentStreamProvider.fromByteArrayUnsafe(body);
        SdkHttpRequest request = !signed ? unsigned : AwsV4HttpSigner.create().sign(r -> r
                .identity(credentials.resolveCredentials())
                .request(unsigned)
                .payload(payload)
                .putProperty(AwsV4HttpSigner.SERVICE_SIGNING_NAME, "cognito-idp")
                .putProperty(AwsV4HttpSigner.REGION_NAME, region.id())).request();
        try {
            HttpExecuteResponse response = http.get().prepareRequest(HttpExecuteRequest.builder()
                    .request(request).contentStreamProvider(payload).build()).call();
            JsonNode answer;
            try (InputStream in = response.responseBody().orElse(null)) {
                byte[] bytes = in == null ? new byte[0] : in.readAllBytes();
                answer = bytes.length == 0 ? Json.EVENTS.createObjectNode() : Json.EVENTS.readTree(bytes);
            }
            int status = response.httpResponse().statusCode();
            if (status >= 300) {
                String type = answer.path("__type").asText(answer.path("code").asText(
                        response.httpResponse().firstMatchingHeader("x-amzn-ErrorType").orElse("HTTP" + status)));
                type = type.substring(type.lastIndexOf('#') + 1);
                int colon = type.indexOf(':');
                throw new Failure(colon > 0 ? type.substring(0, colon) : type,
                        answer.path("message").asText(answer.path("Message").asText("")), status);
            }
            return answer;
        } catch (IOException e) {
            throw SdkClientException.create("Cognito " + operation + " failed: " + e.getClass().getSimpleName(), e);
        }
    }

    private static String domain(Region region) {
        RegionMetadata metadata = region.metadata();
        return metadata == null ? "amazonaws.com" : metadata.domain();
    }
}
