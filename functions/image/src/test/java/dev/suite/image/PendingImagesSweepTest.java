package dev.suite.image;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.suite.emulators.Emulators;
import dev.suite.image.api.PendingImagesSweepHandler;
import dev.suite.image.domain.ImageRecord;
import dev.suite.image.store.Images;
import dev.suite.shared.Config;
import dev.suite.shared.Ids;
import dev.suite.shared.Json;
import dev.suite.shared.SyntheticContext;
import dev.suite.shared.Times;
import dev.suite.shared.data.Credits;
import dev.suite.shared.data.Users;
import dev.suite.testkit.Events;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

class PendingImagesSweepTest {
    static Emulators emu;
    static Config config;
    static Users users;
    static Images images;
    static Credits credits;

    @BeforeAll
    static void start() {
        emu = Emulators.shared();
        config = emu.functionConfig("PendingImagesSweepFunction");
        users = Users.from(emu.dynamo(), config);
        images = Images.from(emu.dynamo(), config);
        credits = Credits.from(config);
    }

    /** A generation charged at {@code at} whose function then crashed: PENDING, credit taken. */
    static String stuck(String userId, Instant at) {
        String id = Ids.at(at);
        images.charge(
                new ImageRecord(
                        id,
                        userId,
                        "crashed",
                        ImageRecord.PENDING,
                        "images/" + userId + "/" + id + ".png",
                        Times.iso(at),
                        null),
                at);
        return id;
    }

    @Test
    @SuppressWarnings("unchecked")
    void refundsStuckGenerationsOnceEvenWhenRunTwiceAndAtOnce() throws Exception {
        String user = UUID.randomUUID().toString();
        users.create(user, "s@example.com", "S", "User", 3, Instant.now());
        String old = stuck(user, Instant.now().minus(Duration.ofMinutes(10)));
        String old2 = stuck(user, Instant.now().minus(Duration.ofMinutes(7)));
        String fresh = stuck(user, Instant.now());
        assertEquals(0, users.get(user).orElseThrow().credits());

        PendingImagesSweepHandler handler = new PendingImagesSweepHandler(config);
        var event = Json.EVENTS.convertValue(Events.json("schedule-pending-images-sweep"), Map.class);
        var a = CompletableFuture.supplyAsync(() -> handler.handleRequest(event, new SyntheticContext()));
        var b = CompletableFuture.supplyAsync(() -> handler.handleRequest(event, new SyntheticContext()));
        int refunded = (int) a.get().get("refunded") + (int) b.get().get("refunded");
        assertEquals(2, refunded, "two stuck images, refunded once each across both runs");
        assertEquals(
                0, handler.handleRequest(event, new SyntheticContext()).get("refunded"), "a third run finds nothing");

        assertEquals(2, users.get(user).orElseThrow().credits());
        assertEquals(2, credits.ledgerSum(emu.dynamo(), user));
        assertEquals(ImageRecord.FAILED, images.get(old).orElseThrow().status());
        assertEquals(ImageRecord.FAILED, images.get(old2).orElseThrow().status());
        assertEquals(ImageRecord.PENDING, images.get(fresh).orElseThrow().status(), "a young generation is left alone");
        assertEquals("STUCK_PENDING", images.get(old).orElseThrow().failureReason());

        // A late success after the sweep refunded cannot flip the row back, so the books stay right.
        assertEquals(false, images.markSucceeded(old, Instant.now()));
        PendingImagesSweepHandler later = new PendingImagesSweepHandler(
                images, Duration.ofMinutes(5), Clock.offset(Clock.systemUTC(), Duration.ofMinutes(10)));
        assertEquals(1, later.sweep().get("refunded"));
        assertEquals(3, users.get(user).orElseThrow().credits());
        assertEquals(3, credits.ledgerSum(emu.dynamo(), user));
    }
}
