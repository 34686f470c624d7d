package dev.suite.local;

import com.fasterxml.jackson.databind.JsonNode;
import dev.suite.emulators.Npm;
import dev.suite.emulators.Paths;
import dev.suite.shared.Json;
import java.io.IOException;
import java.io.Reader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Iterator;
import java.util.Map;
import java.util.regex.Pattern;
import org.yaml.snakeyaml.LoaderOptions;
import org.yaml.snakeyaml.Yaml;
import org.yaml.snakeyaml.constructor.SafeConstructor;

/**
 * The published contract on the local runtime: /_local/openapi.yaml, /_local/asyncapi.yaml, and an API reference
 * at /_local/docs (Swagger UI from contract/node_modules/swagger-ui-dist, served here, no CDN) with the WebSocket
 * frames of asyncapi.yaml at /_local/docs/websocket.
 */
final class ApiDocs {
    static final String OPENAPI = "/_local/openapi.yaml";
    static final String ASYNCAPI = "/_local/asyncapi.yaml";
    static final String DOCS = "/_local/docs";
    private static final String ASSETS = DOCS + "/swagger-ui/";
    private static final Pattern ASSET = Pattern.compile("^[a-z0-9][a-z0-9.-]{0,80}\\.(js|css|png|html|map)$");
    private static final Map<String, String> TYPES = Map.of(
            "js",
            "text/javascript",
            "css",
            "text/css",
            "png",
            "image/png",
            "html",
            "text/html; charset=utf-8",
            "map",
            "application/json");

    private ApiDocs() {}

    static boolean serves(String path) {
        return path.equals(OPENAPI)
                || path.equals(ASYNCAPI)
                || path.equals(DOCS)
                || path.equals(DOCS + "/")
                || path.equals(DOCS + "/websocket")
                || path.startsWith(ASSETS);
    }

    static Path contractDir() {
        return Paths.root().resolve("contract");
    }

    /** Installs the renderer from contract/'s lockfile when it is missing. */
    static void install() throws IOException {
        Npm.ci(contractDir(), "node_modules/swagger-ui-dist/swagger-ui-bundle.js");
    }

    static RestGateway.HttpResponse handle(String path) throws IOException {
        Path root = Paths.root();
        if (path.equals(OPENAPI)) {
            return ok("application/yaml; charset=utf-8", Files.readAllBytes(root.resolve("openapi.yaml")));
        }
        if (path.equals(ASYNCAPI)) {
            return ok("application/yaml; charset=utf-8", Files.readAllBytes(root.resolve("asyncapi.yaml")));
        }
        if (path.equals(DOCS + "/websocket")) {
            return ok(
                    "text/html; charset=utf-8",
                    websocketPage(root.resolve("asyncapi.yaml")).getBytes(StandardCharsets.UTF_8));
        }
        if (path.equals(DOCS) || path.equals(DOCS + "/")) {
            install();
            return ok("text/html; charset=utf-8", restPage().getBytes(StandardCharsets.UTF_8));
        }
        String name = path.substring(ASSETS.length());
        Path file = contractDir().resolve("node_modules/swagger-ui-dist").resolve(name);
        if (!ASSET.matcher(name).matches() || !Files.isRegularFile(file)) {
            return new RestGateway.HttpResponse(
                    404, Map.of("Content-Type", "text/plain"), "not found".getBytes(StandardCharsets.UTF_8));
        }
        return ok(TYPES.get(name.substring(name.lastIndexOf('.') + 1)), Files.readAllBytes(file));
    }

    private static RestGateway.HttpResponse ok(String type, byte[] body) {
        return new RestGateway.HttpResponse(200, Map.of("Content-Type", type, "Cache-Control", "no-cache"), body);
    }

    private static String restPage() {
        return """
                <!doctype html>
                <html lang="en">
                <head>
                  <meta charset="utf-8">
                  <title>Suite API reference</title>
                  <link rel="stylesheet" href="%1$sswagger-ui.css">
                  <style>nav{font:14px sans-serif;padding:8px 16px;background:#f4f4f4}nav a{margin-right:16px}</style>
                </head>
                <body>
                  <nav><a href="%2$s">openapi.yaml</a><a href="%3$s">asyncapi.yaml</a><a href="%4$s/websocket">WebSocket frames</a></nav>
                  <div id="swagger-ui"></div>
                  <script src="%1$sswagger-ui-bundle.js"></script>
                  <script>
                    window.ui = SwaggerUIBundle({ url: "%2$s", dom_id: "#swagger-ui", deepLinking: true });
                  </script>
                </body>
                </html>
                """.formatted(ASSETS, OPENAPI, ASYNCAPI, DOCS);
    }

    /** A plain page of asyncapi.yaml's operations and their message payloads. */
    static String websocketPage(Path asyncapi) throws IOException {
        JsonNode spec;
        try (Reader r = Files.newBufferedReader(asyncapi)) {
            spec = Json.EVENTS.valueToTree(new Yaml(new SafeConstructor(new LoaderOptions())).load(r));
        }
        StringBuilder html = new StringBuilder(
                "<!doctype html><html lang=\"en\"><head><meta charset=\"utf-8\"><title>Suite WebSocket API</title>"
                        + "<style>body{font:14px sans-serif;margin:24px;max-width:960px}pre{background:#f4f4f4;padding:8px;overflow:auto}</style>"
                        + "</head><body>");
        html.append("<h1>")
                .append(esc(spec.path("info").path("title").asText()))
                .append("</h1>");
        html.append("<p><a href=\"")
                .append(ASYNCAPI)
                .append("\">asyncapi.yaml</a> &middot; <a href=\"")
                .append(DOCS)
                .append("\">REST reference</a></p>");
        html.append("<pre>")
                .append(esc(spec.path("info").path("description").asText()))
                .append("</pre>");
        for (Iterator<Map.Entry<String, JsonNode>> ops = spec.path("operations").fields(); ops.hasNext(); ) {
            Map.Entry<String, JsonNode> op = ops.next();
            html.append("<h2>")
                    .append(esc(op.getKey()))
                    .append(" <small>(")
                    .append(esc(op.getValue().path("action").asText()))
                    .append(")</small></h2><p>")
                    .append(esc(op.getValue().path("summary").asText()))
                    .append("</p>");
            for (JsonNode ref : op.getValue().path("messages")) {
                String name = ref.path("$ref").asText().replaceAll(".*/", "");
                JsonNode message = spec.path("components").path("messages").path(name);
                String schema = message.path("payload").path("$ref").asText().replaceAll(".*/", "");
                html.append("<h3>")
                        .append(esc(message.path("title").asText(name)))
                        .append("</h3><pre>")
                        .append(esc(Json.EVENTS
                                .writerWithDefaultPrettyPrinter()
                                .writeValueAsString(
                                        spec.path("components").path("schemas").path(schema))))
                        .append("</pre>");
            }
        }
        return html.append("</body></html>").toString();
    }

    private static String esc(String s) {
        return s.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace("\"", "&quot;");
    }
}
