package dev.suite.coaching.domain;

import dev.suite.shared.Times;
import java.time.Duration;
import java.time.Instant;
import java.time.Period;
import java.time.ZoneId;
import java.time.temporal.TemporalAmount;
import java.util.List;

/**
 * What happens to the body after the last cigarette, with the time it takes. Source: World Health Organization,
 * "Tobacco: health benefits of smoking cessation" (fact sheet), except the 2-day step: U.S. Surgeon General, "The Health
 * Benefits of Smoking Cessation" (1990), as the American Cancer Society summarises it. The README cites both.
 */
public final class HealthMilestones {
    public record Milestone(String key, TemporalAmount after, String title) {}

    public static final List<Milestone> ALL = List.of(
            new Milestone("20-minutes", Duration.ofMinutes(20), "Heart rate and blood pressure drop"),
            new Milestone("12-hours", Duration.ofHours(12), "The carbon monoxide level in the blood drops to normal"),
            new Milestone("2-days", Duration.ofDays(2), "Nerve endings start to regrow; smell and taste improve"),
            new Milestone(
                    "2-weeks", Duration.ofDays(14), "Circulation improves and lung function increases (2 to 12 weeks)"),
            new Milestone("1-month", Period.ofMonths(1), "Coughing and shortness of breath decrease (1 to 9 months)"),
            new Milestone(
                    "1-year", Period.ofYears(1), "The risk of coronary heart disease is about half that of a smoker"),
            new Milestone("5-years", Period.ofYears(5), "Stroke risk falls to that of a non-smoker (5 to 15 years)"),
            new Milestone(
                    "10-years", Period.ofYears(10), "The risk of lung cancer falls to about half that of a smoker"),
            new Milestone(
                    "15-years", Period.ofYears(15), "The risk of coronary heart disease is that of a non-smoker"));

    /** One milestone for one user: when it is (or will be) reached, and whether it is by now. */
    public record Status(String key, String after, String title, String reachedAt, boolean reached) {}

    private HealthMilestones() {}

    /** Every milestone counted from the last cigarette, in the user's zone (a month or a year is a calendar one). */
    public static List<Status> since(Instant lastCigarette, ZoneId zone, Instant now) {
        return ALL.stream()
                .map(m -> {
                    Instant at = lastCigarette.atZone(zone).plus(m.after()).toInstant();
                    return new Status(m.key(), m.after().toString(), m.title(), Times.iso(at), !at.isAfter(now));
                })
                .toList();
    }
}
