package dev.suite.image.api;

import com.amazonaws.services.lambda.runtime.Context;
import com.amazonaws.services.lambda.runtime.RequestHandler;
import com.amazonaws.services.lambda.runtime.events.APIGatewayProxyRequestEvent;
import com.amazonaws.services.lambda.runtime.events.APIGatewayProxyResponseEvent;
import dev.suite.image.domain.ImageService;
import dev.suite.image.provider.ClipDrop;
import dev.suite.image.store.Images;
import dev.suite.shared.Clients;
import dev.suite.shared.Config;
import dev.suite.shared.Lazy;
import dev.suite.shared.Secrets;
import dev.suite.shared.data.Credits;
import dev.suite.shared.data.RateLimiter;
import dev.suite.shared.data.Users;
import dev.suite.shared.http.ApiResponse;
import dev.suite.shared.http.Body;
import dev.suite.shared.http.Check;
import dev.suite.shared.http.Dispatcher;
import dev.suite.shared.http.Router;
import dev.suite.shared.http.Validated;
import java.time.Clock;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;

/** Image route group: generate, list, get, delete, and the caller's credits. */
public final class ImageHandler implements RequestHandler<APIGatewayProxyRequestEvent, APIGatewayProxyResponseEvent> {
    private final Dispatcher gateway;

    record Generate(String prompt) implements Validated<Generate> {
        @Override
        public Generate validated() {
            return new Generate(Check.multiline("prompt", prompt, 1, 1000));
        }
    }

    public ImageHandler() {
        this(Config.fromSystem());
    }

    public ImageHandler(Config config) {
        this(config, service(config, Clients.dynamo(config)));
    }

    private static ImageService service(Config config, DynamoDbClient dynamo) {
        return new ImageService(
                dynamo,
                Images.from(dynamo, config),
                Users.from(dynamo, config),
                Credits.from(config),
                ClipDrop.from(config, Secrets.supplier(config, "CLIPDROP_API_KEY")),
                Lazy.of(() -> Clients.s3(config)),
                Lazy.of(() -> Clients.presigner(config)),
                config.require("MEDIA_BUCKET"),
                Clients.presignTtl(config),
                Clock.systemUTC(),
                RateLimiter.from(dynamo, config),
                config.getInt("GENERATION_LIMIT_PER_MINUTE", 10));
    }

    public ImageHandler(Config config, ImageService images) {
        Router router = new Router()
                .add("POST", "/image/generate-image", r -> {
                    return ApiResponse.created(images.generate(
                            r.caller(), Body.parse(r, Generate.class).prompt()));
                })
                .add(
                        "GET",
                        "/images",
                        r -> ApiResponse.ok(images.list(
                                r.caller().userId(),
                                Check.intParam("limit", r.query("limit"), 1, 50, 20),
                                r.query("cursor"))))
                .add(
                        "GET",
                        "/images/{imageId}",
                        r -> ApiResponse.ok(
                                images.get(r.caller().userId(), Check.id("imageId", r.pathParam("imageId")))))
                .add("DELETE", "/images/{imageId}", r -> {
                    images.delete(r.caller().userId(), Check.id("imageId", r.pathParam("imageId")));
                    return ApiResponse.noContent();
                })
                .add(
                        "GET",
                        "/user/credits",
                        r -> ApiResponse.ok(
                                images.credits(r.caller(), Check.intParam("limit", r.query("limit"), 1, 100, 20))));
        this.gateway = new Dispatcher(config, router)
                .primeWith(
                        "ImageHandler",
                        images::primeStorage,
                        Dispatcher.synthetic("GET", "/user/credits", null, null),
                        Dispatcher.synthetic("GET", "/images", null, null),
                        Dispatcher.synthetic("POST", "/image/generate-image", null, "{\"prompt\":\"  \"}"));
    }

    @Override
    public APIGatewayProxyResponseEvent handleRequest(APIGatewayProxyRequestEvent event, Context context) {
        return gateway.handle(event, context);
    }

    public Router router() {
        return gateway.router();
    }
}
