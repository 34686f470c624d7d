package dev.suite.gym.domain;

/** A gym: how many members it holds at once, its time zone, and how many are inside now. */
public record Gym(
        String gymId,
        String name,
        int capacity,
        String timezone,
        String address,
        int occupancy,
        String createdAt,
        String updatedAt) {}
