package dev.suite.payment.api;

import com.amazonaws.services.lambda.runtime.Context;
import com.amazonaws.services.lambda.runtime.RequestHandler;
import com.amazonaws.services.lambda.runtime.events.APIGatewayProxyRequestEvent;
import com.amazonaws.services.lambda.runtime.events.APIGatewayProxyResponseEvent;
import dev.suite.payment.domain.CreditPackage;
import dev.suite.payment.domain.PaymentService;
import dev.suite.payment.domain.Views;
import dev.suite.payment.provider.Vnpay;
import dev.suite.payment.store.IdempotencyKeys;
import dev.suite.payment.store.Payments;
import dev.suite.shared.Clients;
import dev.suite.shared.Config;
import dev.suite.shared.auth.Caller;
import dev.suite.shared.data.Users;
import dev.suite.shared.http.ApiException;
import dev.suite.shared.http.ApiResponse;
import dev.suite.shared.http.Body;
import dev.suite.shared.http.Check;
import dev.suite.shared.http.Dispatcher;
import dev.suite.shared.http.Router;
import dev.suite.shared.http.Validated;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.regex.Pattern;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;

/** Payment route group: packages, create a VNPAY payment, IPN, return page, own transactions. */
public final class PaymentHandler implements RequestHandler<APIGatewayProxyRequestEvent, APIGatewayProxyResponseEvent> {
    private static final Pattern BANK = Pattern.compile("^[A-Z0-9]{2,20}$");
    private static final Pattern KEY = Pattern.compile("^[A-Za-z0-9_.:-]{1,128}$");
    private final Dispatcher gateway;

    record Pay(String packageId, String bankCode, String locale) implements Validated<Pay> {
        @Override
        public Pay validated() {
            String bank = bankCode == null || bankCode.isBlank() ? null : bankCode.trim();
            if (bank != null && !BANK.matcher(bank).matches()) {
                throw ApiException.invalid(
                        "bankCode", "must be a VNPAY bank code such as NCB, VNPAYQR, VNBANK or INTCARD");
            }
            return new Pay(
                    Check.id("packageId", packageId),
                    bank,
                    locale == null ? "vn" : Check.oneOf("locale", locale, List.of("vn", "en")));
        }
    }

    public PaymentHandler() {
        this(Config.fromSystem());
    }

    public PaymentHandler(Config config) {
        this(config, service(config, Clients.dynamo(config), Clock.systemUTC()));
    }

    /** The service with real clients from the configuration (tests pass their own clock). */
    public static PaymentService service(Config config, DynamoDbClient dynamo, Clock clock) {
        Payments payments = Payments.from(dynamo, config);
        Vnpay vnpay = Vnpay.from(config);
        return new PaymentService(
                payments,
                IdempotencyKeys.from(dynamo, config),
                Users.from(dynamo, config),
                vnpay,
                PaymentReconcileHandler.reconciler(config, payments, vnpay, clock),
                CreditPackage.parse(config.get("CREDIT_PACKAGES", CreditPackage.DEFAULT)),
                config.require("VNPAY_RETURN_URL"),
                config.get("VNPAY_ORDER_TYPE", "other"),
                Duration.ofMinutes(config.getInt("PAYMENT_WINDOW_MINUTES", 15)),
                clock);
    }

    public PaymentHandler(Config config, PaymentService payments) {
        String resultPage = config.get("PAYMENT_RESULT_URL").orElse(null);
        Router router = new Router()
                .add("GET", "/payment/packages", r -> {
                    r.caller();
                    return ApiResponse.ok(payments.packages());
                })
                .add("POST", "/user/pay-vnpay", r -> {
                    Caller caller = r.caller();
                    String key = idempotencyKey(r.header("Idempotency-Key"));
                    Pay pay = Body.parse(r, Pay.class);
                    PaymentService.Created c =
                            payments.create(caller, pay.packageId(), pay.bankCode(), pay.locale(), r.sourceIp(), key);
                    return c.replayed() ? ApiResponse.ok(c.payment()) : ApiResponse.created(c.payment());
                })
                .add("GET", "/payment/vnpay-ipn", r -> ApiResponse.ok(payments.ipn(r.queryParams())))
                .add("GET", "/payment/vnpay-return", r -> {
                    Views.Returned result = payments.returned(r.queryParams());
                    if (resultPage == null) {
                        return ApiResponse.ok(result);
                    }
                    return ApiResponse.redirect(resultPage + (resultPage.contains("?") ? "&" : "?") + "transactionId="
                            + enc(result.transactionId()) + "&status=" + enc(result.status()));
                })
                .add(
                        "GET",
                        "/payment/transactions",
                        r -> ApiResponse.ok(payments.list(
                                r.caller().userId(),
                                Check.intParam("limit", r.query("limit"), 1, 50, 20),
                                r.query("cursor"))))
                .add(
                        "GET",
                        "/payment/transactions/{transactionId}",
                        r -> ApiResponse.ok(payments.get(
                                r.caller().userId(), Check.id("transactionId", r.pathParam("transactionId")))));
        this.gateway = new Dispatcher(config, router)
                .primeWith(
                        "PaymentHandler",
                        Dispatcher.synthetic("GET", "/payment/packages", null, null),
                        Dispatcher.synthetic("GET", "/payment/transactions", null, null),
                        Dispatcher.synthetic("POST", "/user/pay-vnpay", null, "{\"packageId\":\"no such package\"}"));
    }

    private static String enc(String v) {
        return URLEncoder.encode(String.valueOf(v), StandardCharsets.UTF_8);
    }

    /** The optional Idempotency-Key header: 1-128 letters, digits and {@code - _ . :}. */
    static String idempotencyKey(String header) {
        if (header == null) {
            return null;
        }
        if (!KEY.matcher(header).matches()) {
            throw ApiException.invalid(
                    "Idempotency-Key", "must be 1-128 letters, digits, '-', '_', '.' or ':' (a UUID is a good key)");
        }
        return header;
    }

    @Override
    public APIGatewayProxyResponseEvent handleRequest(APIGatewayProxyRequestEvent event, Context context) {
        return gateway.handle(event, context);
    }

    public Router router() {
        return gateway.router();
    }
}
