package dev.suite.payment.api;

import com.amazonaws.services.lambda.runtime.Context;
import com.amazonaws.services.lambda.runtime.RequestHandler;
import com.amazonaws.services.lambda.runtime.events.APIGatewayProxyRequestEvent;
import com.amazonaws.services.lambda.runtime.events.APIGatewayProxyResponseEvent;
import dev.suite.payment.domain.CreditPackage;
import dev.suite.payment.domain.PaymentService;
import dev.suite.payment.provider.Vnpay;
import dev.suite.payment.store.Payments;
import dev.suite.shared.Clients;
import dev.suite.shared.Config;
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
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;

/** Payment route group: packages, create a VNPAY payment, IPN, return page, own transactions. */
public final class PaymentHandler implements RequestHandler<APIGatewayProxyRequestEvent, APIGatewayProxyResponseEvent> {
    private static final Pattern BANK = Pattern.compile("^[A-Z0-9]{2,20}$");
    private final Dispatcher gateway;

    record Pay(String packageId, String bankCode, String locale) implements Validated<Pay> {
        @Override
        public Pay validated() {
            String bank = bankCode == null || bankCode.isBlank() ? null : bankCode.trim();
            if (bank != null && !BANK.matcher(bank).matches()) {
                throw ApiException.invalid("bankCode", "must be a VNPAY bank code such as NCB, VNPAYQR, VNBANK or INTCARD");
            }
            return new Pay(Check.id("packageId", packageId), bank,
                    locale == null ? "vn" : Check.oneOf("locale", locale, List.of("vn", "en")));
        }
    }

    public PaymentHandler() {
        this(Config.fromSystem());
    }

    public PaymentHandler(Config config) {
        this(config, new PaymentService(Payments.from(Clients.dynamo(config), config), Vnpay.from(config),
                CreditPackage.parse(config.get("CREDIT_PACKAGES", CreditPackage.DEFAULT)), config.require("VNPAY_RETURN_URL"),
                config.get("VNPAY_ORDER_TYPE", "other"), Duration.ofMinutes(config.getInt("PAYMENT_WINDOW_MINUTES", 15)),
                config.get("SERVER_IP", "127.0.0.1"), Clock.systemUTC()));
    }

    public PaymentHandler(Config config, PaymentService payments) {
        String resultPage = config.get("PAYMENT_RESULT_URL").orElse(null);
        Router router = new Router()
                .add("GET", "/payment/packages", r -> {
                    r.caller();
                    return ApiResponse.ok(Map.of("packages", payments.packages()));
                })
                .add("POST", "/user/pay-vnpay", r -> {
                    String userId = r.caller().userId();
                    Pay pay = Body.parse(r, Pay.class);
                    return ApiResponse.created(payments.create(userId, pay.packageId(), pay.bankCode(), pay.locale(), r.sourceIp()));
                })
                .add("GET", "/payment/vnpay-ipn", r -> {
                    PaymentService.IpnAnswer a = payments.ipn(r.queryParams());
                    Map<String, String> body = new LinkedHashMap<>();
                    body.put("RspCode", a.rspCode());
                    body.put("Message", a.message());
                    return ApiResponse.ok(body);
                })
                .add("GET", "/payment/vnpay-return", r -> {
                    Map<String, Object> result = payments.returned(r.queryParams());
                    if (resultPage == null) {
                        return ApiResponse.ok(result);
                    }
                    return ApiResponse.redirect(resultPage + (resultPage.contains("?") ? "&" : "?")
                            + "transactionId=" + enc(result.get("transactionId")) + "&status=" + enc(result.get("status")));
                })
                .add("GET", "/payment/transactions", r -> ApiResponse.ok(payments.list(r.caller().userId(),
                        Check.intParam("limit", r.query("limit"), 1, 50, 20), r.query("cursor"))))
                .add("GET", "/payment/transactions/{transactionId}", r -> ApiResponse.ok(payments.get(r.caller().userId(),
                        Check.id("transactionId", r.pathParam("transactionId")))));
        this.gateway = new Dispatcher(config, router).primeWith("PaymentHandler",
                Dispatcher.synthetic("GET", "/payment/packages", null, null),
                Dispatcher.synthetic("GET", "/payment/transactions", null, null),
                Dispatcher.synthetic("POST", "/user/pay-vnpay", null, "{\"packageId\":\"no such package\"}"));
    }

    private static String enc(Object v) {
        return URLEncoder.encode(String.valueOf(v), StandardCharsets.UTF_8);
    }

    @Override
    public APIGatewayProxyResponseEvent handleRequest(APIGatewayProxyRequestEvent event, Context context) {
        return gateway.handle(event, context);
    }

    public Router router() {
        return gateway.router();
    }

}
