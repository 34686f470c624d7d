package dev.suite.coaching.domain;

import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.util.List;

/**
 * A client is at risk when they logged no entry for {@code idleDays} days (counted from their last entry, or from the
 * later of their quit date and their assignment when they never logged), or logged a slip in the last 24 hours.
 */
public final class RiskRules {
    public static final int DEFAULT_IDLE_DAYS = 2;

    public record Risk(boolean atRisk, String reason) {}

    private RiskRules() {}

    public static Risk assess(
            QuitProfile profile, List<Entry> entries, LocalDate assignedOn, Instant now, int idleDays) {
        for (Entry e : entries) {
            if (e.slip()
                    && e.savedAt() != null
                    && Duration.between(Instant.parse(e.savedAt()), now).compareTo(Duration.ofHours(24)) <= 0) {
                return new Risk(true, "slip");
            }
        }
        if (profile == null) {
            return new Risk(false, null);
        }
        LocalDate today = Progress.localDate(now, profile.timezone());
        LocalDate last =
                entries.stream().map(Entry::date).max(LocalDate::compareTo).orElse(null);
        LocalDate since = last != null ? last : later(profile.quitDate(), assignedOn);
        if (!since.isAfter(today.minusDays(idleDays))) {
            return new Risk(true, "no-entry");
        }
        return new Risk(false, null);
    }

    private static LocalDate later(LocalDate a, LocalDate b) {
        return b == null || a.isAfter(b) ? a : b;
    }
}
