package dev.suite.shared.push;

import dev.suite.shared.Clients;
import dev.suite.shared.Config;
import dev.suite.shared.Log;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Semaphore;
import java.util.concurrent.atomic.AtomicInteger;
import org.slf4j.Logger;
import software.amazon.awssdk.core.SdkBytes;
import software.amazon.awssdk.services.apigatewaymanagementapi.ApiGatewayManagementApiAsyncClient;
import software.amazon.awssdk.services.apigatewaymanagementapi.model.GoneException;

/**
 * Pushes frames to users' open WebSocket connections through the management API's async client, at most
 * {@code FANOUT_CONCURRENCY} posts in flight. A connection that answers 410 Gone is deleted: that connection,
 * never the sender's. Any route group that notifies users live uses this.
 */
public final class Push {
    private static final Logger LOG = Log.get(Push.class);
    private final Config config;
    private final Connections connections;
    private final int concurrency;
    private final Map<String, ApiGatewayManagementApiAsyncClient> clients = new ConcurrentHashMap<>();

    public Push(Config config, Connections connections) {
        this.config = config;
        this.connections = connections;
        this.concurrency = config.getInt("FANOUT_CONCURRENCY", 64);
    }

    /** The management endpoint: WEBSOCKET_MANAGEMENT_ENDPOINT when configured, else https://{domainName}/{stage}. */
    public ApiGatewayManagementApiAsyncClient client(String domainName, String stage) {
        String endpoint = config.get("WEBSOCKET_MANAGEMENT_ENDPOINT").orElse("https://" + domainName + "/" + stage);
        return clients.computeIfAbsent(endpoint, e -> Clients.managementApi(config, e));
    }

    /** Open connections of the given users: one BatchGetItem per 100 users. */
    public List<String> connectionsOf(Collection<String> userIds, Instant now) {
        return connections.ofUsers(userIds, now);
    }

    /**
     * Closes every open connection of a user (logout, a role change: their next {@code $connect} is checked again)
     * through the configured management endpoint, and forgets them. Returns how many were closed. Without a
     * configured endpoint (no WebSocket API), there is nothing to close.
     */
    public int disconnect(String userId, Instant now) {
        Optional<String> endpoint = config.get("WEBSOCKET_MANAGEMENT_ENDPOINT");
        if (endpoint.isEmpty()) {
            return 0;
        }
        ApiGatewayManagementApiAsyncClient client = clients.computeIfAbsent(endpoint.get(), e -> Clients.managementApi(config, e));
        List<String> ids = connections.ofUser(userId, now);
        List<CompletableFuture<?>> all = new ArrayList<>(ids.size());
        for (String id : ids) {
            all.add(client.deleteConnection(b -> b.connectionId(id)).handle((ok, error) -> {
                Throwable cause = error instanceof CompletionException && error.getCause() != null ? error.getCause() : error;
                if (cause != null && !(cause instanceof GoneException)) {
                    LOG.warn("closing a connection failed: {}", cause.getClass().getSimpleName());
                }
                connections.close(id);
                return null;
            }));
        }
        CompletableFuture.allOf(all.toArray(CompletableFuture[]::new)).join();
        return ids.size();
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
