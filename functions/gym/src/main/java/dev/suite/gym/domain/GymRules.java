package dev.suite.gym.domain;

import dev.suite.shared.http.ApiException;
import java.time.ZoneId;
import java.util.Currency;
import java.util.regex.Pattern;

/** Field rules of gyms and plans, shared by create and patch. */
public final class GymRules {
    public static final int MAX_CAPACITY = 100_000;
    public static final long MAX_AMOUNT = 1_000_000_000L;
    private static final Pattern CURRENCY = Pattern.compile("^[A-Z]{3}$");

    private GymRules() {}

    /** An IANA region zone such as {@code Asia/Ho_Chi_Minh} (not an offset or an abbreviation). */
    public static String zone(String field, String value) {
        if (value == null) {
            throw ApiException.invalid(field, "is required");
        }
        if (!value.contains("/") && !"UTC".equals(value)
                || !ZoneId.getAvailableZoneIds().contains(value)) {
            throw ApiException.invalid(field, "must be an IANA time zone such as Asia/Ho_Chi_Minh");
        }
        return value;
    }

    public static String currency(String field, String value) {
        if (value == null
                || !CURRENCY.matcher(value).matches()
                || Currency.getAvailableCurrencies().stream()
                        .noneMatch(c -> c.getCurrencyCode().equals(value))) {
            throw ApiException.invalid(field, "must be an ISO 4217 currency code such as VND or USD");
        }
        return value;
    }

    public static long amount(String field, Long value) {
        if (value == null) {
            throw ApiException.invalid(field, "is required");
        }
        if (value < 1 || value > MAX_AMOUNT) {
            throw ApiException.invalid(field, "must be between 1 and " + MAX_AMOUNT + " (minor units of the currency)");
        }
        return value;
    }
}
