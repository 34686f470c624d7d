package dev.suite.local;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.suite.emulators.Paths;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpResponse.BodyHandlers;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** local/run serves the contract and an API reference rendered from it, with every asset local (no CDN). */
class ApiDocsTest {
    static final HttpClient HTTP = HttpClient.newHttpClient();
    static LocalRuntime rt;
    static ByteArrayOutputStream console = new ByteArrayOutputStream();

    @BeforeAll
    static void start() throws Exception {
        ApiDocs.install();
        rt = LocalRuntime.start(
                LocalRuntime.Options.forTests(null), new PrintStream(console, true, StandardCharsets.UTF_8));
    }

    @AfterAll
    static void stop() {
        if (rt != null) {
            rt.close();
        }
    }

    static HttpResponse<String> get(String path) throws Exception {
        return HTTP.send(HttpRequest.newBuilder(URI.create(rt.baseUrl() + path)).build(), BodyHandlers.ofString());
    }

    @Test
    void theSpecsAreServedAsTheyAreInTheRepository() throws Exception {
        HttpResponse<String> openapi = get("/_local/openapi.yaml");
        assertEquals(200, openapi.statusCode());
        assertTrue(openapi.headers().firstValue("Content-Type").orElse("").startsWith("application/yaml"));
        assertEquals(Files.readString(Paths.root().resolve("openapi.yaml")), openapi.body());
        HttpResponse<String> asyncapi = get("/_local/asyncapi.yaml");
        assertEquals(200, asyncapi.statusCode());
        assertEquals(Files.readString(Paths.root().resolve("asyncapi.yaml")), asyncapi.body());
    }

    @Test
    void theReferencePageAndEveryAssetItLoadsAreServedLocally() throws Exception {
        HttpResponse<String> page = get("/_local/docs");
        assertEquals(200, page.statusCode(), page.body());
        assertTrue(page.body().contains("/_local/openapi.yaml"), page.body());
        assertTrue(!page.body().contains("https://"), "no CDN: " + page.body());
        var assets = Pattern.compile("(?:src|href)=\"(/_local/docs/swagger-ui/[^\"]+)\"")
                .matcher(page.body());
        int n = 0;
        while (assets.find()) {
            HttpResponse<String> asset = get(assets.group(1));
            assertEquals(200, asset.statusCode(), assets.group(1));
            assertTrue(asset.body().length() > 1000, assets.group(1));
            n++;
        }
        assertEquals(2, n, "the Swagger UI bundle and its stylesheet");
        assertEquals(404, get("/_local/docs/swagger-ui/..%2Fpackage.json").statusCode());
        HttpResponse<String> ws = get("/_local/docs/websocket");
        assertEquals(200, ws.statusCode());
        for (String frame : new String[] {"sendMessage", "typing", "message", "ack", "error"}) {
            assertTrue(ws.body().contains(frame), frame);
        }
    }

    @Test
    void theBannerPrintsTheAddresses() {
        console.reset();
        rt.printBanner();
        String banner = console.toString(StandardCharsets.UTF_8);
        assertTrue(banner.contains(rt.baseUrl() + "/_local/docs"), banner);
        assertTrue(banner.contains(rt.baseUrl() + "/_local/openapi.yaml"), banner);
        assertTrue(banner.contains(rt.baseUrl() + "/_local/asyncapi.yaml"), banner);
    }
}
