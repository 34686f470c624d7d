package dev.suite.payment.domain;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/** A credit package sold through VNPAY. CREDIT_PACKAGES configures them as {@code id:credits:amountVnd,...}. */
public record CreditPackage(String id, long credits, long amountVnd) {
    public static final String DEFAULT = "starter:10:20000,standard:50:90000,pro:120:200000";

    public static List<CreditPackage> parse(String spec) {
        List<CreditPackage> out = new ArrayList<>();
        for (String part : spec.split(",")) {
            String[] f = part.trim().split(":");
            if (f.length != 3) {
                throw new IllegalStateException("CREDIT_PACKAGES entries are id:credits:amountVnd, got " + part);
            }
            CreditPackage p = new CreditPackage(f[0].trim(), Long.parseLong(f[1].trim()), Long.parseLong(f[2].trim()));
            if (p.credits() <= 0 || p.amountVnd() < 5_000 || p.amountVnd() >= 1_000_000_000) {
                throw new IllegalStateException("package " + p.id() + ": credits > 0 and 5,000 <= VND < 1,000,000,000");
            }
            out.add(p);
        }
        return List.copyOf(out);
    }

    public static Optional<CreditPackage> find(List<CreditPackage> packages, String id) {
        return packages.stream().filter(p -> p.id().equals(id)).findFirst();
    }
}
