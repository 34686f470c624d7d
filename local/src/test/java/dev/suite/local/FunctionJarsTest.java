package dev.suite.local;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.suite.emulators.Paths;
import dev.suite.emulators.Template;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.jar.JarEntry;
import java.util.jar.JarFile;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * What the deployable jars (every CodeUri of the template) carry: one way to call AWS (the SDK's own clients on the
 * URLConnection client), so none of the hand-written protocol code, Netty or Apache's HTTP client; and the SDK module
 * of every service a function's own classes call (shared declares them optional, each function module its own).
 */
class FunctionJarsTest {
    static final Template T = Template.repo();
    /** Classes the SDK's clients replaced: none may come back. */
    static final List<String> DELETED = List.of(
            "dev/suite/shared/S3.class",
            "dev/suite/shared/S3$",
            "dev/suite/shared/AwsJsonApi",
            "dev/suite/shared/CognitoApi",
            "dev/suite/shared/Cognito.class",
            "dev/suite/shared/Cognito$",
            "dev/suite/shared/http/ResponseJson",
            "dev/suite/shared/push/JdkAsyncHttpClient");
    /** Netty (the SDK's default async client) and Apache's HTTP client (its default sync client). */
    static final List<String> HEAVY_HTTP = List.of(
            "io/netty/",
            "software/amazon/awssdk/http/nio/netty/",
            "software/amazon/awssdk/http/apache/",
            "org/apache/http/");

    static final Pattern SERVICE = Pattern.compile("software/amazon/awssdk/services/([a-z0-9]+)/");

    static Set<Path> jars() {
        Set<Path> jars = new TreeSet<>();
        T.resourcesOfType("AWS::Serverless::Function")
                .keySet()
                .forEach(fn -> jars.add(
                        Paths.root().resolve(String.valueOf(T.properties(fn).get("CodeUri")))));
        return jars;
    }

    static List<String> entries(Path jar) throws IOException {
        assertTrue(Files.exists(jar), jar + " is built (mvn package) before local/'s tests");
        try (JarFile f = new JarFile(jar.toFile())) {
            return Collections.list(f.entries()).stream().map(JarEntry::getName).toList();
        }
    }

    @Test
    void noFunctionJarHoldsTheDeletedProtocolCodeOrNettyOrApache() throws IOException {
        Set<Path> jars = jars();
        assertEquals(7, jars.size(), "one jar per function module: " + jars);
        for (Path jar : jars) {
            List<String> names = entries(jar);
            for (String name : names) {
                for (String banned : DELETED) {
                    assertFalse(name.startsWith(banned), jar.getFileName() + " holds " + name);
                }
                for (String banned : HEAVY_HTTP) {
                    assertFalse(name.startsWith(banned), jar.getFileName() + " holds " + name);
                }
            }
            assertTrue(
                    names.contains("software/amazon/awssdk/http/urlconnection/UrlConnectionHttpClient.class"),
                    jar.getFileName() + " carries the one HTTP client of its SDK clients");
        }
    }

    /**
     * Every SDK service a function module's classes name (in their constant pools) is in its jar: a module that builds an
     * S3 or Cognito client without declaring the SDK module would fail in AWS with NoClassDefFoundError.
     */
    @Test
    void everyServiceAFunctionCallsIsInItsJar() throws IOException {
        int checked = 0;
        for (Path jar : jars()) {
            List<String> names = entries(jar);
            Set<String> named = new TreeSet<>();
            try (JarFile f = new JarFile(jar.toFile())) {
                for (String name : names) {
                    if (name.startsWith("dev/suite/")
                            && !name.startsWith("dev/suite/shared/")
                            && name.endsWith(".class")) {
                        try (InputStream in = f.getInputStream(f.getEntry(name))) {
                            Matcher m = SERVICE.matcher(new String(in.readAllBytes(), StandardCharsets.ISO_8859_1));
                            while (m.find()) {
                                named.add(m.group(1));
                            }
                        }
                    }
                }
            }
            List<String> missing = new ArrayList<>();
            for (String service : named) {
                if (names.stream()
                        .noneMatch(n -> n.startsWith("software/amazon/awssdk/services/" + service + "/")
                                && n.endsWith("Client.class"))) {
                    missing.add(service);
                }
            }
            assertTrue(missing.isEmpty(), jar.getFileName() + " calls " + missing + " without the SDK module");
            assertTrue(named.contains("dynamodb"), jar.getFileName() + " names " + named);
            checked += named.size();
        }
        assertTrue(checked >= 7 + 6, "the services of seven jars were read: " + checked);
    }
}
