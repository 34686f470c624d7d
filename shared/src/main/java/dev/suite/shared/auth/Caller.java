package dev.suite.shared.auth;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * The verified caller, as API Gateway's Cognito authorizer passes it in {@code requestContext.authorizer.claims};
 * {@code name} is the token's name claim (null when absent), used to create a profile the trigger missed.
 */
public record Caller(String userId, String email, Role role, List<String> groups, String name) {

    public Caller(String userId, String email, Role role, List<String> groups) {
        this(userId, email, role, groups, null);
    }

    public boolean isAdmin() {
        return role == Role.Admin;
    }

    /** Null when the claims carry no subject (no authorizer ran). */
    public static Caller fromClaims(Map<String, ?> claims) {
        if (claims == null) {
            return null;
        }
        Object sub = claims.get("sub");
        if (sub == null || sub.toString().isBlank()) {
            return null;
        }
        List<String> groups = groups(claims.get("cognito:groups"));
        Role role = groups.isEmpty()
                ? Role.parse(String.valueOf(claims.get("role"))).orElse(Role.User)
                : Role.highest(groups);
        Object email = claims.get("email");
        Object name = claims.get("name");
        return new Caller(
                sub.toString(),
                email == null ? null : email.toString(),
                role,
                groups,
                name == null ? null : name.toString());
    }

    /**
     * API Gateway renders the groups claim as a JSON array, as "[A, B]", or as "A,B" depending on the
     * integration; accept each.
     */
    static List<String> groups(Object raw) {
        List<String> out = new ArrayList<>();
        if (raw == null) {
            return out;
        }
        if (raw instanceof Iterable<?> it) {
            for (Object o : it) {
                out.add(o.toString().trim());
            }
            return out;
        }
        String s = raw.toString().trim();
        if (s.startsWith("[") && s.endsWith("]")) {
            s = s.substring(1, s.length() - 1);
        }
        for (String part : s.split("[,\\s]+")) {
            String p = part.trim().replace("\"", "");
            if (!p.isEmpty()) {
                out.add(p);
            }
        }
        return out;
    }
}
