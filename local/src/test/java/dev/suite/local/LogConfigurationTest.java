package dev.suite.local;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.apache.logging.log4j.core.LoggerContext;
import org.junit.jupiter.api.Test;
import org.slf4j.LoggerFactory;

/** In local/ and the tests, the functions' log4j2 configuration (shared) merged with the emulators' quieter levels. */
class LogConfigurationTest {
    @Test
    void functionsLogJsonLinesAtInfoAndTheEmulatorsLibrariesOnlyWarnings() {
        assertNotNull(
                LoggerContext.getContext(false).getConfiguration().getAppender("JsonAppender"),
                "shared's log4j2.xml is in effect");
        assertTrue(LoggerFactory.getLogger("dev.suite.auth.AuthService").isInfoEnabled());
        assertFalse(LoggerFactory.getLogger("software.amazon.awssdk.request").isInfoEnabled());
        assertFalse(LoggerFactory.getLogger("org.eclipse.jetty.server.Server").isInfoEnabled());
        assertTrue(LoggerFactory.getLogger("org.eclipse.jetty.server.Server").isWarnEnabled());
        assertFalse(LoggerFactory.getLogger("org.gaul.s3proxy.S3Proxy").isWarnEnabled());
        assertFalse(
                LoggerFactory.getLogger("com.amazonaws.services.dynamodbv2.local.server.LocalDynamoDBRequestHandler")
                        .isWarnEnabled());
    }
}
