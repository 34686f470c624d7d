package dev.suite.gym.api;

import com.amazonaws.services.lambda.runtime.Context;
import com.amazonaws.services.lambda.runtime.RequestHandler;
import com.amazonaws.services.lambda.runtime.events.APIGatewayProxyRequestEvent;
import com.amazonaws.services.lambda.runtime.events.APIGatewayProxyResponseEvent;
import dev.suite.gym.domain.CheckinTokens;
import dev.suite.gym.domain.GymRules;
import dev.suite.gym.domain.GymService;
import dev.suite.gym.domain.Machines;
import dev.suite.gym.domain.MembershipSales;
import dev.suite.gym.provider.StripeSessions;
import dev.suite.gym.store.CheckinStore;
import dev.suite.gym.store.GymStore;
import dev.suite.gym.store.MachineStore;
import dev.suite.gym.store.PurchaseStore;
import dev.suite.gym.store.StaffStore;
import dev.suite.shared.Clients;
import dev.suite.shared.Config;
import dev.suite.shared.Lazy;
import dev.suite.shared.Secrets;
import dev.suite.shared.data.RateLimiter;
import dev.suite.shared.http.ApiException;
import dev.suite.shared.http.ApiResponse;
import dev.suite.shared.http.Body;
import dev.suite.shared.http.Check;
import dev.suite.shared.http.Dispatcher;
import dev.suite.shared.http.Router;
import dev.suite.shared.http.Validated;
import java.time.Clock;
import java.util.List;
import java.util.Map;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;

/**
 * Gym REST routes: gyms, plans and staff assignments (Admin writes), membership and Stripe Checkout, check-in codes,
 * the door (Staff of that gym or an Admin scans). Stripe's webhook is {@link StripeWebhookFunction}'s.
 */
public final class GymHandler implements RequestHandler<APIGatewayProxyRequestEvent, APIGatewayProxyResponseEvent> {
    private final Dispatcher gateway;

    record GymBody(String name, Integer capacity, String timezone, String address) implements Validated<GymBody> {
        @Override
        public GymBody validated() {
            return new GymBody(
                    Check.text("name", name, 1, 100),
                    Check.range("capacity", capacity, 1, GymRules.MAX_CAPACITY),
                    GymRules.zone("timezone", timezone),
                    address == null ? null : Check.text("address", address, 1, 300));
        }
    }

    record GymPatch(String name, Integer capacity, String timezone, String address) implements Validated<GymPatch> {
        @Override
        public GymPatch validated() {
            if (name == null && capacity == null && timezone == null && address == null) {
                throw ApiException.invalid("name", "give at least one of name, capacity, timezone, address");
            }
            return new GymPatch(
                    name == null ? null : Check.text("name", name, 1, 100),
                    capacity == null ? null : Check.range("capacity", capacity, 1, GymRules.MAX_CAPACITY),
                    timezone == null ? null : GymRules.zone("timezone", timezone),
                    address == null ? null : Check.text("address", address, 1, 300));
        }
    }

    record PlanBody(String name, Integer days, Long amount, String currency) implements Validated<PlanBody> {
        @Override
        public PlanBody validated() {
            return new PlanBody(
                    Check.text("name", name, 1, 100),
                    Check.range("days", days, 1, 3660),
                    GymRules.amount("amount", amount),
                    GymRules.currency("currency", currency));
        }
    }

    /** Rename or (de)activate; the price of a plan never changes (a new price is a new plan). */
    record PlanPatch(String name, Boolean active) implements Validated<PlanPatch> {
        @Override
        public PlanPatch validated() {
            if (name == null && active == null) {
                throw ApiException.invalid(
                        "name", "give name or active (the price of a plan never changes: create a new plan)");
            }
            return new PlanPatch(name == null ? null : Check.text("name", name, 1, 100), active);
        }
    }

    record TokenBody(String gymId) implements Validated<TokenBody> {
        @Override
        public TokenBody validated() {
            return new TokenBody(Check.id("gymId", gymId));
        }
    }

    record ScanBody(String token) implements Validated<ScanBody> {
        @Override
        public ScanBody validated() {
            return new ScanBody(Check.text("token", token, 1, 1024));
        }
    }

    record CheckoutBody(String userId, String gymId) implements Validated<CheckoutBody> {
        @Override
        public CheckoutBody validated() {
            return new CheckoutBody(Check.id("userId", userId), Check.id("gymId", gymId));
        }
    }

    public GymHandler() {
        this(Config.fromSystem());
    }

    record MachineBody(String name, String description) implements Validated<MachineBody> {
        @Override
        public MachineBody validated() {
            return new MachineBody(
                    Check.text("name", name, 1, 100),
                    description == null ? null : Check.multiline("description", description, 1, 2000));
        }
    }

    record MachinePatch(String name, String description) implements Validated<MachinePatch> {
        @Override
        public MachinePatch validated() {
            if (name == null && description == null) {
                throw ApiException.invalid("name", "give name or description");
            }
            return new MachinePatch(
                    name == null ? null : Check.text("name", name, 1, 100),
                    description == null ? null : Check.multiline("description", description, 1, 2000));
        }
    }

    record ImageBody(String contentType, Long size) implements Validated<ImageBody> {
        @Override
        public ImageBody validated() {
            return new ImageBody(Check.text("contentType", contentType, 1, 100), Check.required("size", size));
        }
    }

    record CheckoutPlan(String planId) implements Validated<CheckoutPlan> {
        @Override
        public CheckoutPlan validated() {
            return new CheckoutPlan(Check.id("planId", planId));
        }
    }

    public GymHandler(Config config) {
        this(config, Clients.dynamo(config));
    }

    private GymHandler(Config config, DynamoDbClient dynamo) {
        this(config, service(config, dynamo, Clock.systemUTC()), dynamo);
    }

    private GymHandler(Config config, GymService gyms, DynamoDbClient dynamo) {
        this(
                config,
                gyms,
                sales(config, dynamo, StripeSessions.from(config), Clock.systemUTC()),
                machines(config, dynamo, gyms, Clock.systemUTC()));
    }

    /** Machines wired to the environment's table and media bucket. */
    public static Machines machines(Config config, DynamoDbClient dynamo, GymService gyms, Clock clock) {
        return new Machines(
                MachineStore.from(dynamo, config),
                gyms,
                Lazy.of(() -> Clients.s3(config)),
                Lazy.of(() -> Clients.presigner(config)),
                config.require("MEDIA_BUCKET"),
                Clients.presignTtl(config),
                clock);
    }

    /**
     * Membership sales wired to the environment's tables, the given Stripe sessions and the per-user checkout limit.
     */
    public static MembershipSales sales(Config config, DynamoDbClient dynamo, StripeSessions stripe, Clock clock) {
        return new MembershipSales(
                GymStore.from(dynamo, config),
                PurchaseStore.from(dynamo, config),
                stripe,
                RateLimiter.from(dynamo, config),
                config.getInt("CHECKOUT_LIMIT_PER_USER_PER_MINUTE", MembershipSales.DEFAULT_LIMIT_PER_MINUTE),
                clock);
    }

    /** The service wired to the environment's tables and check-in key. */
    public static GymService service(Config config, DynamoDbClient dynamo, Clock clock) {
        return new GymService(
                GymStore.from(dynamo, config),
                CheckinStore.from(dynamo, config),
                StaffStore.from(dynamo, config),
                new CheckinTokens(
                        Secrets.supplier(config, "CHECKIN_TOKEN_KEY"),
                        config.getInt("CHECKIN_CODE_TTL_SECONDS", CheckinTokens.MAX_TTL_SECONDS)),
                clock);
    }

    public GymHandler(Config config, GymService gyms, MembershipSales sales, Machines machines) {
        Router router = new Router()
                .add("POST", "/admin/gyms", r -> {
                    var caller = r.caller();
                    GymBody b = Body.parse(r, GymBody.class);
                    return ApiResponse.created(
                            gyms.createGym(caller, b.name(), b.capacity(), b.timezone(), b.address()));
                })
                .add("PATCH", "/admin/gyms/{gymId}", r -> {
                    var caller = r.caller();
                    String gymId = Check.id("gymId", r.pathParam("gymId"));
                    GymPatch b = Body.parse(r, GymPatch.class);
                    return ApiResponse.ok(
                            gyms.updateGym(caller, gymId, b.name(), b.capacity(), b.timezone(), b.address()));
                })
                .add("GET", "/gyms", r -> {
                    r.caller();
                    return ApiResponse.ok(
                            gyms.gyms(Check.intParam("limit", r.query("limit"), 1, 100, 50), r.query("cursor")));
                })
                .add("GET", "/gyms/{gymId}", r -> {
                    r.caller();
                    return ApiResponse.ok(gyms.gym(Check.id("gymId", r.pathParam("gymId"))));
                })
                .add("GET", "/admin/gyms/{gymId}/staff", r -> {
                    var caller = r.caller();
                    String gymId = Check.id("gymId", r.pathParam("gymId"));
                    return ApiResponse.ok(gyms.staffOf(
                            caller, gymId, Check.intParam("limit", r.query("limit"), 1, 100, 50), r.query("cursor")));
                })
                .add("PUT", "/admin/gyms/{gymId}/staff/{userId}", r -> {
                    var caller = r.caller();
                    return ApiResponse.ok(gyms.assignStaff(
                            caller,
                            Check.id("gymId", r.pathParam("gymId")),
                            Check.id("userId", r.pathParam("userId"))));
                })
                .add("DELETE", "/admin/gyms/{gymId}/staff/{userId}", r -> {
                    gyms.unassignStaff(
                            r.caller(),
                            Check.id("gymId", r.pathParam("gymId")),
                            Check.id("userId", r.pathParam("userId")));
                    return ApiResponse.noContent();
                })
                .add("GET", "/admin/gyms/{gymId}/attendance", r -> {
                    var caller = r.caller();
                    String gymId = Check.id("gymId", r.pathParam("gymId"));
                    String groupBy = r.query("groupBy") == null
                            ? "day"
                            : Check.oneOf("groupBy", r.query("groupBy"), List.of("day", "hour"));
                    return ApiResponse.ok(gyms.attendance(caller, gymId, r.query("from"), r.query("to"), groupBy));
                })
                .add("POST", "/admin/gyms/{gymId}/machines", r -> {
                    var caller = r.caller();
                    String gymId = Check.id("gymId", r.pathParam("gymId"));
                    MachineBody b = Body.parse(r, MachineBody.class);
                    return ApiResponse.created(machines.create(caller, gymId, b.name(), b.description()));
                })
                .add("PATCH", "/admin/machines/{machineId}", r -> {
                    var caller = r.caller();
                    String machineId = Check.id("machineId", r.pathParam("machineId"));
                    MachinePatch b = Body.parse(r, MachinePatch.class);
                    return ApiResponse.ok(machines.update(caller, machineId, b.name(), b.description()));
                })
                .add("DELETE", "/admin/machines/{machineId}", r -> {
                    machines.delete(r.caller(), Check.id("machineId", r.pathParam("machineId")));
                    return ApiResponse.noContent();
                })
                .add("POST", "/admin/machines/{machineId}/image", r -> {
                    var caller = r.caller();
                    String machineId = Check.id("machineId", r.pathParam("machineId"));
                    ImageBody b = Body.parse(r, ImageBody.class);
                    return ApiResponse.created(machines.imageUpload(caller, machineId, b.contentType(), b.size()));
                })
                .add("GET", "/gyms/{gymId}/machines", r -> {
                    r.caller();
                    return ApiResponse.ok(machines.ofGym(
                            Check.id("gymId", r.pathParam("gymId")),
                            Check.intParam("limit", r.query("limit"), 1, 100, 50),
                            r.query("cursor")));
                })
                .add("GET", "/membership/plans", r -> ApiResponse.ok(gyms.plans(r.caller())))
                .add("POST", "/admin/membership/plans", r -> {
                    var caller = r.caller();
                    PlanBody b = Body.parse(r, PlanBody.class);
                    return ApiResponse.created(gyms.createPlan(caller, b.name(), b.days(), b.amount(), b.currency()));
                })
                .add("PATCH", "/admin/membership/plans/{planId}", r -> {
                    var caller = r.caller();
                    String planId = Check.id("planId", r.pathParam("planId"));
                    PlanPatch b = Body.parse(r, PlanPatch.class);
                    return ApiResponse.ok(gyms.updatePlan(caller, planId, b.name(), b.active()));
                })
                .add(
                        "GET",
                        "/me/membership",
                        r -> ApiResponse.ok(gyms.membership(r.caller().userId())))
                .add(
                        "GET",
                        "/me/visits",
                        r -> ApiResponse.ok(gyms.visits(
                                r.caller().userId(),
                                Check.intParam("limit", r.query("limit"), 1, 100, 50),
                                r.query("cursor"))))
                .add(
                        "GET",
                        "/me/membership/purchases",
                        r -> ApiResponse.ok(sales.purchases(
                                r.caller().userId(),
                                Check.intParam("limit", r.query("limit"), 1, 50, 20),
                                r.query("cursor"))))
                .add("POST", "/membership/checkout", r -> {
                    String me = r.caller().userId();
                    MembershipSales.Checkout c =
                            sales.checkout(me, Body.parse(r, CheckoutPlan.class).planId());
                    return c.reused() ? ApiResponse.ok(c.body()) : ApiResponse.created(c.body());
                })
                .add("POST", "/me/checkin-token", r -> {
                    String me = r.caller().userId();
                    CheckinTokens.Issued t =
                            gyms.token(me, Body.parse(r, TokenBody.class).gymId());
                    return ApiResponse.created(Map.of(
                            "token", t.token(), "expiresAt", t.expiresAt().toString()));
                })
                .add("POST", "/staff/checkins", r -> {
                    var caller = r.caller();
                    return ApiResponse.created(
                            gyms.checkIn(caller, Body.parse(r, ScanBody.class).token()));
                })
                .add("POST", "/staff/checkouts", r -> {
                    var caller = r.caller();
                    CheckoutBody b = Body.parse(r, CheckoutBody.class);
                    return ApiResponse.ok(gyms.checkOut(caller, b.userId(), b.gymId()));
                });
        this.gateway = new Dispatcher(config, router)
                .primeWith(
                        "GymHandler",
                        machines::prime,
                        Dispatcher.synthetic("GET", "/gyms", null, null),
                        Dispatcher.synthetic("GET", "/gyms/{gymId}", Map.of("gymId", "priming"), null),
                        Dispatcher.synthetic("GET", "/membership/plans", null, null),
                        Dispatcher.synthetic("GET", "/me/membership", null, null),
                        Dispatcher.synthetic("GET", "/me/membership/purchases", null, null),
                        Dispatcher.synthetic("GET", "/me/visits", null, null));
    }

    @Override
    public APIGatewayProxyResponseEvent handleRequest(APIGatewayProxyRequestEvent event, Context context) {
        return gateway.handle(event, context);
    }

    public Router router() {
        return gateway.router();
    }
}
