package dev.suite.emulators;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.URISyntaxException;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** IAM's evaluation on hand-written allow and deny cases (src/test/resources/iam-template.yaml). */
class IamPoliciesTest {
    static final String TABLE = "arn:aws:dynamodb:us-east-1:000000000000:table/things";
    static final String BUCKET = "arn:aws:s3:::media";
    final IamPolicies iam;

    IamPoliciesTest() throws URISyntaxException {
        Template t = Template.load(
                Path.of(getClass().getResource("/iam-template.yaml").toURI()));
        iam = IamPolicies.of(
                t,
                new Resolver(
                        t,
                        Map.of(
                                "ThingsTable",
                                "things",
                                "Bucket",
                                "media",
                                "Pool",
                                "us-east-1_pool",
                                "Api",
                                "api123",
                                "AWS::Region",
                                "us-east-1"),
                        Map.of()));
    }

    boolean allowed(String action, String resource) {
        return allowed(action, resource, Map.of());
    }

    boolean allowed(String action, String resource, Map<String, List<String>> context) {
        return iam.evaluate("ReaderFunction", new IamPolicies.Request(action, resource, context))
                .allowed();
    }

    @Test
    void anActionIsAllowedOnlyOnTheResourcesItsStatementNames() {
        assertTrue(allowed("dynamodb:GetItem", TABLE));
        assertTrue(allowed("dynamodb:Query", TABLE + "/index/owner-index"), "/index/* covers every index");
        assertFalse(
                allowed("dynamodb:GetItem", "arn:aws:dynamodb:us-east-1:000000000000:table/thingsX"),
                "no prefix match");
        assertFalse(allowed("dynamodb:DeleteItem", TABLE), "an action no statement names");
        assertFalse(allowed("dynamodb:Scan", TABLE));
    }

    @Test
    void actionsMatchCaseInsensitivelyWithWildcardsResourcesCaseSensitively() {
        assertTrue(allowed("DynamoDB:getitem", TABLE));
        assertTrue(allowed("s3:GetObject", BUCKET + "/images/u1/a.png"), "s3:Get* covers GetObject");
        assertTrue(allowed("s3:GetObjectTagging", BUCKET + "/images/u1/a.png"));
        assertFalse(allowed("s3:GetObject", BUCKET + "/Images/u1/a.png"), "resources are case-sensitive");
        assertFalse(allowed("s3:GetObject", BUCKET + "/attachments/a.png"));
        assertFalse(allowed("s3:PutObject", BUCKET + "/images/u1/a.png"));
        assertTrue(IamPolicies.wildcard("a?c", "abc"));
        assertFalse(IamPolicies.wildcard("a?c", "abbc"));
        assertTrue(IamPolicies.wildcard("a.b*", "a.bcd"), "a dot is literal");
        assertFalse(IamPolicies.wildcard("a.b", "axb"));
    }

    @Test
    void anExplicitDenyWinsOverAnyAllow() {
        IamPolicies.Decision d =
                iam.evaluate("ReaderFunction", new IamPolicies.Request("s3:GetObject", BUCKET + "/images/private/x"));
        assertFalse(d.allowed());
        assertFalse(d.statement().allow(), "the deciding statement is the Deny");
        assertTrue(
                IamPolicies.deniedMessage("ReaderFunction", d.request(), true).contains("explicit deny"));
    }

    @Test
    void leadingKeysForAllValuesStringLikeAllowsOnlyMatchingPartitionKeys() {
        assertTrue(allowed("dynamodb:PutItem", TABLE, Map.of("dynamodb:LeadingKeys", List.of("dm-a-b"))));
        assertFalse(allowed("dynamodb:PutItem", TABLE, Map.of("dynamodb:LeadingKeys", List.of("grp-1"))));
        assertFalse(
                allowed("dynamodb:PutItem", TABLE, Map.of("dynamodb:LeadingKeys", List.of("dm-a", "grp-1"))),
                "ForAllValues: every value must match");
        assertTrue(
                allowed("dynamodb:PutItem", TABLE), "ForAllValues passes when the request carries no key, as in IAM");
    }

    @Test
    void leadingKeysForAllValuesStringEquals() {
        assertTrue(allowed("dynamodb:UpdateItem", TABLE, Map.of("dynamodb:LeadingKeys", List.of("job-a"))));
        assertTrue(allowed("dynamodb:UpdateItem", TABLE, Map.of("dynamodb:LeadingKeys", List.of("job-a", "job-b"))));
        assertFalse(allowed("dynamodb:UpdateItem", TABLE, Map.of("dynamodb:LeadingKeys", List.of("job-c"))));
        assertFalse(
                allowed("dynamodb:UpdateItem", TABLE, Map.of("dynamodb:LeadingKeys", List.of("job-a*"))),
                "Equals is no pattern");
    }

    @Test
    void s3PrefixStringLikeOnListBucket() {
        assertTrue(allowed("s3:ListBucket", BUCKET, Map.of("s3:prefix", List.of("images/u1/"))));
        assertFalse(allowed("s3:ListBucket", BUCKET, Map.of("s3:prefix", List.of("attachments/"))));
        assertFalse(allowed("s3:ListBucket", BUCKET), "a plain operator fails when the key is absent");
    }

    @Test
    void subAndGetAttResolveAsCloudFormationDoes() {
        assertTrue(allowed("ssm:GetParameter", "arn:aws:ssm:us-east-1:000000000000:parameter/suite/secret"));
        assertFalse(allowed("ssm:GetParameter", "arn:aws:ssm:us-east-1:000000000000:parameter/suite/other"));
        assertTrue(allowed(
                "execute-api:ManageConnections",
                "arn:aws:execute-api:us-east-1:000000000000:api123/live/POST/@connections/abc="));
        assertFalse(allowed(
                "execute-api:ManageConnections",
                "arn:aws:execute-api:us-east-1:000000000000:api123/live/DELETE/@connections/abc="));
    }

    @Test
    void aSeparateIamPolicyAttachedToTheFunctionsRoleCounts() {
        assertTrue(allowed(
                "cognito-idp:AdminGetUser", "arn:aws:cognito-idp:us-east-1:000000000000:userpool/us-east-1_pool"));
        assertFalse(allowed("cognito-idp:AdminGetUser", "arn:aws:cognito-idp:us-east-1:000000000000:userpool/other"));
        assertFalse(
                iam.evaluate(
                                "OtherFunction",
                                new IamPolicies.Request(
                                        "cognito-idp:AdminGetUser",
                                        "arn:aws:cognito-idp:us-east-1:000000000000:userpool/us-east-1_pool"))
                        .allowed(),
                "the grant is for Reader's role only");
    }

    @Test
    void wildcardActionAndResource() {
        assertTrue(iam.evaluate("OtherFunction", new IamPolicies.Request("dynamodb:DeleteTable", TABLE))
                .allowed());
        assertFalse(iam.evaluate("OtherFunction", new IamPolicies.Request("s3:GetObject", BUCKET + "/x"))
                .allowed());
    }

    @Test
    void conditionOperatorsOnTheirOwn() {
        assertTrue(IamPolicies.condition("StringEqualsIfExists", null, List.of("a")));
        assertFalse(IamPolicies.condition("StringEquals", null, List.of("a")));
        assertFalse(IamPolicies.condition("ForAnyValue:StringLike", null, List.of("a*")));
        assertTrue(IamPolicies.condition("ForAnyValue:StringLike", List.of("x", "ab"), List.of("a*")));
        assertTrue(IamPolicies.condition("Null", null, List.of("true")));
        assertFalse(IamPolicies.condition("Null", List.of("v"), List.of("true")));
        assertTrue(IamPolicies.condition("StringNotLike", List.of("b"), List.of("a*")));
        assertTrue(IamPolicies.condition("Bool", List.of("false"), List.of("false")));
    }

    @Test
    void theNoMatchDecisionNamesNoStatement() {
        IamPolicies.Decision d = iam.evaluate("ReaderFunction", new IamPolicies.Request("dynamodb:Scan", TABLE));
        assertFalse(d.allowed());
        assertNull(d.statement());
        assertEquals(
                "User: arn:aws:sts::000000000000:assumed-role/ReaderFunctionRole/ReaderFunction is not authorized to perform: "
                        + "dynamodb:Scan on resource: " + TABLE
                        + " because no identity-based policy allows the dynamodb:Scan action",
                IamPolicies.deniedMessage("ReaderFunction", d.request(), false));
    }
}
