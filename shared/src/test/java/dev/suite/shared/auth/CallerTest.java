package dev.suite.shared.auth;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class CallerTest {
    @Test
    void readsTheGroupsClaimInEveryShapeApiGatewayUses() {
        assertEquals(
                Role.Admin,
                Caller.fromClaims(Map.of("sub", "u", "cognito:groups", "User,Admin"))
                        .role());
        assertEquals(
                Role.Coach,
                Caller.fromClaims(Map.of("sub", "u", "cognito:groups", "[User, Coach]"))
                        .role());
        assertEquals(
                Role.Admin,
                Caller.fromClaims(Map.of("sub", "u", "cognito:groups", List.of("Admin")))
                        .role());
        assertEquals(Role.User, Caller.fromClaims(Map.of("sub", "u")).role());
        assertEquals(
                Role.Coach,
                Caller.fromClaims(Map.of("sub", "u", "role", "Coach")).role());
        assertEquals(
                Role.User,
                Caller.fromClaims(Map.of("sub", "u", "cognito:groups", "Admins"))
                        .role(),
                "no prefix match");
    }

    @Test
    void staffRanksAboveCoachAndBelowAdmin() {
        assertEquals(
                Role.Staff,
                Caller.fromClaims(Map.of("sub", "u", "cognito:groups", "[Coach, Staff]"))
                        .role());
        assertEquals(
                Role.Staff,
                Caller.fromClaims(Map.of("sub", "u", "cognito:groups", "User,Staff"))
                        .role());
        assertEquals(
                Role.Admin,
                Caller.fromClaims(Map.of("sub", "u", "cognito:groups", List.of("Staff", "Admin")))
                        .role());
        assertEquals(
                Role.Staff,
                Caller.fromClaims(Map.of("sub", "u", "role", "staff")).role());
    }

    @Test
    void noSubjectMeansNoCaller() {
        assertNull(Caller.fromClaims(Map.of("email", "a@b.c")));
        assertNull(Caller.fromClaims(null));
    }
}
