package dev.suite.shared;

import java.time.Duration;
import software.amazon.awssdk.core.checksums.RequestChecksumCalculation;
import software.amazon.awssdk.core.checksums.ResponseChecksumValidation;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.S3Configuration;
import software.amazon.awssdk.services.s3.presigner.S3Presigner;

/**
 * S3 client and presigner, built like every other client ({@link Clients}). Checksums only when required
 * (S3Proxy rejects the SDK's trailing checksums); path-style when S3_FORCE_PATH_STYLE is true (emulators).
 */
public final class S3Clients {
    private S3Clients() {
    }

    public static S3Client client(Config config) {
        return Clients.build(S3Client.builder()
                .forcePathStyle(pathStyle(config))
                .requestChecksumCalculation(RequestChecksumCalculation.WHEN_REQUIRED)
                .responseChecksumValidation(ResponseChecksumValidation.WHEN_REQUIRED), "S3", config);
    }

    public static S3Presigner presigner(Config config) {
        S3Presigner.Builder b = S3Presigner.builder()
                .region(Clients.region(config))
                .credentialsProvider(Clients.credentials(config))
                .serviceConfiguration(S3Configuration.builder().pathStyleAccessEnabled(pathStyle(config)).build());
        Clients.endpoint(config, "S3").ifPresent(b::endpointOverride);
        return b.build();
    }

    public static Duration presignTtl(Config config) {
        return Duration.ofMinutes(config.getInt("PRESIGN_TTL_MINUTES", 15));
    }

    private static boolean pathStyle(Config config) {
        return Boolean.parseBoolean(config.get("S3_FORCE_PATH_STYLE", "false"));
    }
}
