package dev.suite.payment;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.suite.payment.provider.Vnpay;
import dev.suite.shared.Config;
import dev.suite.shared.Http;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.TimeZone;
import org.junit.jupiter.api.Test;

/**
 * Known answers computed outside the code under test, with
 * {@code printf '%s' "$DATA" | openssl dgst -sha512 -hmac "$SECRET"}, and kept as literals.
 */
class VnpaySignatureTest {
    static final String SECRET = "VNPAYTESTSECRETKEY0123456789ABCD";
    static final Vnpay VNPAY = new Vnpay(
            () -> "DEMOTMN1",
            () -> SECRET,
            "https://sandbox.vnpayment.vn/paymentv2/vpcpay.html",
            "http://127.0.0.1:1",
            Http.client(new Config(Map.of()), "VNPAY", 3_000, 8_000, 8_000));

    static Map<String, String> vectorA() {
        Map<String, String> f = new LinkedHashMap<>();
        f.put("vnp_Version", "2.1.0");
        f.put("vnp_Command", "pay");
        f.put("vnp_TmnCode", "DEMOTMN1");
        f.put("vnp_Amount", "10000000");
        f.put("vnp_CurrCode", "VND");
        f.put("vnp_TxnRef", "01HZXTESTTXNREF000000000");
        f.put("vnp_OrderInfo", "Mua goi 100 credits don 01HZX");
        f.put("vnp_OrderType", "other");
        f.put("vnp_Locale", "vn");
        f.put("vnp_ReturnUrl", "http://localhost:3000/payment/vnpay-return");
        f.put("vnp_IpAddr", "203.0.113.10");
        f.put("vnp_CreateDate", "20261123170000");
        f.put("vnp_ExpireDate", "20261123171500");
        f.put("vnp_BankCode", "");
        return f;
    }

    @Test
    void payUrlCanonicalStringAndHashMatchOpenssl() {
        assertEquals(
                "vnp_Amount=10000000&vnp_Command=pay&vnp_CreateDate=20261123170000&vnp_CurrCode=VND&vnp_ExpireDate=20261123171500"
                        + "&vnp_IpAddr=203.0.113.10&vnp_Locale=vn&vnp_OrderInfo=Mua+goi+100+credits+don+01HZX&vnp_OrderType=other"
                        + "&vnp_ReturnUrl=http%3A%2F%2Flocalhost%3A3000%2Fpayment%2Fvnpay-return&vnp_TmnCode=DEMOTMN1"
                        + "&vnp_TxnRef=01HZXTESTTXNREF000000000&vnp_Version=2.1.0",
                Vnpay.canonical(vectorA()));
        String hash =
                "cfd67fc7429438f8873f28545ec0bc6dde545fc4d3dbf1927f99c4f6e19120c8230f774102af0261e61db70a0677d785723d0e96f9a48e0b0d66a9f791cdd3cb";
        assertEquals(hash, VNPAY.sign(vectorA()));
        String url = VNPAY.payUrl(vectorA());
        assertTrue(url.startsWith("https://sandbox.vnpayment.vn/paymentv2/vpcpay.html?vnp_Amount=10000000&"));
        assertTrue(url.endsWith("&vnp_SecureHash=" + hash));
        assertFalse(url.contains("vnp_SecureHashType"));
        assertFalse(url.contains("vnp_BankCode"), "empty fields are left out");
    }

    @Test
    void querydrRequestHashMatchesOpenssl() {
        assertEquals(
                "a15ab982f60032f2b72f6d72d4714448fbfa14abd14cb1da5b98d1828f7eafbfd83b9f6f24e00d0b56234b641479190dd163d9ef321b848fdb74a829a9639a9c",
                Vnpay.hmacSha512(
                        SECRET,
                        "REQ0001|2.1.0|querydr|DEMOTMN1|01HZXTESTTXNREF000000000|20261123170000|20261123173000|127.0.0.1|Query 01HZXTESTTXNREF000000000"));
        assertEquals(
                "cf7440afa07c476a9803b9fa425d70886983f46466ceb35e53ba20c1f64b2fc3df3563f940fecae98059f168e44cc5ae18666ff542c81bc14940a9a506d669de",
                Vnpay.hmacSha512(
                        SECRET,
                        "RESP0001|querydr|00|QueryDR Success|DEMOTMN1|01HZXTESTTXNREF000000000|10000000|NCB|20261123170512|14226112|01|00|Mua goi 100 credits don 01HZX||"));
    }

    @Test
    void ipnVerificationAcceptsTheKnownSignatureAndRefusesTampering() {
        Map<String, String> p = new LinkedHashMap<>();
        p.put("vnp_Amount", "10000000");
        p.put("vnp_BankCode", "NCB");
        p.put("vnp_BankTranNo", "VNP14226112");
        p.put("vnp_CardType", "ATM");
        p.put("vnp_OrderInfo", "Mua goi 100 credits don 01HZX");
        p.put("vnp_PayDate", "20261123170512");
        p.put("vnp_ResponseCode", "00");
        p.put("vnp_TmnCode", "DEMOTMN1");
        p.put("vnp_TransactionNo", "14226112");
        p.put("vnp_TransactionStatus", "00");
        p.put("vnp_TxnRef", "01HZXTESTTXNREF000000000");
        p.put(
                "vnp_SecureHash",
                "eb0e420c15e1b0d49a22d6d950aceca3331da4f6b1de55f9ea90e64daeea076d6c4aee30f2336e5d0d4b84c07af68d32ab28a2520f5c4bacc5ab85f4756493f7");
        assertTrue(VNPAY.verify(p));
        p.put("vnp_SecureHashType", "HmacSHA512");
        assertTrue(VNPAY.verify(p), "the type field is not part of the hash");
        Map<String, String> amount = new LinkedHashMap<>(p);
        amount.put("vnp_Amount", "99900000");
        assertFalse(VNPAY.verify(amount));
        Map<String, String> dropped = new LinkedHashMap<>(p);
        dropped.remove("vnp_BankTranNo");
        assertFalse(VNPAY.verify(dropped));
        Map<String, String> none = new LinkedHashMap<>(p);
        none.remove("vnp_SecureHash");
        assertFalse(VNPAY.verify(none));
    }

    @Test
    void datesAreVietnamTimeWhateverTheJvmZone() {
        TimeZone saved = TimeZone.getDefault();
        try {
            for (String zone : new String[] {"UTC", "America/New_York", "Asia/Tokyo"}) {
                TimeZone.setDefault(TimeZone.getTimeZone(zone));
                assertEquals("20261123170000", Vnpay.date(Instant.parse("2026-11-23T10:00:00Z")), zone);
            }
        } finally {
            TimeZone.setDefault(saved);
        }
    }
}
