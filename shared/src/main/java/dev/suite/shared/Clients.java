package dev.suite.shared;

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
import software.amazon.awssdk.core.checksums.RequestChecksumCalculation;
import software.amazon.awssdk.core.checksums.ResponseChecksumValidation;
import software.amazon.awssdk.core.client.config.ClientOverrideConfiguration;
import software.amazon.awssdk.http.SdkHttpClient;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.apigatewaymanagementapi.ApiGatewayManagementApiClient;
import software.amazon.awssdk.services.cognitoidentityprovider.CognitoIdentityProviderClient;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.S3Configuration;
import software.amazon.awssdk.services.s3.presigner.S3Presigner;
import software.amazon.awssdk.services.ssm.SsmClient;

/**
 * Builds every SDK client the functions use, once per container: explicit region, explicit credentials provider, the
 * light URLConnection HTTP client (no Netty, no Apache in any function jar), the SDK's standard retries, an overall call
 * timeout, and an endpoint override (AWS_ENDPOINT_URL_&lt;SERVICE&gt; or AWS_ENDPOINT_URL, the SDK's own names) for
 * emulators. A function module declares the SDK modules of the clients it builds (shared holds them optional).
 */
public final class Clients {
    /**
     * The URLConnection client pools through the JDK's keep-alive cache, which keeps at most {@code http.maxConnections}
     * (default 5) idle connections per host: a fan-out of FANOUT_CONCURRENCY posts to one management endpoint would open
     * a new connection (TCP and TLS) for most posts. Set before any client makes a connection, unless configured.
     */
    static final int KEEP_ALIVE_CONNECTIONS = 64;

    static {
        if (System.getProperty("http.maxConnections") == null) {
            System.setProperty("http.maxConnections", Integer.toString(KEEP_ALIVE_CONNECTIONS));
        }
    }

    private Clients() {}

    public static DynamoDbClient dynamo(Config config) {
        return build(DynamoDbClient.builder(), "DYNAMODB", config);
    }

    /**
     * S3, with checksums only where S3 requires them (S3Proxy rejects the SDK's trailing checksums) and path-style
     * addressing when S3_FORCE_PATH_STYLE is true (emulators).
     */
    public static S3Client s3(Config config) {
        return build(
                S3Client.builder()
                        .forcePathStyle(pathStyle(config))
                        .requestChecksumCalculation(RequestChecksumCalculation.WHEN_REQUIRED)
                        .responseChecksumValidation(ResponseChecksumValidation.WHEN_REQUIRED),
                "S3",
                config);
    }

    /** Presigned GET and PUT URLs: the region, credentials, endpoint and addressing of {@link #s3}. */
    public static S3Presigner presigner(Config config) {
        S3Presigner.Builder builder = S3Presigner.builder()
                .region(region(config))
                .credentialsProvider(credentials(config))
                .serviceConfiguration(S3Configuration.builder()
                        .pathStyleAccessEnabled(pathStyle(config))
                        .build());
        endpoint(config, "S3").ifPresent(builder::endpointOverride);
        return builder.build();
    }

    /** How long a presigned URL is valid: PRESIGN_TTL_MINUTES, 15 by default. */
    public static Duration presignTtl(Config config) {
        return Duration.ofMinutes(config.getInt("PRESIGN_TTL_MINUTES", 15));
    }

    public static CognitoIdentityProviderClient cognito(Config config) {
        return build(CognitoIdentityProviderClient.builder(), "COGNITO_IDENTITY_PROVIDER", config);
    }

    public static SsmClient ssm(Config config) {
        return build(SsmClient.builder(), "SSM", config);
    }

    /**
     * The WebSocket management API's client for one endpoint (sync: the fan-out calls it from virtual threads), with a
     * shorter socket and call timeout by default (the same keys) than the other clients: a post to a connection is small, and a slow one holds up
     * a frame to the others.
     */
    public static ApiGatewayManagementApiClient managementApi(Config config, String endpoint) {
        return configure(
                        ApiGatewayManagementApiClient.builder(),
                        "APIGATEWAYMANAGEMENTAPI",
                        config,
                        Duration.ofMillis(config.getInt("AWS_SOCKET_TIMEOUT_MS", 5_000)),
                        Duration.ofMillis(config.getInt("AWS_API_CALL_TIMEOUT_MS", 6_000)))
                .endpointOverride(URI.create(endpoint))
                .build();
    }

    public static <B extends AwsClientBuilder<B, C> & AwsSyncClientBuilder<B, C>, C> C build(
            B builder, String service, Config config) {
        return configure(builder, service, config).build();
    }

    /**
     * A builder set up as {@link #build} sets it up, for a caller that adds to it before building (tests add an
     * execution interceptor or a stand-in HTTP client; setting the override configuration again replaces the timeout).
     */
    public static <B extends AwsClientBuilder<B, C> & AwsSyncClientBuilder<B, C>, C> B configure(
            B builder, String service, Config config) {
        return configure(
                builder,
                service,
                config,
                Duration.ofMillis(config.getInt("AWS_SOCKET_TIMEOUT_MS", 8_000)),
                Duration.ofMillis(config.getInt("AWS_API_CALL_TIMEOUT_MS", 10_000)));
    }

    private static <B extends AwsClientBuilder<B, C> & AwsSyncClientBuilder<B, C>, C> B configure(
            B builder, String service, Config config, Duration socketTimeout, Duration callTimeout) {
        builder.region(region(config))
                .credentialsProvider(credentials(config))
                .httpClient(httpClient(config, socketTimeout))
                .overrideConfiguration(ClientOverrideConfiguration.builder()
                        .apiCallTimeout(callTimeout)
                        .build());
        endpoint(config, service).ifPresent(builder::endpointOverride);
        return builder;
    }

    private static boolean pathStyle(Config config) {
        return Boolean.parseBoolean(config.get("S3_FORCE_PATH_STYLE", "false"));
    }

    /** The one HTTP client setup of every SDK client: the URLConnection client with connect and socket timeouts. */
    private static SdkHttpClient httpClient(Config config, Duration socketTimeout) {
        return UrlConnectionHttpClient.builder()
                .connectionTimeout(Duration.ofMillis(config.getInt("AWS_CONNECT_TIMEOUT_MS", 2_000)))
                .socketTimeout(socketTimeout)
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
