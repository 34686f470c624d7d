package dev.suite.gym.store;

import static dev.suite.shared.data.Items.s;
import static dev.suite.shared.data.Items.str;

import dev.suite.shared.Config;
import dev.suite.shared.data.Cursor;
import dev.suite.shared.http.Page;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.ConditionalCheckFailedException;
import software.amazon.awssdk.services.dynamodb.model.QueryResponse;
import software.amazon.awssdk.services.dynamodb.model.ReturnValue;

/** A gym's machines; {@code imageKey} names the machine's picture in the media bucket (null: none). */
public final class MachineStore {
    public static final String GYM_INDEX = "gym-index";
    private final DynamoDbClient dynamo;
    private final String table;

    /** A machine as stored. */
    public record Machine(
            String machineId,
            String gymId,
            String name,
            String description,
            String imageKey,
            String createdAt,
            String updatedAt) {}

    public MachineStore(DynamoDbClient dynamo, String table) {
        this.dynamo = dynamo;
        this.table = table;
    }

    public static MachineStore from(DynamoDbClient dynamo, Config config) {
        return new MachineStore(dynamo, config.require("MACHINES_TABLE"));
    }

    public void create(Machine m) {
        Map<String, AttributeValue> i = new HashMap<>();
        i.put("machineId", s(m.machineId()));
        i.put("gymId", s(m.gymId()));
        i.put("name", s(m.name()));
        if (m.description() != null) {
            i.put("description", s(m.description()));
        }
        i.put("createdAt", s(m.createdAt()));
        i.put("updatedAt", s(m.updatedAt()));
        dynamo.putItem(b -> b.tableName(table).item(i).conditionExpression("attribute_not_exists(machineId)"));
    }

    public Optional<Machine> get(String machineId) {
        Map<String, AttributeValue> i = dynamo.getItem(b -> b.tableName(table)
                        .key(Map.of("machineId", s(machineId)))
                        .consistentRead(true))
                .item();
        return i == null || i.isEmpty() ? Optional.empty() : Optional.of(machine(i));
    }

    /** Sets the given fields (null ones stay); empty when there is no such machine. */
    public Optional<Machine> update(String machineId, Map<String, String> fields) {
        Map<String, String> names = new HashMap<>();
        Map<String, AttributeValue> values = new HashMap<>();
        List<String> parts = new ArrayList<>();
        fields.forEach((k, v) -> {
            if (v != null) {
                names.put("#" + k, k);
                values.put(":" + k, s(v));
                parts.add("#" + k + " = :" + k);
            }
        });
        try {
            return Optional.of(machine(dynamo.updateItem(b -> b.tableName(table)
                            .key(Map.of("machineId", s(machineId)))
                            .updateExpression("SET " + String.join(", ", parts))
                            .conditionExpression("attribute_exists(machineId)")
                            .expressionAttributeNames(names)
                            .expressionAttributeValues(values)
                            .returnValues(ReturnValue.ALL_NEW))
                    .attributes()));
        } catch (ConditionalCheckFailedException e) {
            return Optional.empty();
        }
    }

    /** Deletes the row; the deleted machine, or empty when there was none. */
    public Optional<Machine> delete(String machineId) {
        Map<String, AttributeValue> old = dynamo.deleteItem(b -> b.tableName(table)
                        .key(Map.of("machineId", s(machineId)))
                        .returnValues(ReturnValue.ALL_OLD))
                .attributes();
        return old == null || old.isEmpty() ? Optional.empty() : Optional.of(machine(old));
    }

    public Page<Machine> ofGym(String gymId, int limit, String cursor) {
        Map<String, AttributeValue> start = Cursor.decode(cursor, Set.of("machineId", "gymId"), Map.of("gymId", gymId));
        QueryResponse r = dynamo.query(b -> b.tableName(table)
                .indexName(GYM_INDEX)
                .keyConditionExpression("gymId = :g")
                .expressionAttributeValues(Map.of(":g", s(gymId)))
                .limit(limit)
                .exclusiveStartKey(start));
        List<Machine> out = new ArrayList<>();
        r.items().forEach(i -> out.add(machine(i)));
        return new Page<>(
                out,
                r.hasLastEvaluatedKey() && !r.lastEvaluatedKey().isEmpty()
                        ? Cursor.encode(r.lastEvaluatedKey())
                        : null);
    }

    static Machine machine(Map<String, AttributeValue> i) {
        return new Machine(
                str(i, "machineId"),
                str(i, "gymId"),
                str(i, "name"),
                str(i, "description"),
                str(i, "imageKey"),
                str(i, "createdAt"),
                str(i, "updatedAt"));
    }
}
