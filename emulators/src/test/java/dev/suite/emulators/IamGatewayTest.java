package dev.suite.emulators;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.suite.shared.Clients;
import dev.suite.shared.Config;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.cognitoidentityprovider.CognitoIdentityProviderClient;
import software.amazon.awssdk.services.cognitoidentityprovider.model.CognitoIdentityProviderException;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.DynamoDbException;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.S3Exception;
import software.amazon.awssdk.services.s3.presigner.S3Presigner;

/**
 * The IAM gateway in front of the real emulators, called with the SDK's own clients as the functions call them: what a
 * role allows reaches the emulator, what it does not is answered as AWS answers it, naming function, action and
 * resource. Each refusal here is announced to {@link IamUsage#expect}, so the reverse report does not count it.
 */
class IamGatewayTest {
    static final Emulators EMU = Emulators.shared();
    static final HttpClient HTTP = HttpClient.newHttpClient();

    static Config as(String fn) {
        return EMU.functionConfig(fn);
    }

    @Test
    void aDynamoDbCallTheRoleAllowsReachesDynamoDbLocalAndOneItDoesNotIsAccessDenied() {
        DynamoDbClient preToken = Clients.dynamo(as("PreTokenGenerationFunction"));
        String users = EMU.ref("UsersTable");
        assertTrue(preToken.getItem(b -> b.tableName(users).key(Map.of("userId", AttributeValue.fromS("nobody"))))
                .item()
                .isEmpty());
        IamUsage.jvm().expect("PreTokenGenerationFunction", "dynamodb:PutItem");
        DynamoDbException e = assertThrows(
                DynamoDbException.class,
                () -> preToken.putItem(b -> b.tableName(users).item(Map.of("userId", AttributeValue.fromS("x")))));
        assertEquals(400, e.statusCode());
        assertEquals("AccessDeniedException", e.awsErrorDetails().errorCode());
        assertTrue(
                e.getMessage()
                        .contains(
                                "User: arn:aws:sts::000000000000:assumed-role/PreTokenGenerationFunctionRole/PreTokenGenerationFunction"
                                        + " is not authorized to perform: dynamodb:PutItem on resource: arn:aws:dynamodb:us-east-1:000000000000:table/UsersTable"),
                e.getMessage());
        assertTrue(
                EMU.dynamo()
                        .getItem(b -> b.tableName(users).key(Map.of("userId", AttributeValue.fromS("x"))))
                        .item()
                        .isEmpty(),
                "nothing reached DynamoDB Local");
    }

    @Test
    void oneDatabaseWhateverTheAccessKeyWithSharedDb() {
        String users = EMU.ref("UsersTable");
        EMU.dynamo().putItem(b -> b.tableName(users).item(Map.of("userId", AttributeValue.fromS("shared-db"))));
        assertEquals(
                "shared-db",
                Clients.dynamo(as("PreTokenGenerationFunction"))
                        .getItem(b -> b.tableName(users).key(Map.of("userId", AttributeValue.fromS("shared-db"))))
                        .item()
                        .get("userId")
                        .s());
    }

    @Test
    void s3ObjectsUnderTheAllowedPrefixOnlyAndPresignedUrlsAreCheckedWithTheirExpiry() throws Exception {
        Config image = as("ImageFunction");
        String bucket = EMU.ref("MediaBucket");
        S3Client s3 = dev.suite.shared.Clients.s3(image);
        s3.putObject(b -> b.bucket(bucket).key("images/u/a.txt"), RequestBody.fromString("hello"));
        assertEquals(
                "hello",
                s3.getObjectAsBytes(b -> b.bucket(bucket).key("images/u/a.txt")).asUtf8String());
        IamUsage.jvm().expect("ImageFunction", "s3:PutObject");
        S3Exception denied = assertThrows(
                S3Exception.class,
                () -> s3.putObject(b -> b.bucket(bucket).key("attachments/a.txt"), RequestBody.fromString("no")));
        assertEquals(403, denied.statusCode());
        assertEquals("AccessDenied", denied.awsErrorDetails().errorCode());
        assertTrue(
                denied.getMessage()
                        .contains("ImageFunction is not authorized to perform: s3:PutObject on resource: arn:aws:s3:::"
                                + bucket + "/attachments/a.txt"),
                denied.getMessage());

        try (S3Presigner presigner = S3Presigner.builder()
                .region(Region.of(Emulators.REGION))
                .endpointOverride(URI.create(image.require("AWS_ENDPOINT_URL_S3")))
                .serviceConfiguration(software.amazon.awssdk.services.s3.S3Configuration.builder()
                        .pathStyleAccessEnabled(true)
                        .build())
                .credentialsProvider(StaticCredentialsProvider.create(
                        AwsBasicCredentials.create(Emulators.accessKey("ImageFunction"), Emulators.SECRET_KEY)))
                .build()) {
            URI get = presigner
                    .presignGetObject(b -> b.signatureDuration(Duration.ofMinutes(5))
                            .getObjectRequest(r -> r.bucket(bucket).key("images/u/a.txt")))
                    .url()
                    .toURI();
            HttpResponse<String> ok =
                    HTTP.send(HttpRequest.newBuilder(get).build(), HttpResponse.BodyHandlers.ofString());
            assertEquals(200, ok.statusCode(), ok.body());
            assertEquals("hello", ok.body());
            URI put = presigner
                    .presignPutObject(b -> b.signatureDuration(Duration.ofMinutes(5))
                            .putObjectRequest(
                                    r -> r.bucket(bucket).key("images/u/b.txt").contentType("text/plain")))
                    .url()
                    .toURI();
            HttpResponse<String> putOk = HTTP.send(
                    HttpRequest.newBuilder(put)
                            .header("Content-Type", "text/plain")
                            .PUT(HttpRequest.BodyPublishers.ofString("up"))
                            .build(),
                    HttpResponse.BodyHandlers.ofString());
            assertEquals(200, putOk.statusCode(), putOk.body());
            assertEquals(
                    "up",
                    EMU.s3()
                            .getObjectAsBytes(b -> b.bucket(bucket).key("images/u/b.txt"))
                            .asUtf8String());
            IamUsage.jvm().expect("ImageFunction", "s3:GetObject");
            URI other = presigner
                    .presignGetObject(b -> b.signatureDuration(Duration.ofMinutes(5))
                            .getObjectRequest(r -> r.bucket(bucket).key("attachments/x")))
                    .url()
                    .toURI();
            HttpResponse<String> no =
                    HTTP.send(HttpRequest.newBuilder(other).build(), HttpResponse.BodyHandlers.ofString());
            assertEquals(403, no.statusCode());
            assertTrue(no.body().contains("<Code>AccessDenied</Code>"), no.body());
            String expired = get.toString().replaceAll("X-Amz-Date=\\d{8}T\\d{6}Z", "X-Amz-Date=20200101T000000Z");
            HttpResponse<String> old = HTTP.send(
                    HttpRequest.newBuilder(URI.create(expired)).build(), HttpResponse.BodyHandlers.ofString());
            assertEquals(403, old.statusCode());
            assertTrue(old.body().contains("Request has expired"), old.body());
        }
    }

    @Test
    void cognitoAdminOperationsNeedTheRolePublicOnesDoNot() {
        CognitoIdentityProviderClient preToken = Clients.build(
                CognitoIdentityProviderClient.builder(), "COGNITO_IDENTITY_PROVIDER", as("PreTokenGenerationFunction"));
        IamUsage.jvm().expect("PreTokenGenerationFunction", "cognito-idp:AdminGetUser");
        CognitoIdentityProviderException e = assertThrows(
                CognitoIdentityProviderException.class,
                () -> preToken.adminGetUser(b -> b.userPoolId(EMU.userPoolId()).username("nobody")));
        assertEquals("AccessDeniedException", e.awsErrorDetails().errorCode());
        assertTrue(
                e.getMessage()
                        .contains(
                                "cognito-idp:AdminGetUser on resource: arn:aws:cognito-idp:us-east-1:000000000000:userpool/"
                                        + EMU.userPoolId()),
                e.getMessage());
        // the app client's own operation: Cognito asks IAM nothing (the answer is cognito-local's, not a refusal)
        CognitoIdentityProviderException unknown = assertThrows(
                CognitoIdentityProviderException.class,
                () -> preToken.initiateAuth(b -> b.clientId(EMU.clientId())
                        .authFlow("USER_PASSWORD_AUTH")
                        .authParameters(Map.of("USERNAME", "nobody@example.com", "PASSWORD", "x"))));
        assertTrue(!"AccessDeniedException".equals(unknown.awsErrorDetails().errorCode()), unknown.getMessage());
    }

    @Test
    void ssmGetParameterOnTheFunctionsOwnParametersOnly() throws Exception {
        EMU.ssm().put("/suite/clipdrop-api-key", "clip-key");
        HttpResponse<String> ok = ssm("ImageFunction", "/suite/clipdrop-api-key");
        assertEquals(200, ok.statusCode(), ok.body());
        assertTrue(ok.body().contains("clip-key"));
        IamUsage.jvm().expect("ImageFunction", "ssm:GetParameter");
        HttpResponse<String> no = ssm("ImageFunction", "/suite/stripe-secret-key");
        assertEquals(400, no.statusCode());
        assertTrue(
                no.body().contains("AccessDeniedException") && no.body().contains("parameter/suite/stripe-secret-key"),
                no.body());
    }

    /** One signed GetParameter, as shared's Secrets sends it. */
    private static HttpResponse<String> ssm(String fn, String name) throws Exception {
        Config c = as(fn);
        return HTTP.send(
                HttpRequest.newBuilder(URI.create(c.require("AWS_ENDPOINT_URL_SSM")))
                        .header("X-Amz-Target", "AmazonSSM.GetParameter")
                        .header("Content-Type", "application/x-amz-json-1.1")
                        .header(
                                "Authorization",
                                "AWS4-HMAC-SHA256 Credential=" + Emulators.accessKey(fn)
                                        + "/20260101/us-east-1/ssm/aws4_request, " + "SignedHeaders=host, Signature=0")
                        .POST(HttpRequest.BodyPublishers.ofString(
                                "{\"Name\":\"" + name + "\",\"WithDecryption\":true}"))
                        .build(),
                HttpResponse.BodyHandlers.ofString());
    }

    @Test
    void theEmulatorsOwnKeyMayDoEverythingAndAnUnknownKeyNothing() {
        assertTrue(EMU.iam()
                .check(Emulators.ACCESS_KEY, new IamPolicies.Request("dynamodb:DeleteTable", "*"))
                .isEmpty());
        IamUsage.jvm().expect("stranger", "dynamodb:GetItem");
        assertTrue(EMU.iam()
                .check("stranger", new IamPolicies.Request("dynamodb:GetItem", "*"))
                .isPresent());
    }
}
