package id.camelpayouts;

import java.util.ArrayList;
import java.util.List;
import java.util.function.Function;

/**
 * With {@code payouts.profile=prod} (PAYOUTS_PROFILE) the gateway refuses to start on anything
 * that only makes sense on a developer's machine: dev keys, the twin, plain-HTTP providers.
 */
final class ProductionGuard {

    static final String DEV_API_KEY = "dev-api-key";
    static final String DUITKU_SANDBOX_SECRET = "de56f832487bc1ce1de5ff2cfacf8d9486c61da69df6fd61d5537b6b7d6d354d";

    private ProductionGuard() {
    }

    /** Every reason the configuration is unfit for production; empty when it is fit. */
    static List<String> problems(Function<String, String> property) {
        List<String> problems = new ArrayList<>();
        if (DEV_API_KEY.equals(property.apply("payouts.api-key"))) {
            problems.add("PAYOUTS_API_KEY is the development key");
        }
        if (DUITKU_SANDBOX_SECRET.equals(property.apply("duitku.secret-key"))) {
            problems.add("DUITKU_SECRET_KEY is the public sandbox key");
        }
        if (Boolean.parseBoolean(property.apply("payouts.twin.enabled"))) {
            problems.add("PAYOUTS_TWIN is on: payouts would go to the local twin");
        }
        String key = property.apply("durianpay.private-key");
        if (key == null || key.contains("dev-keys")) {
            problems.add("DURIANPAY_PRIVATE_KEY is the twin's development key");
        }
        if ("dev-client-secret".equals(property.apply("durianpay.client-secret"))) {
            problems.add("DURIANPAY_CLIENT_SECRET is the development secret");
        }
        String durianpayUrl = property.apply("durianpay.base-url");
        if (durianpayUrl == null || !durianpayUrl.startsWith("https://")) {
            problems.add("DURIANPAY_BASE_URL must be an https:// URL");
        }
        String duitkuUrl = property.apply("duitku.base-url");
        if (duitkuUrl == null || !duitkuUrl.startsWith("https://")) {
            problems.add("DUITKU_BASE_URL must be an https:// URL");
        }
        return problems;
    }
}
