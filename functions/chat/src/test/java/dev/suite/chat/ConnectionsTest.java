package dev.suite.chat;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import dev.suite.emulators.Emulators;
import dev.suite.shared.Clients;
import dev.suite.shared.Config;
import dev.suite.shared.push.Connections;
import dev.suite.shared.push.Push;
import dev.suite.testkit.Faults;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;

/** The per-user connection items: kept in step on open, close and purge; fan-out reads them in batches. */
class ConnectionsTest {
    final Emulators emu = Emulators.shared();
    final Config config = emu.functionConfig("ChatMessagesFunction");
    final Connections connections = Connections.from(emu.dynamo(), config);

    /** The connection ids in the user's own item, read directly. */
    Set<String> userItem(String userId) {
        Map<String, AttributeValue> item = emu.dynamo()
                .getItem(b -> b.tableName(config.require("CONNECTIONS_TABLE"))
                        .consistentRead(true)
                        .key(Map.of("connectionId", AttributeValue.fromS("user#" + userId))))
                .item();
        return item == null || !item.containsKey("connections")
                ? Set.of()
                : item.get("connections").m().keySet();
    }

    @Test
    void theUsersItemFollowsOpenCloseAndPurge() {
        String ana = UUID.randomUUID().toString();
        String bob = UUID.randomUUID().toString();
        String gone = UUID.randomUUID().toString();
        Instant now = Instant.now();
        connections.open("a1-" + ana, ana, now);
        connections.open("a2-" + ana, ana, now);
        connections.open("b1-" + bob, bob, now);
        connections.open("old-" + ana, ana, now.minus(Duration.ofHours(3)));
        connections.open("old-" + gone, gone, now.minus(Duration.ofHours(3)));
        assertEquals(Set.of("a1-" + ana, "a2-" + ana, "old-" + ana), userItem(ana));
        assertEquals(
                Set.of("a1-" + ana, "a2-" + ana),
                new HashSet<>(connections.ofUser(ana, now)),
                "expired entries are skipped");

        connections.close("a1-" + ana);
        assertEquals(Set.of("a2-" + ana, "old-" + ana), userItem(ana), "close removes the entry");
        assertEquals(List.of("b1-" + bob), connections.ofUser(bob, now), "and only that one");
        connections.close("a1-" + ana);
        connections.close("never-opened");

        connections.purgeExpired(now);
        assertEquals(Set.of("a2-" + ana), userItem(ana), "the purge removes the expired entry");
        assertEquals(Set.of(), userItem(gone), "and the item of a user whose connections all expired");
        assertEquals(List.of(), connections.ofUser(gone, now));
        connections.open("new-" + gone, gone, now);
        assertEquals(
                List.of("new-" + gone), connections.ofUser(gone, now), "a user's item comes back on the next open");
    }

    @Test
    void fanOutReadsTheMembersConnectionsInBatchesNotOneQueryEach() {
        List<String> users = new ArrayList<>();
        Instant now = Instant.now();
        for (int i = 0; i < 150; i++) {
            String u = UUID.randomUUID().toString();
            users.add(u);
            connections.open("c-" + u, u, now);
        }
        users.add(UUID.randomUUID().toString());
        AtomicInteger queries = new AtomicInteger();
        AtomicInteger batches = new AtomicInteger();
        var counted = Faults.dynamo(
                Faults.dynamo(Clients.dynamo(config), "query", (n, args) -> {
                    queries.incrementAndGet();
                    return null;
                }),
                "batchGetItem",
                (n, args) -> {
                    batches.incrementAndGet();
                    return null;
                });
        List<String> found = new Push(config, Connections.from(counted, config)).connectionsOf(users, now);
        assertEquals(150, found.size(), "every member's connection, none for the member with none");
        assertFalse(found.contains(null));
        assertEquals(2, batches.get(), "151 members: two BatchGetItem calls of at most 100 keys");
        assertEquals(0, queries.get(), "no query per member");
    }
}
