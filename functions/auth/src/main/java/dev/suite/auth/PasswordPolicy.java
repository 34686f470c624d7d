package dev.suite.auth;

import java.util.ArrayList;
import java.util.List;

/**
 * The user pool's password policy, checked before any call to Cognito. Configured as PASSWORD_POLICY, e.g.
 * {@code minLength=8,lowercase,uppercase,numbers}; a template test holds it equal to the pool's policy.
 */
public record PasswordPolicy(int minLength, boolean lowercase, boolean uppercase, boolean numbers, boolean symbols) {
    public static final int MAX_LENGTH = 256;

    public static PasswordPolicy parse(String spec) {
        int min = 8;
        boolean lower = false;
        boolean upper = false;
        boolean digits = false;
        boolean symbols = false;
        for (String part : spec.split(",")) {
            String p = part.trim();
            if (p.startsWith("minLength=")) {
                min = Integer.parseInt(p.substring("minLength=".length()));
            } else if (p.equals("lowercase")) {
                lower = true;
            } else if (p.equals("uppercase")) {
                upper = true;
            } else if (p.equals("numbers")) {
                digits = true;
            } else if (p.equals("symbols")) {
                symbols = true;
            } else if (!p.isEmpty()) {
                throw new IllegalStateException("unknown password policy term " + p);
            }
        }
        return new PasswordPolicy(min, lower, upper, digits, symbols);
    }

    /** Human description, e.g. "at least 8 characters, a lowercase letter, an uppercase letter and a number". */
    public String describe() {
        List<String> parts = new ArrayList<>();
        parts.add("at least " + minLength + " characters");
        if (lowercase) {
            parts.add("a lowercase letter");
        }
        if (uppercase) {
            parts.add("an uppercase letter");
        }
        if (numbers) {
            parts.add("a number");
        }
        if (symbols) {
            parts.add("a symbol");
        }
        if (parts.size() == 1) {
            return parts.get(0);
        }
        return String.join(", ", parts.subList(0, parts.size() - 1)) + " and " + parts.get(parts.size() - 1);
    }

    public boolean accepts(String password) {
        if (password == null || password.length() < minLength || password.length() > MAX_LENGTH) {
            return false;
        }
        if (!password.equals(password.strip())) {
            return false;
        }
        return (!lowercase || password.chars().anyMatch(Character::isLowerCase))
                && (!uppercase || password.chars().anyMatch(Character::isUpperCase))
                && (!numbers || password.chars().anyMatch(Character::isDigit))
                && (!symbols || password.chars().anyMatch(c -> "^$*.[]{}()?\"!@#%&/\\,><':;|_~`=+-".indexOf(c) >= 0));
    }
}
