package dev.suite.payment.domain;

/**
 * A row of the Transactions table; transactionId is vnp_TxnRef. {@code attempts} and {@code nextAttemptAt} are the
 * reconciler's bookkeeping (querydr calls so far, when the next one is due); {@code lastStatus} is the last
 * vnp_TransactionStatus VNPAY reported; {@code reviewReason} says why a REVIEW row was handed to a person.
 */
public record PaymentRecord(
        String transactionId,
        String userId,
        String packageId,
        long credits,
        long amountVnd,
        String status,
        String createdAt,
        String expiresAt,
        String vnpCreateDate,
        String orderInfo,
        String ipAddr,
        String responseCode,
        String vnpTransactionNo,
        String bankCode,
        String payDate,
        int attempts,
        String nextAttemptAt,
        String lastStatus,
        String reviewReason) {
    public static final String PENDING = "PENDING";
    public static final String SUCCEEDED = "SUCCEEDED";
    public static final String FAILED = "FAILED";
    public static final String EXPIRED = "EXPIRED";
    /** The reconciler gave up (no definite answer by the deadline, or money held by VNPAY): a person settles it. */
    public static final String REVIEW = "REVIEW";

    /** A new row, before any reconciliation. */
    public PaymentRecord(
            String transactionId,
            String userId,
            String packageId,
            long credits,
            long amountVnd,
            String status,
            String createdAt,
            String expiresAt,
            String vnpCreateDate,
            String orderInfo,
            String ipAddr,
            String responseCode,
            String vnpTransactionNo,
            String bankCode,
            String payDate) {
        this(
                transactionId,
                userId,
                packageId,
                credits,
                amountVnd,
                status,
                createdAt,
                expiresAt,
                vnpCreateDate,
                orderInfo,
                ipAddr,
                responseCode,
                vnpTransactionNo,
                bankCode,
                payDate,
                0,
                expiresAt,
                null,
                null);
    }

    public boolean isFinal() {
        return SUCCEEDED.equals(status) || FAILED.equals(status);
    }
}
