package dev.suite.chat;

import dev.suite.shared.Clients;
import dev.suite.shared.Config;
import dev.suite.shared.JdkAsyncHttpClient;
import dev.suite.shared.Log;
import dev.suite.shared.data.Connections;
import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Semaphore;
import java.util.concurrent.atomic.AtomicInteger;
import org.slf4j.Logger;
import software.amazon.awssdk.core.SdkBytes;
import software.amazon.awssdk.core.client.config.ClientOverrideConfiguration;
import software.amazon.awssdk.services.apigatewaymanagementapi.ApiGatewayManagementApiAsyncClient;
import software.amazon.awssdk.services.apigatewaymanagementapi.model.GoneException;

/**
 * Delivers frames through the WebSocket management API's async client, at most {@code concurrency} posts in
 * flight. A connection that answers 410 Gone is deleted: that connection, never the sender's.
 */
public final class Fanout {
    private static final Logger LOG = Log.get(Fanout.class);
    private final Config config;
    private final Connections connections;
    private final int concurrency;
    private final Map<String, ApiGatewayManagementApiAsyncClient> clients = new ConcurrentHashMap<>();
    private final JdkAsyncHttpClient http;

    public Fanout(Config config, Connections connections) {
        this.config = config;
        this.connections = connections;
        this.concurrency = config.getInt("FANOUT_CONCURRENCY", 64);
        this.http = new JdkAsyncHttpClient(Duration.ofSeconds(2), Duration.ofSeconds(5));
    }

    /** The management endpoint: configured, or https://{domainName}/{stage} of the event. */
    ApiGatewayManagementApiAsyncClient client(String domainName, String stage) {
        String endpoint = config.get("WEBSOCKET_MANAGEMENT_ENDPOINT").orElse("https://" + domainName + "/" + stage);
        return clients.computeIfAbsent(endpoint, e -> ApiGatewayManagementApiAsyncClient.builder()
                .region(Clients.region(config))
                .credentialsProvider(Clients.credentials(config))
                .httpClient(http)
                .endpointOverride(URI.create(e))
                .overrideConfiguration(ClientOverrideConfiguration.builder().apiCallTimeout(Duration.ofSeconds(6)).build())
                .build());
    }

    /** Posts one frame to each connection; returns how many took it. */
    public int send(ApiGatewayManagementApiAsyncClient client, Collection<String> connectionIds, String frame) {
        SdkBytes data = SdkBytes.fromUtf8String(frame);
        Semaphore inFlight = new Semaphore(concurrency);
        AtomicInteger delivered = new AtomicInteger();
        List<CompletableFuture<?>> all = new ArrayList<>(connectionIds.size());
        for (String id : connectionIds) {
            inFlight.acquireUninterruptibly();
            all.add(client.postToConnection(b -> b.connectionId(id).data(data)).handle((ok, error) -> {
                inFlight.release();
                if (error == null) {
                    delivered.incrementAndGet();
                } else {
                    Throwable cause = error instanceof CompletionException && error.getCause() != null ? error.getCause() : error;
                    if (cause instanceof GoneException) {
                        connections.close(id);
                    } else {
                        LOG.warn("posting to a connection failed: {}", cause.getClass().getSimpleName());
                    }
                }
                return null;
            }));
        }
        CompletableFuture.allOf(all.toArray(CompletableFuture[]::new)).join();
        return delivered.get();
    }
}
