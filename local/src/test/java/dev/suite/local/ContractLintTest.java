package dev.suite.local;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.suite.emulators.Npm;
import dev.suite.emulators.Paths;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * openapi.yaml and asyncapi.yaml pass their standard linters (pinned in contract/, installed with npm ci) with no
 * error.
 */
class ContractLintTest {
    static final Path DIR = Paths.root().resolve("contract");

    @BeforeAll
    static void install() throws Exception {
        Npm.ci(DIR, "node_modules/@asyncapi/cli/bin/run_bin");
    }

    @Test
    void openapiLintsCleanWithRedocly() throws Exception {
        Node.Result r = Node.run(
                DIR,
                180,
                "node",
                "node_modules/@redocly/cli/bin/cli.js",
                "lint",
                "--config",
                "redocly.yaml",
                "../openapi.yaml");
        assertEquals(0, r.exit(), r.output());
        assertTrue(r.output().contains("Your API description is valid"), r.output());
        assertTrue(!r.output().matches("(?s).*You have \\d+ warnings?.*"), "no warnings either:\n" + r.output());
    }

    @Test
    void asyncapiValidatesCleanWithTheAsyncApiCli() throws Exception {
        Path analytics = Files.createTempFile("asyncapi-analytics", ".json");
        Files.writeString(
                analytics, "{\"analyticsEnabled\":\"false\",\"infoMessageShown\":\"true\",\"userID\":\"tests\"}");
        try {
            Node.Result r = Node.run(
                    DIR,
                    Map.of("ASYNCAPI_METRICS_CONFIG_PATH", analytics.toString()),
                    180,
                    line -> null,
                    "node",
                    "node_modules/@asyncapi/cli/bin/run_bin",
                    "validate",
                    "../asyncapi.yaml",
                    "--fail-severity",
                    "warn");
            assertEquals(0, r.exit(), r.output());
            assertTrue(r.output().contains("is valid"), r.output());
            assertTrue(r.output().contains("don't have governance issues"), r.output());
        } finally {
            Files.deleteIfExists(analytics);
        }
    }
}
