package dev.suite.local;

import dev.suite.shared.Json;
import java.nio.charset.StandardCharsets;
import java.util.Locale;
import java.util.Map;
import java.util.UUID;

/**
 * Who may call the local runtime: this machine's own tools (SDKs, curl, cognito-local, the functions, the console page),
 * not a web page the developer happens to visit. Every request on the REST and WebSocket ports must name the port as
 * {@code 127.0.0.1:<port>} or {@code localhost:<port>} in its {@code Host} (a DNS-rebound name is refused). The routes
 * that act as anyone (the Lambda Invoke API, {@code /_local/schedules/*}, the console under {@code /_local/}) also refuse
 * what only a browser sends from another page: an {@code Origin} (the console's own origin excepted on its routes) or a
 * {@code Sec-Fetch-Site} other than {@code same-origin} or {@code none}. SDKs and curl send neither.
 */
final class LocalGuard {
    private LocalGuard() {}

    /** Null when {@code host} names this port on the loopback, else why the request is refused. */
    static String host(String host, int port) {
        if (host == null) {
            return "a Host header is required";
        }
        String h = host.toLowerCase(Locale.ROOT);
        if (h.equals("127.0.0.1:" + port) || h.equals("localhost:" + port)) {
            return null;
        }
        return "the local runtime answers Host 127.0.0.1:" + port + " or localhost:" + port + " only";
    }

    /**
     * Null when a request to a route that acts as anyone comes from this machine's tools or (on console routes,
     * {@code ownOriginAllowed}) from the console's own page; else why it is refused.
     */
    static String caller(String origin, String fetchSite, int port, boolean ownOriginAllowed) {
        if (fetchSite != null && !fetchSite.equals("same-origin") && !fetchSite.equals("none")) {
            return "refused: a request from another site (Sec-Fetch-Site: " + fetchSite + ")";
        }
        if (origin == null) {
            return null;
        }
        if (ownOriginAllowed
                && (origin.equals("http://127.0.0.1:" + port) || origin.equals("http://localhost:" + port))) {
            return null;
        }
        return ownOriginAllowed
                ? "refused: the console answers its own page only (Origin " + origin + ")"
                : "refused: this route answers SDKs and tools, not web pages (Origin " + origin + ")";
    }

    /** The suite's JSON error for a refusal (403 FORBIDDEN). */
    static byte[] forbidden(String message) {
        return Json.write(Map.of(
                        "error",
                        Map.of(
                                "code",
                                "FORBIDDEN",
                                "message",
                                message,
                                "requestId",
                                UUID.randomUUID().toString())))
                .getBytes(StandardCharsets.UTF_8);
    }
}
