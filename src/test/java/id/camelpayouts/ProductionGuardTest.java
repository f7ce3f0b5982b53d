package id.camelpayouts;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.HashMap;
import java.util.Map;

import org.junit.jupiter.api.Test;

class ProductionGuardTest {

    @Test
    void theDevelopmentDefaultsAreEachRefused() {
        Map<String, String> dev = Map.of("payouts.api-key", "dev-api-key",
                "duitku.secret-key", ProductionGuard.DUITKU_SANDBOX_SECRET, "payouts.twin.enabled", "true",
                "duitku.base-url", "http://127.0.0.1:8089/webapi/api/disbursement",
                "durianpay.private-key", "classpath:twin/dev-keys/merchant-private.pem",
                "durianpay.client-secret", "dev-client-secret", "durianpay.base-url", "http://127.0.0.1:8090");
        assertThat(ProductionGuard.problems(dev::get)).containsExactly("PAYOUTS_API_KEY is the development key",
                "DUITKU_SECRET_KEY is the public sandbox key",
                "PAYOUTS_TWIN is on: payouts would go to the local twin",
                "DURIANPAY_PRIVATE_KEY is the twin's development key",
                "DURIANPAY_CLIENT_SECRET is the development secret",
                "DURIANPAY_BASE_URL must be an https:// URL",
                "DUITKU_BASE_URL must be an https:// URL");
    }

    @Test
    void aRealConfigurationPasses() {
        Map<String, String> prod = new HashMap<>(Map.of("payouts.api-key", "k-7f1e2d", "duitku.secret-key", "s3cr3t",
                "payouts.twin.enabled", "false", "duitku.base-url", "https://passport.duitku.com/webapi/api/disbursement",
                "durianpay.private-key", "/etc/payouts/durianpay-private.pem", "durianpay.client-secret", "cs-81",
                "durianpay.base-url", "https://api.durianpay.id"));
        assertThat(ProductionGuard.problems(prod::get)).isEmpty();
    }
}
