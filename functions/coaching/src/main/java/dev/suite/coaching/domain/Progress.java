package dev.suite.coaching.domain;

import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneId;
import java.util.List;
import java.util.NavigableMap;
import java.util.TreeMap;

/**
 * The summary figures of a user's progress, from their quit profile and their entries, as of an instant. Plain
 * arithmetic on the user's own calendar (their zone decides what "today" is); money in integer minor units.
 *
 * <ul>
 * <li>smokeFreeDays: logged days with {@code smoked = 0}, from the quit date to today;</li>
 * <li>currentStreak: consecutive smoke-free logged days ending today, or yesterday when today has no entry yet; a slip
 * or a day without an entry ends it;</li>
 * <li>longestStreak: the longest such run ever;</li>
 * <li>cigarettesAvoided: over logged days, {@code cigarettesPerDay - smoked} (never below 0 for a day);</li>
 * <li>moneySaved: {@code floor(cigarettesAvoided * packPrice / packSize)} minor units (rounded down: savings are
 * never overstated);</li>
 * <li>lastCigarette: the end of the last day logged with a slip, or the start of the quit date when there was none.</li>
 * </ul>
 */
public final class Progress {
    private Progress() {}

    public record Money(long amount, String currency) {}

    public record Summary(
            int smokeFreeDays,
            int currentStreak,
            int longestStreak,
            long cigarettesAvoided,
            Money moneySaved,
            String lastEntryDate,
            HealthMilestones.Status nextMilestone,
            List<HealthMilestones.Status> healthMilestones) {}

    /** The user's local date at an instant: what an entry saved then is about when the client sends "today". */
    public static LocalDate localDate(Instant at, ZoneId zone) {
        return LocalDate.ofInstant(at, zone);
    }

    public static Summary summarize(QuitProfile profile, List<Entry> entries, Instant now) {
        ZoneId zone = profile.timezone();
        LocalDate today = localDate(now, zone);
        NavigableMap<LocalDate, Entry> days = new TreeMap<>();
        for (Entry e : entries) {
            if (!e.date().isAfter(today) && !e.date().isBefore(profile.quitDate())) {
                days.put(e.date(), e);
            }
        }
        int smokeFree = 0;
        int longest = 0;
        int run = 0;
        long avoided = 0;
        LocalDate previous = null;
        LocalDate lastSlip = null;
        for (Entry e : days.values()) {
            avoided += Math.max(0, profile.cigarettesPerDay() - e.smoked());
            if (e.slip()) {
                run = 0;
                lastSlip = e.date();
            } else {
                smokeFree++;
                run = previous != null && previous.plusDays(1).equals(e.date()) && run > 0 ? run + 1 : 1;
                longest = Math.max(longest, run);
            }
            previous = e.date();
        }
        int current = currentStreak(days, today);
        long saved = Math.floorDiv(Math.multiplyExact(avoided, profile.packPrice()), profile.packSize());
        Instant lastCigarette = lastSlip == null
                ? profile.quitDate().atStartOfDay(zone).toInstant()
                : min(lastSlip.plusDays(1).atStartOfDay(zone).toInstant(), now);
        List<HealthMilestones.Status> milestones = HealthMilestones.since(lastCigarette, zone, now);
        HealthMilestones.Status next =
                milestones.stream().filter(m -> !m.reached()).findFirst().orElse(null);
        return new Summary(
                smokeFree,
                current,
                longest,
                avoided,
                new Money(saved, profile.currency()),
                days.isEmpty() ? null : days.lastKey().toString(),
                next,
                milestones);
    }

    static int currentStreak(NavigableMap<LocalDate, Entry> days, LocalDate today) {
        LocalDate day = days.containsKey(today) ? today : today.minusDays(1);
        int streak = 0;
        for (Entry e = days.get(day); e != null && !e.slip(); e = days.get(day)) {
            streak++;
            day = day.minusDays(1);
        }
        return streak;
    }

    private static Instant min(Instant a, Instant b) {
        return a.isBefore(b) ? a : b;
    }
}
