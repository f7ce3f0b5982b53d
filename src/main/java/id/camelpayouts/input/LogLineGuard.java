package id.camelpayouts.input;

import java.util.List;
import java.util.Locale;

import org.apache.camel.spi.MaskingFormatter;

/**
 * The masking formatter of the routes' log lines (Camel uses it for every log step while
 * {@code camel.main.log-mask} is on, bound as {@value MaskingFormatter#CUSTOM_LOG_MASK_REF}), in
 * place of Camel's default one: that one's regular expressions backtrack, so one long token made
 * a single log line cost seconds to minutes of CPU. This one works in one pass over a line cut
 * to {@value #MAX_LINE} characters, so no input can make a log line expensive. It writes control
 * characters as {@code \\uXXXX} (no forged lines, no terminal escapes), masks every run of
 * {@value #MASKED_DIGITS} or more digits but its last four (account, KTP, phone numbers, cash-out
 * tokens), and masks the value after a secret-looking name ({@code secretKey=...},
 * {@code "pin":"..."}). It is a safety net: the routes log only values already validated.
 */
public final class LogLineGuard implements MaskingFormatter {

    public static final int MAX_LINE = 1000;
    static final int MASKED_DIGITS = 10;
    static final String MASK = "xxxxx";
    private static final List<String> SECRET_NAMES = List.of("password", "passphrase", "secret", "token",
            "apikey", "api-key", "api_key", "signature", "authorization", "pin", "privatekey", "private_key");

    @Override
    public String format(String message) {
        if (message == null) {
            return null;
        }
        String line = message.length() > MAX_LINE
                ? message.substring(0, MAX_LINE) + "...(" + (message.length() - MAX_LINE) + " more)" : message;
        boolean[] masked = secretValues(line);
        StringBuilder out = new StringBuilder(line.length() + 16);
        int i = 0;
        while (i < line.length()) {
            char c = line.charAt(i);
            if (masked[i]) {
                out.append(MASK);
                while (i < line.length() && masked[i]) {
                    i++;
                }
            } else if (isDigit(c)) {
                int end = i;
                while (end < line.length() && isDigit(line.charAt(end)) && !masked[end]) {
                    end++;
                }
                if (end - i >= MASKED_DIGITS) {
                    out.append("*".repeat(end - i - 4)).append(line, end - 4, end);
                } else {
                    out.append(line, i, end);
                }
                i = end;
            } else {
                out.append(LogSafe.unsafe(c) ? String.format("\\u%04x", (int) c) : String.valueOf(c));
                i++;
            }
        }
        return out.toString();
    }

    /** Which characters are a value following a secret-looking name and = or :. Linear per name. */
    private static boolean[] secretValues(String line) {
        boolean[] masked = new boolean[line.length()];
        String lower = line.toLowerCase(Locale.ROOT);
        for (String name : SECRET_NAMES) {
            int from = 0;
            int hit;
            while ((hit = lower.indexOf(name, from)) >= 0) {
                int i = hit + name.length();
                while (i < line.length() && (Character.isLetterOrDigit(line.charAt(i)) || line.charAt(i) == '_'
                        || line.charAt(i) == '-')) {
                    i++;
                }
                from = Math.max(i, hit + 1);
                i = skip(line, skip(line, i, "\"'"), " ");
                if (i >= line.length() || line.charAt(i) != '=' && line.charAt(i) != ':') {
                    continue;
                }
                i = skip(line, skip(line, i + 1, " "), "\"'");
                int end = i;
                while (end < line.length() && " \"',;&}]".indexOf(line.charAt(end)) < 0) {
                    end++;
                }
                for (int m = i; m < end; m++) {
                    masked[m] = true;
                }
                from = Math.max(from, end);
            }
        }
        return masked;
    }

    private static int skip(String line, int i, String chars) {
        while (i < line.length() && chars.indexOf(line.charAt(i)) >= 0) {
            i++;
        }
        return i;
    }

    private static boolean isDigit(char c) {
        return c >= '0' && c <= '9';
    }
}
