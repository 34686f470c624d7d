package dev.suite.local;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.suite.emulators.Emulators;
import dev.suite.emulators.Template;
import dev.suite.shared.Config;
import dev.suite.shared.Priming;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;

/** Every function registers SnapStart priming; running the hooks leaves no data behind. */
class PrimingTest {
    @Test
    void everyFunctionPrimesWithoutSideEffects() throws Exception {
        Emulators emu = Emulators.shared();
        Template t = Template.repo();
        List<Priming> primings = new ArrayList<>();
        for (String fn : t.resourcesOfType("AWS::Serverless::Function").keySet()) {
            int before = Priming.registered().size();
            Map<String, String> overrides = Map.of(
                    "WEBSOCKET_MANAGEMENT_ENDPOINT",
                    "http://127.0.0.1:1",
                    "CLIPDROP_API_KEY",
                    "priming-key",
                    "VNPAY_TMN_CODE",
                    "PRIMING",
                    "VNPAY_HASH_SECRET",
                    "priming-secret",
                    "VNPAY_RETURN_URL",
                    "http://localhost/payment/vnpay-return");
            Config config = emu.functionConfig(fn, overrides);
            Class.forName(String.valueOf(t.properties(fn).get("Handler")).split("::")[0])
                    .getConstructor(Config.class)
                    .newInstance(config);
            List<Priming> mine =
                    Priming.registered().subList(before, Priming.registered().size());
            assertEquals(1, mine.size(), fn + " registers one priming resource");
            primings.addAll(mine);
        }
        Map<String, List<Map<String, AttributeValue>>> data = snapshot(emu, t);
        for (Priming p : primings) {
            p.beforeCheckpoint(null);
            p.afterRestore(null);
        }
        assertEquals(data, snapshot(emu, t), "priming wrote nothing");
        assertEquals(t.resourcesOfType("AWS::Serverless::Function").size(), primings.size());
    }

    static Map<String, List<Map<String, AttributeValue>>> snapshot(Emulators emu, Template t) {
        Map<String, List<Map<String, AttributeValue>>> out = new TreeMap<>();
        for (String table : t.resourcesOfType("AWS::DynamoDB::Table").keySet()) {
            List<Map<String, AttributeValue>> items = new ArrayList<>();
            emu.dynamo().scanPaginator(b -> b.tableName(table)).items().forEach(i -> items.add(new TreeMap<>(i)));
            items.sort((a, b) -> a.toString().compareTo(b.toString()));
            out.put(table, items);
        }
        List<Map<String, AttributeValue>> objects = new ArrayList<>();
        emu.s3()
                .listObjectsV2Paginator(b -> b.bucket(emu.ref("MediaBucket")))
                .contents()
                .forEach(o -> objects.add(Map.of("key", AttributeValue.fromS(o.key()))));
        out.put("bucket", objects);
        return out;
    }
}
