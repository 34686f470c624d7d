package dev.suite.shared;

import dev.suite.shared.push.JdkAsyncHttpClient;
import java.net.URI;
import java.time.Duration;
import java.util.Locale;
import java.util.Optional;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.AwsCredentials;
import software.amazon.awssdk.auth.credentials.AwsCredentialsProvider;
import software.amazon.awssdk.auth.credentials.AwsSessionCredentials;
import software.amazon.awssdk.auth.credentials.ContainerCredentialsProvider;
import software.amazon.awssdk.auth.credentials.DefaultCredentialsProvider;
import software.amazon.awssdk.awscore.client.builder.AwsClientBuilder;
import software.amazon.awssdk.awscore.client.builder.AwsSyncClientBuilder;
import software.amazon.awssdk.core.client.config.ClientOverrideConfiguration;
import software.amazon.awssdk.http.SdkHttpClient;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.apigatewaymanagementapi.ApiGatewayManagementApiAsyncClient;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;

/**
 * Builds SDK clients once per container: explicit region, explicit credentials provider, the light
 * URLConnection HTTP client, and an endpoint override (AWS_ENDPOINT_URL_&lt;SERVICE&gt; or AWS_ENDPOINT_URL,
 * the SDK's own names) for emulators.
 */
public final class Clients {
    private Clients() {
    }

    public static DynamoDbClient dynamo(Config config) {
        return build(DynamoDbClient.builder(), "DYNAMODB", config);
    }

    public static <B extends AwsClientBuilder<B, C> & AwsSyncClientBuilder<B, C>, C> C build(B builder, String service, Config config) {
        builder.region(region(config))
                .credentialsProvider(credentials(config))
                .httpClient(httpClient(config))
                .overrideConfiguration(ClientOverrideConfiguration.builder()
                        .apiCallTimeout(Duration.ofMillis(config.getInt("AWS_API_CALL_TIMEOUT_MS", 10_000)))
                        .build());
        endpoint(config, service).ifPresent(builder::endpointOverride);
        return builder.build();
    }

    /**
     * The WebSocket management API's async client for one endpoint, over the JDK's HTTP client (no Netty, no CRT),
     * with the same region, credentials and call timeout as every other client.
     */
    public static ApiGatewayManagementApiAsyncClient managementApi(Config config, String endpoint) {
        return ApiGatewayManagementApiAsyncClient.builder()
                .region(region(config))
                .credentialsProvider(credentials(config))
                .httpClient(new JdkAsyncHttpClient(Duration.ofMillis(config.getInt("AWS_CONNECT_TIMEOUT_MS", 2_000)),
                        Duration.ofMillis(config.getInt("AWS_SOCKET_TIMEOUT_MS", 5_000))))
                .endpointOverride(URI.create(endpoint))
                .overrideConfiguration(ClientOverrideConfiguration.builder()
                        .apiCallTimeout(Duration.ofMillis(config.getInt("AWS_API_CALL_TIMEOUT_MS", 6_000))).build())
                .build();
    }

    public static SdkHttpClient httpClient(Config config) {
        return UrlConnectionHttpClient.builder()
                .connectionTimeout(Duration.ofMillis(config.getInt("AWS_CONNECT_TIMEOUT_MS", 2_000)))
                .socketTimeout(Duration.ofMillis(config.getInt("AWS_SOCKET_TIMEOUT_MS", 8_000)))
                .build();
    }

    public static Region region(Config config) {
        return Region.of(config.get("AWS_REGION").orElse(config.get("AWS_DEFAULT_REGION", "us-east-1")));
    }

    public static Optional<URI> endpoint(Config config, String service) {
        String key = "AWS_ENDPOINT_URL_" + service.toUpperCase(Locale.ROOT);
        return config.get(key).or(() -> config.get("AWS_ENDPOINT_URL")).map(URI::create);
    }

    /**
     * Keys in the environment (Lambda without SnapStart, local runs), the container endpoint (SnapStart
     * restores), or the default chain as a last resort.
     */
    public static AwsCredentialsProvider credentials(Config config) {
        if (config.get("AWS_ACCESS_KEY_ID").isPresent()) {
            return () -> fromEnvironment(config);
        }
        if (config.get("AWS_CONTAINER_CREDENTIALS_FULL_URI").isPresent()) {
            return ContainerCredentialsProvider.builder().build();
        }
        return DefaultCredentialsProvider.builder().build();
    }

    private static AwsCredentials fromEnvironment(Config config) {
        String id = config.require("AWS_ACCESS_KEY_ID");
        String secret = config.require("AWS_SECRET_ACCESS_KEY");
        return config.get("AWS_SESSION_TOKEN")
                .<AwsCredentials>map(token -> AwsSessionCredentials.create(id, secret, token))
                .orElseGet(() -> AwsBasicCredentials.create(id, secret));
    }
}
