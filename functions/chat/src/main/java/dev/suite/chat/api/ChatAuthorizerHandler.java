package dev.suite.chat.api;

import com.amazonaws.services.lambda.runtime.Context;
import com.amazonaws.services.lambda.runtime.RequestHandler;
import dev.suite.shared.Config;
import dev.suite.shared.Log;
import dev.suite.shared.Priming;
import dev.suite.shared.SyntheticContext;
import dev.suite.shared.auth.JwtVerifier;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.slf4j.Logger;

/**
 * The WebSocket API's REQUEST authorizer for $connect: the Cognito ID token in the {@code token} query parameter,
 * verified with the shared JWT verifier. Allow carries the user in the context; anything else is Deny, which
 * refuses the handshake.
 */
public final class ChatAuthorizerHandler implements RequestHandler<Map<String, Object>, Map<String, Object>> {
    private static final Logger LOG = Log.get(ChatAuthorizerHandler.class);
    private final JwtVerifier verifier;

    public ChatAuthorizerHandler() {
        this(Config.fromSystem());
    }

    public ChatAuthorizerHandler(Config config) {
        this(JwtVerifier.fromConfig(config));
    }

    public ChatAuthorizerHandler(JwtVerifier verifier) {
        this.verifier = verifier;
        // Priming refuses a malformed token (a Deny), then fetches the pool's keys and verifies a token of a throwaway
        // key against that key only (JwtVerifier.prime): what is trusted does not change.
        Priming.register(
                "ChatAuthorizerHandler",
                () -> {
                    handleRequest(
                            Map.of(
                                    "methodArn",
                                    "priming",
                                    "queryStringParameters",
                                    Map.of("token", "priming.not.a-token")),
                            new SyntheticContext("priming"));
                    verifier.prime();
                },
                () -> {});
    }

    @Override
    @SuppressWarnings("unchecked")
    public Map<String, Object> handleRequest(Map<String, Object> event, Context context) {
        String methodArn = String.valueOf(event.get("methodArn"));
        Map<String, Object> query = (Map<String, Object>) event.getOrDefault("queryStringParameters", Map.of());
        Object token = query == null ? null : query.get("token");
        return Log.around(context, context == null ? null : context.getAwsRequestId(), () -> {
            try {
                Map<String, Object> claims =
                        verifier.verify(token == null ? null : token.toString(), JwtVerifier.TokenUse.id);
                String sub = String.valueOf(claims.get("sub"));
                Map<String, Object> ctx = new LinkedHashMap<>();
                ctx.put("userId", sub);
                ctx.put("email", String.valueOf(claims.getOrDefault("email", "")));
                return policy(sub, "Allow", methodArn, ctx);
            } catch (JwtVerifier.InvalidTokenException e) {
                LOG.info("WebSocket connect refused: {}", e.getMessage());
                return policy("anonymous", "Deny", methodArn, Map.of());
            }
        });
    }

    static Map<String, Object> policy(String principal, String effect, String resource, Map<String, Object> context) {
        Map<String, Object> statement = new LinkedHashMap<>();
        statement.put("Action", "execute-api:Invoke");
        statement.put("Effect", effect);
        statement.put("Resource", resource);
        Map<String, Object> doc = new LinkedHashMap<>();
        doc.put("Version", "2012-10-17");
        doc.put("Statement", List.of(statement));
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("principalId", principal);
        out.put("policyDocument", doc);
        out.put("context", context);
        return out;
    }
}
