package dev.suite.chat;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.suite.chat.api.ConnectionPurgeHandler;
import dev.suite.emulators.Emulators;
import dev.suite.shared.SyntheticContext;
import dev.suite.shared.push.Connections;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;

class ConnectionPurgeTest {
    @Test
    void removesOnlyConnectionsPastTheirTtl() {
        Emulators emu = Emulators.shared();
        var config = emu.functionConfig("ConnectionPurgeFunction");
        Connections connections = Connections.from(emu.dynamo(), config);
        String user = UUID.randomUUID().toString();
        connections.open("old-" + user, user, Instant.now().minus(Duration.ofHours(3)));
        connections.open("new-" + user, user, Instant.now());
        assertEquals(
                List.of("new-" + user),
                connections.ofUser(user, Instant.now()),
                "expired rows are skipped before the purge");
        Map<String, Object> out = new ConnectionPurgeHandler(config).handleRequest(Map.of(), new SyntheticContext());
        assertEquals(1, out.get("removed"));
        assertEquals(
                List.of("new-" + user),
                connections.ofUser(user, Instant.now().minus(Duration.ofHours(5))),
                "the old row is gone");
    }
}
