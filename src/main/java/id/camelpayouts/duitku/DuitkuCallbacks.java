package id.camelpayouts.duitku;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.apache.camel.Variable;

import id.camelpayouts.ledger.Payout;

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

    /**
     * Whether a verified callback is about this payout as the ledger knows it: same amount, and
     * the same account (clearing) or our reference as custRefNumber (cash out).
     */
    public boolean describes(@Variable("callback") Callback callback, @Variable("payout") Payout payout) {
        boolean sameAmount = PhpAmount.render(callback.fields().get("amountTransfer"))
                .equals(String.valueOf(payout.getInstruction().amount()));
        if ("CASHOUT".equals(payout.getMethod())) {
            return sameAmount && payout.getReference().equals(callback.text("custRefNumber"));
        }
        return sameAmount && String.valueOf(payout.getInstruction().accountNumber())
                .equals(callback.text("bankAccount")) && payout.getInstruction().bankCode()
                .equals(callback.text("bankCode"));
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
