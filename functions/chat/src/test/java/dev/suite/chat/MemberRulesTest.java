package dev.suite.chat;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.suite.chat.domain.MemberRules;
import dev.suite.shared.http.ApiException;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The member-role matrix of group rooms, every cell, as plain rules: no emulator, milliseconds. */
class MemberRulesTest {
    static final List<String> ROLES = List.of("owner", "admin", "member");

    /** "ok", or the status and code the client gets. */
    static String outcome(Runnable rule) {
        try {
            rule.run();
            return "ok";
        } catch (ApiException e) {
            return e.status() + " " + e.code();
        }
    }

    @Test
    void addingMembersAndAdmins() {
        Map<String, String> expected = Map.of(
                "owner+member",
                "ok",
                "owner+admin",
                "ok",
                "admin+member",
                "ok",
                "admin+admin",
                "403 FORBIDDEN",
                "member+member",
                "403 FORBIDDEN",
                "member+admin",
                "403 FORBIDDEN");
        expected.forEach((cell, want) -> {
            String[] c = cell.split("\\+");
            assertEquals(want, outcome(() -> MemberRules.add(c[0], c[1])), cell);
        });
    }

    @Test
    void changingRoles() {
        assertEquals("ok", outcome(() -> MemberRules.changeRole("owner", false)));
        assertEquals("409 OWNER_ROLE", outcome(() -> MemberRules.changeRole("owner", true)));
        assertEquals("403 FORBIDDEN", outcome(() -> MemberRules.changeRole("admin", false)));
        assertEquals("403 FORBIDDEN", outcome(() -> MemberRules.changeRole("member", false)));
    }

    @Test
    void leaving() {
        assertEquals("409 OWNER_MUST_TRANSFER", outcome(() -> MemberRules.leave("owner")));
        assertEquals("ok", outcome(() -> MemberRules.leave("admin")));
        assertEquals("ok", outcome(() -> MemberRules.leave("member")));
    }

    @Test
    void removingOthers() {
        for (String actor : ROLES) {
            for (String target : ROLES) {
                boolean allowed = actor.equals("owner") || (actor.equals("admin") && target.equals("member"));
                assertEquals(
                        allowed ? "ok" : "403 FORBIDDEN",
                        outcome(() -> MemberRules.remove(actor, target, false)),
                        actor + " removes " + target);
                assertEquals(
                        "403 FORBIDDEN",
                        outcome(() -> MemberRules.remove(actor, target, true)),
                        "direct rooms: " + actor);
            }
        }
    }
}
