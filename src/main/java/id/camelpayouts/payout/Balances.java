package id.camelpayouts.payout;

import java.math.BigDecimal;
import java.math.RoundingMode;
import java.util.List;
import java.util.Map;

/**
 * The merchant's balance in a provider's answer, in whole rupiah (rounded down), or null when the
 * answer is not a successful balance answer. Duitku's checkbalance answers {@code effectiveBalance},
 * "Effective Balance that can be used for disbursement" (https://docs.duitku.com/disbursement/en/,
 * "Inquiry Check Balance"); Durianpay's balance-inquiry answers {@code 2001100} with
 * {@code accountInfos[].availableBalance.value}.
 */
public final class Balances {

    private Balances() {
    }

    public static Long duitku(Map<String, Object> answer) {
        if (answer == null || !"00".equals(String.valueOf(answer.get("responseCode")))) {
            return null;
        }
        return rupiah(answer.get("effectiveBalance"));
    }

    public static Long durianpay(Map<String, Object> answer) {
        if (answer == null || !"2001100".equals(String.valueOf(answer.get("responseCode")))
                || !(answer.get("accountInfos") instanceof List<?> accounts) || accounts.isEmpty()
                || !(accounts.get(0) instanceof Map<?, ?> account)
                || !(account.get("availableBalance") instanceof Map<?, ?> available)) {
            return null;
        }
        return rupiah(available.get("value"));
    }

    private static Long rupiah(Object value) {
        if (value == null) {
            return null;
        }
        try {
            String text = value.toString().trim();
            return text.length() > 40 ? null : new BigDecimal(text).setScale(0, RoundingMode.FLOOR).longValueExact();
        } catch (NumberFormatException | ArithmeticException notAnAmount) {
            return null;
        }
    }
}
