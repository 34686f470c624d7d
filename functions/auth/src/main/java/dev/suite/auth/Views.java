package dev.suite.auth;

import com.fasterxml.jackson.annotation.JsonInclude;

/** What the auth routes answer, one record per shape (the README's route table and openapi.yaml name them). */
final class Views {
    private Views() {}

    record Registered(String userId, String email, boolean confirmed) {}

    record Confirmed(boolean confirmed) {}

    /** Login answers the refresh token too; refresh does not. */
    record Tokens(
            String idToken,
            String accessToken,
            @JsonInclude(JsonInclude.Include.NON_NULL) String refreshToken,
            long expiresIn,
            String tokenType) {}

    record Notice(String message) {}

    record PasswordReset(boolean reset) {}

    record LoggedOut(boolean loggedOut) {}

    record Me(String userId, String email, String name, String role, long credits, String createdAt) {}
}
