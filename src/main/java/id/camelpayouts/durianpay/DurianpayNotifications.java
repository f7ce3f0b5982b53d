package id.camelpayouts.durianpay;

import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.security.PublicKey;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.format.DateTimeParseException;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.regex.Pattern;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.apache.camel.Body;
import org.apache.camel.Header;
import org.apache.camel.Variable;

import id.camelpayouts.input.LogSafe;
import id.camelpayouts.input.StrictJson;
import id.camelpayouts.ledger.Payout;
import id.camelpayouts.payout.InstructionParser;

/**
 * Durianpay's transfer-bank.notify (statuses as in
 * https://docs.durianpay.id/docs/api/snap/disbursements/bank-transfer-inquiry-status/): verified with Durianpay's public key over
 * POST:path:lowerhex(SHA-256(raw body)):X-TIMESTAMP, the path as Durianpay called it (the path
 * received, behind {@code pathPrefix} when a proxy strips one). Read cheapest first: the size,
 * the headers (X-TIMESTAMP in the SNAP format and within {@code maxAge} of now, so a captured
 * notification cannot be replayed later; X-SIGNATURE present and Base64), strict JSON, every
 * field's type and bounds, and last the RSA verification, which also covers the timestamp.
 */
public class DurianpayNotifications {

    /** A notification is a few hundred bytes. */
    public static final int MAX_BODY = 16_384;
    /**
     * SNAP's X-TIMESTAMP: ISO-8601 to the second with an offset, as the document's
     * 2024-05-14T18:54:57+07:00; fractions of a second are accepted too (the signature covers
     * the header exactly as sent, so reading them changes nothing about what is trusted).
     */
    static final Pattern TIMESTAMP = Pattern.compile(
            "\\d{4}-\\d{2}-\\d{2}T\\d{2}:\\d{2}:\\d{2}(\\.\\d{1,9})?(Z|[+-]\\d{2}:\\d{2})");
    private static final Pattern BASE64 = Pattern.compile("[A-Za-z0-9+/=_-]{16,1024}");
    private static final Pattern MONEY = Pattern.compile("\\d{1,13}(\\.\\d{1,2})?");
    private static final Pattern STATUS = Pattern.compile("\\d{2}");
    private static final Pattern CURRENCY = Pattern.compile("[A-Z]{3}");
    private static final int MAX_TEXT = 255;
    private static final ObjectMapper JSON = new ObjectMapper();

    /** Why a notification is refused, as a SNAP answer: the HTTP status, responseCode and responseMessage. */
    public record Refusal(int status, String responseCode, String responseMessage) {
        /** The answer's body, written by a JSON writer. */
        public String body() {
            try {
                Map<String, String> answer = new LinkedHashMap<>();
                answer.put("responseCode", responseCode);
                answer.put("responseMessage", responseMessage);
                return JSON.writeValueAsString(answer);
            } catch (JsonProcessingException impossible) {
                throw new IllegalStateException(impossible);
            }
        }
    }

    /** A notification as received; {@code verified} only when the signature covers exactly these bytes. */
    public record Notification(Map<String, Object> fields, boolean verified, Refusal refusal) {
        public String reference() {
            return text(fields.get("originalPartnerReferenceNo"));
        }

        public String referenceNo() {
            return text(fields.get("originalReferenceNo"));
        }

        /** additionalInfo.latestTransactionStatus, else latestTransactionStatus where the status answer has it. */
        @SuppressWarnings("unchecked")
        public String status() {
            Object info = fields.get("additionalInfo");
            String status = info instanceof Map<?, ?> map
                    ? text(((Map<String, Object>) map).get("latestTransactionStatus")) : null;
            return status != null ? status : text(fields.get("latestTransactionStatus"));
        }

        /**
         * Durianpay's words about the status: failureReason, else transactionStatusDesc, each read in
         * additionalInfo (where transfer-bank.notify carries them) and at the top; a text beyond
         * {@value #MAX_TEXT} characters or with control characters is passed over, not trusted
         * into the history.
         */
        @SuppressWarnings("unchecked")
        public String description() {
            Map<String, Object> info = fields.get("additionalInfo") instanceof Map<?, ?> map
                    ? (Map<String, Object>) map : Map.of();
            for (Object words : new Object[] {info.get("failureReason"), fields.get("failureReason"),
                info.get("transactionStatusDesc"), fields.get("transactionStatusDesc")}) {
                if (words instanceof String text && !text.isBlank() && text.length() <= MAX_TEXT
                        && LogSafe.isClean(text)) {
                    return text;
                }
            }
            return null;
        }

        /** In the ledger's terms. */
        public Map<String, Object> asAnswer() {
            Map<String, Object> answer = new LinkedHashMap<>();
            answer.put("responseCode", status());
            answer.put("responseDesc", "00".equals(status()) ? "transfer done" : description());
            answer.put("providerReference", referenceNo()); // kept when the transfer's own answer was lost
            return answer;
        }

        private static String text(Object value) {
            return value == null ? null : value.toString();
        }
    }

    private final PublicKey durianpayKey;
    private final String pathPrefix;
    private final Clock clock;
    private final Duration maxAge;

    /**
     * @param maxAge how far X-TIMESTAMP may be from now, either way (durianpay.notification-max-age)
     */
    public DurianpayNotifications(PublicKey durianpayKey, String pathPrefix, Clock clock, Duration maxAge) {
        this.durianpayKey = durianpayKey;
        this.pathPrefix = pathPrefix == null ? "" : pathPrefix;
        this.clock = clock;
        this.maxAge = maxAge;
    }

    public Notification read(@Body byte[] body, @Header("CamelHttpPath") String path,
            @Header("X-TIMESTAMP") String timestamp, @Header("X-SIGNATURE") String signature) {
        return read(body, path, null, timestamp, signature);
    }

    /**
     * As above, for a receiver mounted at {@code mount} (its block's path, e.g. /callbacks/durianpay):
     * Durianpay appends its own path to the URL registered with it, and a signature over that
     * appended path (e.g. /v1.0/transfer-bank/notify) verifies as well as one over the whole path
     * received. Either way the body is hashed as received and, when it carries whitespace between
     * its tokens, also minified (SNAP's Minify), which is what Durianpay hashes.
     */
    public Notification read(byte[] body, String path, String mount, String timestamp, String signature) {
        if (body != null && body.length > MAX_BODY) {
            return refused(413, "4130000", "Request Entity Too Large: at most " + MAX_BODY + " bytes");
        }
        Refusal headers = headersProblem(timestamp, signature);
        if (headers != null) {
            return new Notification(Map.of(), false, headers);
        }
        StrictJson.Read json = StrictJson.object(body, MAX_BODY);
        if (!json.ok()) {
            return refused(400, "4000001", "Invalid Field Format body: " + json.problem());
        }
        String field = fieldProblem(json.fields());
        if (field != null) {
            return refused(400, "4000001", "Invalid Field Format " + field);
        }
        String rawBody = new String(body, StandardCharsets.UTF_8); // valid UTF-8: the bytes Durianpay signed
        boolean verified = verifies(rawBody, signedPaths(path, mount), timestamp, signature);
        return verified ? new Notification(json.fields(), true, null)
                : new Notification(json.fields(), false, new Refusal(401, "4010000", "Unauthorized. Signature"));
    }

    /**
     * Whether the signature covers the body (as received, or minified) on one of the paths: the
     * method, path, body hash and X-TIMESTAMP are all covered whichever way, so nothing of the
     * notification is taken on trust.
     */
    private boolean verifies(String rawBody, java.util.List<String> paths, String timestamp, String signature) {
        String minified = SnapSignature.minify(rawBody);
        for (String signedPath : paths) {
            if (SnapSignature.verify(durianpayKey, SnapSignature.notificationText("POST", signedPath, rawBody, timestamp),
                    signature) || !minified.equals(rawBody) && SnapSignature.verify(durianpayKey,
                            SnapSignature.notificationText("POST", signedPath, minified, timestamp), signature)) {
                return true;
            }
        }
        return false;
    }

    /**
     * The paths Durianpay may have signed: the one received (behind the proxy's prefix), and, when it
     * came below the receiver's mount, the part Durianpay appended to the URL registered with it.
     */
    private java.util.List<String> signedPaths(String path, String mount) {
        String received = pathPrefix + (path == null ? "" : path);
        if (path == null || mount == null || mount.isEmpty()) {
            return java.util.List.of(received);
        }
        String base = mount.endsWith("/") ? mount.substring(0, mount.length() - 1) : mount;
        if (path.length() > base.length() + 1 && path.startsWith(base + "/")) {
            return java.util.List.of(received, path.substring(base.length()));
        }
        return java.util.List.of(received);
    }

    private Refusal headersProblem(String timestamp, String signature) {
        if (timestamp == null || timestamp.isBlank()) {
            return new Refusal(400, "4000002", "Invalid Mandatory Field X-TIMESTAMP");
        }
        Instant signedAt = instant(timestamp);
        if (signedAt == null) {
            return new Refusal(400, "4000001", "Invalid Field Format X-TIMESTAMP (e.g. 2024-05-14T18:54:57+07:00)");
        }
        if (Duration.between(signedAt, clock.instant()).abs().compareTo(maxAge) > 0) {
            return new Refusal(401, "4010000", "Unauthorized. X-TIMESTAMP is not within " + maxAge.toMinutes()
                    + " minutes of now");
        }
        if (signature == null || !BASE64.matcher(signature.trim()).matches()) {
            return new Refusal(401, "4010000", "Unauthorized. Signature");
        }
        return null;
    }

    /** The SNAP timestamp, or null when it is not one (its length is bounded by the pattern before parsing). */
    static Instant instant(String timestamp) {
        if (timestamp.length() > 35 || !TIMESTAMP.matcher(timestamp).matches()) {
            return null;
        }
        try {
            return OffsetDateTime.parse(timestamp).toInstant();
        } catch (DateTimeParseException e) {
            return null;
        }
    }

    /** The first field outside its bounds, named; null when every field is as Durianpay sends it. */
    @SuppressWarnings("unchecked")
    private static String fieldProblem(Map<String, Object> fields) {
        if (!InstructionParser.isReference(fields.get("originalPartnerReferenceNo"))) {
            return "originalPartnerReferenceNo";
        }
        if (fields.get("originalReferenceNo") != null && !InstructionParser.isReference(fields.get("originalReferenceNo"))) {
            return "originalReferenceNo";
        }
        Object amount = fields.get("amount");
        if (amount != null && !(amount instanceof Map<?, ?> money && matches(money.get("value"), MONEY)
                && (money.get("currency") == null || matches(money.get("currency"), CURRENCY)))) {
            return "amount";
        }
        Object info = fields.get("additionalInfo");
        if (info != null && !(info instanceof Map<?, ?>)) {
            return "additionalInfo";
        }
        Object status = info == null ? null : ((Map<String, Object>) info).get("latestTransactionStatus");
        if (status != null && !matches(status, STATUS)) {
            return "latestTransactionStatus";
        }
        Object topStatus = fields.get("latestTransactionStatus");
        if (topStatus != null && !matches(topStatus, STATUS)) {
            return "latestTransactionStatus";
        }
        Object reason = fields.get("failureReason");
        if (reason != null && !(reason instanceof String || reason instanceof Map<?, ?>)
                || reason != null && (reason.toString().length() > MAX_TEXT || !LogSafe.isClean(reason.toString()))) {
            return "failureReason";
        }
        return null;
    }

    private static boolean matches(Object value, Pattern pattern) {
        return value instanceof String text && pattern.matcher(text).matches();
    }

    private static Notification refused(int status, String responseCode, String message) {
        return new Notification(Map.of(), false, new Refusal(status, responseCode, message));
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

    /**
     * Why a verified notification that is about this PENDING payout's transfer (its provider, sent,
     * the same account and referenceNo) cannot act on it, or null: it names another amount. Durianpay's
     * signed word and the ledger then disagree about what was sent; the notification settles nothing,
     * and the payout is flagged for a person to check (routes/engine/apply-durianpay-notification.camel.yaml).
     */
    @SuppressWarnings("unchecked")
    public String amountDisagreement(Notification notification, Payout payout) {
        if (payout == null || !Payout.PENDING.equals(payout.getStatus()) || !"durianpay".equals(payout.getProvider())
                || payout.getTransferSentAt() == null || payout.getStage() != Payout.Stage.TRANSFER_SENT
                || sameAmount(notification, payout)) {
            return null;
        }
        Object account = notification.fields().get("beneficiaryAccountNo");
        if (account != null && !account.toString().equals(payout.getInstruction().accountNumber())
                || payout.getProviderReference() != null && !payout.getProviderReference().equals(notification.referenceNo())) {
            return null; // another transfer's: not about this one
        }
        Object amount = notification.fields().get("amount");
        Object value = amount instanceof Map<?, ?> money ? ((Map<String, Object>) money).get("value") : null;
        if (value == null) {
            return null; // it names no amount: nothing to disagree with
        }
        return "Durianpay's signed notification (latestTransactionStatus " + notification.status() + ") names amount "
                + value + " for this transfer, the payout is " + payout.getInstruction().amount()
                + " IDR: nothing settled on it; a person must check this transfer with Durianpay";
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
