package id.camelpayouts.durianpay;

import java.util.Map;

import id.camelpayouts.payout.ProviderAnswer;

/**
 * Reads a Durianpay answer's body. Durianpay's own example of the status answer
 * (https://docs.durianpay.id/docs/api/snap/disbursements/bank-transfer-inquiry-status/) is not
 * strict JSON: no comma after {@code transactionStatusDesc}'s value and a comma after the last
 * member. A body that strict JSON cannot read is read once more with exactly those two slips
 * mended (a comma put between a value and the next member's name; a comma before a closing brace
 * or bracket taken out), nothing else; what still cannot be read is no answer. Text inside strings
 * is never touched.
 */
public final class SnapAnswerText {

    private SnapAnswerText() {
    }

    /** The body as a JSON object: strict first, then with the example's two slips mended; empty when neither reads. */
    public static Map<String, Object> read(String body) {
        Map<String, Object> answer = ProviderAnswer.parse(body);
        if (!answer.isEmpty() || body == null || body.isBlank()) {
            return answer;
        }
        String mended = mended(body);
        return mended.equals(body) ? answer : ProviderAnswer.parse(mended);
    }

    /** The text with the two slips mended (outside strings only). */
    static String mended(String json) {
        StringBuilder out = new StringBuilder(json.length() + 4);
        boolean inString = false;
        char last = 0; // the last character outside whitespace, a string's closing quote included
        for (int i = 0; i < json.length(); i++) {
            char c = json.charAt(i);
            if (inString) {
                out.append(c);
                if (c == '\\' && i + 1 < json.length()) {
                    out.append(json.charAt(++i));
                } else if (c == '"') {
                    inString = false;
                    last = '"';
                }
                continue;
            }
            if (Character.isWhitespace(c)) {
                out.append(c);
                continue;
            }
            if (c == '"') {
                if (endsValue(last)) {
                    out.append(','); // a member's value, then the next member's name without a comma
                }
                inString = true;
            } else if (c == '}' || c == ']') {
                int end = out.length() - 1;
                while (end >= 0 && Character.isWhitespace(out.charAt(end))) {
                    end--;
                }
                if (end >= 0 && out.charAt(end) == ',') {
                    out.deleteCharAt(end); // a comma after the last member
                }
            }
            out.append(c);
            last = c;
        }
        return out.toString();
    }

    /** Whether a JSON value may end with {@code c}: a string's quote, a number, true/false/null, an object or array. */
    private static boolean endsValue(char c) {
        return c == '"' || c >= '0' && c <= '9' || c == 'e' || c == 'l' || c == '}' || c == ']';
    }
}
