package id.camelpayouts.api;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import com.fasterxml.jackson.databind.ObjectMapper;
import org.apache.camel.Exchange;
import org.apache.camel.Processor;

/**
 * What POST /api/payouts answers a key that may not read (README, "Keys and roles": a key with
 * {@code submit} only reads nothing). An instruction under a reference the ledger has names an
 * existing payout, perhaps another system's: the answer to a repeat (200) keeps the reference and
 * the status only, the answer to a conflict (409) the reference and the error; the payout itself
 * (the beneficiary's name as the bank knows it, the amount, the provider's reference, the reason)
 * goes only to keys with {@code read}, by GET. A new payout's answer (202) and a refusal (400) are
 * about what the caller sent, and stay whole.
 */
public final class SubmitAnswers implements Processor {

    /** The fields of the payout kept for a caller without {@code read}, by how the instruction was taken. */
    private static final Map<String, List<String>> KEPT = Map.of(
            "REPEATED", List.of("reference", "status"),
            "CONFLICT", List.of("reference", "error"));
    private static final ObjectMapper JSON = new ObjectMapper();

    @Override
    public void process(Exchange exchange) throws Exception {
        List<String> kept = KEPT.get(exchange.getVariable("intakeKind", String.class));
        ApiKeyGuard.Caller caller = exchange.getVariable("apiCaller", ApiKeyGuard.Caller.class);
        Map<?, ?> outcome = exchange.getVariable("intakeOutcome", Map.class);
        if (kept == null || outcome == null || caller != null && caller.roles().contains(ApiKeys.READ)) {
            return;
        }
        Map<String, Object> answer = new LinkedHashMap<>();
        for (String field : kept) {
            answer.put(field, outcome.get(field));
        }
        exchange.getMessage().setBody(JSON.writeValueAsBytes(answer));
    }
}
