package dev.suite.bench;

import dev.suite.emulators.Paths;
import dev.suite.emulators.Template;
import dev.suite.local.LocalRuntime;
import dev.suite.shared.Json;
import java.io.ByteArrayOutputStream;
import java.io.OutputStream;
import java.io.PrintStream;
import java.lang.management.ManagementFactory;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.stream.Collectors;
import org.openjdk.jmh.results.RunResult;
import org.openjdk.jmh.runner.Runner;
import org.openjdk.jmh.runner.options.OptionsBuilder;
import org.openjdk.jmh.runner.options.TimeValue;

/** bench/run: every benchmark, one markdown report on stdout and in bench/results.md. */
public final class BenchMain {
    private BenchMain() {}

    public static void main(String[] args) throws Exception {
        int rounds = 9;
        int loadSeconds = 10;
        Set<String> only = new LinkedHashSet<>(List.of("snapstart", "fresh", "fanout", "size"));
        Set<String> functions = new LinkedHashSet<>();
        for (int i = 0; i < args.length; i++) {
            switch (args[i]) {
                case "--rounds" -> rounds = Integer.parseInt(args[++i]);
                case "--load-seconds" -> loadSeconds = Integer.parseInt(args[++i]);
                case "--only" -> only = new LinkedHashSet<>(List.of(args[++i].split(",")));
                case "--functions" -> functions = new LinkedHashSet<>(List.of(args[++i].split(",")));
                default ->
                    throw new IllegalArgumentException(
                            "unknown option " + args[i]
                                    + " (options: --rounds N, --functions A,B, --only snapstart,fresh,fanout,size,jmh,load, --load-seconds N)");
            }
        }
        PrintStream log = System.err;
        StringBuilder md = new StringBuilder();
        md.append("# Benchmark results\n\n").append(machine()).append("\n");
        List<String> goals = new ArrayList<>();
        if (only.contains("snapstart") || only.contains("fresh")) {
            try (ColdStart cold = ColdStart.start()) {
                md.append("Command: `bench/run ")
                        .append(String.join(" ", args))
                        .append("`; JVM flags `")
                        .append(String.join(" ", ColdStart.FLAGS))
                        .append("`, `JAVA_TOOL_OPTIONS=")
                        .append(cold.javaToolOptions(cold.functions(functions).get(0)))
                        .append("` (the template's).\n\n");
                if (only.contains("snapstart")) {
                    log.println("SnapStart starts (" + rounds + " JVMs per function, unpinned and pinned)...");
                    snapStartTable(md, goals, cold.snapStart(rounds, functions, log), rounds);
                }
                if (only.contains("fresh")) {
                    log.println("without SnapStart, against the baseline (" + rounds
                            + " rounds per function, unpinned and pinned)...");
                    freshTable(md, goals, cold.fresh(rounds, functions, log), rounds);
                }
            }
        }
        if (only.contains("jmh")) {
            log.println("JMH handler overhead...");
            var results = new Runner(new OptionsBuilder()
                            .include(HandlerOverheadBenchmark.class.getName())
                            .forks(1)
                            .warmupIterations(3)
                            .warmupTime(TimeValue.seconds(1))
                            .measurementIterations(5)
                            .measurementTime(TimeValue.seconds(1))
                            .build())
                    .run();
            md.append(
                            "## Warm handler overhead (JMH, no I/O: routing, claims, JSON parse, validation, response writing)\n\n")
                    .append("| benchmark | µs/op | ± |\n|---|---:|---:|\n");
            for (RunResult r : results) {
                md.append(String.format(
                        "| %s | %.2f | %.2f |%n",
                        r.getParams().getBenchmark().replaceAll(".*\\.", ""),
                        r.getPrimaryResult().getScore(),
                        r.getPrimaryResult().getScoreError()));
            }
            md.append('\n');
        }
        if (only.contains("load") || only.contains("fanout")) {
            // local/ runs the functions in this JVM, and their JSON log lines go to System.out: kept out of the report
            PrintStream report = System.out;
            System.setOut(new PrintStream(OutputStream.nullOutputStream()));
            try (LocalRuntime rt = LocalRuntime.start(
                    LocalRuntime.Options.forTests(null), new PrintStream(new ByteArrayOutputStream()))) {
                String[] user = user(rt);
                if (only.contains("load")) {
                    log.println("load through local/ (" + loadSeconds + " s per cell)...");
                    List<Load.Result> load = Load.run(rt, user[1], user[0], Duration.ofSeconds(loadSeconds), log);
                    md.append(
                                    "## Warm latency and throughput through local/ (closed loop, loopback, load generator in the same JVM)\n\n")
                            .append(
                                    "| route | concurrency | req/s | p50 | p99 | errors |\n|---|---:|---:|---:|---:|---:|\n");
                    for (Load.Result r : load) {
                        md.append(String.format(
                                "| GET %s | %d | %.0f | %.2f ms | %.2f ms | %d |%n",
                                r.route(), r.concurrency(), r.rps(), r.p50(), r.p99(), r.errors()));
                    }
                    md.append('\n');
                }
                if (only.contains("fanout")) {
                    log.println("chat fan-out through local/...");
                    List<Fanout.Result> fan = Fanout.run(rt, user[1], user[0], log);
                    md.append("## Chat fan-out through local/ (one message, every member with one live WebSocket)\n\n")
                            .append("Goal: the last member's frame within ")
                            .append(FANOUT_GOAL_MS)
                            .append(" ms at 1,000 members.\n\n")
                            .append("| members | send → last delivery p50 | max |\n|---:|---:|---:|\n");
                    for (Fanout.Result r : fan) {
                        md.append(String.format("| %d | %.1f ms | %.1f ms |%n", r.members(), r.p50(), r.max()));
                        if (r.members() == 1000) {
                            goals.add(String.format(
                                    "| fan-out to 1,000 members ≤ %d ms (p50) | %.0f ms | %s |",
                                    FANOUT_GOAL_MS, r.p50(), r.p50() <= FANOUT_GOAL_MS ? "yes" : "**no**"));
                        }
                    }
                    md.append('\n');
                }
            } finally {
                System.setOut(report);
            }
        }
        if (only.contains("size")) {
            sizeTable(md);
        }
        if (!goals.isEmpty()) {
            md.append("## Goals\n\n| goal | result | met? |\n|---|---|---|\n");
            goals.forEach(g -> md.append(g).append('\n'));
            md.append('\n');
        }
        Files.writeString(Paths.root().resolve("bench/results.md"), md.toString());
        System.out.println(md);
        System.exit(0);
    }

    static final int FANOUT_GOAL_MS = 1000;

    private static void sizeTable(StringBuilder md) throws Exception {
        Path root = Paths.root();
        md.append(
                "## Deployable jar size (no goal; Lambda's limit is 250 MB unzipped)\n\n| jar | MB | functions |\n|---|---:|---|\n");
        Map<String, List<String>> byJar = new TreeMap<>();
        Template.repo()
                .resourcesOfType("AWS::Serverless::Function")
                .forEach((fn, r) -> byJar.computeIfAbsent(
                                String.valueOf(Template.<Map<String, Object>>cast(r.get("Properties"))
                                        .get("CodeUri")),
                                k -> new ArrayList<>())
                        .add(fn));
        byJar.put(ColdStart.BASELINE_JAR, List.of("the plain baseline (`" + ColdStart.BASELINE_HANDLER + "`)"));
        for (var e : byJar.entrySet()) {
            Path jar = root.resolve(e.getKey());
            md.append(String.format(
                    "| `%s` | %s | %s |%n",
                    e.getKey(),
                    Files.exists(jar) ? String.format("%.1f", Files.size(jar) / 1048576.0) : "not built",
                    String.join(", ", e.getValue())));
        }
        md.append('\n');
    }

    private static void snapStartTable(
            StringBuilder md, List<String> goals, List<ColdStart.SnapStart> results, int rounds) {
        md.append("## SnapStart start: init, the CRaC hooks, then the first request after restore (")
                .append(rounds)
                .append(" JVMs per function, unpinned and pinned)\n\n")
                .append("The hooks run through org.crac (`-Dorg.crac.Core.Compat=")
                .append(ColdStart.COMPAT)
                .append(
                        "`): `beforeCheckpoint` in reverse order of registration, a full GC (heap, metaspace and the classes loaded: what the snapshot holds), ")
                .append(
                        "`afterRestore` in order. First request: the handler's call after restore, the classes it loaded (ClassLoadingMXBean) ")
                .append("and its time against the same JVM's warm p50 (")
                .append(RuntimeShim.MEASURED)
                .append(" requests after ")
                .append(RuntimeShim.WARMUP)
                .append(" warm-up); the JIT compilers' time during it and the second request's time tell ")
                .append(
                        "cold code (second near first) from a one-off cost (second near warm). Medians over the JVMs; ratio: median of the per-JVM ratios. Goals: ≤ ")
                .append(ColdStart.FIRST_REQUEST_CLASSES_GOAL)
                .append(" classes and ≤ ")
                .append(ColdStart.FIRST_REQUEST_RATIO_GOAL)
                .append("× the warm p50, unpinned and pinned.\n\n")
                .append(
                        "| function | event | hooks | init | beforeCheckpoint | afterRestore | heap | metaspace | classes at checkpoint | first request: classes | ")
                .append(
                        "first request | JIT meanwhile | second request | warm p50 | ratio | pinned ratio | goals | first request loaded (largest packages) |\n")
                .append("|---|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---|---|\n");
        int met = 0;
        int functions = 0;
        List<String> missed = new ArrayList<>();
        for (ColdStart.SnapStart s : results) {
            boolean baseline = s.function().equals(ColdStart.BASELINE);
            if (!baseline) {
                functions++;
                if (s.misses().isEmpty()) {
                    met++;
                } else {
                    missed.add(s.function() + " (" + String.join(", ", s.misses()) + ")");
                }
            }
            if (s.error() != null) {
                md.append(String.format(
                        "| %s | `%s` | failed: %s ||||||||||||||||%n", s.function(), s.event(), oneLine(s.error())));
                continue;
            }
            md.append(String.format(
                    "| %s | `%s` | %.0f | %.0f ms | %.0f ms | %.1f ms | %.1f MB | %.1f MB | %.0f | %.0f | %.2f ms | %.0f ms | %.2f ms | %.2f ms "
                            + "| %.2f | %.2f | %s | %s |%n",
                    baseline ? "**" + s.function() + "** (no hooks)" : s.function(),
                    s.event(),
                    s.median("hooks"),
                    s.median("initMs"),
                    s.median("beforeCheckpointMs"),
                    s.median("afterRestoreMs"),
                    s.median("heapBytes") / 1048576,
                    s.median("metaspaceBytes") / 1048576,
                    s.median("classesAtCheckpoint"),
                    s.median("firstClasses"),
                    s.median("firstMs"),
                    s.median("firstJitMs"),
                    s.median("secondMs"),
                    s.median("warmP50Ms"),
                    s.ratio(),
                    s.pinnedRatio(),
                    baseline ? "—" : s.misses().isEmpty() ? "met" : "**" + String.join(", ", s.misses()) + "**",
                    packages(s.packages())));
        }
        md.append('\n');
        goals.add(String.format(
                "| SnapStart: first request after restore ≤ %d classes and ≤ %.1f× its warm p50 (unpinned and pinned) | %d of %d met%s | %s |",
                ColdStart.FIRST_REQUEST_CLASSES_GOAL,
                ColdStart.FIRST_REQUEST_RATIO_GOAL,
                met,
                functions,
                missed.isEmpty() ? "" : "; missed: " + String.join("; ", missed),
                met == functions ? "yes" : "**no**"));
    }

    private static void freshTable(StringBuilder md, List<String> goals, List<ColdStart.Fresh> results, int rounds) {
        md.append("## Without SnapStart: fresh JVM against the plain baseline (")
                .append(rounds)
                .append(" alternating rounds per function)\n\n")
                .append(
                        "Time from spawn to the first answer (init and one request; no hooks). Ratio: median of the per-round ratios ")
                .append("function / baseline. Goal: ≤ ")
                .append(ColdStart.FRESH_RATIO_GOAL)
                .append(", unpinned and pinned.\n\n")
                .append(
                        "| function | event | baseline p50 | function p50 | ratio | pinned: baseline p50 | pinned: function p50 | pinned: ratio | goal |\n")
                .append("|---|---|---:|---:|---:|---:|---:|---:|---|\n");
        int met = 0;
        List<String> missed = new ArrayList<>();
        for (int i = 0; i + 1 < results.size(); i += 2) {
            ColdStart.Fresh u = results.get(i);
            ColdStart.Fresh p = results.get(i + 1);
            if (u.error() != null || p.error() != null) {
                missed.add(u.function() + " (failed)");
                md.append(String.format(
                        "| %s | `%s` | failed: %s |||||||%n",
                        u.function(), u.event(), oneLine(u.error() != null ? u.error() : p.error())));
                continue;
            }
            boolean ok = u.ratio() <= ColdStart.FRESH_RATIO_GOAL && p.ratio() <= ColdStart.FRESH_RATIO_GOAL;
            if (ok) {
                met++;
            } else {
                missed.add(String.format("%s (%.2f / %.2f)", u.function(), u.ratio(), p.ratio()));
            }
            md.append(String.format(
                    "| %s | `%s` | %.0f ms | %.0f ms | %.2f | %.0f ms | %.0f ms | %.2f | %s |%n",
                    u.function(),
                    u.event(),
                    u.baselineP50(),
                    u.functionP50(),
                    u.ratio(),
                    p.baselineP50(),
                    p.functionP50(),
                    p.ratio(),
                    ok ? "met" : "**missed**"));
        }
        md.append('\n');
        goals.add(String.format(
                "| without SnapStart: first answer ≤ %.1f× the plain baseline's, unpinned and pinned | %d of %d met%s | %s |",
                ColdStart.FRESH_RATIO_GOAL,
                met,
                results.size() / 2,
                missed.isEmpty() ? "" : "; missed: " + String.join("; ", missed),
                met == results.size() / 2 ? "yes" : "**no**"));
    }

    private static String packages(Map<String, Integer> packages) {
        return packages.entrySet().stream()
                .map(e -> "`" + e.getKey() + "` " + e.getValue())
                .collect(Collectors.joining(", "));
    }

    private static String oneLine(String s) {
        String line = s.replaceAll("\\s+", " ").replace("|", "\\|");
        return line.length() > 300 ? line.substring(0, 300) + "..." : line;
    }

    static String[] user(LocalRuntime rt) throws Exception {
        HttpClient http = HttpClient.newHttpClient();
        String email = "bench" + System.nanoTime() + "@example.com";
        String id = Json.EVENTS
                .readTree(post(
                        http, rt, "/auth/register", Map.of("email", email, "password", "Passw0rdOk", "name", "Bench")))
                .get("userId")
                .asText();
        post(
                http,
                rt,
                "/auth/confirm",
                Map.of("email", email, "code", rt.emulators().cognitoLocal().latestCode(email, Duration.ofSeconds(5))));
        String token = Json.EVENTS
                .readTree(post(http, rt, "/auth/login", Map.of("email", email, "password", "Passw0rdOk")))
                .get("idToken")
                .asText();
        return new String[] {id, token};
    }

    private static String post(HttpClient http, LocalRuntime rt, String path, Object body) throws Exception {
        return http.send(
                        HttpRequest.newBuilder(URI.create(rt.baseUrl() + path))
                                .header("Content-Type", "application/json")
                                .POST(HttpRequest.BodyPublishers.ofString(Json.write(body)))
                                .build(),
                        HttpResponse.BodyHandlers.ofString())
                .body();
    }

    static String machine() {
        Runtime r = Runtime.getRuntime();
        return String.format(
                "Machine: %d cores, %.0f GiB max heap for the bench JVM, %s %s, Java %s (%s), load average %.1f at the start.%n",
                r.availableProcessors(),
                r.maxMemory() / 1073741824.0,
                System.getProperty("os.name"),
                System.getProperty("os.arch"),
                System.getProperty("java.version"),
                System.getProperty("java.vm.vendor"),
                ManagementFactory.getOperatingSystemMXBean().getSystemLoadAverage());
    }
}
