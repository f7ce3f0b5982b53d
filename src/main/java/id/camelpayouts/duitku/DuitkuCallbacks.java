package id.camelpayouts.duitku;

import java.math.BigDecimal;
import java.math.BigInteger;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;

import org.apache.camel.Variable;

import id.camelpayouts.input.LogSafe;
import id.camelpayouts.input.StrictJson;
import id.camelpayouts.ledger.Payout;
import id.camelpayouts.payout.PayoutInstruction;
import id.camelpayouts.payout.InstructionParser;

/**
 * Reads Duitku's callbacks (clearing H2H and cash out, https://docs.duitku.com/disbursement/en/)
 * and checks them, cheapest first: the size,
 * strict JSON, every field's type and bounds (Duitku documents each as a string of at most 255
 * characters, amountTransfer as an int), the fields the document's sample requires, the merchant
 * (userId, where present), and last the signature (constant time, PHP amount rendering). The
 * signature does not cover statusCode or userId, so a valid callback is still only a claim.
 */
public class DuitkuCallbacks {

    /** A callback is a few hundred bytes. */
    public static final int MAX_BODY = 16_384;
    static final int MAX_FIELD = 255;
    static final String AMOUNT_PROBLEM = "amountTransfer: must be a whole number of rupiah from 1 to 1000000000000";

    private static final List<String> CLEARING_FIELDS = List.of("email", "bankCode", "bankAccount", "accountName",
            "custRefNumber", "amountTransfer", "disburseId", "statusCode", "signature");
    private static final List<String> CASHOUT_FIELDS = List.of("email", "phoneNumber", "accountName",
            "custRefNumber", "amountTransfer", "disburseId", "statusCode", "signature");
    /** The clearing types a clearing callback may report on. */
    private static final java.util.Set<String> CLEARING_RAILS = java.util.Set.of("H2H", "LLG", "RTGS", "BIFAST");
    private static final List<String> TEXT_FIELDS = List.of("email", "bankCode", "bankAccount", "accountName",
            "phoneNumber", "type", "statusDesc", "errorMessage");
    private static final Pattern STATUS_CODE = Pattern.compile("[A-Za-z0-9-]{1,8}");
    private static final Pattern DIGITS = Pattern.compile("\\d{1,18}");
    private static final Pattern AMOUNT_TEXT = Pattern.compile("\\d{1,13}");
    private static final Pattern SIGNATURE = Pattern.compile("[0-9a-fA-F]{64}");
    private static final BigDecimal MAX_AMOUNT = new BigDecimal("1000000000000");

    /** Why a callback is refused: the HTTP status Duitku gets, and the reason (no input repeated). */
    public record Refusal(int status, String reason) {
    }

    /**
     * A callback as received: its fields, the required ones missing, whether the signature
     * verified, and why it is refused (null when verified).
     */
    public record Callback(Map<String, Object> fields, List<String> missing, boolean verified, Refusal refusal) {
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
    private final String userId;

    /** @param userId this merchant's Duitku user id (duitku.user-id) */
    public DuitkuCallbacks(DuitkuSignature signature, long userId) {
        this.signature = signature;
        this.userId = String.valueOf(userId);
    }

    public Callback clearing(byte[] body) {
        return read(body, CLEARING_FIELDS, true);
    }

    public Callback cashOut(byte[] body) {
        return read(body, CASHOUT_FIELDS, false);
    }

    private Callback read(byte[] body, List<String> required, boolean clearing) {
        StrictJson.Read json = StrictJson.object(body, MAX_BODY);
        if (!json.ok()) {
            // a form's fields are not read (CallbackJsonLabel reads JSON labelled as a form as JSON)
            boolean unread = "empty".equals(json.problem()) || json.problem().startsWith("not ");
            return refused(Map.of(), List.of(), json.tooLarge() ? 413 : 400, "body: " + json.problem() + (unread
                    ? "; a callback is one JSON object (Content-Type: application/json), a form is not read" : ""));
        }
        Map<String, Object> fields = json.fields();
        String problem = boundsProblem(fields);
        if (problem != null) {
            return refused(fields, List.of(), 400, problem);
        }
        List<String> missing = missing(fields, required);
        if (!missing.isEmpty()) {
            return refused(fields, missing, 400, "missing " + missing);
        }
        if (fields.get("userId") != null && !userId.equals(fields.get("userId").toString())) {
            return refused(fields, missing, 401, "userId is not this merchant's");
        }
        boolean verified = SIGNATURE.matcher(fields.get("signature").toString()).matches()
                && (clearing ? signature.verifyClearingCallback(fields) : signature.verifyCashOutCallback(fields));
        return verified ? new Callback(fields, missing, true, null)
                : refused(fields, missing, 401, "signature does not verify");
    }

    private static Callback refused(Map<String, Object> fields, List<String> missing, int status, String reason) {
        return new Callback(fields, missing, false, new Refusal(status, reason));
    }

    /** The first field outside its bounds, named (its value never repeated); null when all are within. */
    private static String boundsProblem(Map<String, Object> fields) {
        Object amount = fields.get("amountTransfer");
        if (amount != null && !isAmount(amount)) {
            return AMOUNT_PROBLEM;
        }
        Object user = fields.get("userId");
        if (user != null && !(isWhole(user) && DIGITS.matcher(user.toString()).matches()
                || user instanceof String text && DIGITS.matcher(text).matches())) {
            return "userId: must be a number";
        }
        String id = idProblem(fields, "disburseId");
        if (id == null) {
            id = idProblem(fields, "custRefNumber");
        }
        if (id != null) {
            return id;
        }
        Object status = fields.get("statusCode");
        if (status != null && !(status instanceof String text && STATUS_CODE.matcher(text).matches())) {
            return "statusCode: must be a code of at most 8 letters and digits";
        }
        for (String field : TEXT_FIELDS) {
            Object value = fields.get(field);
            if (value != null && !(value instanceof String || isWhole(value))) {
                return field + ": must be text";
            }
            if (value != null && (value.toString().length() > MAX_FIELD || !LogSafe.isClean(value.toString()))) {
                return field + ": at most " + MAX_FIELD + " characters, no control characters";
            }
        }
        return null;
    }

    /** disburseId and custRefNumber are looked up and logged: they must read as references do. */
    private static String idProblem(Map<String, Object> fields, String field) {
        Object value = fields.get(field);
        if (value == null) {
            return null;
        }
        boolean valid = (value instanceof String || isWhole(value)) && InstructionParser.isReference(value.toString());
        return valid ? null : field + ": must be 1-64 characters of A-Z, a-z, 0-9, '.', '_' or '-'";
    }

    /** A JSON number or digits, whole, 1 to Rp1 trillion; decided on the scale, never by expanding it. */
    private static boolean isAmount(Object amount) {
        BigDecimal value;
        if (amount instanceof String text) {
            value = AMOUNT_TEXT.matcher(text).matches() ? new BigDecimal(text) : null;
        } else if (amount instanceof BigDecimal decimal) {
            value = decimal;
        } else if (isWhole(amount)) {
            value = new BigDecimal(amount.toString());
        } else {
            value = null;
        }
        return value != null && value.signum() > 0 && value.compareTo(MAX_AMOUNT) <= 0
                && value.stripTrailingZeros().scale() <= 0;
    }

    private static boolean isWhole(Object value) {
        return value instanceof Integer || value instanceof Long || value instanceof BigInteger;
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
     * custRefNumber, or the custRefNumber Duitku answered the cash out with, and the phone number
     * and counter when given). The reason names no account.
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
            String custRefNumber = callback.text("custRefNumber");
            boolean ours = payout.getReference().equals(custRefNumber)
                    || custRefNumber != null && custRefNumber.equals(payout.getCustRefNumber());
            return ours && samePhone && sameCounter ? null
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
}
