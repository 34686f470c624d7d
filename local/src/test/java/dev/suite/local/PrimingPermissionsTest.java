package dev.suite.local;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.suite.emulators.Emulators;
import dev.suite.emulators.IamUsage;
import dev.suite.emulators.Template;
import dev.suite.shared.Config;
import dev.suite.shared.Priming;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * SnapStart priming runs in AWS with the function's own role: every AWS call a function's priming makes must be allowed
 * by that function's policy in template.yaml, or the priming fails there and warms nothing. Priming runs here with each
 * function's own access key through the emulators' IAM gateway, which evaluates the role ({@code IamPolicies}) as for
 * every other call of every test.
 */
class PrimingPermissionsTest {
    @Test
    void everyAwsCallOfPrimingIsAllowedByTheFunctionsPolicy() throws Exception {
        Emulators emu = Emulators.shared();
        Template t = Template.repo();
        IamUsage usage = IamUsage.jvm();
        List<Map<String, Object>> denied = new ArrayList<>();
        long before = usage.checked();
        for (String fn : t.resourcesOfType("AWS::Serverless::Function").keySet()) {
            Map<String, String> overrides = Map.of(
                    "WEBSOCKET_MANAGEMENT_ENDPOINT",
                    "http://127.0.0.1:1",
                    "CLIPDROP_API_KEY",
                    "priming-key",
                    "VNPAY_TMN_CODE",
                    "PRIMING",
                    "VNPAY_HASH_SECRET",
                    "priming-secret",
                    "VNPAY_RETURN_URL",
                    "http://localhost/payment/vnpay-return");
            Config config = emu.functionConfig(fn, overrides);
            int registered = Priming.registered().size();
            Class.forName(String.valueOf(t.properties(fn).get("Handler")).split("::")[0])
                    .getConstructor(Config.class)
                    .newInstance(config);
            Priming priming = Priming.registered().get(registered);
            int denials = usage.denials().size();
            priming.beforeCheckpoint(null);
            denied.addAll(usage.denials().subList(denials, usage.denials().size()));
        }
        assertTrue(
                usage.checked() - before > 10,
                "priming made AWS calls through the IAM gateway: " + (usage.checked() - before));
        assertEquals(List.of(), denied, "priming calls the function's policy does not allow");
    }
}
