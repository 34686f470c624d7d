package dev.suite.chat.domain;

import dev.suite.shared.http.ApiException;

/**
 * Who may do what to whom in a group room, as plain rules (no store, no AWS): roles are {@code owner},
 * {@code admin} and {@code member}. Each check returns normally when allowed and throws the error the client gets.
 */
public final class MemberRules {
    public static final String OWNER = "owner";
    public static final String ADMIN = "admin";
    public static final String MEMBER = "member";

    private MemberRules() {}

    /** The owner and admins add members; only the owner adds admins. */
    public static void add(String actorRole, String newRole) {
        if (MEMBER.equals(actorRole)) {
            throw ApiException.forbidden("only the owner or an admin adds members");
        }
        if (ADMIN.equals(newRole) && !OWNER.equals(actorRole)) {
            throw ApiException.forbidden("only the owner adds admins");
        }
    }

    /** Only the owner changes roles, never their own (ownership is handed over instead). */
    public static void changeRole(String actorRole, boolean self) {
        if (!OWNER.equals(actorRole)) {
            throw ApiException.forbidden("only the owner changes roles");
        }
        if (self) {
            throw ApiException.conflict(
                    "OWNER_ROLE", "hand ownership to another member instead of changing your own role");
        }
    }

    /** Anyone may leave, but the owner only after handing ownership over. */
    public static void leave(String actorRole) {
        if (OWNER.equals(actorRole)) {
            throw ApiException.conflict("OWNER_MUST_TRANSFER", "hand ownership to another member before leaving");
        }
    }

    /** The owner removes anyone; an admin removes members only; nobody is removed from a direct room. */
    public static void remove(String actorRole, String targetRole, boolean directRoom) {
        if (directRoom) {
            throw ApiException.forbidden("nobody can be removed from a direct room; leave it instead");
        }
        boolean allowed = OWNER.equals(actorRole) || (ADMIN.equals(actorRole) && MEMBER.equals(targetRole));
        if (!allowed) {
            throw ApiException.forbidden(
                    ADMIN.equals(actorRole)
                            ? "an admin removes members only"
                            : "only the owner or an admin removes members");
        }
    }
}
