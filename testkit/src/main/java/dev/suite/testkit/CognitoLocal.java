package dev.suite.testkit;

import dev.suite.shared.Json;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.net.HttpURLConnection;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * cognito-local (npm) as a child process: installed from local/cognito-local's lockfile with {@code npm ci}
 * when missing, state in its own directory, confirmation and reset codes captured from its console.
 */
public final class CognitoLocal implements AutoCloseable {
    private static final Pattern DESTINATION = Pattern.compile("Destination:\\s*(\\S+)");
    private static final Pattern CODE = Pattern.compile("Code:\\s*(\\d+)");

    public record Code(String destination, String code, Instant at) {
    }

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
        Path pkg = Paths.root().resolve("local/cognito-local");
        Path bin = pkg.resolve("node_modules/cognito-local/lib/bin/start.js");
        if (!Files.exists(bin)) {
            install(pkg);
        }
        int port = Ports.free();
        Path cognitoDir = stateDir.resolve(".cognito");
        Files.createDirectories(cognitoDir);
        Map<String, Object> config = new java.util.LinkedHashMap<>();
        config.put("LambdaClient", Map.of("endpoint", "http://127.0.0.1:" + (lambdaPort == 0 ? 1 : lambdaPort),
                "region", "local", "credentials", Map.of("accessKeyId", "local", "secretAccessKey", "local")));
        config.put("TriggerFunctions", lambdaPort == 0 ? Map.of() : triggers);
        config.put("TokenConfig", Map.of("IssuerDomain", "http://localhost:" + port));
        Files.writeString(cognitoDir.resolve("config.json"), Json.write(config));
        ProcessBuilder pb = new ProcessBuilder("node", bin.toString())
                .directory(stateDir.toFile())
                .redirectInput(ProcessBuilder.Redirect.from(new java.io.File("/dev/null")))
                .redirectErrorStream(true);
        pb.environment().put("PORT", Integer.toString(port));
        pb.environment().put("HOST", "127.0.0.1");
        pb.environment().put("DEBUG", "");
        Process p = pb.start();
        CognitoLocal c = new CognitoLocal(p, port);
        Runtime.getRuntime().addShutdownHook(new Thread(c::close, "cognito-local-stop"));
        c.pump();
        try {
            c.awaitReady(Duration.ofSeconds(30));
        } catch (IOException e) {
            c.close();
            throw e;
        }
        return c;
    }

    private static synchronized void install(Path pkg) throws IOException {
        if (Files.exists(pkg.resolve("node_modules/cognito-local/lib/bin/start.js"))) {
            return;
        }
        // Never inherit stdin/stdout: under Surefire they are the fork's command channel.
        Path log = Files.createTempFile("npm-ci", ".log");
        ProcessBuilder pb = new ProcessBuilder("npm", "ci", "--no-audit", "--no-fund", "--loglevel=error")
                .directory(pkg.toFile())
                .redirectInput(ProcessBuilder.Redirect.from(new java.io.File("/dev/null")))
                .redirectErrorStream(true)
                .redirectOutput(log.toFile());
        try {
            Process p = pb.start();
            if (!p.waitFor(5, TimeUnit.MINUTES) || p.exitValue() != 0) {
                throw new IOException("npm ci for cognito-local failed in " + pkg + ":\n" + Files.readString(log));
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted installing cognito-local", e);
        }
    }

    private void pump() {
        Thread t = new Thread(() -> {
            try (BufferedReader r = new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8))) {
                String line;
                String destination = null;
                while ((line = r.readLine()) != null) {
                    Matcher d = DESTINATION.matcher(line);
                    if (d.find()) {
                        destination = d.group(1);
                    }
                    Matcher m = CODE.matcher(line);
                    if (m.find()) {
                        Code code = new Code(destination, m.group(1), Instant.now());
                        codes.add(code);
                        listeners.forEach(l -> l.accept(code));
                    }
                    if (System.getenv("COGNITO_LOCAL_VERBOSE") != null) {
                        System.out.println("[cognito-local] " + line);
                    }
                }
            } catch (IOException ignored) {
                // process ended
            }
        }, "cognito-local-output");
        t.setDaemon(true);
        t.start();
    }

    private void awaitReady(Duration timeout) throws IOException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (System.nanoTime() < deadline) {
            if (!process.isAlive()) {
                throw new IOException("cognito-local exited with " + process.exitValue());
            }
            try {
                HttpURLConnection c = (HttpURLConnection) URI.create(endpoint() + "/health").toURL().openConnection();
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

    public List<Code> codes() {
        return codes;
    }

    public void onCode(Consumer<Code> listener) {
        listeners.add(listener);
    }

    /** The newest code sent to an address, waiting for it up to the timeout. */
    public String latestCode(String destination, Duration timeout) {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (System.nanoTime() < deadline) {
            for (int i = codes.size() - 1; i >= 0; i--) {
                if (destination.equalsIgnoreCase(codes.get(i).destination())) {
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
        throw new IllegalStateException("no code was sent to " + destination);
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
