package dev.suite.auth;

import dev.suite.shared.http.ApiException;
import dev.suite.shared.http.Check;
import dev.suite.shared.http.Validated;
import java.util.regex.Pattern;

/** The JSON bodies of the auth routes, each validated before any call to Cognito. */
final class Requests {
    private static final Pattern CODE = Pattern.compile("^[0-9]{6}$");

    private Requests() {}

    static String checkCode(String field, String value) {
        Check.required(field, value);
        String v = value.strip();
        if (!CODE.matcher(v).matches()) {
            throw ApiException.invalid(field, "must be the 6-digit code from the email");
        }
        return v;
    }

    static String checkPassword(String field, String value) {
        Check.required(field, value);
        if (value.isEmpty() || value.length() > PasswordPolicy.MAX_LENGTH) {
            throw ApiException.invalid(field, "must be 1 to " + PasswordPolicy.MAX_LENGTH + " characters");
        }
        return value;
    }

    static String checkToken(String field, String value) {
        Check.required(field, value);
        if (value.isBlank() || value.length() > 8192) {
            throw ApiException.invalid(field, "must be a token from login");
        }
        return value.strip();
    }

    record Register(String email, String password, String name) implements Validated<Register> {
        @Override
        public Register validated() {
            return new Register(
                    Check.email("email", email), checkPassword("password", password), Check.text("name", name, 1, 100));
        }
    }

    record Confirm(String email, String code) implements Validated<Confirm> {
        @Override
        public Confirm validated() {
            return new Confirm(Check.email("email", email), checkCode("code", code));
        }
    }

    record Login(String email, String password) implements Validated<Login> {
        @Override
        public Login validated() {
            return new Login(Check.email("email", email), checkPassword("password", password));
        }
    }

    record Refresh(String refreshToken) implements Validated<Refresh> {
        @Override
        public Refresh validated() {
            return new Refresh(checkToken("refreshToken", refreshToken));
        }
    }

    record Forgot(String email) implements Validated<Forgot> {
        @Override
        public Forgot validated() {
            return new Forgot(Check.email("email", email));
        }
    }

    record Reset(String email, String code, String newPassword) implements Validated<Reset> {
        @Override
        public Reset validated() {
            return new Reset(
                    Check.email("email", email), checkCode("code", code), checkPassword("newPassword", newPassword));
        }
    }

    record Logout(String refreshToken) implements Validated<Logout> {
        @Override
        public Logout validated() {
            return new Logout(checkToken("refreshToken", refreshToken));
        }
    }
}
