package dev.suite.shared.http;

import java.util.Collection;
import java.util.List;
import java.util.Locale;
import java.util.regex.Pattern;

/** Field checks used by request records; each failure is a 400 that names the field. */
public final class Check {
    private static final Pattern EMAIL = Pattern.compile("^[^@\\s]{1,64}@[^@\\s]+\\.[^@\\s]{2,}$");
    private static final Pattern ID = Pattern.compile("^[A-Za-z0-9_-]{1,64}$");

    private Check() {}

    public static <T> T required(String field, T value) {
        if (value == null) {
            throw ApiException.invalid(field, "is required");
        }
        return value;
    }

    /** Trimmed text of min..max characters with no control characters. */
    public static String text(String field, String value, int min, int max) {
        return text(field, value, min, max, false);
    }

    /** As {@link #text} but line breaks and tabs are allowed (message bodies, prompts). */
    public static String multiline(String field, String value, int min, int max) {
        return text(field, value, min, max, true);
    }

    private static String text(String field, String value, int min, int max, boolean lines) {
        required(field, value);
        String v = value.strip();
        int length = v.codePointCount(0, v.length());
        if (length < min) {
            throw ApiException.invalid(
                    field, min <= 1 ? "must not be blank" : "must be at least " + min + " characters");
        }
        if (length > max) {
            throw ApiException.invalid(field, "must be at most " + max + " characters");
        }
        for (int i = 0; i < v.length(); i++) {
            char c = v.charAt(i);
            if (Character.isISOControl(c) && !(lines && (c == '\n' || c == '\r' || c == '\t'))) {
                throw ApiException.invalid(field, "must not contain control characters");
            }
        }
        return v;
    }

    /** Trimmed and lower-cased email address. */
    public static String email(String field, String value) {
        String v = text(field, value, 3, 254).toLowerCase(Locale.ROOT);
        if (!EMAIL.matcher(v).matches()) {
            throw ApiException.invalid(field, "must be a valid email address");
        }
        return v;
    }

    /** An identifier: letters, digits, '-' and '_' only, so it can never traverse a path or a key. */
    public static String id(String field, String value) {
        required(field, value);
        if (!ID.matcher(value).matches()) {
            throw ApiException.invalid(field, "must be an identifier of letters, digits, '-' or '_'");
        }
        return value;
    }

    public static String oneOf(String field, String value, Collection<String> allowed) {
        required(field, value);
        if (!allowed.contains(value)) {
            throw ApiException.invalid(field, "must be one of " + String.join(", ", allowed));
        }
        return value;
    }

    public static int range(String field, Integer value, int min, int max) {
        required(field, value);
        if (value < min || value > max) {
            throw ApiException.invalid(field, "must be between " + min + " and " + max);
        }
        return value;
    }

    /** A query parameter as an integer in range, or the default when absent. */
    public static int intParam(String field, String raw, int min, int max, int fallback) {
        if (raw == null || raw.isEmpty()) {
            return fallback;
        }
        int v;
        try {
            v = Integer.parseInt(raw.trim());
        } catch (NumberFormatException e) {
            throw ApiException.invalid(field, "must be an integer between " + min + " and " + max);
        }
        return range(field, v, min, max);
    }

    public static <T> List<T> size(String field, List<T> value, int min, int max) {
        required(field, value);
        if (value.size() < min || value.size() > max) {
            throw ApiException.invalid(field, "must have between " + min + " and " + max + " entries");
        }
        return value;
    }
}
