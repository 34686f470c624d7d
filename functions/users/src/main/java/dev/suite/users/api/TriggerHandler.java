package dev.suite.users.api;

import com.amazonaws.services.lambda.runtime.Context;
import com.amazonaws.services.lambda.runtime.RequestStreamHandler;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.suite.shared.Json;
import dev.suite.shared.Log;
import dev.suite.shared.SyntheticContext;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.util.UUID;

/**
 * A Cognito trigger: reads the event as JSON, lets the subclass fill {@code response}, writes the event back
 * (what Cognito expects). Streams, so the event shape is ours and not the runtime serializer's.
 */
abstract class TriggerHandler implements RequestStreamHandler {

    @Override
    public final void handleRequest(InputStream input, OutputStream output, Context context) throws IOException {
        ObjectNode event = (ObjectNode) Json.EVENTS.readTree(input);
        String correlation = context == null ? null : context.getAwsRequestId();
        ObjectNode result = Log.around(context, correlation, () -> handle(event));
        Json.EVENTS.writeValue(output, result);
    }

    /** For priming: the event through {@link #handleRequest}, as bytes, as the runtime passes it. */
    final void prime(ObjectNode event) {
        try {
            handleRequest(
                    new ByteArrayInputStream(Json.EVENTS.writeValueAsBytes(event)),
                    new ByteArrayOutputStream(),
                    new SyntheticContext("priming"));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    abstract ObjectNode handle(ObjectNode event);

    /** A trigger event for priming: a user nobody is. */
    static ObjectNode synthetic(String source) {
        ObjectNode e = Json.EVENTS.createObjectNode();
        e.put("triggerSource", source);
        e.put("userPoolId", "priming");
        e.put("userName", "priming");
        e.putObject("request")
                .putObject("userAttributes")
                .put("sub", "priming-" + UUID.randomUUID())
                .put("email", "priming@example.invalid");
        e.putObject("response");
        return e;
    }

    static String text(ObjectNode node, String... path) {
        JsonNode n = node;
        for (String p : path) {
            n = n == null ? null : n.get(p);
        }
        return n == null || n.isNull() ? null : n.asText();
    }
}
