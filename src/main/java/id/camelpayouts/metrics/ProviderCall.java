package id.camelpayouts.metrics;

import java.util.Map;

import id.camelpayouts.durianpay.DurianpayClient;
import id.camelpayouts.payout.ResponseCodeTable;

/**
 * What a provider call is counted as: its operation (the same names for both providers) and the
 * class of its outcome, from the provider's response-code table (routes/codes/):
 * <ul>
 * <li>{@code success}: the provider did what was asked (the table says success, or that the
 *     outcome comes by callback);</li>
 * <li>{@code declined}: the provider said no (the table says declined, or a status answer says the
 *     transfer failed);</li>
 * <li>{@code unknown}: an answer that settles nothing (retry, unknown, not found, a code nobody
 *     classified);</li>
 * <li>{@code transport_error}: no answer at all (timeout, connection refused or dropped) or an
 *     HTTP 5xx, whose body is never the provider's answer.</li>
 * </ul>
 * Labels are bounded: an operation or path not listed here is {@code other}.
 */
final class ProviderCall {

    static final String SUCCESS = "success";
    static final String DECLINED = "declined";
    static final String UNKNOWN = "unknown";
    static final String TRANSPORT_ERROR = "transport_error";

    private ProviderCall() {
    }

    /** Duitku's operation (the path name duitku-call is given) as counted. */
    static String duitkuOperation(String operation) {
        if (operation == null) {
            return "other";
        }
        return switch (operation) {
            case "inquiry", "transfer", "cashout" -> operation;
            case "inquirystatus" -> "status";
            case "checkbalance" -> "balance";
            case "listBank" -> "banks";
            default -> "other";
        };
    }

    /** Durianpay's SNAP path as counted. */
    static String durianpayOperation(String path) {
        if (path == null) {
            return "other";
        }
        return switch (path) {
            case "/v1.0/account-inquiry-external" -> "inquiry";
            case "/v1.0/transfer-interbank" -> "transfer";
            case "/v1.0/transfer/status" -> "status";
            case "/v1.0/balance-inquiry" -> "balance";
            default -> "other";
        };
    }

    /**
     * A Duitku answer's class. Duitku answers HTTP 200 whatever happened, so only its
     * responseCode tells; the balance and bank list move no money and read like the inquiry.
     */
    static String duitkuOutcome(ResponseCodeTable codes, String operation, Integer httpStatus,
            Map<String, Object> answer) {
        if (noAnswer(httpStatus)) {
            return TRANSPORT_ERROR;
        }
        String column = switch (operation) {
            case "transfer", "cashout", "status" -> operation;
            default -> "inquiry";
        };
        return byClass(classify(codes, column, text(answer, "responseCode")));
    }

    /**
     * A Durianpay answer's class. A status answer about our transfer ({@code reference}) is read by
     * its latestTransactionStatus, as the routes read it. SNAP puts the HTTP status in its code: an
     * answer in 2xx that the table does not call declined or failed ("in progress", a balance) is
     * Durianpay doing what was asked, except a status answer saying it has no such transfer.
     */
    static String durianpayOutcome(ResponseCodeTable codes, String operation, Integer httpStatus,
            Map<String, Object> answer, String reference) {
        if (noAnswer(httpStatus)) {
            return TRANSPORT_ERROR;
        }
        String column = switch (operation) {
            case "transfer", "status" -> operation;
            default -> "inquiry";
        };
        String code = DurianpayClient.code(answer, httpStatus);
        if ("status".equals(column) && "2003600".equals(code) && text(answer, "latestTransactionStatus") != null
                && reference != null && reference.equals(text(answer, "originalPartnerReferenceNo"))) {
            code = text(answer, "latestTransactionStatus");
        }
        String meaning = classify(codes, column, code);
        String outcome = byClass(meaning);
        if (UNKNOWN.equals(outcome) && httpStatus / 100 == 2 && !"not-found".equals(meaning)) {
            return SUCCESS;
        }
        return outcome;
    }

    private static boolean noAnswer(Integer httpStatus) {
        return httpStatus == null || httpStatus <= 0 || httpStatus >= 500;
    }

    private static String classify(ResponseCodeTable codes, String column, String code) {
        if (codes == null || !codes.calls().contains(column)) {
            return ResponseCodeTable.UNKNOWN;
        }
        return codes.classify(column, code);
    }

    private static String byClass(String meaning) {
        return switch (meaning) {
            case "success", "callback" -> SUCCESS;
            case "declined", "failed" -> DECLINED;
            default -> UNKNOWN;
        };
    }

    private static String text(Map<String, Object> answer, String key) {
        Object value = answer == null ? null : answer.get(key);
        return value == null ? null : value.toString();
    }
}
