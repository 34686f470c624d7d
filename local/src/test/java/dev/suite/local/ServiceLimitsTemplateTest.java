package dev.suite.local;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.suite.chat.domain.Messaging;
import dev.suite.emulators.Emulators;
import dev.suite.emulators.Template;
import dev.suite.shared.Config;
import dev.suite.shared.Priming;
import dev.suite.shared.http.Cors;
import java.io.File;
import java.lang.reflect.Field;
import java.lang.reflect.Modifier;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Deque;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.SplittableRandom;
import java.util.TreeSet;
import java.util.jar.JarFile;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * The rules API Gateway and Lambda enforce that neither the SAM translator nor the CloudFormation specs know, held
 * against the template and the code: the REST integration timeout, the synchronous payload, the WebSocket message size,
 * SnapStart's uniqueness, and CORS for every method.
 */
class ServiceLimitsTemplateTest {
    static final Template T = Template.repo();
    /** API Gateway REST: an integration answers within 29 seconds or the client gets 504. */
    static final int REST_INTEGRATION_TIMEOUT_SECONDS = 29;
    /** Lambda: a synchronous invocation's response payload is at most 6 MB. */
    static final long SYNC_PAYLOAD_BYTES = 6L * 1024 * 1024;
    /** API Gateway WebSocket: a message is at most 128 KB. */
    static final int WEBSOCKET_MESSAGE_BYTES = 128 * 1024;

    static Map<String, Map<String, Object>> functions() {
        return T.resourcesOfType("AWS::Serverless::Function");
    }

    @Test
    void everyRestIntegratedFunctionAnswersWithinApiGatewaysTimeout() {
        Object global = T.globalsFunction().get("Timeout");
        List<String> slow = new ArrayList<>();
        Set<String> rest =
                T.apiRoutes().stream().map(Template.ApiRoute::function).collect(Collectors.toSet());
        assertTrue(rest.size() > 5, "REST-integrated functions: " + rest);
        for (String fn : rest) {
            Object own = T.properties(fn).getOrDefault("Timeout", global);
            int timeout = own == null ? 3 : Integer.parseInt(String.valueOf(own));
            if (timeout > REST_INTEGRATION_TIMEOUT_SECONDS) {
                slow.add(fn + " Timeout " + timeout);
            }
        }
        assertEquals(
                List.of(), slow, "API Gateway stops waiting after 29 s; a longer Timeout keeps running for nobody");
    }

    /**
     * API Gateway REST builds one resource tree from every route: under one parent, at most one variable path part, so
     * two routes may not name the variable at one position differently ({@code /admin/users/{username}/role} beside
     * {@code /admin/users/{userId}/coach} failed the import and the stack with it), and a greedy {@code {x+}} is last.
     */
    @Test
    void everyPathPositionHasOneVariableNameAndAGreedyVariableIsLast() {
        Map<String, Set<String>> variablesByParent = new java.util.TreeMap<>();
        List<String> greedyNotLast = new ArrayList<>();
        for (Template.ApiRoute r : T.apiRoutes()) {
            String[] parts = r.path().substring(1).split("/");
            StringBuilder parent = new StringBuilder();
            for (int i = 0; i < parts.length; i++) {
                if (parts[i].startsWith("{")) {
                    variablesByParent
                            .computeIfAbsent(parent.toString(), k -> new TreeSet<>())
                            .add(parts[i]);
                    if (parts[i].endsWith("+}") && i < parts.length - 1) {
                        greedyNotLast.add(r.key());
                    }
                }
                parent.append('/').append(parts[i]);
            }
        }
        Map<String, Set<String>> clashes = new java.util.TreeMap<>();
        variablesByParent.forEach((parent, names) -> {
            if (names.size() > 1) {
                clashes.put(parent.isEmpty() ? "/" : parent, names);
            }
        });
        assertTrue(variablesByParent.size() > 10, "parents with a variable below them: " + variablesByParent.keySet());
        assertEquals(Map.of(), clashes, "parents with differently named variables below them (API Gateway refuses)");
        assertEquals(List.of(), greedyNotLast, "routes with a greedy variable before their last part");
    }

    @Test
    void corsAllowsEveryMethodTheApiHas() {
        Set<String> methods = new TreeSet<>(
                T.apiRoutes().stream().map(Template.ApiRoute::method).toList());
        methods.add("OPTIONS");
        Map<String, Object> api = Template.cast(T.resourcesOfType("AWS::Serverless::Api")
                .values()
                .iterator()
                .next()
                .get("Properties"));
        String allow = String.valueOf(
                        Template.<Map<String, Object>>cast(api.get("Cors")).get("AllowMethods"))
                .replace("'", "");
        assertEquals(
                Set.of(),
                difference(methods, Set.of(allow.split(","))),
                "methods the REST API's Cors AllowMethods leaves out");
        String shared = new Cors(new Config(Map.of("CORS_ALLOW_ORIGINS", "*")))
                .headers("https://app.example.com")
                .get("Access-Control-Allow-Methods");
        assertEquals(
                Set.of(),
                difference(methods, Set.of(shared.split(","))),
                "methods the functions' own CORS answer leaves out");
    }

    private static Set<String> difference(Set<String> a, Set<String> b) {
        Set<String> out = new TreeSet<>(a);
        out.removeAll(b);
        return out;
    }

    /**
     * The largest answer a route gives is a page: every list route's {@code limit} is checked to at most 100 items, and
     * the item with the most free text is a chat message ({@link Messaging#MAX_TEXT} characters). Jackson writes a
     * character in at most 6 bytes ({@code \\u00XX}), so a full history page with 1 KB of ids, times and attachment per
     * message stays under Lambda's 6 MB.
     */
    @Test
    void aResponseBodyStaysUnderLambdasSynchronousPayload() throws Exception {
        int pageMax = 100;
        java.util.regex.Pattern limit = java.util.regex.Pattern.compile(
                "\\(\"limit\", [^)]*\\), 1, (\\d+), \\d+\\)|limit\\(r, (\\d+), \\d+\\)");
        int routes = 0;
        for (Path source : sources()) {
            java.util.regex.Matcher m = limit.matcher(Files.readString(source));
            while (m.find()) {
                routes++;
                int max = Integer.parseInt(m.group(1) != null ? m.group(1) : m.group(2));
                assertTrue(max <= pageMax, source.getFileName() + ": a page of up to " + max + " items");
            }
        }
        assertTrue(routes >= 8, "list routes with a checked limit: " + routes);
        long history = pageMax * (Messaging.MAX_TEXT * 6L + 1024) + 1024;
        assertTrue(history < SYNC_PAYLOAD_BYTES, "chat history page: " + history + " bytes");
    }

    /** Every function module's main sources: where the list routes' limits are. */
    private static List<Path> sources() throws Exception {
        List<Path> out = new ArrayList<>();
        try (Stream<Path> s = Files.walk(dev.suite.emulators.Paths.root().resolve("functions"))) {
            s.filter(p -> p.toString().contains("/src/main/java/")
                            && p.toString().endsWith("Handler.java"))
                    .forEach(out::add);
        }
        assertTrue(out.size() > 5, "handlers found: " + out);
        return out;
    }

    /**
     * The frames the suite sends: a chat message (text at most {@link Messaging#MAX_TEXT} characters, escaped at worst
     * 6 bytes each, plus ids, attachment and times) and the coaching frames (fixed fields and a title); each well under
     * API Gateway's 128 KB. local's WebSocket gateway refuses larger ones as API Gateway does (WebSocketLimitsTest).
     */
    @Test
    void everyWebSocketFrameTheSuiteSendsStaysUnderApiGatewaysMessageLimit() {
        long message = Messaging.MAX_TEXT * 6L + 2048;
        assertTrue(message < WEBSOCKET_MESSAGE_BYTES, "a message frame: " + message + " bytes");
        assertEquals(
                WEBSOCKET_MESSAGE_BYTES, WebSocketGateway.MAX_MESSAGE, "local's gateway enforces API Gateway's limit");
    }

    /**
     * SnapStart restores many execution environments from one snapshot: anything random made before it (a
     * {@link java.util.Random} seed, a DRBG's state) would repeat in every one of them. Each function is built, primed
     * and "restored" (its org.crac hooks run), then every object reachable from its handler and every static field of
     * the suite's classes is searched: no {@link Random} or {@link SplittableRandom} may be there, and a
     * {@link SecureRandom} must be NativePRNG, which mixes fresh bytes of /dev/urandom into every call (restore-safe;
     * the JDK's DRBG would keep its pre-snapshot state).
     */
    @Test
    void snapStartFunctionsKeepNoRandomStateOrOpenConnectionFromBeforeTheSnapshot() throws Exception {
        Emulators emu = Emulators.shared();
        List<String> problems = new ArrayList<>();
        List<Object> roots = new ArrayList<>();
        for (String fn : functions().keySet()) {
            Config config = emu.functionConfig(
                    fn,
                    Map.of(
                            "WEBSOCKET_MANAGEMENT_ENDPOINT",
                            "http://127.0.0.1:1",
                            "CLIPDROP_API_KEY",
                            "k",
                            "VNPAY_TMN_CODE",
                            "T",
                            "VNPAY_HASH_SECRET",
                            "s",
                            "VNPAY_RETURN_URL",
                            "http://localhost/r"));
            int before = Priming.registered().size();
            Object handler = Class.forName(
                            String.valueOf(T.properties(fn).get("Handler")).split("::")[0])
                    .getConstructor(Config.class)
                    .newInstance(config);
            for (Priming p :
                    Priming.registered().subList(before, Priming.registered().size())) {
                p.beforeCheckpoint(null);
                p.afterRestore(null);
            }
            roots.add(handler);
        }
        int[] seen = {0};
        Map<Object, Boolean> visited = new IdentityHashMap<>();
        for (Object root : roots) {
            walk(root, root.getClass().getSimpleName(), visited, problems, seen);
        }
        int statics = 0;
        for (Class<?> type : suiteClasses()) {
            for (Field f : type.getDeclaredFields()) {
                if (Modifier.isStatic(f.getModifiers()) && !f.getType().isPrimitive()) {
                    try {
                        f.setAccessible(true);
                        walk(f.get(null), type.getSimpleName() + "." + f.getName(), visited, problems, seen);
                        statics++;
                    } catch (ReflectiveOperationException | RuntimeException | LinkageError ignored) {
                        // a class that cannot initialise here (no CRaC runtime, say) holds nothing at runtime either
                    }
                }
            }
        }
        assertTrue(seen[0] > 1000 && statics > 20, "objects searched: " + seen[0] + ", static fields: " + statics);
        assertEquals(
                List.of(),
                problems,
                "random state or a connection made before the snapshot would be shared by every restored environment");
    }

    private static void walk(
            Object start, String path, Map<Object, Boolean> visited, List<String> problems, int[] seen) {
        Deque<Object[]> todo = new ArrayDeque<>();
        todo.push(new Object[] {start, path});
        while (!todo.isEmpty()) {
            Object[] next = todo.pop();
            Object o = next[0];
            String at = (String) next[1];
            if (o == null || visited.put(o, Boolean.TRUE) != null) {
                continue;
            }
            seen[0]++;
            if (o instanceof SecureRandom r) {
                if (!r.getAlgorithm().startsWith("NativePRNG")) {
                    problems.add(at + ": SecureRandom " + r.getAlgorithm());
                }
                continue;
            }
            if (o instanceof Random || o instanceof SplittableRandom) {
                problems.add(at + ": " + o.getClass().getName());
                continue;
            }
            if (o instanceof java.net.Socket
                    || o instanceof java.nio.channels.NetworkChannel
                    || o instanceof java.net.URLConnection) {
                problems.add(at + ": a connection made before the snapshot, "
                        + o.getClass().getName());
                continue;
            }
            if (o instanceof Collection<?> c && o.getClass().getName().startsWith("java.")) {
                int i = 0;
                for (Object e : c.toArray()) {
                    todo.push(new Object[] {e, at + "[" + i++ + "]"});
                }
                continue;
            }
            if (o instanceof Map<?, ?> m && o.getClass().getName().startsWith("java.")) {
                for (Map.Entry<?, ?> e : Map.copyOf(m.entrySet().stream()
                                .filter(x -> x.getKey() != null && x.getValue() != null)
                                .collect(Collectors.toMap(Map.Entry::getKey, Map.Entry::getValue, (a, b) -> a)))
                        .entrySet()) {
                    todo.push(new Object[] {e.getValue(), at + "[" + e.getKey() + "]"});
                }
                continue;
            }
            if (o.getClass().isArray() && !o.getClass().getComponentType().isPrimitive()) {
                Object[] a = (Object[]) o;
                for (int i = 0; i < a.length; i++) {
                    todo.push(new Object[] {a[i], at + "[" + i + "]"});
                }
                continue;
            }
            // the suite's own objects are searched field by field; libraries' only as far as they are opened to us
            for (Class<?> c = o.getClass(); c != null && c != Object.class; c = c.getSuperclass()) {
                if (c.getName().startsWith("java.")
                        || c.getName().startsWith("jdk.")
                        || c.getName().startsWith("sun.")) {
                    break;
                }
                for (Field f : c.getDeclaredFields()) {
                    if (Modifier.isStatic(f.getModifiers()) || f.getType().isPrimitive()) {
                        continue;
                    }
                    try {
                        f.setAccessible(true);
                        todo.push(new Object[] {f.get(o), at + "." + f.getName()});
                    } catch (ReflectiveOperationException | RuntimeException ignored) {
                        // a module that does not open the field: not the suite's
                    }
                }
            }
        }
    }

    /**
     * The classes that run in Lambda (shared and the function modules), from jars or class directories, not
     * initialised.
     */
    private static List<Class<?>> suiteClasses() throws Exception {
        List<String> names = new ArrayList<>();
        for (String entry : System.getProperty("java.class.path").split(File.pathSeparator)) {
            Path path = Path.of(entry);
            if (entry.endsWith(".jar") && Files.isRegularFile(path)) {
                try (JarFile jar = new JarFile(entry)) {
                    jar.stream()
                            .map(e -> e.getName())
                            .filter(n -> n.startsWith("dev/suite/") && n.endsWith(".class"))
                            .forEach(names::add);
                }
            } else if (Files.isDirectory(path.resolve("dev/suite"))) {
                try (Stream<Path> files = Files.walk(path.resolve("dev/suite"))) {
                    files.filter(f -> f.toString().endsWith(".class"))
                            .forEach(f -> names.add(path.relativize(f).toString()));
                }
            }
        }
        List<Class<?>> out = new ArrayList<>();
        for (String name : names) {
            String n = name.replace(File.separatorChar, '/');
            if (n.startsWith("dev/suite/local/")
                    || n.startsWith("dev/suite/emulators/")
                    || n.startsWith("dev/suite/testkit/")) {
                // what runs the functions here, not what runs in Lambda
                continue;
            }
            try {
                out.add(Class.forName(
                        name.replace(File.separatorChar, '.').replace('/', '.').substring(0, name.length() - 6),
                        false,
                        ServiceLimitsTemplateTest.class.getClassLoader()));
            } catch (ClassNotFoundException | LinkageError ignored) {
                // not loadable here
            }
        }
        assertTrue(out.size() > 50, "suite classes found on the class path: " + out.size());
        return out;
    }
}
