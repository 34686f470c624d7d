package dev.suite.emulators;

import com.fasterxml.jackson.databind.JsonNode;
import dev.suite.shared.Config;
import dev.suite.shared.Json;
import java.io.BufferedReader;
import java.io.File;
import java.io.IOException;
import java.io.InputStreamReader;
import java.net.HttpURLConnection;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;

/**
 * cognito-local (npm) as a child process: installed from local/cognito-local's lockfile with {@code npm ci}
 * when missing, state in its own directory, confirmation and reset codes captured from its console.
 */
public final class CognitoLocal implements AutoCloseable {

    public record Code(String destination, String code, Instant at) {}

    private final Process process;
    private final int port;
    private final List<Code> codes = new CopyOnWriteArrayList<>();
    private final List<Consumer<Code>> listeners = new CopyOnWriteArrayList<>();

    private CognitoLocal(Process process, int port) {
        this.process = process;
        this.port = port;
    }

    /**
     * @param stateDir   its working directory; state lives in stateDir/.cognito
     * @param lambdaPort where cognito-local sends trigger invocations (0: no triggers)
     * @param triggers   trigger name (PostConfirmation, PreTokenGeneration) to function name
     */
    public static CognitoLocal start(Path stateDir, int lambdaPort, Map<String, String> triggers) throws IOException {
        CognitoLocal c = launch(stateDir, lambdaPort, triggers);
        c.awaitReady();
        return c;
    }

    /** Starts the process without waiting for it (node takes a second or two: do other work meanwhile). */
    public static CognitoLocal launch(Path stateDir, int lambdaPort, Map<String, String> triggers) throws IOException {
        Path pkg = Paths.root().resolve("local/cognito-local");
        Path bin = pkg.resolve("node_modules/cognito-local/lib/bin/start.js");
        if (!Files.exists(bin)) {
            install(pkg);
        }
        int port = Ports.free();
        Path cognitoDir = stateDir.resolve(".cognito");
        Files.createDirectories(cognitoDir);
        Map<String, Object> config = new LinkedHashMap<>();
        config.put(
                "LambdaClient",
                Map.of(
                        "endpoint",
                        "http://127.0.0.1:" + (lambdaPort == 0 ? 1 : lambdaPort),
                        "region",
                        "local",
                        "credentials",
                        Map.of("accessKeyId", "local", "secretAccessKey", "local")));
        config.put("TriggerFunctions", lambdaPort == 0 ? Map.of() : triggers);
        config.put("TokenConfig", Map.of("IssuerDomain", "http://localhost:" + port));
        Files.writeString(cognitoDir.resolve("config.json"), Json.write(config));
        ProcessBuilder pb = new ProcessBuilder("node", bin.toString())
                .directory(stateDir.toFile())
                .redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null")))
                .redirectErrorStream(true);
        pb.environment().put("PORT", Integer.toString(port));
        pb.environment().put("HOST", "127.0.0.1");
        pb.environment().put("DEBUG", "");
        Process p = pb.start();
        CognitoLocal c = new CognitoLocal(p, port);
        Runtime.getRuntime().addShutdownHook(new Thread(c::close, "cognito-local-stop"));
        c.pump();
        c.watchCodes(cognitoDir.resolve("db"));
        return c;
    }

    /** Waits until it answers; stops it when it does not within 30 s. */
    public void awaitReady() throws IOException {
        try {
            awaitReady(Duration.ofSeconds(30));
        } catch (IOException e) {
            close();
            throw e;
        }
    }

    private static void install(Path pkg) throws IOException {
        Npm.ci(pkg, "node_modules/cognito-local/lib/bin/start.js");
    }

    private void pump() {
        Thread t = new Thread(
                () -> {
                    try (BufferedReader r = new BufferedReader(
                            new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8))) {
                        String line;
                        while ((line = r.readLine()) != null) {
                            if (Config.fromSystem().get("COGNITO_LOCAL_VERBOSE").isPresent()) {
                                System.out.println("[cognito-local] " + line);
                            }
                        }
                    } catch (IOException ignored) {
                        // process ended
                    }
                },
                "cognito-local-output");
        t.setDaemon(true);
        t.start();
    }

    /**
     * Confirmation and reset codes, read from cognito-local's user store rather than its console: its logger
     * can hold the last message back until the next one is written, which would leave a user waiting for a code.
     */
    private void watchCodes(Path db) {
        Thread t = new Thread(
                () -> {
                    Set<String> seen = new HashSet<>();
                    Map<Path, Long> stamps = new HashMap<>();
                    while (process.isAlive()) {
                        try {
                            if (Files.isDirectory(db)) {
                                try (var files = Files.list(db)) {
                                    for (Path f : files.filter(x ->
                                                    x.getFileName().toString().startsWith("local_"))
                                            .toList()) {
                                        long stamp =
                                                Files.getLastModifiedTime(f).toMillis() ^ Files.size(f);
                                        if (!Long.valueOf(stamp).equals(stamps.get(f))) {
                                            if (scan(f, seen)) {
                                                stamps.put(f, stamp);
                                            }
                                        }
                                    }
                                }
                            }
                            Thread.sleep(50);
                        } catch (InterruptedException e) {
                            return;
                        } catch (IOException | RuntimeException e) {
                            // a file caught mid-write: read it again on the next tick
                        }
                    }
                },
                "cognito-local-codes");
        t.setDaemon(true);
        t.start();
    }

    private boolean scan(Path file, Set<String> seen) throws IOException {
        JsonNode root;
        try {
            root = Json.EVENTS.readTree(file.toFile());
        } catch (IOException e) {
            return false;
        }
        JsonNode users = root == null ? null : root.get("Users");
        if (users == null) {
            return true;
        }
        for (var it = users.fields(); it.hasNext(); ) {
            var user = it.next().getValue();
            var code = user.get("ConfirmationCode");
            if (code == null || code.isNull()) {
                continue;
            }
            String email = null;
            for (var a : user.path("Attributes")) {
                if ("email".equals(a.path("Name").asText())) {
                    email = a.path("Value").asText();
                }
            }
            String key = user.path("Username").asText() + "/" + code.asText() + "/"
                    + user.path("UserLastModifiedDate").asText();
            if (seen.add(key)) {
                Code c = new Code(email, code.asText(), Instant.now());
                codes.add(c);
                listeners.forEach(l -> l.accept(c));
            }
        }
        return true;
    }

    private void awaitReady(Duration timeout) throws IOException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (System.nanoTime() < deadline) {
            if (!process.isAlive()) {
                throw new IOException("cognito-local exited with " + process.exitValue());
            }
            try {
                HttpURLConnection c = (HttpURLConnection)
                        URI.create(endpoint() + "/health").toURL().openConnection();
                c.setConnectTimeout(200);
                c.setReadTimeout(500);
                c.getResponseCode();
                c.disconnect();
                return;
            } catch (IOException notYet) {
                try {
                    Thread.sleep(100);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    throw new IOException(e);
                }
            }
        }
        throw new IOException("cognito-local did not start within " + timeout);
    }

    public String endpoint() {
        return "http://127.0.0.1:" + port;
    }

    public int port() {
        return port;
    }

    public String issuer(String poolId) {
        return "http://localhost:" + port + "/" + poolId;
    }

    public String jwksUrl(String poolId) {
        return endpoint() + "/" + poolId + "/.well-known/jwks.json";
    }

    /** The newest code sent to an address, delivered again now (ResendConfirmationCode), or null when none was sent. */
    String resend(String destination) {
        for (int i = codes.size() - 1; i >= 0; i--) {
            if (destination.equalsIgnoreCase(codes.get(i).destination())) {
                Code again = new Code(codes.get(i).destination(), codes.get(i).code(), Instant.now());
                codes.add(again);
                listeners.forEach(l -> l.accept(again));
                return again.code();
            }
        }
        return null;
    }

    public List<Code> codes() {
        return codes;
    }

    public void onCode(Consumer<Code> listener) {
        listeners.add(listener);
    }

    /** The newest code sent to an address, waiting for it up to the timeout. */
    public String latestCode(String destination, Duration timeout) {
        return codeAfter(destination, Instant.EPOCH, timeout);
    }

    /** The newest code sent to an address after a moment (say, just before asking for a reset), waiting for it. */
    public String codeAfter(String destination, Instant since, Duration timeout) {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (System.nanoTime() < deadline) {
            for (int i = codes.size() - 1; i >= 0; i--) {
                if (destination.equalsIgnoreCase(codes.get(i).destination())
                        && !codes.get(i).at().isBefore(since)) {
                    return codes.get(i).code();
                }
            }
            try {
                Thread.sleep(20);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                break;
            }
        }
        throw new IllegalStateException("no code was sent to " + destination + " (cognito-local alive: "
                + process.isAlive() + ", codes seen: " + codes.size() + ")");
    }

    @Override
    public void close() {
        process.descendants().forEach(ProcessHandle::destroy);
        process.destroy();
        try {
            if (!process.waitFor(5, TimeUnit.SECONDS)) {
                process.destroyForcibly();
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
