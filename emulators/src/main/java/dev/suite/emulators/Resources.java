package dev.suite.emulators;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.stream.Collectors;
import software.amazon.awssdk.services.cognitoidentityprovider.CognitoIdentityProviderClient;
import software.amazon.awssdk.services.cognitoidentityprovider.model.ExplicitAuthFlowsType;
import software.amazon.awssdk.services.cognitoidentityprovider.model.UserPoolClientDescription;
import software.amazon.awssdk.services.cognitoidentityprovider.model.UserPoolDescriptionType;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeDefinition;
import software.amazon.awssdk.services.dynamodb.model.BillingMode;
import software.amazon.awssdk.services.dynamodb.model.CreateTableRequest;
import software.amazon.awssdk.services.dynamodb.model.GlobalSecondaryIndex;
import software.amazon.awssdk.services.dynamodb.model.KeySchemaElement;
import software.amazon.awssdk.services.dynamodb.model.Projection;
import software.amazon.awssdk.services.dynamodb.model.ResourceInUseException;
import software.amazon.awssdk.services.dynamodb.model.ScanRequest;
import software.amazon.awssdk.services.dynamodb.model.TableDescription;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.BucketAlreadyOwnedByYouException;
import software.amazon.awssdk.services.s3.model.S3Exception;

/** Creates, from template.yaml, what the emulators must hold; finds what a previous run already made. */
final class Resources {
    private final Template template;
    private final DynamoDbClient dynamo;
    private final S3Client s3;
    private final CognitoIdentityProviderClient cognito;
    private final Map<String, String> refs;

    Resources(
            Template template,
            DynamoDbClient dynamo,
            S3Client s3,
            CognitoIdentityProviderClient cognito,
            Map<String, String> refs) {
        this.template = template;
        this.dynamo = dynamo;
        this.s3 = s3;
        this.cognito = cognito;
        this.refs = refs;
    }

    void provision() {
        template.resourcesOfType("AWS::DynamoDB::Table")
                .forEach((id, r) -> createTable(id, Template.cast(r.get("Properties"))));
        template.resourcesOfType("AWS::S3::Bucket").keySet().forEach(this::createBucket);
        template.resourcesOfType("AWS::Cognito::UserPool").forEach((id, r) -> createPool(id));
        template.resourcesOfType("AWS::Cognito::UserPoolClient").forEach((id, r) -> createClient(id));
        template.resourcesOfType("AWS::Cognito::UserPoolGroup").forEach((id, r) -> createGroup(id));
    }

    private void createTable(String id, Map<String, Object> p) {
        refs.put(id, id);
        List<AttributeDefinition> attrs = new ArrayList<>();
        for (Map<String, Object> a : Template.<List<Map<String, Object>>>cast(p.get("AttributeDefinitions"))) {
            attrs.add(AttributeDefinition.builder()
                    .attributeName((String) a.get("AttributeName"))
                    .attributeType((String) a.get("AttributeType"))
                    .build());
        }
        List<GlobalSecondaryIndex> gsis = new ArrayList<>();
        for (Map<String, Object> g :
                Template.<List<Map<String, Object>>>cast(p.getOrDefault("GlobalSecondaryIndexes", List.of()))) {
            Map<String, Object> proj = Template.cast(g.get("Projection"));
            Projection.Builder pb = Projection.builder().projectionType((String) proj.get("ProjectionType"));
            if (proj.containsKey("NonKeyAttributes")) {
                pb.nonKeyAttributes(Template.<List<String>>cast(proj.get("NonKeyAttributes")));
            }
            gsis.add(GlobalSecondaryIndex.builder()
                    .indexName((String) g.get("IndexName"))
                    .keySchema(keys(Template.cast(g.get("KeySchema"))))
                    .projection(pb.build())
                    .build());
        }
        try {
            var req = CreateTableRequest.builder()
                    .tableName(id)
                    .attributeDefinitions(attrs)
                    .keySchema(keys(Template.cast(p.get("KeySchema"))))
                    .billingMode(BillingMode.PAY_PER_REQUEST);
            if (!gsis.isEmpty()) {
                req.globalSecondaryIndexes(gsis);
            }
            dynamo.createTable(req.build());
        } catch (ResourceInUseException exists) {
            return;
        }
        Map<String, Object> ttl = Template.cast(p.get("TimeToLiveSpecification"));
        if (ttl != null && Boolean.TRUE.equals(ttl.get("Enabled"))) {
            dynamo.updateTimeToLive(b -> b.tableName(id)
                    .timeToLiveSpecification(t -> t.enabled(true).attributeName((String) ttl.get("AttributeName"))));
        }
    }

    private static List<KeySchemaElement> keys(List<Map<String, Object>> schema) {
        List<KeySchemaElement> out = new ArrayList<>();
        for (Map<String, Object> k : schema) {
            out.add(KeySchemaElement.builder()
                    .attributeName((String) k.get("AttributeName"))
                    .keyType((String) k.get("KeyType"))
                    .build());
        }
        return out;
    }

    static String bucketName(String logicalId) {
        return logicalId.toLowerCase(Locale.ROOT);
    }

    private void createBucket(String id) {
        String name = bucketName(id);
        refs.put(id, name);
        try {
            s3.createBucket(b -> b.bucket(name));
        } catch (BucketAlreadyOwnedByYouException exists) {
            // kept from a previous run
        } catch (S3Exception e) {
            if (e.statusCode() != 409) {
                throw e;
            }
        }
    }

    private void createPool(String id) {
        String name = new Resolver(template, refs, Map.of())
                .string(template.properties(id).get("UserPoolName"));
        String poolName = name == null ? id : name;
        for (UserPoolDescriptionType pool :
                cognito.listUserPools(b -> b.maxResults(60)).userPools()) {
            if (poolName.equals(pool.name())) {
                refs.put(id, pool.id());
                return;
            }
        }
        Map<String, Object> p = template.properties(id);
        List<String> usernameAttributes = Template.cast(p.getOrDefault("UsernameAttributes", List.of()));
        List<String> autoVerified = Template.cast(p.getOrDefault("AutoVerifiedAttributes", List.of()));
        Map<String, Object> policies = Template.cast(p.getOrDefault("Policies", Map.of()));
        Map<String, Object> pw = Template.cast(policies.getOrDefault("PasswordPolicy", Map.of()));
        Map<String, Object> updates = Template.cast(p.getOrDefault("UserAttributeUpdateSettings", Map.of()));
        List<String> verifyFirst =
                Template.cast(updates.getOrDefault("AttributesRequireVerificationBeforeUpdate", List.of()));
        // cognito-local applies UserAttributeUpdateSettings (a changed email waits in UnverifiedAttributeChanges)
        refs.put(
                id,
                cognito.createUserPool(b -> b.poolName(poolName)
                                .usernameAttributesWithStrings(usernameAttributes)
                                .autoVerifiedAttributesWithStrings(autoVerified)
                                .userAttributeUpdateSettings(
                                        u -> u.attributesRequireVerificationBeforeUpdateWithStrings(verifyFirst))
                                .policies(pol -> pol.passwordPolicy(pp -> pp.minimumLength(
                                                pw.get("MinimumLength") == null
                                                        ? null
                                                        : Integer.valueOf(pw.get("MinimumLength")
                                                                .toString()))
                                        .requireLowercase((Boolean) pw.get("RequireLowercase"))
                                        .requireUppercase((Boolean) pw.get("RequireUppercase"))
                                        .requireNumbers((Boolean) pw.get("RequireNumbers"))
                                        .requireSymbols((Boolean) pw.get("RequireSymbols")))))
                        .userPool()
                        .id());
    }

    private void createClient(String id) {
        Map<String, Object> p = template.properties(id);
        String poolId = new Resolver(template, refs, Map.of()).string(p.get("UserPoolId"));
        String name = String.valueOf(p.getOrDefault("ClientName", id));
        boolean withSecret = Boolean.TRUE.equals(p.get("GenerateSecret"));
        for (UserPoolClientDescription c : cognito.listUserPoolClients(
                        b -> b.userPoolId(poolId).maxResults(60))
                .userPoolClients()) {
            // A client kept from an earlier run is reused only if it has a secret exactly when the template asks for
            // one.
            if (name.equals(c.clientName())
                    && withSecret
                            == (cognito.describeUserPoolClient(
                                                    b -> b.userPoolId(poolId).clientId(c.clientId()))
                                            .userPoolClient()
                                            .clientSecret()
                                    != null)) {
                refs.put(id, c.clientId());
                return;
            }
        }
        List<String> flows = Template.cast(p.getOrDefault("ExplicitAuthFlows", List.of()));
        List<String> write = Template.cast(p.get("WriteAttributes"));
        List<String> read = Template.cast(p.get("ReadAttributes"));
        // cognito-local stores Read/WriteAttributes but does not enforce them (its UpdateUserAttributes checks only the
        // schema's Mutable); AWS does
        refs.put(
                id,
                cognito.createUserPoolClient(b -> b.userPoolId(poolId)
                                .clientName(name)
                                .generateSecret(withSecret)
                                .explicitAuthFlows(flows.stream()
                                        .map(ExplicitAuthFlowsType::fromValue)
                                        .toList())
                                .writeAttributes(write)
                                .readAttributes(read))
                        .userPoolClient()
                        .clientId());
    }

    private void createGroup(String id) {
        Map<String, Object> p = template.properties(id);
        Resolver resolver = new Resolver(template, refs, Map.of());
        String poolId = resolver.string(p.get("UserPoolId"));
        String name = resolver.string(p.get("GroupName"));
        refs.put(id, name);
        // cognito-local answers GetGroup for a missing group with a 500, so look the group up in the list.
        boolean exists = cognito.listGroups(b -> b.userPoolId(poolId).limit(60)).groups().stream()
                .anyMatch(g -> name.equals(g.groupName()));
        if (!exists) {
            Object precedence = p.get("Precedence");
            cognito.createGroup(b -> b.userPoolId(poolId)
                    .groupName(name)
                    .precedence(precedence == null ? null : Integer.valueOf(precedence.toString())));
        }
    }

    void clearTables() {
        for (String table : template.resourcesOfType("AWS::DynamoDB::Table").keySet()) {
            TableDescription d = dynamo.describeTable(b -> b.tableName(table)).table();
            List<String> keyNames =
                    d.keySchema().stream().map(KeySchemaElement::attributeName).toList();
            dynamo.scanPaginator(ScanRequest.builder().tableName(table).build())
                    .items()
                    .forEach(item -> dynamo.deleteItem(b -> b.tableName(table)
                            .key(item.entrySet().stream()
                                    .filter(e -> keyNames.contains(e.getKey()))
                                    .collect(Collectors.toMap(Map.Entry::getKey, Map.Entry::getValue)))));
        }
    }
}
