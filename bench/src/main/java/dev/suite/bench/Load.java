package dev.suite.bench;

import dev.suite.local.LocalRuntime;
import dev.suite.shared.Ids;
import dev.suite.shared.Times;
import java.io.PrintStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;

/** Warm latency and throughput through local/: closed-loop clients on loopback, fixed duration, after a warm-up. */
final class Load {
    record Result(String route, int concurrency, long requests, double seconds, double p50, double p99, int errors) {
        double rps() {
            return requests / seconds;
        }
    }

    static List<Result> run(LocalRuntime rt, String token, String userId, Duration duration, PrintStream log)
            throws Exception {
        // 20 images for GET /images (a page of presigned URLs)
        for (int i = 0; i < 20; i++) {
            Instant t = Instant.now().minusSeconds(i);
            String id = Ids.at(t);
            rt.emulators()
                    .dynamo()
                    .putItem(b -> b.tableName(rt.emulators().ref("ImagesTable"))
                            .item(Map.of(
                                    "imageId",
                                    AttributeValue.fromS(id),
                                    "userId",
                                    AttributeValue.fromS(userId),
                                    "prompt",
                                    AttributeValue.fromS("bench image"),
                                    "status",
                                    AttributeValue.fromS("SUCCEEDED"),
                                    "s3Key",
                                    AttributeValue.fromS("images/" + userId + "/" + id + ".png"),
                                    "createdAt",
                                    AttributeValue.fromS(Times.iso(t)))));
        }
        List<Result> out = new ArrayList<>();
        for (String route : List.of("/user/credits", "/images")) {
            for (int c : new int[] {16, 64}) {
                drive(rt, token, route, c, Duration.ofSeconds(3));
                Result r = drive(rt, token, route, c, duration);
                out.add(r);
                log.printf(
                        "  GET %-14s c=%-3d %8.0f req/s   p50 %6.2f ms   p99 %6.2f ms   errors %d%n",
                        route, c, r.rps(), r.p50(), r.p99(), r.errors());
            }
        }
        return out;
    }

    static Result drive(LocalRuntime rt, String token, String route, int concurrency, Duration duration)
            throws Exception {
        HttpClient http = HttpClient.newBuilder()
                .version(HttpClient.Version.HTTP_1_1)
                .executor(Executors.newFixedThreadPool(4))
                .build();
        HttpRequest request = HttpRequest.newBuilder(URI.create(rt.baseUrl() + route))
                .header("Authorization", "Bearer " + token)
                .GET()
                .build();
        long end = System.nanoTime() + duration.toNanos();
        List<long[]> samples = new ArrayList<>();
        AtomicInteger errors = new AtomicInteger();
        List<Thread> threads = new ArrayList<>();
        long started = System.nanoTime();
        for (int i = 0; i < concurrency; i++) {
            long[] mine = new long[2_000_000];
            samples.add(mine);
            int slot = i;
            Thread t = new Thread(
                    () -> {
                        int n = 0;
                        while (System.nanoTime() < end && n < mine.length - 1) {
                            long s = System.nanoTime();
                            try {
                                HttpResponse<byte[]> r = http.send(request, HttpResponse.BodyHandlers.ofByteArray());
                                if (r.statusCode() != 200) {
                                    errors.incrementAndGet();
                                }
                            } catch (Exception e) {
                                errors.incrementAndGet();
                            }
                            mine[++n] = System.nanoTime() - s;
                        }
                        mine[0] = n;
                    },
                    "load-" + slot);
            threads.add(t);
            t.start();
        }
        for (Thread t : threads) {
            t.join();
        }
        double seconds = (System.nanoTime() - started) / 1e9;
        long total = samples.stream().mapToLong(s -> s[0]).sum();
        long[] all = new long[(int) total];
        int k = 0;
        for (long[] s : samples) {
            System.arraycopy(s, 1, all, k, (int) s[0]);
            k += (int) s[0];
        }
        return new Result(
                route, concurrency, total, seconds, Stats.percentile(all, 50), Stats.percentile(all, 99), errors.get());
    }
}
