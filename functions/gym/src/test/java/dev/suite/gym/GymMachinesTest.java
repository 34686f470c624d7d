package dev.suite.gym;

import static dev.suite.gym.GymHandlerTest.call;
import static dev.suite.gym.GymHandlerTest.gym;
import static dev.suite.gym.GymHandlerTest.run;
import static dev.suite.gym.GymHandlerTest.who;
import static dev.suite.testkit.Assertions.assertError;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.suite.gym.GymHandlerTest.Who;
import dev.suite.testkit.Events.Response;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Machines and their pictures through presigned S3 URLs against S3Proxy. */
class GymMachinesTest {
    static final HttpClient HTTP = HttpClient.newHttpClient();

    @Test
    void adminsManageMachinesAndTheirPicturesMembersSeeThem() throws Exception {
        Who admin = who("Admin");
        String gymId = gym(20);
        Response created = run(call("gym-create-machine", admin).pathParam("gymId", gymId));
        assertEquals(201, created.status(), created::toString);
        String machineId = created.text("machineId");
        assertTrue(created.json().get("imageUrl").isNull());
        byte[] jpeg = new byte[2048];
        jpeg[0] = (byte) 0xFF;
        jpeg[1] = (byte) 0xD8;
        Response upload = run(call("gym-machine-image", admin)
                .pathParam("machineId", machineId)
                .body(Map.of("contentType", "image/jpeg", "size", jpeg.length)));
        assertEquals(201, upload.status(), upload::toString);
        String key = upload.text("imageKey");
        assertTrue(key.startsWith("machines/" + machineId + "/") && key.endsWith(".jpg"), key);
        HttpResponse<String> put = HTTP.send(
                HttpRequest.newBuilder(URI.create(upload.text("uploadUrl")))
                        .header("Content-Type", "image/jpeg")
                        .PUT(HttpRequest.BodyPublishers.ofByteArray(jpeg))
                        .build(),
                HttpResponse.BodyHandlers.ofString());
        assertEquals(200, put.statusCode(), put.body());
        JsonNode listed = run(call("gym-list-machines", who("User")).pathParam("gymId", gymId))
                .json()
                .get("items");
        assertEquals(1, listed.size());
        HttpResponse<byte[]> got = HTTP.send(
                HttpRequest.newBuilder(URI.create(listed.get(0).get("imageUrl").asText()))
                        .build(),
                HttpResponse.BodyHandlers.ofByteArray());
        assertEquals(200, got.statusCode());
        assertArrayEquals(jpeg, got.body());

        Response patched = run(call("gym-update-machine", admin).pathParam("machineId", machineId));
        assertEquals(200, patched.status(), patched::toString);
        assertEquals("Concept2 Model D, second floor", patched.text("description"));
        assertEquals("Rowing machine", patched.text("name"));
        Response second = run(call("gym-machine-image", admin)
                .pathParam("machineId", machineId)
                .body(Map.of("contentType", "image/webp", "size", 10)));
        assertNotEquals(key, second.text("imageKey"), "a new picture gets a new key");

        assertError(
                run(call("gym-machine-image", admin)
                        .pathParam("machineId", machineId)
                        .body(Map.of("contentType", "image/gif", "size", 10))),
                415,
                "UNSUPPORTED_IMAGE_TYPE");
        assertError(
                run(call("gym-machine-image", admin)
                        .pathParam("machineId", machineId)
                        .body(Map.of("contentType", "image/png", "size", 5 * 1024 * 1024 + 1))),
                413,
                "IMAGE_TOO_LARGE");
        assertError(
                run(call("gym-machine-image", admin)
                        .pathParam("machineId", machineId)
                        .body(Map.of("contentType", "image/png", "size", 0))),
                413,
                "IMAGE_TOO_LARGE");
        assertError(run(call("gym-machine-image", admin).pathParam("machineId", "nope")), 404, "NOT_FOUND");
        assertError(run(call("gym-create-machine", admin).pathParam("gymId", "nope")), 404, "NOT_FOUND");
        assertError(run(call("gym-list-machines", who("User")).pathParam("gymId", "nope")), 404, "NOT_FOUND");
        assertError(
                run(call("gym-create-machine", admin).pathParam("gymId", gymId).body(Map.of("name", ""))),
                400,
                "VALIDATION_FAILED");
        assertError(
                run(call("gym-update-machine", admin)
                        .pathParam("machineId", machineId)
                        .body(Map.of())),
                400,
                "VALIDATION_FAILED");
        for (String group : List.of("User", "Staff", "Coach")) {
            assertError(run(call("gym-create-machine", who(group)).pathParam("gymId", gymId)), 403, "FORBIDDEN");
            assertError(
                    run(call("gym-update-machine", who(group)).pathParam("machineId", machineId)), 403, "FORBIDDEN");
            assertError(
                    run(call("gym-delete-machine", who(group)).pathParam("machineId", machineId)), 403, "FORBIDDEN");
            assertError(run(call("gym-machine-image", who(group)).pathParam("machineId", machineId)), 403, "FORBIDDEN");
        }
        for (String event : List.of(
                "gym-create-machine",
                "gym-update-machine",
                "gym-delete-machine",
                "gym-machine-image",
                "gym-list-machines")) {
            assertError(run(call(event, null)), 401, "UNAUTHORIZED");
        }
        assertEquals(
                204,
                run(call("gym-delete-machine", admin).pathParam("machineId", machineId))
                        .status());
        assertError(run(call("gym-delete-machine", admin).pathParam("machineId", machineId)), 404, "NOT_FOUND");
        assertEquals(
                0,
                run(call("gym-list-machines", who("User")).pathParam("gymId", gymId))
                        .json()
                        .get("items")
                        .size());
        HttpResponse<byte[]> gone = HTTP.send(
                HttpRequest.newBuilder(URI.create(listed.get(0).get("imageUrl").asText()))
                        .build(),
                HttpResponse.BodyHandlers.ofByteArray());
        assertNotEquals(200, gone.statusCode(), "the first picture was deleted when replaced");
        assertNotNull(upload.text("expiresAt"));
    }
}
