package dev.suite.testkit;

import com.fasterxml.jackson.databind.JsonNode;
import dev.suite.shared.Json;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/** Reading CloudWatch EMF output in tests. */
public final class Emf {
    private Emf() {}

    /** Runs the body with stdout captured (EMF lines go to stdout) and answers what was printed. */
    public static String stdout(Runnable body) {
        PrintStream saved = System.out;
        ByteArrayOutputStream captured = new ByteArrayOutputStream();
        System.setOut(new PrintStream(captured, true, StandardCharsets.UTF_8));
        try {
            body.run();
        } finally {
            System.setOut(saved);
        }
        return captured.toString(StandardCharsets.UTF_8);
    }

    /**
     * The EMF documents printed for a metric: {"_aws":{"CloudWatchMetrics":[{"Namespace","Metrics":[{"Name"}]}]}, name:
     * value}.
     */
    public static List<JsonNode> emf(String out, String metric) {
        List<JsonNode> found = new ArrayList<>();
        for (String line : out.split("\n")) {
            if (!line.startsWith("{") || !line.contains("\"_aws\"")) {
                continue;
            }
            try {
                JsonNode n = Json.EVENTS.readTree(line);
                if (n.has(metric)
                        && n.at("/_aws/CloudWatchMetrics/0/Metrics/0/Name")
                                .asText()
                                .equals(metric)) {
                    found.add(n);
                }
            } catch (IOException ignored) {
                // not an EMF line
            }
        }
        return found;
    }
}
