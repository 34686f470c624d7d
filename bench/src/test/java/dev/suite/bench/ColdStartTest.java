package dev.suite.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.stripe.exception.SignatureVerificationException;
import com.stripe.net.Webhook;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The SnapStart table's goals and the first request's classes as the bench reads them from a JVM's class-load log. */
class ColdStartTest {
    private static ColdStart.Round round(double classes, double firstMs, double warmMs) {
        return new ColdStart.Round(
                Map.of(
                        "firstClasses",
                        String.valueOf(classes),
                        "firstMs",
                        String.valueOf(firstMs),
                        "warmP50Ms",
                        String.valueOf(warmMs)),
                Map.of());
    }

    private static ColdStart.SnapStart start(ColdStart.Round unpinned, ColdStart.Round pinned) {
        return new ColdStart.SnapStart("F", "e", List.of(unpinned), List.of(pinned), null);
    }

    @Test
    void goalsAreMetAtTheirLimits() {
        assertEquals(List.of(), start(round(50, 15, 10), round(50, 15, 10)).misses());
    }

    @Test
    void eachMissedGoalIsNamed() {
        assertEquals(
                List.of("51 classes > 50"),
                start(round(51, 10, 10), round(51, 10, 10)).misses());
        assertEquals(
                List.of("1.51x > 1.5x"),
                start(round(0, 15.1, 10), round(0, 10, 10)).misses());
        assertEquals(
                List.of("pinned 2.00x > 1.5x"),
                start(round(0, 10, 10), round(0, 20, 10)).misses());
        assertEquals(List.of("failed"), new ColdStart.SnapStart("F", "e", List.of(), List.of(), "boom").misses());
    }

    @Test
    void aStripeWebhookEventIsSignedAfreshWithTheFunctionsSecret(@TempDir Path dir) throws Exception {
        Path event = Files.writeString(
                dir.resolve("e.json"),
                "{\"headers\":{\"Stripe-Signature\":\"t=1,v1=00\"},"
                        + "\"multiValueHeaders\":{\"Stripe-Signature\":[\"t=1,v1=00\"]},\"body\":\"{\\\"id\\\":\\\"evt_1\\\"}\"}");
        var signed = dev.suite.shared.Json.EVENTS.readTree(
                Files.readString(ColdStart.signed(event, Map.of("STRIPE_WEBHOOK_SECRET", "whsec_bench"))));
        String header = signed.get("headers").get("Stripe-Signature").asText();
        // stripe-java's own check, as Webhook.constructEvent runs it in the function (5 minutes' tolerance)
        assertTrue(Webhook.Signature.verifyHeader("{\"id\":\"evt_1\"}", header, "whsec_bench", 300));
        assertThrows(
                SignatureVerificationException.class,
                () -> Webhook.Signature.verifyHeader("{\"id\":\"evt_1\"}", header, "whsec_other", 300));
        assertEquals(
                header,
                signed.get("multiValueHeaders").get("Stripe-Signature").get(0).asText());
        assertEquals(event, ColdStart.signed(event, Map.of()), "no secret: the event as it is");
    }

    @Test
    void theFirstRequestsClassesAreThoseLoggedBetweenTheMarkers(@TempDir Path dir) throws Exception {
        Path log = dir.resolve("class-load.log");
        Files.writeString(
                log,
                String.join(
                        "\n",
                        "[0.101s][info][class,load] dev.suite.Init source: file:/f.jar",
                        "[0.201s][info][class,load] " + RuntimeShim.STARTS + " source: file:/bench/",
                        "[0.202s][info][class,load] java.net.Socket$1 source: jrt:/java.base",
                        "[0.203s][info][class,load] dev.suite.shared.data.Users$Row source: file:/f.jar",
                        "[0.204s][info][class,load] dev.suite.shared.data.Users$Key source: file:/f.jar",
                        "[0.205s][info][class,load] " + RuntimeShim.ENDS + " source: file:/bench/",
                        "[0.301s][info][class,load] dev.suite.Later source: file:/f.jar"));
        List<String> classes = ColdStart.firstRequestClasses(log);
        assertEquals(
                List.of("java.net.Socket$1", "dev.suite.shared.data.Users$Row", "dev.suite.shared.data.Users$Key"),
                classes);
        assertEquals(Map.of("dev.suite.shared.data", 2, "java.net", 1), ColdStart.byPackage(classes));
    }
}
