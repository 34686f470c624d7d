package dev.suite.local;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import com.amazonaws.services.lambda.runtime.RequestHandler;
import com.amazonaws.services.lambda.runtime.RequestStreamHandler;
import dev.suite.emulators.Emulators;
import dev.suite.emulators.Paths;
import dev.suite.emulators.Template;
import dev.suite.shared.Config;
import dev.suite.shared.Json;
import dev.suite.shared.http.Router;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.jar.JarFile;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/** Holds template.yaml and the code to each other, and the template to least privilege. */
class TemplateTest {
    static final Template T = Template.repo();

    static Map<String, Map<String, Object>> functions() {
        return T.resourcesOfType("AWS::Serverless::Function");
    }

    static String handlerClass(String fn) {
        return String.valueOf(T.properties(fn).get("Handler")).split("::")[0];
    }

    @Test
    void everyHandlerClassExistsWithTheTwoConstructors() throws Exception {
        for (String fn : functions().keySet()) {
            Class<?> type = Class.forName(handlerClass(fn));
            assertTrue(
                    RequestHandler.class.isAssignableFrom(type) || RequestStreamHandler.class.isAssignableFrom(type),
                    fn);
            type.getConstructor();
            type.getConstructor(Config.class);
        }
    }

    @Test
    void everyCodeUriIsTheJarOfTheModuleHoldingTheHandler() {
        for (String fn : functions().keySet()) {
            String codeUri = String.valueOf(T.properties(fn).get("CodeUri"));
            assertTrue(codeUri.matches("functions/[a-z]+/target/function-[a-z]+-lambda\\.jar"), fn + ": " + codeUri);
            String module = codeUri.split("/")[1];
            assertTrue(codeUri.endsWith("function-" + module + "-lambda.jar"), codeUri);
            Path source = Paths.root()
                    .resolve("functions/" + module + "/src/main/java/"
                            + handlerClass(fn).replace('.', '/') + ".java");
            assertTrue(Files.exists(source), fn + " handler must live in functions/" + module);
        }
    }

    @Test
    void everyRouteIsWiredToItsFunctionAndNothingElse() throws Exception {
        Emulators emu = Emulators.shared();
        Map<String, Set<String>> declared = new HashMap<>();
        for (Template.ApiRoute r : T.apiRoutes()) {
            assertTrue(
                    declared.computeIfAbsent(r.function(), k -> new TreeSet<>()).add(r.key()),
                    "route declared twice: " + r.key());
        }
        Set<String> all = new HashSet<>();
        for (Map.Entry<String, Set<String>> e : declared.entrySet()) {
            Object handler = Class.forName(handlerClass(e.getKey()))
                    .getConstructor(Config.class)
                    .newInstance(emu.functionConfig(e.getKey()));
            Router router = (Router) handler.getClass().getMethod("router").invoke(handler);
            assertEquals(e.getValue(), router.routes(), e.getKey() + ": template routes and router routes differ");
            for (String k : e.getValue()) {
                assertTrue(all.add(k), "two functions claim " + k);
            }
        }
    }

    @Test
    void everyRouteHasASampleEvent() throws Exception {
        Set<String> sampled = new HashSet<>();
        try (Stream<Path> files = Files.list(Paths.root().resolve("events"))) {
            for (Path f : files.toList()) {
                var node = Json.EVENTS.readTree(f.toFile());
                if (node.has("httpMethod") && node.has("resource")) {
                    sampled.add(node.get("httpMethod").asText() + " "
                            + node.get("resource").asText());
                }
            }
        }
        for (Template.ApiRoute r : T.apiRoutes()) {
            assertTrue(sampled.contains(r.key()), "no events/ sample for " + r.key());
        }
    }

    @Test
    void publicRoutesAreExactlyTheDocumentedOnes() {
        Set<String> open = new TreeSet<>();
        for (Template.ApiRoute r : T.apiRoutes()) {
            if (!r.authorized()) {
                open.add(r.key());
            }
        }
        Set<String> allowed = Set.of(
                "POST /auth/register",
                "POST /auth/confirm",
                "POST /auth/login",
                "POST /auth/refresh",
                "POST /auth/forgot-password",
                "POST /auth/reset-password",
                "GET /payment/vnpay-return",
                "GET /payment/vnpay-ipn",
                "POST /payments/stripe/webhook");
        assertTrue(allowed.containsAll(open), "unexpected public routes: " + open);
        Map<String, Object> api = T.properties("RestApi");
        Map<String, Object> auth = Template.cast(api.get("Auth"));
        assertEquals("CognitoAuthorizer", auth.get("DefaultAuthorizer"));
    }

    @Test
    void noPolicyUsesAWildcardActionOrResource() {
        List<String> problems = new ArrayList<>();
        T.resources().forEach((id, r) -> collectStatements(id, r, problems));
        assertEquals(List.of(), problems);
    }

    @SuppressWarnings("unchecked")
    private static void collectStatements(String id, Object node, List<String> problems) {
        if (node instanceof Map<?, ?> m) {
            Object statement = m.get("Statement");
            if (statement instanceof List<?> list) {
                for (Object s : list) {
                    Map<String, Object> st = (Map<String, Object>) s;
                    boolean deny = "Deny".equals(st.get("Effect"));
                    for (Object a : asList(st.get("Action"))) {
                        // s3:* only to deny, as in a bucket's DenyInsecureTransport
                        if (String.valueOf(a).contains("*") && !(deny && "s3:*".equals(a))) {
                            problems.add(id + ": wildcard action " + a);
                        }
                    }
                    // A KMS key policy's Resource is "*" by rule: it means the key itself.
                    boolean keyPolicy =
                            "AWS::KMS::Key".equals(T.resources().get(id).get("Type"));
                    for (Object res : asList(st.get("Resource"))) {
                        if (!keyPolicy && "*".equals(String.valueOf(res))
                                || String.valueOf(res).endsWith(":*")) {
                            problems.add(id + ": wildcard resource " + res);
                        }
                    }
                }
            }
            m.values().forEach(v -> collectStatements(id, v, problems));
        } else if (node instanceof List<?> l) {
            l.forEach(v -> collectStatements(id, v, problems));
        }
    }

    private static List<?> asList(Object o) {
        return o == null ? List.of() : o instanceof List<?> l ? l : List.of(o);
    }

    @Test
    void tablesAreOnDemandEncryptedAndRecoverable() {
        T.resourcesOfType("AWS::DynamoDB::Table").forEach((id, r) -> {
            Map<String, Object> p = T.properties(id);
            assertEquals("PAY_PER_REQUEST", p.get("BillingMode"), id);
            assertEquals(
                    Boolean.TRUE,
                    Template.<Map<String, Object>>cast(p.get("SSESpecification"))
                            .get("SSEEnabled"),
                    id);
            assertEquals(
                    Boolean.TRUE,
                    Template.<Map<String, Object>>cast(p.get("PointInTimeRecoverySpecification"))
                            .get("PointInTimeRecoveryEnabled"),
                    id);
        });
    }

    @Test
    void bucketsBlockPublicAccessAndEncrypt() {
        var buckets = T.resourcesOfType("AWS::S3::Bucket");
        assertFalse(buckets.isEmpty());
        buckets.forEach((id, r) -> {
            Map<String, Object> p = T.properties(id);
            Map<String, Object> block = Template.cast(p.get("PublicAccessBlockConfiguration"));
            for (String k :
                    List.of("BlockPublicAcls", "BlockPublicPolicy", "IgnorePublicAcls", "RestrictPublicBuckets")) {
                assertEquals(Boolean.TRUE, block == null ? null : block.get(k), id + " " + k);
            }
            assertTrue(p.containsKey("BucketEncryption"), id + " has no encryption");
        });
    }

    @Test
    void noSecretIsAPlainValue() {
        List<String> problems = new ArrayList<>();
        Pattern secretish =
                Pattern.compile(".*(SECRET|API_KEY|PASSWORD|TOKEN|PRIVATE)$|.*(SECRET|API_KEY|TOKEN|PRIVATE)_.*");
        functions().forEach((fn, r) -> {
            Map<String, Object> env = Template.cast(
                    Template.<Map<String, Object>>cast(T.properties(fn).getOrDefault("Environment", Map.of()))
                            .getOrDefault("Variables", Map.of()));
            env.keySet().stream()
                    .filter(k -> secretish.matcher(k).matches() && !k.endsWith("_PARAM"))
                    .forEach(k -> problems.add(
                            fn + " sets " + k + " in plain text; pass an SSM parameter name as " + k + "_PARAM"));
        });
        Map<String, Object> globals = Template.cast(
                Template.<Map<String, Object>>cast(T.globalsFunction().getOrDefault("Environment", Map.of()))
                        .getOrDefault("Variables", Map.of()));
        globals.keySet().stream()
                .filter(k -> secretish.matcher(k).matches())
                .forEach(k -> problems.add("Globals set " + k));
        T.parameters().forEach((name, p) -> {
            Map<String, Object> param = Template.cast(p);
            if (name.matches(".*(Secret|Key).*")
                    && param.get("Default") != null
                    && !String.valueOf(param.get("Default")).startsWith("/")) {
                problems.add("parameter " + name + " has a default that is not an SSM parameter name");
            }
        });
        assertEquals(List.of(), problems);
    }

    @Test
    void corsAllowsNoWildcardOutsideDevAndStagesAreThrottled() throws Exception {
        assertFalse(
                String.valueOf(Template.<Map<String, Object>>cast(T.parameters().get("CorsAllowOrigins"))
                                .get("Default"))
                        .contains("*"));
        String samconfig = Files.readString(Paths.root().resolve("samconfig.toml"));
        String prod = samconfig.substring(samconfig.indexOf("[prod"));
        assertFalse(
                prod.contains("CorsAllowOrigins=*") || prod.contains("CorsAllowOrigins='*'"),
                "prod CORS must name its origins");
        Map<String, Object> settings = Template.<List<Map<String, Object>>>cast(
                        T.properties("RestApi").get("MethodSettings"))
                .get(0);
        assertTrue(
                settings.containsKey("ThrottlingRateLimit") && settings.containsKey("ThrottlingBurstLimit"),
                "REST stage throttling");
        T.resourcesOfType("AWS::ApiGatewayV2::Stage").forEach((id, r) -> {
            Map<String, Object> route = Template.cast(T.properties(id).get("DefaultRouteSettings"));
            assertTrue(route != null && route.containsKey("ThrottlingRateLimit"), id + " throttling");
        });
    }

    /**
     * Every app client with a password flow has a secret, so only the functions (which send SECRET_HASH) can use it.
     */
    @Test
    void noAppClientIsPublic() {
        T.resourcesOfType("AWS::Cognito::UserPoolClient").forEach((id, r) -> {
            Map<String, Object> p = T.properties(id);
            List<String> flows = Template.cast(p.getOrDefault("ExplicitAuthFlows", List.of()));
            if (flows.contains("ALLOW_USER_PASSWORD_AUTH") || flows.contains("ALLOW_USER_SRP_AUTH")) {
                assertEquals(
                        Boolean.TRUE,
                        p.get("GenerateSecret"),
                        id + " lets anyone sign in around /auth/* without a secret");
            }
        });
    }

    /**
     * A user's own access token cannot rewrite attributes through Cognito's UpdateUserAttributes beyond what SignUp
     * writes (email, name), and a new email (the sign-in alias) waits for its verification code.
     */
    @Test
    void usersCannotRewriteTheirAttributesAndAnEmailChangeWaitsForVerification() {
        T.resourcesOfType("AWS::Cognito::UserPoolClient").forEach((id, r) -> {
            Map<String, Object> p = T.properties(id);
            assertEquals(List.of("email", "name"), p.get("WriteAttributes"), id + ": writable attributes");
            assertEquals(
                    List.of("email", "email_verified", "name"), p.get("ReadAttributes"), id + ": readable attributes");
        });
        T.resourcesOfType("AWS::Cognito::UserPool").forEach((id, r) -> {
            Map<String, Object> updates = Template.cast(T.properties(id).get("UserAttributeUpdateSettings"));
            assertEquals(
                    List.of("email"),
                    updates == null ? null : updates.get("AttributesRequireVerificationBeforeUpdate"),
                    id);
        });
    }

    @Test
    void theAuthFunctionChecksThePoolsOwnPasswordPolicy() {
        Map<String, Object> pool = Template.cast(
                Template.<Map<String, Object>>cast(T.properties("UserPool").get("Policies"))
                        .get("PasswordPolicy"));
        List<String> terms = new ArrayList<>(List.of("minLength=" + pool.get("MinimumLength")));
        if (Boolean.TRUE.equals(pool.get("RequireLowercase"))) {
            terms.add("lowercase");
        }
        if (Boolean.TRUE.equals(pool.get("RequireUppercase"))) {
            terms.add("uppercase");
        }
        if (Boolean.TRUE.equals(pool.get("RequireNumbers"))) {
            terms.add("numbers");
        }
        if (Boolean.TRUE.equals(pool.get("RequireSymbols"))) {
            terms.add("symbols");
        }
        Map<String, Object> env = Template.cast(
                Template.<Map<String, Object>>cast(T.properties("AuthFunction").get("Environment"))
                        .get("Variables"));
        assertEquals(String.join(",", terms), env.get("PASSWORD_POLICY"));
    }

    @Test
    void everyFunctionIsTracedAndPublishedWithSnapStart() {
        Map<String, Object> g = T.globalsFunction();
        assertEquals("Active", g.get("Tracing"));
        assertEquals(
                "PublishedVersions",
                Template.<Map<String, Object>>cast(g.get("SnapStart")).get("ApplyOn"));
        assertFalse(String.valueOf(g.get("AutoPublishAlias")).isBlank());
        for (String fn : functions().keySet()) {
            if (T.properties(fn).containsKey("SnapStart") || T.properties(fn).containsKey("Tracing")) {
                fail(fn + " overrides the Globals' tracing or SnapStart");
            }
        }
    }

    /**
     * A function given a secret by SSM parameter name (an environment key ending in _PARAM) reads it with the SDK's
     * SsmClient (shared's Secrets, the ssm module its function module declares): its deployable jar must carry both, or the function fails
     * in AWS (the emulators never take that path: locally the secret itself is in the environment).
     */
    @Test
    void everyFunctionReadingASecretFromSsmCarriesTheSsmReader() throws Exception {
        for (String fn : functions().keySet()) {
            Map<String, Object> env = Template.cast(
                    Template.<Map<String, Object>>cast(T.properties(fn).getOrDefault("Environment", Map.of()))
                            .getOrDefault("Variables", Map.of()));
            if (env.keySet().stream().noneMatch(k -> k.endsWith("_PARAM"))) {
                continue;
            }
            Path jar = Paths.root().resolve(String.valueOf(T.properties(fn).get("CodeUri")));
            assertTrue(Files.exists(jar), jar + " is built before local/'s tests");
            try (JarFile f = new JarFile(jar.toFile())) {
                for (String type : List.of(
                        "dev/suite/shared/Secrets$Ssm.class", "software/amazon/awssdk/services/ssm/SsmClient.class")) {
                    assertTrue(
                            f.getEntry(type) != null,
                            fn + " reads "
                                    + env.keySet().stream()
                                            .filter(k -> k.endsWith("_PARAM"))
                                            .toList() + " but its jar has no " + type);
                }
            }
        }
    }
}
