package id.camelpayouts.input;

import static org.assertj.core.api.Assertions.assertThat;

import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;

import org.junit.jupiter.api.Test;

class StrictJsonTest {

    static StrictJson.Read read(String json) {
        return StrictJson.object(json.getBytes(StandardCharsets.UTF_8), 1024);
    }

    @Test
    void anObjectIsReadWithBigNumbersAsDecimalsNeverInfinite() {
        StrictJson.Read read = read("{\"a\":\"x\",\"n\":1e400,\"i\":50000,\"f\":50000.0}");
        assertThat(read.ok()).isTrue();
        assertThat(read.fields().get("n")).isEqualTo(new BigDecimal("1e400"));
        assertThat(read.fields().get("i")).isEqualTo(50000);
        assertThat(read.fields()).containsKeys("a", "f");
    }

    @Test
    void aByteOrderMarkBeforeTheObjectIsAccepted() {
        assertThat(read("\uFEFF{\"a\":1}").fields()).containsEntry("a", 1);
        assertThat(StrictJson.object("\uFEFF{\"a\":1}", 100).fields()).containsEntry("a", 1);
    }

    @Test
    void whatIsNotExactlyOneObjectIsNamed() {
        assertThat(read("{\"a\":1,\"a\":2}").problem()).isEqualTo("the field a appears more than once");
        assertThat(read("{\"a\":1} garbage").problem()).isEqualTo("has content after the JSON object");
        assertThat(read("{\"a\":1}{\"a\":1}").problem()).isEqualTo("has content after the JSON object");
        assertThat(read("[{\"a\":1}]").problem()).isEqualTo("must be a JSON object");
        assertThat(read("null").problem()).isEqualTo("must be a JSON object");
        assertThat(read("not json").problem()).isEqualTo("not JSON (line 1, column 4)");
        assertThat(read("{\"a\":}").problem()).startsWith("not JSON (line 1, column");
        assertThat(read("").problem()).isEqualTo("empty");
        assertThat(read("  ").problem()).isEqualTo("empty");
        assertThat(read("{\"a\":" + "[".repeat(100) + "]".repeat(100) + "}").problem())
                .isEqualTo("is nested deeper than 16 levels");
        assertThat(read("{\"a\":" + "9".repeat(500) + "}").problem())
                .isEqualTo("has a number longer than 40 characters");
        assertThat(StrictJson.object(("{\"" + "k".repeat(300) + "\":1}").getBytes(StandardCharsets.UTF_8), 1000)
                .problem()).isEqualTo("has a field name longer than 256 characters");
    }

    @Test
    void theSizeIsCheckedBeforeAnythingElse() {
        StrictJson.Read big = StrictJson.object(new byte[2000], 1024);
        assertThat(big.tooLarge()).isTrue();
        assertThat(big.problem()).isEqualTo("larger than 1024 bytes");
        assertThat(StrictJson.object("x".repeat(200), 100).problem()).isEqualTo("larger than 100 characters");
    }

    @Test
    void onlyUtf8IsRead() {
        assertThat(StrictJson.object(new byte[] {'{', '"', 'a', '"', ':', '"', (byte) 0xFF, '"', '}'}, 100).problem())
                .isEqualTo("not UTF-8 text");
        assertThat(StrictJson.object("{\"a\":1}".getBytes(StandardCharsets.UTF_16), 100).problem())
                .isEqualTo("not UTF-8 text");
        // ASCII (what Duitku sends) and any other UTF-8 text read alike
        assertThat(StrictJson.object("{\"a\":\"Rp\"}".getBytes(StandardCharsets.UTF_8), 100).fields())
                .containsEntry("a", "Rp");
        assertThat(StrictJson.object("{\"a\":\"S\u00e3o \u20ac\"}".getBytes(StandardCharsets.UTF_8), 100).fields())
                .containsEntry("a", "S\u00e3o \u20ac");
    }

    @Test
    void aDuplicateFieldsNameIsEscaped() {
        assertThat(read("{\"a\\u001bb\":1,\"a\\u001bb\":2}").problem())
                .isEqualTo("the field a\\u001bb appears more than once");
    }
}
