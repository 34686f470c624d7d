package dev.suite.local;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.suite.emulators.Emulators;
import dev.suite.emulators.IamUsage;
import dev.suite.emulators.Template;
import dev.suite.shared.Config;
import dev.suite.shared.Secrets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * In AWS every secret comes from SSM (an environment key NAME_PARAM naming the parameter): each function reads each of
 * its parameters through shared's Secrets, signed with its own key, through the IAM gateway to the SSM stand-in. A
 * parameter its role does not name would be refused here as in AWS.
 */
class SecretsFromSsmTest {
    @Test
    void everyFunctionReadsEachOfItsSsmParametersWithItsOwnRole() {
        Emulators emu = Emulators.shared();
        Template t = Template.repo();
        int before = IamUsage.jvm().denials().size();
        List<String> read = new ArrayList<>();
        for (String fn : t.resourcesOfType("AWS::Serverless::Function").keySet()) {
            Config config = emu.functionConfig(fn);
            Map<String, String> params = new LinkedHashMap<>();
            config.asMap().forEach((k, v) -> {
                if (k.endsWith("_PARAM")) {
                    params.put(k.substring(0, k.length() - "_PARAM".length()), v);
                }
            });
            for (Map.Entry<String, String> p : params.entrySet()) {
                String value = "value-of-" + p.getValue();
                emu.ssm().put(p.getValue(), value);
                // the plain NAME would win (local runs): take the SSM path AWS takes
                Map<String, String> env = new LinkedHashMap<>(config.asMap());
                env.remove(p.getKey());
                assertEquals(
                        value, Secrets.supplier(new Config(env), p.getKey()).get(), fn + " reads " + p.getValue());
                read.add(fn + " " + p.getValue());
            }
        }
        assertTrue(read.size() >= 6, "SSM parameters read: " + read);
        assertEquals(
                List.of(),
                IamUsage.jvm()
                        .denials()
                        .subList(before, IamUsage.jvm().denials().size()));
    }
}
