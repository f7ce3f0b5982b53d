package id.camelpayouts.routes;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Every answer Durianpay's documents name, per call, as the code the routes look it up by
 * (routes/codes/durianpay-response-codes.csv).
 *
 * <p>https://docs.durianpay.id/reference/response-code-handling: the SNAP response codes (HTTP
 * status + service code + case code) of every service: 16 account inquiry, 18 transfer-interbank,
 * 36 transfer status. https://docs.durianpay.id/docs/api/snap/disbursements/bank-transfer-inquiry-status/:
 * the status answer (2003600, its latestTransactionStatus 00-07, a bare 404), and the same
 * latestTransactionStatus in the transfer-bank.notify notification. 403xx14 (Insufficient Funds)
 * is SNAP's standard code for a balance too low, which Durianpay's list does not repeat.
 */
final class DurianpayDocumentedCodes {

    /** The error cases every SNAP service may answer, as HTTP status + case code. */
    static final List<String> ERROR_CASES = List.of("400.00", "400.01", "400.02", "401.00", "401.01", "401.03",
            "403.00", "403.14", "403.18", "404.01", "404.11", "409.00", "409.01", "500.00", "500.01", "504.00");
    static final List<String> TRANSACTION_STATUSES = List.of("00", "01", "02", "03", "04", "05", "06", "07");

    private DurianpayDocumentedCodes() {
    }

    /** call -> the documented codes of its answers. */
    static Map<String, List<String>> byCall() {
        Map<String, List<String>> codes = new LinkedHashMap<>();
        codes.put("inquiry", with(errors("16"), "2001600", "2021600"));
        codes.put("transfer", with(errors("18"), "2001800", "2021800"));
        List<String> status = with(errors("36"), "2003600", "HTTP 404");
        status.addAll(TRANSACTION_STATUSES);
        codes.put("status", status);
        codes.put("notification", new ArrayList<>(TRANSACTION_STATUSES));
        return codes;
    }

    /** The SNAP error codes of one service, e.g. 4001600 ... 5041600 for service 16. */
    static List<String> errors(String service) {
        return ERROR_CASES.stream().map(c -> c.substring(0, 3) + service + c.substring(4)).toList();
    }

    private static List<String> with(List<String> codes, String... more) {
        List<String> all = new ArrayList<>(List.of(more));
        all.addAll(codes);
        return all;
    }
}
