package dev.suite.gym.domain;

import dev.suite.gym.store.CheckinStore;
import dev.suite.gym.store.GymStore;
import dev.suite.gym.store.StaffStore;
import dev.suite.shared.Ids;
import dev.suite.shared.auth.Caller;
import dev.suite.shared.auth.Role;
import dev.suite.shared.http.ApiException;
import dev.suite.shared.http.Page;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneId;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Gyms, plans, memberships, staff assignments and the door: who may do what, and the answers the routes give. A Staff
 * account works only at the gyms an Admin assigned it to (an Admin works everywhere).
 */
public final class GymService {
    private final GymStore gyms;
    private final CheckinStore door;
    private final StaffStore staff;
    private final CheckinTokens tokens;
    private final Clock clock;

    public GymService(GymStore gyms, CheckinStore door, StaffStore staff, CheckinTokens tokens, Clock clock) {
        this.gyms = gyms;
        this.door = door;
        this.staff = staff;
        this.tokens = tokens;
        this.clock = clock;
    }

    static void requireAdmin(Caller c) {
        if (c.role() != Role.Admin) {
            throw ApiException.forbidden("only an Admin manages gyms and plans");
        }
    }

    static void requireStaff(Caller c) {
        if (c.role() != Role.Admin && c.role() != Role.Staff) {
            throw ApiException.forbidden("only Staff or an Admin scans check-in codes");
        }
    }

    /** 403 {@code NOT_GYM_STAFF} unless the caller is an Admin or Staff assigned to the gym (read consistently). */
    private void requireStaffOf(Caller c, String gymId) {
        requireStaff(c);
        if (c.role() != Role.Admin && !staff.assigned(gymId, c.userId())) {
            throw new ApiException(
                    403,
                    "NOT_GYM_STAFF",
                    "you are not on the staff of this gym; an Admin assigns staff with PUT /admin/gyms/{gymId}/staff/{userId}");
        }
    }

    // ------------------------------------------------------------ gyms

    public Gym createGym(Caller c, String name, int capacity, String timezone, String address) {
        requireAdmin(c);
        String now = Instant.now(clock).toString();
        Gym g = new Gym(Ids.next(), name, capacity, timezone, address, 0, now, now);
        gyms.createGym(g);
        return g;
    }

    public Gym updateGym(Caller c, String gymId, String name, Integer capacity, String timezone, String address) {
        requireAdmin(c);
        return gyms.updateGym(
                        gymId,
                        name,
                        capacity,
                        timezone,
                        address,
                        Instant.now(clock).toString())
                .orElseThrow(() -> ApiException.notFound("gym"));
    }

    public Gym gym(String gymId) {
        return gyms.gym(gymId).orElseThrow(() -> ApiException.notFound("gym"));
    }

    public Page<Gym> gyms(int limit, String cursor) {
        return gyms.gyms(limit, cursor);
    }

    /** Visit counts of a gym by day or hour of its own time zone, and its peak hours (Admin). */
    public Map<String, Object> attendance(Caller c, String gymId, String from, String to, String groupBy) {
        requireAdmin(c);
        Gym g = gym(gymId);
        Attendance.Range range = Attendance.Range.of(from, to, ZoneId.of(g.timezone()), Instant.now(clock));
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("gymId", gymId);
        out.putAll(Attendance.summarize(range, groupBy, door.checkIns(gymId, range.start(), range.end(), 200_000)));
        return out;
    }

    // ------------------------------------------------------------ staff

    /**
     * Assigns a Staff account to the gym (Admin); 409 {@code NOT_STAFF} when the account's current role is not Staff.
     */
    public StaffStore.Assignment assignStaff(Caller c, String gymId, String userId) {
        requireAdmin(c);
        gym(gymId);
        var user = staff.user(userId).orElseThrow(() -> ApiException.notFound("user"));
        if (!Role.Staff.name().equals(user.role())) {
            throw ApiException.conflict(
                    "NOT_STAFF",
                    "the user's role is " + user.role() + "; make them Staff first (PUT /admin/users/{userId}/role)");
        }
        StaffStore.Assignment a = new StaffStore.Assignment(
                gymId, userId, user.name(), Instant.now(clock).toString(), c.userId());
        staff.assign(a);
        return a;
    }

    public void unassignStaff(Caller c, String gymId, String userId) {
        requireAdmin(c);
        if (!staff.unassign(gymId, userId)) {
            throw ApiException.notFound("staff assignment");
        }
    }

    public Page<StaffStore.Assignment> staffOf(Caller c, String gymId, int limit, String cursor) {
        requireAdmin(c);
        gym(gymId);
        return staff.ofGym(gymId, limit, cursor);
    }

    // ------------------------------------------------------------ plans

    public Plan createPlan(Caller c, String name, int days, long amount, String currency) {
        requireAdmin(c);
        String now = Instant.now(clock).toString();
        Plan p = new Plan(Ids.next(), name, days, amount, currency, true, now, now);
        gyms.createPlan(p);
        return p;
    }

    public Plan updatePlan(Caller c, String planId, String name, Boolean active) {
        requireAdmin(c);
        return gyms.updatePlan(planId, name, active, Instant.now(clock).toString())
                .orElseThrow(() -> ApiException.notFound("plan"));
    }

    /** Plans on sale; an Admin also sees the inactive ones. */
    public Page<Plan> plans(Caller c) {
        List<Plan> all = gyms.plans();
        return new Page<>(
                c.role() == Role.Admin ? all : all.stream().filter(Plan::active).toList(), null);
    }

    // ------------------------------------------------------------ membership and the door

    public Map<String, Object> membership(String userId) {
        Membership m = door.membership(userId);
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("status", m.status(Instant.now(clock)));
        out.put("expiresAt", m.expiresAt() == null ? null : m.expiresAt().toString());
        return out;
    }

    public Page<CheckinStore.Visit> visits(String userId, int limit, String cursor) {
        return door.visits(userId, limit, cursor);
    }

    public CheckinTokens.Issued token(String userId, String gymId) {
        gym(gymId);
        return tokens.issue(userId, gymId, Instant.now(clock));
    }

    /**
     * Scans a code: the signature and expiry, the desk's assignment to the code's gym (a refused scan uses nothing up),
     * then one transaction for everything the door checks; the answer names the member so the desk sees who stands there.
     */
    public Map<String, Object> checkIn(Caller desk, String token) {
        requireStaff(desk);
        Instant now = Instant.now(clock);
        CheckinTokens.Claims claims = tokens.verify(token, now);
        Gym g = gym(claims.gymId());
        requireStaffOf(desk, g.gymId());
        String visitId = Ids.at(now);
        switch (door.checkIn(
                claims.tokenId(), claims.expiresAt(), claims.userId(), g.gymId(), visitId, desk.userId(), now)) {
            case TOKEN_USED ->
                throw ApiException.conflict(
                        "TOKEN_USED", "this check-in code was already scanned; ask the member for a fresh one");
            case MEMBERSHIP_EXPIRED ->
                throw new ApiException(403, "MEMBERSHIP_EXPIRED", "the member has no active membership");
            case ALREADY_INSIDE ->
                throw ApiException.conflict("ALREADY_INSIDE", "the member is already checked in; check them out first");
            case GYM_FULL -> throw ApiException.conflict("GYM_FULL", "the gym is at capacity (" + g.capacity() + ")");
            default -> {}
        }
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("visitId", visitId);
        out.put("userId", claims.userId());
        out.put("name", staff.user(claims.userId()).map(u -> u.name()).orElse(null));
        out.put("gymId", g.gymId());
        out.put("checkedInAt", now.toString());
        out.put("occupancy", gym(g.gymId()).occupancy());
        return out;
    }

    public Map<String, Object> checkOut(Caller desk, String userId, String gymId) {
        requireStaffOf(desk, gymId);
        Instant now = Instant.now(clock);
        CheckinStore.Presence p = door.presence(userId)
                .filter(x -> x.gymId().equals(gymId))
                .orElseThrow(() -> new ApiException(404, "NOT_INSIDE", "the member is not checked in at this gym"));
        if (!door.checkOut(p, now, desk.userId())) {
            throw new ApiException(404, "NOT_INSIDE", "the member is not checked in at this gym");
        }
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("visitId", p.visitId());
        out.put("userId", userId);
        out.put("gymId", gymId);
        out.put("checkedInAt", p.since());
        out.put("checkedOutAt", now.toString());
        out.put("occupancy", gym(gymId).occupancy());
        return out;
    }
}
