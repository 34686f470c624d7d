package dev.suite.bench;

import dev.suite.emulators.Paths;
import dev.suite.emulators.Template;
import dev.suite.local.LocalRuntime;
import dev.suite.shared.Json;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
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
    private BenchMain() {
    }

    public static void main(String[] args) throws Exception {
        int coldRuns = 15;
        int loadSeconds = 10;
        Set<String> only = new LinkedHashSet<>(List.of("size", "cold", "priming", "jmh", "load", "fanout"));
        Set<String> functions = new LinkedHashSet<>();
        for (int i = 0; i < args.length; i++) {
            switch (args[i]) {
                case "--cold-runs" -> coldRuns = Integer.parseInt(args[++i]);
                case "--load-seconds" -> loadSeconds = Integer.parseInt(args[++i]);
                case "--only" -> only = new LinkedHashSet<>(List.of(args[++i].split(",")));
                case "--functions" -> functions = new LinkedHashSet<>(List.of(args[++i].split(",")));
                default -> throw new IllegalArgumentException("unknown option " + args[i]);
            }
        }
        PrintStream log = System.err;
        StringBuilder md = new StringBuilder();
        md.append("# Benchmark results\n\n").append(machine()).append("\n");
        Path root = Paths.root();
        if (only.contains("size")) {
            md.append("## Deployable jar size\n\n| jar | MB | functions |\n|---|---:|---|\n");
            Map<String, List<String>> byJar = new TreeMap<>();
            Template.repo().resourcesOfType("AWS::Serverless::Function").forEach((fn, r) ->
                    byJar.computeIfAbsent(String.valueOf(Template.<Map<String, Object>>cast(r.get("Properties")).get("CodeUri")),
                            k -> new ArrayList<>()).add(fn));
            byJar.put(ColdStart.BASELINE_JAR, List.of("the plain baseline (`" + ColdStart.BASELINE_HANDLER + "`)"));
            for (var e : byJar.entrySet()) {
                md.append(String.format("| `%s` | %.1f | %s |%n", e.getKey(), Files.size(root.resolve(e.getKey())) / 1048576.0,
                        String.join(", ", e.getValue())));
            }
            md.append('\n');
        }
        if (only.contains("cold") || only.contains("priming")) {
            try (ColdStart cold = ColdStart.start()) {
                if (only.contains("cold")) {
                    log.println("cold start against the baseline (" + coldRuns + " rounds per function, unpinned and pinned)...");
                    coldTable(md, cold.run(coldRuns, functions, log), coldRuns);
                }
                if (only.contains("priming")) {
                    log.println("priming check (classes loaded by the first request)...");
                    md.append("## Priming check: classes loaded by the first request\n\n")
                            .append("The function's CRaC hooks (SnapStart's `beforeCheckpoint`, then `afterRestore`) run after init; the count is "
                                    + "what the first real request then loads (`-Xlog:class+load` between two marker classes).\n\n")
                            .append("| function | first request, unprimed | after priming | what priming missed (largest packages) |\n")
                            .append("|---|---:|---:|---|\n");
                    for (ColdStart.PrimingCheck c : cold.primingCheck(functions, log)) {
                        md.append(String.format("| %s | %d | %d | %s |%n", c.function(), c.unprimed(), c.primed(), c.primedPackages().entrySet()
                                .stream().map(e -> "`" + e.getKey() + "` " + e.getValue()).collect(Collectors.joining(", "))));
                    }
                    md.append('\n');
                }
            }
        }
        if (only.contains("jmh")) {
            log.println("JMH handler overhead...");
            var results = new Runner(new OptionsBuilder().include(HandlerOverheadBenchmark.class.getName()).forks(1)
                    .warmupIterations(3).warmupTime(TimeValue.seconds(1)).measurementIterations(5).measurementTime(TimeValue.seconds(1))
                    .build()).run();
            md.append("## Warm handler overhead (JMH, no I/O: routing, claims, JSON parse, validation, response writing)\n\n")
                    .append("| benchmark | µs/op | ± |\n|---|---:|---:|\n");
            for (RunResult r : results) {
                md.append(String.format("| %s | %.2f | %.2f |%n", r.getParams().getBenchmark().replaceAll(".*\\.", ""),
                        r.getPrimaryResult().getScore(), r.getPrimaryResult().getScoreError()));
            }
            md.append('\n');
        }
        if (only.contains("load") || only.contains("fanout")) {
            try (LocalRuntime rt = LocalRuntime.start(LocalRuntime.Options.forTests(null), new PrintStream(new ByteArrayOutputStream()))) {
                String[] user = user(rt);
                if (only.contains("load")) {
                    log.println("load through local/ (" + loadSeconds + " s per cell)...");
                    List<Load.Result> load = Load.run(rt, user[1], user[0], Duration.ofSeconds(loadSeconds), log);
                    md.append("## Warm latency and throughput through local/ (closed loop, loopback, load generator in the same JVM)\n\n")
                            .append("| route | concurrency | req/s | p50 | p99 | errors |\n|---|---:|---:|---:|---:|---:|\n");
                    for (Load.Result r : load) {
                        md.append(String.format("| GET %s | %d | %.0f | %.2f ms | %.2f ms | %d |%n", r.route(), r.concurrency(), r.rps(), r.p50(),
                                r.p99(), r.errors()));
                    }
                    md.append('\n');
                }
                if (only.contains("fanout")) {
                    log.println("chat fan-out through local/...");
                    List<Fanout.Result> fan = Fanout.run(rt, user[1], user[0], log);
                    md.append("## Chat fan-out through local/ (one message, every member with one live WebSocket)\n\n")
                            .append("| members | send → last delivery p50 | max |\n|---:|---:|---:|\n");
                    for (Fanout.Result r : fan) {
                        md.append(String.format("| %d | %.1f ms | %.1f ms |%n", r.members(), r.p50(), r.max()));
                    }
                    md.append('\n');
                }
            }
        }
        Files.writeString(root.resolve("bench/results.md"), md.toString());
        System.out.println(md);
        System.exit(0);
    }

    private static void coldTable(StringBuilder md, List<ColdStart.Result> results, int rounds) {
        md.append("## Cold start against the plain baseline (").append(rounds).append(" alternating rounds per function)\n\n")
                .append("Fresh JVM per start, `").append(String.join(" ", ColdStart.FLAGS)).append("`, the jar in its own class loader, the event ")
                .append("deserialized by `aws-lambda-java-serialization`; time from spawn to the first answer. Ratio: median of the per-round ")
                .append("ratios function / baseline (≤ 1.00 is the goal).\n\n")
                .append("| function | event | baseline p50 | function p50 | ratio | pinned: baseline p50 | pinned: function p50 | pinned: ratio |\n")
                .append("|---|---|---:|---:|---:|---:|---:|---:|\n");
        for (int i = 0; i + 1 < results.size(); i += 2) {
            ColdStart.Result u = results.get(i);
            ColdStart.Result p = results.get(i + 1);
            md.append(String.format("| %s | `%s` | %.0f ms | %.0f ms | %.2f | %.0f ms | %.0f ms | %.2f |%n", u.function(), u.event(),
                    u.baselineP50(), u.functionP50(), u.ratio(), p.baselineP50(), p.functionP50(), p.ratio()));
        }
        md.append('\n');
    }

    static String[] user(LocalRuntime rt) throws Exception {
        HttpClient http = HttpClient.newHttpClient();
        String email = "bench" + System.nanoTime() + "@example.com";
        String id = Json.EVENTS.readTree(post(http, rt, "/auth/register", Map.of("email", email, "password", "Passw0rdOk", "name", "Bench")))
                .get("userId").asText();
        post(http, rt, "/auth/confirm", Map.of("email", email, "code", rt.emulators().cognitoLocal().latestCode(email, Duration.ofSeconds(5))));
        String token = Json.EVENTS.readTree(post(http, rt, "/auth/login", Map.of("email", email, "password", "Passw0rdOk")))
                .get("idToken").asText();
        return new String[] {id, token};
    }

    private static String post(HttpClient http, LocalRuntime rt, String path, Object body) throws Exception {
        return http.send(HttpRequest.newBuilder(URI.create(rt.baseUrl() + path)).header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(Json.write(body))).build(), HttpResponse.BodyHandlers.ofString()).body();
    }

    static String machine() {
        Runtime r = Runtime.getRuntime();
        return String.format("Machine: %d cores, %.0f GiB max heap for the bench JVM, %s %s, Java %s.%n", r.availableProcessors(),
                r.maxMemory() / 1073741824.0, System.getProperty("os.name"), System.getProperty("os.arch"), System.getProperty("java.version"));
    }
}
