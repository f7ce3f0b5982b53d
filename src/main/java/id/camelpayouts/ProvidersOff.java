package id.camelpayouts;

import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;

import org.apache.camel.Body;
import org.apache.camel.Exchange;
import org.apache.camel.Header;
import org.apache.camel.Variable;

import id.camelpayouts.duitku.DuitkuCallbacks;
import id.camelpayouts.duitku.DuitkuRequests;
import id.camelpayouts.duitku.DuitkuSignature;
import id.camelpayouts.durianpay.DurianpayClient;
import id.camelpayouts.durianpay.DurianpayNotifications;
import id.camelpayouts.ledger.Payout;

/**
 * What is bound under a provider's bean names when it is not configured, so that the routes that
 * name its beans still load (Camel checks a bean and its method when a route is created). Nothing
 * reaches its requests: an instruction naming it is REJECTED at intake and the routing settings
 * may not choose it (both checked); were a call made anyway, it fails with the reason. A callback
 * or notification for it is answered 404: no payout here was paid through it.
 */
final class ProvidersOff {

    private ProvidersOff() {
    }

    private static IllegalStateException off(String provider) {
        return new IllegalStateException(provider + " is not configured here (set " + String.join(", ",
                Providers.CREDENTIALS.get(provider).stream().map(Settings::environmentVariable).toList()) + ")");
    }

    static final class Duitku extends DuitkuRequests {
        Duitku(Clock clock) {
            super(new DuitkuSignature("", ""), 0, "", true, clock);
        }

        @Override
        public String url(String operation, @Variable("payout") Payout payout) {
            throw off(Providers.DUITKU);
        }

        @Override
        public Map<String, Object> inquiry(@Variable("payout") Payout payout) {
            throw off(Providers.DUITKU);
        }

        @Override
        public Map<String, Object> transfer(@Variable("payout") Payout payout) {
            throw off(Providers.DUITKU);
        }

        @Override
        public Map<String, Object> cashOut(@Variable("payout") Payout payout) {
            throw off(Providers.DUITKU);
        }

        @Override
        public Map<String, Object> inquiryStatus(@Variable("payout") Payout payout) {
            throw off(Providers.DUITKU);
        }

        @Override
        public Map<String, Object> merchantRequest() {
            throw off(Providers.DUITKU);
        }
    }

    static final class DuitkuReceiver extends DuitkuCallbacks {
        private static final Callback REFUSED = new Callback(Map.of(), List.of(), false,
                new Refusal(404, "Duitku is not configured here"));

        DuitkuReceiver() {
            super(new DuitkuSignature("", ""), 0);
        }

        @Override
        public Callback clearing(byte[] body) {
            return REFUSED;
        }

        @Override
        public Callback cashOut(byte[] body) {
            return REFUSED;
        }
    }

    static final class Durianpay extends DurianpayClient {
        Durianpay(Clock clock) {
            super("", "", "", null, "", clock);
        }

        @Override
        public boolean needsToken() {
            throw off(Providers.DURIANPAY);
        }

        @Override
        public boolean mustMint(Exchange exchange) {
            throw off(Providers.DURIANPAY);
        }

        @Override
        public void prepareTokenRequest(Exchange exchange) {
            throw off(Providers.DURIANPAY);
        }

        @Override
        public void sign(Exchange exchange) {
            throw off(Providers.DURIANPAY);
        }

        @Override
        public Map<String, Object> accountInquiry(@Variable("payout") Payout payout) {
            throw off(Providers.DURIANPAY);
        }

        @Override
        public Map<String, Object> transfer(@Variable("payout") Payout payout) {
            throw off(Providers.DURIANPAY);
        }

        @Override
        public Map<String, Object> status(@Variable("payout") Payout payout) {
            throw off(Providers.DURIANPAY);
        }

        @Override
        public Map<String, Object> balance() {
            throw off(Providers.DURIANPAY);
        }
    }

    static final class DurianpayReceiver extends DurianpayNotifications {
        private static final Notification REFUSED = new Notification(Map.of(), false,
                new Refusal(404, "4040000", "Durianpay is not configured here"));

        DurianpayReceiver(Clock clock) {
            super(null, "", clock, Duration.ZERO);
        }

        @Override
        public Notification read(@Body byte[] body, @Header("CamelHttpPath") String path,
                @Header("X-TIMESTAMP") String timestamp, @Header("X-SIGNATURE") String signature) {
            return REFUSED;
        }

        @Override
        public Notification read(byte[] body, String path, String mount, String timestamp, String signature) {
            return REFUSED;
        }
    }
}
