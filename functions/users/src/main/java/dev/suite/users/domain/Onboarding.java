package dev.suite.users.domain;

import dev.suite.shared.auth.Role;
import dev.suite.shared.data.Users;
import dev.suite.users.store.RoleStore;
import java.time.Clock;
import java.time.Instant;
import java.util.Locale;
import java.util.function.Supplier;
import software.amazon.awssdk.services.cognitoidentityprovider.CognitoIdentityProviderClient;
import software.amazon.awssdk.services.cognitoidentityprovider.model.AdminAddUserToGroupRequest;

/**
 * What happens once a user confirms their account: a Users row with the starting credits and its ledger
 * entry (one transaction), and membership of the User group (the Admin group for the deployment's first admin,
 * {@code ADMIN_EMAIL}: the confirmation code proved the address). Cognito retries triggers, so every step is
 * idempotent: a second run leaves one row, one ledger entry, one membership.
 */
public final class Onboarding {
    private final Users users;
    private final Supplier<CognitoIdentityProviderClient> cognito;
    private final long startingCredits;
    private final Clock clock;
    private final String adminEmail;
    private final RoleStore roles;

    public Onboarding(
            Users users,
            RoleStore roles,
            Supplier<CognitoIdentityProviderClient> cognito,
            long startingCredits,
            Clock clock,
            String adminEmail) {
        this.roles = roles;
        this.users = users;
        this.cognito = cognito;
        this.startingCredits = startingCredits;
        this.clock = clock;
        this.adminEmail = adminEmail == null || adminEmail.isBlank()
                ? null
                : adminEmail.trim().toLowerCase(Locale.ROOT);
    }

    /** The role a newly confirmed user starts with. */
    Role firstRole(String email) {
        return adminEmail != null && adminEmail.equals(email.toLowerCase(Locale.ROOT)) ? Role.Admin : Role.User;
    }

    /**
     * For SnapStart priming: the profile's transaction, refused by its condition (nothing written), the Cognito client
     * built and the group request made but not sent (the trigger has no pool id of its own to send it to).
     */
    public void primeCreate() {
        users.primeCreate();
        cognito.get();
        AdminAddUserToGroupRequest.builder()
                .userPoolId("priming")
                .username("priming")
                .groupName(Role.User.name())
                .build();
    }

    /** @return true when this run created the profile, false when an earlier run had. */
    public boolean onConfirmed(String userPoolId, String username, String userId, String email, String name) {
        Role role = firstRole(email);
        boolean created = users.create(userId, email, name, role.name(), startingCredits, Instant.now(clock));
        cognito.get()
                .adminAddUserToGroup(
                        b -> b.userPoolId(userPoolId).username(username).groupName(role.name()));
        if (created && role == Role.Admin) {
            roles.countNewAdmin();
        }
        return created;
    }
}
