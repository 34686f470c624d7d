package dev.suite.local;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.suite.shared.Json;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpResponse.BodyHandlers;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInfo;
import org.junit.jupiter.api.TestMethodOrder;
import org.openqa.selenium.By;
import org.openqa.selenium.JavascriptExecutor;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.WebElement;

/**
 * The local console in a real Chromium (Debian's, through Selenium): a new user's journey, each step read or done on the
 * console's pages, and how long a new request takes to show. Every test leaves a screenshot in target/console/.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class ConsoleTest {
    static final Duration WAIT = Duration.ofSeconds(20);
    static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    static LocalRuntime rt;
    static WebDriver browser;
    static final String EMAIL = "console" + UUID.randomUUID().toString().substring(0, 8) + "@example.com";
    static String userId;
    static String token;

    @BeforeAll
    static void start() throws Exception {
        browser = Browser.chromium();
        rt = LocalRuntime.start(LocalRuntime.Options.forTests(Files.createTempDirectory("console")), new PrintStream(new ByteArrayOutputStream()));
    }

    @AfterAll
    static void stop() {
        if (browser != null) {
            browser.quit();
        }
        if (rt != null) {
            rt.close();
        }
    }

    @AfterEach
    void screenshot(TestInfo test) throws Exception {
        Browser.screenshot(browser, test.getTestMethod().orElseThrow().getName());
    }

    static LocalRuntimeTest.Answer call(String method, String path, Object body, String bearer) throws Exception {
        return LocalRuntimeTest.call(rt, method, path, body, bearer);
    }

    static void open(String hash) {
        browser.get(rt.baseUrl() + "/_local/#" + hash);
        // a hash change alone does not reload: render the page asked for
        ((JavascriptExecutor) browser).executeScript("if (location.hash !== '#" + hash + "') { location.hash = '#" + hash + "'; }");
    }

    static <T> T await(String what, java.util.function.Supplier<T> condition) {
        return Browser.await(browser, what, WAIT, condition);
    }

    static WebElement row(String selector) {
        List<WebElement> rows = browser.findElements(By.cssSelector(selector));
        return rows.isEmpty() ? null : rows.get(0);
    }

    @Test
    @Order(1)
    void theMailPageShowsTheCodeAndConfirmsTheUser() throws Exception {
        LocalRuntimeTest.Answer reg = call("POST", "/auth/register", Map.of("email", EMAIL, "password", "Passw0rdOk", "name", "Console"), null);
        assertEquals(201, reg.status(), reg.raw().body());
        userId = reg.text("userId");
        open("mail");
        WebElement mail = await("the code sent to " + EMAIL + " on the Mail page", () -> row("tr[data-email='" + EMAIL + "']"));
        String code = mail.findElement(By.cssSelector("td.code")).getText();
        assertTrue(code.matches("\\d{6}"), code);
        assertEquals(rt.emulators().cognitoLocal().latestCode(EMAIL, Duration.ofSeconds(1)), code, "the code cognito-local sent");
        mail.findElement(By.cssSelector("button.confirm")).click();
        await("POST /auth/confirm answered 200", () -> browser.findElement(By.id("toast")).getText().contains("→ 200"));
    }

    @Test
    @Order(2)
    void theUsersPageShowsTheConfirmedUserWithFiveCredits() {
        open("users");
        WebElement user = await("the user CONFIRMED with 5 credits", () -> {
            WebElement r = row("tr[data-email='" + EMAIL + "']");
            return r != null && r.findElement(By.cssSelector("td.status")).getText().equals("CONFIRMED")
                    && r.findElement(By.cssSelector("td.credits")).getText().equals("5") ? r : null;
        });
        assertEquals("User", user.findElement(By.cssSelector("td.role")).getText());
    }

    @Test
    @Order(3)
    void aGeneratedImageShowsAsAThumbnailInTheBucket() throws Exception {
        token = call("POST", "/auth/login", Map.of("email", EMAIL, "password", "Passw0rdOk"), null).text("idToken");
        LocalRuntimeTest.Answer made = call("POST", "/image/generate-image", Map.of("prompt", "a lighthouse at dawn"), token);
        assertEquals(201, made.status(), made.raw().body());
        String imageId = made.text("imageId");
        open("data/bucket");
        // read in the page in one go: the page redraws as requests come in
        long width = await("the image's thumbnail in the bucket, loaded", () -> {
            Object w = ((JavascriptExecutor) browser).executeScript("const o = [...document.querySelectorAll('#objects .object')]"
                    + ".find(o => o.dataset.key.includes(arguments[0])); const i = o && o.querySelector('img.thumb');"
                    + " return i && i.complete ? i.naturalWidth : 0", imageId);
            return ((Number) w).longValue() > 0 ? ((Number) w).longValue() : null;
        });
        assertTrue(width > 0);
    }

    @Test
    @Order(4)
    void aRoleChangeGoesThroughTheAdminRoute() throws Exception {
        open("users/" + userId);
        await("the user's profile", () -> browser.findElements(By.id("role")).isEmpty() ? null : true);
        await("the credit chart", () -> !browser.findElements(By.cssSelector("svg.chart circle")).isEmpty());
        browser.findElement(By.cssSelector("#role option[value='Coach']")).click();
        browser.findElement(By.id("change-role")).click();
        String result = await("the admin route's answer", () -> {
            String s = browser.findElement(By.id("role-result")).getText();
            return s.isEmpty() ? null : s;
        });
        assertTrue(result.contains("→ 200") && result.contains("\"role\":\"Coach\""), result);
        String fresh = call("POST", "/auth/login", Map.of("email", EMAIL, "password", "Passw0rdOk"), null).text("idToken");
        assertEquals("Coach", call("GET", "/auth/me", null, fresh).text("role"), "the profile and the next token carry the new role");
        open("users");
        await("the Users page shows the new role", () -> {
            WebElement r = row("tr[data-email='" + EMAIL + "']");
            return r != null && r.findElement(By.cssSelector("td.role")).getText().equals("Coach");
        });
    }

    @Test
    @Order(5)
    void aScheduleRunsNowAndShowsItsResult() {
        open("schedules");
        String fn = "PendingImagesSweepFunction";
        await("the schedule " + fn, () -> row("tr[data-function='" + fn + "'] button.run")).click();
        String result = await("the run's result", () -> {
            WebElement r = row("tr[data-function='" + fn + "']");
            String s = r == null ? "" : r.findElement(By.cssSelector("td.result")).getText();
            return s.isEmpty() ? null : s;
        });
        assertFalse(result.startsWith("failed"), result);
        assertTrue(rt.lastRun(fn) != null && result.equals(rt.lastRun(fn).result()), result);
    }

    @Test
    @Order(6)
    void aChatMessageAppearsInRequests() throws Exception {
        String other = "console-b" + UUID.randomUUID().toString().substring(0, 8) + "@example.com";
        String otherId = LocalRuntimeTest.call(rt, "POST", "/auth/register", Map.of("email", other, "password", "Passw0rdOk", "name", "B"), null)
                .text("userId");
        call("POST", "/auth/confirm", Map.of("email", other, "code", rt.emulators().cognitoLocal().latestCode(other, Duration.ofSeconds(5))), null);
        String room = call("POST", "/chat/rooms", Map.of("type", "direct", "memberIds", List.of(otherId)), token).text("roomId");
        ChatE2ETest.Client client = new ChatE2ETest.Client();
        client.socket = HTTP.newWebSocketBuilder().buildAsync(URI.create(rt.wsUrl() + "/?token=" + token), client).get(10, TimeUnit.SECONDS);
        try {
            open("requests");
            await("the Requests page", () -> row("#requests table"));
            String text = "hello from the browser test " + UUID.randomUUID();
            client.send(Map.of("action", "sendMessage", "roomId", room, "text", text, "clientMessageId", UUID.randomUUID().toString()));
            assertTrue(client.next("ack", 10_000) != null, "the message was acknowledged");
            // the page may redraw meanwhile: read what the row says in one go, then find it again by its id
            List<String> message = await("the sendMessage invocation in Requests", () -> browser.findElements(By.cssSelector("#requests tbody tr")).stream()
                    .filter(r -> r.findElement(By.cssSelector("td.route")).getText().equals("sendMessage")).findFirst()
                    .map(r -> List.of(r.getAttribute("data-id"), r.findElement(By.cssSelector("td.function")).getText())).orElse(null));
            assertEquals("ChatMessagesFunction", message.get(1));
            await("the row to open", () -> {
                row("#requests tr[data-id='" + message.get(0) + "']").click();
                return true;
            });
            String request = await("the request body", () -> row("#request-body")).getText();
            assertTrue(request.contains(text), request);
            await("the function's log lines of that correlation id", () -> !browser.findElements(By.cssSelector(".logs .line")).isEmpty());
        } finally {
            client.socket.abort();
        }
    }

    @Test
    @Order(7)
    void secretsAreRedactedInRequestDetails() throws Exception {
        LocalRuntimeTest.Answer login = call("POST", "/auth/login", Map.of("email", EMAIL, "password", "Passw0rdOk"), null);
        String requestId = login.raw().headers().firstValue("x-amzn-RequestId").orElseThrow();
        open("requests");
        await("the login in Requests", () -> {
            row("#requests tr[data-correlation='" + requestId + "']").click();
            return true;
        });
        String request = await("the request body", () -> row("#request-body")).getText();
        String response = browser.findElement(By.id("response-body")).getText();
        assertTrue(request.contains("[redacted]") && response.contains("[redacted]"), request + response);
        assertFalse(request.contains("Passw0rdOk"), request);
        assertFalse(response.contains(login.text("idToken")) || response.contains(login.text("refreshToken").substring(0, 40)), response);
    }

    /** How long the Requests page takes to show a request after its answer came back: median of 15. */
    @Test
    @Order(8)
    void aNewRequestShowsWithinASecond() throws Exception {
        open("requests");
        await("the Requests page", () -> row("#requests table"));
        List<Long> afterAnswer = new ArrayList<>();
        List<Long> afterSend = new ArrayList<>();
        for (int i = 0; i < 15; i++) {
            long sent = System.currentTimeMillis();
            HttpResponse<String> r = HTTP.send(HttpRequest.newBuilder(URI.create(rt.baseUrl() + "/auth/me"))
                    .header("Authorization", "Bearer " + token).GET().build(), BodyHandlers.ofString());
            long answered = System.currentTimeMillis();
            assertEquals(200, r.statusCode(), r.body());
            String id = r.headers().firstValue("x-amzn-RequestId").orElseThrow();
            WebElement row = await("request " + id + " in Requests", () -> row("#requests tr[data-correlation='" + id + "']"));
            long shown = Long.parseLong(row.getAttribute("data-shown-at"));
            afterAnswer.add(shown - answered);
            afterSend.add(shown - sent);
        }
        Collections.sort(afterAnswer);
        Collections.sort(afterSend);
        String report = String.format("console: a new request shows in Requests %d ms (median of 15; min %d, max %d) after its answer reached the client,"
                + " %d ms after it was sent%n", afterAnswer.get(7), afterAnswer.get(0), afterAnswer.get(14), afterSend.get(7));
        System.out.print(report);
        Files.writeString(Path.of("target", "console", "latency.txt"), report);
        assertTrue(afterAnswer.get(7) < 1000, report);
        JsonNode me = Json.EVENTS.readTree(HTTP.send(HttpRequest.newBuilder(URI.create(rt.baseUrl() + "/_local/api/requests?limit=1")).build(),
                BodyHandlers.ofString()).body());
        assertEquals("/auth/me", me.at("/items/0/route").asText());
    }
}
