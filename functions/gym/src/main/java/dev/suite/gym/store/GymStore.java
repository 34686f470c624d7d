package dev.suite.gym.store;

import static dev.suite.shared.data.Items.n;
import static dev.suite.shared.data.Items.num;
import static dev.suite.shared.data.Items.s;
import static dev.suite.shared.data.Items.str;

import dev.suite.gym.domain.Gym;
import dev.suite.gym.domain.Plan;
import dev.suite.shared.Config;
import dev.suite.shared.data.Cursor;
import dev.suite.shared.http.Page;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.ConditionalCheckFailedException;
import software.amazon.awssdk.services.dynamodb.model.ReturnValue;
import software.amazon.awssdk.services.dynamodb.model.ScanResponse;
import software.amazon.awssdk.services.dynamodb.model.UpdateItemResponse;

/** Gyms and membership plans. */
public final class GymStore {
    private final DynamoDbClient dynamo;
    private final String gyms;
    private final String plans;

    public GymStore(DynamoDbClient dynamo, String gyms, String plans) {
        this.dynamo = dynamo;
        this.gyms = gyms;
        this.plans = plans;
    }

    public static GymStore from(DynamoDbClient dynamo, Config config) {
        return new GymStore(dynamo, config.require("GYMS_TABLE"), config.require("MEMBERSHIP_PLANS_TABLE"));
    }

    // ------------------------------------------------------------ gyms

    public void createGym(Gym g) {
        Map<String, AttributeValue> i = new HashMap<>();
        i.put("gymId", s(g.gymId()));
        i.put("name", s(g.name()));
        i.put("capacity", n(g.capacity()));
        i.put("timezone", s(g.timezone()));
        if (g.address() != null) {
            i.put("address", s(g.address()));
        }
        i.put("occupancy", n(0));
        i.put("createdAt", s(g.createdAt()));
        i.put("updatedAt", s(g.updatedAt()));
        dynamo.putItem(b -> b.tableName(gyms).item(i).conditionExpression("attribute_not_exists(gymId)"));
    }

    /** Sets the given fields (null ones are left as they are); empty when there is no such gym. */
    public Optional<Gym> updateGym(
            String gymId, String name, Integer capacity, String timezone, String address, String now) {
        return update(
                        gyms,
                        "gymId",
                        gymId,
                        fields(
                                "name",
                                name == null ? null : s(name),
                                "capacity",
                                capacity == null ? null : n(capacity),
                                "timezone",
                                timezone == null ? null : s(timezone),
                                "address",
                                address == null ? null : s(address),
                                "updatedAt",
                                s(now)))
                .map(GymStore::gym);
    }

    public Optional<Gym> gym(String gymId) {
        Map<String, AttributeValue> i = dynamo.getItem(
                        b -> b.tableName(gyms).key(Map.of("gymId", s(gymId))).consistentRead(true))
                .item();
        return i == null || i.isEmpty() ? Optional.empty() : Optional.of(gym(i));
    }

    public Page<Gym> gyms(int limit, String cursor) {
        Map<String, AttributeValue> start = Cursor.decode(cursor, Set.of("gymId"), Map.of());
        ScanResponse r = dynamo.scan(b -> b.tableName(gyms).limit(limit).exclusiveStartKey(start));
        List<Gym> out = new ArrayList<>();
        r.items().forEach(i -> out.add(gym(i)));
        return new Page<>(
                out,
                r.hasLastEvaluatedKey() && !r.lastEvaluatedKey().isEmpty()
                        ? Cursor.encode(r.lastEvaluatedKey())
                        : null);
    }

    // ------------------------------------------------------------ plans

    public void createPlan(Plan p) {
        Map<String, AttributeValue> i = new HashMap<>();
        i.put("planId", s(p.planId()));
        i.put("name", s(p.name()));
        i.put("days", n(p.days()));
        i.put("amount", n(p.amount()));
        i.put("currency", s(p.currency()));
        i.put("active", AttributeValue.fromBool(p.active()));
        i.put("createdAt", s(p.createdAt()));
        i.put("updatedAt", s(p.updatedAt()));
        dynamo.putItem(b -> b.tableName(plans).item(i).conditionExpression("attribute_not_exists(planId)"));
    }

    /** Renames or (de)activates; the price fields are never written after creation. */
    public Optional<Plan> updatePlan(String planId, String name, Boolean active, String now) {
        return update(
                        plans,
                        "planId",
                        planId,
                        fields(
                                "name",
                                name == null ? null : s(name),
                                "active",
                                active == null ? null : AttributeValue.fromBool(active),
                                "updatedAt",
                                s(now)))
                .map(GymStore::plan);
    }

    public Optional<Plan> plan(String planId) {
        Map<String, AttributeValue> i = dynamo.getItem(
                        b -> b.tableName(plans).key(Map.of("planId", s(planId))).consistentRead(true))
                .item();
        return i == null || i.isEmpty() ? Optional.empty() : Optional.of(plan(i));
    }

    /** Every plan (a gym sells a handful), cheapest first. */
    public List<Plan> plans() {
        List<Plan> out = new ArrayList<>();
        Map<String, AttributeValue> start = null;
        do {
            Map<String, AttributeValue> from = start;
            ScanResponse r =
                    dynamo.scan(b -> b.tableName(plans).exclusiveStartKey(from).limit(100));
            r.items().forEach(i -> out.add(plan(i)));
            start = r.hasLastEvaluatedKey() && !r.lastEvaluatedKey().isEmpty() ? r.lastEvaluatedKey() : null;
        } while (start != null && out.size() < 1000);
        out.sort(Comparator.comparingLong(Plan::amount).thenComparing(Plan::planId));
        return out;
    }

    // ------------------------------------------------------------ helpers

    private static Map<String, AttributeValue> fields(Object... pairs) {
        Map<String, AttributeValue> out = new HashMap<>();
        for (int i = 0; i < pairs.length; i += 2) {
            if (pairs[i + 1] != null) {
                out.put((String) pairs[i], (AttributeValue) pairs[i + 1]);
            }
        }
        return out;
    }

    private Optional<Map<String, AttributeValue>> update(
            String table, String keyName, String id, Map<String, AttributeValue> set) {
        Map<String, String> names = new HashMap<>();
        Map<String, AttributeValue> values = new HashMap<>();
        List<String> parts = new ArrayList<>();
        int k = 0;
        for (Map.Entry<String, AttributeValue> e : set.entrySet()) {
            names.put("#f" + k, e.getKey());
            values.put(":v" + k, e.getValue());
            parts.add("#f" + k + " = :v" + k);
            k++;
        }
        names.put("#k", keyName);
        try {
            UpdateItemResponse r = dynamo.updateItem(b -> b.tableName(table)
                    .key(Map.of(keyName, s(id)))
                    .updateExpression("SET " + String.join(", ", parts))
                    .conditionExpression("attribute_exists(#k)")
                    .expressionAttributeNames(names)
                    .expressionAttributeValues(values)
                    .returnValues(ReturnValue.ALL_NEW));
            return Optional.of(r.attributes());
        } catch (ConditionalCheckFailedException e) {
            return Optional.empty();
        }
    }

    static Gym gym(Map<String, AttributeValue> i) {
        return new Gym(
                str(i, "gymId"),
                str(i, "name"),
                num(i, "capacity"),
                str(i, "timezone"),
                str(i, "address"),
                Math.max(0, num(i, "occupancy")),
                str(i, "createdAt"),
                str(i, "updatedAt"));
    }

    static Plan plan(Map<String, AttributeValue> i) {
        return new Plan(
                str(i, "planId"),
                str(i, "name"),
                num(i, "days"),
                Long.parseLong(i.get("amount").n()),
                str(i, "currency"),
                i.containsKey("active") && Boolean.TRUE.equals(i.get("active").bool()),
                str(i, "createdAt"),
                str(i, "updatedAt"));
    }
}
