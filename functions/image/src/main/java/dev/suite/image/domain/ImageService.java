package dev.suite.image.domain;

import com.fasterxml.jackson.annotation.JsonInclude;
import dev.suite.image.provider.ClipDrop;
import dev.suite.image.store.Images;
import dev.suite.shared.Ids;
import dev.suite.shared.Log;
import dev.suite.shared.Metrics;
import dev.suite.shared.Presigned;
import dev.suite.shared.Times;
import dev.suite.shared.auth.Caller;
import dev.suite.shared.data.Credits;
import dev.suite.shared.data.LedgerEntry;
import dev.suite.shared.data.RateLimiter;
import dev.suite.shared.data.UserRecord;
import dev.suite.shared.data.Users;
import dev.suite.shared.http.ApiException;
import dev.suite.shared.http.Page;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;
import org.slf4j.Logger;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.presigner.S3Presigner;

/** Generation paid in credits (charge, call, store, settle or refund once) and the user's images and ledger. */
public final class ImageService {
    /** The answer to a generation: the image, its URL (presigned) and the balance after the charge. */
    public record Generated(String imageId, String imageUrl, long creditsLeft, String createdAt) {}

    /**
     * An image as clients see it; {@code imageUrl} is null until it succeeded, {@code failureReason} only when it
     * failed.
     */
    public record ImageView(
            String imageId,
            String prompt,
            String status,
            String imageUrl,
            String createdAt,
            @JsonInclude(JsonInclude.Include.NON_NULL) String failureReason) {}

    /** The balance and the latest ledger entries, newest first. */
    public record Balance(long credits, List<LedgerEntry> ledger) {}

    private static final Logger LOG = Log.get(ImageService.class);

    private final DynamoDbClient dynamo;
    private final Images images;
    private final Users users;
    private final Credits credits;
    private final ClipDrop clipDrop;
    private final Supplier<S3Client> s3;
    private final Supplier<S3Presigner> presigner;
    private final String bucket;
    private final Duration urlTtl;
    private final Clock clock;
    private final RateLimiter limiter;
    private final int perMinute;

    public ImageService(
            DynamoDbClient dynamo,
            Images images,
            Users users,
            Credits credits,
            ClipDrop clipDrop,
            Supplier<S3Client> s3,
            Supplier<S3Presigner> presigner,
            String bucket,
            Duration urlTtl,
            Clock clock,
            RateLimiter limiter,
            int perMinute) {
        this.limiter = limiter;
        this.perMinute = perMinute;
        this.dynamo = dynamo;
        this.images = images;
        this.users = users;
        this.credits = credits;
        this.clipDrop = clipDrop;
        this.s3 = s3;
        this.presigner = presigner;
        this.bucket = bucket;
        this.urlTtl = urlTtl;
        this.clock = clock;
    }

    public Generated generate(Caller caller, String prompt) {
        String userId = caller.userId();
        limiter.hit("generate#" + userId, perMinute, Duration.ofMinutes(1), "generations");
        Instant now = Instant.now(clock);
        users.ensure(caller, now);
        String imageId = Ids.at(now);
        ImageRecord image = new ImageRecord(
                imageId,
                userId,
                prompt,
                ImageRecord.PENDING,
                "images/" + userId + "/" + imageId + ".png",
                Times.iso(now),
                null);
        if (!images.charge(image, now)) {
            throw new ApiException(402, "INSUFFICIENT_CREDITS", "not enough credits; buy a package to continue");
        }
        byte[] png;
        try {
            png = clipDrop.generate(prompt);
        } catch (ApiException e) {
            refund(image, e.code());
            throw e;
        } catch (RuntimeException e) {
            refund(image, "PROVIDER_ERROR");
            throw e;
        }
        try {
            s3.get()
                    .putObject(
                            b -> b.bucket(bucket)
                                    .key(image.s3Key())
                                    .contentType("image/png")
                                    .metadata(Map.of("image-id", imageId)),
                            RequestBody.fromBytes(png));
        } catch (SdkException e) {
            LOG.warn("storing image {} failed: {}", imageId, e.getClass().getSimpleName());
            refund(image, "STORAGE_ERROR");
            throw ApiException.unavailable(
                    "STORAGE_UNAVAILABLE", "the image could not be stored; retry (your credit was refunded)", 2);
        }
        if (!images.markSucceeded(imageId, Instant.now(clock))) {
            // The sweeper already refunded this generation as stuck: keep the books as they are, drop the object.
            deleteObject(image.s3Key());
            throw new ApiException(504, "GENERATION_TIMEOUT", "the generation took too long and was refunded; retry");
        }
        Metrics.count(Metrics.IMAGES_GENERATED, 1);
        long left = users.get(userId).map(UserRecord::credits).orElse(0L);
        return new Generated(imageId, url(image.s3Key()), left, image.createdAt());
    }

    private void refund(ImageRecord image, String reason) {
        Metrics.count(Metrics.IMAGES_FAILED, 1);
        try {
            boolean refunded = images.refund(image.imageId(), image.userId(), reason, Instant.now(clock));
            LOG.info(
                    refunded ? "generation {} failed ({}): refunded" : "generation {} failed ({}): already settled",
                    image.imageId(),
                    reason);
        } catch (RuntimeException e) {
            // The row stays PENDING: the scheduled sweep refunds it. Never lose the original error.
            LOG.error(
                    "refund of generation {} failed; the sweep will refund it: {}",
                    image.imageId(),
                    e.getClass().getSimpleName());
        }
    }

    public Page<ImageView> list(String userId, int limit, String cursor) {
        return images.page(userId, limit, cursor).map(this::view);
    }

    public ImageView get(String userId, String imageId) {
        return view(owned(userId, imageId));
    }

    public void delete(String userId, String imageId) {
        ImageRecord image = owned(userId, imageId);
        if (ImageRecord.PENDING.equals(image.status())) {
            throw ApiException.conflict("IMAGE_PENDING", "this image is still being generated; retry in a moment");
        }
        if (!images.delete(imageId, userId)) {
            throw ApiException.notFound("image");
        }
        deleteObject(image.s3Key());
    }

    public Balance credits(Caller caller, int limit) {
        UserRecord user = users.ensure(caller, Instant.now(clock));
        return new Balance(user.credits(), credits.latest(dynamo, caller.userId(), limit));
    }

    private ImageRecord owned(String userId, String imageId) {
        return images.get(imageId)
                .filter(i -> i.userId().equals(userId))
                .orElseThrow(() -> ApiException.notFound("image"));
    }

    private ImageView view(ImageRecord i) {
        return new ImageView(
                i.imageId(),
                i.prompt(),
                i.status(),
                ImageRecord.SUCCEEDED.equals(i.status()) ? url(i.s3Key()) : null,
                i.createdAt(),
                i.failureReason());
    }

    /** SnapStart priming: builds the S3 client and the presigner, and presigns one URL (no call to S3). */
    public void primeStorage() {
        s3.get();
        url("images/priming/priming.png");
    }

    private String url(String key) {
        return Presigned.get(presigner.get(), bucket, key, urlTtl);
    }

    private void deleteObject(String key) {
        try {
            s3.get().deleteObject(b -> b.bucket(bucket).key(key));
        } catch (SdkException e) {
            LOG.warn(
                    "could not delete object of a removed image: {}",
                    e.getClass().getSimpleName());
        }
    }
}
