package dev.suite.coaching;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.suite.coaching.domain.Achievements;
import dev.suite.coaching.domain.Entry;
import dev.suite.coaching.domain.EntryRules;
import dev.suite.coaching.domain.Progress;
import dev.suite.coaching.domain.QuitProfile;
import dev.suite.coaching.domain.RiskRules;
import dev.suite.shared.http.ApiException;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneId;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Which dates an entry may have, achievements and the at-risk rule, as plain classes. */
class CoachingRulesTest {
    static QuitProfile profile(String quitDate, String zone) {
        return new QuitProfile("u", LocalDate.parse(quitDate), 10, 30_000, 20, "VND", ZoneId.of(zone), null);
    }

    static String code(Runnable r) {
        return assertThrows(ApiException.class, r::run).code();
    }

    @Test
    void anEntrySavedAt2330And0030LocalLandsOnTheLocalDate() {
        QuitProfile hcm = profile("2026-11-01", "Asia/Ho_Chi_Minh");
        Instant at2330 = Instant.parse("2026-11-10T16:30:00Z");
        Instant at0030 = Instant.parse("2026-11-10T17:30:00Z");
        assertEquals(LocalDate.parse("2026-11-10"), Progress.localDate(at2330, hcm.timezone()));
        assertEquals(LocalDate.parse("2026-11-11"), Progress.localDate(at0030, hcm.timezone()));
        EntryRules.checkDate(LocalDate.parse("2026-11-10"), hcm, at2330, 7);
        assertEquals("DATE_IN_FUTURE", code(() -> EntryRules.checkDate(LocalDate.parse("2026-11-11"), hcm, at2330, 7)));
        EntryRules.checkDate(LocalDate.parse("2026-11-11"), hcm, at0030, 7);
    }

    @Test
    void tomorrowInPagoPagoIsTodayInKiritimati() {
        Instant now = Instant.parse("2026-11-10T10:30:00Z");
        EntryRules.checkDate(LocalDate.parse("2026-11-11"), profile("2026-11-01", "Pacific/Kiritimati"), now, 7);
        assertEquals(
                "DATE_IN_FUTURE",
                code(() -> EntryRules.checkDate(
                        LocalDate.parse("2026-11-10"), profile("2026-11-01", "Pacific/Pago_Pago"), now, 7)));
        EntryRules.checkDate(LocalDate.parse("2026-11-09"), profile("2026-11-01", "Pacific/Pago_Pago"), now, 7);
    }

    @Test
    void beforeTheQuitDateOrMoreThanTheWindowBackIsRefused() {
        Instant now = Instant.parse("2026-11-20T05:00:00Z");
        QuitProfile p = profile("2026-11-05", "UTC");
        assertEquals("BEFORE_QUIT_DATE", code(() -> EntryRules.checkDate(LocalDate.parse("2026-11-04"), p, now, 30)));
        EntryRules.checkDate(LocalDate.parse("2026-11-13"), p, now, 7);
        assertEquals("DATE_TOO_OLD", code(() -> EntryRules.checkDate(LocalDate.parse("2026-11-12"), p, now, 7)));
        EntryRules.checkDate(LocalDate.parse("2026-11-12"), p, now, 8);
    }

    @Test
    void datesAndZonesAreStrict() {
        assertEquals(LocalDate.parse("2028-02-29"), EntryRules.date("date", "2028-02-29"));
        for (String bad :
                List.of("2026-02-30", "2026-13-01", "26-11-01", "2026-11-1", "2026-11-01T00:00", "", "../x")) {
            assertEquals("VALIDATION_FAILED", code(() -> EntryRules.date("date", bad)), bad);
        }
        EntryRules.zone("timezone", "Asia/Ho_Chi_Minh");
        for (String bad : List.of("+07:00", "ICT", "Mars/Olympus", "asia/ho_chi_minh")) {
            assertEquals("VALIDATION_FAILED", code(() -> EntryRules.zone("timezone", bad)), bad);
        }
    }

    @Test
    void achievementsFollowTheLongestStreakAndTheCurrencysThresholds() {
        assertEquals(
                List.of(100_000L, 500_000L, 1_000_000L, 5_000_000L, 10_000_000L), Achievements.moneyThresholds("VND"));
        assertEquals(List.of(1_000L, 5_000L, 10_000L, 50_000L, 100_000L), Achievements.moneyThresholds("USD"), "cents");
        assertEquals(List.of(10L, 50L, 100L, 500L, 1_000L), Achievements.moneyThresholds("JPY"), "no minor unit");
        Progress.Summary s =
                new Progress.Summary(7, 0, 7, 120, new Progress.Money(100_000, "VND"), "2026-11-10", null, List.of());
        assertEquals(
                List.of("streak-1", "streak-3", "streak-7", "saved-VND-100000"),
                Achievements.reached(s).stream()
                        .map(Achievements.Achievement::id)
                        .toList());
    }

    @Test
    void atRiskAfterIdleDaysOrASlipInTheLast24Hours() {
        QuitProfile p = profile("2026-11-01", "Asia/Ho_Chi_Minh");
        Instant now = Instant.parse("2026-11-10T03:00:00Z"); // 10:00 on the 10th
        Entry eighth =
                new Entry(LocalDate.parse("2026-11-08"), 0, null, null, List.of(), null, "2026-11-08T12:00:00.000Z");
        Entry ninth =
                new Entry(LocalDate.parse("2026-11-09"), 0, null, null, List.of(), null, "2026-11-09T12:00:00.000Z");
        assertTrue(RiskRules.assess(p, List.of(eighth), null, now, 2).atRisk(), "nothing on the 9th and 10th");
        assertFalse(RiskRules.assess(p, List.of(eighth, ninth), null, now, 2).atRisk());
        Entry slip =
                new Entry(LocalDate.parse("2026-11-09"), 2, null, null, List.of(), null, "2026-11-09T04:00:00.000Z");
        RiskRules.Risk r = RiskRules.assess(p, List.of(eighth, slip), null, now, 2);
        assertEquals("slip", r.reason());
        assertFalse(
                RiskRules.assess(p, List.of(eighth, slip), null, now.plusSeconds(7200), 2)
                        .atRisk(),
                "the slip is 26 hours old");
        assertTrue(
                RiskRules.assess(p, List.of(), LocalDate.parse("2026-11-08"), now, 2)
                        .atRisk(),
                "never logged since the assignment");
        assertFalse(RiskRules.assess(p, List.of(), LocalDate.parse("2026-11-09"), now, 2)
                .atRisk());
    }
}
