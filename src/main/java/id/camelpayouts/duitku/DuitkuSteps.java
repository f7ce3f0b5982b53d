package id.camelpayouts.duitku;

import java.util.Map;

import org.apache.camel.Exchange;
import org.apache.camel.Processor;

import id.camelpayouts.ledger.Payout;
import id.camelpayouts.payout.ProviderAnswer;
import id.camelpayouts.payout.ResponseCodeTable;

/**
 * The Java steps of the Duitku flows (routes/engine/duitku-transfer.camel.yaml and
 * duitku-call.camel.yaml), as processors bound by name: the request bodies, the URL, the answer
 * read and classified. Each leaves plain variables that the routes' choices compare, so that a
 * call costs no bean-method lookup, exchange copy or OGNL evaluation per step (issue 17); what
 * each variable means is written beside the step in the routes.
 */
public final class DuitkuSteps {

    /** The body: the signed inquiry of the payout's rail ({@link DuitkuRequests#inquiry}). */
    public static final String INQUIRY = "payoutsDuitkuInquiryRequest";
    /** The body: the signed transfer ({@link DuitkuRequests#transfer}). */
    public static final String TRANSFER = "payoutsDuitkuTransferRequest";
    /** The body: the signed inquirystatus ({@link DuitkuRequests#inquiryStatus}). */
    public static final String STATUS = "payoutsDuitkuStatusRequest";
    /** Sets {@code duitkuUrl} for {@code duitkuOperation} ({@link DuitkuRequests#url}). */
    public static final String URL = "payoutsDuitkuUrl";
    /** Sets {@code answer} and {@code answerText} from the body, {@code httpStatus} and {@code callError}. */
    public static final String ANSWER = "payoutsDuitkuAnswer";
    /** Set {@code responseCode} and {@code outcome}: its class after that call (the code table's column). */
    public static final String INQUIRY_OUTCOME = "payoutsDuitkuInquiryOutcome";
    public static final String TRANSFER_OUTCOME = "payoutsDuitkuTransferOutcome";
    /** As the others, and {@code evidence}: what the answer says of this transfer ({@link DuitkuStatusAnswer}). */
    public static final String STATUS_OUTCOME = "payoutsDuitkuStatusOutcome";

    private final DuitkuRequests requests;
    private final ResponseCodeTable codes;

    public DuitkuSteps(DuitkuRequests requests, ResponseCodeTable codes) {
        this.requests = requests;
        this.codes = codes;
    }

    public Processor inquiry() {
        return exchange -> exchange.getMessage().setBody(requests.inquiry(payout(exchange)));
    }

    public Processor transfer() {
        return exchange -> exchange.getMessage().setBody(requests.transfer(payout(exchange)));
    }

    public Processor inquiryStatus() {
        return exchange -> exchange.getMessage().setBody(requests.inquiryStatus(payout(exchange)));
    }

    public Processor url() {
        return exchange -> exchange.setVariable("duitkuUrl",
                requests.url(exchange.getVariable("duitkuOperation", String.class), payout(exchange)));
    }

    /**
     * {@link ProviderAnswer#parse} of the body and its {@link ProviderAnswer#summary}. The document's
     * cash-out answer table names its description {@code responseMessage} (its example, as every other
     * answer, {@code responseDesc}): either is kept as {@code responseDesc}.
     */
    public Processor answer() {
        return exchange -> {
            Map<String, Object> answer = ProviderAnswer.parse(exchange.getMessage().getBody(String.class));
            if (answer.get("responseDesc") == null && answer.get("responseMessage") != null) {
                answer.put("responseDesc", answer.get("responseMessage"));
            }
            exchange.setVariable("answer", answer);
            exchange.setVariable("answerText", ProviderAnswer.summary(answer,
                    exchange.getVariable("httpStatus", Integer.class), exchange.getVariable("callError", String.class)));
        };
    }

    /** {@link ResponseCodeTable#classify} of the answer's responseCode in the column {@code call}. */
    public Processor outcome(String call) {
        return exchange -> {
            Object code = answer(exchange).get("responseCode");
            String responseCode = code == null ? null : code.toString();
            exchange.setVariable("responseCode", responseCode);
            exchange.setVariable("outcome", codes.classify(call, responseCode));
        };
    }

    /** {@link #outcome} in the column {@code status}, and the answer's {@code evidence}. */
    public Processor statusOutcome() {
        Processor outcome = outcome("status");
        return exchange -> {
            outcome.process(exchange);
            exchange.setVariable("evidence", DuitkuStatusAnswer.evidence(payout(exchange), answer(exchange)));
        };
    }

    private static Payout payout(Exchange exchange) {
        return exchange.getVariable("payout", Payout.class);
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> answer(Exchange exchange) {
        Map<String, Object> answer = exchange.getVariable("answer", Map.class);
        return answer == null ? Map.of() : answer;
    }
}
