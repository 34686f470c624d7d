package dev.suite.shared;

import static org.junit.jupiter.api.Assertions.assertEquals;

import com.amazonaws.services.lambda.runtime.events.APIGatewayProxyRequestEvent;
import com.fasterxml.jackson.databind.JsonNode;
import dev.suite.shared.http.ApiResponse;
import dev.suite.shared.http.Dispatcher;
import dev.suite.shared.http.Router;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.slf4j.Logger;

/**
 * SnapStart: priming runs a function's hot path before the snapshot, yet the first request after the restore is the
 * cold start in the logs (cold_start true), and the one after it is not.
 */
class PrimingColdStartTest {
    static final Logger LOG = Log.get(PrimingColdStartTest.class);

    @Test
    void theFirstRequestAfterRestoreLogsTheColdStartNotPriming() throws Exception {
        Router router = new Router().add("GET", "/ping", r -> {
            LOG.info("pong");
            return ApiResponse.ok(Map.of("pong", true));
        });
        Dispatcher dispatcher = new Dispatcher(new Config(Map.of()), router)
                .primeWith("ColdStartFunction", Dispatcher.synthetic("GET", "/ping", Map.of(), null));
        Priming priming = Priming.registered().stream()
                .filter(p -> p.name().equals("ColdStartFunction"))
                .findFirst()
                .orElseThrow();

        List<JsonNode> lines = LogTest.captured(() -> {
            priming.beforeCheckpoint(null);
            priming.afterRestore(null);
            for (String id : List.of("req-1", "req-2")) {
                APIGatewayProxyRequestEvent event = Dispatcher.synthetic("GET", "/ping", Map.of(), null);
                event.getRequestContext().setRequestId(id);
                assertEquals(
                        200,
                        dispatcher
                                .handle(event, new SyntheticContext("ColdStartFunction"))
                                .getStatusCode());
            }
        });
        List<JsonNode> pongs = lines.stream()
                .filter(n -> n.get("message").asText().equals("pong"))
                .toList();
        assertEquals(
                List.of("priming", "req-1", "req-2"),
                pongs.stream().map(n -> n.get("correlation_id").asText()).toList());
        assertEquals(
                List.of(false, true, false),
                pongs.stream().map(n -> n.get("cold_start").asBoolean()).toList(),
                pongs::toString);
        JsonNode primed = lines.stream()
                .filter(n -> n.get("message").asText().startsWith("primed ColdStartFunction"))
                .findFirst()
                .orElseThrow();
        assertEquals(false, primed.get("cold_start").asBoolean());
    }
}
