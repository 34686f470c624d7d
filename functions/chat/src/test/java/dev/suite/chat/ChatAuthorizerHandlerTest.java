package dev.suite.chat;

import static org.junit.jupiter.api.Assertions.assertEquals;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.suite.chat.api.ChatAuthorizerHandler;
import dev.suite.emulators.Emulators;
import dev.suite.shared.Json;
import dev.suite.shared.SyntheticContext;
import dev.suite.testkit.Events;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.cognitoidentityprovider.model.AttributeType;
import software.amazon.awssdk.services.cognitoidentityprovider.model.AuthFlowType;

class ChatAuthorizerHandlerTest {
    @Test
    @SuppressWarnings("unchecked")
    void allowsAVerifiedIdTokenWithTheUserInTheContextAndDeniesEverythingElse() {
        Emulators emu = Emulators.shared();
        String email = "ws" + UUID.randomUUID().toString().substring(0, 8) + "@example.com";
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
        var tokens = emu.cognito()
                .initiateAuth(b -> b.clientId(emu.clientId())
                        .authFlow(AuthFlowType.USER_PASSWORD_AUTH)
                        .authParameters(Map.of("USERNAME", email, "PASSWORD", "Passw0rdOk")))
                .authenticationResult();
        ChatAuthorizerHandler handler = new ChatAuthorizerHandler(emu.functionConfig("ChatAuthorizerFunction"));
        for (Map.Entry<String, String> c : Map.of(
                        tokens.idToken(), "Allow", tokens.accessToken(), "Deny", "garbage", "Deny", "", "Deny")
                .entrySet()) {
            ObjectNode event = Events.json("ws-authorizer");
            ((ObjectNode) event.get("queryStringParameters")).put("token", c.getKey());
            Map<String, Object> out =
                    handler.handleRequest(Json.EVENTS.convertValue(event, Map.class), new SyntheticContext());
            Map<String, Object> statement = ((List<Map<String, Object>>)
                            ((Map<String, Object>) out.get("policyDocument")).get("Statement"))
                    .get(0);
            assertEquals(c.getValue(), statement.get("Effect"));
            assertEquals(event.get("methodArn").asText(), statement.get("Resource"));
            if (c.getValue().equals("Allow")) {
                assertEquals(sub, ((Map<String, Object>) out.get("context")).get("userId"));
            }
        }
    }
}
