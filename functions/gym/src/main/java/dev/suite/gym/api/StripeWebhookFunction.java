package dev.suite.gym.api;

import com.amazonaws.services.lambda.runtime.Context;
import com.amazonaws.services.lambda.runtime.RequestHandler;
import com.amazonaws.services.lambda.runtime.events.APIGatewayProxyRequestEvent;
import com.amazonaws.services.lambda.runtime.events.APIGatewayProxyResponseEvent;
import com.stripe.net.Webhook;
import dev.suite.gym.domain.StripeFulfilment;
import dev.suite.gym.provider.StripeEvents;
import dev.suite.gym.provider.StripeSessions;
import dev.suite.gym.store.CheckinStore;
import dev.suite.gym.store.PurchaseStore;
import dev.suite.shared.Clients;
import dev.suite.shared.Config;
import dev.suite.shared.Secrets;
import dev.suite.shared.http.ApiException;
import dev.suite.shared.http.ApiResponse;
import dev.suite.shared.http.Dispatcher;
import dev.suite.shared.http.Router;
import java.time.Clock;
import java.time.Instant;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;

/**
 * {@code POST /payments/stripe/webhook}, public and signed, in a function of its own: it holds only the webhook
 * secret (never the Stripe secret key that creates charges, nor the check-in key) and may write only the purchase,
 * membership and processed-event rows a fulfilment changes.
 */
public final class StripeWebhookFunction
        implements RequestHandler<APIGatewayProxyRequestEvent, APIGatewayProxyResponseEvent> {
    static final int MAX_BYTES = 512 * 1024;
    private final Dispatcher gateway;

    public StripeWebhookFunction() {
        this(Config.fromSystem());
    }

    public StripeWebhookFunction(Config config) {
        this(config, fulfilment(config, Clients.dynamo(config), Clock.systemUTC()));
    }

    /** The fulfilment wired to the environment's tables and webhook secret. */
    public static StripeFulfilment fulfilment(Config config, DynamoDbClient dynamo, Clock clock) {
        return new StripeFulfilment(
                CheckinStore.membershipsOnly(dynamo, config),
                PurchaseStore.from(dynamo, config),
                new StripeEvents(Secrets.supplier(config, "STRIPE_WEBHOOK_SECRET"), clock),
                clock);
    }

    public StripeWebhookFunction(Config config, StripeFulfilment fulfilment) {
        Router router = new Router().add("POST", "/payments/stripe/webhook", r -> {
            byte[] body = r.bodyBytes();
            if (body.length > MAX_BYTES) {
                throw new ApiException(413, "PAYLOAD_TOO_LARGE", "the body must be at most " + MAX_BYTES + " bytes");
            }
            return ApiResponse.ok(fulfilment.webhook(body, r.header("Stripe-Signature")));
        });
        this.gateway = new Dispatcher(config, router)
                .primeWith(
                        "StripeWebhookFunction",
                        () -> {
                            primeVerification();
                            fulfilment.warmStores();
                        },
                        Dispatcher.synthetic("POST", "/payments/stripe/webhook", null, "{}"));
    }

    /**
     * stripe-java's verification and typed session model, on an event signed with a throwaway secret: no I/O, no secret
     * read.
     */
    private static void primeVerification() {
        String secret = "whsec_priming";
        long now = Instant.now().getEpochSecond();
        String payload = "{\"id\":\"evt_priming\",\"object\":\"event\",\"api_version\":\"" + StripeSessions.API_VERSION
                + "\",\"type\":"
                + "\"checkout.session.completed\",\"data\":{\"object\":{\"id\":\"cs_priming\",\"object\":\"checkout.session\",\"mode\":\"payment\","
                + "\"payment_status\":\"paid\",\"amount_total\":1,\"currency\":\"usd\",\"client_reference_id\":\"priming\"}}}";
        try {
            String header = "t=" + now + ",v1=" + Webhook.Util.computeHmacSha256(secret, now + "." + payload);
            StripeEvents.object(Webhook.constructEvent(payload, header, secret, StripeEvents.TOLERANCE_SECONDS));
        } catch (Exception e) {
            throw new IllegalStateException("priming the webhook verification failed", e);
        }
    }

    @Override
    public APIGatewayProxyResponseEvent handleRequest(APIGatewayProxyRequestEvent event, Context context) {
        return gateway.handle(event, context);
    }

    public Router router() {
        return gateway.router();
    }
}
