package id.camelpayouts.duitku;

import java.math.BigDecimal;

/**
 * Renders an amount the way Duitku's PHP side concatenates it into a signature:
 * a JSON {@code 50000} and {@code 50000.0} both become {@code "50000"}.
 */
public final class PhpAmount {

    private PhpAmount() {
    }

    public static String render(Object amount) {
        if (amount == null) {
            return "";
        }
        String text = amount.toString().trim();
        if (text.isEmpty()) {
            return "";
        }
        try {
            return new BigDecimal(text).stripTrailingZeros().toPlainString();
        } catch (NumberFormatException notANumber) {
            return text; // PHP would concatenate the string as it is
        }
    }
}
