package dev.suite.shared;

import java.time.temporal.ChronoUnit;
import java.util.function.Supplier;
import software.amazon.awssdk.services.ssm.SsmClient;
import software.amazon.lambda.powertools.parameters.ssm.SSMProvider;

/**
 * A secret by name: the plain value NAME in the environment (local runs, tests), or the SSM SecureString whose
 * parameter name is NAME_PARAM (AWS), read through Powertools parameters with decryption and cached for five
 * minutes. Never logged; the template holds parameter names only.
 */
public final class Secrets {
    private Secrets() {
    }

    public static Supplier<String> supplier(Config config, String name) {
        var plain = config.get(name);
        if (plain.isPresent()) {
            String value = plain.get();
            return () -> value;
        }
        String parameter = config.get(name + "_PARAM").orElseThrow(() ->
                new IllegalStateException("configure " + name + " (local) or " + name + "_PARAM (an SSM parameter name)"));
        SSMProvider ssm = SSMProvider.builder().withClient(Clients.build(SsmClient.builder(), "SSM", config)).build();
        return () -> ((SSMProvider) ssm.withDecryption().withMaxAge(5, ChronoUnit.MINUTES)).get(parameter);
    }
}
