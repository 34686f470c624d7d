package dev.suite.emulators;

import dev.suite.shared.Json;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * The reverse report's raw data: which statement of which function allowed each (action, resource) a call asked for,
 * and every refusal. One per test JVM ({@link #jvm()}), written at exit to {@code target/iam/usage-<pid>.json} of the
 * module the JVM runs in (when there is a {@code target/}), with the reactor's run id ({@code suite.iam.run}), for
 * local's {@code IamCoverageIT} to read after every module's tests.
 */
public final class IamUsage {
    private static final IamUsage JVM = new IamUsage(true);
    /** (function, statement index, action) -> one resource it was used on. */
    private final Map<String, Map<String, Object>> allowed = new ConcurrentHashMap<>();

    private final List<Map<String, Object>> denied = new CopyOnWriteArrayList<>();
    private final List<String> expected = new CopyOnWriteArrayList<>();
    private final List<Map<String, Object>> expectedSeen = new CopyOnWriteArrayList<>();
    private final boolean reported;
    private final java.util.concurrent.atomic.AtomicLong checked = new java.util.concurrent.atomic.AtomicLong();

    IamUsage(boolean reported) {
        this.reported = reported;
        if (reported) {
            Runtime.getRuntime().addShutdownHook(new Thread(this::write, "iam-usage"));
        }
    }

    /** This JVM's record (what the shared emulators and local/ use). */
    public static IamUsage jvm() {
        return JVM;
    }

    /** A record kept in memory only: for tests that provoke refusals on purpose. */
    public static IamUsage unreported() {
        return new IamUsage(false);
    }

    void allowed(String function, List<IamPolicies.Statement> statements, IamPolicies.Request request) {
        checked.incrementAndGet();
        for (IamPolicies.Statement s : statements) {
            for (String action : s.actions()) {
                if (IamPolicies.wildcard(
                        action.toLowerCase(java.util.Locale.ROOT),
                        request.action().toLowerCase(java.util.Locale.ROOT))) {
                    allowed.computeIfAbsent(function + "#" + s.index() + " " + action, k -> {
                        Map<String, Object> m = new LinkedHashMap<>();
                        m.put("function", function);
                        m.put("statement", s.index());
                        m.put("action", action);
                        m.put("resource", request.resource());
                        return m;
                    });
                }
            }
        }
    }

    /**
     * Announces one refusal a test provokes on purpose (a function calling what its role does not allow, to see AWS's
     * answer): the next refusal of that function and action is kept in {@link #expected()}, not in the report.
     */
    public void expect(String function, String action) {
        expected.add(function + " " + action);
    }

    /** The announced refusals that happened. */
    public List<Map<String, Object>> expected() {
        return List.copyOf(expectedSeen);
    }

    void denied(String function, IamPolicies.Request request, String message) {
        checked.incrementAndGet();
        if (expected.remove(function + " " + request.action())) {
            expectedSeen.add(Map.of(
                    "function",
                    function,
                    "action",
                    request.action(),
                    "resource",
                    request.resource(),
                    "message",
                    message));
            return;
        }
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("function", function);
        m.put("action", request.action());
        m.put("resource", request.resource());
        m.put("message", message);
        denied.add(m);
        if (reported) {
            System.err.println("IAM: " + message);
        }
    }

    /** How many IAM requests were evaluated (allowed or refused). */
    public long checked() {
        return checked.get();
    }

    public List<Map<String, Object>> denials() {
        return List.copyOf(denied);
    }

    /** Every (function, statement index, action) allowed so far, keyed "Function#index action". */
    public Map<String, Map<String, Object>> uses() {
        return Map.copyOf(allowed);
    }

    void write() {
        Path target = Path.of(System.getProperty("suite.iam.dir", "target"));
        if (!reported || !Files.isDirectory(target) || (allowed.isEmpty() && denied.isEmpty())) {
            return;
        }
        try {
            Path dir = target.resolve("iam");
            Files.createDirectories(dir);
            Map<String, Object> out = new LinkedHashMap<>();
            out.put("run", System.getProperty("suite.iam.run"));
            out.put("module", Path.of("").toAbsolutePath().toString());
            out.put("allowed", new ArrayList<>(allowed.values()));
            out.put("denied", denials());
            Files.writeString(dir.resolve("usage-" + ProcessHandle.current().pid() + ".json"), Json.write(out));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
