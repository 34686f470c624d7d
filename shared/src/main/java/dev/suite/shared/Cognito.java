package dev.suite.shared;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.Map;
import software.amazon.awssdk.awscore.exception.AwsErrorDetails;
import software.amazon.awssdk.awscore.exception.AwsServiceException;

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

    /**
     * Cognito's answer to a call it refused: an {@link AwsServiceException} as the SDK threw (so the gateway answers
     * throttling with 503 SERVICE_BUSY as before), with Cognito's error type as its error code.
     */
    final class Failure extends AwsServiceException {
        private static final long serialVersionUID = 1L;

        public Failure(String type, String message, int status) {
            super((AwsServiceException.BuilderImpl) AwsServiceException.builder()
                    .statusCode(status)
                    .message(type + ": " + message)
                    .awsErrorDetails(AwsErrorDetails.builder().serviceName("CognitoIdentityProvider").errorCode(type).errorMessage(message).build()));
        }

        /** The error type without its namespace: {@code UsernameExistsException}, {@code NotAuthorizedException}, ... */
        public String type() {
            return awsErrorDetails().errorCode();
        }

        public int status() {
            return statusCode();
        }

        public boolean throttling() {
            return isThrottlingException();
        }
    }
}
