package dev.suite.local;

import com.fasterxml.jackson.databind.JsonNode;
import dev.suite.payment.provider.Vnpay;
import dev.suite.shared.Config;
import dev.suite.shared.Http;
import dev.suite.shared.Json;
import java.io.IOException;
import java.net.URI;
import java.net.URLDecoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;

/**
 * A VNPAY sandbox stand-in for laptops without a merchant account: a payment page that shows the order and lets
 * the user pay or cancel, then calls the IPN with correctly signed parameters and redirects the browser to the
 * return URL; and querydr, answering from what was paid here.
 */
final class VnpayStandIn {
    static final String PAY = "/_local/vnpay/pay";
    static final String COMPLETE = "/_local/vnpay/complete";
    static final String QUERYDR = "/_local/vnpay/querydr";
    static final String TMN = "LOCALTMN";
    static final String SECRET = "LOCALVNPAYSTANDINSECRET000000000";

    private final Vnpay signer =
            new Vnpay(() -> TMN, () -> SECRET, "", "", Http.client(new Config(Map.of()), "VNPAY", 3_000, 8_000, 8_000));
    private final Map<String, Map<String, String>> results = new ConcurrentHashMap<>();
    private final AtomicLong transactionNo = new AtomicLong(14_000_000);
    private final HttpClient http =
            HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(3)).build();
    private final String baseUrl;

    VnpayStandIn(String baseUrl) {
        this.baseUrl = baseUrl;
    }

    static Map<String, String> query(String raw) {
        Map<String, String> out = new LinkedHashMap<>();
        if (raw == null || raw.isEmpty()) {
            return out;
        }
        for (String pair : raw.split("&")) {
            String[] kv = pair.split("=", 2);
            out.put(
                    URLDecoder.decode(kv[0], StandardCharsets.UTF_8),
                    kv.length > 1 ? URLDecoder.decode(kv[1], StandardCharsets.UTF_8) : "");
        }
        return out;
    }

    RestGateway.HttpResponse payPage(String rawQuery) {
        Map<String, String> q = query(rawQuery);
        if (!signer.verify(q)) {
            return html(
                    400,
                    "<h1>Invalid signature</h1><p>The payment request is not signed with the merchant's hash secret.</p>");
        }
        long vnd = Long.parseLong(q.getOrDefault("vnp_Amount", "0")) / 100;
        String form = "<form method='post' action='" + COMPLETE + "' style='display:inline'>"
                + "<input type='hidden' name='q' value='" + escape(rawQuery) + "'>"
                + "<button name='result' value='RESULT'>LABEL</button></form> ";
        return html(
                200,
                "<h1>VNPAY sandbox (local stand-in)</h1>"
                        + "<p>Order <b>" + escape(q.get("vnp_TxnRef")) + "</b>: " + escape(q.get("vnp_OrderInfo"))
                        + "</p>"
                        + "<p>Amount: <b>" + String.format("%,d", vnd) + " VND</b></p>"
                        + form.replace("RESULT", "pay").replace("LABEL", "Pay")
                        + form.replace("RESULT", "cancel").replace("LABEL", "Cancel"));
    }

    /** The user's choice: sign the result, notify the IPN, redirect the browser to the return URL. */
    RestGateway.HttpResponse complete(String formBody) throws IOException, InterruptedException {
        Map<String, String> form = query(formBody);
        Map<String, String> q = query(form.get("q"));
        if (!signer.verify(q)) {
            return html(400, "<h1>Invalid signature</h1>");
        }
        String signed = notify(q, "pay".equals(form.get("result"))).query();
        String returnUrl = q.get("vnp_ReturnUrl");
        return new RestGateway.HttpResponse(
                302, Map.of("Location", returnUrl + (returnUrl.contains("?") ? "&" : "?") + signed), new byte[0]);
    }

    /**
     * The payment's result as VNPAY signs it, sent to the IPN route (the real one, over HTTP); answers the signed query
     * string (what the return URL gets) and the IPN's answer. The console's "replay IPN" calls it too.
     */
    Notified notify(Map<String, String> q, boolean pay) throws IOException, InterruptedException {
        Map<String, String> r = new LinkedHashMap<>();
        r.put("vnp_Amount", q.get("vnp_Amount"));
        r.put(
                "vnp_BankCode",
                q.getOrDefault("vnp_BankCode", "NCB").isEmpty() ? "NCB" : q.getOrDefault("vnp_BankCode", "NCB"));
        if (pay) {
            r.put("vnp_BankTranNo", "VNP" + transactionNo.get());
            r.put("vnp_CardType", "ATM");
            r.put("vnp_PayDate", Vnpay.date(Instant.now()));
        }
        r.put("vnp_OrderInfo", q.get("vnp_OrderInfo"));
        r.put("vnp_ResponseCode", pay ? "00" : "24");
        r.put("vnp_TmnCode", q.get("vnp_TmnCode"));
        r.put("vnp_TransactionNo", pay ? Long.toString(transactionNo.incrementAndGet()) : "0");
        r.put("vnp_TransactionStatus", pay ? "00" : "02");
        r.put("vnp_TxnRef", q.get("vnp_TxnRef"));
        r.put("vnp_SecureHash", signer.sign(r));
        results.put(q.get("vnp_TxnRef"), r);
        String signed = Vnpay.canonical(r) + "&vnp_SecureHash=" + r.get("vnp_SecureHash");
        String answer = http.send(
                        HttpRequest.newBuilder(URI.create(baseUrl + "/payment/vnpay-ipn?" + signed))
                                .GET()
                                .build(),
                        HttpResponse.BodyHandlers.ofString())
                .body();
        return new Notified(signed, answer);
    }

    /** A signed result and what the IPN route answered it. */
    record Notified(String query, String ipnAnswer) {}

    /**
     * A signed payment-page URL for an order, as the payment function builds one (the console opens it for a
     * transaction).
     */
    String payUrl(String txnRef, long amountVnd, String orderInfo) {
        Map<String, String> q = new LinkedHashMap<>();
        q.put("vnp_Amount", Long.toString(amountVnd * 100));
        q.put("vnp_Command", "pay");
        q.put("vnp_OrderInfo", orderInfo);
        q.put("vnp_ReturnUrl", baseUrl + "/payment/vnpay-return");
        q.put("vnp_TmnCode", TMN);
        q.put("vnp_TxnRef", txnRef);
        q.put("vnp_Version", Vnpay.VERSION);
        return baseUrl + PAY + "?" + Vnpay.canonical(q) + "&vnp_SecureHash=" + signer.sign(q);
    }

    RestGateway.HttpResponse queryDr(byte[] body) throws IOException {
        JsonNode req = Json.EVENTS.readTree(body);
        String ref = req.path("vnp_TxnRef").asText();
        String data = String.join(
                "|",
                req.path("vnp_RequestId").asText(),
                req.path("vnp_Version").asText(),
                req.path("vnp_Command").asText(),
                req.path("vnp_TmnCode").asText(),
                ref,
                req.path("vnp_TransactionDate").asText(),
                req.path("vnp_CreateDate").asText(),
                req.path("vnp_IpAddr").asText(),
                req.path("vnp_OrderInfo").asText());
        Map<String, String> out = new LinkedHashMap<>();
        if (!Vnpay.hmacSha512(SECRET, data).equals(req.path("vnp_SecureHash").asText())) {
            out.put("vnp_ResponseCode", "97");
            out.put("vnp_Message", "Invalid checksum");
            return json(out);
        }
        Map<String, String> paid = results.get(ref);
        out.put("vnp_ResponseId", Long.toString(System.nanoTime()));
        out.put("vnp_Command", "querydr");
        out.put("vnp_ResponseCode", paid == null ? "91" : "00");
        out.put("vnp_Message", paid == null ? "Transaction not found" : "QueryDR Success");
        out.put("vnp_TmnCode", TMN);
        out.put("vnp_TxnRef", ref);
        out.put("vnp_Amount", paid == null ? "" : paid.get("vnp_Amount"));
        out.put("vnp_BankCode", paid == null ? "" : paid.get("vnp_BankCode"));
        out.put("vnp_PayDate", paid == null ? "" : paid.getOrDefault("vnp_PayDate", ""));
        out.put("vnp_TransactionNo", paid == null ? "" : paid.get("vnp_TransactionNo"));
        out.put("vnp_TransactionType", "01");
        out.put("vnp_TransactionStatus", paid == null ? "" : paid.get("vnp_TransactionStatus"));
        out.put("vnp_OrderInfo", req.path("vnp_OrderInfo").asText());
        out.put("vnp_PromotionCode", "");
        out.put("vnp_PromotionAmount", "");
        out.put("vnp_SecureHash", Vnpay.hmacSha512(SECRET, String.join("|", out.values())));
        return json(out);
    }

    private static RestGateway.HttpResponse json(Object body) {
        return new RestGateway.HttpResponse(
                200,
                Map.of("Content-Type", "application/json"),
                Json.write(body).getBytes(StandardCharsets.UTF_8));
    }

    private static RestGateway.HttpResponse html(int status, String body) {
        String page = "<!doctype html><html><head><meta charset='utf-8'><title>VNPAY stand-in</title></head>"
                + "<body style='font-family:sans-serif;max-width:40em;margin:3em auto'>" + body + "</body></html>";
        return new RestGateway.HttpResponse(
                status, Map.of("Content-Type", "text/html; charset=utf-8"), page.getBytes(StandardCharsets.UTF_8));
    }

    /** HTML-escaped text (the stand-ins' pages). */
    static String escape(String s) {
        return s == null
                ? ""
                : s.replace("&", "&amp;")
                        .replace("<", "&lt;")
                        .replace(">", "&gt;")
                        .replace("'", "&#39;")
                        .replace("\"", "&quot;");
    }
}
