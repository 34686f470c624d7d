package dev.suite.emulators;

import com.amazonaws.services.dynamodbv2.local.main.ServerRunner;
import com.amazonaws.services.dynamodbv2.local.server.DynamoDBProxyServer;
import dev.suite.shared.Clients;
import dev.suite.shared.Config;
import java.io.OutputStream;
import java.io.PrintStream;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.ConcurrentHashMap;
import org.gaul.s3proxy.AuthenticationType;
import org.gaul.s3proxy.S3Proxy;
import org.jclouds.ContextBuilder;
import org.jclouds.blobstore.BlobStoreContext;
import software.amazon.awssdk.services.cognitoidentityprovider.CognitoIdentityProviderClient;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.s3.S3Client;

/**
 * DynamoDB Local, S3Proxy and cognito-local on free ports, with the tables, buckets, user pool, app client and
 * groups that template.yaml declares. One instance per test JVM ({@link #shared()}); local/ starts its own.
 */
public final class Emulators implements AutoCloseable {
    public static final String REGION = "us-east-1";
    public static final String ACCESS_KEY = "local";
    public static final String SECRET_KEY = "localsecret";
    /** A function's access key is this prefix and its logical id (DynamoDB Local takes letters and digits only). */
    public static final String KEY_PREFIX = "fn";

    private static Emulators shared;

    private final Template template;
    private final DynamoDBProxyServer dynamoServer;
    private final int dynamoPort;
    private final S3Proxy s3Proxy;
    private final CognitoLocal cognito;
    private final Map<String, String> refs = new ConcurrentHashMap<>();
    private final Config baseConfig;
    private final DynamoDbClient dynamo;
    private final S3Client s3;
    private final CognitoIdentityProviderClient cognitoClient;
    private final Resources resources;
    private final IamGateway iam;
    private final SsmStandIn ssm = new SsmStandIn();

    /** Options: a data directory (null: in memory), the Lambda Invoke endpoint for Cognito triggers (0: none). */
    public record Options(Path dataDir, int lambdaPort, Map<String, String> triggers) {
        public static Options inMemory() {
            return new Options(null, 0, Map.of());
        }
    }

    private Emulators(Template template, Options options) throws Exception {
        this.template = template;
        Path state = options.dataDir() != null ? options.dataDir() : Files.createTempDirectory("suite-emulators");
        Files.createDirectories(state);
        // node boots while DynamoDB Local and S3Proxy start in this JVM
        CognitoLocal launched = CognitoLocal.launch(state.resolve("cognito"), options.lambdaPort(), options.triggers());
        this.dynamoPort = Ports.free();
        List<String> args = new ArrayList<>(List.of(
                "-port",
                Integer.toString(dynamoPort),
                "-disableTelemetry",
                // one database whatever the access key: each function signs with its own (see IamGateway)
                "-sharedDb"));
        if (options.dataDir() == null) {
            args.add("-inMemory");
        } else {
            Path db = state.resolve("dynamodb");
            Files.createDirectories(db);
            args.addAll(List.of("-dbPath", db.toString()));
        }
        PrintStream stdout = System.out;
        try {
            // DynamoDB Local prints its settings banner on stdout; keep the runtime's console to what matters.
            System.setOut(new PrintStream(OutputStream.nullOutputStream()));
            this.dynamoServer = ServerRunner.createServerFromCommandLineArgs(args.toArray(String[]::new));
            dynamoServer.start();
        } finally {
            System.setOut(stdout);
        }

        Properties props = new Properties();
        String provider = "transient";
        if (options.dataDir() != null) {
            Path blobs = state.resolve("s3");
            Files.createDirectories(blobs);
            props.setProperty("jclouds.filesystem.basedir", blobs.toString());
            provider = "filesystem";
        }
        BlobStoreContext blobs = ContextBuilder.newBuilder(provider)
                .credentials("identity", "credential")
                .overrides(props)
                .build(BlobStoreContext.class);
        this.s3Proxy = S3Proxy.builder()
                .blobStore(blobs.getBlobStore())
                .endpoint(URI.create("http://127.0.0.1:0"))
                .awsAuthentication(AuthenticationType.NONE, ACCESS_KEY, SECRET_KEY)
                .ignoreUnknownHeaders(true)
                .build();
        s3Proxy.start();
        long deadline = System.currentTimeMillis() + 10_000;
        while (!"STARTED".equals(s3Proxy.getState()) && System.currentTimeMillis() < deadline) {
            Thread.sleep(10);
        }

        launched.awaitReady();
        this.cognito = launched;

        Map<String, String> env = new LinkedHashMap<>();
        env.put("AWS_REGION", REGION);
        env.put("AWS_ACCESS_KEY_ID", ACCESS_KEY);
        env.put("AWS_SECRET_ACCESS_KEY", SECRET_KEY);
        env.put("AWS_ENDPOINT_URL_DYNAMODB", "http://127.0.0.1:" + dynamoPort);
        env.put("AWS_ENDPOINT_URL_S3", "http://127.0.0.1:" + s3Proxy.getPort());
        env.put("AWS_ENDPOINT_URL_COGNITO_IDENTITY_PROVIDER", cognito.endpoint());
        env.put("AWS_EMF_ENVIRONMENT", "Local");
        env.put("S3_FORCE_PATH_STYLE", "true");
        // the emulators' own clients (provisioning, tests looking at data) reach the emulators directly
        Config direct = new Config(env);
        this.dynamo = Clients.dynamo(direct);
        this.s3 = Clients.s3(direct);
        this.cognitoClient =
                Clients.build(CognitoIdentityProviderClient.builder(), "COGNITO_IDENTITY_PROVIDER", direct);
        this.resources = new Resources(template, dynamo, s3, cognitoClient, refs);
        resources.provision();
        Resolver resolver = resolver();
        this.iam = new IamGateway(
                IamPolicies.of(template, resolver),
                new IamRequests(template, resolver),
                IamUsage.jvm(),
                java.time.Clock.systemUTC(),
                Map.of(
                        IamGateway.Service.DYNAMODB, URI.create("http://127.0.0.1:" + dynamoPort),
                        IamGateway.Service.S3, URI.create("http://127.0.0.1:" + s3Proxy.getPort()),
                        IamGateway.Service.COGNITO, URI.create(cognito.endpoint()),
                        IamGateway.Service.SSM, URI.create("http://127.0.0.1:1")),
                ssm);
        iam.cognitoGaps(this::cognitoGap);
        // what the functions get: every AWS call through IAM
        env.put("AWS_ENDPOINT_URL_DYNAMODB", iam.endpoint(IamGateway.Service.DYNAMODB));
        env.put("AWS_ENDPOINT_URL_S3", iam.endpoint(IamGateway.Service.S3));
        env.put("AWS_ENDPOINT_URL_COGNITO_IDENTITY_PROVIDER", iam.endpoint(IamGateway.Service.COGNITO));
        env.put("AWS_ENDPOINT_URL_SSM", iam.endpoint(IamGateway.Service.SSM));
        this.baseConfig = new Config(env);
    }

    /**
     * ResendConfirmationCode, which cognito-local does not serve: an unconfirmed user is sent its code again (the one
     * cognito-local holds, so ConfirmSignUp accepts it), a confirmed one gets Cognito's InvalidParameterException.
     */
    private SsmStandIn.Answer cognitoGap(String operation, byte[] body) {
        if (!operation.equals("ResendConfirmationCode")) {
            return null;
        }
        try {
            String username =
                    dev.suite.shared.Json.EVENTS.readTree(body).path("Username").asText();
            var user =
                    cognitoClient.adminGetUser(b -> b.userPoolId(userPoolId()).username(username));
            if (!"UNCONFIRMED".equals(user.userStatusAsString())) {
                return new SsmStandIn.Answer(
                        400,
                        dev.suite.shared.Json.write(Map.of(
                                "__type", "InvalidParameterException", "message", "User is already confirmed.")));
            }
            String email = user.userAttributes().stream()
                    .filter(a -> a.name().equals("email"))
                    .map(a -> a.value())
                    .findFirst()
                    .orElse(username);
            if (cognito.resend(email) == null) {
                return null;
            }
            return new SsmStandIn.Answer(
                    200,
                    dev.suite.shared.Json.write(Map.of(
                            "CodeDeliveryDetails",
                            Map.of("Destination", email, "DeliveryMedium", "EMAIL", "AttributeName", "email"))));
        } catch (software.amazon.awssdk.services.cognitoidentityprovider.model.UserNotFoundException e) {
            return new SsmStandIn.Answer(
                    400,
                    dev.suite.shared.Json.write(
                            Map.of("__type", "UserNotFoundException", "message", "User does not exist.")));
        } catch (java.io.IOException e) {
            return null;
        }
    }

    /** A function's own access key: the IAM gateway evaluates the function's role for every call signed with it. */
    public static String accessKey(String functionLogicalId) {
        return KEY_PREFIX + functionLogicalId;
    }

    /** IAM in front of every emulator (also what local's {@code @connections} API checks with). */
    public IamGateway iam() {
        return iam;
    }

    /** The SSM stand-in's parameters, for functions configured with {@code NAME_PARAM} rather than NAME. */
    public SsmStandIn ssm() {
        return ssm;
    }

    public static Emulators start(Template template, Options options) {
        try {
            return new Emulators(template, options);
        } catch (RuntimeException e) {
            throw e;
        } catch (Exception e) {
            throw new IllegalStateException("emulators failed to start: " + e.getMessage(), e);
        }
    }

    /** The emulators of this test JVM, started on first use and stopped at exit. */
    public static synchronized Emulators shared() {
        if (shared == null) {
            shared = start(Template.repo(), Options.inMemory());
            Emulators e = shared;
            Runtime.getRuntime().addShutdownHook(new Thread(e::close));
        }
        return shared;
    }

    public Template template() {
        return template;
    }

    public DynamoDbClient dynamo() {
        return dynamo;
    }

    public S3Client s3() {
        return s3;
    }

    public CognitoIdentityProviderClient cognito() {
        return cognitoClient;
    }

    public CognitoLocal cognitoLocal() {
        return cognito;
    }

    public String userPoolId() {
        return refs.get("UserPool");
    }

    public String clientId() {
        return refs.get("UserPoolClient");
    }

    /** Local name or id of a template resource, as its Ref resolves locally. */
    public String ref(String logicalId) {
        return refs.getOrDefault(logicalId, logicalId);
    }

    /** Settings every function gets locally: region, keys, emulator endpoints, the pool's issuer and JWKS. */
    public Config baseConfig() {
        return baseConfig.with(Map.of(
                "JWT_ISSUER", cognito.issuer(userPoolId()),
                "JWKS_URL", cognito.jwksUrl(userPoolId())));
    }

    /** The environment a function of the template gets: Globals plus its own, resolved, over the base config. */
    public Config functionConfig(String functionLogicalId) {
        return functionConfig(functionLogicalId, Map.of());
    }

    public Config functionConfig(String functionLogicalId, Map<String, String> overrides) {
        Resolver resolver = resolver();
        Map<String, String> env = new LinkedHashMap<>(baseConfig().asMap());
        env.putAll(variables(resolver, template.globalsFunction()));
        env.putAll(variables(resolver, template.properties(functionLogicalId)));
        env.remove("JAVA_TOOL_OPTIONS");
        env.put("AWS_LAMBDA_FUNCTION_NAME", functionLogicalId);
        env.put("AWS_ACCESS_KEY_ID", accessKey(functionLogicalId));
        env.putAll(overrides);
        return new Config(env);
    }

    public Resolver resolver() {
        Map<String, String> r = new HashMap<>(refs);
        r.put("AWS::Region", REGION);
        return new Resolver(template, r, Map.of());
    }

    private static Map<String, String> variables(Resolver resolver, Map<String, Object> props) {
        Map<String, Object> environment = Template.cast(props.getOrDefault("Environment", Map.of()));
        Map<String, Object> vars = Template.cast(environment.getOrDefault("Variables", Map.of()));
        Map<String, String> out = new LinkedHashMap<>();
        vars.forEach((k, v) -> {
            String value = resolver.string(v);
            if (value != null) {
                out.put(k, value);
            }
        });
        return out;
    }

    public int dynamoPort() {
        return dynamoPort;
    }

    public int s3Port() {
        return s3Proxy.getPort();
    }

    /** Empties every table and bucket, keeping users in the pool (tests use unique emails). */
    public void resetData() {
        resources.clearTables();
    }

    @Override
    public void close() {
        iam.close();
        try {
            cognito.close();
        } catch (RuntimeException ignored) {
            // best effort
        }
        try {
            s3Proxy.stop();
        } catch (Exception ignored) {
            // best effort
        }
        try {
            dynamoServer.stop();
        } catch (Exception ignored) {
            // best effort
        }
    }
}
