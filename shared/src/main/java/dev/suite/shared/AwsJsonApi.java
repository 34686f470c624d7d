package dev.suite.shared;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import software.amazon.awssdk.auth.credentials.AwsCredentialsProvider;
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

/**
 * One AWS API of the awsJson1_1 protocol (Cognito user pools, SSM) called without its SDK module: a POST of the request
 * as JSON with {@code X-Amz-Target: <prefix><Operation>}, SigV4-signed by the SDK's own signer when asked, over the
 * URLConnection client with the region, endpoint and credentials of every other client ({@link Clients}).
 */
final class AwsJsonApi {
    /** What the service answered: its status, its JSON (empty object when none) and, on an error, its error type. */
    record Answer(int status, JsonNode body, String errorType) {
        boolean ok() {
            return status < 300;
        }

        String message() {
            return body.path("message").asText(body.path("Message").asText(""));
        }
    }

    private final String signingName;
    private final String targetPrefix;
    private final Region region;
    private final URI endpoint;
    private final AwsCredentialsProvider credentials;
    private final Lazy<SdkHttpClient> http;

    /**
     * @param endpointKey the service's key in {@code AWS_ENDPOINT_URL_<KEY>} (a local emulator), as {@link Clients} reads it
     * @param signingName the service's SigV4 name and endpoint prefix ({@code cognito-idp}, {@code ssm})
     */
    AwsJsonApi(Config config, String endpointKey, String signingName, String targetPrefix) {
        this.signingName = signingName;
        this.targetPrefix = targetPrefix;
        this.region = Clients.region(config);
        this.endpoint = Clients.endpoint(config, endpointKey)
                .orElseGet(() -> URI.create("https://" + signingName + "." + region.id() + "." + domain(region)));
        this.credentials = Clients.credentials(config);
        this.http = Lazy.of(() -> Clients.httpClient(config));
    }

    Answer post(String operation, Map<String, ?> request, boolean signed) throws IOException {
        byte[] body = Json.write(request).getBytes(StandardCharsets.UTF_8);
        SdkHttpRequest unsigned = SdkHttpFullRequest.builder()
                .method(SdkHttpMethod.POST)
                .uri(endpoint)
                .putHeader("Content-Type", "application/x-amz-json-1.1")
                .putHeader("X-Amz-Target", targetPrefix + operation)
                .putHeader("Content-Length", Integer.toString(body.length))
                .build();
        ContentStreamProvider payload = ContentStreamProvider.fromByteArrayUnsafe(body);
        SdkHttpRequest sent = !signed ? unsigned : AwsV4HttpSigner.create().sign(r -> r
                .identity(credentials.resolveCredentials())
                .request(unsigned)
                .payload(payload)
                .putProperty(AwsV4HttpSigner.SERVICE_SIGNING_NAME, signingName)
                .putProperty(AwsV4HttpSigner.REGION_NAME, region.id())).request();
        HttpExecuteResponse response = http.get().prepareRequest(HttpExecuteRequest.builder()
                .request(sent).contentStreamProvider(payload).build()).call();
        JsonNode answer;
        try (InputStream in = response.responseBody().orElse(null)) {
            byte[] bytes = in == null ? new byte[0] : in.readAllBytes();
            answer = bytes.length == 0 ? Json.EVENTS.createObjectNode() : Json.EVENTS.readTree(bytes);
        }
        int status = response.httpResponse().statusCode();
        if (status < 300) {
            return new Answer(status, answer, null);
        }
        // "com.amazon...#NotAuthorizedException:http://..." -> NotAuthorizedException
        String type = answer.path("__type").asText(answer.path("code").asText(
                response.httpResponse().firstMatchingHeader("x-amzn-ErrorType").orElse("HTTP" + status)));
        type = type.substring(type.lastIndexOf('#') + 1);
        int colon = type.indexOf(':');
        return new Answer(status, answer, colon > 0 ? type.substring(0, colon) : type);
    }

    /** The region's DNS suffix (amazonaws.com, amazonaws.com.cn, ...). */
    static String domain(Region region) {
        RegionMetadata metadata = region.metadata();
        return metadata == null ? "amazonaws.com" : metadata.domain();
    }
}
