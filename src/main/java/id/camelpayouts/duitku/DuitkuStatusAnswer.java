package id.camelpayouts.duitku;

import java.math.BigInteger;
import java.util.Map;
import java.util.Objects;
import java.util.regex.Pattern;

import id.camelpayouts.ledger.Payout;
import id.camelpayouts.payout.PayoutInstruction;

/**
 * Whether an answer of Duitku's inquirystatus is about this payout. Duitku echoes the transfer it
 * reports on (bankCode, bankAccount, amountTransfer, custRefNumber). A failure counts only when
 * the answer describes the transfer: its account and its amount. An answer that echoes something
 * else contradicts it and counts for nothing, not even a success. One that echoes nothing is
 * silent: not evidence of a failure, but a success from the status of our own disburseId still
 * counts. Never asked about a cash out: Duitku documents no status inquiry for cash outs.
 */
public final class DuitkuStatusAnswer {

    /** Names the transfer's account and amount, and nothing else. */
    public static final String DESCRIBES = "describes";
    /** Echoes too little to say what it is about, and nothing against this payout. */
    public static final String SILENT = "silent";
    /** Echoes another account, amount, bank or reference: about something else. */
    public static final String CONTRADICTS = "contradicts";

    private static final Pattern DIGITS = Pattern.compile("\\d{1,40}");

    private DuitkuStatusAnswer() {
    }

    public static String evidence(Payout payout, Map<String, Object> answer) {
        if (answer == null || payout == null) {
            return SILENT;
        }
        PayoutInstruction order = payout.getInstruction();
        String theirAccount = text(answer, "bankAccount");
        String amount = answer.get("amountTransfer") == null ? null : PhpAmount.render(answer.get("amountTransfer"));
        boolean contradicts = differs(answer.get("bankAccount"), order.accountNumber())
                || differs(amount, String.valueOf(order.amount()))
                || differs(answer.get("bankCode"), order.bankCode())
                || differs(answer.get("custRefNumber"), payout.getCustRefNumber());
        if (contradicts) {
            return CONTRADICTS;
        }
        return theirAccount != null && amount != null ? DESCRIBES : SILENT;
    }

    /**
     * Both known and not the same. An echo Duitku writes as a JSON number where its document has
     * text (bankCode 14 for "014", custRefNumber 1278 for "000000001278") cannot keep leading
     * zeros: it is compared by its value.
     */
    private static boolean differs(Object theirs, String ours) {
        String text = theirs instanceof Number ? PhpAmount.render(theirs)
                : theirs == null || theirs.toString().isBlank() ? null : theirs.toString().trim();
        if (text == null || ours == null) {
            return false;
        }
        if (theirs instanceof Number && DIGITS.matcher(text).matches() && DIGITS.matcher(ours.trim()).matches()) {
            return !new BigInteger(text).equals(new BigInteger(ours.trim()));
        }
        return !Objects.equals(text, ours.trim());
    }

    private static String text(Map<String, Object> answer, String key) {
        Object value = answer.get(key);
        return value == null || value.toString().isBlank() ? null : value.toString();
    }
}
