package dev.suite.coaching.domain;

import java.time.LocalDate;
import java.time.ZoneId;

/** A user's quit plan: when they quit, what they smoked and what it cost (money in minor units of the currency). */
public record QuitProfile(
        String userId,
        LocalDate quitDate,
        int cigarettesPerDay,
        long packPrice,
        int packSize,
        String currency,
        ZoneId timezone,
        String updatedAt) {}
