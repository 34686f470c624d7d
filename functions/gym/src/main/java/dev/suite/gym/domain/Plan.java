package dev.suite.gym.domain;

/**
 * A membership plan: {@code days} of membership for {@code amount} minor units of {@code currency}. The price never
 * changes.
 */
public record Plan(
        String planId,
        String name,
        int days,
        long amount,
        String currency,
        boolean active,
        String createdAt,
        String updatedAt) {}
