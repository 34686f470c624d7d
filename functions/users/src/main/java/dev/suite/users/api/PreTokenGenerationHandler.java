package dev.suite.users.api;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.suite.shared.Clients;
import dev.suite.shared.Config;
import dev.suite.shared.Priming;
import dev.suite.shared.auth.Role;
import dev.suite.shared.data.UserRecord;
import dev.suite.shared.data.Users;

/**
 * PreTokenGeneration trigger: puts the user's current role in the tokens, so a role change shows on the next refresh.
 */
public final class PreTokenGenerationHandler extends TriggerHandler {
    private final Users users;

    public PreTokenGenerationHandler() {
        this(Config.fromSystem());
    }

    public PreTokenGenerationHandler(Config config) {
        this(Users.from(Clients.dynamo(config), config));
    }

    public PreTokenGenerationHandler(Users users) {
        this.users = users;
        Priming.register(
                "PreTokenGenerationHandler", () -> prime(synthetic("TokenGeneration_RefreshTokens")), () -> {});
    }

    @Override
    ObjectNode handle(ObjectNode event) {
        String userId = text(event, "request", "userAttributes", "sub");
        String role = userId == null
                ? Role.User.name()
                : users.get(userId).map(UserRecord::role).orElse(Role.User.name());
        ObjectNode response = event.has("response") && event.get("response").isObject()
                ? (ObjectNode) event.get("response")
                : event.putObject("response");
        ObjectNode details = response.putObject("claimsOverrideDetails");
        details.putObject("claimsToAddOrOverride").put("role", role);
        return event;
    }
}
