package id.camelpayouts.payout;

import static org.assertj.core.api.Assertions.assertThat;

import java.math.BigDecimal;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;

class InstructionParserTest {

    final InstructionParser parser = new InstructionParser();

    @Test
    void aValidInstructionGetsItsDefaults() {
        InstructionParser.Parsed parsed = parser.parseJson(
                "{\"reference\":\"r-1.a_b\",\"bankCode\":\"014\",\"accountNumber\":\"8760673566\",\"amount\":50000}");
        assertThat(parsed.problems()).isEmpty();
        assertThat(parsed.instruction().method()).isEqualTo("AUTO");
        assertThat(parsed.instruction().provider()).isNull();
        assertThat(parsed.instruction().amount()).isEqualTo(50000);
    }

    @Test
    void everyProblemIsNamedAtOnce() {
        InstructionParser.Parsed parsed = parser.parseJson("{\"reference\":\"has space\",\"provider\":\"paypal\","
                + "\"method\":\"SWIFT\",\"bankCode\":\"BCA\",\"accountNumber\":\"12-34\",\"amount\":-1,"
                + "\"ammount\":5,\"email\":\"nope\"}");
        assertThat(parsed.valid()).isFalse();
        assertThat(parsed.problems()).containsExactlyInAnyOrder(
                "ammount: unknown field",
                "reference: must be 1-64 characters of A-Z, a-z, 0-9, '.', '_' or '-'",
                "provider: must be duitku or durianpay",
                "method: must be one of ONLINE, BIFAST, LLG, RTGS, H2H, CASHOUT, AUTO",
                "bankCode: must be 3 or 4 digits",
                "accountNumber: must be 5-34 digits",
                "amount: must be a positive whole number of rupiah",
                "email: not an email address");
    }

    @Test
    void missingRequiredFieldsAreEachNamed() {
        assertThat(parser.parseJson("{}").problems()).containsExactlyInAnyOrder("reference: required",
                "bankCode: required", "accountNumber: required", "amount: required");
    }

    @Test
    void amountsMustBeWholeRupiahButMayBeWrittenAsDecimalsOrText() {
        assertThat(parse(Map.of("amount", 50000.0)).valid()).isTrue();
        assertThat(parse(Map.of("amount", "75000")).instruction().amount()).isEqualTo(75000);
        assertThat(parse(Map.of("amount", 50000.5)).problems())
                .containsExactly("amount: must be a positive whole number of rupiah");
        assertThat(parse(Map.of("amount", "abc")).valid()).isFalse();
        assertThat(parse(Map.of("amount", 0)).valid()).isFalse();
        assertThat(parse(Map.of("amount", true)).valid()).isFalse();
        assertThat(parse(Map.of("amount", "99999999999999999")).problems())
                .containsExactly("amount: larger than any rail allows");
        // digits of other scripts are not rupiah amounts (as they are no account numbers): read
        // as digits, "\uFF15\uFF10\uFF10\uFF10\uFF10" (full-width) paid 50,000, and so did a
        // text with a control character that trimming dropped
        for (String other : new String[] {"\uFF15\uFF10\uFF10\uFF10\uFF10", "\u0665\u0660\u0660\u0660\u0660",
                "50000\u0000", "\u001b50000", "50000\r\n"}) {
            assertThat(parse(Map.of("amount", other)).problems()).as(other)
                    .containsExactly("amount: must be a positive whole number of rupiah");
        }
        assertThat(parse(Map.of("amount", " 50000 ")).instruction().amount()).isEqualTo(50000);
        assertThat(parse(Map.of("amount", "50000.00")).instruction().amount()).isEqualTo(50000);
    }

    @Test
    void cashOutNeedsItsCustomerFieldsButNoAccount() {
        Map<String, Object> row = new LinkedHashMap<>(Map.of("reference", "c1", "method", "cashout",
                "bankCode", "014", "amount", 50000));
        assertThat(parser.parse(row).problems()).containsExactlyInAnyOrder(
                "bankCode: CASHOUT needs 2010 (Indomaret) or 2011 (Pos Indonesia)",
                "accountName: required for CASHOUT (the customer who collects)",
                "phoneNumber: required for CASHOUT", "identityNumber: required for CASHOUT",
                "address: required for CASHOUT");
    }

    @Test
    void blankCsvCellsCountAsAbsentAndNotAsInvalid() {
        Map<String, Object> row = new LinkedHashMap<>(Map.of("reference", "csv-1", "provider", "", "method", " ",
                "bankCode", "014", "accountNumber", "8760673566", "amount", "50000", "purpose", ""));
        InstructionParser.Parsed parsed = parser.parse(row);
        assertThat(parsed.problems()).isEmpty();
        assertThat(parsed.instruction().purpose()).isNull();
    }

    @Test
    void sameContentSameFingerprintOtherContentOther() {
        PayoutInstruction a = parse(Map.of("amount", 50000)).instruction();
        PayoutInstruction b = parse(Map.of("amount", "50000")).instruction();
        PayoutInstruction c = parse(Map.of("amount", 50001)).instruction();
        assertThat(a.fingerprint()).isEqualTo(b.fingerprint()).isNotEqualTo(c.fingerprint());
    }

    @Test
    void aBodyThatIsNotAnObjectIsOneClearProblem() {
        assertThat(parser.parseJson("[1,2]").problems()).hasSize(1);
        assertThat(parser.parseJson("").problems().get(0)).contains("Content-Type: application/json");
    }

    @Test
    void nameCheckIgnoresCaseSpacingAndPunctuation() {
        assertThat(NameCheck.normalize(" budi  SANTOSO, s.e. ")).isEqualTo(NameCheck.normalize("BUDI SANTOSO SE"));
        assertThat(NameCheck.normalize("José")).isEqualTo("JOSE");
        assertThat(NameCheck.normalize("Budi")).isNotEqualTo(NameCheck.normalize("Budi Santoso"));
    }

    /** A number where text belongs (1e400 used to throw: HTTP 500, a poison file, a DLQ message without reason). */
    @Test
    void aNumberWhereTextBelongsIsANamedProblem() {
        for (String field : List.of("reference", "bankCode", "accountNumber", "senderId", "phoneNumber")) {
            Map<String, String> json = new LinkedHashMap<>(Map.of("reference", "\"r1\"", "bankCode", "\"014\"",
                    "accountNumber", "\"8760673566\"", "amount", "50000"));
            json.put(field, "1e400");
            StringBuilder body = new StringBuilder("{");
            json.forEach((name, value) -> body.append(body.length() > 1 ? "," : "").append('"').append(name)
                    .append("\":").append(value));
            InstructionParser.Parsed parsed = parser.parseJson(body.append('}').toString());
            assertThat(parsed.problems()).as(field).containsExactly(field + ": must be text (a JSON string), not a number");
        }
        // ...as it arrives from a file read with a plain mapper (a double, here infinite)
        assertThat(parse(Map.of("bankCode", Double.POSITIVE_INFINITY)).problems())
                .containsExactly("bankCode: must be text (a JSON string), not a number");
        assertThat(parse(Map.of("accountNumber", new BigDecimal("1e999999999"))).problems())
                .containsExactly("accountNumber: must be text (a JSON string), not a number");
        assertThat(parse(Map.of("reference", Map.of("a", "b"))).problems())
                .containsExactly("reference: must be text (a JSON string)");
        // a whole JSON number for a digits field is still read as its digits
        assertThat(parse(Map.of("accountNumber", 8760673566L)).instruction().accountNumber()).isEqualTo("8760673566");
    }

    @Test
    void anAbsurdAmountIsRefusedQuickly() {
        long began = System.nanoTime();
        assertThat(parse(Map.of("amount", "1e999999999")).problems()).containsExactly("amount: must be a positive"
                + " whole number of rupiah, written in digits (no exponent, no thousands separator)");
        assertThat(parse(Map.of("amount", new BigDecimal("1e-999999999"))).problems())
                .containsExactly("amount: must be a positive whole number of rupiah");
        assertThat(parse(Map.of("amount", "9".repeat(100_000))).problems())
                .containsExactly("amount: must be a positive whole number of rupiah, at most 1000000000000");
        assertThat(parse(Map.of("amount", Double.NaN)).problems())
                .containsExactly("amount: must be a positive whole number of rupiah");
        assertThat(parse(Map.of("amount", List.of(50000))).problems())
                .containsExactly("amount: must be a positive whole number of rupiah");
        assertThat(System.nanoTime() - began).isLessThan(500_000_000L);
    }

    /**
     * An amount written as text (a CSV cell, a JSON string) is plain digits, with at most two
     * decimals (sen) that are zero. A spreadsheet column formatted as scientific writes 123,456,789
     * as "1.23E+08": read as 123,000,000 it was paid, a different amount than the one meant. And
     * "50.000" is how Indonesia writes fifty thousand: read as 50 rupiah it was paid wherever
     * payouts.amount.min allows it.
     */
    @Test
    void anAmountTextIsPlainDigitsNeverAnExponentNorAThousandsSeparator() {
        InstructionParser anyAmount = new InstructionParser(1);
        for (String text : List.of("1.23E+08", "5e4", "5E4", "1e5", "50.000", "1.500", "25.000.000", "+50000",
                "50,000", "50000.", ".5", "50000.000")) {
            assertThat(anyAmount.parse(Map.of("reference", "r1", "bankCode", "014", "accountNumber", "8760673566",
                    "amount", text)).problems()).as(text).containsExactly("amount: must be a positive whole number of"
                            + " rupiah, written in digits (no exponent, no thousands separator)");
        }
        for (String text : List.of("50000", "050000", "50000.0", "50000.00", " 50000 ")) {
            assertThat(anyAmount.parse(Map.of("reference", "r1", "bankCode", "014", "accountNumber", "8760673566",
                    "amount", text)).instruction().amount()).as(text).isEqualTo(50000);
        }
        // a JSON number is a number: 5e4 is exactly fifty thousand
        assertThat(parse(Map.of("amount", new BigDecimal("5e4"))).instruction().amount()).isEqualTo(50000);
    }

    @Test
    void anAmountBelowTheMinimumIsRefused() {
        assertThat(parse(Map.of("amount", 1)).problems()).containsExactly("amount: at least 10000 rupiah");
        assertThat(parse(Map.of("amount", 9999)).problems()).containsExactly("amount: at least 10000 rupiah");
        assertThat(parse(Map.of("amount", 10000)).valid()).isTrue();
        assertThat(new InstructionParser(1).parse(Map.of("reference", "r1", "bankCode", "014",
                "accountNumber", "8760673566", "amount", 1)).valid()).isTrue();
    }

    @Test
    void dotAndDotDotAreNotReferences() {
        for (String reference : List.of(".", "..")) {
            InstructionParser.Parsed parsed = parse(Map.of("reference", reference));
            assertThat(parsed.problems()).containsExactly(
                    "reference: . and .. cannot be references (GET /api/payouts/{reference} could not name them)");
            assertThat(parsed.reference()).isNull();
        }
        assertThat(parse(Map.of("reference", "...")).valid()).isTrue();
    }

    /** An invalid reference is never handed on (to the answer, the log or a results file). */
    @Test
    void onlyAValidReferenceIsHandedOn() {
        assertThat(parse(Map.of("reference", "r".repeat(10_000))).reference()).isNull();
        assertThat(parse(Map.of("reference", "r\r\nINFO forged")).reference()).isNull();
        assertThat(parse(Map.of("reference", "ok-1", "amount", -1)).reference()).isEqualTo("ok-1");
    }

    @Test
    void controlCharactersInTextAreRefused() {
        for (String field : List.of("accountName", "purpose", "senderName", "identityNumber", "address", "email")) {
            assertThat(parse(Map.of(field, "a\u001b[31m@b.co")).problems()).as(field)
                    .contains(field + ": must not contain control characters");
        }
        assertThat(parse(Map.of("accountName", "Siti Rahayu é")).valid()).isTrue();
    }

    @Test
    void unknownFieldNamesAreEscapedBoundedAndFew() {
        assertThat(parse(Map.of("x\r\nWARN forged", 1)).problems())
                .containsExactly("x\\u000d\\u000aWARN forged: unknown field");
        assertThat(parse(Map.of("k".repeat(5000), 1)).problems())
                .containsExactly("k".repeat(40) + "...(4960 more): unknown field");
        Map<String, Object> many = new LinkedHashMap<>();
        for (int i = 0; i < 1000; i++) {
            many.put("f" + i, 1);
        }
        List<String> problems = parse(many).problems();
        assertThat(problems).hasSize(11).last().isEqualTo("990 more unknown fields");
    }

    @Test
    void theJsonMustBeExactlyOneObject() {
        String good = "{\"reference\":\"r1\",\"bankCode\":\"014\",\"accountNumber\":\"8760673566\",\"amount\":50000}";
        assertThat(parser.parseJson("\uFEFF" + good).valid()).isTrue();
        assertThat(parser.parseJson(good + " x").problems()).containsExactly("body: has content after the JSON object");
        assertThat(parser.parseJson(good.replace("}", ",\"amount\":1}")).problems())
                .containsExactly("body: the field amount appears more than once");
        assertThat(parser.parseJson(good.replace("}", ",\"purpose\":\"" + "p".repeat(70_000) + "\"}")).problems())
                .containsExactly("body: larger than 65536 characters");
        assertThat(parser.parseJson("{\"purpose\":" + "[".repeat(5000) + "]".repeat(5000) + "}").problems())
                .containsExactly("body: is nested deeper than 16 levels");
    }

    private InstructionParser.Parsed parse(Map<String, Object> overrides) {
        Map<String, Object> row = new LinkedHashMap<>(Map.of("reference", "r1", "bankCode", "014",
                "accountNumber", "8760673566", "amount", 50000));
        row.putAll(overrides);
        return parser.parse(row);
    }
}
