package dev.suite.gym.domain;

import dev.suite.gym.store.MachineStore;
import dev.suite.gym.store.MachineStore.Machine;
import dev.suite.shared.Ids;
import dev.suite.shared.Log;
import dev.suite.shared.Presigned;
import dev.suite.shared.auth.Caller;
import dev.suite.shared.http.ApiException;
import dev.suite.shared.http.Page;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.Supplier;
import org.slf4j.Logger;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.presigner.S3Presigner;

/**
 * Gym machines and their pictures: an Admin gets a presigned PUT for a key the server chooses
 * ({@code machines/<machineId>/<id>.<ext>}), bound to the declared type and size (JPEG, PNG or WebP, at most 5 MB);
 * members read the machine list with presigned GET URLs. The bucket stays private.
 */
public final class Machines {
    public static final long MAX_IMAGE_BYTES = 5L * 1024 * 1024;
    public static final Map<String, String> TYPES =
            Map.of("image/jpeg", "jpg", "image/png", "png", "image/webp", "webp");
    private static final Logger LOG = Log.get(Machines.class);
    private final MachineStore machines;
    private final GymService gyms;
    private final Supplier<S3Client> s3;
    private final Supplier<S3Presigner> presigner;
    private final String bucket;
    private final Duration ttl;
    private final Clock clock;

    public Machines(
            MachineStore machines,
            GymService gyms,
            Supplier<S3Client> s3,
            Supplier<S3Presigner> presigner,
            String bucket,
            Duration ttl,
            Clock clock) {
        this.machines = machines;
        this.gyms = gyms;
        this.s3 = s3;
        this.presigner = presigner;
        this.bucket = bucket;
        this.ttl = ttl;
        this.clock = clock;
    }

    /** SnapStart priming: builds the S3 client and the presigner, and presigns one URL (no call to S3). */
    public void prime() {
        s3.get();
        Presigned.get(presigner.get(), bucket, "machines/priming", ttl);
    }

    public Map<String, Object> create(Caller c, String gymId, String name, String description) {
        GymService.requireAdmin(c);
        gyms.gym(gymId);
        String now = Instant.now(clock).toString();
        Machine m = new Machine(Ids.next(), gymId, name, description, null, now, now);
        machines.create(m);
        return view(m);
    }

    public Map<String, Object> update(Caller c, String machineId, String name, String description) {
        GymService.requireAdmin(c);
        Map<String, String> fields = new LinkedHashMap<>();
        fields.put("name", name);
        fields.put("description", description);
        fields.put("updatedAt", Instant.now(clock).toString());
        return view(machines.update(machineId, fields).orElseThrow(() -> ApiException.notFound("machine")));
    }

    public void delete(Caller c, String machineId) {
        GymService.requireAdmin(c);
        Machine m = machines.delete(machineId).orElseThrow(() -> ApiException.notFound("machine"));
        if (m.imageKey() != null) {
            try {
                s3.get().deleteObject(b -> b.bucket(bucket).key(m.imageKey()));
            } catch (SdkException e) {
                LOG.warn(
                        "deleting the image of machine {} failed: {}",
                        machineId,
                        e.getClass().getSimpleName());
            }
        }
    }

    /** A presigned PUT for the machine's new picture; the row names it at once (its GET answers 404 until uploaded). */
    public Map<String, Object> imageUpload(Caller c, String machineId, String contentType, long size) {
        GymService.requireAdmin(c);
        String ext = TYPES.get(contentType);
        if (ext == null) {
            throw new ApiException(
                    415, "UNSUPPORTED_IMAGE_TYPE", "a machine image is image/jpeg, image/png or image/webp");
        }
        if (size < 1 || size > MAX_IMAGE_BYTES) {
            throw new ApiException(
                    413, "IMAGE_TOO_LARGE", "a machine image is 1 byte to 5 MB (" + MAX_IMAGE_BYTES + " bytes)");
        }
        Machine m = machines.get(machineId).orElseThrow(() -> ApiException.notFound("machine"));
        String key = "machines/" + m.machineId() + "/" + Ids.next() + "." + ext;
        String url = Presigned.put(presigner.get(), bucket, key, contentType, size, ttl);
        Map<String, String> fields = new LinkedHashMap<>();
        fields.put("imageKey", key);
        fields.put("updatedAt", Instant.now(clock).toString());
        machines.update(machineId, fields).orElseThrow(() -> ApiException.notFound("machine"));
        if (m.imageKey() != null) {
            try {
                s3.get().deleteObject(b -> b.bucket(bucket).key(m.imageKey()));
            } catch (SdkException e) {
                LOG.warn(
                        "deleting the old image of machine {} failed: {}",
                        machineId,
                        e.getClass().getSimpleName());
            }
        }
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("imageKey", key);
        out.put("uploadUrl", url);
        out.put("method", "PUT");
        out.put("headers", Map.of("Content-Type", contentType, "Content-Length", Long.toString(size)));
        out.put("expiresAt", Instant.now(clock).plus(ttl).toString());
        return out;
    }

    public Page<Map<String, Object>> ofGym(String gymId, int limit, String cursor) {
        gyms.gym(gymId);
        return machines.ofGym(gymId, limit, cursor).map(this::view);
    }

    private Map<String, Object> view(Machine m) {
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("machineId", m.machineId());
        out.put("gymId", m.gymId());
        out.put("name", m.name());
        out.put("description", m.description());
        out.put("imageUrl", m.imageKey() == null ? null : Presigned.get(presigner.get(), bucket, m.imageKey(), ttl));
        out.put("createdAt", m.createdAt());
        out.put("updatedAt", m.updatedAt());
        return out;
    }
}
