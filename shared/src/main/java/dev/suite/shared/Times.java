package dev.suite.shared;

import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;

/** Timestamps as fixed-width UTC strings (millisecond precision), so they sort as text in DynamoDB keys. */
public final class Times {
    private static final DateTimeFormatter ISO =
            DateTimeFormatter.ofPattern("yyyy-MM-dd'T'HH:mm:ss.SSS'Z'").withZone(ZoneOffset.UTC);

    private Times() {}

    public static String iso(Instant t) {
        return ISO.format(t);
    }
}
