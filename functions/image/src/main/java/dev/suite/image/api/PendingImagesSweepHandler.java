package dev.suite.image.api;

import com.amazonaws.services.lambda.runtime.Context;
import com.amazonaws.services.lambda.runtime.RequestHandler;
import dev.suite.image.domain.ImageRecord;
import dev.suite.image.store.Images;
import dev.suite.shared.Clients;
import dev.suite.shared.Config;
import dev.suite.shared.Log;
import dev.suite.shared.Priming;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import org.slf4j.Logger;

/**
 * Every few minutes: refunds generations still PENDING past the maximum age (a crash between the charge and the
 * refund). Each refund is the same conditional transaction the image function uses, so overlapping runs, or a
 * run racing a late success, settle each image exactly once.
 */
public final class PendingImagesSweepHandler implements RequestHandler<Map<String, Object>, Map<String, Object>> {
    private static final Logger LOG = Log.get(PendingImagesSweepHandler.class);
    private final Images images;
    private final Duration maxAge;
    private final Clock clock;

    public PendingImagesSweepHandler() {
        this(Config.fromSystem());
    }

    public PendingImagesSweepHandler(Config config) {
        this(
                Images.from(Clients.dynamo(config), config),
                Duration.ofMinutes(config.getInt("PENDING_IMAGE_MAX_AGE_MINUTES", 5)),
                Clock.systemUTC());
    }

    public PendingImagesSweepHandler(Images images, Duration maxAge, Clock clock) {
        this.images = images;
        this.maxAge = maxAge;
        this.clock = clock;
        Priming.register("PendingImagesSweepHandler", () -> images.pendingBefore(Instant.EPOCH, 1), () -> {});
    }

    @Override
    public Map<String, Object> handleRequest(Map<String, Object> event, Context context) {
        return Log.around(context, context == null ? null : context.getAwsRequestId(), this::sweep);
    }

    public Map<String, Object> sweep() {
        Instant now = Instant.now(clock);
        int refunded = 0;
        int settled = 0;
        for (ImageRecord stuck : images.pendingBefore(now.minus(maxAge), 1_000)) {
            if (images.refund(stuck.imageId(), stuck.userId(), "STUCK_PENDING", now)) {
                refunded++;
            } else {
                settled++;
            }
        }
        if (refunded > 0 || settled > 0) {
            LOG.info("pending sweep: {} refunded, {} already settled", refunded, settled);
        }
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("refunded", refunded);
        out.put("alreadySettled", settled);
        return out;
    }
}
