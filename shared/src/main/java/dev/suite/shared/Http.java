package dev.suite.shared;

import java.time.Duration;
import okhttp3.OkHttpClient;

/**
 * The one HTTP client library for outside providers (ClipDrop, VNPAY querydr): okhttp, with its timeouts from
 * configuration under the provider's prefix ({@code <PREFIX>_CONNECT_TIMEOUT_MS}, {@code _READ_TIMEOUT_MS},
 * {@code _CALL_TIMEOUT_MS}) and no silent retry of a call that may have reached the provider.
 */
public final class Http {
    private Http() {
    }

    public static OkHttpClient client(Config config, String prefix, int connectMs, int readMs, int callMs) {
        return new OkHttpClient.Builder()
                .connectTimeout(Duration.ofMillis(config.getInt(prefix + "_CONNECT_TIMEOUT_MS", connectMs)))
                .readTimeout(Duration.ofMillis(config.getInt(prefix + "_READ_TIMEOUT_MS", readMs)))
                .callTimeout(Duration.ofMillis(config.getInt(prefix + "_CALL_TIMEOUT_MS", callMs)))
                .retryOnConnectionFailure(false)
                .build();
    }
}
