package dev.suite.local;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.suite.emulators.Template;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** Issue #12 items 14-16: callers reach the published alias, state survives the stack, browsers can read errors. */
class TemplateSafetyTest {
    static final Template T = Template.repo();

    /** Every place API Gateway or Cognito is told which function to call, by resource and property. */
    static Map<String, Object> invocationTargets() {
        Map<String, Object> out = new LinkedHashMap<>();
        T.resourcesOfType("AWS::ApiGatewayV2::Integration")
                .keySet()
                .forEach(id -> out.put(id + ".IntegrationUri", T.properties(id).get("IntegrationUri")));
        T.resourcesOfType("AWS::ApiGatewayV2::Authorizer")
                .keySet()
                .forEach(id -> out.put(id + ".AuthorizerUri", T.properties(id).get("AuthorizerUri")));
        T.resourcesOfType("AWS::Lambda::Permission")
                .keySet()
                .forEach(id -> out.put(id + ".FunctionName", T.properties(id).get("FunctionName")));
        T.resourcesOfType("AWS::Cognito::UserPool")
                .keySet()
                .forEach(id -> Template.<Map<String, Object>>cast(
                                T.properties(id).getOrDefault("LambdaConfig", Map.of()))
                        .forEach((trigger, target) -> out.put(id + "." + trigger, target)));
        return out;
    }

    @Test
    void apiGatewayAndCognitoInvokeTheLiveAliasNeverTheUnqualifiedFunction() {
        Set<String> functions = T.resourcesOfType("AWS::Serverless::Function").keySet();
        Map<String, Object> targets = invocationTargets();
        assertFalse(targets.isEmpty());
        List<String> problems = new ArrayList<>();
        targets.forEach((where, value) -> {
            List<String> named = TemplateRefs.of(value).stream()
                    .filter(r -> functions.contains(r.split("\\.")[0]))
                    .toList();
            if (named.isEmpty()) {
                problems.add(where + " names no function of the template: " + value);
            }
            named.stream()
                    .filter(r -> !r.endsWith(".Alias"))
                    .forEach(r -> problems.add(where + " invokes " + r + ", not " + r.split("\\.")[0] + ".Alias"));
        });
        assertEquals(List.of(), problems);
    }

    @Test
    void tablesUserPoolsAndBucketsOutliveTheStack() {
        List<String> problems = new ArrayList<>();
        for (String type : List.of("AWS::DynamoDB::Table", "AWS::Cognito::UserPool", "AWS::S3::Bucket")) {
            T.resourcesOfType(type).forEach((id, r) -> {
                for (String policy : List.of("DeletionPolicy", "UpdateReplacePolicy")) {
                    if (!"Retain".equals(r.get(policy))) {
                        problems.add(id + " " + policy + " is " + r.get(policy));
                    }
                }
            });
        }
        assertEquals(List.of(), problems);
    }

    @Test
    void everyBucketDeniesEveryActionOverPlainHttp() {
        Map<String, Map<String, Object>> policies = T.resourcesOfType("AWS::S3::BucketPolicy");
        T.resourcesOfType("AWS::S3::Bucket").keySet().forEach(bucket -> {
            boolean denied = policies.keySet().stream()
                    .filter(p -> TemplateRefs.mentions(T.properties(p).get("Bucket"), bucket))
                    .flatMap(p -> Template.<List<Map<String, Object>>>cast(
                            Template.<Map<String, Object>>cast(T.properties(p).get("PolicyDocument"))
                                    .get("Statement"))
                            .stream())
                    .anyMatch(st -> "Deny".equals(st.get("Effect"))
                            && "*".equals(st.get("Principal"))
                            && "s3:*".equals(st.get("Action"))
                            && "false"
                                    .equals(String.valueOf(
                                            Template.<Map<String, Object>>cast(Template.<Map<String, Object>>cast(
                                                                    st.getOrDefault("Condition", Map.of()))
                                                            .getOrDefault("Bool", Map.of()))
                                                    .get("aws:SecureTransport")))
                            && TemplateRefs.of(st.get("Resource")).containsAll(Set.of(bucket + ".Arn"))
                            && String.valueOf(st.get("Resource")).contains("${" + bucket + ".Arn}/*"));
            assertTrue(
                    denied,
                    bucket + ": no Deny of s3:* on the bucket and its objects when aws:SecureTransport is false");
        });
    }

    @Test
    void gatewayResponsesCarryTheApisCorsOrigin() {
        Map<String, Object> api = T.properties("RestApi");
        Object origin = Template.<Map<String, Object>>cast(api.get("Cors")).get("AllowOrigin");
        Map<String, Map<String, Object>> responses = Template.cast(api.get("GatewayResponses"));
        for (String type : List.of(
                "UNAUTHORIZED", "ACCESS_DENIED", "DEFAULT_4XX", "DEFAULT_5XX", "MISSING_AUTHENTICATION_TOKEN")) {
            Map<String, Object> response = responses.get(type);
            assertTrue(response != null, "no gateway response " + type);
            Map<String, Object> headers = Template.cast(
                    Template.<Map<String, Object>>cast(response.getOrDefault("ResponseParameters", Map.of()))
                            .getOrDefault("Headers", Map.of()));
            assertEquals(origin, headers.get("Access-Control-Allow-Origin"), type);
            assertTrue(
                    String.valueOf(Template.<Map<String, Object>>cast(response.get("ResponseTemplates"))
                                    .get("application/json"))
                            .startsWith("{\"error\":{\"code\":"),
                    type + " answers in the error contract");
        }
    }

    @Test
    void theMediaBucketLetsTheConfiguredOriginsGetAndPut() {
        Map<String, Object> cors = Template.cast(T.properties("MediaBucket").get("CorsConfiguration"));
        assertTrue(cors != null, "MediaBucket has no CorsConfiguration");
        List<Map<String, Object>> rules = Template.cast(cors.get("CorsRules"));
        assertEquals(1, rules.size());
        Map<String, Object> rule = rules.get(0);
        assertEquals(Set.of("GET", "PUT"), Set.copyOf(Template.<List<String>>cast(rule.get("AllowedMethods"))));
        assertEquals(Map.of("Fn::Split", List.of(",", Map.of("Ref", "CorsAllowOrigins"))), rule.get("AllowedOrigins"));
    }
}
