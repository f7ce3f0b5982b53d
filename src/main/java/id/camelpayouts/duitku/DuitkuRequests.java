package id.camelpayouts.duitku;

import java.time.Clock;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;

import org.apache.camel.Variable;

import id.camelpayouts.ledger.Payout;
import id.camelpayouts.payout.PayoutInstruction;

/**
 * Builds the body of each Duitku call for the payout in the route's {@code payout} variable,
 * timestamped and signed at the moment it is built (Duitku refuses timestamps older than five
 * minutes, so a retry must be built afresh).
 */
public class DuitkuRequests {

    /** Operations whose sandbox path name ends in "sandbox" (inquirysandbox, ...). */
    private static final Set<String> SANDBOX_SUFFIXED = Set.of("inquiry", "transfer", "inquiryclearing",
            "transferclearing");

    /** The cash out's callbackUrl is a string(255) in Duitku's document. */
    static final int MAX_CALLBACK_URL = 255;

    private final DuitkuSignature signature;
    private final long userId;
    private final String email;
    private final boolean sandbox;
    private final Clock clock;
    private String baseUrl = "";
    private String cashOutUrl = "";
    private String cashOutCallbackUrl = "";

    public DuitkuRequests(DuitkuSignature signature, long userId, String email, boolean sandbox, Clock clock) {
        this.signature = signature;
        this.userId = userId;
        this.email = email;
        this.sandbox = sandbox;
        this.clock = clock;
    }

    /**
     * Where the calls go: the disbursement API, the cash-out host, and our cash-out callback receiver.
     * A base URL written with a trailing slash names the same paths (not ".../disbursement//inquiry").
     */
    public DuitkuRequests at(String baseUrl, String cashOutUrl, String cashOutCallbackUrl) {
        this.baseUrl = withoutTrailingSlash(baseUrl);
        this.cashOutUrl = withoutTrailingSlash(cashOutUrl);
        this.cashOutCallbackUrl = cashOutCallbackUrl == null ? "" : cashOutCallbackUrl.trim();
        if (this.cashOutCallbackUrl.length() > MAX_CALLBACK_URL) {
            // sent with every cash out: one Duitku refuses would refuse them all
            throw new IllegalArgumentException("DUITKU_CASHOUT_CALLBACK_URL (duitku.cashout-callback-url) is "
                    + this.cashOutCallbackUrl.length() + " characters; Duitku's callbackUrl takes at most "
                    + MAX_CALLBACK_URL);
        }
        return this;
    }

    private static String withoutTrailingSlash(String url) {
        String trimmed = url == null ? "" : url.trim();
        while (trimmed.endsWith("/")) {
            trimmed = trimmed.substring(0, trimmed.length() - 1);
        }
        return trimmed;
    }

    /**
     * The full URL of an operation. "inquiry" and "transfer" are the clearing ones for a payout on a
     * clearing rail (LLG, RTGS, H2H, BIFAST); cash out lives on its own host.
     */
    public String url(String operation, @Variable("payout") Payout payout) {
        if ("cashout".equals(operation)) {
            return cashOutUrl + "/inquiry";
        }
        boolean clearing = payout != null && isClearing(payout);
        return baseUrl + "/" + path(clearing && Set.of("inquiry", "transfer").contains(operation)
                ? operation + "clearing" : operation);
    }

    /** The inquiry of the payout's rail: Transfer Online or Clearing. */
    public Map<String, Object> inquiry(@Variable("payout") Payout payout) {
        return isClearing(payout) ? clearingInquiry(payout) : onlineInquiry(payout);
    }

    /** The transfer of the payout's rail: Transfer Online or Clearing. */
    public Map<String, Object> transfer(@Variable("payout") Payout payout) {
        return isClearing(payout) ? clearingTransfer(payout) : onlineTransfer(payout);
    }

    private static boolean isClearing(Payout payout) {
        return Set.of("LLG", "RTGS", "H2H", "BIFAST").contains(payout.getMethod());
    }

    /** The path below the base URL: sandbox and production differ in some names. */
    public String path(String operation) {
        return sandbox && SANDBOX_SUFFIXED.contains(operation) ? operation + "sandbox" : operation;
    }

    public Map<String, Object> onlineInquiry(@Variable("payout") Payout payout) {
        PayoutInstruction order = payout.getInstruction();
        long timestamp = clock.millis();
        Map<String, Object> body = inquiryBody(payout, timestamp);
        body.put("signature", signature.onlineInquiry(timestamp, order.bankCode(), order.accountNumber(),
                order.amount(), purpose(payout)));
        return body;
    }

    /** The transfer repeats the inquiry's data plus what the inquiry answered (disburseId, name, custRefNumber). */
    public Map<String, Object> onlineTransfer(@Variable("payout") Payout payout) {
        PayoutInstruction order = payout.getInstruction();
        long timestamp = clock.millis();
        Map<String, Object> body = transferBody(payout, timestamp);
        body.put("signature", signature.onlineTransfer(timestamp, order.bankCode(), order.accountNumber(),
                payout.getAccountName(), payout.getCustRefNumber(), order.amount(), purpose(payout),
                payout.getProviderReference()));
        return body;
    }

    /** Clearing (LLG, RTGS, H2H, BIFAST): the payout's method is the clearing type. */
    public Map<String, Object> clearingInquiry(@Variable("payout") Payout payout) {
        PayoutInstruction order = payout.getInstruction();
        long timestamp = clock.millis();
        Map<String, Object> body = inquiryBody(payout, timestamp);
        body.put("type", payout.getMethod());
        body.put("signature", signature.clearingInquiry(timestamp, order.bankCode(), payout.getMethod(),
                order.accountNumber(), order.amount(), purpose(payout)));
        return body;
    }

    public Map<String, Object> clearingTransfer(@Variable("payout") Payout payout) {
        PayoutInstruction order = payout.getInstruction();
        long timestamp = clock.millis();
        Map<String, Object> body = transferBody(payout, timestamp);
        body.put("type", payout.getMethod());
        body.put("signature", signature.clearingTransfer(timestamp, order.bankCode(), payout.getMethod(),
                order.accountNumber(), payout.getAccountName(), payout.getCustRefNumber(), order.amount(),
                purpose(payout), payout.getProviderReference()));
        return body;
    }

    /**
     * Cash out (Indomaret 2010, Pos Indonesia 2011): one call, which moves the money. Our reference
     * is the custRefNumber, so that the callback finds the payout even if this call's answer was lost.
     */
    public Map<String, Object> cashOut(@Variable("payout") Payout payout) {
        PayoutInstruction order = payout.getInstruction();
        long timestamp = clock.millis();
        Map<String, Object> body = merchant(timestamp);
        body.put("amountTransfer", order.amount());
        body.put("custRefNumber", payout.getReference());
        body.put("bankCode", order.bankCode());
        body.put("accountName", order.accountName());
        body.put("accountAddress", order.address());
        body.put("accountIdentity", order.identityNumber());
        body.put("phoneNumber", order.phoneNumber());
        body.put("purpose", purpose(payout));
        if (!cashOutCallbackUrl.isBlank()) {
            body.put("callbackUrl", cashOutCallbackUrl);
        }
        body.put("signature", signature.cashOutInquiry(timestamp, order.amount(), purpose(payout)));
        return body;
    }

    public Map<String, Object> inquiryStatus(@Variable("payout") Payout payout) {
        long timestamp = clock.millis();
        Map<String, Object> body = merchant(timestamp);
        body.put("disburseId", payout.getProviderReference());
        body.put("signature", signature.inquiryStatus(timestamp, payout.getProviderReference()));
        return body;
    }

    /** Check balance and list bank: just the merchant, timestamped and signed. */
    public Map<String, Object> merchantRequest() {
        long timestamp = clock.millis();
        Map<String, Object> body = merchant(timestamp);
        body.put("signature", signature.merchantRequest(timestamp));
        return body;
    }

    /**
     * Duitku requires a purpose on transfers; without one from the merchant we send the payout's
     * reference, which also makes the transfer easy to find on a statement.
     */
    static String purpose(Payout payout) {
        String purpose = payout.getInstruction().purpose();
        return purpose != null ? purpose : "Payout " + payout.getReference();
    }

    /** What every inquiry (online or clearing) sends besides its signature. */
    private Map<String, Object> inquiryBody(Payout payout, long timestamp) {
        PayoutInstruction order = payout.getInstruction();
        Map<String, Object> body = merchant(timestamp);
        body.put("bankCode", order.bankCode());
        body.put("bankAccount", order.accountNumber());
        body.put("amountTransfer", order.amount());
        body.put("purpose", purpose(payout));
        if (order.senderId() != null) {
            body.put("senderId", Long.parseLong(order.senderId()));
        }
        if (order.senderName() != null) {
            body.put("senderName", order.senderName());
        }
        return body;
    }

    /** What every transfer (online or clearing) sends besides its signature: the inquiry's data and answer. */
    private Map<String, Object> transferBody(Payout payout, long timestamp) {
        PayoutInstruction order = payout.getInstruction();
        Map<String, Object> body = merchant(timestamp);
        body.put("disburseId", payout.getProviderReference());
        body.put("bankCode", order.bankCode());
        body.put("bankAccount", order.accountNumber());
        body.put("amountTransfer", order.amount());
        body.put("accountName", payout.getAccountName());
        body.put("custRefNumber", payout.getCustRefNumber());
        body.put("purpose", purpose(payout));
        return body;
    }

    private Map<String, Object> merchant(long timestamp) {
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("userId", userId);
        body.put("email", email);
        body.put("timestamp", timestamp);
        return body;
    }
}
