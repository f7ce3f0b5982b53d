package id.camelpayouts.durianpay;

import java.security.PrivateKey;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.apache.camel.Exchange;
import org.apache.camel.Message;
import org.apache.camel.Variable;

import id.camelpayouts.ledger.Payout;
import id.camelpayouts.ledger.PayoutLedger;
import id.camelpayouts.payout.PayoutInstruction;
import id.camelpayouts.payout.ProviderAnswer;

/**
 * Durianpay SNAP mechanics (https://docs.durianpay.id/docs/api/snap/disbursements/bank-transfer-inquiry-status/,
 * https://docs.durianpay.id/reference/response-code-handling) for routes/engine/durianpay-*.camel.yaml
 * and apply-durianpay-notification.camel.yaml: the access token (cached, refreshed
 * before it expires, dropped on 401xx01 and 401xx03), the signed headers of every request (fresh
 * X-TIMESTAMP and X-EXTERNAL-ID each time, HMAC over exactly the body sent), request bodies, and
 * the code an answer is looked up by in the response-code table.
 */
public class DurianpayClient {

    /**
     * SNAP's timestamp as Durianpay documents it, to the second with the offset
     * ({@code 2024-05-14T18:54:57+07:00}, 25 characters): X-TIMESTAMP, the token's and transactionDate.
     */
    static final DateTimeFormatter TIMESTAMP = DateTimeFormatter.ofPattern("yyyy-MM-dd'T'HH:mm:ssXXX");
    private static final ZoneOffset WIB = ZoneOffset.ofHours(7);
    static final String TRANSFER_PATH = "/v1.0/transfer-interbank";
    private static final Duration DEFAULT_LIFETIME = Duration.ofSeconds(900);
    /** An expiresIn from here on is a time (2001-09-09 in epoch seconds), not a token's life in seconds. */
    private static final long EPOCH_SECONDS = 1_000_000_000L;
    private static final ObjectMapper JSON = new ObjectMapper();

    private final String clientKey;
    private final String clientSecret;
    private final String merchantId;
    private final PrivateKey privateKey;
    private final String grantType;
    private final Clock clock;
    private final AtomicLong externalIds;
    /**
     * Six random digits after each X-EXTERNAL-ID: instances sharing the client key whose counters
     * (started from their start's millisecond) meet still send different ones.
     */
    private final String instanceDigits = String.format("%06d", new java.security.SecureRandom().nextInt(1_000_000));
    private volatile String token;
    /** Counts the tokens minted, so that a call refused with an old token does not drop a newer one. */
    private long tokenGeneration;
    private volatile Instant refreshAt = Instant.MIN;
    /** Past this the token is no longer used while another call mints (a little before its stated expiry). */
    private Instant expiresAt = Instant.MIN;
    /** How long a call waits for the token another call is minting. */
    static final Duration MINT_WAIT = Duration.ofSeconds(45);
    /** The variable that marks the call minting the token, with its turn. */
    public static final String MINT_TICKET = "durianpayMintTicket";
    /** Whether a call is minting the token (guarded by this), and the turns given. */
    private boolean minting;
    private long mintTicket;

    public DurianpayClient(String clientKey, String clientSecret, String merchantId, PrivateKey privateKey,
            String grantType, Clock clock) {
        this.clientKey = clientKey;
        this.clientSecret = clientSecret;
        this.merchantId = merchantId;
        this.privateKey = privateKey;
        this.grantType = grantType;
        this.clock = clock;
        this.externalIds = new AtomicLong(clock.millis() * 1000);
    }

    // ---- access token ------------------------------------------------------------------------

    public boolean needsToken() {
        return token == null || !clock.instant().isBefore(refreshAt);
    }

    /**
     * Whether this call is to mint the access token before it is signed: one call at a time mints,
     * the others meanwhile use the token while it is still valid (past its refresh point, before its
     * expiry) or wait for the new one ({@link #MINT_WAIT} at most, then mint themselves). A
     * Durianpay that keeps one token per client would otherwise refuse the calls signed with every
     * token but the last of those minted side by side (after a start, or a refused token). The call
     * that mints holds the variable {@value #MINT_TICKET} until its token is stored, or
     * {@link #mintFailed} hands the turn on.
     */
    public boolean mustMint(Exchange exchange) throws InterruptedException {
        exchange.removeVariable(MINT_TICKET);
        long deadline = System.nanoTime() + MINT_WAIT.toNanos();
        synchronized (this) {
            while (needsToken()) {
                if (!minting) {
                    minting = true;
                    exchange.setVariable(MINT_TICKET, ++mintTicket);
                    return true;
                }
                if (token != null && clock.instant().isBefore(expiresAt)) {
                    return false; // another call is minting; this one is still valid
                }
                long left = deadline - System.nanoTime();
                if (left <= 0) {
                    exchange.setVariable(MINT_TICKET, ++mintTicket);
                    return true; // the call minting is stuck: mint beside it
                }
                wait(Math.max(1, left / 1_000_000));
            }
            return false;
        }
    }

    /** The mint of this call (its {@value #MINT_TICKET}) ended without a token: a waiting call mints. */
    public synchronized void mintFailed(Exchange exchange) {
        Long ticket = exchange.getVariable(MINT_TICKET, Long.class);
        exchange.removeVariable(MINT_TICKET);
        if (ticket != null && minting && ticket == mintTicket) {
            minting = false;
            notifyAll();
        }
    }

    /** The access-token request: RSA signature over clientKey|timestamp. */
    public void prepareTokenRequest(Exchange exchange) {
        String timestamp = now();
        Message message = exchange.getMessage();
        message.removeHeaders("*");
        message.setHeader(Exchange.CONTENT_TYPE, "application/json");
        message.setHeader("X-CLIENT-KEY", clientKey);
        message.setHeader("X-TIMESTAMP", timestamp);
        message.setHeader("X-SIGNATURE", SnapSignature.accessToken(privateKey, clientKey, timestamp));
        message.setBody("{\"grantType\":\"" + grantType + "\"}");
    }

    /**
     * Keeps the token. {@code expiresIn} is read defensively: seconds (number or text), or an
     * absolute time (ISO-8601 with or without an offset, WIB when without, or epoch seconds or
     * milliseconds); anything else counts as 900 s. It is refreshed after 80% of its life.
     */
    public synchronized void storeToken(@Variable("answer") Map<String, Object> answer) {
        minting = false; // with a token or without, the mint is over: the calls waiting for it go on
        notifyAll();
        Object accessToken = answer.get("accessToken");
        if (accessToken == null) {
            throw new IllegalStateException("Durianpay gave no access token: " + answer.get("responseCode") + " "
                    + answer.get("responseMessage"));
        }
        Duration lifetime = lifetime(answer.get("expiresIn"));
        token = accessToken.toString();
        tokenGeneration++;
        Instant now = clock.instant();
        refreshAt = now.plus(lifetime.multipliedBy(8).dividedBy(10));
        expiresAt = now.plus(lifetime.multipliedBy(95).dividedBy(100));
    }

    /**
     * Drops the token a call was refused with ({@code durianpayTokenGeneration}, set by
     * {@link #sign}): only when no newer one was minted meanwhile by another call refused alike.
     */
    public synchronized void invalidateToken(@Variable("durianpayTokenGeneration") Long refused) {
        if (refused == null || refused == tokenGeneration) {
            token = null;
            expiresAt = Instant.MIN;
        }
    }

    Duration lifetime(Object expiresIn) {
        if (expiresIn == null) {
            return DEFAULT_LIFETIME;
        }
        String text = expiresIn.toString().trim();
        try {
            long seconds = Long.parseLong(text.contains(".") ? text.substring(0, text.indexOf('.')) : text);
            if (seconds >= EPOCH_SECONDS) { // an absolute time, in epoch seconds or milliseconds
                Instant at = seconds >= EPOCH_SECONDS * 1000 ? Instant.ofEpochMilli(seconds) : Instant.ofEpochSecond(seconds);
                Duration until = Duration.between(clock.instant(), at);
                return until.isNegative() || until.isZero() ? DEFAULT_LIFETIME : until;
            }
            return seconds > 0 ? Duration.ofSeconds(seconds) : DEFAULT_LIFETIME;
        } catch (NumberFormatException notSeconds) {
            Instant at = time(text);
            Duration until = at == null ? null : Duration.between(clock.instant(), at);
            return until == null || until.isNegative() || until.isZero() ? DEFAULT_LIFETIME : until;
        }
    }

    /** An ISO-8601 time with its offset, or without one (then in WIB, Durianpay's zone; a space for the T too); else null. */
    private static Instant time(String text) {
        if (text.length() > 40) {
            return null;
        }
        try {
            return OffsetDateTime.parse(text).toInstant();
        } catch (RuntimeException withoutOffset) {
            try {
                return java.time.LocalDateTime.parse(text.replace(' ', 'T')).atOffset(WIB).toInstant();
            } catch (RuntimeException notATime) {
                return null;
            }
        }
    }

    // ---- requests ------------------------------------------------------------------------------

    /**
     * Signs the request in the {@code durianpayBody} variable for {@code durianpayPath}: the body
     * becomes the exact minified JSON that is hashed, and the SNAP headers are set afresh.
     */
    public void sign(Exchange exchange) throws JsonProcessingException {
        String path = exchange.getVariable("durianpayPath", String.class);
        String body = JSON.writeValueAsString(exchange.getVariable("durianpayBody"));
        String timestamp = now();
        String bearer;
        synchronized (this) {
            bearer = token;
            exchange.setVariable("durianpayTokenGeneration", tokenGeneration);
        }
        Message message = exchange.getMessage();
        message.removeHeaders("*");
        message.setHeader(Exchange.CONTENT_TYPE, "application/json");
        message.setHeader("Authorization", "Bearer " + bearer);
        message.setHeader("X-TIMESTAMP", timestamp);
        message.setHeader("X-PARTNER-ID", clientKey);
        message.setHeader("X-EXTERNAL-ID", externalIds.incrementAndGet() + instanceDigits);
        message.setHeader("CHANNEL-ID", "95221");
        message.setHeader("X-SIGNATURE", SnapSignature.request(clientSecret, "POST", path, bearer, body, timestamp));
        message.setBody(body);
    }

    public Map<String, Object> accountInquiry(@Variable("payout") Payout payout) {
        PayoutInstruction order = payout.getInstruction();
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("beneficiaryBankCode", order.bankCode());
        body.put("beneficiaryAccountNo", order.accountNumber());
        return body;
    }

    /** The interbank transfer; our reference is the partnerReferenceNo, so a retry is recognised. */
    public Map<String, Object> transfer(@Variable("payout") Payout payout) {
        PayoutInstruction order = payout.getInstruction();
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("partnerReferenceNo", payout.getReference());
        body.put("amount", money(order.amount()));
        body.put("beneficiaryAccountName", payout.getAccountName());
        body.put("beneficiaryAccountNo", order.accountNumber());
        body.put("beneficiaryBankCode", order.bankCode());
        body.put("sourceAccountNo", merchantId);
        body.put("transactionDate", now());
        // No purpose: Durianpay's transfer documents no field for one (its additionalInfo takes
        // senderInformation, deviceId and channel), and a strict Durianpay refuses an undocumented
        // key. The purpose stays in the ledger.
        return body;
    }

    /**
     * The status inquiry, by our reference (the partnerReferenceNo) and, once Durianpay gave it for
     * the transfer, its referenceNo. Without that referenceNo (the transfer's answer was lost) the
     * transfer is asked for by our reference alone: a wrong originalReferenceNo would make Durianpay
     * answer "not found" for a transfer it has. A verified failure notification gives that
     * referenceNo in Durianpay's signed words; the ledger keeps it for this inquiry
     * (PayoutLedger.recordFailureClaim).
     */
    public Map<String, Object> status(@Variable("payout") Payout payout) {
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("originalPartnerReferenceNo", payout.getReference());
        String referenceNo = payout.getProviderReference();
        if (referenceNo != null) {
            body.put("originalReferenceNo", referenceNo);
        }
        body.put("serviceCode", "18");
        // as Durianpay's example sends it: the device and channel the request comes from
        Map<String, Object> source = new LinkedHashMap<>();
        source.put("deviceId", "camel-payouts");
        source.put("channel", "server");
        body.put("additionalInfo", source);
        return body;
    }

    public Map<String, Object> balance() {
        return new LinkedHashMap<>(Map.of("accountNo", merchantId));
    }

    /**
     * The answer to a call to {@code path} in the ledger's terms as well: responseDesc, accountName
     * (inquiry) and providerReference. Only the transfer's referenceNo is the transfer's reference
     * (what a status inquiry and the notification name it by); the account inquiry's referenceNo
     * is the inquiry's own, and is not kept.
     */
    public static Map<String, Object> normalize(Map<String, Object> answer, String path) {
        Map<String, Object> normalized = new LinkedHashMap<>(answer);
        normalized.putIfAbsent("responseDesc", answer.get("responseMessage"));
        if (answer.containsKey("beneficiaryAccountName")) {
            normalized.put("accountName", answer.get("beneficiaryAccountName"));
        }
        if (TRANSFER_PATH.equals(path) && answer.get("referenceNo") != null) {
            normalized.put("providerReference", answer.get("referenceNo"));
        }
        return normalized;
    }

    /**
     * What an answer is looked up by in the response-code table: its SNAP responseCode; for an
     * answer without one, its HTTP status ({@code HTTP 404}: Durianpay's status document shows a
     * bare 404); null when no answer came at all (unknown). A SNAP code begins with the HTTP status
     * it is answered with: one whose first digit contradicts the HTTP status (a 5xx carrying a
     * refusal's or a success's code, a 2xx carrying an error's) is looked up as
     * {@code HTTP <status> <code>}, which no table lists: unknown, so it neither fails nor settles
     * a payout nor re-mints the token and sends the request again.
     */
    public static String code(Map<String, Object> answer, Integer httpStatus) {
        return code(answer, httpStatus, null);
    }

    /**
     * As above, knowing the body as received: an answer whose body is neither empty nor a JSON
     * object (a proxy's or load balancer's HTML error page) is not Durianpay's, so it is looked up
     * as {@code HTTP <status> not JSON}, which no table lists: unknown. A proxy's 404 page is no
     * evidence that Durianpay has no record of a transfer.
     */
    public static String code(Map<String, Object> answer, Integer httpStatus, String body) {
        if (notJson(answer, body) && httpStatus != null && httpStatus > 0) {
            return "HTTP " + httpStatus + " not JSON";
        }
        Object code = answer == null ? null : answer.get("responseCode");
        if (code != null) {
            String text = code.toString();
            if (httpStatus != null && httpStatus >= 100 && !text.startsWith(String.valueOf(httpStatus / 100))) {
                return "HTTP " + httpStatus + " " + text;
            }
            return text;
        }
        return httpStatus == null || httpStatus <= 0 ? null : "HTTP " + httpStatus;
    }

    /**
     * Whether a status answer describes this payout's transfer: a 2003600 with a
     * latestTransactionStatus, about our reference (originalPartnerReferenceNo) and, when both it and
     * the payout name Durianpay's referenceNo, the same one.
     */
    public static boolean describes(String code, Map<String, Object> answer, Payout payout) {
        if (!"2003600".equals(code) || answer == null || answer.get("latestTransactionStatus") == null
                || !payout.getReference().equals(String.valueOf(answer.get("originalPartnerReferenceNo")))) {
            return false;
        }
        Object referenceNo = answer.get("originalReferenceNo");
        return referenceNo == null || payout.getProviderReference() == null
                || payout.getProviderReference().equals(referenceNo.toString());
    }

    /**
     * A body with something in it that {@link SnapAnswerText#read} could not read as a JSON object
     * (read again only when the answer read from it carries no responseCode: a SNAP answer is not
     * parsed a second time).
     */
    private static boolean notJson(Map<String, Object> answer, String body) {
        return (answer == null || answer.get("responseCode") == null) && body != null && !body.isBlank()
                && SnapAnswerText.read(body).isEmpty()
                && !body.strip().replace("\uFEFF", "").matches("\\{\\s*}");
    }

    /**
     * A status answer that describes the transfer ({@link #describes}) in the ledger's terms, as a
     * notification's are: its latestTransactionStatus as responseCode and its transactionStatusDesc
     * (the status document's words for it) as responseDesc, so that the outcome names what Durianpay
     * says of the transfer, not the status call's own 2003600 "Successful".
     */
    public static Map<String, Object> transactionAnswer(Map<String, Object> answer) {
        Map<String, Object> transaction = new LinkedHashMap<>(answer);
        Object status = answer.get("latestTransactionStatus");
        Object desc = answer.get("transactionStatusDesc");
        transaction.put("responseCode", status);
        transaction.put("responseDesc", desc == null || desc.toString().isBlank()
                ? "latestTransactionStatus " + status : desc.toString());
        return transaction;
    }

    /**
     * Why a status answer about this payout's transfer cannot be taken as its outcome, or null: it
     * names another amount (amount.value) or currency than the ledger's. Durianpay and the ledger
     * then disagree about what was sent, which a person must look at; nothing is settled on it.
     */
    @SuppressWarnings("unchecked")
    public static String amountDisagreement(String code, Map<String, Object> answer, Payout payout) {
        if (!describes(code, answer, payout) || !(answer.get("amount") instanceof Map<?, ?> amount)) {
            return null;
        }
        Object value = ((Map<String, Object>) amount).get("value");
        Object currency = ((Map<String, Object>) amount).get("currency");
        boolean same;
        try {
            same = value == null || value.toString().length() <= 24 && new java.math.BigDecimal(value.toString())
                    .compareTo(java.math.BigDecimal.valueOf(payout.getInstruction().amount())) == 0;
        } catch (NumberFormatException e) {
            same = false;
        }
        if (same && (currency == null || "IDR".equals(currency))) {
            return null;
        }
        String named = String.valueOf(value) + (currency == null ? "" : " " + currency);
        return "Durianpay's status answer names " + (named.length() > 40 ? named.substring(0, 40) + "..." : named)
                + " for this transfer (latestTransactionStatus " + answer.get("latestTransactionStatus")
                + "), the payout is " + payout.getInstruction().amount() + " IDR: nothing settled on it; a person"
                + " must check this transfer with Durianpay";
    }

    /** A short description of an answer for reasons, naming a bare HTTP answer as such. */
    public static String summary(Map<String, Object> answer, Integer httpStatus, String error) {
        return summary(answer, httpStatus, error, null);
    }

    /** As above, naming an answer whose body is not JSON (an HTML error page) as such. */
    public static String summary(Map<String, Object> answer, Integer httpStatus, String error, String body) {
        if (notJson(answer, body) && httpStatus != null && httpStatus > 0) {
            return "HTTP " + httpStatus + " with a body that is not JSON (not Durianpay's answer)";
        }
        if ((answer == null || answer.get("responseCode") == null) && httpStatus != null && httpStatus > 0) {
            return "HTTP " + httpStatus + " without a SNAP response code";
        }
        return ProviderAnswer.summary(answer, httpStatus, error);
    }

    /** How a failure notification's claim begins (its reason while the status inquiry confirms it). */
    static final String CLAIM = "Durianpay's notification says the transfer failed";
    /** What comes before the notification's own words in a claim's reason. */
    static final String CLAIM_WORDS = "; its words: ";

    /**
     * The reason a failure notification's claim is recorded with: its status and, for the reason the
     * payout fails with once the status inquiry confirms it, its words (failureReason, else
     * transactionStatusDesc: the status answer carries no failureReason).
     */
    public static String claimReason(DurianpayNotifications.Notification notification) {
        String words = notification.description();
        return CLAIM + " (" + notification.status() + "): confirming with Durianpay's status inquiry"
                + (words == null ? "" : CLAIM_WORDS + words);
    }

    /**
     * Why the payout fails when a status answer says the transfer failed: the answer's words and,
     * when a failure notification claimed it (its claim in the payout's history), the
     * notification's words first.
     */
    public static String failedReason(String answerText, Payout payout, PayoutLedger ledger) {
        String claim = ledger.lastReason(payout.getReference(), CLAIM);
        int words = claim == null ? -1 : claim.indexOf(CLAIM_WORDS);
        return "Durianpay reports the transfer failed: " + (words < 0 ? answerText
                : claim.substring(words + CLAIM_WORDS.length()) + " (" + answerText + ")");
    }

    /** A status answer's words for reasons: "failed (latestTransactionStatus 06)". */
    public static String transactionStatus(Map<String, Object> answer) {
        Object desc = answer.get("transactionStatusDesc");
        String status = "latestTransactionStatus " + answer.get("latestTransactionStatus");
        return desc == null || desc.toString().isBlank() ? status : desc + " (" + status + ")";
    }

    private static Map<String, Object> money(long amount) {
        Map<String, Object> money = new LinkedHashMap<>();
        money.put("value", amount + ".00");
        money.put("currency", "IDR");
        return money;
    }

    private String now() {
        return TIMESTAMP.format(clock.instant().atOffset(WIB));
    }
}
