package id.camelpayouts.duitku;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.apache.camel.Variable;

import id.camelpayouts.ledger.Payout;
import id.camelpayouts.payout.PayoutInstruction;

/**
 * Reads Duitku's callbacks (clearing H2H and cash out) and checks them: every field the
 * document's sample requires, then the signature (constant time, PHP amount rendering). The
 * signature does not cover statusCode, so a valid callback is still only a claim about its payout.
 */
public class DuitkuCallbacks {

    private static final List<String> CLEARING_FIELDS = List.of("email", "bankCode", "bankAccount", "accountName",
            "custRefNumber", "amountTransfer", "disburseId", "statusCode", "signature");
    private static final List<String> CASHOUT_FIELDS = List.of("email", "phoneNumber", "accountName",
            "custRefNumber", "amountTransfer", "disburseId", "statusCode", "signature");
    private static final ObjectMapper JSON = new ObjectMapper();
    /** The clearing types a clearing callback may report on. */
    private static final java.util.Set<String> CLEARING_RAILS = java.util.Set.of("H2H", "LLG", "RTGS", "BIFAST");

    /** A callback as received: its fields, the required ones missing, and whether the signature verified. */
    public record Callback(Map<String, Object> fields, List<String> missing, boolean verified) {
        public String disburseId() {
            return text("disburseId");
        }

        public String statusCode() {
            return text("statusCode");
        }

        /** The callback in the shape of a provider answer (responseCode, responseDesc) for the ledger. */
        public Map<String, Object> asAnswer() {
            Map<String, Object> answer = new LinkedHashMap<>();
            answer.put("responseCode", statusCode());
            answer.put("responseDesc", text("statusDesc"));
            answer.put("providerReference", disburseId());
            return answer;
        }

        public String text(String field) {
            Object value = fields.get(field);
            return value == null ? null : value.toString();
        }
    }

    private final DuitkuSignature signature;

    public DuitkuCallbacks(DuitkuSignature signature) {
        this.signature = signature;
    }

    public Callback clearing(String body) {
        Map<String, Object> fields = parse(body);
        List<String> missing = missing(fields, CLEARING_FIELDS);
        return new Callback(fields, missing, missing.isEmpty() && signature.verifyClearingCallback(fields));
    }

    public Callback cashOut(String body) {
        Map<String, Object> fields = parse(body);
        List<String> missing = missing(fields, CASHOUT_FIELDS);
        return new Callback(fields, missing, missing.isEmpty() && signature.verifyCashOutCallback(fields));
    }

    /** Whether a verified callback is about this payout: {@link #mismatch} finds nothing against it. */
    public boolean describes(@Variable("callback") Callback callback, @Variable("payout") Payout payout,
            @Variable("callbackKind") String kind) {
        return mismatch(callback, payout, kind) == null;
    }

    /**
     * Why a verified callback may not touch this payout, or null when it may. Duitku's signature
     * proves who sent it, not which of our payouts it is about, and not its statusCode; so it must
     * be about a Duitku payout whose transfer (or cash out) was sent (a payout stuck at inquiry
     * has nothing a callback could report on), of its kind (a cash-out callback for a cash out, a
     * clearing callback for a clearing rail: H2H is the documented one, LLG, RTGS and BI-FAST may
     * still be called back), with the disburseId recorded for it when one is, the same amount,
     * and the same account (clearing: bank and account number; cash out: our reference as
     * custRefNumber, and the phone number and counter when given). The reason names no account.
     */
    public String mismatch(@Variable("callback") Callback callback, @Variable("payout") Payout payout,
            @Variable("callbackKind") String kind) {
        boolean cashOut = "CASHOUT".equals(payout.getMethod());
        if (!"duitku".equals(payout.getProvider())) {
            return "not a Duitku payout";
        }
        if (payout.getTransferSentAt() == null || payout.getStage() == Payout.Stage.NEW
                || payout.getStage() == Payout.Stage.INQUIRED) {
            return "no transfer was sent for it";
        }
        boolean kindFits = "cashout".equals(kind) ? cashOut : CLEARING_RAILS.contains(payout.getMethod());
        if (!kindFits) {
            return "a " + kind + " callback for a " + payout.getMethod() + " payout";
        }
        if (payout.getProviderReference() != null && !payout.getProviderReference().equals(callback.disburseId())) {
            return "another disburseId than the one recorded";
        }
        if (!PhpAmount.render(callback.fields().get("amountTransfer"))
                .equals(String.valueOf(payout.getInstruction().amount()))) {
            return "another amount";
        }
        PayoutInstruction order = payout.getInstruction();
        if (cashOut) {
            boolean samePhone = callback.text("phoneNumber") == null
                    || phone(callback.text("phoneNumber")).equals(phone(order.phoneNumber()));
            boolean sameCounter = callback.text("bankCode") == null || callback.text("bankCode").equals(order.bankCode());
            return payout.getReference().equals(callback.text("custRefNumber")) && samePhone && sameCounter ? null
                    : "another cash out (reference, phone number or counter)";
        }
        return String.valueOf(order.accountNumber()).equals(callback.text("bankAccount"))
                && order.bankCode().equals(callback.text("bankCode")) ? null : "another account";
    }

    /** A phone number as digits, the country code 62 written as the leading 0. */
    private static String phone(String number) {
        String digits = number == null ? "" : number.replaceAll("[^0-9]", "");
        return digits.startsWith("62") ? "0" + digits.substring(2) : digits;
    }

    private static List<String> missing(Map<String, Object> fields, List<String> required) {
        List<String> missing = new ArrayList<>();
        for (String field : required) {
            Object value = fields.get(field);
            if (value == null || value.toString().isBlank()) {
                missing.add(field);
            }
        }
        return missing;
    }

    private static Map<String, Object> parse(String body) {
        try {
            Map<String, Object> fields = JSON.readValue(body, new TypeReference<Map<String, Object>>() {
            });
            return fields == null ? new LinkedHashMap<>() : fields;
        } catch (Exception notJson) {
            return new LinkedHashMap<>();
        }
    }
}
