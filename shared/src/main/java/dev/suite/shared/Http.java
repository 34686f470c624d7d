package dev.suite.shared;

import java.io.IOException;
import java.io.InterruptedIOException;
import java.net.http.HttpClient;
import java.net.http.HttpHeaders;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * The one HTTP client for outside providers (ClipDrop, VNPAY querydr, Stripe): the JDK's {@code java.net.http} client,
 * with its timeouts from configuration under the provider's prefix ({@code <PREFIX>_CONNECT_TIMEOUT_MS}; {@code
 * _READ_TIMEOUT_MS}, the wait for the answer's headers; {@code _CALL_TIMEOUT_MS}, the whole call) and no retry of a
 * POST that may have reached the provider. A timeout is an {@link InterruptedIOException}, any other failure an
 * {@link IOException}. (okhttp did this before, with okio and the Kotlin standard library: 2.6 MB in each jar.)
 * The JDK client is built on the first call.
 */
public final class Http {
    private final Lazy<HttpClient> client;
    private final Duration read;
    private final Duration call;

    /** An answer, read whole. */
    public record Response(int status, HttpHeaders headers, byte[] body) {
        public Optional<String> header(String name) {
            return headers.firstValue(name);
        }

        public String text() {
            return new String(body, StandardCharsets.UTF_8);
        }

        public boolean successful() {
            return status >= 200 && status < 300;
        }
    }

    private Http(Duration connect, Duration read, Duration call) {
        this.client = Lazy.of(() -> HttpClient.newBuilder()
                .connectTimeout(connect)
                .version(HttpClient.Version.HTTP_1_1)
                .followRedirects(HttpClient.Redirect.NORMAL)
                .build());
        this.read = read;
        this.call = call;
    }

    public static Http client(Config config, String prefix, int connectMs, int readMs, int callMs) {
        return new Http(
                Duration.ofMillis(config.getInt(prefix + "_CONNECT_TIMEOUT_MS", connectMs)),
                Duration.ofMillis(config.getInt(prefix + "_READ_TIMEOUT_MS", readMs)),
                Duration.ofMillis(config.getInt(prefix + "_CALL_TIMEOUT_MS", callMs)));
    }

    public Response send(HttpRequest.Builder request) throws IOException {
        CompletableFuture<HttpResponse<byte[]>> pending =
                client.get().sendAsync(request.timeout(read).build(), HttpResponse.BodyHandlers.ofByteArray());
        try {
            HttpResponse<byte[]> r = pending.get(call.toMillis(), TimeUnit.MILLISECONDS);
            return new Response(r.statusCode(), r.headers(), r.body());
        } catch (TimeoutException e) {
            pending.cancel(true);
            throw new InterruptedIOException("no answer within " + call.toMillis() + " ms");
        } catch (InterruptedException e) {
            pending.cancel(true);
            Thread.currentThread().interrupt();
            throw new InterruptedIOException("interrupted");
        } catch (ExecutionException e) {
            Throwable cause = e.getCause();
            if (cause instanceof HttpTimeoutException) {
                throw new InterruptedIOException(cause.getMessage());
            }
            if (cause instanceof IOException io) {
                throw io;
            }
            throw new IOException(cause);
        }
    }
}
