package dev.suite.emulators;

import com.fasterxml.jackson.databind.JsonNode;
import dev.suite.shared.Json;
import java.io.IOException;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * SSM Parameter Store's {@code GetParameter} (awsJson1_1, {@code X-Amz-Target: AmazonSSM.GetParameter}), the one call the
 * functions make for their {@code *_PARAM} secrets; served behind {@link IamGateway}. Parameters are put by tests or
 * local runs; a missing one answers {@code ParameterNotFound} as SSM does.
 */
public final class SsmStandIn {
    private final Map<String, String> parameters = new ConcurrentHashMap<>();

    public void put(String name, String value) {
        parameters.put(name, value);
    }

    /** The status and JSON body SSM answers. */
    record Answer(int status, String body) {}

    Answer answer(String target, byte[] body) throws IOException {
        String op = target == null ? "" : target.substring(target.indexOf('.') + 1);
        if (!op.equals("GetParameter")) {
            return new Answer(
                    400, Json.write(Map.of("__type", "InvalidAction", "message", op + " is not served locally")));
        }
        JsonNode request = Json.EVENTS.readTree(body);
        String name = request.path("Name").asText();
        String value = parameters.get(name);
        if (value == null) {
            return new Answer(
                    400,
                    Json.write(Map.of("__type", "ParameterNotFound", "message", "Parameter " + name + " not found.")));
        }
        return new Answer(
                200,
                Json.write(Map.of(
                        "Parameter",
                        Map.of(
                                "Name",
                                name,
                                "Type",
                                "SecureString",
                                "Value",
                                value,
                                "Version",
                                1,
                                "ARN",
                                "arn:aws:ssm:" + Emulators.REGION + ":000000000000:parameter" + name))));
    }
}
