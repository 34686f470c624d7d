package dev.suite.payment;

import dev.suite.payment.provider.Vnpay;
import dev.suite.shared.Json;
import java.io.IOException;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import okhttp3.mockwebserver.Dispatcher;
import okhttp3.mockwebserver.MockResponse;
import okhttp3.mockwebserver.MockWebServer;
import okhttp3.mockwebserver.RecordedRequest;

/** VNPAY's querydr on MockWebServer: answers what the test says about each order, signed like VNPAY. */
public final class VnpayFake implements AutoCloseable {
    public static final String SECRET = "VNPAYTESTSECRETKEY0123456789ABCD";
    public static final String TMN = "DEMOTMN1";

    /** What VNPAY knows of an order: querydr response code, transaction status, amount (VND x 100). */
    public record Known(String responseCode, String status, long amount) {}

    private final MockWebServer server = new MockWebServer();
    public final Map<String, Known> orders = new ConcurrentHashMap<>();
    public final AtomicInteger queries = new AtomicInteger();
    public volatile boolean badSignatures;

    public VnpayFake() throws IOException {
        server.setDispatcher(new Dispatcher() {
            @Override
            public MockResponse dispatch(RecordedRequest request) {
                queries.incrementAndGet();
                try {
                    var body = Json.EVENTS.readTree(request.getBody().readUtf8());
                    String ref = body.get("vnp_TxnRef").asText();
                    String data = String.join(
                            "|",
                            body.get("vnp_RequestId").asText(),
                            "2.1.0",
                            "querydr",
                            TMN,
                            ref,
                            body.get("vnp_TransactionDate").asText(),
                            body.get("vnp_CreateDate").asText(),
                            body.get("vnp_IpAddr").asText(),
                            body.get("vnp_OrderInfo").asText());
                    if (!Vnpay.hmacSha512(SECRET, data)
                            .equals(body.get("vnp_SecureHash").asText())) {
                        return json(Map.of("vnp_ResponseCode", "97", "vnp_Message", "Invalid checksum"));
                    }
                    Known k = orders.getOrDefault(ref, new Known("91", "", 0));
                    Map<String, String> r = new LinkedHashMap<>();
                    r.put("vnp_ResponseId", "R" + queries.get());
                    r.put("vnp_Command", "querydr");
                    r.put("vnp_ResponseCode", k.responseCode());
                    r.put("vnp_Message", "QueryDR Success");
                    r.put("vnp_TmnCode", TMN);
                    r.put("vnp_TxnRef", ref);
                    r.put("vnp_Amount", Long.toString(k.amount()));
                    r.put("vnp_BankCode", "NCB");
                    r.put("vnp_PayDate", "20261123170512");
                    r.put("vnp_TransactionNo", "14226112");
                    r.put("vnp_TransactionType", "01");
                    r.put("vnp_TransactionStatus", k.status());
                    r.put("vnp_OrderInfo", body.get("vnp_OrderInfo").asText());
                    r.put("vnp_PromotionCode", "");
                    r.put("vnp_PromotionAmount", "");
                    String signed = String.join("|", r.values());
                    String good = Vnpay.hmacSha512(SECRET, signed);
                    // a bad signature differs in its first digit (replacing it with a fixed "00" left 1 in 256
                    // signatures good)
                    r.put(
                            "vnp_SecureHash",
                            badSignatures ? (good.charAt(0) == '0' ? "1" : "0") + good.substring(1) : good);
                    return json(r);
                } catch (IOException e) {
                    return new MockResponse().setResponseCode(500);
                }
            }
        });
        server.start();
    }

    private static MockResponse json(Object body) {
        return new MockResponse()
                .setResponseCode(200)
                .setHeader("Content-Type", "application/json")
                .setBody(Json.write(body));
    }

    public String url() {
        return server.url("/merchant_webapi/api/transaction").toString();
    }

    public static Map<String, String> config(String apiUrl) {
        return Map.of(
                "VNPAY_TMN_CODE",
                TMN,
                "VNPAY_HASH_SECRET",
                SECRET,
                "VNPAY_API_URL",
                apiUrl,
                "VNPAY_URL",
                "https://sandbox.vnpayment.vn/paymentv2/vpcpay.html",
                "VNPAY_RETURN_URL",
                "http://localhost:3000/payment/vnpay-return");
    }

    @Override
    public void close() throws IOException {
        server.shutdown();
    }
}
