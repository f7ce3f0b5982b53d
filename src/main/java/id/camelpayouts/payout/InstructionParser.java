package id.camelpayouts.payout;

import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;

import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;

/**
 * Turns a raw instruction (a JSON object or a CSV row, as a map of field to value) into a
 * {@link PayoutInstruction}, naming every problem at once so the sender can fix them in one go.
 */
public final class InstructionParser {

    public static final Set<String> METHODS = Set.of("ONLINE", "BIFAST", "LLG", "RTGS", "H2H", "CASHOUT", "AUTO");
    public static final Set<String> PROVIDERS = Set.of("duitku", "durianpay");
    public static final Set<String> CASHOUT_BANKS = Set.of("2010", "2011");

    private static final Set<String> FIELDS = Set.of("reference", "provider", "method", "bankCode", "accountNumber",
            "accountName", "amount", "purpose", "senderId", "senderName", "email", "phoneNumber", "identityNumber",
            "address");
    private static final Pattern REFERENCE = Pattern.compile("[A-Za-z0-9._-]{1,64}");
    private static final Pattern BANK_CODE = Pattern.compile("\\d{3,4}");
    private static final Pattern ACCOUNT_NUMBER = Pattern.compile("\\d{5,34}");
    private static final Pattern DIGITS = Pattern.compile("\\d{1,18}");
    private static final Pattern PHONE = Pattern.compile("\\+?\\d{8,16}");
    private static final Pattern EMAIL = Pattern.compile("[^@\\s]+@[^@\\s]+\\.[^@\\s]+");
    private static final BigDecimal MAX_AMOUNT = new BigDecimal("1000000000000"); // Rp1 trillion
    private static final int MAX_TEXT = 255;
    private static final ObjectMapper JSON = new ObjectMapper();

    /** The outcome of parsing: an instruction, or the reference (if readable) and every problem. */
    public record Parsed(PayoutInstruction instruction, String reference, List<String> problems) {
        public boolean valid() {
            return problems.isEmpty();
        }
    }

    /** Parses a JSON object; anything that is not one is a single problem. */
    public Parsed parseJson(String json) {
        Map<String, Object> raw;
        try {
            raw = JSON.readValue(json, new TypeReference<Map<String, Object>>() {
            });
        } catch (Exception notAnObject) {
            raw = null;
        }
        if (raw == null) {
            return new Parsed(null, null, List.of(json == null || json.isBlank()
                    ? "body: empty; send the instruction as a JSON object with Content-Type: application/json"
                    : "body: must be a JSON object with the instruction's fields"));
        }
        return parse(raw);
    }

    public Parsed parse(Map<String, ?> raw) {
        List<String> problems = new ArrayList<>();
        for (String key : raw.keySet()) {
            if (!FIELDS.contains(key)) {
                problems.add(key + ": unknown field");
            }
        }
        String reference = text(raw, "reference");
        if (reference == null) {
            problems.add("reference: required");
        } else if (!REFERENCE.matcher(reference).matches()) {
            problems.add("reference: must be 1-64 characters of A-Z, a-z, 0-9, '.', '_' or '-'");
        }
        String provider = lower(text(raw, "provider"));
        if (provider != null && !PROVIDERS.contains(provider)) {
            problems.add("provider: must be duitku or durianpay");
        }
        String method = upper(text(raw, "method"));
        if (method == null) {
            method = "AUTO";
        } else if (!METHODS.contains(method)) {
            problems.add("method: must be one of ONLINE, BIFAST, LLG, RTGS, H2H, CASHOUT, AUTO");
        }
        boolean cashOut = "CASHOUT".equals(method);

        String bankCode = text(raw, "bankCode");
        if (bankCode == null) {
            problems.add("bankCode: required");
        } else if (!BANK_CODE.matcher(bankCode).matches()) {
            problems.add("bankCode: must be 3 or 4 digits");
        } else if (cashOut && !CASHOUT_BANKS.contains(bankCode)) {
            problems.add("bankCode: CASHOUT needs 2010 (Indomaret) or 2011 (Pos Indonesia)");
        }
        String accountNumber = text(raw, "accountNumber");
        if (accountNumber == null && !cashOut) {
            problems.add("accountNumber: required");
        } else if (accountNumber != null && !ACCOUNT_NUMBER.matcher(accountNumber).matches()) {
            problems.add("accountNumber: must be 5-34 digits");
        }
        long amount = amount(raw.get("amount"), problems);

        String senderId = text(raw, "senderId");
        if (senderId != null && !DIGITS.matcher(senderId).matches()) {
            problems.add("senderId: must be digits");
        }
        String email = text(raw, "email");
        if (email != null && !EMAIL.matcher(email).matches()) {
            problems.add("email: not an email address");
        }
        String phoneNumber = text(raw, "phoneNumber");
        if (phoneNumber != null && !PHONE.matcher(phoneNumber).matches()) {
            problems.add("phoneNumber: must be 8-16 digits");
        }
        String identityNumber = text(raw, "identityNumber");
        String address = text(raw, "address");
        if (cashOut) {
            if (text(raw, "accountName") == null) {
                problems.add("accountName: required for CASHOUT (the customer who collects)");
            }
            if (phoneNumber == null) {
                problems.add("phoneNumber: required for CASHOUT");
            }
            if (identityNumber == null) {
                problems.add("identityNumber: required for CASHOUT");
            }
            if (address == null) {
                problems.add("address: required for CASHOUT");
            }
        }
        for (String field : List.of("accountName", "purpose", "senderName", "identityNumber", "address")) {
            String value = text(raw, field);
            if (value != null && value.length() > MAX_TEXT) {
                problems.add(field + ": at most " + MAX_TEXT + " characters");
            }
        }
        if (!problems.isEmpty()) {
            return new Parsed(null, reference, problems);
        }
        PayoutInstruction instruction = new PayoutInstruction(reference, provider, method, bankCode, accountNumber,
                text(raw, "accountName"), amount, text(raw, "purpose"), senderId, text(raw, "senderName"), email,
                phoneNumber, identityNumber, address);
        return new Parsed(instruction, reference, problems);
    }

    private static long amount(Object raw, List<String> problems) {
        if (raw == null || raw.toString().isBlank()) {
            problems.add("amount: required");
            return 0;
        }
        if (raw instanceof Boolean) {
            problems.add("amount: must be a positive whole number of rupiah");
            return 0;
        }
        try {
            BigDecimal value = new BigDecimal(raw.toString().trim());
            if (value.signum() <= 0 || value.stripTrailingZeros().scale() > 0) {
                problems.add("amount: must be a positive whole number of rupiah");
                return 0;
            }
            if (value.compareTo(MAX_AMOUNT) > 0) {
                problems.add("amount: larger than any rail allows");
                return 0;
            }
            return value.longValueExact();
        } catch (NumberFormatException | ArithmeticException e) {
            problems.add("amount: must be a positive whole number of rupiah");
            return 0;
        }
    }

    /** A field as trimmed text; blank counts as absent (CSV cells are never null). */
    private static String text(Map<String, ?> raw, String key) {
        Object value = raw.get(key);
        if (value == null) {
            return null;
        }
        String text = value instanceof Number number ? new BigDecimal(number.toString()).toPlainString()
                : value.toString().trim();
        return text.isEmpty() ? null : text;
    }

    private static String lower(String text) {
        return text == null ? null : text.toLowerCase(Locale.ROOT);
    }

    private static String upper(String text) {
        return text == null ? null : text.toUpperCase(Locale.ROOT);
    }
}
