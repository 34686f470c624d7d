package dev.suite.coaching.domain;

import java.util.ArrayList;
import java.util.Currency;
import java.util.List;
import java.util.Map;

/**
 * What can be earned: a streak of 1, 3, 7, 14, 30, 90, 180 and 365 smoke-free days (the longest streak counts, so a
 * slip never takes one back) and money saved past thresholds of the profile's currency.
 */
public final class Achievements {
    public static final List<Integer> STREAK_DAYS = List.of(1, 3, 7, 14, 30, 90, 180, 365);
    /** Money thresholds in major units: VND has its own, every other currency the default ones. */
    static final Map<String, List<Long>> MAJOR_UNITS =
            Map.of("VND", List.of(100_000L, 500_000L, 1_000_000L, 5_000_000L, 10_000_000L));

    static final List<Long> DEFAULT_MAJOR_UNITS = List.of(10L, 50L, 100L, 500L, 1_000L);

    public record Achievement(String id, String kind, long threshold, String currency, String title) {}

    private Achievements() {}

    /** Every achievement of a currency, in the order they are reached. */
    public static List<Achievement> all(String currency) {
        List<Achievement> out = new ArrayList<>();
        for (int days : STREAK_DAYS) {
            out.add(new Achievement(
                    "streak-" + days,
                    "streak",
                    days,
                    null,
                    days + (days == 1 ? " smoke-free day" : " smoke-free days in a row")));
        }
        for (long minor : moneyThresholds(currency)) {
            out.add(new Achievement(
                    "saved-" + currency + "-" + minor,
                    "money",
                    minor,
                    currency,
                    "Saved " + minor + " " + currency + " (minor units)"));
        }
        return out;
    }

    /** Money thresholds in minor units of the currency (major units times 10^fraction digits). */
    public static List<Long> moneyThresholds(String currency) {
        int digits = Math.max(0, Currency.getInstance(currency).getDefaultFractionDigits());
        long scale = (long) Math.pow(10, digits);
        return MAJOR_UNITS.getOrDefault(currency, DEFAULT_MAJOR_UNITS).stream()
                .map(m -> m * scale)
                .toList();
    }

    /** The achievements a summary has reached. */
    public static List<Achievement> reached(Progress.Summary s) {
        return all(s.moneySaved().currency()).stream()
                .filter(a -> a.kind().equals("streak")
                        ? s.longestStreak() >= a.threshold()
                        : s.moneySaved().amount() >= a.threshold())
                .toList();
    }
}
