package dev.suite.bench;

import dev.suite.local.LocalRuntime;
import dev.suite.shared.Json;
import dev.suite.shared.Times;
import dev.suite.shared.push.Connections;
import java.io.PrintStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.WebSocket;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;

/**
 * One message to rooms of 10, 100 and 1,000 members, each member with one live WebSocket connection, through
 * local/: time from send to the last delivery. Members are distinct users (Users and RoomMembers rows); their
 * sockets authenticate with the bench user's token and are then attributed to the members in Connections, so
 * the fan-out path is the real one (the members' connection items read in batches of 100, one post per connection).
 */
final class Fanout {
    record Result(int members, double p50, double max, int runs) {}

    static List<Result> run(LocalRuntime rt, String token, String senderId, PrintStream log) throws Exception {
        HttpClient http = HttpClient.newHttpClient();
        var config = rt.emulators().functionConfig("ChatMessagesFunction");
        Connections connections = Connections.from(rt.emulators().dynamo(), config);
        List<Result> out = new ArrayList<>();
        for (int n : new int[] {10, 100, 1000}) {
            String room = "gr-bench-" + n + "-" + UUID.randomUUID().toString().substring(0, 6);
            String now = Times.iso(Instant.now());
            rt.emulators()
                    .dynamo()
                    .putItem(b -> b.tableName(rt.emulators().ref("RoomsTable"))
                            .item(Map.of(
                                    "roomId",
                                    AttributeValue.fromS(room),
                                    "type",
                                    AttributeValue.fromS("group"),
                                    "name",
                                    AttributeValue.fromS("bench"),
                                    "createdBy",
                                    AttributeValue.fromS(senderId),
                                    "createdAt",
                                    AttributeValue.fromS(now),
                                    "lastActivityAt",
                                    AttributeValue.fromS(now))));
            member(rt, room, senderId, "owner", now);
            WebSocket sender = http.newWebSocketBuilder()
                    .buildAsync(URI.create(rt.wsUrl() + "/?token=" + token), new WebSocket.Listener() {})
                    .get(10, TimeUnit.SECONDS);
            Thread.sleep(200);
            List<String> senderConnections = connections.ofUser(senderId, Instant.now());
            AtomicLong lastArrival = new AtomicLong();
            CountDownLatch[] latch = new CountDownLatch[1];
            List<WebSocket> sockets = new ArrayList<>();
            for (int i = 0; i < n; i++) {
                sockets.add(http.newWebSocketBuilder()
                        .buildAsync(URI.create(rt.wsUrl() + "/?token=" + token), new WebSocket.Listener() {
                            final StringBuilder partial = new StringBuilder();

                            @Override
                            public CompletionStage<?> onText(WebSocket ws, CharSequence data, boolean last) {
                                partial.append(data);
                                if (last) {
                                    if (partial.indexOf("\"type\":\"message\"") >= 0 && latch[0] != null) {
                                        lastArrival.accumulateAndGet(System.nanoTime(), Math::max);
                                        latch[0].countDown();
                                    }
                                    partial.setLength(0);
                                }
                                ws.request(1);
                                return null;
                            }
                        })
                        .get(10, TimeUnit.SECONDS));
            }
            Thread.sleep(300);
            // attribute every new connection to its own member
            List<String> ids = new ArrayList<>(connections.ofUser(senderId, Instant.now()));
            ids.removeAll(senderConnections);
            for (int i = 0; i < ids.size(); i++) {
                String memberId = "bench-member-" + n + "-" + i + "-" + room.substring(room.length() - 6);
                member(rt, room, memberId, "member", now);
                connections.close(ids.get(i));
                connections.open(ids.get(i), memberId, Instant.now());
            }
            List<Double> times = new ArrayList<>();
            int runs = n >= 1000 ? 5 : 10;
            for (int run = 0; run < runs + 1; run++) {
                latch[0] = new CountDownLatch(ids.size());
                lastArrival.set(0);
                long sent = System.nanoTime();
                sender.sendText(
                                Json.write(Map.of(
                                        "action",
                                        "sendMessage",
                                        "roomId",
                                        room,
                                        "text",
                                        "fan-out " + run,
                                        "clientMessageId",
                                        "bench-" + n + "-" + run)),
                                true)
                        .join();
                if (!latch[0].await(30, TimeUnit.SECONDS)) {
                    throw new IllegalStateException(
                            "only " + (ids.size() - latch[0].getCount()) + "/" + ids.size() + " delivered");
                }
                if (run > 0) {
                    times.add((lastArrival.get() - sent) / 1e6);
                }
            }
            Result r = new Result(n, Stats.percentile(times, 50), Stats.percentile(times, 100), runs);
            out.add(r);
            log.printf(
                    "  room of %4d members: send to last delivery p50 %7.1f ms, max %7.1f ms (%d runs)%n",
                    n, r.p50(), r.max(), runs);
            for (WebSocket s : sockets) {
                s.abort();
            }
            sender.abort();
            Thread.sleep(500);
        }
        return out;
    }

    private static void member(LocalRuntime rt, String room, String userId, String role, String now) {
        rt.emulators()
                .dynamo()
                .putItem(b -> b.tableName(rt.emulators().ref("RoomMembersTable"))
                        .item(Map.of(
                                "roomId",
                                AttributeValue.fromS(room),
                                "userId",
                                AttributeValue.fromS(userId),
                                "role",
                                AttributeValue.fromS(role),
                                "joinedAt",
                                AttributeValue.fromS(now))));
    }
}
