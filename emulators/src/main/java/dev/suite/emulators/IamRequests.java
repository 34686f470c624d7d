package dev.suite.emulators;

import com.fasterxml.jackson.databind.JsonNode;
import dev.suite.shared.Json;
import java.io.IOException;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * What IAM sees of an HTTP call to DynamoDB, S3, Cognito or SSM: who signed it (the access key of the SigV4
 * {@code Authorization} header or of a presigned URL's {@code X-Amz-Credential}), and the actions, resource ARNs and
 * condition keys it asks for, as the service's authorization reference lists them.
 */
public final class IamRequests {
    /** Cognito operations authorized by the app client or the user's access token, never by IAM. */
    static final Set<String> COGNITO_PUBLIC = Set.of(
            "SignUp",
            "ConfirmSignUp",
            "ResendConfirmationCode",
            "InitiateAuth",
            "RespondToAuthChallenge",
            "ForgotPassword",
            "ConfirmForgotPassword",
            "GlobalSignOut",
            "RevokeToken",
            "GetUser",
            "ChangePassword",
            "DeleteUser",
            "UpdateUserAttributes",
            "VerifyUserAttribute",
            "GetUserAttributeVerificationCode",
            "AssociateSoftwareToken",
            "VerifySoftwareToken",
            "SetUserMFAPreference",
            "GetTokensFromRefreshToken",
            "ConfirmDevice",
            "ForgetDevice",
            "GetDevice",
            "ListDevices",
            "UpdateDeviceStatus");

    private static final Pattern CREDENTIAL = Pattern.compile("Credential=([^/,\\s]+)/");
    private static final Pattern V2 = Pattern.compile("^AWS ([^:]+):");
    private static final DateTimeFormatter AMZ_DATE =
            DateTimeFormatter.ofPattern("yyyyMMdd'T'HHmmss'Z'").withZone(ZoneOffset.UTC);

    /** One call as the gateway received it. */
    public record Call(
            String method, String path, Map<String, String> query, Map<String, String> headers, byte[] body) {
        String header(String name) {
            for (Map.Entry<String, String> e : headers.entrySet()) {
                if (e.getKey().equalsIgnoreCase(name)) {
                    return e.getValue();
                }
            }
            return null;
        }
    }

    /** The IAM requests of one call; {@code expired} when a presigned URL's time has passed. */
    public record Asked(String accessKey, List<IamPolicies.Request> requests, boolean expired) {}

    private final Map<String, String> tableByName;
    private final Map<String, TableKeys> keys;
    private final String region;
    private final String account;

    /** A table's partition key, and each index's. */
    record TableKeys(String hash, Map<String, String> indexHash) {}

    IamRequests(Template template, Resolver resolver) {
        this.region = resolver.ref("AWS::Region");
        this.account = resolver.ref("AWS::AccountId");
        this.tableByName = new LinkedHashMap<>();
        this.keys = new LinkedHashMap<>();
        template.resourcesOfType("AWS::DynamoDB::Table").forEach((id, r) -> {
            tableByName.put(resolver.ref(id), id);
            Map<String, Object> p = Template.cast(r.get("Properties"));
            Map<String, String> indexes = new LinkedHashMap<>();
            for (Map<String, Object> g :
                    Template.<List<Map<String, Object>>>cast(p.getOrDefault("GlobalSecondaryIndexes", List.of()))) {
                indexes.put(String.valueOf(g.get("IndexName")), hash(Template.cast(g.get("KeySchema"))));
            }
            keys.put(resolver.ref(id), new TableKeys(hash(Template.cast(p.get("KeySchema"))), indexes));
        });
    }

    private static String hash(List<Map<String, Object>> schema) {
        return schema.stream()
                .filter(k -> "HASH".equals(k.get("KeyType")))
                .map(k -> String.valueOf(k.get("AttributeName")))
                .findFirst()
                .orElseThrow();
    }

    /** The access key that signed the call, or null when it is unsigned. */
    static String accessKey(Call call) {
        String auth = call.header("Authorization");
        if (auth != null) {
            Matcher m = CREDENTIAL.matcher(auth);
            if (m.find()) {
                return m.group(1);
            }
            Matcher v2 = V2.matcher(auth);
            if (v2.find()) {
                return v2.group(1);
            }
        }
        String credential = call.query().get("X-Amz-Credential");
        if (credential != null) {
            return credential.split("/", 2)[0];
        }
        return call.query().get("AWSAccessKeyId");
    }

    static boolean expired(Call call, Instant now) {
        String date = call.query().get("X-Amz-Date");
        String expires = call.query().get("X-Amz-Expires");
        if (date != null && expires != null) {
            Instant signed = AMZ_DATE.parse(date, Instant::from);
            return now.isAfter(signed.plusSeconds(Long.parseLong(expires)));
        }
        String v2 = call.query().get("Expires");
        return v2 != null && call.query().containsKey("Signature") && now.getEpochSecond() > Long.parseLong(v2);
    }

    public String tableArn(String table) {
        return "arn:aws:dynamodb:" + region + ":" + account + ":table/" + table;
    }

    Asked dynamo(Call call) throws IOException {
        String target = call.header("X-Amz-Target");
        String op = target == null ? "" : target.substring(target.indexOf('.') + 1);
        JsonNode b =
                Json.EVENTS.readTree(call.body().length == 0 ? "{}".getBytes(StandardCharsets.UTF_8) : call.body());
        List<IamPolicies.Request> out = new ArrayList<>();
        switch (op) {
            case "TransactWriteItems", "TransactGetItems" ->
                b.path("TransactItems")
                        .forEach(item -> item.properties().forEach(e -> {
                            String action = switch (e.getKey()) {
                                case "ConditionCheck" -> "ConditionCheckItem";
                                default -> e.getKey() + "Item";
                            };
                            String table = e.getValue().path("TableName").asText();
                            JsonNode key = e.getValue().has("Item")
                                    ? e.getValue().get("Item")
                                    : e.getValue().path("Key");
                            out.add(item("dynamodb:" + action, table, null, List.of(key)));
                        }));
            case "BatchGetItem" ->
                b.path("RequestItems").properties().forEach(e -> {
                    List<JsonNode> items = new ArrayList<>();
                    e.getValue().path("Keys").forEach(items::add);
                    out.add(item("dynamodb:BatchGetItem", e.getKey(), null, items));
                });
            case "BatchWriteItem" ->
                b.path("RequestItems").properties().forEach(e -> {
                    List<JsonNode> items = new ArrayList<>();
                    e.getValue()
                            .forEach(w -> items.add(
                                    w.has("PutRequest")
                                            ? w.path("PutRequest").path("Item")
                                            : w.path("DeleteRequest").path("Key")));
                    out.add(item("dynamodb:BatchWriteItem", e.getKey(), null, items));
                });
            case "Query" -> out.add(query(b));
            default -> {
                String table = b.path("TableName").asText();
                String index = b.hasNonNull("IndexName") ? b.get("IndexName").asText() : null;
                JsonNode key = b.has("Item") ? b.get("Item") : b.get("Key");
                out.add(item("dynamodb:" + op, table, index, key == null ? List.of() : List.of(key)));
            }
        }
        return new Asked(accessKey(call), out, false);
    }

    private IamPolicies.Request item(String action, String table, String index, List<JsonNode> items) {
        String arn = tableArn(table) + (index == null ? "" : "/index/" + index);
        TableKeys k = keys.get(table);
        Map<String, List<String>> context = new LinkedHashMap<>();
        if (k != null && !items.isEmpty()) {
            String hash = index == null ? k.hash() : k.indexHash().get(index);
            List<String> leading = new ArrayList<>();
            for (JsonNode item : items) {
                JsonNode v = item.path(hash);
                if (v.isObject() && v.size() == 1) {
                    leading.add(v.elements().next().asText());
                }
            }
            if (!leading.isEmpty()) {
                context.put("dynamodb:LeadingKeys", leading.stream().distinct().toList());
            }
        }
        return new IamPolicies.Request(action, arn, context);
    }

    /** A Query's partition key value, read from {@code <key> = :value} in its key condition. */
    private IamPolicies.Request query(JsonNode b) {
        String table = b.path("TableName").asText();
        String index = b.hasNonNull("IndexName") ? b.get("IndexName").asText() : null;
        String arn = tableArn(table) + (index == null ? "" : "/index/" + index);
        TableKeys k = keys.get(table);
        Map<String, List<String>> context = new LinkedHashMap<>();
        if (k != null) {
            String hash = index == null ? k.hash() : k.indexHash().get(index);
            String condition = b.path("KeyConditionExpression").asText("");
            List<String> names = new ArrayList<>(List.of(hash));
            b.path("ExpressionAttributeNames").properties().forEach(e -> {
                if (e.getValue().asText().equals(hash)) {
                    names.add(e.getKey());
                }
            });
            for (String name : names) {
                Matcher m = Pattern.compile("(?:^|[\\s(])" + Pattern.quote(name) + "\\s*=\\s*(:[A-Za-z0-9_]+)")
                        .matcher(condition);
                if (m.find()) {
                    JsonNode v = b.path("ExpressionAttributeValues").path(m.group(1));
                    if (v.isObject() && v.size() == 1) {
                        context.put(
                                "dynamodb:LeadingKeys",
                                List.of(v.elements().next().asText()));
                    }
                    break;
                }
            }
        }
        return new IamPolicies.Request("dynamodb:Query", arn, context);
    }

    /** Path-style S3: {@code /bucket} or {@code /bucket/key}. */
    Asked s3(Call call, Instant now) {
        String path = call.path().startsWith("/") ? call.path().substring(1) : call.path();
        int slash = path.indexOf('/');
        String bucket = decode(slash < 0 ? path : path.substring(0, slash));
        String key = slash < 0 ? "" : decode(path.substring(slash + 1));
        List<IamPolicies.Request> out = new ArrayList<>();
        String bucketArn = "arn:aws:s3:::" + bucket;
        if (bucket.isEmpty()) {
            out.add(new IamPolicies.Request("s3:ListAllMyBuckets", "*"));
        } else if (key.isEmpty()) {
            String method = call.method();
            if (method.equals("GET") && call.query().containsKey("location")) {
                out.add(new IamPolicies.Request("s3:GetBucketLocation", bucketArn));
            } else if (method.equals("GET") || method.equals("HEAD")) {
                String prefix = call.query().get("prefix");
                out.add(new IamPolicies.Request(
                        "s3:ListBucket", bucketArn, prefix == null ? Map.of() : Map.of("s3:prefix", List.of(prefix))));
            } else if (method.equals("PUT")) {
                out.add(new IamPolicies.Request("s3:CreateBucket", bucketArn));
            } else if (method.equals("DELETE")) {
                out.add(new IamPolicies.Request("s3:DeleteBucket", bucketArn));
            } else if (method.equals("POST") && call.query().containsKey("delete")) {
                Matcher m =
                        Pattern.compile("<Key>([^<]*)</Key>").matcher(new String(call.body(), StandardCharsets.UTF_8));
                while (m.find()) {
                    out.add(new IamPolicies.Request("s3:DeleteObject", bucketArn + "/" + m.group(1)));
                }
            } else {
                out.add(new IamPolicies.Request("s3:" + method + "Bucket", bucketArn));
            }
        } else {
            String arn = bucketArn + "/" + key;
            switch (call.method()) {
                case "GET", "HEAD" -> out.add(new IamPolicies.Request("s3:GetObject", arn));
                case "DELETE" ->
                    out.add(new IamPolicies.Request(
                            call.query().containsKey("uploadId") ? "s3:AbortMultipartUpload" : "s3:DeleteObject", arn));
                default -> {
                    out.add(new IamPolicies.Request("s3:PutObject", arn));
                    String source = call.header("x-amz-copy-source");
                    if (source != null) {
                        out.add(new IamPolicies.Request(
                                "s3:GetObject",
                                "arn:aws:s3:::" + decode(source.startsWith("/") ? source.substring(1) : source)));
                    }
                }
            }
        }
        return new Asked(accessKey(call), out, expired(call, now));
    }

    /**
     * Cognito's awsJson1_1 calls: the admin operations act on the user pool; the app client's public operations ask IAM
     * for nothing (an empty list).
     */
    Asked cognito(Call call) throws IOException {
        String target = String.valueOf(call.header("X-Amz-Target"));
        String op = target.substring(target.indexOf('.') + 1);
        if (COGNITO_PUBLIC.contains(op)) {
            return new Asked(accessKey(call), List.of(), false);
        }
        JsonNode b =
                Json.EVENTS.readTree(call.body().length == 0 ? "{}".getBytes(StandardCharsets.UTF_8) : call.body());
        String pool = b.path("UserPoolId").asText("");
        String arn = pool.isEmpty() ? "*" : userPoolArn(pool);
        return new Asked(accessKey(call), List.of(new IamPolicies.Request("cognito-idp:" + op, arn)), false);
    }

    public String userPoolArn(String poolId) {
        return "arn:aws:cognito-idp:" + region + ":" + account + ":userpool/" + poolId;
    }

    Asked ssm(Call call) throws IOException {
        String target = String.valueOf(call.header("X-Amz-Target"));
        String op = target.substring(target.indexOf('.') + 1);
        JsonNode b =
                Json.EVENTS.readTree(call.body().length == 0 ? "{}".getBytes(StandardCharsets.UTF_8) : call.body());
        String name = b.path("Name").asText("");
        String arn =
                "arn:aws:ssm:" + region + ":" + account + ":parameter" + (name.startsWith("/") ? name : "/" + name);
        return new Asked(accessKey(call), List.of(new IamPolicies.Request("ssm:" + op, arn)), false);
    }

    static String decode(String s) {
        return URLDecoder.decode(s.replace("+", "%2B"), StandardCharsets.UTF_8);
    }

    static Map<String, String> query(String raw) {
        Map<String, String> out = new LinkedHashMap<>();
        if (raw == null || raw.isEmpty()) {
            return out;
        }
        for (String pair : raw.split("&")) {
            int eq = pair.indexOf('=');
            String k = decode(eq < 0 ? pair : pair.substring(0, eq));
            out.put(k, eq < 0 ? "" : URLDecoder.decode(pair.substring(eq + 1), StandardCharsets.UTF_8));
        }
        return out;
    }
}
