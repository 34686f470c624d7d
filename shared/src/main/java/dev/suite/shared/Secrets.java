package dev.suite.shared;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.function.Supplier;
import software.amazon.awssdk.auth.credentials.AwsCredentialsProvider;
import software.amazon.awssdk.http.ContentStreamProvider;
import software.amazon.awssdk.http.HttpExecuteRequest;
import software.amazon.awssdk.http.HttpExecuteResponse;
import software.amazon.awssdk.http.SdkHttpClient;
import software.amazon.awssdk.http.SdkHttpFullRequest;
import software.amazon.awssdk.http.SdkHttpMethod;
import software.amazon.awssdk.http.SdkHttpRequest;
import software.amazon.awssdk.http.auth.aws.signer.AwsV4HttpSigner;
import software.amazon.awssdk.http.auth.spi.signer.SignedRequest;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.regions.RegionMetadata;

/**
 * A secret by name: the plain value NAME in the environment (local runs, tests), or the SSM SecureString whose
 * parameter name is NAME_PARAM (AWS), decrypted and cached for five minutes. Never logged; the template holds parameter
 * names only.
 *
 * <p>SSM is called directly: one SigV4-signed {@code AmazonSSM.GetParameter} POST (the awsJson1_1 protocol) over the
 * same URLConnection client, region and credentials provider as every other client. The SSM SDK module and Powertools'
 * parameters provider weighed 5.3 MB and 3,300 classes in each jar for this one call. The Parameters and Secrets Lambda
 * extension is not used: it authenticates callers with {@code AWS_SESSION_TOKEN}, which SnapStart functions do not
 * get (they read container credentials), and every function here runs with SnapStart.
 */
public final class Secrets {
    static final Duration MAX_AGE = Duration.ofMinutes(5);

    private Secrets() {
    }

    public static Supplier<String> supplier(Config config, String name) {
        var plain = config.get(name);
        if (plain.isPresent()) {
            String value = plain.get();
            return () -> value;
        }
        String parameter = config.get(name + "_PARAM").orElseThrow(() ->
                new IllegalStateException("configure " + name + " (local) or " + name + "_PARAM (an SSM parameter name)"));
        return new Ssm(config, parameter, Clock.systemUTC());
    }

    /** One SSM parameter, read with decryption when first needed and again once {@link #MAX_AGE} has passed. */
    static final class Ssm implements Supplier<String> {
        private final String parameter;
        private final Region region;
        private final URI endpoint;
        private final AwsCredentialsProvider credentials;
        private final SdkHttpClient http;
        private final Clock clock;
        private volatile String value;
        private volatile Instant fetchedAt = Instant.MIN;

        Ssm(Config config, String parameter, Clock clock) {
            this.parameter = parameter;
            this.region = Clients.region(config);
            this.endpoint = Clients.endpoint(config, "SSM").orElseGet(() -> URI.create("https://ssm." + region.id() + "." + domain(region)));
            this.credentials = Clients.credentials(config);
            this.http = Clients.httpClient(config);
            this.clock = clock;
        }

        @Override
        public String get() {
            Instant now = clock.instant();
            if (value == null || now.isAfter(fetchedAt.plus(MAX_AGE))) {
                synchronized (this) {
                    if (value == null || now.isAfter(fetchedAt.plus(MAX_AGE))) {
                        value = fetch();
                        fetchedAt = now;
                    }
                }
            }
            return value;
        }

        private String fetch() {
            byte[] body = Json.write(Map.of("Name", parameter, "WithDecryption", true)).getBytes(StandardCharsets.UTF_8);
            SdkHttpRequest request = SdkHttpFullRequest.builder()
                    .method(SdkHttpMethod.POST)
                    .uri(endpoint)
                    .putHeader("Content-Type", "application/x-amz-json-1.1")
                    .putHeader("X-Amz-Target", "AmazonSSM.GetParameter")
                    .putHeader("Content-Length", Integer.toString(body.length))
                    .build();
            SignedRequest signed = AwsV4HttpSigner.create().sign(r -> r
                    .identity(credentials.resolveCredentials())
                    .request(request)
                    .payload(ContentStreamProvider.fromByteArray(body))
                    .putProperty(AwsV4HttpSigner.SERVICE_SIGNING_NAME, "ssm")
                    .putProperty(AwsV4HttpSigner.REGION_NAME, region.id()));
            try {
                HttpExecuteResponse response = http.prepareRequest(HttpExecuteRequest.builder()
                        .request(signed.request())
                        .contentStreamProvider(signed.payload().orElse(null))
                        .build()).call();
                JsonNode answer;
                try (InputStream in = response.responseBody().orElse(null)) {
                    answer = in == null ? Json.EVENTS.createObjectNode() : Json.EVENTS.readTree(in);
                }
                if (!response.httpResponse().isSuccessful() || !answer.path("Parameter").path("Value").isTextual()) {
                    // the error type only (ParameterNotFound, AccessDeniedException, ...): never the body of a success
                    throw new IllegalStateException("SSM GetParameter " + parameter + " answered " + response.httpResponse().statusCode()
                            + " " + answer.path("__type").asText("") + " " + answer.path("message").asText(answer.path("Message").asText("")));
                }
                return answer.path("Parameter").path("Value").asText();
            } catch (IOException e) {
                throw new UncheckedIOException("SSM GetParameter " + parameter + " failed", e);
            }
        }

        private static String domain(Region region) {
            RegionMetadata metadata = region.metadata();
            return metadata == null ? "amazonaws.com" : metadata.domain();
        }
    }
}
