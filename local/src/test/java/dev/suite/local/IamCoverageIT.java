package dev.suite.local;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;

import com.fasterxml.jackson.databind.JsonNode;
import dev.suite.emulators.Emulators;
import dev.suite.emulators.IamPolicies;
import dev.suite.emulators.Paths;
import dev.suite.emulators.Resolver;
import dev.suite.emulators.Template;
import dev.suite.shared.Json;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * The reverse IAM report, run after every module's tests of the reactor (local's integration-test phase): the IAM
 * gateway of each test JVM wrote which statement allowed which action ({@code <module>/target/iam/usage-<pid>.json},
 * {@code IamUsage}). Fails on every refusal any test met (also the ones code swallowed, a best-effort fan-out), and,
 * when every module with tests ran in this reactor, on every (function, statement, action) of template.yaml that no
 * test exercised: a policy holds what the code does and no more.
 */
class IamCoverageIT {
    static final Path ROOT = Paths.root();
    /**
     * Statement actions the code does use that no test exercises every run, each with where the code uses it. Kept short.
     */
    static final Map<String, String> NOT_YET_EXERCISED = Map.of();

    /** The modules whose tests run functions against the emulators, from the root pom. */
    static List<String> modules() throws IOException {
        List<String> out = new ArrayList<>();
        Matcher m = Pattern.compile("<module>([^<]+)</module>").matcher(Files.readString(ROOT.resolve("pom.xml")));
        while (m.find()) {
            if (m.group(1).startsWith("functions/") || m.group(1).equals("local")) {
                out.add(m.group(1));
            }
        }
        return out;
    }

    /** This run's usage files of a module. */
    static List<JsonNode> usage(String module, String run) throws IOException {
        Path dir = ROOT.resolve(module).resolve("target/iam");
        List<JsonNode> out = new ArrayList<>();
        if (!Files.isDirectory(dir)) {
            return out;
        }
        try (Stream<Path> files = Files.list(dir)) {
            for (Path f : files.filter(p -> p.getFileName().toString().startsWith("usage-"))
                    .toList()) {
                JsonNode n = Json.EVENTS.readTree(f.toFile());
                if (run.equals(n.path("run").asText())) {
                    out.add(n);
                }
            }
        }
        return out;
    }

    @Test
    void noTestMetARefusalAndEveryStatementActionIsExercised() throws IOException {
        String run = System.getProperty("suite.iam.run");
        assertNotNull(run, "suite.iam.run (the root pom sets it for every test JVM of a reactor run)");
        Set<String> used = new HashSet<>();
        Set<String> denials = new TreeSet<>();
        List<String> missing = new ArrayList<>();
        for (String module : modules()) {
            List<JsonNode> files = usage(module, run);
            if (files.isEmpty()) {
                missing.add(module);
            }
            for (JsonNode n : files) {
                n.path("allowed")
                        .forEach(a -> used.add(a.get("function").asText() + "#"
                                + a.get("statement").asInt() + " "
                                + a.get("action").asText()));
                n.path("denied")
                        .forEach(d ->
                                denials.add(module + ": " + d.path("message").asText()));
            }
        }
        assertEquals(Set.of(), denials, "calls IAM refused in this run's tests");
        if (!missing.isEmpty()) {
            // a partial reactor (-pl local): the refusals above are checked; statement coverage needs every module's
            // tests
            System.out.println(
                    "IamCoverageIT: statement coverage needs the whole reactor; no IAM usage of this run from "
                            + missing);
            return;
        }
        Template t = Template.load(ROOT.resolve("template.yaml"));
        IamPolicies policies = IamPolicies.of(t, new Resolver(t, Map.of("AWS::Region", Emulators.REGION), Map.of()));
        List<String> unused = new ArrayList<>();
        policies.all()
                .forEach((fn, statements) -> statements.stream()
                        .filter(IamPolicies.Statement::allow)
                        .forEach(s -> {
                            for (String action : s.actions()) {
                                String known =
                                        fn + " " + action + " " + s.resources().get(0);
                                boolean exercised = used.contains(fn + "#" + s.index() + " " + action);
                                if (!exercised && !NOT_YET_EXERCISED.containsKey(known)) {
                                    unused.add(s.label() + " " + action + " on " + s.resources());
                                }
                            }
                        }));
        assertEquals(
                List.of(),
                unused,
                unused.size() + " statement actions no test exercised: remove them from template.yaml "
                        + "or add the test that exercises what the code does");
    }
}
