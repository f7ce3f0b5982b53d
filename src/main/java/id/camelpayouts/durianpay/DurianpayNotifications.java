package id.camelpayouts.durianpay;

import java.math.BigDecimal;
import java.security.PublicKey;
import java.util.LinkedHashMap;
import java.util.Map;

import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.apache.camel.Header;
import org.apache.camel.Variable;

import id.camelpayouts.ledger.Payout;

/**
 * Durianpay's transfer-bank.notify: verified with Durianpay's public key over
 * POST:path:lowerhex(SHA-256(raw body)):X-TIMESTAMP, the path as Durianpay called it (the path
 * received, behind {@code pathPrefix} when a proxy strips one).
 */
public class DurianpayNotifications {

    private static final ObjectMapper JSON = new ObjectMapper();

    /** A notification as received; {@code verified} only when the signature covers exactly these bytes. */
    public record Notification(Map<String, Object> fields, boolean verified) {
        public String reference() {
            return text(fields.get("originalPartnerReferenceNo"));
        }

        public String referenceNo() {
            return text(fields.get("originalReferenceNo"));
        }

        @SuppressWarnings("unchecked")
        public String status() {
            Object info = fields.get("additionalInfo");
            return info instanceof Map<?, ?> map ? text(((Map<String, Object>) map).get("latestTransactionStatus"))
                    : null;
        }

        /** In the ledger's terms. */
        public Map<String, Object> asAnswer() {
            Map<String, Object> answer = new LinkedHashMap<>();
            answer.put("responseCode", status());
            answer.put("responseDesc", "00".equals(status()) ? "transfer done" : text(fields.get("failureReason")));
            answer.put("providerReference", referenceNo()); // kept when the transfer's own answer was lost
            return answer;
        }

        private static String text(Object value) {
            return value == null ? null : value.toString();
        }
    }

    private final PublicKey durianpayKey;
    private final String pathPrefix;

    public DurianpayNotifications(PublicKey durianpayKey, String pathPrefix) {
        this.durianpayKey = durianpayKey;
        this.pathPrefix = pathPrefix == null ? "" : pathPrefix;
    }

    public Notification read(String rawBody, @Header("CamelHttpPath") String path,
            @Header("X-TIMESTAMP") String timestamp, @Header("X-SIGNATURE") String signature) {
        Map<String, Object> fields;
        try {
            fields = JSON.readValue(rawBody, new TypeReference<Map<String, Object>>() {
            });
        } catch (Exception notJson) {
            fields = new LinkedHashMap<>();
        }
        boolean verified = timestamp != null && fields != null && !fields.isEmpty()
                && SnapSignature.verify(durianpayKey, SnapSignature.notificationText("POST", pathPrefix + path,
                        rawBody, timestamp), signature);
        return new Notification(fields == null ? new LinkedHashMap<>() : fields, verified);
    }

    /**
     * Whether the notification may act on this payout: a Durianpay payout (never another
     * provider's) whose transfer was sent (never one still at inquiry: nothing can have moved),
     * for the same amount, the same account when the notification names one
     * (beneficiaryAccountNo), and the same referenceNo once Durianpay gave one. False when there
     * is no such payout.
     */
    public boolean describes(@Variable("notification") Notification notification, @Variable("payout") Payout payout) {
        if (payout == null || !"durianpay".equals(payout.getProvider()) || payout.getTransferSentAt() == null
                || payout.getStage() == Payout.Stage.NEW || payout.getStage() == Payout.Stage.INQUIRED) {
            return false;
        }
        Object account = notification.fields().get("beneficiaryAccountNo");
        return sameAmount(notification, payout)
                && (account == null || account.toString().equals(payout.getInstruction().accountNumber()))
                && (payout.getProviderReference() == null
                        || payout.getProviderReference().equals(notification.referenceNo()));
    }

    @SuppressWarnings("unchecked")
    private static boolean sameAmount(Notification notification, Payout payout) {
        Object amount = notification.fields().get("amount");
        Object value = amount instanceof Map<?, ?> money ? ((Map<String, Object>) money).get("value") : null;
        try {
            return value != null && value.toString().length() <= 24 && new BigDecimal(value.toString())
                    .compareTo(BigDecimal.valueOf(payout.getInstruction().amount())) == 0;
        } catch (NumberFormatException e) {
            return false;
        }
    }
}
