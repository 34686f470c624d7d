package dev.suite.shared.auth;

import java.util.Collection;
import java.util.Optional;

/**
 * The roles of the suite, lowest to highest privilege (the order {@link #highest} picks by). Each is a Cognito group
 * of the same name. {@code Staff} is the gym's front desk: it scans check-in tokens; it sees no coaching caseload
 * (routes that need {@code Coach} check the role or the group itself, not an order).
 */
public enum Role {
    User,
    Coach,
    Staff,
    Admin;

    public static Optional<Role> parse(String value) {
        if (value == null) {
            return Optional.empty();
        }
        for (Role r : values()) {
            if (r.name().equalsIgnoreCase(value.trim())) {
                return Optional.of(r);
            }
        }
        return Optional.empty();
    }

    /** The highest role among group names; User when none is a role. */
    public static Role highest(Collection<String> groups) {
        Role best = User;
        for (String g : groups) {
            Role r = parse(g).orElse(null);
            if (r != null && r.ordinal() > best.ordinal()) {
                best = r;
            }
        }
        return best;
    }
}
