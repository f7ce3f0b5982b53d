package id.camelpayouts.duitku;

import java.math.BigDecimal;
import java.math.BigInteger;
import java.util.regex.Pattern;

/**
 * Renders an amount the way Duitku's PHP side concatenates it into a signature: a JSON
 * {@code 50000} and {@code 50000.0} both become {@code "50000"}. Only plain amounts below a
 * quadrillion are rendered (PHP itself writes a float that large with an exponent); anything
 * else is concatenated as it is, so no input makes the rendering costly (a plain rendering of
 * 1e999999999 would be a billion digits).
 */
public final class PhpAmount {

    private static final Pattern PLAIN = Pattern.compile("-?\\d{1,18}(\\.\\d{1,18})?");
    private static final BigDecimal LIMIT = new BigDecimal("1e15");

    private PhpAmount() {
    }

    public static String render(Object amount) {
        if (amount == null) {
            return "";
        }
        BigDecimal value = amount instanceof Number number ? decimal(number) : plain(amount.toString().trim());
        if (value == null || value.abs().compareTo(LIMIT) >= 0) {
            return amount.toString().trim(); // PHP would concatenate it as it is
        }
        return value.stripTrailingZeros().toPlainString();
    }

    private static BigDecimal decimal(Number number) {
        if (number instanceof BigDecimal decimal) {
            return decimal;
        }
        if (number instanceof BigInteger integer) {
            return new BigDecimal(integer);
        }
        if (number instanceof Double || number instanceof Float) {
            return Double.isFinite(number.doubleValue()) ? new BigDecimal(number.toString()) : null;
        }
        return BigDecimal.valueOf(number.longValue());
    }

    private static BigDecimal plain(String text) {
        return PLAIN.matcher(text).matches() ? new BigDecimal(text) : null;
    }
}
