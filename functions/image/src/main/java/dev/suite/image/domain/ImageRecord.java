package dev.suite.image.domain;

/** A row of the Images table. */
public record ImageRecord(
        String imageId,
        String userId,
        String prompt,
        String status,
        String s3Key,
        String createdAt,
        String failureReason) {
    public static final String PENDING = "PENDING";
    public static final String SUCCEEDED = "SUCCEEDED";
    public static final String FAILED = "FAILED";
}
