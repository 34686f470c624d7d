package dev.suite.local;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.suite.emulators.IamUsage;
import dev.suite.shared.Clients;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.net.URI;
import java.nio.file.Files;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.core.SdkBytes;
import software.amazon.awssdk.services.apigatewaymanagementapi.ApiGatewayManagementApiClient;
import software.amazon.awssdk.services.apigatewaymanagementapi.model.ApiGatewayManagementApiException;
import software.amazon.awssdk.services.apigatewaymanagementapi.model.PayloadTooLargeException;

/**
 * local's WebSocket API refuses what API Gateway refuses: a client message over 128 KB closes the connection with 1009,
 * an {@code @connections} POST over 128 KB answers 413 PayloadTooLargeException, and every {@code @connections} call is
 * checked as execute-api:ManageConnections against the calling function's role.
 */
class WebSocketLimitsTest {
    static LocalRuntime rt;

    @BeforeAll
    static void start() throws Exception {
        rt = LocalRuntime.start(
                new LocalRuntime.Options(
                        0,
                        0,
                        Files.createTempDirectory("ws-limits"),
                        false,
                        Map.of("AuthFunction", Map.of("REGISTER_LIMIT_PER_IP_PER_MINUTE", "1000")),
                        false),
                new PrintStream(new ByteArrayOutputStream()));
        ChatE2ETest.rt = rt;
    }

    @AfterAll
    static void stop() {
        rt.close();
    }

    static ApiGatewayManagementApiClient managementAs(String fn) {
        return Clients.managementApi(
                rt.emulators().functionConfig(fn), rt.wsUrl().replace("ws://", "http://"));
    }

    /** The user of the last {@link #connect()}. */
    static volatile String lastUserId;

    /**
     * The connection id of the last connected user, found by its user (other tests' connections may still be open,
     * and two may share a connectedAt).
     */
    static String lastConnectionId() throws InterruptedException {
        long deadline = System.currentTimeMillis() + 5_000;
        while (System.currentTimeMillis() < deadline) {
            for (Map<String, Object> c : rt.ws().connections()) {
                if (lastUserId.equals(String.valueOf(c.get("userId")))) {
                    return String.valueOf(c.get("connectionId"));
                }
            }
            Thread.sleep(10);
        }
        throw new AssertionError(
                "no open connection of " + lastUserId + ": " + rt.ws().connections());
    }

    static ChatE2ETest.Client connect() throws Exception {
        ChatE2ETest.User u = ChatE2ETest.user();
        lastUserId = u.id();
        ChatE2ETest.Client c = new ChatE2ETest.Client();
        c.socket = java.net.http.HttpClient.newHttpClient()
                .newWebSocketBuilder()
                .buildAsync(URI.create(rt.wsUrl() + "/?token=" + u.token()), c)
                .get(10, TimeUnit.SECONDS);
        return c;
    }

    @Test
    void aClientMessageOver128KbClosesTheConnectionWith1009() throws Exception {
        ChatE2ETest.Client c = connect();
        c.socket.sendText(
                "{\"action\":\"typing\",\"roomId\":\"" + "x".repeat(WebSocketGateway.MAX_MESSAGE) + "\"}", true);
        assertEquals(1009, c.closed.get(10, TimeUnit.SECONDS), "message too big, as API Gateway closes it");
    }

    @Test
    void anAtConnectionsPostOver128KbAnswers413AndOneUnderItIsDelivered() throws Exception {
        ChatE2ETest.Client c = connect();
        String id = lastConnectionId();
        ApiGatewayManagementApiClient api = managementAs("ChatMessagesFunction");
        PayloadTooLargeException big = assertThrows(
                PayloadTooLargeException.class,
                () -> api.postToConnection(b -> b.connectionId(id)
                        .data(SdkBytes.fromUtf8String("{\"type\":\"typing\",\"pad\":\""
                                + "x".repeat(WebSocketGateway.MAX_MESSAGE) + "\"}"))));
        assertEquals(413, big.statusCode());
        api.postToConnection(b -> b.connectionId(id)
                .data(SdkBytes.fromUtf8String("{\"type\":\"typing\",\"roomId\":\"r\",\"userId\":\"u\"}")));
        assertEquals("u", c.next("typing", 5_000).get("userId").asText());
    }

    @Test
    void atConnectionsCallsAreCheckedAgainstTheCallersRole() throws Exception {
        connect();
        String id = lastConnectionId();
        // AuthFunction may close connections (DELETE) but not post to them
        IamUsage.jvm().expect("AuthFunction", "execute-api:ManageConnections");
        ApiGatewayManagementApiException e = assertThrows(
                ApiGatewayManagementApiException.class,
                () -> managementAs("AuthFunction")
                        .postToConnection(b -> b.connectionId(id).data(SdkBytes.fromUtf8String("{}"))));
        assertEquals(403, e.statusCode());
        assertTrue(
                e.getMessage()
                                .contains(
                                        "AuthFunction is not authorized to perform: execute-api:ManageConnections on resource: "
                                                + "arn:aws:execute-api:us-east-1:000000000000:ChatWebSocketApi/")
                        && e.getMessage().contains("/POST/@connections/" + id),
                e.getMessage());
        assertEquals(
                1,
                IamUsage.jvm().expected().stream()
                        .filter(x -> x.get("function").equals("AuthFunction"))
                        .count());
    }
}
