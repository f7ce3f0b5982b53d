package id.camelpayouts.durianpay;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Map;

import org.junit.jupiter.api.Test;

class SnapAnswerTextTest {

    /** Durianpay's status answer exactly as its document's example writes it. */
    static final String EXAMPLE = "{ \"additionalInfo\": { \"channel\": \"mobilephone\", \"deviceId\": \"12345679237\" },"
            + " \"amount\": { \"currency\": \"IDR\", \"value\": \"20000.00\" }, \"beneficiaryAccountNo\": \"123123123\","
            + " \"beneficiaryBankCode\": \"002\", \"currency\": \"IDR\", \"latestTransactionStatus\": \"00\","
            + " \"transactionStatusDesc\": \"success\" \"originalPartnerReferenceNo\": \"111111111\","
            + " \"originalReferenceNo\": \"dis_item_vhLkXOtB0s6619\", \"referenceNumber\": \"123123\", \"serviceCode\": \"18\","
            + " \"sourceAccountNo\": \"123123\", \"transactionId\": \"123123\", \"responseCode\": \"2003600\","
            + " \"responseMessage\": \"Successful\", }";

    @Test
    void theDocumentsExampleIsReadForWhatItSays() {
        Map<String, Object> answer = SnapAnswerText.read(EXAMPLE);
        assertThat(answer).containsEntry("responseCode", "2003600").containsEntry("latestTransactionStatus", "00")
                .containsEntry("transactionStatusDesc", "success").containsEntry("originalPartnerReferenceNo", "111111111")
                .containsEntry("responseMessage", "Successful");
        assertThat(answer).hasSize(15);
    }

    @Test
    void textInsideStringsIsNeverMended() {
        Map<String, Object> answer = SnapAnswerText.read("{\"a\": \"x\\\" \\\"y, }\" \"b\": 1,}");
        assertThat(answer).containsEntry("a", "x\" \"y, }").containsEntry("b", 1);
    }

    @Test
    void strictJsonIsReadAsItIs() {
        assertThat(SnapAnswerText.read("{\"responseCode\":\"2001800\",\"referenceNo\":\"dis_item_1\"}"))
                .containsEntry("responseCode", "2001800").hasSize(2);
    }

    @Test
    void whatIsNotJsonStaysNoAnswer() {
        assertThat(SnapAnswerText.read("<html><body>404 Not Found</body></html>")).isEmpty();
        assertThat(SnapAnswerText.read("")).isEmpty();
        assertThat(SnapAnswerText.read(null)).isEmpty();
        assertThat(SnapAnswerText.read("{\"responseCode\" \"2003600\"}")).as("a missing colon is not mended").isEmpty();
    }
}
