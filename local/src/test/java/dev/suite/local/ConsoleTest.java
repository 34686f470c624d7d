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
import java.time.LocalDate;
import java.time.ZoneId;
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
    static final HttpClient HTTP =
            HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    static LocalRuntime rt;
    static WebDriver browser;
    static final String EMAIL = "console" + UUID.randomUUID().toString().substring(0, 8) + "@example.com";
    static String userId;
    static String token;
    static String other;
    static String room;

    @BeforeAll
    static void start() throws Exception {
        browser = Browser.chromium();
        rt = LocalRuntime.start(
                LocalRuntime.Options.forTests(Files.createTempDirectory("console")),
                new PrintStream(new ByteArrayOutputStream()));
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
        ((JavascriptExecutor) browser)
                .executeScript("if (location.hash !== '#" + hash + "') { location.hash = '#" + hash + "'; }");
    }

    static <T> T await(String what, java.util.function.Supplier<T> condition) {
        return Browser.await(browser, what, WAIT, condition);
    }

    /** Clicks what the selector finds, again if the page redrew under it (pages redraw as requests come in). */
    static void click(String selector) {
        await("to click " + selector, () -> {
            row(selector).click();
            return true;
        });
    }

    static WebElement row(String selector) {
        List<WebElement> rows = browser.findElements(By.cssSelector(selector));
        return rows.isEmpty() ? null : rows.get(0);
    }

    @Test
    @Order(1)
    void theMailPageShowsTheCodeAndConfirmsTheUser() throws Exception {
        LocalRuntimeTest.Answer reg = call(
                "POST", "/auth/register", Map.of("email", EMAIL, "password", "Passw0rdOk", "name", "Console"), null);
        assertEquals(201, reg.status(), reg.raw().body());
        userId = reg.text("userId");
        open("mail");
        String code = await(
                "the code sent to " + EMAIL + " on the Mail page",
                () -> row("tr[data-email='" + EMAIL + "'] td.code").getText());
        assertTrue(code.matches("\\d{6}"), code);
        assertEquals(
                rt.emulators().cognitoLocal().latestCode(EMAIL, Duration.ofSeconds(1)),
                code,
                "the code cognito-local sent");
        click("tr[data-email='" + EMAIL + "'] button.confirm");
        await(
                "POST /auth/confirm answered 200",
                () -> browser.findElement(By.id("toast")).getText().contains("→ 200"));
    }

    @Test
    @Order(2)
    void theUsersPageShowsTheConfirmedUserWithFiveCredits() {
        open("users");
        String role = await("the user CONFIRMED with 5 credits", () -> {
            WebElement r = row("tr[data-email='" + EMAIL + "']");
            return r != null
                            && r.findElement(By.cssSelector("td.status"))
                                    .getText()
                                    .equals("CONFIRMED")
                            && r.findElement(By.cssSelector("td.credits"))
                                    .getText()
                                    .equals("5")
                    ? r.findElement(By.cssSelector("td.role")).getText()
                    : null;
        });
        assertEquals("User", role);
    }

    @Test
    @Order(3)
    void aGeneratedImageShowsAsAThumbnailInTheBucket() throws Exception {
        token = call("POST", "/auth/login", Map.of("email", EMAIL, "password", "Passw0rdOk"), null)
                .text("idToken");
        LocalRuntimeTest.Answer made =
                call("POST", "/image/generate-image", Map.of("prompt", "a lighthouse at dawn"), token);
        assertEquals(201, made.status(), made.raw().body());
        String imageId = made.text("imageId");
        open("data/bucket");
        // read in the page in one go: the page redraws as requests come in
        long width = await("the image's thumbnail in the bucket, loaded", () -> {
            Object w = ((JavascriptExecutor) browser)
                    .executeScript(
                            "const o = [...document.querySelectorAll('#objects .object')]"
                                    + ".find(o => o.dataset.key.includes(arguments[0])); const i = o && o.querySelector('img.thumb');"
                                    + " return i && i.complete ? i.naturalWidth : 0",
                            imageId);
            return ((Number) w).longValue() > 0 ? ((Number) w).longValue() : null;
        });
        assertTrue(width > 0);
    }

    @Test
    @Order(4)
    void aRoleChangeGoesThroughTheAdminRoute() throws Exception {
        open("users/" + userId);
        await("the user's profile", () -> browser.findElements(By.id("role")).isEmpty() ? null : true);
        await(
                "the credit chart",
                () -> !browser.findElements(By.cssSelector("svg.chart circle")).isEmpty());
        js("document.getElementById('role').value = 'Coach'; document.getElementById('change-role').click();");
        String result = await("the admin route's answer", () -> {
            String s = browser.findElement(By.id("role-result")).getText();
            return s.isEmpty() ? null : s;
        });
        assertTrue(result.contains("→ 200") && result.contains("\"role\":\"Coach\""), result);
        String fresh = call("POST", "/auth/login", Map.of("email", EMAIL, "password", "Passw0rdOk"), null)
                .text("idToken");
        assertEquals(
                "Coach",
                call("GET", "/auth/me", null, fresh).text("role"),
                "the profile and the next token carry the new role");
        open("users");
        await("the Users page shows the new role", () -> {
            WebElement r = row("tr[data-email='" + EMAIL + "']");
            return r != null
                    && r.findElement(By.cssSelector("td.role")).getText().equals("Coach");
        });
    }

    @Test
    @Order(5)
    void aScheduleRunsNowAndShowsItsResult() {
        open("schedules");
        String fn = "PendingImagesSweepFunction";
        click("tr[data-function='" + fn + "'] button.run");
        String result = await("the run's result", () -> {
            WebElement r = row("tr[data-function='" + fn + "']");
            String s =
                    r == null ? "" : r.findElement(By.cssSelector("td.result")).getText();
            return s.isEmpty() ? null : s;
        });
        assertFalse(result.startsWith("failed"), result);
        assertTrue(rt.lastRun(fn) != null && result.equals(rt.lastRun(fn).result()), result);
    }

    @Test
    @Order(6)
    void aChatMessageAppearsInRequests() throws Exception {
        other = "console-b" + UUID.randomUUID().toString().substring(0, 8) + "@example.com";
        String otherId = LocalRuntimeTest.call(
                        rt,
                        "POST",
                        "/auth/register",
                        Map.of("email", other, "password", "Passw0rdOk", "name", "B"),
                        null)
                .text("userId");
        call(
                "POST",
                "/auth/confirm",
                Map.of("email", other, "code", rt.emulators().cognitoLocal().latestCode(other, Duration.ofSeconds(5))),
                null);
        room = call("POST", "/chat/rooms", Map.of("type", "direct", "memberIds", List.of(otherId)), token)
                .text("roomId");
        ChatE2ETest.Client client = new ChatE2ETest.Client();
        client.socket = HTTP.newWebSocketBuilder()
                .buildAsync(URI.create(rt.wsUrl() + "/?token=" + token), client)
                .get(10, TimeUnit.SECONDS);
        try {
            open("requests");
            await("the Requests page", () -> row("#requests table"));
            String text = "hello from the browser test " + UUID.randomUUID();
            client.send(Map.of(
                    "action",
                    "sendMessage",
                    "roomId",
                    room,
                    "text",
                    text,
                    "clientMessageId",
                    UUID.randomUUID().toString()));
            assertTrue(client.next("ack", 10_000) != null, "the message was acknowledged");
            // the page may redraw meanwhile: read what the row says in one go, then find it again by its id
            List<String> message = await(
                    "the sendMessage invocation in Requests",
                    () -> browser.findElements(By.cssSelector("#requests tbody tr")).stream()
                            .filter(r -> r.findElement(By.cssSelector("td.route"))
                                    .getText()
                                    .equals("sendMessage"))
                            .findFirst()
                            .map(r -> List.of(
                                    r.getAttribute("data-id"),
                                    r.findElement(By.cssSelector("td.function")).getText()))
                            .orElse(null));
            assertEquals("ChatMessagesFunction", message.get(1));
            click("#requests tr[data-id='" + message.get(0) + "']");
            String request =
                    await("the request body", () -> row("#request-body").getText());
            assertTrue(request.contains(text), request);
            await(
                    "the function's log lines of that correlation id",
                    () -> !browser.findElements(By.cssSelector(".logs .line")).isEmpty());
        } finally {
            client.socket.abort();
        }
    }

    @Test
    @Order(7)
    void secretsAreRedactedInRequestDetails() throws Exception {
        LocalRuntimeTest.Answer login =
                call("POST", "/auth/login", Map.of("email", EMAIL, "password", "Passw0rdOk"), null);
        String requestId = login.raw().headers().firstValue("x-amzn-RequestId").orElseThrow();
        open("requests");
        click("#requests tr[data-correlation='" + requestId + "']");
        String request = await("the request body", () -> row("#request-body").getText());
        String response = browser.findElement(By.id("response-body")).getText();
        assertTrue(request.contains("[redacted]") && response.contains("[redacted]"), request + response);
        assertFalse(request.contains("Passw0rdOk"), request);
        assertFalse(
                response.contains(login.text("idToken"))
                        || response.contains(login.text("refreshToken").substring(0, 40)),
                response);
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
            HttpResponse<String> r = HTTP.send(
                    HttpRequest.newBuilder(URI.create(rt.baseUrl() + "/auth/me"))
                            .header("Authorization", "Bearer " + token)
                            .GET()
                            .build(),
                    BodyHandlers.ofString());
            long answered = System.currentTimeMillis();
            assertEquals(200, r.statusCode(), r.body());
            String id = r.headers().firstValue("x-amzn-RequestId").orElseThrow();
            long shown = Long.parseLong(await(
                    "request " + id + " in Requests",
                    () -> row("#requests tr[data-correlation='" + id + "']").getAttribute("data-shown-at")));
            afterAnswer.add(shown - answered);
            afterSend.add(shown - sent);
        }
        Collections.sort(afterAnswer);
        Collections.sort(afterSend);
        String report = String.format(
                "console: a new request shows in Requests %d ms (median of 15; min %d, max %d) after its answer reached the client,"
                        + " %d ms after it was sent%n",
                afterAnswer.get(7), afterAnswer.get(0), afterAnswer.get(14), afterSend.get(7));
        System.out.print(report);
        Files.writeString(Path.of("target", "console", "latency.txt"), report);
        assertTrue(afterAnswer.get(7) < 1000, report);
        JsonNode me = Json.EVENTS.readTree(HTTP.send(
                        HttpRequest.newBuilder(URI.create(rt.baseUrl() + "/_local/api/requests?limit=1"))
                                .build(),
                        BodyHandlers.ofString())
                .body());
        assertEquals("/auth/me", me.at("/items/0/route").asText());
    }

    static Object js(String script, Object... args) {
        return ((JavascriptExecutor) browser).executeScript(script, args);
    }

    static ChatE2ETest.Client connect(String bearer) throws Exception {
        ChatE2ETest.Client c = new ChatE2ETest.Client();
        c.socket = HTTP.newWebSocketBuilder()
                .buildAsync(URI.create(rt.wsUrl() + "/?token=" + bearer), c)
                .get(10, TimeUnit.SECONDS);
        return c;
    }

    @Test
    @Order(9)
    void theChatPageSendsAFrameAsAUserAndItFansOut() throws Exception {
        String otherToken = call("POST", "/auth/login", Map.of("email", other, "password", "Passw0rdOk"), null)
                .text("idToken");
        ChatE2ETest.Client a = connect(token);
        ChatE2ETest.Client b = connect(otherToken);
        try {
            open("chat");
            await(
                    "the user's live connection on the Chat page",
                    () -> (Boolean) js(
                                    "return [...document.querySelectorAll('#send-connection option')]"
                                            + ".some(o => o.textContent.includes(arguments[0]))",
                                    EMAIL)
                            ? true
                            : null);
            String text = "sent from the console " + UUID.randomUUID();
            js(
                    "const c = document.getElementById('send-connection');"
                            + " c.value = [...c.options].find(o => o.textContent.includes(arguments[0])).value;"
                            + " document.getElementById('send-room').value = arguments[1];"
                            + " document.getElementById('send-text').value = arguments[2];"
                            + " [...document.querySelectorAll('button')].find(x => x.textContent === 'Send').click();",
                    EMAIL,
                    room,
                    text);
            JsonNode message = b.next("message", 10_000);
            assertTrue(
                    message != null && message.path("text").asText().equals(text),
                    "the other member got the message: " + message);
            assertTrue(a.next("ack", 10_000) != null, "the sender's connection got the ack");
            await(
                    "the frames pushed, counted per connection",
                    () -> (Boolean)
                                    js(
                                            "return [...document.querySelectorAll('table')].some(t => "
                                                    + "t.textContent.includes('frames pushed') && [...t.querySelectorAll('tbody tr td:last-child')].some(td => Number(td.textContent) > 0))")
                            ? true
                            : null);
        } finally {
            a.socket.abort();
            b.socket.abort();
        }
    }

    @Test
    @Order(10)
    void aSignedIpnReplayedFromThePaymentsPageCreditsThePurchase() throws Exception {
        LocalRuntimeTest.Answer order = call("POST", "/user/pay-vnpay", Map.of("packageId", "starter"), token);
        assertEquals(201, order.status(), order.raw().body());
        String tx = order.text("transactionId");
        open("payments");
        await("the pending transaction", () -> row("tr[data-tx='" + tx + "'] .pill.PENDING"));
        String page = Json.EVENTS
                .readTree(HTTP.send(
                                HttpRequest.newBuilder(
                                                URI.create(rt.baseUrl() + "/_local/api/payments/" + tx + "/page"))
                                        .build(),
                                BodyHandlers.ofString())
                        .body())
                .get("url")
                .asText();
        HttpResponse<String> standIn =
                HTTP.send(HttpRequest.newBuilder(URI.create(page)).build(), BodyHandlers.ofString());
        assertTrue(
                standIn.statusCode() == 200 && standIn.body().contains(tx),
                "the stand-in payment page opens for it: " + standIn.body());
        js(
                "[...document.querySelectorAll(\"tr[data-tx='\" + arguments[0] + \"'] button\")].find(b => b.textContent.includes('IPN')).click()",
                tx);
        await(
                "the IPN's answer",
                () -> browser.findElement(By.id("toast")).getText().contains("\"RspCode\":\"00\""));
        await("the transaction SUCCEEDED, live", () -> row("tr[data-tx='" + tx + "'] .pill.SUCCEEDED"));
        assertEquals(
                14, call("GET", "/auth/me", null, token).json().get("credits").asInt(), "5 - 1 image + 10 bought");
    }

    @Test
    @Order(11)
    void theCoachingPageChartsAClientsStreak() throws Exception {
        LocalDate today = LocalDate.now(ZoneId.of("Asia/Ho_Chi_Minh"));
        LocalRuntimeTest.Answer profile = call(
                "PUT",
                "/quit/profile",
                Map.of(
                        "quitDate",
                        today.minusDays(5).toString(),
                        "cigarettesPerDay",
                        12,
                        "packPrice",
                        30000,
                        "timezone",
                        "Asia/Ho_Chi_Minh"),
                token);
        assertTrue(profile.status() == 201, profile.raw().body());
        for (int back = 4; back >= 1; back--) {
            assertTrue(call(
                                    "PUT",
                                    "/progress/entries/" + today.minusDays(back),
                                    Map.of("smoked", back == 2 ? 3 : 0),
                                    token)
                            .status()
                    < 300);
        }
        open("coaching/" + userId);
        await(
                "the streak chart with a bar per logged day",
                () -> browser.findElements(By.cssSelector("svg.chart rect")).size() == 4);
    }

    @Test
    @Order(12)
    void theGymPageShowsAGymsOccupancyByHour() throws Exception {
        HttpResponse<String> promoted = HTTP.send(
                HttpRequest.newBuilder(URI.create(rt.baseUrl() + "/_local/api/users/" + userId + "/role"))
                        .header("Content-Type", "application/json")
                        .POST(HttpRequest.BodyPublishers.ofString("{\"role\":\"Admin\"}"))
                        .build(),
                BodyHandlers.ofString());
        assertEquals(200, promoted.statusCode(), promoted.body());
        String admin = call("POST", "/auth/login", Map.of("email", EMAIL, "password", "Passw0rdOk"), null)
                .text("idToken");
        LocalRuntimeTest.Answer gym = call(
                "POST",
                "/admin/gyms",
                Map.of("name", "Riverside", "capacity", 40, "timezone", "Asia/Ho_Chi_Minh"),
                admin);
        assertEquals(201, gym.status(), gym.raw().body());
        open("gym/" + gym.text("gymId"));
        await(
                "the gym and its 24 hourly bars",
                () -> browser.findElement(By.id("view")).getText().contains("Riverside: occupancy 0 / 40")
                        && browser.findElements(By.cssSelector("svg.chart rect"))
                                        .size()
                                == 24);
    }

    @Test
    @Order(13)
    void theDataPageBrowsesATableAndTheApiTabEmbedsTheReference() {
        open("data/UsersTable");
        await(
                "the user's item as JSON",
                () -> browser.findElements(By.cssSelector("pre.item")).stream()
                        .anyMatch(p -> p.getText().contains(EMAIL)));
        open("api");
        assertEquals(
                rt.baseUrl() + "/_local/docs",
                await("the reference's frame", () -> row("iframe.docs").getAttribute("src")));
    }

    @Test
    @Order(14)
    void actionsRefuseOtherOrigins() throws Exception {
        HttpResponse<String> foreign = HTTP.send(
                HttpRequest.newBuilder(URI.create(rt.baseUrl() + "/_local/api/schedules/PendingImagesSweepFunction"))
                        .header("Content-Type", "application/json")
                        .header("Origin", "http://evil.example")
                        .POST(HttpRequest.BodyPublishers.ofString("{}"))
                        .build(),
                BodyHandlers.ofString());
        assertEquals(403, foreign.statusCode(), foreign.body());
        HttpResponse<String> form = HTTP.send(
                HttpRequest.newBuilder(URI.create(rt.baseUrl() + "/_local/api/schedules/PendingImagesSweepFunction"))
                        .header("Content-Type", "application/x-www-form-urlencoded")
                        .POST(HttpRequest.BodyPublishers.ofString("a=b"))
                        .build(),
                BodyHandlers.ofString());
        assertEquals(415, form.statusCode(), form.body());
    }

    @Test
    @Order(15)
    void theUsersPageConfirmsAUserThroughCognitoLocal() throws Exception {
        String third = "console-c" + UUID.randomUUID().toString().substring(0, 8) + "@example.com";
        assertEquals(
                201,
                call("POST", "/auth/register", Map.of("email", third, "password", "Passw0rdOk", "name", "C"), null)
                        .status());
        open("users");
        await("the new user UNCONFIRMED, without a profile", () -> {
            WebElement r = row("tr[data-email='" + third + "']");
            return r != null
                    && r.findElement(By.cssSelector("td.status")).getText().equals("UNCONFIRMED")
                    && r.findElement(By.cssSelector("td.credits")).getText().equals("—");
        });
        click("tr[data-email='" + third + "'] button.admin-confirm");
        await("the user CONFIRMED with 5 credits (AdminConfirmSignUp ran PostConfirmation)", () -> {
            WebElement r = row("tr[data-email='" + third + "']");
            return r != null
                    && r.findElement(By.cssSelector("td.status")).getText().equals("CONFIRMED")
                    && r.findElement(By.cssSelector("td.credits")).getText().equals("5");
        });
        assertEquals(
                200,
                call("POST", "/auth/login", Map.of("email", third, "password", "Passw0rdOk"), null)
                        .status());
    }

    /** The user's page at the end of the journey: the picture in the README. */
    @Test
    @Order(16)
    void theUsersPageShowsTheWholeJourney() {
        open("users/" + userId);
        await(
                "the ledger chart with every entry",
                () -> browser.findElements(By.cssSelector("svg.chart circle")).size() == 3);
        await(
                "the thumbnail",
                () -> (Boolean)
                                js(
                                        "const i = document.querySelector('img.thumb'); return !!i && i.complete && i.naturalWidth > 0")
                        ? true
                        : null);
    }
}
