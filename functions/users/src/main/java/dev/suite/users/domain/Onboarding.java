package dev.suite.users.domain;

import dev.suite.shared.auth.Role;
import dev.suite.shared.data.Users;
import java.time.Clock;
import java.time.Instant;
import software.amazon.awssdk.services.cognitoidentityprovider.CognitoIdentityProviderClient;

/**
 * What happens once a user confirms their account: a Users row with the starting credits and its ledger
 * entry (one transaction), and membership of the User group. Cognito retries triggers, so every step is
 * idempotent: a second run leaves one row, one ledger entry, one membership.
 */
public final class Onboarding {
    private final Users users;
    private final CognitoIdentityProviderClient cognito;
    private final long startingCredits;
    private final Clock clock;

    public Onboarding(Users users, CognitoIdentityProviderClient cognito, long startingCredits, Clock clock) {
        this.users = users;
        this.cognito = cognito;
        this.startingCredits = startingCredits;
        this.clock = clock;
    }

    /** @return true when this run created the profile, false when an earlier run had. */
    public boolean onConfirmed(String userPoolId, String username, String userId, String email, String name) {
        boolean created = users.create(userId, email, name, Role.User.name(), startingCredits, Instant.now(clock));
        cognito.adminAddUserToGroup(b -> b.userPoolId(userPoolId).username(username).groupName(Role.User.name()));
        return created;
    }
}
