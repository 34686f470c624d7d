package dev.suite.payment.domain;

import com.fasterxml.jackson.annotation.JsonProperty;
import java.util.List;

/** What the payment routes answer, one record per resource; Jackson writes the components in this order. */
public final class Views {
    private Views() {}

    /** GET /payment/packages. */
    public record Packages(List<CreditPackage> packages) {}

    /** POST /user/pay-vnpay: 201 the first time; {@code replayed} (not written) when an Idempotency-Key repeated it. */
    public record PaymentCreated(String transactionId, String paymentUrl, String expiresAt) {}

    /** A transaction of GET /payment/transactions and GET /payment/transactions/{transactionId}. */
    public record Transaction(
            String transactionId,
            String packageId,
            long credits,
            long amountVnd,
            String status,
            String createdAt,
            String expiresAt,
            String responseCode,
            String vnpTransactionNo,
            String bankCode,
            String payDate) {
        public static Transaction of(PaymentRecord p) {
            return new Transaction(
                    p.transactionId(),
                    p.packageId(),
                    p.credits(),
                    p.amountVnd(),
                    p.status(),
                    p.createdAt(),
                    p.expiresAt(),
                    p.responseCode(),
                    p.vnpTransactionNo(),
                    p.bankCode(),
                    p.payDate());
        }
    }

    /** GET /payment/vnpay-return as JSON. */
    public record Returned(String transactionId, String status, long credits, String responseCode) {}

    /** The IPN answer VNPAY expects, field names as VNPAY spells them. */
    public record IpnAnswer(
            @JsonProperty("RspCode") String rspCode,
            @JsonProperty("Message") String message) {
        public static final IpnAnswer CONFIRMED = new IpnAnswer("00", "Confirm Success");
        public static final IpnAnswer NOT_FOUND = new IpnAnswer("01", "Order not found");
        public static final IpnAnswer ALREADY = new IpnAnswer("02", "Order already confirmed");
        public static final IpnAnswer AMOUNT = new IpnAnswer("04", "Invalid amount");
        public static final IpnAnswer CHECKSUM = new IpnAnswer("97", "Invalid Checksum");
        public static final IpnAnswer UNKNOWN = new IpnAnswer("99", "Unknown error");
    }
}
