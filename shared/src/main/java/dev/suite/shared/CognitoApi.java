package dev.suite.shared;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.util.Map;
import software.amazon.awssdk.core.exception.SdkClientException;

/** {@link Cognito} over HTTP: see there. */
final class CognitoApi implements Cognito {
    private static final int ATTEMPTS = 3;
    private final AwsJsonApi api;

    CognitoApi(Config config) {
        this.api = new AwsJsonApi(config, "COGNITO_IDENTITY_PROVIDER", "cognito-idp", "AWSCognitoIdentityProviderService.");
    }
    @Override
    public JsonNode call(String operation, Map<String, ?> request) {
        return send(operation, request, false);
    }

    @Override
    public JsonNode admin(String operation, Map<String, ?> request) {
        return send(operation, request, true);
    }

    private JsonNode send(String operation, Map<String, ?> request, boolean signed) {
        for (int attempt = 1; ; attempt++) {
            try {
                return once(operation, request, signed);
            } catch (Failure e) {
                if (attempt >= ATTEMPTS || !(e.throttling() || e.status() >= 500)) {
                    throw e;
                }
            } catch (SdkClientException e) {
                if (attempt >= ATTEMPTS) {
                    throw e;
                }
            }
            try {
                Thread.sleep(50L << attempt);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw SdkClientException.create("interrupted while retrying Cognito " + operation);
            }
        }
    }

    private JsonNode once(String operation, Map<String, ?> request, boolean signed) {
        try {
            AwsJsonApi.Answer answer = api.post(operation, request, signed);
            if (!answer.ok()) {
                throw new Failure(answer.errorType(), answer.message(), answer.status());
            }
            return answer.body();
        } catch (IOException e) {
            throw SdkClientException.create("Cognito " + operation + " failed: " + e.getClass().getSimpleName(), e);
        }
    }
}
