package id.camelpayouts.payout;

import java.math.BigDecimal;
import java.math.BigInteger;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;

import id.camelpayouts.input.LogSafe;
import id.camelpayouts.input.StrictJson;

/**
 * Turns a raw instruction (a JSON object or a CSV row, as a map of field to value) into a
 * {@link PayoutInstruction}, naming every problem at once so the sender can fix them in one go.
 * Every value is bounded before it is looked at (its type, then its length, then its pattern),
 * so no input makes the parser, the answer or a log line expensive; a reference that is not
 * valid is never handed on, and what names an input (an unknown field) is escaped and cut.
 */
public final class InstructionParser {

    public static final Set<String> METHODS = Set.of("ONLINE", "BIFAST", "LLG", "RTGS", "H2H", "CASHOUT", "AUTO");
    public static final Set<String> PROVIDERS = Set.of("duitku", "durianpay");
    public static final Set<String> CASHOUT_BANKS = Set.of("2010", "2011");
    /** Rp10,000 unless payouts.amount.min says otherwise (see the README). */
    public static final long DEFAULT_MIN_AMOUNT = 10_000;
    /** An instruction is a few hundred bytes; anything this large is not one. */
    public static final int MAX_JSON = 65_536;

    private static final Set<String> FIELDS = Set.of("reference", "provider", "method", "bankCode", "accountNumber",
            "accountName", "amount", "purpose", "senderId", "senderName", "email", "phoneNumber", "identityNumber",
            "address", "batch");
    private static final Pattern REFERENCE = Pattern.compile("[A-Za-z0-9._-]{1,64}");
    private static final Pattern BANK_CODE = Pattern.compile("\\d{3,4}");
    private static final Pattern ACCOUNT_NUMBER = Pattern.compile("\\d{5,34}");
    private static final Pattern DIGITS = Pattern.compile("\\d{1,18}");
    private static final Pattern PHONE = Pattern.compile("\\+?\\d{8,16}");
    private static final Pattern EMAIL = Pattern.compile("[^@\\s]+@[^@\\s]+\\.[^@\\s]+");
    private static final BigDecimal MAX_AMOUNT = new BigDecimal("1000000000000"); // Rp1 trillion
    /** An amount written as text: digits, and at most two decimals (sen, which must be zero). */
    private static final Pattern AMOUNT_TEXT = Pattern.compile("[0-9]+(\\.[0-9]{1,2})?");
    /** A text that is a number in another notation (an exponent, separators, a sign): its problem says how to write it. */
    private static final Pattern NUMBER_LIKE = Pattern.compile("[0-9+.,eE-]*[0-9][0-9+.,eE-]*");
    private static final int MAX_AMOUNT_TEXT = 32;
    private static final int MAX_TEXT = 255;
    private static final int UNKNOWN_FIELDS_NAMED = 10;
    /** What text() answers once it has named why a value is not text (compared by identity). */
    private static final String NOT_TEXT = new String("not text");

    /** The outcome of parsing: an instruction, or the reference (only when valid) and every problem. */
    public record Parsed(PayoutInstruction instruction, String reference, List<String> problems) {
        public boolean valid() {
            return problems.isEmpty();
        }
    }

    private final long minAmount;

    public InstructionParser() {
        this(DEFAULT_MIN_AMOUNT);
    }

    /** @param minAmount the smallest amount paid, in rupiah (payouts.amount.min) */
    public InstructionParser(long minAmount) {
        this.minAmount = minAmount;
    }

    /** Whether the text names one of the instruction's fields. */
    public static boolean isField(String name) {
        return FIELDS.contains(name);
    }

    /** Whether the text is a reference: 1-64 of A-Z, a-z, 0-9, '.', '_', '-', but not . or .. (as the callbacks' ids). */
    public static boolean isReference(Object text) {
        return text instanceof String reference && REFERENCE.matcher(reference).matches() && !".".equals(reference)
                && !"..".equals(reference);
    }

    /** Parses a JSON object; anything that is not exactly one is a single problem. */
    public Parsed parseJson(String json) {
        return parsed(StrictJson.object(json, MAX_JSON));
    }

    /** Parses a JSON object sent as bytes, which must be UTF-8. */
    public Parsed parseJson(byte[] json) {
        return parsed(StrictJson.object(json, MAX_JSON));
    }

    private Parsed parsed(StrictJson.Read read) {
        if (read.ok()) {
            return parse(read.fields());
        }
        String problem = switch (read.problem()) {
            case "empty" -> "body: empty; send the instruction as a JSON object with Content-Type: application/json";
            case "must be a JSON object" -> "body: must be a JSON object with the instruction's fields";
            case "not UTF-8 text" -> "body: not UTF-8 text; JSON must be UTF-8";
            default -> read.problem().startsWith("not ")
                    ? "body: must be a JSON object with the instruction's fields" : "body: " + read.problem();
        };
        return new Parsed(null, null, List.of(problem));
    }

    public Parsed parse(Map<String, ?> raw) {
        List<String> problems = new ArrayList<>();
        unknownFields(raw, problems);
        String reference = text(raw, "reference", problems);
        if (reference == null) {
            problems.add("reference: required");
        } else if (reference != NOT_TEXT && !REFERENCE.matcher(reference).matches()) {
            problems.add("reference: must be 1-64 characters of A-Z, a-z, 0-9, '.', '_' or '-'");
        } else if (".".equals(reference) || "..".equals(reference)) {
            problems.add("reference: . and .. cannot be references (GET /api/payouts/{reference} could not name them)");
        }
        String validReference = problems.stream().anyMatch(p -> p.startsWith("reference:")) ? null : reference;
        String provider = lower(text(raw, "provider", problems));
        if (provider != null && provider != NOT_TEXT && !PROVIDERS.contains(provider)) {
            problems.add("provider: must be duitku or durianpay");
        }
        String method = upper(text(raw, "method", problems));
        if (method == null) {
            method = "AUTO";
        } else if (method != NOT_TEXT && !METHODS.contains(method)) {
            problems.add("method: must be one of ONLINE, BIFAST, LLG, RTGS, H2H, CASHOUT, AUTO");
        }
        boolean cashOut = "CASHOUT".equals(method);

        String bankCode = text(raw, "bankCode", problems);
        if (bankCode == null) {
            problems.add("bankCode: required");
        } else if (bankCode != NOT_TEXT && !BANK_CODE.matcher(bankCode).matches()) {
            problems.add("bankCode: must be 3 or 4 digits");
        } else if (cashOut && !CASHOUT_BANKS.contains(bankCode)) {
            problems.add("bankCode: CASHOUT needs 2010 (Indomaret) or 2011 (Pos Indonesia)");
        }
        String accountNumber = text(raw, "accountNumber", problems);
        if (accountNumber == null && !cashOut) {
            problems.add("accountNumber: required");
        } else if (accountNumber != null && accountNumber != NOT_TEXT && !ACCOUNT_NUMBER.matcher(accountNumber).matches()) {
            problems.add("accountNumber: must be 5-34 digits");
        }
        long amount = amount(raw.get("amount"), problems);

        String senderId = text(raw, "senderId", problems);
        if (senderId != null && senderId != NOT_TEXT && !DIGITS.matcher(senderId).matches()) {
            problems.add("senderId: must be digits");
        }
        String email = freeText(raw, "email", problems);
        if (email != null && email != NOT_TEXT && !EMAIL.matcher(email).matches()) {
            problems.add("email: not an email address");
        }
        String phoneNumber = text(raw, "phoneNumber", problems);
        if (phoneNumber != null && phoneNumber != NOT_TEXT && !PHONE.matcher(phoneNumber).matches()) {
            problems.add("phoneNumber: must be 8-16 digits");
        }
        String accountName = freeText(raw, "accountName", problems);
        String purpose = freeText(raw, "purpose", problems);
        String senderName = freeText(raw, "senderName", problems);
        String identityNumber = freeText(raw, "identityNumber", problems);
        String address = freeText(raw, "address", problems);
        String batch = batch(raw, problems);
        if (cashOut) {
            if (accountName == null) {
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
        if (!problems.isEmpty()) {
            return new Parsed(null, validReference, problems);
        }
        PayoutInstruction instruction = new PayoutInstruction(reference, provider, method, bankCode, accountNumber,
                accountName, amount, purpose, senderId, senderName, email, phoneNumber, identityNumber, address, batch);
        return new Parsed(instruction, reference, problems);
    }

    /**
     * A dropped file's batch is its name (the inbox reads .csv and .json files): an instruction
     * naming such a batch could take the name of a file not dropped yet, which would then be refused.
     */
    private static final Pattern FILE_BATCH =
            Pattern.compile("(?is).*\\.(csv|json)");

    /**
     * The optional batch id: up to 255 characters (a file name's length), no control characters,
     * no slash or backslash and not . or .. (it names the batch in GET /api/batches/{id}).
     */
    private static String batch(Map<String, ?> raw, List<String> problems) {
        String batch = freeText(raw, "batch", problems);
        if (batch == null || batch == NOT_TEXT) {
            return null;
        }
        if (!isBatchId(batch)) {
            problems.add("batch: must not contain / or \\, nor be . or ..");
            return null;
        }
        if (FILE_BATCH.matcher(batch).matches()) {
            problems.add("batch: must not end in .csv or .json (a dropped file's batch is named so)");
            return null;
        }
        return batch;
    }

    /** Whether the text can be a batch id: 1-255 characters, no control characters, no slash or backslash, not . or .. */
    public static boolean isBatchId(String text) {
        return text != null && !text.isEmpty() && text.length() <= MAX_TEXT && LogSafe.isClean(text)
                && text.indexOf('/') < 0 && text.indexOf('\\') < 0 && !".".equals(text) && !"..".equals(text);
    }

    /** Each unknown field, named (escaped and cut); a flood of them is counted, not listed. */
    private static void unknownFields(Map<String, ?> raw, List<String> problems) {
        int unknown = 0;
        for (String key : raw.keySet()) {
            if (!FIELDS.contains(key) && ++unknown <= UNKNOWN_FIELDS_NAMED) {
                problems.add(LogSafe.text(key, 40) + ": unknown field");
            }
        }
        if (unknown > UNKNOWN_FIELDS_NAMED) {
            problems.add((unknown - UNKNOWN_FIELDS_NAMED) + " more unknown fields");
        }
    }

    private long amount(Object raw, List<String> problems) {
        if (raw == null || raw instanceof String text && text.isBlank()) {
            problems.add("amount: required");
            return 0;
        }
        BigDecimal value = decimal(raw);
        if (value == null) {
            problems.add(raw instanceof String text && text.trim().length() > MAX_AMOUNT_TEXT
                    ? "amount: must be a positive whole number of rupiah, at most " + MAX_AMOUNT
                    : raw instanceof String text && isAsciiText(text) && NUMBER_LIKE.matcher(text.trim()).matches()
                            ? "amount: must be a positive whole number of rupiah, written in digits (no exponent,"
                                    + " no thousands separator)"
                            : "amount: must be a positive whole number of rupiah");
            return 0;
        }
        // compareTo and stripTrailingZeros work on the scale: quick even for 1e999999999
        if (value.signum() <= 0 || value.stripTrailingZeros().scale() > 0) {
            problems.add("amount: must be a positive whole number of rupiah");
            return 0;
        }
        if (value.compareTo(MAX_AMOUNT) > 0) {
            problems.add("amount: larger than any rail allows");
            return 0;
        }
        if (value.compareTo(BigDecimal.valueOf(minAmount)) < 0) {
            problems.add("amount: at least " + minAmount + " rupiah");
            return 0;
        }
        return value.longValueExact();
    }

    private static boolean isAsciiText(String text) {
        return LogSafe.isClean(text) && text.chars().allMatch(c -> c < 128);
    }

    /** A JSON number or a short text as a decimal; null for anything else (objects, booleans, NaN, hex...). */
    private static BigDecimal decimal(Object raw) {
        try {
            if (raw instanceof BigDecimal decimal) {
                return decimal;
            }
            if (raw instanceof Integer || raw instanceof Long || raw instanceof BigInteger || raw instanceof Short) {
                return new BigDecimal(raw.toString());
            }
            if (raw instanceof Double || raw instanceof Float) {
                double value = ((Number) raw).doubleValue();
                return Double.isFinite(value) ? new BigDecimal(raw.toString()) : null;
            }
            // ASCII digits only (BigDecimal reads any script's digits, and trim() drops control
            // characters): the account number takes no other either. Plain digits with at most two
            // decimals: never an exponent ("1.23E+08", a spreadsheet's scientific format of
            // 123,456,789, is not 123,000,000) nor three decimals ("50.000" is fifty thousand where
            // the dot separates thousands, not 50)
            if (raw instanceof String text && text.trim().length() <= MAX_AMOUNT_TEXT && isAsciiText(text)
                    && AMOUNT_TEXT.matcher(text.trim()).matches()) {
                return new BigDecimal(text.trim());
            }
            return null;
        } catch (NumberFormatException notANumber) {
            return null;
        }
    }

    /**
     * A field as trimmed text (blank counts as absent: CSV cells are never null), or
     * {@link #NOT_TEXT} once its problem is named. Text is what it must be: a whole JSON number
     * is read as its digits (an account number sent as a number), anything else (a fraction,
     * an exponent, an object, a boolean) is a problem, and so is a control character anywhere in
     * it. Cut at a bound before any pattern sees it.
     */
    private static String text(Map<String, ?> raw, String key, List<String> problems) {
        Object value = raw.get(key);
        if (value == null) {
            return null;
        }
        String text;
        if (value instanceof String string) {
            if (!LogSafe.isClean(string)) { // before trimming, which would drop a leading ESC or a trailing NUL
                problems.add(key + ": must not contain control characters");
                return NOT_TEXT;
            }
            if (string.indexOf('\uFFFD') >= 0) { // how a dropped file's bytes that are not UTF-8 are read
                problems.add(key + ": not UTF-8 text (bytes in another encoding are read as U+FFFD): write it in UTF-8");
                return NOT_TEXT;
            }
            text = string.trim();
        } else if (value instanceof Integer || value instanceof Long || value instanceof BigInteger
                || value instanceof Short) {
            text = value.toString();
        } else {
            problems.add(key + (value instanceof Number ? ": must be text (a JSON string), not a number"
                    : ": must be text (a JSON string)"));
            return NOT_TEXT;
        }
        if (text.isEmpty()) {
            return null;
        }
        return text.length() > MAX_TEXT ? text.substring(0, MAX_TEXT + 1) : text;
    }

    /** Free text (names, purpose, address): at most 255 characters (and, as all text, no control characters). */
    private static String freeText(Map<String, ?> raw, String key, List<String> problems) {
        String text = text(raw, key, problems);
        if (text == null || text == NOT_TEXT) {
            return text;
        }
        if (text.length() > MAX_TEXT) {
            problems.add(key + ": at most " + MAX_TEXT + " characters");
            return NOT_TEXT;
        }
        return text;
    }

    private static String lower(String text) {
        return text == null || text == NOT_TEXT ? text : text.toLowerCase(Locale.ROOT);
    }

    private static String upper(String text) {
        return text == null || text == NOT_TEXT ? text : text.toUpperCase(Locale.ROOT);
    }
}
