package dev.suite.gym.domain;

import dev.suite.shared.http.ApiException;
import java.time.DateTimeException;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneId;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * Visit counts of one gym, by day or by hour of the gym's own time zone, and its peak hours (the hours of the day with
 * the most check-ins over the range). Plain arithmetic on check-in instants: tested without emulators.
 */
public final class Attendance {
    public static final int MAX_DAYS = 92;
    private static final DateTimeFormatter HOUR = DateTimeFormatter.ofPattern("yyyy-MM-dd'T'HH");

    private Attendance() {}

    /** The requested local-date range, inclusive: default the 7 days to today; at most MAX_DAYS. */
    public record Range(LocalDate from, LocalDate to, ZoneId zone) {
        public Instant start() {
            return from.atStartOfDay(zone).toInstant();
        }

        public Instant end() {
            return to.plusDays(1).atStartOfDay(zone).toInstant();
        }

        public static Range of(String from, String to, ZoneId zone, Instant now) {
            LocalDate today = LocalDate.ofInstant(now, zone);
            LocalDate t = to == null ? today : date("to", to);
            LocalDate f = from == null ? t.minusDays(6) : date("from", from);
            if (f.isAfter(t)) {
                throw ApiException.invalid("from", "must not be after to");
            }
            if (ChronoUnit.DAYS.between(f, t) >= MAX_DAYS) {
                throw ApiException.invalid("to", "the range is at most " + MAX_DAYS + " days");
            }
            return new Range(f, t, zone);
        }
    }

    static LocalDate date(String field, String value) {
        try {
            return LocalDate.parse(value);
        } catch (DateTimeException e) {
            throw ApiException.invalid(field, "must be a date like 2026-11-23");
        }
    }

    /**
     * {@code {from, to, timezone, groupBy, total, buckets:[{key, visits}], peakHours:[{hour, visits}]}} for the
     * check-ins in range.
     */
    public static Map<String, Object> summarize(Range range, String groupBy, List<Instant> checkIns) {
        Map<String, Integer> buckets = new TreeMap<>();
        int[] hours = new int[24];
        int total = 0;
        if ("day".equals(groupBy)) {
            for (LocalDate d = range.from(); !d.isAfter(range.to()); d = d.plusDays(1)) {
                buckets.put(d.toString(), 0);
            }
        }
        for (Instant at : checkIns) {
            if (at.isBefore(range.start()) || !at.isBefore(range.end())) {
                continue;
            }
            ZonedDateTime local = at.atZone(range.zone());
            buckets.merge("day".equals(groupBy) ? local.toLocalDate().toString() : HOUR.format(local), 1, Integer::sum);
            hours[local.getHour()]++;
            total++;
        }
        List<Map<String, Object>> items = new ArrayList<>();
        buckets.forEach((k, v) -> items.add(Map.of("key", k, "visits", v)));
        List<Map<String, Object>> peaks = new ArrayList<>();
        for (int h = 0; h < 24; h++) {
            if (hours[h] > 0) {
                peaks.add(Map.of("hour", h, "visits", hours[h]));
            }
        }
        peaks.sort(Comparator.<Map<String, Object>>comparingInt(m -> -(Integer) m.get("visits"))
                .thenComparingInt(m -> (Integer) m.get("hour")));
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("from", range.from().toString());
        out.put("to", range.to().toString());
        out.put("timezone", range.zone().getId());
        out.put("groupBy", groupBy);
        out.put("total", total);
        out.put("buckets", items);
        out.put("peakHours", peaks.subList(0, Math.min(3, peaks.size())));
        return out;
    }
}
