package id.camelpayouts.payout;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/** What a provider's answer body reads as. */
class ProviderAnswerTest {

    @Test
    void aJsonAnswerAfterAByteOrderMarkIsReadAsItsObject() {
        assertThat(ProviderAnswer.parse("\uFEFF{\"responseCode\":\"00\",\"disburseId\":12345}"))
                .containsEntry("responseCode", "00").containsEntry("disburseId", 12345);
    }

    @Test
    void anythingButAJsonObjectIsNoAnswer() {
        assertThat(ProviderAnswer.parse("<html><body>502 Bad Gateway</body></html>")).isEmpty();
        assertThat(ProviderAnswer.parse("")).isEmpty();
        assertThat(ProviderAnswer.parse(null)).isEmpty();
        assertThat(ProviderAnswer.parse("[{\"responseCode\":\"00\"}]")).isEmpty();
    }
}
