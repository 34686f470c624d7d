package dev.suite.local;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.suite.emulators.Resolver;
import dev.suite.emulators.Template;
import dev.suite.shared.Json;
import dev.suite.shared.Metrics;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Predicate;
import org.junit.jupiter.api.Test;

/**
 * Issue #18: what an operator needs is in the template for every function, table, API and schedule it declares
 * (lists read from the template, so a new function without its log group and alarms fails here).
 */
class OperationsTemplateTest {
    static final Template T = Template.repo();

    static Set<String> ids(String type) {
        return T.resourcesOfType(type).keySet();
    }

    static Map<String, Object> map(Object o) {
        return o == null ? Map.of() : Template.cast(o);
    }

    static List<Object> list(Object o) {
        return o == null ? List.of() : o instanceof List<?> l ? Template.cast(l) : List.of(o);
    }

    /**
     * Alarms on one metric (plain or inside metric math / a Metrics Insights query) whose dimensions or query name the
     * resource.
     */
    static List<String> alarmsOn(String metric, String resource) {
        List<String> out = new ArrayList<>();
        T.resourcesOfType("AWS::CloudWatch::Alarm").forEach((id, r) -> {
            Map<String, Object> p = T.properties(id);
            boolean measures = metric.equals(p.get("MetricName"))
                    || String.valueOf(p.get("Metrics")).contains(metric);
            boolean names = TemplateRefs.mentions(p.get("Dimensions"), resource)
                    || TemplateRefs.mentions(p.get("Metrics"), resource);
            if (measures && names) {
                out.add(id);
            }
        });
        return out;
    }

    static Map<String, Object> onlyAlarm(String metric, String resource) {
        List<String> found = alarmsOn(metric, resource);
        assertEquals(1, found.size(), "one " + metric + " alarm on " + resource + ": " + found);
        return T.properties(found.get(0));
    }

    static Object ref(String name) {
        return Map.of("Ref", name);
    }

    static Map<String, Object> defaultParameter(String name) {
        Map<String, Object> p = map(T.parameters().get(name));
        assertFalse(p.isEmpty(), "no parameter " + name);
        return p;
    }

    @Test
    void everyFunctionLogsToAGroupWithTheConfiguredRetention() {
        assertEquals("30", String.valueOf(defaultParameter("LogRetentionDays").get("Default")));
        Map<String, Map<String, Object>> groups = T.resourcesOfType("AWS::Logs::LogGroup");
        Set<String> used = new LinkedHashSet<>();
        for (String fn : ids("AWS::Serverless::Function")) {
            // Either Lambda's own name for the group, or LoggingConfig pointing at one (the older CloudFormation
            // spec the SAM check uses does not know LoggingConfig yet, so the template names the groups).
            Object configured = map(T.properties(fn).get("LoggingConfig")).get("LogGroup");
            List<String> mine = groups.keySet().stream()
                    .filter(g -> configured != null
                            ? configured.equals(ref(g))
                            : Map.of("Fn::Sub", "/aws/lambda/${" + fn + "}")
                                    .equals(T.properties(g).get("LogGroupName")))
                    .toList();
            assertEquals(1, mine.size(), fn + " has no log group of its own: " + mine);
            assertEquals(ref("LogRetentionDays"), T.properties(mine.get(0)).get("RetentionInDays"), mine.get(0));
            assertTrue(used.add(mine.get(0)), mine.get(0) + " serves two functions");
        }
    }

    @Test
    void everyAlarmSaysWhatItMeansAndNotifiesTheTopic() {
        Set<String> topics = ids("AWS::SNS::Topic");
        assertEquals(1, topics.size(), "one alarm topic");
        String topic = topics.iterator().next();
        Map<String, Map<String, Object>> alarms = T.resourcesOfType("AWS::CloudWatch::Alarm");
        assertFalse(alarms.isEmpty());
        Set<String> names = new LinkedHashSet<>();
        alarms.keySet().forEach(id -> {
            Map<String, Object> p = T.properties(id);
            assertTrue(names.add(String.valueOf(p.get("AlarmName"))), id + ": AlarmName missing or used twice");
            String description = String.valueOf(p.get("AlarmDescription"));
            assertTrue(description.contains("First check:"), id + ": the description must say what to check first");
            assertEquals(List.of(ref(topic)), p.get("AlarmActions"), id);
            assertEquals(List.of(ref(topic)), p.get("OKActions"), id);
            assertTrue(p.containsKey("TreatMissingData"), id + ": say what missing data means");
        });
    }

    @Test
    void everyFunctionAlarmsOnErrorsAndThrottles() {
        for (String fn : ids("AWS::Serverless::Function")) {
            for (String metric : List.of("Errors", "Throttles")) {
                Map<String, Object> a = onlyAlarm(metric, fn);
                assertEquals("AWS/Lambda", a.get("Namespace"));
                assertEquals(
                        List.of(Map.of("Name", "FunctionName", "Value", ref(fn))),
                        a.get("Dimensions"),
                        fn + " " + metric);
                assertEquals(300, a.get("Period"), fn + " " + metric);
                assertEquals(ref("Function" + metric + "Threshold"), a.get("Threshold"), fn + " " + metric);
                defaultParameter("Function" + metric + "Threshold");
            }
        }
    }

    @Test
    void theRestApiAlarmsOnItsFiveHundredsRateAndP99LatencyAndTheWebSocketApiOnIntegrationErrors() {
        // SAM names the REST API after the stack unless the Api sets Name: the ApiName dimension must follow.
        Object apiName = T.properties("RestApi").getOrDefault("Name", ref("AWS::StackName"));
        List<Object> dimensions =
                List.of(Map.of("Name", "ApiName", "Value", apiName), Map.of("Name", "Stage", "Value", ref("Stage")));
        List<String> rate = alarmsOn("5XXError", "Stage");
        assertEquals(1, rate.size(), "one 5XXError alarm");
        Map<String, Object> r = T.properties(rate.get(0));
        assertEquals(ref("Api5xxErrorPercent"), r.get("Threshold"));
        for (Object q : list(r.get("Metrics"))) {
            Map<String, Object> stat = map(map(q).get("MetricStat"));
            if (!stat.isEmpty()) {
                assertEquals(dimensions, map(stat.get("Metric")).get("Dimensions"));
            }
        }
        Map<String, Object> latency = onlyAlarm("Latency", "Stage");
        assertEquals(dimensions, latency.get("Dimensions"));
        assertEquals("p99", latency.get("ExtendedStatistic"));
        assertEquals(ref("ApiLatencyP99Ms"), latency.get("Threshold"));
        for (String ws : ids("AWS::ApiGatewayV2::Api")) {
            Map<String, Object> a = onlyAlarm("IntegrationError", ws);
            assertEquals("AWS/ApiGateway", a.get("Namespace"));
            assertEquals(List.of(Map.of("Name", "ApiId", "Value", ref(ws))), a.get("Dimensions"));
        }
    }

    @Test
    void everyTableAlarmsOnThrottlingAndSystemErrorsOfEveryOperation() {
        for (String table : ids("AWS::DynamoDB::Table")) {
            for (String metric : List.of("ThrottledRequests", "SystemErrors")) {
                Map<String, Object> a = onlyAlarm(metric, table);
                String query = String.valueOf(list(a.get("Metrics")).stream()
                        .map(q -> map(q).get("Expression"))
                        .toList());
                assertTrue(
                        query.contains("SCHEMA(\"AWS/DynamoDB\", Operation, TableName)")
                                && query.contains("'${" + table + "}'"),
                        table + " " + metric + ": sum over every operation of this table: " + query);
                assertEquals(0, a.get("Threshold"));
                assertEquals("GreaterThanThreshold", a.get("ComparisonOperator"));
            }
        }
    }

    @Test
    void businessAlarmsCarryExactlyTheDimensionsPowertoolsEmits() {
        // flushSingleMetric adds one default dimension, Service = POWERTOOLS_SERVICE_NAME (checked against the
        // EMF line Powertools 2.9.0 prints: "Dimensions":[["Service"]], "Service":"suite").
        Map<String, Object> env =
                map(map(T.globalsFunction().get("Environment")).get("Variables"));
        Object namespace = env.get("POWERTOOLS_METRICS_NAMESPACE");
        Object service = env.get("POWERTOOLS_SERVICE_NAME");
        for (String fn : ids("AWS::Serverless::Function")) {
            Map<String, Object> own =
                    map(map(T.properties(fn).get("Environment")).get("Variables"));
            assertFalse(
                    own.containsKey("POWERTOOLS_SERVICE_NAME") || own.containsKey("POWERTOOLS_METRICS_NAMESPACE"),
                    fn + " would emit its metrics under another dimension or namespace than the alarms watch");
        }
        for (String metric : List.of(
                Metrics.PAYMENTS_FAILED, Metrics.IMAGES_FAILED, Metrics.FANOUT_LATENCY, Metrics.PAYMENTS_FOR_REVIEW)) {
            List<String> found = new ArrayList<>();
            T.resourcesOfType("AWS::CloudWatch::Alarm").keySet().stream()
                    .filter(id -> metric.equals(T.properties(id).get("MetricName")))
                    .forEach(found::add);
            assertEquals(1, found.size(), "one alarm on " + metric + ": " + found);
            Map<String, Object> a = T.properties(found.get(0));
            assertEquals(namespace, a.get("Namespace"), metric);
            assertEquals(List.of(Map.of("Name", "Service", "Value", service)), a.get("Dimensions"), metric);
            if (metric.equals(Metrics.FANOUT_LATENCY)) {
                assertEquals("p99", a.get("ExtendedStatistic"));
                assertEquals(ref("FanoutLatencyP99Ms"), a.get("Threshold"));
            }
        }
    }

    /** Each Schedule event of each function, as "Function.Event". */
    static List<String> schedules() {
        List<String> out = new ArrayList<>();
        for (String fn : ids("AWS::Serverless::Function")) {
            Map<String, Object> events = map(T.properties(fn).get("Events"));
            events.forEach((name, e) -> {
                if ("Schedule".equals(map(e).get("Type"))) {
                    out.add(fn + "." + name);
                }
            });
        }
        return out;
    }

    @Test
    void everyScheduleRetriesThenDeadLettersToOneEncryptedQueueOnlyItsRulesMayWrite() {
        List<String> schedules = schedules();
        assertFalse(schedules.isEmpty());
        Set<Object> queues = new LinkedHashSet<>();
        for (String s : schedules) {
            String[] fnEvent = s.split("\\.");
            Map<String, Object> p =
                    map(map(map(T.properties(fnEvent[0]).get("Events")).get(fnEvent[1]))
                            .get("Properties"));
            Map<String, Object> retry = map(p.get("RetryPolicy"));
            assertTrue(
                    retry.containsKey("MaximumRetryAttempts") && retry.containsKey("MaximumEventAgeInSeconds"),
                    s + " RetryPolicy");
            queues.add(map(p.get("DeadLetterConfig")).get("Arn"));
        }
        assertEquals(1, queues.size(), "one dead-letter queue for every schedule: " + queues);
        String queue =
                TemplateRefs.of(queues.iterator().next()).iterator().next().split("\\.")[0];
        assertTrue(ids("AWS::SQS::Queue").contains(queue), queue);
        Map<String, Object> q = T.properties(queue);
        assertTrue(
                Boolean.TRUE.equals(q.get("SqsManagedSseEnabled")) || q.containsKey("KmsMasterKeyId"),
                queue + " is not encrypted");

        List<String> policies = ids("AWS::SQS::QueuePolicy").stream()
                .filter(id -> TemplateRefs.mentions(T.properties(id).get("Queues"), queue))
                .toList();
        assertEquals(1, policies.size(), queue + " policy");
        List<Object> statements =
                list(map(T.properties(policies.get(0)).get("PolicyDocument")).get("Statement"));
        assertEquals(1, statements.size());
        Map<String, Object> st = map(statements.get(0));
        assertEquals("Allow", st.get("Effect"));
        assertEquals(Map.of("Service", "events.amazonaws.com"), st.get("Principal"));
        assertEquals("sqs:SendMessage", st.get("Action"));
        Set<Object> sources =
                Set.copyOf(list(map(map(st.get("Condition")).get("ArnEquals")).get("aws:SourceArn")));
        // SAM names a Schedule event's rule <Function><Event>.
        Set<Object> rules = new LinkedHashSet<>();
        schedules.forEach(s -> rules.add(Map.of("Fn::GetAtt", List.of(s.replace(".", ""), "Arn"))));
        assertEquals(rules, sources, "the queue accepts exactly the schedule rules");

        Map<String, Object> a = onlyAlarm("ApproximateNumberOfMessagesVisible", queue);
        assertEquals(0, a.get("Threshold"));
        assertEquals("GreaterThanThreshold", a.get("ComparisonOperator"));
    }

    @Test
    void everyScheduledFunctionAlarmsWhenItStopsRunning() {
        Set<String> scheduled = new LinkedHashSet<>();
        schedules().forEach(s -> scheduled.add(s.split("\\.")[0]));
        assertTrue(
                scheduled.containsAll(Set.of("PaymentReconcileFunction", "PendingImagesSweepFunction")),
                scheduled.toString());
        for (String fn : scheduled) {
            Map<String, Object> a = onlyAlarm("Invocations", fn);
            assertEquals("breaching", a.get("TreatMissingData"), fn + ": no data means the job did not run");
            assertEquals("LessThanThreshold", a.get("ComparisonOperator"), fn);
            assertEquals(1, a.get("Threshold"), fn);
        }
    }

    @Test
    void theTopicIsEncryptedWithAKeyCloudWatchAndBudgetsMayUseAndMailsOnlyAGivenAddress() {
        String topic = ids("AWS::SNS::Topic").iterator().next();
        Object keyRef = T.properties(topic).get("KmsMasterKeyId");
        assertTrue(keyRef != null, "the alarm topic is not encrypted");
        // CloudWatch and Budgets cannot use the AWS managed alias/aws/sns key (its policy cannot grant them): a key of
        // ours.
        String key = TemplateRefs.of(keyRef).iterator().next();
        assertEquals("AWS::KMS::Key", T.resources().get(key).get("Type"));
        assertEquals(Boolean.TRUE, T.properties(key).get("EnableKeyRotation"));
        Predicate<String> keyLets =
                service -> list(map(T.properties(key).get("KeyPolicy")).get("Statement")).stream()
                        .map(OperationsTemplateTest::map)
                        .anyMatch(st -> "Allow".equals(st.get("Effect"))
                                && service.equals(map(st.get("Principal")).get("Service"))
                                && list(st.get("Action")).containsAll(List.of("kms:Decrypt", "kms:GenerateDataKey")));
        Predicate<String> topicLets = service -> ids("AWS::SNS::TopicPolicy").stream()
                .filter(id -> TemplateRefs.mentions(T.properties(id).get("Topics"), topic))
                .flatMap(id -> list(map(T.properties(id).get("PolicyDocument")).get("Statement")).stream())
                .map(OperationsTemplateTest::map)
                .anyMatch(st -> "Allow".equals(st.get("Effect"))
                        && service.equals(map(st.get("Principal")).get("Service"))
                        && "sns:Publish".equals(st.get("Action"))
                        && ref(topic).equals(st.get("Resource")));
        for (String service : List.of("cloudwatch.amazonaws.com", "budgets.amazonaws.com")) {
            assertTrue(keyLets.test(service), "the key does not let " + service + " publish");
            assertTrue(topicLets.test(service), "the topic does not let " + service + " publish");
        }

        assertEquals("", defaultParameter("AlarmEmail").get("Default"));
        List<String> subs = ids("AWS::SNS::Subscription").stream().toList();
        assertEquals(1, subs.size());
        Map<String, Object> sub = T.resources().get(subs.get(0));
        assertEquals(ref("AlarmEmail"), T.properties(subs.get(0)).get("Endpoint"));
        assertEquals(ref(topic), T.properties(subs.get(0)).get("TopicArn"));
        String condition = String.valueOf(sub.get("Condition"));
        assertFalse(new Resolver(T, Map.of(), Map.of()).condition(condition), "no address, no subscription");
        assertTrue(new Resolver(T, Map.of(), Map.of("AlarmEmail", "ops@example.com")).condition(condition));
    }

    @Test
    void theMonthlyBudgetExistsOnlyWhenGivenAndNotifiesTheTopic() {
        assertEquals("0", String.valueOf(defaultParameter("MonthlyBudgetUsd").get("Default")));
        List<String> budgets = List.copyOf(ids("AWS::Budgets::Budget"));
        assertEquals(1, budgets.size());
        String condition = String.valueOf(T.resources().get(budgets.get(0)).get("Condition"));
        assertFalse(new Resolver(T, Map.of(), Map.of()).condition(condition), "0 means no budget");
        assertTrue(new Resolver(T, Map.of(), Map.of("MonthlyBudgetUsd", "50")).condition(condition));
        Map<String, Object> p = T.properties(budgets.get(0));
        assertEquals(
                ref("MonthlyBudgetUsd"),
                map(map(p.get("Budget")).get("BudgetLimit")).get("Amount"));
        String topic = ids("AWS::SNS::Topic").iterator().next();
        for (Object n : list(p.get("NotificationsWithSubscribers"))) {
            assertEquals(List.of(Map.of("SubscriptionType", "SNS", "Address", ref(topic))), map(n).get("Subscribers"));
        }
    }

    @Test
    void theDashboardShowsEveryFunctionTableApiAndBusinessMetric() throws Exception {
        List<String> dashboards = List.copyOf(ids("AWS::CloudWatch::Dashboard"));
        assertEquals(1, dashboards.size());
        Object body = T.properties(dashboards.get(0)).get("DashboardBody");
        String text = String.valueOf(map(body).get("Fn::Sub"));
        // valid JSON once CloudFormation has substituted the names
        var json = Json.EVENTS.readTree(text.replaceAll("\\$\\{[^}]+}", "x"));
        assertTrue(json.get("widgets").size() > 0);
        Set<String> refs = TemplateRefs.of(body);
        for (String fn : ids("AWS::Serverless::Function")) {
            for (String metric : List.of("Invocations", "Errors", "Duration", "ConcurrentExecutions")) {
                assertTrue(
                        text.contains("[\"AWS/Lambda\", \"" + metric + "\", \"FunctionName\", \"${" + fn + "}\""),
                        fn + " " + metric);
            }
            String group = T.resourcesOfType("AWS::Logs::LogGroup").keySet().stream()
                    .filter(g ->
                            TemplateRefs.mentions(T.properties(g).get("LogGroupName"), fn) || g.equals(fn + "LogGroup"))
                    .findFirst()
                    .orElseThrow();
            assertTrue(text.contains("SOURCE '${" + group + "}'"), fn + ": cold starts come from its log group");
        }
        assertTrue(
                text.contains("@initDuration") && text.contains("Restore Duration"),
                "cold starts: init and SnapStart restore");
        for (String table : ids("AWS::DynamoDB::Table")) {
            for (String metric : List.of(
                    "ConsumedReadCapacityUnits",
                    "ConsumedWriteCapacityUnits",
                    "ReadThrottleEvents",
                    "WriteThrottleEvents")) {
                assertTrue(
                        text.contains("[\"AWS/DynamoDB\", \"" + metric + "\", \"TableName\", \"${" + table + "}\""),
                        table + " " + metric);
            }
        }
        for (String metric : List.of("Count", "4XXError", "5XXError", "Latency")) {
            assertTrue(text.contains("[\"AWS/ApiGateway\", \"" + metric + "\", \"ApiName\""), "REST API " + metric);
        }
        for (String metric : List.of(
                Metrics.IMAGES_GENERATED,
                Metrics.CREDITS_BOUGHT,
                Metrics.MESSAGES_SENT,
                Metrics.IMAGES_FAILED,
                Metrics.PAYMENTS_FAILED,
                Metrics.FANOUT_LATENCY)) {
            assertTrue(
                    text.contains("[\"Suite\", \"" + metric + "\", \"Service\", \"suite\""),
                    "business metric " + metric);
        }
        Set<String> resources = T.resources().keySet();
        refs.forEach(r -> assertTrue(
                resources.contains(r.split("\\.")[0]) || T.parameters().containsKey(r),
                "dashboard names unknown " + r));
    }
}
