package dev.suite.users;

import dev.suite.emulators.Emulators;
import java.util.UUID;
import software.amazon.awssdk.services.cognitoidentityprovider.model.AttributeType;

/** Confirmed users made straight in cognito-local, for trigger and admin tests. */
final class CognitoTestUsers {
    record TestUser(String userId, String username, String email) {}

    private CognitoTestUsers() {}

    static TestUser create(Emulators emu) {
        String email = "c" + UUID.randomUUID().toString().substring(0, 8) + "@example.com";
        String sub = emu.cognito()
                .signUp(b -> b.clientId(emu.clientId())
                        .username(email)
                        .password("Passw0rdOk")
                        .userAttributes(AttributeType.builder()
                                .name("email")
                                .value(email)
                                .build()))
                .userSub();
        emu.cognito().adminConfirmSignUp(b -> b.userPoolId(emu.userPoolId()).username(sub));
        String username = emu.cognito()
                .adminGetUser(b -> b.userPoolId(emu.userPoolId()).username(sub))
                .username();
        return new TestUser(sub, username, email);
    }
}
