package id.camelpayouts.payout;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.LinkedHashMap;
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

    private InstructionParser.Parsed parse(Map<String, Object> overrides) {
        Map<String, Object> row = new LinkedHashMap<>(Map.of("reference", "r1", "bankCode", "014",
                "accountNumber", "8760673566", "amount", 50000));
        row.putAll(overrides);
        return parser.parse(row);
    }
}
