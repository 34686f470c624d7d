package dev.suite.local;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.suite.emulators.Npm;
import dev.suite.emulators.Paths;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Comparator;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * clients/typescript: its types are what openapi-typescript generates from openapi.yaml today (so they cannot
 * drift), it type-checks, and its journey runs against the local runtime.
 */
class TypeScriptClientTest {
    static final Path DIR = Paths.root().resolve("clients/typescript");
    static LocalRuntime rt;

    @BeforeAll
    static void install() throws Exception {
        Npm.ci(DIR, "node_modules/typescript/bin/tsc");
    }

    @AfterAll
    static void stop() {
        if (rt != null) {
            rt.close();
        }
    }

    @Test
    void theCommittedTypesAreTheOnesGeneratedFromOpenApiYaml() throws Exception {
        Path generated = Files.createTempFile("schema", ".d.ts");
        try {
            Node.Result r = Node.run(
                    DIR,
                    120,
                    "node",
                    "node_modules/openapi-typescript/bin/cli.js",
                    "../../openapi.yaml",
                    "--default-non-nullable",
                    "false",
                    "-o",
                    generated.toString());
            assertEquals(0, r.exit(), r.output());
            assertEquals(
                    Files.readString(generated),
                    Files.readString(DIR.resolve("src/schema.d.ts")),
                    "clients/typescript/src/schema.d.ts is stale: run `npm run generate` in clients/typescript");
        } finally {
            Files.deleteIfExists(generated);
        }
    }

    @Test
    void theClientTypeChecksAndItsJourneyRunsAgainstTheLocalRuntime() throws Exception {
        Node.Result check = Node.run(DIR, 240, "node", "node_modules/typescript/bin/tsc", "--noEmit");
        assertEquals(0, check.exit(), "tsc --noEmit:\n" + check.output());
        Path out = Files.createTempDirectory("ts-client");
        Node.Result build = Node.run(DIR, 240, "node", "node_modules/typescript/bin/tsc", "--outDir", out.toString());
        assertEquals(0, build.exit(), "tsc:\n" + build.output());
        // the compiled journey imports openapi-fetch: resolve it from the client's node_modules
        Files.createSymbolicLink(out.resolve("node_modules"), DIR.resolve("node_modules"));
        Files.writeString(out.resolve("package.json"), "{\"type\":\"module\"}");

        rt = LocalRuntime.start(LocalRuntime.Options.forTests(null), new PrintStream(new ByteArrayOutputStream()));
        Node.Result journey = Node.run(
                out,
                Map.of("SUITE_API_URL", rt.baseUrl()),
                180,
                line -> {
                    if (!line.startsWith("code? ")) {
                        return null;
                    }
                    try {
                        return rt.emulators()
                                .cognitoLocal()
                                .latestCode(line.substring("code? ".length()).trim(), Duration.ofSeconds(10));
                    } catch (Exception e) {
                        return "000000";
                    }
                },
                "node",
                "journey.js");
        try (Stream<Path> files = Files.walk(out)) {
            files.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        }
        assertEquals(0, journey.exit(), "the TypeScript journey failed:\n" + journey.output());
        assertTrue(journey.output().contains("journey ok"), journey.output());
    }
}
