package dev.suite.shared.push;

import dev.suite.shared.Clients;
import dev.suite.shared.Config;
import dev.suite.shared.Log;
import java.time.Instant;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Semaphore;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;
import org.slf4j.Logger;
import software.amazon.awssdk.core.SdkBytes;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.services.apigatewaymanagementapi.ApiGatewayManagementApiClient;
import software.amazon.awssdk.services.apigatewaymanagementapi.model.GoneException;

/**
 * Pushes frames to users' open WebSocket connections through the management API's sync client, one virtual thread per
 * connection and at most {@code FANOUT_CONCURRENCY} calls in flight (a semaphore). Each call has the SDK's standard
 * retries. A connection that answers 410 Gone is deleted: that connection, never the sender's. Any route group that
 * notifies users live uses this.
 */
public final class Push {
    private static final Logger LOG = Log.get(Push.class);
    private final Config config;
    private final Connections connections;
    private final int concurrency;
    private final Map<String, ApiGatewayManagementApiClient> clients = new ConcurrentHashMap<>();

    public Push(Config config, Connections connections) {
        this.config = config;
        this.connections = connections;
        this.concurrency = Math.max(1, config.getInt("FANOUT_CONCURRENCY", 64));
    }

    /** The management endpoint: WEBSOCKET_MANAGEMENT_ENDPOINT when configured, else https://{domainName}/{stage}. */
    public ApiGatewayManagementApiClient client(String domainName, String stage) {
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
        ApiGatewayManagementApiClient client =
                clients.computeIfAbsent(endpoint.get(), e -> Clients.managementApi(config, e));
        List<String> ids = connections.ofUser(userId, now);
        forEach(ids, id -> {
            try {
                client.deleteConnection(b -> b.connectionId(id));
            } catch (GoneException gone) {
                // closed already
            } catch (SdkException e) {
                LOG.warn("closing a connection failed: {}", e.getClass().getSimpleName());
            }
            connections.close(id);
        });
        return ids.size();
    }

    /** Posts one frame to each connection; returns how many took it. */
    public int send(ApiGatewayManagementApiClient client, Collection<String> connectionIds, String frame) {
        SdkBytes data = SdkBytes.fromUtf8String(frame);
        AtomicInteger delivered = new AtomicInteger();
        forEach(connectionIds, id -> {
            try {
                client.postToConnection(b -> b.connectionId(id).data(data));
                delivered.incrementAndGet();
            } catch (GoneException gone) {
                connections.close(id);
            } catch (SdkException e) {
                LOG.warn("posting to a connection failed: {}", e.getClass().getSimpleName());
            }
        });
        return delivered.get();
    }

    /**
     * Runs the call for every id, each on a virtual thread, at most {@link #concurrency} at a time, and returns when all
     * are done; one id runs on the caller's thread. A call that throws something unexpected is logged, the others go on.
     */
    private void forEach(Collection<String> ids, Consumer<String> call) {
        if (ids.size() == 1) {
            call.accept(ids.iterator().next());
            return;
        }
        Semaphore inFlight = new Semaphore(concurrency);
        try (ExecutorService threads = Executors.newVirtualThreadPerTaskExecutor()) {
            for (String id : ids) {
                inFlight.acquireUninterruptibly();
                threads.execute(() -> {
                    try {
                        call.accept(id);
                    } catch (RuntimeException e) {
                        LOG.warn(
                                "a push to a connection failed: {}",
                                e.getClass().getSimpleName());
                    } finally {
                        inFlight.release();
                    }
                });
            }
        }
    }
}
