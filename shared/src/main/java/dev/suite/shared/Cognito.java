package dev.suite.shared;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.Map;
import java.util.Set;

/**
 * The Cognito user pool API as the functions call it: one JSON POST per operation ({@code X-Amz-Target:
 * AWSCognitoIdentityProviderService.<Operation>}, the awsJson1_1 protocol), over the URLConnection client with the region
 * and endpoint of every other client ({@link Clients}). The app client's own operations (SignUp, InitiateAuth, ...) go
 * unsigned, as the SDK sends them; the admin operations are SigV4-signed with the function's credentials. The Cognito SDK
 * module was 3.4 MB and 1,950 classes in each jar that calls Cognito.
 *
 * <p>An error answer is a {@link Failure} carrying Cognito's error type ({@code UsernameExistsException}, ...); when
 * Cognito cannot be reached, an SDK {@code SdkClientException} as before. Throttling and 5xx answers and connection
 * failures are tried twice more, as the SDK's standard retries did.
 */
public interface Cognito {
    /** An operation of the app client (no AWS credentials: SignUp, ConfirmSignUp, InitiateAuth, ForgotPassword, ...). */
    JsonNode call(String operation, Map<String, ?> request);

    /** An admin operation of the pool, signed with the function's credentials (AdminAddUserToGroup, ListUsers, ...). */
    JsonNode admin(String operation, Map<String, ?> request);

    static Cognito from(Config config) {
        return new CognitoApi(config);
    }

    /** Cognito's answer to a call it refused: the error type, its message and the HTTP status. */
    final class Failure extends RuntimeException {
        private static final long serialVersionUID = 1L;
        private static final Set<String> THROTTLING = Set.of("ThrottlingException", "Throttling", "TooManyRequestsException",
                "RequestLimitExceeded", "RequestThrottled", "RequestThrottledException", "SlowDown");
        private final String type;
        private final int status;

        public Failure(String type, String message, int status) {
            super(type + ": " + message, null, false, false);
            this.type = type;
            this.status = status;
        }

        /** The error type without its namespace: {@code UsernameExistsException}, {@code NotAuthorizedException}, ... */
        public String type() {
            return type;
        }

        public int status() {
            return status;
        }

        public boolean throttling() {
            return status == 429 || THROTTLING.contains(type);
        }
    }
}
