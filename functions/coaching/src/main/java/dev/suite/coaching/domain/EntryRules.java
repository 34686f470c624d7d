package dev.suite.coaching.domain;

import dev.suite.shared.http.ApiException;
import java.time.DateTimeException;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneId;
import java.util.List;
import java.util.regex.Pattern;

/** Which local dates an entry may be saved for, and the fields of an entry and a profile. */
public final class EntryRules {
    /** What a craving or slip can be tagged with. */
    public static final List<String> TRIGGERS = List.of(
            "stress", "alcohol", "coffee", "after-meal", "social", "boredom", "work", "driving", "waking-up", "other");

    public static final int DEFAULT_MAX_DAYS_BACK = 7;
    private static final Pattern DATE = Pattern.compile("^\\d{4}-\\d{2}-\\d{2}$");

    private EntryRules() {}

    /** A calendar date written yyyy-MM-dd; 400 naming the field otherwise. */
    public static LocalDate date(String field, String raw) {
        if (raw == null || !DATE.matcher(raw).matches()) {
            throw ApiException.invalid(field, "must be a date written yyyy-MM-dd");
        }
        try {
            return LocalDate.parse(raw);
        } catch (DateTimeException e) {
            throw ApiException.invalid(field, "is not a calendar date");
        }
    }

    /** An IANA zone name (Asia/Ho_Chi_Minh, America/New_York, UTC); offsets and abbreviations are refused. */
    public static ZoneId zone(String field, String raw) {
        if (raw == null || !ZoneId.getAvailableZoneIds().contains(raw)) {
            throw ApiException.invalid(field, "must be an IANA time zone such as Asia/Ho_Chi_Minh");
        }
        return ZoneId.of(raw);
    }

    /**
     * An entry's date must be today or earlier in the user's zone, not before the quit date, and at most
     * {@code maxDaysBack} days back.
     */
    public static void checkDate(LocalDate date, QuitProfile profile, Instant now, int maxDaysBack) {
        LocalDate today = Progress.localDate(now, profile.timezone());
        if (date.isAfter(today)) {
            throw ApiException.badRequest(
                    "DATE_IN_FUTURE", date + " is after today (" + today + " in " + profile.timezone() + ")");
        }
        if (date.isBefore(profile.quitDate())) {
            throw ApiException.badRequest("BEFORE_QUIT_DATE", date + " is before the quit date " + profile.quitDate());
        }
        if (date.isBefore(today.minusDays(maxDaysBack))) {
            throw ApiException.badRequest(
                    "DATE_TOO_OLD",
                    "entries can be saved for the last " + maxDaysBack + " days only (from "
                            + today.minusDays(maxDaysBack) + ")");
        }
    }
}
