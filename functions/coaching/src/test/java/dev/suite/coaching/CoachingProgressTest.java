package dev.suite.coaching;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.suite.coaching.domain.Entry;
import dev.suite.coaching.domain.HealthMilestones;
import dev.suite.coaching.domain.Progress;
import dev.suite.coaching.domain.QuitProfile;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/** Streaks, savings and milestones by hand, in the zones the issue names. No emulator. */
class CoachingProgressTest {
    static QuitProfile profile(
            String quitDate, int perDay, long packPrice, int packSize, String currency, String zone) {
        return new QuitProfile(
                "u", LocalDate.parse(quitDate), perDay, packPrice, packSize, currency, ZoneId.of(zone), null);
    }

    static Entry day(String date, int smoked) {
        return new Entry(LocalDate.parse(date), smoked, null, null, List.of(), null, null);
    }

    static List<Entry> smokeFree(String from, String to) {
        List<Entry> out = new ArrayList<>();
        for (LocalDate d = LocalDate.parse(from); !d.isAfter(LocalDate.parse(to)); d = d.plusDays(1)) {
            out.add(day(d.toString(), 0));
        }
        return out;
    }

    static Map<String, Boolean> reached(Progress.Summary s) {
        return s.healthMilestones().stream()
                .collect(Collectors.toMap(HealthMilestones.Status::key, HealthMilestones.Status::reached));
    }

    @Test
    void hoChiMinhCityASlipEndsTheStreakKeepsTheLongestAndTodayNotLoggedYetDoesNotBreakIt() {
        QuitProfile p = profile("2026-11-01", 15, 30_000, 20, "VND", "Asia/Ho_Chi_Minh");
        List<Entry> entries = new ArrayList<>(smokeFree("2026-11-01", "2026-11-05"));
        entries.add(day("2026-11-06", 3));
        entries.addAll(smokeFree("2026-11-07", "2026-11-10"));
        // 00:30 on 11 November in Ho Chi Minh City (+07): today (the 11th) has no entry yet
        Progress.Summary s = Progress.summarize(p, entries, Instant.parse("2026-11-10T17:30:00Z"));
        assertEquals(9, s.smokeFreeDays());
        assertEquals(4, s.currentStreak(), "7..10 November, ending yesterday");
        assertEquals(5, s.longestStreak(), "1..5 November");
        assertEquals(9 * 15 + (15 - 3), s.cigarettesAvoided());
        assertEquals(220_500, s.moneySaved().amount(), "147 cigarettes x 30,000 / 20");
        assertEquals("VND", s.moneySaved().currency());
        assertEquals("2026-11-10", s.lastEntryDate());
        // the last cigarette: the end of the slip day, 7 November 00:00 +07 = 6 November 17:00 UTC; 4 days 30 minutes
        // ago
        Map<String, Boolean> r = reached(s);
        assertTrue(r.get("20-minutes") && r.get("12-hours") && r.get("2-days"));
        assertFalse(r.get("2-weeks"));
        assertEquals("2-weeks", s.nextMilestone().key());
        assertEquals("2026-11-20T17:00:00.000Z", s.nextMilestone().reachedAt());
        // one day later without an entry for the 11th: the streak is gone, the longest stays
        Progress.Summary later = Progress.summarize(p, entries, Instant.parse("2026-11-11T17:30:00Z"));
        assertEquals(0, later.currentStreak());
        assertEquals(5, later.longestStreak());
    }

    @Test
    void savingsUseIntegerMinorUnitsRoundedDown() {
        // 3 cigarettes avoided at 25 minor units a pack of 20: 75 / 20 = 3.75 -> 3
        Progress.Summary s = Progress.summarize(
                profile("2026-11-01", 1, 25, 20, "VND", "UTC"),
                smokeFree("2026-11-01", "2026-11-03"),
                Instant.parse("2026-11-03T12:00:00Z"));
        assertEquals(3, s.cigarettesAvoided());
        assertEquals(3, s.moneySaved().amount());
        // USD in cents: 7 cigarettes at 1,099 cents a pack of 20: 7,693 / 20 = 384.65 -> 384 cents
        Progress.Summary usd = Progress.summarize(
                profile("2026-11-01", 1, 1_099, 20, "USD", "America/New_York"),
                smokeFree("2026-11-01", "2026-11-07"),
                Instant.parse("2026-11-07T20:00:00Z"));
        assertEquals(384, usd.moneySaved().amount());
        // the largest plan over ten years stays exact: 200 a day x 3,653 days x 10^9 / 1
        Progress.Summary big = Progress.summarize(
                profile("2016-01-01", 200, 1_000_000_000L, 1, "VND", "UTC"),
                smokeFree("2016-01-01", "2025-12-31"),
                Instant.parse("2026-01-01T00:00:00Z"));
        assertEquals(3_653L * 200 * 1_000_000_000L, big.moneySaved().amount());
        assertEquals(3_653, big.longestStreak());
    }

    @Test
    void newYorkAcrossTheEndOfDaylightSavingTime() {
        // DST ends 1 November 2026 at 02:00 (EDT -04 -> EST -05)
        QuitProfile p = profile("2026-10-30", 10, 1_000, 20, "USD", "America/New_York");
        List<Entry> entries = smokeFree("2026-10-30", "2026-11-02");
        // 23:30 EST on 2 November = 04:30 UTC on the 3rd: today is still the 2nd
        assertEquals(
                LocalDate.parse("2026-11-02"), Progress.localDate(Instant.parse("2026-11-03T04:30:00Z"), p.timezone()));
        assertEquals(
                4,
                Progress.summarize(p, entries, Instant.parse("2026-11-03T04:30:00Z"))
                        .currentStreak());
        // 00:30 on the 3rd: today unlogged, the streak ends yesterday
        assertEquals(
                LocalDate.parse("2026-11-03"), Progress.localDate(Instant.parse("2026-11-03T05:30:00Z"), p.timezone()));
        assertEquals(
                4,
                Progress.summarize(p, entries, Instant.parse("2026-11-03T05:30:00Z"))
                        .currentStreak());
        // 00:30 on the 4th: the 3rd was never logged
        assertEquals(
                0,
                Progress.summarize(p, entries, Instant.parse("2026-11-04T05:30:00Z"))
                        .currentStreak());
        // milestones from midnight EDT on 30 October (04:00 UTC): 48 hours is 04:00 UTC on 1 November,
        // a calendar month is midnight EST on 30 November (05:00 UTC), an hour later in UTC
        Progress.Summary s = Progress.summarize(p, entries, Instant.parse("2026-11-03T04:30:00Z"));
        Map<String, String> at = s.healthMilestones().stream()
                .collect(Collectors.toMap(HealthMilestones.Status::key, HealthMilestones.Status::reachedAt));
        assertEquals("2026-11-01T04:00:00.000Z", at.get("2-days"));
        assertEquals("2026-11-30T05:00:00.000Z", at.get("1-month"));
        assertEquals("2026-10-30T04:20:00.000Z", at.get("20-minutes"));
    }

    @Test
    void kiritimatiAndPagoPagoLiveTheSameInstantOnDifferentDays() {
        Instant now = Instant.parse("2026-11-10T10:30:00Z");
        // +14: 00:30 on 11 November; -11: 23:30 on 9 November
        assertEquals(LocalDate.parse("2026-11-11"), Progress.localDate(now, ZoneId.of("Pacific/Kiritimati")));
        assertEquals(LocalDate.parse("2026-11-09"), Progress.localDate(now, ZoneId.of("Pacific/Pago_Pago")));
        QuitProfile kiri = profile("2026-11-01", 20, 40, 20, "USD", "Pacific/Kiritimati");
        Progress.Summary k = Progress.summarize(kiri, smokeFree("2026-11-08", "2026-11-11"), now);
        assertEquals(4, k.currentStreak(), "the 11th is today in Kiritimati");
        assertEquals(80, k.cigarettesAvoided());
        assertEquals(160, k.moneySaved().amount());
        QuitProfile pago = profile("2026-11-01", 20, 40, 20, "USD", "Pacific/Pago_Pago");
        Progress.Summary g = Progress.summarize(pago, smokeFree("2026-11-08", "2026-11-11"), now);
        assertEquals(2, g.currentStreak(), "the 10th and 11th are tomorrow and after in Pago Pago: not counted");
        assertEquals(2, g.smokeFreeDays());
        assertEquals("2026-11-09", g.lastEntryDate());
    }

    @Test
    void nothingLoggedMeansNoStreakAndMilestonesCountFromTheQuitDate() {
        QuitProfile p = profile("2026-11-20", 10, 1_000, 20, "VND", "Asia/Ho_Chi_Minh");
        Progress.Summary s = Progress.summarize(p, List.of(), Instant.parse("2026-11-19T00:00:00Z"));
        assertEquals(0, s.currentStreak());
        assertEquals(0, s.longestStreak());
        assertEquals(0, s.moneySaved().amount());
        assertNull(s.lastEntryDate());
        assertEquals("20-minutes", s.nextMilestone().key(), "a quit date ahead: nothing reached yet");
        assertEquals("2026-11-19T17:20:00.000Z", s.nextMilestone().reachedAt());
    }
}
