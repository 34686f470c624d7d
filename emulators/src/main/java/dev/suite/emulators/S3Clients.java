package dev.suite.emulators;

import dev.suite.shared.Clients;
import dev.suite.shared.Config;
import software.amazon.awssdk.core.checksums.RequestChecksumCalculation;
import software.amazon.awssdk.core.checksums.ResponseChecksumValidation;
import software.amazon.awssdk.services.s3.S3Client;

/**
 * The emulators' own S3 client (creating the bucket, tests looking at objects), built like every other client ({@link
 * Clients}). Checksums only when required (S3Proxy rejects the SDK's trailing checksums); path-style when
 * S3_FORCE_PATH_STYLE is true. The functions call S3 through shared's {@code S3}, without the S3 SDK module.
 */
final class S3Clients {
    private S3Clients() {
    }

    static S3Client client(Config config) {
        return Clients.build(S3Client.builder()
                .forcePathStyle(pathStyle(config))
                .requestChecksumCalculation(RequestChecksumCalculation.WHEN_REQUIRED)
                .responseChecksumValidation(ResponseChecksumValidation.WHEN_REQUIRED), "S3", config);
    }

    private static boolean pathStyle(Config config) {
        return Boolean.parseBoolean(config.get("S3_FORCE_PATH_STYLE", "false"));
    }
}
