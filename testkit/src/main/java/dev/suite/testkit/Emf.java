package dev.suite.testkit;

/** Reading CloudWatch EMF output in tests. */
public final class Emf {
    private Emf() {
    }

    /** Runs the body with stdout captured (EMF lines go to stdout) and answers what was printed. */
    public static String stdout(Runnable body) {
        java.io.PrintStream saved = System.out;
        java.io.ByteArrayOutputStream captured = new java.io.ByteArrayOutputStream();
        System.setOut(new java.io.PrintStream(captured, true, java.nio.charset.StandardCharsets.UTF_8));
        try {
            body.run();
        } finally {
            System.setOut(saved);
        }
        return captured.toString(java.nio.charset.StandardCharsets.UTF_8);
    }

    /** The EMF documents printed for a metric: {"_aws":{"CloudWatchMetrics":[{"Namespace","Metrics":[{"Name"}]}]}, name: value}. */
    public static java.util.List<com.fasterxml.jackson.databind.JsonNode> emf(String out, String metric) {
        java.util.List<com.fasterxml.jackson.databind.JsonNode> found = new java.util.ArrayList<>();
        for (String line : out.split("\n")) {
            if (!line.startsWith("{") || !line.contains("\"_aws\"")) {
                continue;
            }
            try {
                com.fasterxml.jackson.databind.JsonNode n = dev.suite.shared.Json.EVENTS.readTree(line);
                if (n.has(metric) && n.at("/_aws/CloudWatchMetrics/0/Metrics/0/Name").asText().equals(metric)) {
                    found.add(n);
                }
            } catch (java.io.IOException ignored) {
                // not an EMF line
            }
        }
        return found;
    }
}
