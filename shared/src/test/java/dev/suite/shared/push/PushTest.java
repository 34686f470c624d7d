package dev.suite.shared.push;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.sun.net.httpserver.HttpServer;
import dev.suite.shared.Config;
import java.lang.reflect.InvocationHandler;
import java.lang.reflect.Proxy;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.DeleteItemRequest;
import software.amazon.awssdk.services.dynamodb.model.DeleteItemResponse;

/**
 * The fan-out on virtual threads against a stand-in management API: bounded concurrency, 410 Gone deletes that
 * connection, a 500 is retried by the SDK.
 */
class PushTest {
    static final int CONCURRENCY = 4;
    HttpServer api;
    final AtomicInteger inFlight = new AtomicInteger();
    final AtomicInteger maxInFlight = new AtomicInteger();
    final Map<String, AtomicInteger> posts = new ConcurrentHashMap<>();
    final Set<String> closed = ConcurrentHashMap.newKeySet();

    @BeforeEach
    void startApi() throws Exception {
        api = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        api.setExecutor(Executors.newCachedThreadPool());
        api.createContext("/", x -> {
            int now = inFlight.incrementAndGet();
            maxInFlight.accumulateAndGet(now, Math::max);
            try {
                x.getRequestBody().readAllBytes();
                String id = x.getRequestURI()
                        .getPath()
                        .substring(x.getRequestURI().getPath().lastIndexOf('/') + 1);
                int attempt =
                        posts.computeIfAbsent(id, k -> new AtomicInteger()).incrementAndGet();
                Thread.sleep(30);
                int status = id.startsWith("gone-") ? 410 : id.startsWith("flaky-") && attempt == 1 ? 500 : 200;
                byte[] body = (status == 200 ? "" : "{\"message\":\"x\"}").getBytes(StandardCharsets.UTF_8);
                if (status == 410) {
                    x.getResponseHeaders().add("x-amzn-ErrorType", "GoneException");
                }
                x.getResponseHeaders().add("Content-Type", "application/json");
                x.sendResponseHeaders(status, body.length == 0 ? -1 : body.length);
                if (body.length > 0) {
                    x.getResponseBody().write(body);
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            } finally {
                inFlight.decrementAndGet();
                x.close();
            }
        });
        api.start();
    }

    @AfterEach
    void stop() {
        api.stop(0);
    }

    /** A DynamoDB client that only records which connection rows Connections.close deletes. */
    DynamoDbClient recordingDeletes() {
        InvocationHandler h = (proxy, method, args) -> {
            if (method.isDefault()
                    && method.getParameterCount() == 1
                    && Consumer.class.equals(method.getParameterTypes()[0])) {
                return InvocationHandler.invokeDefault(proxy, method, args);
            }
            if (method.getName().equals("deleteItem") && args[0] instanceof DeleteItemRequest r) {
                closed.add(r.key().get("connectionId").s());
                return DeleteItemResponse.builder().build();
            }
            throw new AssertionError("unexpected DynamoDB call " + method.getName());
        };
        return (DynamoDbClient)
                Proxy.newProxyInstance(getClass().getClassLoader(), new Class<?>[] {DynamoDbClient.class}, h);
    }

    @Test
    void postsToEveryConnectionAtMostTheConfiguredNumberAtATime() {
        String endpoint = "http://127.0.0.1:" + api.getAddress().getPort() + "/dev";
        Config config = new Config(Map.of(
                "AWS_REGION",
                "eu-west-1",
                "AWS_ACCESS_KEY_ID",
                "AKIDEXAMPLE",
                "AWS_SECRET_ACCESS_KEY",
                "secret",
                "WEBSOCKET_MANAGEMENT_ENDPOINT",
                endpoint,
                "FANOUT_CONCURRENCY",
                Integer.toString(CONCURRENCY)));
        Push push = new Push(config, new Connections(recordingDeletes(), "Connections"));
        List<String> ids = new ArrayList<>();
        for (int i = 0; i < 40; i++) {
            ids.add((i % 10 == 0 ? "gone-" : i % 10 == 1 ? "flaky-" : "live-") + i);
        }
        int delivered = push.send(push.client("unused", "unused"), ids, "{\"type\":\"message\"}");

        assertEquals(36, delivered, "every live and flaky connection took the frame");
        assertEquals(
                Set.of("gone-0", "gone-10", "gone-20", "gone-30"),
                closed,
                "410 Gone deletes that connection, and only it");
        assertEquals(2, posts.get("flaky-1").get(), "a 500 is retried by the SDK");
        assertEquals(1, posts.get("live-2").get());
        assertTrue(
                maxInFlight.get() <= CONCURRENCY, "at most FANOUT_CONCURRENCY posts in flight: " + maxInFlight.get());
        assertTrue(maxInFlight.get() > 1, "posts run concurrently: " + maxInFlight.get());
    }
}
