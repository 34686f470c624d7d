package dev.suite.payment.domain;

/** A row of the Transactions table; transactionId is vnp_TxnRef. */
public record PaymentRecord(String transactionId, String userId, String packageId, long credits, long amountVnd, String status,
                            String createdAt, String expiresAt, String vnpCreateDate, String orderInfo, String ipAddr,
                            String responseCode, String vnpTransactionNo, String bankCode, String payDate) {
    public static final String PENDING = "PENDING";
    public static final String SUCCEEDED = "SUCCEEDED";
    public static final String FAILED = "FAILED";
    public static final String EXPIRED = "EXPIRED";

    public boolean isFinal() {
        return SUCCEEDED.equals(status) || FAILED.equals(status);
    }
}
