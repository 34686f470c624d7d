package dev.suite.shared;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The level keys as Lambda sets them, read once per JVM (by Powertools, from the environment): each case runs a JVM of
 * its own with that environment.
 */
class LogLevelEnvTest {
    @Test
    void powertoolsLogLevelSetsTheRootAndTheSdkStaysAtWarn() throws Exception {
        String out = run(Map.of("POWERTOOLS_LOG_LEVEL", "DEBUG", "AWS_LAMBDA_LOG_LEVEL", "DEBUG"));
        assertTrue(out.contains("probe debug") && out.contains("sdk warn"), out);
        assertFalse(out.contains("sdk info"), out);
    }

    @Test
    void lambdasLevelAppliesWhenPowertoolsIsUnset() throws Exception {
        String out = run(Map.of("AWS_LAMBDA_LOG_LEVEL", "WARN"));
        assertTrue(out.contains("probe warn") && out.contains("sdk warn"), out);
        assertFalse(out.contains("probe info") || out.contains("probe debug"), out);
    }

    @Test
    void powertoolsWinsOverLambda() throws Exception {
        String out = run(Map.of("POWERTOOLS_LOG_LEVEL", "ERROR", "AWS_LAMBDA_LOG_LEVEL", "INFO"));
        assertFalse(out.contains("probe info") || out.contains("probe warn"), out);
        assertTrue(out.contains("probe error"), out);
    }

    static String run(Map<String, String> env) throws Exception {
        ProcessBuilder pb = new ProcessBuilder(
                        Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                        "-cp",
                        System.getProperty("java.class.path"),
                        Probe.class.getName())
                .redirectErrorStream(true);
        for (String key : List.of("POWERTOOLS_LOG_LEVEL", "AWS_LAMBDA_LOG_LEVEL", "POWERTOOLS_LOGGER_SAMPLE_RATE")) {
            pb.environment().remove(key);
        }
        pb.environment().putAll(env);
        Process p = pb.start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(p.waitFor(30, TimeUnit.SECONDS), "the probe finished");
        assertEquals(0, p.exitValue(), out);
        assertTrue(out.contains("probe done"), out);
        return out;
    }

    /** Logs at every level from a function's logger and from the AWS SDK's, inside an invocation's scope. */
    public static final class Probe {
        public static void main(String[] args) {
            Logger mine = Log.get(Probe.class);
            Logger sdk = LoggerFactory.getLogger("software.amazon.awssdk.request");
            Log.around(new SyntheticContext("probe"), "corr-probe", () -> {
                mine.debug("probe debug");
                mine.info("probe info");
                mine.warn("probe warn");
                mine.error("probe error");
                sdk.info("sdk info");
                sdk.warn("sdk warn");
                return null;
            });
            System.out.println("probe done");
        }
    }
}
