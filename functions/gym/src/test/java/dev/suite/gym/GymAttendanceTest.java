package dev.suite.gym;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.suite.gym.domain.Attendance;
import dev.suite.shared.http.ApiException;
import java.time.Instant;
import java.time.ZoneId;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Attendance counted in the gym's own zone, without emulators. */
class GymAttendanceTest {
    static final ZoneId HCM = ZoneId.of("Asia/Ho_Chi_Minh");
    static final Instant NOW = Instant.parse("2026-11-23T10:00:00Z");

    @Test
    void visitsAreCountedByLocalDayAndHourWithPeakHours() {
        Attendance.Range range = Attendance.Range.of("2026-11-22", "2026-11-23", HCM, NOW);
        List<Instant> at = List.of(
                Instant.parse("2026-11-21T16:59:59Z"), // 23:59 on the 21st locally: out
                Instant.parse("2026-11-21T17:00:00Z"), // 00:00 on the 22nd
                Instant.parse("2026-11-22T11:10:00Z"),
                Instant.parse("2026-11-22T11:50:00Z"), // 18:xx on the 22nd
                Instant.parse("2026-11-23T11:30:00Z"), // 18:30 on the 23rd
                Instant.parse("2026-11-23T17:00:00Z")); // the 24th locally: out
        Map<String, Object> days = Attendance.summarize(range, "day", at);
        assertEquals(4, days.get("total"));
        assertEquals(
                List.of(Map.of("key", "2026-11-22", "visits", 3), Map.of("key", "2026-11-23", "visits", 1)),
                days.get("buckets"));
        assertEquals(List.of(Map.of("hour", 18, "visits", 3), Map.of("hour", 0, "visits", 1)), days.get("peakHours"));
        Map<String, Object> hours = Attendance.summarize(range, "hour", at);
        assertEquals(
                List.of(
                        Map.of("key", "2026-11-22T00", "visits", 1),
                        Map.of("key", "2026-11-22T18", "visits", 2),
                        Map.of("key", "2026-11-23T18", "visits", 1)),
                hours.get("buckets"));
    }

    @Test
    void theRangeDefaultsToTheLastSevenLocalDaysAndIsBounded() {
        Attendance.Range r =
                Attendance.Range.of(null, null, ZoneId.of("Pacific/Kiritimati"), Instant.parse("2026-11-23T12:00:00Z"));
        assertEquals("2026-11-24", r.to().toString(), "already tomorrow at +14");
        assertEquals("2026-11-18", r.from().toString());
        assertEquals(
                "to",
                assertThrows(ApiException.class, () -> Attendance.Range.of("2026-01-01", "2026-11-23", HCM, NOW))
                        .field());
        assertEquals(
                "from",
                assertThrows(ApiException.class, () -> Attendance.Range.of("2026-11-24", "2026-11-23", HCM, NOW))
                        .field());
        assertEquals(
                "from",
                assertThrows(ApiException.class, () -> Attendance.Range.of("23/11/2026", null, HCM, NOW))
                        .field());
    }
}
