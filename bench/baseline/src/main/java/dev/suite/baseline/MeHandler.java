package dev.suite.baseline;

import com.amazonaws.services.lambda.runtime.Context;
import com.amazonaws.services.lambda.runtime.RequestHandler;
import com.amazonaws.services.lambda.runtime.events.APIGatewayProxyRequestEvent;
import com.amazonaws.services.lambda.runtime.events.APIGatewayProxyResponseEvent;
import java.net.URI;
import java.util.Map;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.DynamoDbClientBuilder;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;

/**
 * The plain baseline bench/ measures every function against: what a hand-written {@code GET /auth/me} does with the
 * SDK and nothing else. One DynamoDB client (URLConnection HTTP client, explicit region and static credentials from
 * the environment), one GetItem on the caller's Users row, a JSON answer written by hand. No routing, validation,
 * logging, metrics, priming or error contract.
 */
public final class MeHandler implements RequestHandler<APIGatewayProxyRequestEvent, APIGatewayProxyResponseEvent> {
    private final DynamoDbClient dynamo;
    private final String table = System.getenv("USERS_TABLE");

    public MeHandler() {
        DynamoDbClientBuilder b = DynamoDbClient.builder()
                .region(Region.of(System.getenv("AWS_REGION")))
                .credentialsProvider(StaticCredentialsProvider.create(AwsBasicCredentials.create(
                        System.getenv("AWS_ACCESS_KEY_ID"), System.getenv("AWS_SECRET_ACCESS_KEY"))))
                .httpClient(UrlConnectionHttpClient.create());
        String endpoint = System.getenv("AWS_ENDPOINT_URL_DYNAMODB");
        if (endpoint != null) {
            b.endpointOverride(URI.create(endpoint));
        }
        dynamo = b.build();
    }

    @Override
    @SuppressWarnings("unchecked")
    public APIGatewayProxyResponseEvent handleRequest(APIGatewayProxyRequestEvent event, Context context) {
        Map<String, Object> claims =
                (Map<String, Object>) event.getRequestContext().getAuthorizer().get("claims");
        String userId = String.valueOf(claims.get("sub"));
        Map<String, AttributeValue> item = dynamo.getItem(r ->
                        r.tableName(table).consistentRead(true).key(Map.of("userId", AttributeValue.fromS(userId))))
                .item();
        if (item == null || item.isEmpty()) {
            return new APIGatewayProxyResponseEvent()
                    .withStatusCode(404)
                    .withBody("{\"error\":{\"code\":\"PROFILE_NOT_FOUND\"}}");
        }
        String body = "{\"userId\":\"" + userId + "\",\"email\":\""
                + item.get("email").s() + "\",\"name\":\"" + item.get("name").s()
                + "\",\"role\":\"" + item.get("role").s() + "\",\"credits\":"
                + item.get("credits").n()
                + ",\"createdAt\":\"" + item.get("createdAt").s() + "\"}";
        return new APIGatewayProxyResponseEvent()
                .withStatusCode(200)
                .withHeaders(Map.of("Content-Type", "application/json"))
                .withBody(body);
    }
}
