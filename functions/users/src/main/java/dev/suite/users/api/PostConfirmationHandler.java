package dev.suite.users.api;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.suite.shared.Clients;
import dev.suite.shared.Config;
import dev.suite.shared.Lazy;
import dev.suite.shared.Log;
import dev.suite.shared.Priming;
import dev.suite.shared.data.Users;
import dev.suite.users.domain.Onboarding;
import dev.suite.users.store.RoleStore;
import java.time.Clock;
import java.util.Locale;
import org.slf4j.Logger;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;

/** PostConfirmation trigger: onboards the user, only for PostConfirmation_ConfirmSignUp. */
public final class PostConfirmationHandler extends TriggerHandler {
    private static final Logger LOG = Log.get(PostConfirmationHandler.class);
    static final String CONFIRM_SIGN_UP = "PostConfirmation_ConfirmSignUp";
    private final Onboarding onboarding;

    public PostConfirmationHandler() {
        this(Config.fromSystem());
    }

    public PostConfirmationHandler(Config config) {
        this(config, Clients.dynamo(config));
    }

    private PostConfirmationHandler(Config config, DynamoDbClient dynamo) {
        this(new Onboarding(
                Users.from(dynamo, config),
                new RoleStore(dynamo, config.require("USERS_TABLE")),
                Lazy.of(() -> Clients.cognito(config)),
                config.getLong("STARTING_CREDITS", 5),
                Clock.systemUTC(),
                config.get("ADMIN_EMAIL", "")));
    }

    public PostConfirmationHandler(Onboarding onboarding) {
        this.onboarding = onboarding;
        // Priming parses and answers a non-signup source (JSON and logging warm), then sends the onboarding's
        // transaction refused by its condition: nothing written.
        Priming.register(
                "PostConfirmationHandler",
                () -> {
                    prime(synthetic("PostConfirmation_ConfirmForgotPassword"));
                    onboarding.primeCreate();
                },
                () -> {});
    }

    @Override
    ObjectNode handle(ObjectNode event) {
        String source = text(event, "triggerSource");
        if (!CONFIRM_SIGN_UP.equals(source)) {
            LOG.info("ignoring trigger source {}", source);
            return event;
        }
        String userId = text(event, "request", "userAttributes", "sub");
        String email = text(event, "request", "userAttributes", "email");
        if (userId == null || email == null) {
            throw new IllegalArgumentException("PostConfirmation event without sub or email");
        }
        Log.user(userId);
        boolean created = onboarding.onConfirmed(
                text(event, "userPoolId"),
                text(event, "userName"),
                userId,
                email.toLowerCase(Locale.ROOT),
                text(event, "request", "userAttributes", "name"));
        LOG.info(created ? "user onboarded" : "user was already onboarded");
        if (!event.has("response") || event.get("response").isNull()) {
            event.putObject("response");
        }
        return event;
    }
}
