package dev.suite.payment.domain;

import dev.suite.payment.domain.Views.IpnAnswer;
import dev.suite.payment.provider.Vnpay;
import dev.suite.payment.store.IdempotencyKeys;
import dev.suite.payment.store.Payments;
import dev.suite.shared.Ids;
import dev.suite.shared.Log;
import dev.suite.shared.Times;
import dev.suite.shared.auth.Caller;
import dev.suite.shared.data.Dynamo;
import dev.suite.shared.data.Users;
import dev.suite.shared.http.ApiException;
import dev.suite.shared.http.Page;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.slf4j.Logger;
import software.amazon.awssdk.services.dynamodb.model.TransactionCanceledException;

/** Buying credit packages through VNPAY; every credit goes through {@link Payments#settlePaid}. */
public final class PaymentService {
    private static final Logger LOG = Log.get(PaymentService.class);
    private static final int CLAIM_ATTEMPTS = 8;

    private final Payments payments;
    private final IdempotencyKeys keys;
    private final Users users;
    private final Vnpay vnpay;
    private final Reconciler reconciler;
    private final List<CreditPackage> packages;
    private final String returnUrl;
    private final String orderType;
    private final Duration window;
    private final Clock clock;

    /** The answer of POST /user/pay-vnpay; {@code replayed} when an Idempotency-Key repeated an earlier call. */
    public record Created(Views.PaymentCreated payment, boolean replayed) {}

    public PaymentService(
            Payments payments,
            IdempotencyKeys keys,
            Users users,
            Vnpay vnpay,
            Reconciler reconciler,
            List<CreditPackage> packages,
            String returnUrl,
            String orderType,
            Duration window,
            Clock clock) {
        this.payments = payments;
        this.keys = keys;
        this.users = users;
        this.vnpay = vnpay;
        this.reconciler = reconciler;
        this.packages = packages;
        this.returnUrl = returnUrl;
        this.orderType = orderType;
        this.window = window;
        this.clock = clock;
    }

    public Views.Packages packages() {
        return new Views.Packages(packages);
    }

    /**
     * A PENDING payment and its signed URL, for a caller with a profile (created now if their PostConfirmation
     * trigger failed). With an idempotency key, the first call's answer is kept with the key in the same
     * transaction as the row: the same key and body answer it again, another body with the key is 409.
     */
    public Created create(
            Caller caller, String packageId, String bankCode, String locale, String ipAddr, String idempotencyKey) {
        CreditPackage p = CreditPackage.find(packages, packageId)
                .orElseThrow(
                        () -> ApiException.invalid("packageId", "is not one of the packages of GET /payment/packages"));
        Instant now = Instant.now(clock);
        users.ensure(caller, now);
        Instant expires = now.plus(window);
        String txnRef = Ids.at(now);
        String orderInfo = "Mua goi " + p.id() + " " + p.credits() + " credits don " + txnRef;
        PaymentRecord record = new PaymentRecord(
                txnRef,
                caller.userId(),
                p.id(),
                p.credits(),
                p.amountVnd(),
                PaymentRecord.PENDING,
                Times.iso(now),
                Times.iso(expires),
                Vnpay.date(now),
                orderInfo,
                ipAddr,
                null,
                null,
                null,
                null);
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
        Views.PaymentCreated created = new Views.PaymentCreated(txnRef, vnpay.payUrl(fields), record.expiresAt());
        if (idempotencyKey == null) {
            payments.create(record);
            return new Created(created, false);
        }
        String id = "pay-vnpay#" + caller.userId() + "#" + idempotencyKey;
        String fingerprint = String.join("|", p.id(), String.valueOf(bankCode), locale);
        IdempotencyKeys.Claim claim =
                new IdempotencyKeys.Claim(fingerprint, txnRef, created.paymentUrl(), created.expiresAt());
        for (int attempt = 1; ; attempt++) {
            try {
                Optional<Payments.ClaimRefusal> refused = payments.createClaimed(record, keys.claim(id, claim, now));
                if (refused.isEmpty()) {
                    return new Created(created, false);
                }
                if (refused.get() == Payments.ClaimRefusal.TRANSACTION_EXISTS) {
                    throw new IllegalStateException("transaction id " + txnRef + " already exists");
                }
            } catch (TransactionCanceledException e) {
                // a concurrent call with the same key is writing its claim: read it once it commits
                if (attempt >= CLAIM_ATTEMPTS) {
                    throw e;
                }
                Dynamo.pause(15L * attempt);
            }
            Optional<IdempotencyKeys.Claim> earlier = keys.get(id);
            if (earlier.isPresent()) {
                if (!earlier.get().fingerprint().equals(fingerprint)) {
                    throw ApiException.conflict(
                            "IDEMPOTENCY_KEY_REUSED",
                            "this Idempotency-Key was used for another request; use a new key for a new payment");
                }
                IdempotencyKeys.Claim c = earlier.get();
                return new Created(new Views.PaymentCreated(c.transactionId(), c.paymentUrl(), c.expiresAt()), true);
            }
        }
    }

    /** VNPAY's server-to-server notification. Never throws: every outcome is an answer code. */
    public IpnAnswer ipn(Map<String, String> params) {
        try {
            if (!vnpay.verify(params)) {
                return IpnAnswer.CHECKSUM;
            }
            String ref = params.get("vnp_TxnRef");
            PaymentRecord p =
                    ref == null || ref.length() > 64 ? null : payments.get(ref).orElse(null);
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
            String status = params.get("vnp_TransactionStatus");
            switch (PaymentRules.ipn(params.get("vnp_ResponseCode"), status)) {
                case SUCCEEDED:
                    return payments.settlePaid(
                                    p,
                                    params.get("vnp_TransactionNo"),
                                    params.get("vnp_BankCode"),
                                    params.get("vnp_PayDate"),
                                    now)
                            ? IpnAnswer.CONFIRMED
                            : IpnAnswer.ALREADY;
                case FAILED:
                    return payments.markFailed(p.transactionId(), params.getOrDefault("vnp_ResponseCode", "99"), now)
                                    || PaymentRecord.REVIEW.equals(p.status())
                            ? IpnAnswer.CONFIRMED
                            : IpnAnswer.ALREADY;
                default:
                    // held, reversed, refunding or not completed: not final; the reconciler keeps asking querydr
                    payments.noteStatus(p.transactionId(), status, now);
                    LOG.info(
                            "IPN for {} with vnp_TransactionStatus {}: left {}", p.transactionId(), status, p.status());
                    return IpnAnswer.CONFIRMED;
            }
        } catch (RuntimeException e) {
            LOG.error("IPN failed unexpectedly: {}", e.getClass().getSimpleName());
            return IpnAnswer.UNKNOWN;
        }
    }

    /**
     * The browser's landing: checks the signature, never credits on its own word; when VNPAY says success and the
     * row is still PENDING (or EXPIRED: paid late), asks querydr and settles on the exactly-once path.
     */
    public Views.Returned returned(Map<String, String> params) {
        if (!vnpay.verify(params)) {
            throw ApiException.badRequest("INVALID_SIGNATURE", "the payment result is not signed by VNPAY");
        }
        String ref = params.get("vnp_TxnRef");
        PaymentRecord p = (ref == null ? null : payments.get(ref).orElse(null));
        if (p == null) {
            throw ApiException.notFound("transaction");
        }
        String status = p.status();
        if (PaymentRules.paid(params.get("vnp_ResponseCode"), params.get("vnp_TransactionStatus"))
                && (PaymentRecord.PENDING.equals(status) || PaymentRecord.EXPIRED.equals(status))) {
            status = reconciler.check(p);
        }
        return new Views.Returned(p.transactionId(), status, p.credits(), params.get("vnp_ResponseCode"));
    }

    public Page<Views.Transaction> list(String userId, int limit, String cursor) {
        return payments.page(userId, limit, cursor).map(Views.Transaction::of);
    }

    public Views.Transaction get(String userId, String transactionId) {
        return payments.get(transactionId)
                .filter(p -> p.userId().equals(userId))
                .map(Views.Transaction::of)
                .orElseThrow(() -> ApiException.notFound("transaction"));
    }
}
