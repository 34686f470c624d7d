package dev.suite.coaching.api;

import com.amazonaws.services.lambda.runtime.Context;
import com.amazonaws.services.lambda.runtime.RequestHandler;
import com.amazonaws.services.lambda.runtime.events.APIGatewayProxyRequestEvent;
import com.amazonaws.services.lambda.runtime.events.APIGatewayProxyResponseEvent;
import dev.suite.coaching.domain.CoachingService;
import dev.suite.coaching.domain.EntryRules;
import dev.suite.coaching.domain.Live;
import dev.suite.coaching.store.CoachingStore;
import dev.suite.coaching.store.NotificationStore;
import dev.suite.shared.Clients;
import dev.suite.shared.Config;
import dev.suite.shared.Json;
import dev.suite.shared.Log;
import dev.suite.shared.data.Users;
import dev.suite.shared.http.ApiException;
import dev.suite.shared.http.ApiRequest;
import dev.suite.shared.http.ApiResponse;
import dev.suite.shared.http.Body;
import dev.suite.shared.http.Check;
import dev.suite.shared.http.Dispatcher;
import dev.suite.shared.http.Router;
import dev.suite.shared.http.Validated;
import dev.suite.shared.push.Connections;
import dev.suite.shared.push.Push;
import java.time.Clock;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.Currency;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;
import org.slf4j.Logger;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;

/**
 * Coaching REST routes: quit profile, progress, summary, achievements, coach assignment, caseload, notes,
 * notifications.
 */
public final class CoachingHandler
        implements RequestHandler<APIGatewayProxyRequestEvent, APIGatewayProxyResponseEvent> {
    private static final Logger LOG = Log.get(CoachingHandler.class);
    private static final Pattern CURRENCY = Pattern.compile("^[A-Z]{3}$");
    private final Dispatcher gateway;

    record ProfileBody(
            String quitDate,
            Integer cigarettesPerDay,
            Long packPrice,
            Integer packSize,
            String currency,
            String timezone)
            implements Validated<ProfileBody> {
        @Override
        public ProfileBody validated() {
            EntryRules.date("quitDate", quitDate);
            Check.range("cigarettesPerDay", cigarettesPerDay, 1, 200);
            long price = Check.required("packPrice", packPrice);
            if (price < 0 || price > 1_000_000_000L) {
                throw ApiException.invalid(
                        "packPrice", "must be between 0 and 1000000000 (minor units of the currency)");
            }
            int size = packSize == null ? 20 : Check.range("packSize", packSize, 1, 100);
            String cur = currency == null ? "VND" : currency;
            if (!CURRENCY.matcher(cur).matches()
                    || Currency.getAvailableCurrencies().stream()
                            .noneMatch(c -> c.getCurrencyCode().equals(cur))) {
                throw ApiException.invalid("currency", "must be an ISO 4217 currency code such as VND or USD");
            }
            EntryRules.zone("timezone", timezone);
            return new ProfileBody(quitDate, cigarettesPerDay, price, size, cur, timezone);
        }
    }

    record EntryBody(Integer smoked, Integer cravings, Integer mood, List<String> triggers, String note)
            implements Validated<EntryBody> {
        @Override
        public EntryBody validated() {
            Check.range("smoked", smoked, 0, 200);
            if (cravings != null) {
                Check.range("cravings", cravings, 0, 100);
            }
            if (mood != null) {
                Check.range("mood", mood, 1, 5);
            }
            List<String> tags = new ArrayList<>();
            if (triggers != null) {
                Check.size("triggers", triggers, 0, EntryRules.TRIGGERS.size());
                triggers.forEach(t -> Check.oneOf("triggers", t, EntryRules.TRIGGERS));
                tags.addAll(new LinkedHashSet<>(triggers));
            }
            String text = note == null ? null : Check.multiline("note", note, 0, 1000);
            return new EntryBody(smoked, cravings, mood, tags, text == null || text.isEmpty() ? null : text);
        }
    }

    record CoachBody(String coachId) implements Validated<CoachBody> {
        @Override
        public CoachBody validated() {
            return new CoachBody(Check.id("coachId", coachId));
        }
    }

    record NoteBody(String text) implements Validated<NoteBody> {
        @Override
        public NoteBody validated() {
            return new NoteBody(Check.multiline("text", text, 1, 2000));
        }
    }

    public CoachingHandler() {
        this(Config.fromSystem());
    }

    public CoachingHandler(Config config) {
        this(config, service(config, Clients.dynamo(config)));
    }

    /**
     * The service wired to the environment's tables, pushing frames through the WebSocket API's management endpoint.
     */
    public static CoachingService service(Config config, DynamoDbClient dynamo) {
        return service(config, dynamo, live(config, dynamo));
    }

    public static CoachingService service(Config config, DynamoDbClient dynamo, Live live) {
        return new CoachingService(
                CoachingStore.from(dynamo, config),
                NotificationStore.from(dynamo, config),
                Users.from(dynamo, config),
                live,
                Clock.systemUTC(),
                new CoachingService.Settings(
                        config.getInt("ENTRY_MAX_DAYS_BACK", 7),
                        config.getInt("AT_RISK_IDLE_DAYS", 2),
                        config.getInt("NOTIFICATION_TTL_DAYS", 90)));
    }

    /** Frames through the shared push piece; a failed push is logged and lost (what it announces is stored). */
    static Live live(Config config, DynamoDbClient dynamo) {
        Push push = new Push(config, Connections.from(dynamo, config));
        return (userId, frame) -> {
            try {
                List<String> ids = push.connectionsOf(List.of(userId), Instant.now());
                if (!ids.isEmpty()) {
                    config.require("WEBSOCKET_MANAGEMENT_ENDPOINT");
                    push.send(push.client(null, null), ids, Json.write(frame));
                }
            } catch (RuntimeException e) {
                LOG.warn("pushing a frame failed: {}", e.getClass().getSimpleName());
            }
        };
    }

    public CoachingHandler(Config config, CoachingService coaching) {
        Router router = new Router()
                .add("PUT", "/quit/profile", r -> {
                    ProfileBody b = Body.parse(r, ProfileBody.class);
                    CoachingService.Stored s = coaching.putProfile(
                            r.caller().userId(),
                            LocalDate.parse(b.quitDate()),
                            b.cigarettesPerDay(),
                            b.packPrice(),
                            b.packSize(),
                            b.currency(),
                            ZoneId.of(b.timezone()));
                    return s.created() ? ApiResponse.created(s.profile()) : ApiResponse.ok(s.profile());
                })
                .add(
                        "GET",
                        "/quit/profile",
                        r -> ApiResponse.ok(coaching.profile(r.caller().userId())))
                .add("PUT", "/progress/entries/{date}", r -> {
                    String me = r.caller().userId();
                    LocalDate date = EntryRules.date("date", r.pathParam("date"));
                    EntryBody b = Body.parse(r, EntryBody.class);
                    CoachingService.Saved s =
                            coaching.saveEntry(me, date, b.smoked(), b.cravings(), b.mood(), b.triggers(), b.note());
                    return s.created() ? ApiResponse.created(s.entry()) : ApiResponse.ok(s.entry());
                })
                .add(
                        "GET",
                        "/progress/entries",
                        r -> ApiResponse.ok(coaching.entries(
                                r.caller().userId(),
                                r.query("from"),
                                r.query("to"),
                                limit(r, 100, 50),
                                r.query("cursor"))))
                .add("DELETE", "/progress/entries/{date}", r -> {
                    coaching.deleteEntry(r.caller().userId(), EntryRules.date("date", r.pathParam("date")));
                    return ApiResponse.noContent();
                })
                .add(
                        "GET",
                        "/progress/summary",
                        r -> ApiResponse.ok(coaching.summary(r.caller().userId())))
                .add(
                        "GET",
                        "/achievements",
                        r -> ApiResponse.ok(coaching.achievements(r.caller().userId())))
                .add("PUT", "/admin/users/{userId}/coach", r -> {
                    var caller = r.caller();
                    String client = Check.id("userId", r.pathParam("userId"));
                    if (!caller.isAdmin()) {
                        throw ApiException.forbidden("only an Admin assigns coaches");
                    }
                    return ApiResponse.ok(coaching.assign(
                            caller, client, Body.parse(r, CoachBody.class).coachId()));
                })
                .add("DELETE", "/admin/users/{userId}/coach", r -> {
                    coaching.unassign(r.caller(), Check.id("userId", r.pathParam("userId")));
                    return ApiResponse.noContent();
                })
                .add(
                        "GET",
                        "/me/coach",
                        r -> ApiResponse.ok(coaching.myCoach(r.caller().userId())))
                .add(
                        "GET",
                        "/coach/clients",
                        r -> ApiResponse.ok(coaching.clients(r.caller(), limit(r, 50, 20), r.query("cursor"))))
                .add(
                        "GET",
                        "/coach/clients/{userId}/progress",
                        r -> ApiResponse.ok(coaching.clientProgress(
                                r.caller(),
                                Check.id("userId", r.pathParam("userId")),
                                r.query("from"),
                                r.query("to"),
                                limit(r, 100, 50),
                                r.query("cursor"))))
                .add("POST", "/coach/clients/{userId}/notes", r -> {
                    var caller = r.caller();
                    String client = Check.id("userId", r.pathParam("userId"));
                    return ApiResponse.created(coaching.addNote(
                            caller, client, Body.parse(r, NoteBody.class).text()));
                })
                .add(
                        "GET",
                        "/coach/clients/{userId}/notes",
                        r -> ApiResponse.ok(coaching.notes(
                                r.caller(),
                                Check.id("userId", r.pathParam("userId")),
                                limit(r, 100, 50),
                                r.query("cursor"))))
                .add(
                        "GET",
                        "/notifications",
                        r -> ApiResponse.ok(
                                coaching.notifications(r.caller().userId(), limit(r, 100, 50), r.query("cursor"))))
                .add(
                        "POST",
                        "/notifications/{id}/read",
                        r -> ApiResponse.ok(coaching.read(r.caller().userId(), Check.id("id", r.pathParam("id")))))
                .add(
                        "POST",
                        "/notifications/read-all",
                        r -> ApiResponse.ok(coaching.readAll(r.caller().userId())));
        this.gateway = new Dispatcher(config, router)
                .primeWith(
                        "CoachingHandler",
                        Dispatcher.synthetic("GET", "/quit/profile", null, null),
                        Dispatcher.synthetic("GET", "/progress/entries", null, null),
                        Dispatcher.synthetic("GET", "/achievements", null, null),
                        Dispatcher.synthetic("GET", "/notifications", null, null),
                        Dispatcher.synthetic("GET", "/me/coach", null, null),
                        Dispatcher.synthetic(
                                "PUT", "/progress/entries/{date}", Map.of("date", "2000-01-01"), "{\"smoked\":0}"));
    }

    private static int limit(ApiRequest r, int max, int fallback) {
        return Check.intParam("limit", r.query("limit"), 1, max, fallback);
    }

    @Override
    public APIGatewayProxyResponseEvent handleRequest(APIGatewayProxyRequestEvent event, Context context) {
        return gateway.handle(event, context);
    }

    public Router router() {
        return gateway.router();
    }
}
