package dev.suite.local;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.time.ZonedDateTime;
import org.junit.jupiter.api.Test;

class SchedulesTest {
    final ZonedDateTime t = ZonedDateTime.parse("2026-11-23T10:02:30Z");

    @Test
    void rates() {
        assertEquals(ZonedDateTime.parse("2026-11-23T10:07:30Z"), Schedules.next("rate(5 minutes)", t));
        assertEquals(ZonedDateTime.parse("2026-11-23T11:02:30Z"), Schedules.next("rate(1 hour)", t));
    }

    @Test
    void crons() {
        assertEquals(ZonedDateTime.parse("2026-11-23T10:05Z"), Schedules.next("cron(0/5 * * * ? *)", t));
        assertEquals(ZonedDateTime.parse("2026-11-24T03:00Z"), Schedules.next("cron(0 3 * * ? *)", t));
        assertEquals(ZonedDateTime.parse("2026-11-23T10:15Z"), Schedules.next("cron(15,45 * * * ? *)", t));
        assertThrows(IllegalArgumentException.class, () -> Schedules.next("every minute", t));
    }
}
