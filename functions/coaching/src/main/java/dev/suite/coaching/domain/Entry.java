package dev.suite.coaching.domain;

import java.time.LocalDate;
import java.util.List;

/** One day's log in the user's own calendar: cigarettes smoked (0 is a smoke-free day) and how it went. */
public record Entry(
        LocalDate date,
        int smoked,
        Integer cravings,
        Integer mood,
        List<String> triggers,
        String note,
        String savedAt) {

    public boolean slip() {
        return smoked > 0;
    }
}
