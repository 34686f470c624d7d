package dev.suite.payment.provider;

import com.fasterxml.jackson.databind.JsonNode;
import dev.suite.shared.Config;
import dev.suite.shared.Http;
import dev.suite.shared.Json;
import dev.suite.shared.Secrets;
import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpRequest;
import java.nio.charset.StandardCharsets;
import java.security.InvalidKeyException;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Instant;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.Supplier;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * VNPAY 2.1.0: the signed payment URL, signature checks of IPN and return parameters, and querydr. Dates are
 * yyyyMMddHHmmss in Asia/Ho_Chi_Minh whatever the JVM's zone. The hash secret is never logged.
 */
public final class Vnpay {
    public static final String VERSION = "2.1.0";
    public static final ZoneId VIETNAM = ZoneId.of("Asia/Ho_Chi_Minh");
    public static final DateTimeFormatter DATE =
            DateTimeFormatter.ofPattern("yyyyMMddHHmmss").withZone(VIETNAM);
    public static final String SANDBOX_PAY_URL = "https://sandbox.vnpayment.vn/paymentv2/vpcpay.html";
    public static final String SANDBOX_API_URL = "https://sandbox.vnpayment.vn/merchant_webapi/api/transaction";

    private final Supplier<String> tmnCode;
    private final Supplier<String> hashSecret;
    private final String payUrl;
    private final String apiUrl;
    private final Http http;

    public Vnpay(Supplier<String> tmnCode, Supplier<String> hashSecret, String payUrl, String apiUrl, Http http) {
        this.tmnCode = tmnCode;
        this.hashSecret = hashSecret;
        this.payUrl = payUrl;
        this.apiUrl = apiUrl;
        this.http = http;
    }

    public static Vnpay from(Config config) {
        return new Vnpay(
                Secrets.supplier(config, "VNPAY_TMN_CODE"),
                Secrets.supplier(config, "VNPAY_HASH_SECRET"),
                config.get("VNPAY_URL", SANDBOX_PAY_URL),
                config.get("VNPAY_API_URL", SANDBOX_API_URL),
                Http.client(config, "VNPAY", 3_000, 8_000, 8_000));
    }

    public String tmnCode() {
        return tmnCode.get();
    }

    public static String date(Instant t) {
        return DATE.format(t);
    }

    /**
     * The string that is signed: non-empty vnp_* fields but the hash ones, sorted, values URL-encoded (US-ASCII, space
     * as '+').
     */
    public static String canonical(Map<String, String> fields) {
        StringBuilder sb = new StringBuilder();
        for (Map.Entry<String, String> e : new TreeMap<>(fields).entrySet()) {
            String k = e.getKey();
            if (!k.startsWith("vnp_")
                    || k.equals("vnp_SecureHash")
                    || k.equals("vnp_SecureHashType")
                    || e.getValue() == null
                    || e.getValue().isEmpty()) {
                continue;
            }
            if (sb.length() > 0) {
                sb.append('&');
            }
            sb.append(k).append('=').append(URLEncoder.encode(e.getValue(), StandardCharsets.US_ASCII));
        }
        return sb.toString();
    }

    public static String hmacSha512(String secret, String data) {
        try {
            Mac mac = Mac.getInstance("HmacSHA512");
            mac.init(new SecretKeySpec(secret.getBytes(StandardCharsets.UTF_8), "HmacSHA512"));
            return HexFormat.of().formatHex(mac.doFinal(data.getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException | InvalidKeyException e) {
            throw new IllegalStateException("HmacSHA512 unavailable", e);
        }
    }

    public String sign(Map<String, String> fields) {
        return hmacSha512(hashSecret.get(), canonical(fields));
    }

    /** The payment URL: every field, then vnp_SecureHash last. */
    public String payUrl(Map<String, String> fields) {
        return payUrl + "?" + canonical(fields) + "&vnp_SecureHash=" + sign(fields);
    }

    /** True when vnp_SecureHash matches the other vnp_* parameters (constant-time compare). */
    public boolean verify(Map<String, String> params) {
        String given = params.get("vnp_SecureHash");
        if (given == null || given.isEmpty()) {
            return false;
        }
        String expected = sign(params);
        return MessageDigest.isEqual(
                expected.getBytes(StandardCharsets.US_ASCII),
                given.toLowerCase(Locale.ROOT).getBytes(StandardCharsets.US_ASCII));
    }

    /** What querydr said, with its signature already checked. */
    public record QueryResult(
            String responseCode,
            String transactionStatus,
            long amount,
            String transactionNo,
            String bankCode,
            String payDate,
            String message) {
        public boolean paid() {
            return "00".equals(responseCode) && "00".equals(transactionStatus);
        }
    }

    /** Thrown when querydr cannot give an answer to trust (network, timeout, bad signature). */
    public static final class QueryFailed extends Exception {
        public QueryFailed(String message) {
            super(message, null, false, false);
        }
    }

    public QueryResult queryDr(
            String requestId, String txnRef, String transactionDate, String orderInfo, String ipAddr, Instant now)
            throws QueryFailed {
        String tmn = tmnCode.get();
        String createDate = date(now);
        String data = String.join(
                "|", requestId, VERSION, "querydr", tmn, txnRef, transactionDate, createDate, ipAddr, orderInfo);
        Map<String, String> body = new LinkedHashMap<>();
        body.put("vnp_RequestId", requestId);
        body.put("vnp_Version", VERSION);
        body.put("vnp_Command", "querydr");
        body.put("vnp_TmnCode", tmn);
        body.put("vnp_TxnRef", txnRef);
        body.put("vnp_OrderInfo", orderInfo);
        body.put("vnp_TransactionDate", transactionDate);
        body.put("vnp_CreateDate", createDate);
        body.put("vnp_IpAddr", ipAddr);
        body.put("vnp_SecureHash", hmacSha512(hashSecret.get(), data));
        String answer;
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(apiUrl))
                .header("Content-Type", "application/json; charset=utf-8")
                .POST(HttpRequest.BodyPublishers.ofString(Json.write(body), StandardCharsets.UTF_8));
        try {
            Http.Response response = http.send(request);
            if (response.status() != 200) {
                throw new QueryFailed("querydr answered HTTP " + response.status());
            }
            answer = response.text();
        } catch (IOException e) {
            throw new QueryFailed("querydr unreachable: " + e.getClass().getSimpleName());
        }
        JsonNode r;
        try {
            r = Json.EVENTS.readTree(answer);
        } catch (IOException e) {
            throw new QueryFailed("querydr answered malformed JSON");
        }
        String code = text(r, "vnp_ResponseCode");
        if (r.hasNonNull("vnp_SecureHash")) {
            String signed = String.join(
                    "|",
                    text(r, "vnp_ResponseId"),
                    text(r, "vnp_Command"),
                    code,
                    text(r, "vnp_Message"),
                    text(r, "vnp_TmnCode"),
                    text(r, "vnp_TxnRef"),
                    text(r, "vnp_Amount"),
                    text(r, "vnp_BankCode"),
                    text(r, "vnp_PayDate"),
                    text(r, "vnp_TransactionNo"),
                    text(r, "vnp_TransactionType"),
                    text(r, "vnp_TransactionStatus"),
                    text(r, "vnp_OrderInfo"),
                    text(r, "vnp_PromotionCode"),
                    text(r, "vnp_PromotionAmount"));
            String expected = hmacSha512(hashSecret.get(), signed);
            if (!MessageDigest.isEqual(
                    expected.getBytes(StandardCharsets.US_ASCII),
                    text(r, "vnp_SecureHash").toLowerCase(Locale.ROOT).getBytes(StandardCharsets.US_ASCII))) {
                throw new QueryFailed("querydr response signature does not match");
            }
        } else if ("00".equals(code)) {
            throw new QueryFailed("querydr success without a signature");
        }
        if ("00".equals(code) && !txnRef.equals(text(r, "vnp_TxnRef"))) {
            throw new QueryFailed("querydr answered for another order");
        }
        long amount;
        try {
            amount = text(r, "vnp_Amount").isEmpty() ? -1 : Long.parseLong(text(r, "vnp_Amount"));
        } catch (NumberFormatException e) {
            throw new QueryFailed("querydr amount is not a number");
        }
        return new QueryResult(
                code,
                text(r, "vnp_TransactionStatus"),
                amount,
                text(r, "vnp_TransactionNo"),
                text(r, "vnp_BankCode"),
                text(r, "vnp_PayDate"),
                text(r, "vnp_Message"));
    }

    private static String text(JsonNode r, String f) {
        JsonNode n = r.get(f);
        return n == null || n.isNull() ? "" : n.asText();
    }
}
