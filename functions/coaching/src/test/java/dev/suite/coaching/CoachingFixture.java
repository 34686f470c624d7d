package dev.suite.coaching;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.suite.coaching.api.CoachingHandler;
import dev.suite.coaching.domain.Live;
import dev.suite.emulators.Emulators;
import dev.suite.shared.Clients;
import dev.suite.shared.Config;
import dev.suite.shared.Json;
import dev.suite.shared.data.Users;
import dev.suite.testkit.Events;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneId;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;

/** Users of each role, a handler whose live frames are recorded, and the calls the coaching tests share. */
final class CoachingFixture {
    static final ZoneId ZONE = ZoneId.of("Asia/Ho_Chi_Minh");
    final Emulators emu = Emulators.shared();
    final Config config = emu.functionConfig("CoachingFunction");
    final Users users = Users.from(emu.dynamo(), config);
    final List<String[]> frames = new CopyOnWriteArrayList<>();
    final Live recorder = (userId, frame) -> frames.add(new String[] {userId, Json.write(frame)});
    final CoachingHandler handler =
            new CoachingHandler(config, CoachingHandler.service(config, Clients.dynamo(config), recorder));

    /** A signed-in person: id, and the Cognito group their token carries. */
    record Who(String id, String group) {}

    Who user(String role) {
        String id = UUID.randomUUID().toString();
        users.create(id, id.substring(0, 8) + "@example.com", role + " " + id.substring(0, 4), role, 0, Instant.now());
        return new Who(id, role);
    }

    static LocalDate today() {
        return LocalDate.now(ZONE);
    }

    Events.Call call(String event, Who who) {
        Events.Call c = Events.call(event);
        return who == null ? c.anonymous() : c.as(who.id(), who.id().substring(0, 8) + "@example.com", who.group());
    }

    Events.Response profile(Who who, String quitDate) {
        return call("coaching-put-profile", who)
                .body(Map.of(
                        "quitDate", quitDate, "cigarettesPerDay", 20, "packPrice", 30_000, "timezone", ZONE.getId()))
                .invoke(handler);
    }

    Events.Response save(Who who, LocalDate date, int smoked) {
        return call("coaching-save-entry", who)
                .pathParam("date", date.toString())
                .body(Map.of("smoked", smoked))
                .invoke(handler);
    }

    Events.Response assign(Who admin, Who client, Who coach) {
        return call("coaching-assign-coach", admin)
                .pathParam("userId", client.id())
                .body(Map.of("coachId", coach.id()))
                .invoke(handler);
    }

    /** A client with a profile from 10 days ago, entries for yesterday and today, and an assigned coach. */
    Who[] coached() {
        Who client = user("User");
        Who coach = user("Coach");
        Who admin = user("Admin");
        assertEquals(201, profile(client, today().minusDays(10).toString()).status());
        assertEquals(201, save(client, today().minusDays(1), 0).status());
        assertEquals(201, save(client, today(), 0).status());
        assertEquals(200, assign(admin, client, coach).status());
        return new Who[] {client, coach, admin};
    }
}
