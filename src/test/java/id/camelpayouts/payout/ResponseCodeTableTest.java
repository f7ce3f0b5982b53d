package id.camelpayouts.payout;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class ResponseCodeTableTest {

    private static final String CSV = """
            # a provider's codes
            code,says,inquiry,transfer
            00,Success,success,success
            -510,"Insufficient Fund, top up",declined,declined
            TO,Time out (do not retry),retry,
            401xx01,Invalid token,retry,retry
            """;

    @Test
    void classifiesEachCodePerCallAndEverythingElseAsUnknown() throws Exception {
        ResponseCodeTable table = ResponseCodeTable.read("test", CSV);
        assertThat(table.calls()).containsExactly("inquiry", "transfer");
        assertThat(table.classify("transfer", "00")).isEqualTo("success");
        assertThat(table.classify("inquiry", "-510")).isEqualTo("declined");
        assertThat(table.says("-510")).isEqualTo("Insufficient Fund, top up");
        assertThat(table.classify("inquiry", "TO")).isEqualTo("retry");
        // listed, but not classified for this call: unknown, never a decline
        assertThat(table.classify("transfer", "TO")).isEqualTo(ResponseCodeTable.UNKNOWN);
        // not listed at all
        assertThat(table.classify("transfer", "-999")).isEqualTo(ResponseCodeTable.UNKNOWN);
        assertThat(table.classify("transfer", null)).isEqualTo(ResponseCodeTable.UNKNOWN);
        assertThat(table.codes()).extracting(ResponseCodeTable.Code::code).containsExactly("00", "-510", "TO", "401xx01");
    }

    @Test
    void aPatternMatchesCodesOfItsLengthWithAnyDigitsWhereItHasX() throws Exception {
        ResponseCodeTable table = ResponseCodeTable.read("test", CSV);
        assertThat(table.classify("transfer", "4011801")).isEqualTo("retry");
        assertThat(table.classify("transfer", "4011802")).isEqualTo(ResponseCodeTable.UNKNOWN);
        assertThat(table.classify("transfer", "40118011")).isEqualTo(ResponseCodeTable.UNKNOWN);
    }

    @Test
    void aCodeListedTwiceOrAnUnknownCallIsAMistakeInTheTable() throws Exception {
        assertThatThrownBy(() -> ResponseCodeTable.read("test", "code,says,transfer\n00,a,success\n00,b,declined\n"))
                .hasMessageContaining("00 is listed twice");
        assertThatThrownBy(() -> ResponseCodeTable.read("test", CSV).classify("refund", "00"))
                .hasMessageContaining("no call 'refund'");
    }
}
