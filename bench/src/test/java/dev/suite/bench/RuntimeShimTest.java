package dev.suite.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.amazonaws.services.lambda.runtime.Context;
import com.amazonaws.services.lambda.runtime.RequestStreamHandler;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Enumeration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.jar.JarEntry;
import java.util.jar.JarFile;
import java.util.jar.JarOutputStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The shim's SnapStart mode end to end, as ColdStart starts it: a fresh JVM with the bench's CRaC implementation named by
 * {@code -Dorg.crac.Core.Compat}, a "deployable jar" holding a handler and org.crac (shaded, as every function's jar
 * holds it) and {@link RecordingResource}, the handler registering its hooks through org.crac only. The hooks must run before the first request, in
 * Lambda's order, and the first request's classes must be counted.
 */
class RuntimeShimTest {
    /** A handler that registers two resources through org.crac and answers with the hooks that ran so far. */
    public static final class Handler implements RequestStreamHandler {
        static final List<String> CALLS = new ArrayList<>();
        private final List<org.crac.Resource> resources = new ArrayList<>();

        public Handler() {
            for (String name : List.of("first", "second")) {
                org.crac.Resource r = new RecordingResource(name, CALLS, false);
                resources.add(r);
                org.crac.Core.getGlobalContext().register(r);
            }
        }

        @Override
        public void handleRequest(InputStream in, OutputStream out, Context context) throws java.io.IOException {
            in.readAllBytes();
            // loaded by the first request only: nothing primed it
            out.write((String.join(",", CALLS) + " " + new Lazy()).getBytes(StandardCharsets.UTF_8));
        }
    }

    static final class Lazy {
        @Override
        public String toString() {
            return "lazy";
        }
    }

    private static Path deployableJar(Path dir) throws Exception {
        Path jar = dir.resolve("function.jar");
        Path classes = Path.of(Handler.class
                .getProtectionDomain()
                .getCodeSource()
                .getLocation()
                .toURI());
        try (JarOutputStream out = new JarOutputStream(Files.newOutputStream(jar));
                JarFile crac = new JarFile(Path.of(org.crac.Core.class
                                .getProtectionDomain()
                                .getCodeSource()
                                .getLocation()
                                .toURI())
                        .toFile())) {
            for (Enumeration<JarEntry> e = crac.entries(); e.hasMoreElements(); ) {
                JarEntry entry = e.nextElement();
                if (entry.getName().startsWith("org/crac/") && entry.getName().endsWith(".class")) {
                    out.putNextEntry(new JarEntry(entry.getName()));
                    out.write(crac.getInputStream(entry).readAllBytes());
                }
            }
            try (var files = Files.list(classes.resolve("dev/suite/bench"))) {
                for (Path f : files.filter(f -> f.getFileName().toString().startsWith("RuntimeShimTest$")
                                || f.getFileName().toString().startsWith("RecordingResource"))
                        .toList()) {
                    out.putNextEntry(new JarEntry("dev/suite/bench/" + f.getFileName()));
                    out.write(Files.readAllBytes(f));
                }
            }
        }
        return jar;
    }

    private static Map<String, String> run(Path dir, String compat) throws Exception {
        Path event = Files.writeString(dir.resolve("event.json"), "{}");
        Path result = dir.resolve("result.properties");
        Process p = new ProcessBuilder(
                        Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                        "-Dorg.crac.Core.Compat=" + compat,
                        "-cp",
                        ColdStart.runtimeClassPath(),
                        RuntimeShim.class.getName(),
                        Handler.class.getName(),
                        deployableJar(dir).toString(),
                        event.toString(),
                        "snapstart",
                        result.toString())
                .redirectErrorStream(true)
                .start();
        String output = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertEquals(0, p.waitFor(), output);
        Map<String, String> values = new LinkedHashMap<>();
        for (String line : Files.readAllLines(result)) {
            values.put(line.substring(0, line.indexOf('=')), line.substring(line.indexOf('=') + 1));
        }
        return values;
    }

    @Test
    void theHooksRegisteredThroughOrgCracRunAsLambdaRunsThemBeforeTheFirstRequest(@TempDir Path dir) throws Exception {
        Map<String, String> r = run(dir, ColdStart.COMPAT);
        assertEquals("2", r.get("hooks"));
        assertEquals("second.before,first.before,first.after,second.after lazy", r.get("answer"));
        assertTrue(Double.parseDouble(r.get("firstClasses")) >= 1, "the first request loads Lazy: " + r);
        assertTrue(Double.parseDouble(r.get("warmP50Ms")) > 0, r.toString());
        assertTrue(
                Double.parseDouble(r.get("heapBytes")) > 0 && Double.parseDouble(r.get("metaspaceBytes")) > 0,
                r.toString());
    }

    @Test
    void withoutTheCompatPropertyOrgCracDropsTheRegistrations(@TempDir Path dir) throws Exception {
        Map<String, String> r = run(dir, "no.such.crac");
        assertEquals("0", r.get("hooks"));
        assertEquals(" lazy", r.get("answer"));
    }
}
