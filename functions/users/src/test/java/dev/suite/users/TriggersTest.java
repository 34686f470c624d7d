package dev.suite.users;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.suite.emulators.Emulators;
import dev.suite.shared.Config;
import dev.suite.shared.data.Credits;
import dev.suite.shared.data.LedgerEntry;
import dev.suite.shared.data.Users;
import dev.suite.testkit.Events;
import dev.suite.users.api.PostConfirmationHandler;
import dev.suite.users.api.PreTokenGenerationHandler;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.cognitoidentityprovider.model.GroupType;

class TriggersTest {
    static Emulators emu;
    static Config config;
    static PostConfirmationHandler postConfirmation;
    static PreTokenGenerationHandler preToken;
    static Users users;
    static Credits credits;

    @BeforeAll
    static void start() {
        emu = Emulators.shared();
        config = emu.functionConfig("PostConfirmationFunction");
        postConfirmation = new PostConfirmationHandler(config);
        preToken = new PreTokenGenerationHandler(emu.functionConfig("PreTokenGenerationFunction"));
        users = Users.from(emu.dynamo(), config);
        credits = Credits.from(config);
    }

    static ObjectNode confirmEvent(CognitoTestUsers.TestUser u, String source) {
        ObjectNode e = Events.json("cognito-post-confirmation");
        e.put("userPoolId", emu.userPoolId());
        e.put("userName", u.username());
        e.put("triggerSource", source);
        ObjectNode attrs = (ObjectNode) e.get("request").get("userAttributes");
        attrs.put("sub", u.userId());
        attrs.put("email", u.email().toUpperCase());
        attrs.put("name", "Ana");
        return e;
    }

    List<String> groups(CognitoTestUsers.TestUser u) {
        return emu
                .cognito()
                .adminListGroupsForUser(b -> b.userPoolId(emu.userPoolId()).username(u.username()))
                .groups()
                .stream()
                .map(GroupType::groupName)
                .toList();
    }

    @Test
    void confirmationCreatesProfileWithStartingCreditsLedgerAndGroup() {
        var u = CognitoTestUsers.create(emu);
        ObjectNode out = Events.invoke(postConfirmation, confirmEvent(u, "PostConfirmation_ConfirmSignUp"));
        assertEquals(
                u.userId(), out.get("request").get("userAttributes").get("sub").asText(), "the event comes back");
        var row = users.get(u.userId()).orElseThrow();
        assertEquals(u.email(), row.email(), "email stored lower-cased");
        assertEquals("User", row.role());
        assertEquals(5, row.credits(), "STARTING_CREDITS from the template's parameter default");
        List<LedgerEntry> ledger = credits.latest(emu.dynamo(), u.userId(), 10);
        assertEquals(1, ledger.size());
        assertEquals(5, ledger.get(0).delta());
        assertEquals("signup", ledger.get(0).reason());
        assertEquals(List.of("User"), groups(u));
    }

    /**
     * The deployment's first admin: ADMIN_EMAIL (the AdminEmail parameter) confirms into Admin, anyone else into User.
     */
    @Test
    void theConfiguredAdminEmailConfirmsIntoAdmin() {
        var first = CognitoTestUsers.create(emu);
        var other = CognitoTestUsers.create(emu);
        PostConfirmationHandler withAdmin = new PostConfirmationHandler(
                config.with(Map.of("ADMIN_EMAIL", " " + first.email().toUpperCase() + " ")));
        Events.invoke(withAdmin, confirmEvent(first, "PostConfirmation_ConfirmSignUp"));
        Events.invoke(withAdmin, confirmEvent(other, "PostConfirmation_ConfirmSignUp"));
        assertEquals(List.of("Admin"), groups(first));
        assertEquals("Admin", users.get(first.userId()).orElseThrow().role());
        assertEquals(List.of("User"), groups(other));
        assertEquals("User", users.get(other.userId()).orElseThrow().role());
        // the next token carries it
        var event = Events.json("cognito-pre-token-generation");
        ((ObjectNode) event.get("request").get("userAttributes")).put("sub", first.userId());
        assertEquals(
                "Admin",
                Events.invoke(preToken, event)
                        .at("/response/claimsOverrideDetails/claimsToAddOrOverride/role")
                        .asText());
    }

    @Test
    void runningTwiceLeavesOneRowOneEntryOneMembership() throws Exception {
        var u = CognitoTestUsers.create(emu);
        ObjectNode event = confirmEvent(u, "PostConfirmation_ConfirmSignUp");
        Events.invoke(postConfirmation, event.deepCopy());
        Events.invoke(postConfirmation, event.deepCopy());
        // and twice at once, as a retry racing the first attempt would
        var v = CognitoTestUsers.create(emu);
        ObjectNode other = confirmEvent(v, "PostConfirmation_ConfirmSignUp");
        ExecutorService pool = Executors.newFixedThreadPool(4);
        List<Future<ObjectNode>> runs = new ArrayList<>();
        for (int i = 0; i < 4; i++) {
            runs.add(pool.submit((Callable<ObjectNode>) () -> Events.invoke(postConfirmation, other.deepCopy())));
        }
        for (Future<ObjectNode> f : runs) {
            f.get();
        }
        pool.shutdown();
        for (var user : List.of(u, v)) {
            assertEquals(5, users.get(user.userId()).orElseThrow().credits());
            assertEquals(1, credits.latest(emu.dynamo(), user.userId(), 10).size());
            assertEquals(5, credits.ledgerSum(emu.dynamo(), user.userId()), "the ledger sums to the balance");
            assertEquals(List.of("User"), groups(user));
        }
    }

    @Test
    void otherTriggerSourcesChangeNothing() {
        var u = CognitoTestUsers.create(emu);
        Events.invoke(postConfirmation, confirmEvent(u, "PostConfirmation_ConfirmForgotPassword"));
        assertTrue(users.get(u.userId()).isEmpty());
        assertTrue(groups(u).isEmpty());
    }

    @Test
    void preTokenGenerationPutsTheCurrentRoleInTheToken() {
        var u = CognitoTestUsers.create(emu);
        ObjectNode event = Events.json("cognito-pre-token-generation");
        ((ObjectNode) event.get("request").get("userAttributes")).put("sub", u.userId());
        ObjectNode out = Events.invoke(preToken, event.deepCopy());
        assertEquals(
                "User",
                out.at("/response/claimsOverrideDetails/claimsToAddOrOverride/role")
                        .asText(),
                "no profile yet: User");
        users.create(u.userId(), u.email(), "A", "User", 5, Instant.now());
        users.setRole(u.userId(), "Coach", Instant.now());
        out = Events.invoke(preToken, event.deepCopy());
        assertEquals(
                "Coach",
                out.at("/response/claimsOverrideDetails/claimsToAddOrOverride/role")
                        .asText());
        assertFalse(
                out.at("/response/claimsOverrideDetails/claimsToAddOrOverride").has("cognito:groups"));
    }
}
