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

    private final DuitkuSignature signature;
    private final long userId;
    private final String email;
    private final boolean sandbox;
    private final Clock clock;

    public DuitkuRequests(DuitkuSignature signature, long userId, String email, boolean sandbox, Clock clock) {
        this.signature = signature;
        this.userId = userId;
        this.email = email;
        this.sandbox = sandbox;
        this.clock = clock;
    }

    /** The path below the base URL: sandbox and production differ in some names. */
    public String path(String operation) {
        return sandbox && SANDBOX_SUFFIXED.contains(operation) ? operation + "sandbox" : operation;
    }

    public Map<String, Object> onlineInquiry(@Variable("payout") Payout payout) {
        PayoutInstruction order = payout.getInstruction();
        long timestamp = clock.millis();
        Map<String, Object> body = merchant(timestamp);
        body.put("amountTransfer", order.amount());
        body.put("bankAccount", order.accountNumber());
        body.put("bankCode", order.bankCode());
        body.put("purpose", purpose(payout));
        if (order.senderId() != null) {
            body.put("senderId", Long.parseLong(order.senderId()));
        }
        if (order.senderName() != null) {
            body.put("senderName", order.senderName());
        }
        body.put("signature", signature.onlineInquiry(timestamp, order.bankCode(), order.accountNumber(),
                order.amount(), purpose(payout)));
        return body;
    }

    /** The transfer repeats the inquiry's data plus what the inquiry answered (disburseId, name, custRefNumber). */
    public Map<String, Object> onlineTransfer(@Variable("payout") Payout payout) {
        PayoutInstruction order = payout.getInstruction();
        long timestamp = clock.millis();
        Map<String, Object> body = merchant(timestamp);
        body.put("disburseId", payout.getProviderReference());
        body.put("bankCode", order.bankCode());
        body.put("bankAccount", order.accountNumber());
        body.put("amountTransfer", order.amount());
        body.put("accountName", payout.getAccountName());
        body.put("custRefNumber", payout.getCustRefNumber());
        body.put("purpose", purpose(payout));
        body.put("signature", signature.onlineTransfer(timestamp, order.bankCode(), order.accountNumber(),
                payout.getAccountName(), payout.getCustRefNumber(), order.amount(), purpose(payout),
                payout.getProviderReference()));
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

    private Map<String, Object> merchant(long timestamp) {
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("userId", userId);
        body.put("email", email);
        body.put("timestamp", timestamp);
        return body;
    }
}
