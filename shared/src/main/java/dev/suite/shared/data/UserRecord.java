package dev.suite.shared.data;

/** A row of the Users table. */
public record UserRecord(
        String userId, String email, String name, String role, long credits, String createdAt, String updatedAt) {}
