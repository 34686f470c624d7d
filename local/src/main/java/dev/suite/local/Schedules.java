package dev.suite.local;

import java.time.Duration;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.util.Locale;

/** EventBridge schedule expressions: rate(N unit) and the six-field cron(...) in UTC. */
final class Schedules {
    private Schedules() {}

    /** The next firing strictly after {@code after}. */
    static ZonedDateTime next(String expression, ZonedDateTime after) {
        String e = expression.trim();
        if (e.startsWith("rate(") && e.endsWith(")")) {
            return after.plus(rate(e.substring(5, e.length() - 1)));
        }
        if (e.startsWith("cron(") && e.endsWith(")")) {
            String[] f = e.substring(5, e.length() - 1).trim().split("\\s+");
            if (f.length != 6) {
                throw new IllegalArgumentException("cron needs 6 fields: " + expression);
            }
            ZonedDateTime t = after.withZoneSameInstant(ZoneOffset.UTC)
                    .withSecond(0)
                    .withNano(0)
                    .plusMinutes(1);
            for (int i = 0; i < 60 * 24 * 366; i++, t = t.plusMinutes(1)) {
                if (matches(f[0], t.getMinute(), 0)
                        && matches(f[1], t.getHour(), 0)
                        && matches(f[2], t.getDayOfMonth(), 1)
                        && matches(f[3], t.getMonthValue(), 1)
                        && matches(f[4], t.getDayOfWeek().getValue() % 7 + 1, 1)
                        && matches(f[5], t.getYear(), 1970)) {
                    return t;
                }
            }
            throw new IllegalArgumentException("cron never fires within a year: " + expression);
        }
        throw new IllegalArgumentException("not a schedule expression: " + expression);
    }

    static Duration rate(String spec) {
        String[] p = spec.trim().split("\\s+");
        long n = Long.parseLong(p[0]);
        String unit = p[1].toLowerCase(Locale.ROOT);
        if (unit.startsWith("minute")) {
            return Duration.ofMinutes(n);
        }
        if (unit.startsWith("hour")) {
            return Duration.ofHours(n);
        }
        if (unit.startsWith("day")) {
            return Duration.ofDays(n);
        }
        throw new IllegalArgumentException("unknown rate unit " + unit);
    }

    private static boolean matches(String field, int value, int min) {
        if (field.equals("*") || field.equals("?")) {
            return true;
        }
        for (String part : field.split(",")) {
            int step = 1;
            String range = part;
            if (part.contains("/")) {
                step = Integer.parseInt(part.substring(part.indexOf('/') + 1));
                range = part.substring(0, part.indexOf('/'));
            }
            int lo;
            int hi;
            if (range.equals("*")) {
                lo = min;
                hi = Integer.MAX_VALUE;
            } else if (range.contains("-")) {
                lo = Integer.parseInt(range.split("-")[0]);
                hi = Integer.parseInt(range.split("-")[1]);
            } else {
                lo = Integer.parseInt(range);
                hi = part.contains("/") ? Integer.MAX_VALUE : lo;
            }
            if (value >= lo && value <= hi && (value - lo) % step == 0) {
                return true;
            }
        }
        return false;
    }
}
