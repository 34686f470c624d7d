package dev.suite.shared.push;

import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.Flow;
import org.reactivestreams.FlowAdapters;
import software.amazon.awssdk.http.SdkHttpFullResponse;
import software.amazon.awssdk.http.SdkHttpRequest;
import software.amazon.awssdk.http.async.AsyncExecuteRequest;
import software.amazon.awssdk.http.async.SdkAsyncHttpClient;

/**
 * The SDK's async HTTP client interface over the JDK's own {@link HttpClient}: async SDK clients (the WebSocket
 * management API) without Netty or the CRT in the function jar. HTTP/1.1, pooled keep-alive connections.
 */
public final class JdkAsyncHttpClient implements SdkAsyncHttpClient {
    private static final Set<String> RESTRICTED = Set.of("host", "content-length", "connection", "expect", "upgrade");
    private final HttpClient http;
    private final Duration timeout;

    public JdkAsyncHttpClient(Duration connectTimeout, Duration requestTimeout) {
        this.http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).connectTimeout(connectTimeout).build();
        this.timeout = requestTimeout;
    }

    @Override
    public CompletableFuture<Void> execute(AsyncExecuteRequest request) {
        SdkHttpRequest r = request.request();
        HttpRequest.Builder b = HttpRequest.newBuilder(r.getUri()).timeout(timeout);
        r.forEachHeader((name, values) -> {
            if (!RESTRICTED.contains(name.toLowerCase(Locale.ROOT))) {
                values.forEach(v -> b.header(name, v));
            }
        });
        var content = request.requestContentPublisher();
        long length = content == null ? 0 : content.contentLength().orElse(-1L);
        HttpRequest.BodyPublisher body = content == null || length == 0 ? HttpRequest.BodyPublishers.noBody()
                : length > 0 ? HttpRequest.BodyPublishers.fromPublisher(FlowAdapters.toFlowPublisher(content), length)
                : HttpRequest.BodyPublishers.fromPublisher(FlowAdapters.toFlowPublisher(content));
        b.method(r.method().name(), body);
        CompletableFuture<Void> done = new CompletableFuture<>();
        http.sendAsync(b.build(), HttpResponse.BodyHandlers.ofPublisher()).whenComplete((response, error) -> {
            if (error != null) {
                Throwable cause = error instanceof CompletionException && error.getCause() != null ? error.getCause() : error;
                request.responseHandler().onError(cause);
                done.completeExceptionally(cause);
                return;
            }
            SdkHttpFullResponse.Builder headers = SdkHttpFullResponse.builder().statusCode(response.statusCode());
            response.headers().map().forEach(headers::putHeader);
            request.responseHandler().onHeaders(headers.build());
            Flow.Publisher<List<ByteBuffer>> chunks = response.body();
            request.responseHandler().onStream(FlowAdapters.toPublisher(flatten(chunks)));
            done.complete(null);
        });
        return done;
    }

    /** The JDK publishes lists of buffers; the SDK wants single buffers. */
    private static Flow.Publisher<ByteBuffer> flatten(Flow.Publisher<List<ByteBuffer>> source) {
        return subscriber -> source.subscribe(new Flow.Subscriber<>() {
            @Override
            public void onSubscribe(Flow.Subscription s) {
                subscriber.onSubscribe(s);
            }

            @Override
            public void onNext(List<ByteBuffer> items) {
                if (items.isEmpty()) {
                    subscriber.onNext(ByteBuffer.allocate(0));
                } else if (items.size() == 1) {
                    subscriber.onNext(items.get(0));
                } else {
                    int size = items.stream().mapToInt(ByteBuffer::remaining).sum();
                    ByteBuffer joined = ByteBuffer.allocate(size);
                    items.forEach(joined::put);
                    joined.flip();
                    subscriber.onNext(joined);
                }
            }

            @Override
            public void onError(Throwable t) {
                subscriber.onError(t);
            }

            @Override
            public void onComplete() {
                subscriber.onComplete();
            }
        });
    }

    @Override
    public String clientName() {
        return "JdkHttpClient";
    }

    @Override
    public void close() {
        // the JDK client has no close in Java 17; its threads are daemons
    }

}
