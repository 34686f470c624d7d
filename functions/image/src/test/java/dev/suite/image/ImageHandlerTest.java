package dev.suite.image;

import static dev.suite.testkit.Assertions.assertError;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.suite.emulators.Emulators;
import dev.suite.image.api.ImageHandler;
import dev.suite.image.domain.ImageRecord;
import dev.suite.image.domain.ImageService;
import dev.suite.image.provider.ClipDrop;
import dev.suite.image.store.Images;
import dev.suite.shared.Clients;
import dev.suite.shared.Config;
import dev.suite.shared.data.Credits;
import dev.suite.shared.data.RateLimiter;
import dev.suite.shared.data.Users;
import dev.suite.testkit.Emf;
import dev.suite.testkit.Events;
import dev.suite.testkit.Events.Response;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Proxy;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import okhttp3.mockwebserver.Dispatcher;
import okhttp3.mockwebserver.MockResponse;
import okhttp3.mockwebserver.MockWebServer;
import okhttp3.mockwebserver.RecordedRequest;
import okio.Buffer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.awscore.exception.AwsErrorDetails;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.CancellationReason;
import software.amazon.awssdk.services.dynamodb.model.ProvisionedThroughputExceededException;
import software.amazon.awssdk.services.dynamodb.model.TransactionCanceledException;

/** Image routes against DynamoDB Local, S3Proxy and MockWebServer as ClipDrop. */
class ImageHandlerTest {
    static final byte[] PNG = {(byte) 0x89, 'P', 'N', 'G', 13, 10, 26, 10, 0, 0, 0, 13, 'I', 'H', 'D', 'R'};
    static Emulators emu;
    static MockWebServer clipdrop;
    static Config config;
    static ImageHandler handler;
    static Users users;
    static Credits credits;
    static Images images;
    static volatile MockResponse next;
    static volatile RecordedRequest last;

    @BeforeAll
    static void start() throws Exception {
        emu = Emulators.shared();
        clipdrop = new MockWebServer();
        clipdrop.setDispatcher(new Dispatcher() {
            @Override
            public MockResponse dispatch(RecordedRequest request) {
                last = request;
                return next;
            }
        });
        clipdrop.start();
        config = emu.functionConfig(
                "ImageFunction",
                Map.of(
                        "CLIPDROP_URL",
                        clipdrop.url("/text-to-image/v1").toString(),
                        "CLIPDROP_API_KEY",
                        "test-clipdrop-key",
                        "CLIPDROP_READ_TIMEOUT_MS",
                        "700",
                        "CLIPDROP_CALL_TIMEOUT_MS",
                        "1500",
                        // the money tests fire many generations per user; the limit has its own test
                        "GENERATION_LIMIT_PER_MINUTE",
                        "1000"));
        handler = new ImageHandler(config);
        users = Users.from(emu.dynamo(), config);
        credits = Credits.from(config);
        images = Images.from(emu.dynamo(), config);
    }

    @AfterAll
    static void stop() throws Exception {
        clipdrop.shutdown();
    }

    @BeforeEach
    void succeedByDefault() {
        next = png();
    }

    static MockResponse png() {
        return new MockResponse()
                .setResponseCode(200)
                .setHeader("Content-Type", "image/png")
                .setBody(new Buffer().write(PNG));
    }

    static String newUser(long startingCredits) {
        String id = UUID.randomUUID().toString();
        users.create(id, id.substring(0, 8) + "@example.com", "U", "User", startingCredits, Instant.now());
        return id;
    }

    static Response generate(String userId, String prompt) {
        return Events.call("image-generate")
                .as(userId, "u@example.com", "User")
                .body(Map.of("prompt", prompt))
                .invoke(handler);
    }

    static long balance(String userId) {
        return users.get(userId).orElseThrow().credits();
    }

    static int objects(String userId) {
        return emu.s3()
                .listObjectsV2(b -> b.bucket(emu.ref("MediaBucket")).prefix("images/" + userId + "/"))
                .keyCount();
    }

    static void assertBooksBalance(String userId) {
        assertEquals(balance(userId), credits.ledgerSum(emu.dynamo(), userId), "the ledger sums to the balance");
    }

    @Test
    void generationChargesOneCreditStoresThePngAndAnswersAPresignedUrl() throws Exception {
        String user = newUser(5);
        int before = clipdrop.getRequestCount();
        Response r = generate(user, "  a lighthouse at dawn  ");
        assertEquals(201, r.status(), r::toString);
        assertEquals(4, r.json().get("creditsLeft").asInt());
        String imageId = r.text("imageId");
        assertNotNull(r.text("createdAt"));
        RecordedRequest sent = last;
        assertEquals(before + 1, clipdrop.getRequestCount());
        assertEquals("test-clipdrop-key", sent.getHeader("x-api-key"));
        assertTrue(sent.getHeader("Content-Type").startsWith("multipart/form-data"));
        String body = sent.getBody().readUtf8();
        assertTrue(
                body.contains("name=\"prompt\"")
                        && body.contains("a lighthouse at dawn")
                        && !body.contains("  a lighthouse"),
                body);

        var head = emu.s3()
                .headObject(b -> b.bucket(emu.ref("MediaBucket")).key("images/" + user + "/" + imageId + ".png"));
        assertEquals("image/png", head.contentType());
        HttpResponse<byte[]> fetched = HttpClient.newHttpClient()
                .send(
                        HttpRequest.newBuilder(URI.create(r.text("imageUrl"))).build(),
                        HttpResponse.BodyHandlers.ofByteArray());
        assertEquals(200, fetched.statusCode(), "the presigned URL works");
        assertArrayEquals(PNG, fetched.body());
        assertTrue(r.text("imageUrl").contains("X-Amz-Expires=900"), "15 minutes");
        assertEquals(ImageRecord.SUCCEEDED, images.get(imageId).orElseThrow().status());
        assertBooksBalance(user);
    }

    @Test
    void generationIsLimitedPerUserPerMinute() {
        ImageHandler limited = new ImageHandler(config.with(Map.of("GENERATION_LIMIT_PER_MINUTE", "10")));
        String user = newUser(20);
        int created = 0;
        Response last = null;
        for (int i = 0; i < 11; i++) {
            last = Events.call("image-generate")
                    .as(user, "u@example.com")
                    .body(Map.of("prompt", "limit " + i))
                    .invoke(limited);
            if (last.status() == 201) {
                created++;
            }
        }
        assertEquals(10, created);
        assertError(last, 429, "TOO_MANY_REQUESTS");
        assertNotNull(last.headers().get("Retry-After"));
        assertEquals(10, balance(user), "the refused generation was never charged");
        assertBooksBalance(user);
    }

    /** DynamoDB that fails the calls a test names, and passes the rest to DynamoDB Local. */
    static DynamoDbClient faulty(String method, RuntimeException failure) {
        var real = Clients.dynamo(config);
        return (DynamoDbClient) Proxy.newProxyInstance(
                ImageHandlerTest.class.getClassLoader(), new Class<?>[] {DynamoDbClient.class}, (p, m, args) -> {
                    if (m.getName().equals(method)) {
                        throw failure;
                    }
                    try {
                        return m.invoke(real, args);
                    } catch (InvocationTargetException e) {
                        throw e.getCause();
                    }
                });
    }

    static ImageHandler with(DynamoDbClient dynamo) {
        return new ImageHandler(
                config,
                new ImageService(
                        dynamo,
                        new Images(dynamo, credits, config.require("IMAGES_TABLE")),
                        new Users(dynamo, credits),
                        credits,
                        ClipDrop.from(config, () -> "test-clipdrop-key"),
                        () -> Clients.s3(config),
                        () -> Clients.presigner(config),
                        config.require("MEDIA_BUCKET"),
                        Duration.ofMinutes(15),
                        Clock.systemUTC(),
                        new RateLimiter(dynamo, config.require("RATE_LIMITS_TABLE"), Clock.systemUTC()),
                        1000));
    }

    @Test
    void dynamoThrottlingAndTransactionConflictsAreA503AndMoveNoCredit() {
        String user = newUser(3);
        var conflict = TransactionCanceledException.builder()
                .message("conflict")
                .cancellationReasons(
                        CancellationReason.builder().code("TransactionConflict").build(),
                        CancellationReason.builder().code("None").build())
                .build();
        Response r = Events.call("image-generate")
                .as(user, "u@example.com")
                .body(Map.of("prompt", "conflict"))
                .invoke(with(faulty("transactWriteItems", conflict)));
        assertError(r, 503, "SERVICE_BUSY");
        assertEquals("1", r.headers().get("Retry-After"));
        var throttled = ProvisionedThroughputExceededException.builder()
                .message("slow down")
                .statusCode(400)
                .awsErrorDetails(AwsErrorDetails.builder()
                        .errorCode("ProvisionedThroughputExceededException")
                        .build())
                .build();
        assertError(
                Events.call("user-credits").as(user, "u@example.com").invoke(with(faulty("getItem", throttled))),
                503,
                "SERVICE_BUSY");
        assertEquals(3, balance(user), "no credit moved");
        assertBooksBalance(user);
        assertEquals(0, objects(user));
        assertEquals(201, generate(user, "after the fault").status(), "the retry works");
        assertEquals(2, balance(user));
        assertBooksBalance(user);
    }

    @Test
    void generatedAndFailedImagesAreEmfMetrics() {
        String user = newUser(2);
        String out = Emf.stdout(() -> {
            assertEquals(201, generate(user, "counted").status());
            next = new MockResponse().setResponseCode(500);
            assertEquals(502, generate(user, "counted failure").status());
        });
        var generated = Emf.emf(out, "ImagesGenerated");
        var failed = Emf.emf(out, "ImagesFailed");
        assertEquals(1, generated.size(), out);
        assertEquals(1, failed.size(), out);
        assertEquals(
                "Suite",
                generated.get(0).at("/_aws/CloudWatchMetrics/0/Namespace").asText());
        assertEquals(
                "Count",
                generated.get(0).at("/_aws/CloudWatchMetrics/0/Metrics/0/Unit").asText());
        assertEquals(1, generated.get(0).get("ImagesGenerated").asInt());
    }

    @Test
    void promptIsValidatedBeforeAnyCharge() {
        String user = newUser(2);
        int before = clipdrop.getRequestCount();
        assertEquals(
                "prompt",
                assertError(generate(user, "   "), 400, "VALIDATION_FAILED")
                        .get("field")
                        .asText());
        assertError(generate(user, "x".repeat(1001)), 400, "VALIDATION_FAILED");
        assertEquals(201, generate(user, "y".repeat(1000)).status());
        assertError(
                Events.call("image-generate")
                        .as(user, "u@example.com")
                        .body(Map.of())
                        .invoke(handler),
                400,
                "VALIDATION_FAILED");
        assertEquals(before + 1, clipdrop.getRequestCount());
        assertEquals(1, balance(user));
    }

    @Test
    void aShortBalanceIs402AndNothingIsWritten() {
        String user = newUser(0);
        assertError(generate(user, "cat"), 402, "INSUFFICIENT_CREDITS");
        assertEquals(0, balance(user));
        assertEquals(0, objects(user));
        assertEquals(0, images.page(user, 10, null).items().size());
        // no profile and no email claim to create one from: a clear 404, nothing charged
        assertError(
                Events.call("image-generate")
                        .as(UUID.randomUUID().toString(), null, "User")
                        .body(Map.of("prompt", "cat"))
                        .invoke(handler),
                404,
                "PROFILE_NOT_FOUND");
        // a confirmed user whose PostConfirmation failed gets the profile (starting credits) and the image
        String healed = UUID.randomUUID().toString();
        assertEquals(201, generate(healed, "cat").status());
        assertEquals(4, balance(healed));
    }

    @Test
    void twentyConcurrentGenerationsOnThreeCreditsSucceedExactlyThreeTimes() throws Exception {
        String user = newUser(3);
        ExecutorService pool = Executors.newFixedThreadPool(20);
        List<Future<Response>> calls = new ArrayList<>();
        for (int i = 0; i < 20; i++) {
            int n = i;
            calls.add(pool.submit((Callable<Response>) () -> generate(user, "concurrent " + n)));
        }
        int created = 0;
        int refused = 0;
        for (Future<Response> f : calls) {
            Response r = f.get(60, TimeUnit.SECONDS);
            if (r.status() == 201) {
                created++;
            } else {
                assertError(r, 402, "INSUFFICIENT_CREDITS");
                refused++;
            }
        }
        pool.shutdown();
        assertEquals(3, created);
        assertEquals(17, refused);
        assertEquals(0, balance(user));
        assertBooksBalance(user);
        assertEquals(3, objects(user));
    }

    record Failure(MockResponse response, int status, String code) {}

    @Test
    void everyProviderFailureRefundsOnceAndLeavesNoObject() {
        List<Failure> failures = List.of(
                new Failure(new MockResponse().setResponseCode(500), 502, "PROVIDER_ERROR"),
                new Failure(new MockResponse().setResponseCode(402), 503, "PROVIDER_OUT_OF_CREDITS"),
                new Failure(
                        new MockResponse().setResponseCode(429).setHeader("Retry-After", "7"),
                        429,
                        "PROVIDER_RATE_LIMITED"),
                new Failure(new MockResponse().setResponseCode(400), 422, "PROMPT_REJECTED"),
                new Failure(new MockResponse().setResponseCode(401), 502, "PROVIDER_AUTH_FAILED"),
                new Failure(new MockResponse().setResponseCode(403), 502, "PROVIDER_AUTH_FAILED"),
                new Failure(png().setHeadersDelay(5, TimeUnit.SECONDS), 504, "PROVIDER_TIMEOUT"));
        for (Failure f : failures) {
            String user = newUser(2);
            next = f.response();
            Response r = generate(user, "fails with " + f.code());
            JsonNode error = assertError(r, f.status(), f.code());
            assertTrue(error.get("message").asText().contains("refunded"), error::toString);
            if (f.status() == 429) {
                assertEquals("7", r.headers().get("Retry-After"));
            }
            assertEquals(2, balance(user), f.code() + ": the credit is back");
            assertBooksBalance(user);
            assertEquals(0, objects(user), f.code() + ": no object left");
            var page = images.page(user, 10, null).items();
            assertEquals(1, page.size());
            assertEquals(ImageRecord.FAILED, page.get(0).status());
            var ledger = credits.latest(emu.dynamo(), user, 10);
            assertEquals(3, ledger.size(), "signup, charge, one refund");
            assertEquals(
                    1, ledger.stream().filter(e -> e.reason().equals("refund")).count());
        }
    }

    @Test
    void aFailingBucketRefundsToo() {
        String user = newUser(1);
        ImageHandler broken = new ImageHandler(
                config.with(Map.of("AWS_ENDPOINT_URL_S3", "http://127.0.0.1:1", "AWS_API_CALL_TIMEOUT_MS", "2000")));
        Response r = Events.call("image-generate")
                .as(user, "u@example.com")
                .body(Map.of("prompt", "no bucket"))
                .invoke(broken);
        assertError(r, 503, "STORAGE_UNAVAILABLE");
        assertEquals(1, balance(user));
        assertBooksBalance(user);
    }

    @Test
    void listPagesNewestFirstAndOnlyOwnImages() {
        String user = newUser(5);
        List<String> ids = new ArrayList<>();
        for (int i = 0; i < 3; i++) {
            ids.add(generate(user, "picture " + i).text("imageId"));
        }
        Response first = Events.call("image-list")
                .as(user, "u@example.com")
                .query("limit", "2")
                .invoke(handler);
        assertEquals(200, first.status(), first::toString);
        JsonNode items = first.json().get("items");
        assertEquals(2, items.size());
        assertEquals(ids.get(2), items.get(0).get("imageId").asText(), "newest first");
        assertNotNull(items.get(0).get("imageUrl").asText());
        String cursor = first.text("nextCursor");
        Response second = Events.call("image-list")
                .as(user, "u@example.com")
                .query("limit", "2")
                .query("cursor", cursor)
                .invoke(handler);
        assertEquals(1, second.json().get("items").size());
        assertEquals(
                ids.get(0), second.json().get("items").get(0).get("imageId").asText());
        assertTrue(second.json().get("nextCursor").isNull());

        String other = newUser(1);
        Response theirs = Events.call("image-list").as(other, "o@example.com").invoke(handler);
        assertEquals(0, theirs.json().get("items").size());
        assertError(
                Events.call("image-list")
                        .as(other, "o@example.com")
                        .query("cursor", cursor)
                        .invoke(handler),
                400,
                "INVALID_CURSOR");
        assertError(
                Events.call("image-list")
                        .as(user, "u@example.com")
                        .query("limit", "51")
                        .invoke(handler),
                400,
                "VALIDATION_FAILED");
        assertError(
                Events.call("image-list")
                        .as(user, "u@example.com")
                        .query("limit", "0")
                        .invoke(handler),
                400,
                "VALIDATION_FAILED");
    }

    @Test
    void anotherUsersImageIsInvisibleAndDeleteRemovesObjectAndRowWithoutRefund() {
        String owner = newUser(2);
        String imageId = generate(owner, "mine").text("imageId");
        String other = newUser(1);
        assertError(
                Events.call("image-get")
                        .as(other, "o@example.com")
                        .pathParam("imageId", imageId)
                        .invoke(handler),
                404,
                "NOT_FOUND");
        assertError(
                Events.call("image-delete")
                        .as(other, "o@example.com")
                        .pathParam("imageId", imageId)
                        .invoke(handler),
                404,
                "NOT_FOUND");
        Response mine = Events.call("image-get")
                .as(owner, "u@example.com")
                .pathParam("imageId", imageId)
                .invoke(handler);
        assertEquals(200, mine.status());
        assertEquals("mine", mine.text("prompt"));
        assertError(
                Events.call("image-get")
                        .as(owner, "u@example.com")
                        .pathParam("imageId", "../../etc/passwd")
                        .invoke(handler),
                400,
                "VALIDATION_FAILED");

        Response deleted = Events.call("image-delete")
                .as(owner, "u@example.com")
                .pathParam("imageId", imageId)
                .invoke(handler);
        assertEquals(204, deleted.status(), deleted::toString);
        assertNull(deleted.body());
        assertEquals(0, objects(owner));
        assertFalse(images.get(imageId).isPresent());
        assertEquals(1, balance(owner), "no refund on delete");
        assertError(
                Events.call("image-get")
                        .as(owner, "u@example.com")
                        .pathParam("imageId", imageId)
                        .invoke(handler),
                404,
                "NOT_FOUND");
    }

    @Test
    void creditsShowBalanceAndLatestLedgerEntries() {
        String user = newUser(3);
        generate(user, "one");
        Response r = Events.call("user-credits").as(user, "u@example.com").invoke(handler);
        assertEquals(200, r.status(), r::toString);
        assertEquals(2, r.json().get("credits").asInt());
        JsonNode ledger = r.json().get("ledger");
        assertEquals(2, ledger.size());
        assertEquals(-1, ledger.get(0).get("delta").asInt(), "newest first");
        assertEquals("generation", ledger.get(0).get("reason").asText());
        Set<String> fields = new HashSet<>();
        ledger.get(0).fieldNames().forEachRemaining(fields::add);
        assertTrue(fields.containsAll(Set.of("entryId", "delta", "reason", "createdAt")));
        assertError(
                Events.call("user-credits")
                        .as(UUID.randomUUID().toString(), null)
                        .invoke(handler),
                404,
                "PROFILE_NOT_FOUND");
        // a confirmed user whose PostConfirmation failed: the profile is created with the starting credits, once
        String healed = UUID.randomUUID().toString();
        Response first =
                Events.call("user-credits").as(healed, "healed@example.com").invoke(handler);
        assertEquals(200, first.status(), first::toString);
        assertEquals(5, first.json().get("credits").asInt());
        assertEquals(1, first.json().get("ledger").size());
        assertEquals(
                1,
                Events.call("user-credits")
                        .as(healed, "healed@example.com")
                        .invoke(handler)
                        .json()
                        .get("ledger")
                        .size());
        assertError(Events.call("user-credits").anonymous().invoke(handler), 401, "UNAUTHORIZED");
    }
}
