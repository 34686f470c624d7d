package dev.suite.bench;

import com.amazonaws.services.lambda.runtime.events.APIGatewayProxyRequestEvent;
import com.amazonaws.services.lambda.runtime.events.APIGatewayProxyResponseEvent;
import dev.suite.shared.Config;
import dev.suite.shared.SyntheticContext;
import dev.suite.shared.http.ApiResponse;
import dev.suite.shared.http.Body;
import dev.suite.shared.http.Check;
import dev.suite.shared.http.Dispatcher;
import dev.suite.shared.http.Router;
import dev.suite.shared.http.Validated;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.apache.logging.log4j.Level;
import org.apache.logging.log4j.core.config.Configurator;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;

/** Warm per-request overhead of the shared request path, without I/O: routing, claims, JSON, validation, writing. */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
public class HandlerOverheadBenchmark {
    record Generate(String prompt) implements Validated<Generate> {
        @Override
        public Generate validated() {
            return new Generate(Check.multiline("prompt", prompt, 1, 1000));
        }
    }

    Dispatcher gateway;
    APIGatewayProxyRequestEvent post;
    APIGatewayProxyRequestEvent get;
    APIGatewayProxyRequestEvent invalid;
    SyntheticContext context = new SyntheticContext("bench");

    @Setup
    public void setup() {
        Configurator.setRootLevel(Level.WARN);
        Router router = new Router()
                .add(
                        "POST",
                        "/image/generate-image",
                        r -> ApiResponse.created(Map.of(
                                "imageId",
                                "01JB8Z4X5Y6Z7A8B9C0D1E2F3G",
                                "imageUrl",
                                "https://example.invalid/x.png",
                                "creditsLeft",
                                4,
                                "prompt",
                                Body.parse(r, Generate.class).prompt(),
                                "userId",
                                r.caller().userId())))
                .add(
                        "GET",
                        "/user/credits",
                        r -> ApiResponse.ok(
                                Map.of("credits", 5, "userId", r.caller().userId())));
        for (int i = 0; i < 20; i++) {
            router.add("GET", "/other/" + i, r -> ApiResponse.noContent());
        }
        gateway = new Dispatcher(new Config(Map.of("CORS_ALLOW_ORIGINS", "http://localhost:5173")), router);
        post = Dispatcher.synthetic(
                "POST", "/image/generate-image", null, "{\"prompt\":\"a lighthouse at dawn, watercolor\"}");
        get = Dispatcher.synthetic("GET", "/user/credits", null, null);
        invalid = Dispatcher.synthetic("POST", "/image/generate-image", null, "{\"prompt\":\"\",\"extra\":1}");
    }

    @Benchmark
    public APIGatewayProxyResponseEvent postWithJsonBody() {
        return gateway.handle(post, context);
    }

    @Benchmark
    public APIGatewayProxyResponseEvent getWithoutBody() {
        return gateway.handle(get, context);
    }

    @Benchmark
    public APIGatewayProxyResponseEvent invalidBodyToErrorContract() {
        return gateway.handle(invalid, context);
    }
}
