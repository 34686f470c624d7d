package dev.suite.payment.domain;

import dev.suite.payment.provider.Vnpay;
import dev.suite.payment.store.Payments;
import dev.suite.shared.Ids;
import dev.suite.shared.Log;
import dev.suite.shared.Times;
import dev.suite.shared.http.ApiException;
import dev.suite.shared.http.Page;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.slf4j.Logger;

/** Buying credit packages through VNPAY; every credit goes through {@link Payments#settlePaid}. */
public final class PaymentService {
    private static final Logger LOG = Log.get(PaymentService.class);

    /** The IPN answer VNPAY expects. */
    public record IpnAnswer(String rspCode, String message) {
        static final IpnAnswer CONFIRMED = new IpnAnswer("00", "Confirm Success");
        static final IpnAnswer NOT_FOUND = new IpnAnswer("01", "Order not found");
        static final IpnAnswer ALREADY = new IpnAnswer("02", "Order already confirmed");
        static final IpnAnswer AMOUNT = new IpnAnswer("04", "Invalid amount");
        static final IpnAnswer CHECKSUM = new IpnAnswer("97", "Invalid Checksum");
        static final IpnAnswer UNKNOWN = new IpnAnswer("99", "Unknown error");
    }

    private final Payments payments;
    private final Vnpay vnpay;
    private final List<CreditPackage> packages;
    private final String returnUrl;
    private final String orderType;
    private final Duration window;
    private final String serverIp;
    private final Clock clock;

    public PaymentService(Payments payments, Vnpay vnpay, List<CreditPackage> packages, String returnUrl, String orderType,
                          Duration window, String serverIp, Clock clock) {
        this.payments = payments;
        this.vnpay = vnpay;
        this.packages = packages;
        this.returnUrl = returnUrl;
        this.orderType = orderType;
        this.window = window;
        this.serverIp = serverIp;
        this.clock = clock;
    }

    public List<CreditPackage> packages() {
        return packages;
    }

    public Map<String, Object> create(String userId, String packageId, String bankCode, String locale, String ipAddr) {
        CreditPackage p = CreditPackage.find(packages, packageId)
                .orElseThrow(() -> ApiException.invalid("packageId", "is not one of the packages of GET /payment/packages"));
        Instant now = Instant.now(clock);
        Instant expires = now.plus(window);
        String txnRef = Ids.at(now);
        String orderInfo = "Mua goi " + p.id() + " " + p.credits() + " credits don " + txnRef;
        PaymentRecord record = new PaymentRecord(txnRef, userId, p.id(), p.credits(), p.amountVnd(), PaymentRecord.PENDING,
                Times.iso(now), Times.iso(expires), Vnpay.date(now), orderInfo, ipAddr, null, null, null, null);
        payments.create(record);
        Map<String, String> fields = new LinkedHashMap<>();
        fields.put("vnp_Version", Vnpay.VERSION);
        fields.put("vnp_Command", "pay");
        fields.put("vnp_TmnCode", vnpay.tmnCode());
        fields.put("vnp_Amount", Long.toString(p.amountVnd() * 100));
        fields.put("vnp_CurrCode", "VND");
        fields.put("vnp_TxnRef", txnRef);
        fields.put("vnp_OrderInfo", orderInfo);
        fields.put("vnp_OrderType", orderType);
        fields.put("vnp_Locale", locale);
        fields.put("vnp_ReturnUrl", returnUrl);
        fields.put("vnp_IpAddr", ipAddr);
        fields.put("vnp_CreateDate", record.vnpCreateDate());
        fields.put("vnp_ExpireDate", Vnpay.date(expires));
        if (bankCode != null) {
            fields.put("vnp_BankCode", bankCode);
        }
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("transactionId", txnRef);
        out.put("paymentUrl", vnpay.payUrl(fields));
        out.put("expiresAt", record.expiresAt());
        return out;
    }

    /** VNPAY's server-to-server notification. Never throws: every outcome is an answer code. */
    public IpnAnswer ipn(Map<String, String> params) {
        try {
            if (!vnpay.verify(params)) {
                return IpnAnswer.CHECKSUM;
            }
            String ref = params.get("vnp_TxnRef");
            PaymentRecord p = ref == null || ref.length() > 64 ? null : payments.get(ref).orElse(null);
            if (p == null || !vnpay.tmnCode().equals(params.get("vnp_TmnCode"))) {
                return IpnAnswer.NOT_FOUND;
            }
            if (!Long.toString(p.amountVnd() * 100).equals(params.get("vnp_Amount"))) {
                return IpnAnswer.AMOUNT;
            }
            if (p.isFinal()) {
                return IpnAnswer.ALREADY;
            }
            Instant now = Instant.now(clock);
            boolean paid = "00".equals(params.get("vnp_ResponseCode")) && "00".equals(params.get("vnp_TransactionStatus"));
            if (paid) {
                return payments.settlePaid(p, params.get("vnp_TransactionNo"), params.get("vnp_BankCode"), params.get("vnp_PayDate"), now)
                        ? IpnAnswer.CONFIRMED : IpnAnswer.ALREADY;
            }
            String code = params.getOrDefault("vnp_ResponseCode", "99");
            return payments.markFailed(p.transactionId(), code, now) || PaymentRecord.EXPIRED.equals(p.status())
                    ? IpnAnswer.CONFIRMED : IpnAnswer.ALREADY;
        } catch (RuntimeException e) {
            LOG.error("IPN failed unexpectedly: {}", e.getClass().getSimpleName());
            return IpnAnswer.UNKNOWN;
        }
    }

    /**
     * The browser's landing: checks the signature, never credits on its own word; when VNPAY says success and the
     * row is still PENDING, asks querydr and settles on the exactly-once path.
     */
    public Map<String, Object> returned(Map<String, String> params) {
        if (!vnpay.verify(params)) {
            throw ApiException.badRequest("INVALID_SIGNATURE", "the payment result is not signed by VNPAY");
        }
        String ref = params.get("vnp_TxnRef");
        PaymentRecord p = (ref == null ? null : payments.get(ref).orElse(null));
        if (p == null) {
            throw ApiException.notFound("transaction");
        }
        boolean saysPaid = "00".equals(params.get("vnp_ResponseCode")) && "00".equals(params.get("vnp_TransactionStatus"));
        String status = p.status();
        if (saysPaid && PaymentRecord.PENDING.equals(status)) {
            status = payments.reconcile(p, vnpay, serverIp, Instant.now(clock));
        }
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("transactionId", p.transactionId());
        out.put("status", status);
        out.put("credits", p.credits());
        out.put("responseCode", params.get("vnp_ResponseCode"));
        return out;
    }

    public Page<Map<String, Object>> list(String userId, int limit, String cursor) {
        return payments.page(userId, limit, cursor).map(PaymentService::view);
    }

    public Map<String, Object> get(String userId, String transactionId) {
        return payments.get(transactionId).filter(p -> p.userId().equals(userId)).map(PaymentService::view)
                .orElseThrow(() -> ApiException.notFound("transaction"));
    }

    static Map<String, Object> view(PaymentRecord p) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("transactionId", p.transactionId());
        m.put("packageId", p.packageId());
        m.put("credits", p.credits());
        m.put("amountVnd", p.amountVnd());
        m.put("status", p.status());
        m.put("createdAt", p.createdAt());
        m.put("expiresAt", p.expiresAt());
        m.put("responseCode", p.responseCode());
        m.put("vnpTransactionNo", p.vnpTransactionNo());
        m.put("bankCode", p.bankCode());
        m.put("payDate", p.payDate());
        return m;
    }
}
