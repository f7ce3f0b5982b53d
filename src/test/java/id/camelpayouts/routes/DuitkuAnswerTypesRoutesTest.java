package id.camelpayouts.routes;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Map;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import id.camelpayouts.ledger.Payout;

/**
 * Duitku's answers carry ids and the cash-out token as JSON numbers: the document types the cash
 * out's {@code disburseId} as int and its {@code token} as double, and shows the inquiry's
 * {@code disburseId} as a number. A number written with a fraction or an exponent (as a double is
 * often serialised: 230426073103.0) is still the same whole id: the token the
 * customer types at the counter, the disburseId the transfer and the callbacks name.
 */
class DuitkuAnswerTypesRoutesTest extends DuitkuRouteTestSupport {

    @AfterEach
    void everyCallWasAnsweredAsScripted() {
        assertThat(duitku.unexpected()).as("calls nobody expected").isEmpty();
    }

    @Test
    void aCashOutTokenAndDisburseIdSentAsDoublesAreKeptAsTheirDigits() throws Exception {
        Payout payout = submit("CASHOUT", "2010", "081234567150", 100_000);
        Map<String, Object> issued = cashOutAnswer(payout, "00");
        issued.put("disburseId", 23042.0);
        issued.put("token", new java.math.BigDecimal("230426073103.0"));
        duitku.answer("cashout", issued);

        Payout pending = work(payout);
        assertThat(pending.getProviderReference()).isEqualTo("23042");
        assertThat(pending.toOutcome()).containsEntry("token", "230426073103");

        assertThat(callback("cashout", cashOutCallback(payout, "23042", "00"))).isEqualTo("200 SUCCESS");
        assertThat(ledger.find(payout.getReference()).getStatus()).isEqualTo(Payout.SUCCEEDED);
    }

    @Test
    void anInquiryDisburseIdSentAsADoubleIsTheIdTheTransferNames() {
        Payout payout = online();
        Map<String, Object> inquiry = inquiryOk(payout);
        long disburseId = ((Number) inquiry.get("disburseId")).longValue();
        inquiry.put("disburseId", (double) disburseId);
        duitku.answer("inquiry", inquiry).answer("transfer", answer(payout, "00"));

        Payout after = work(payout);
        assertThat(after.getStatus()).isEqualTo(Payout.SUCCEEDED);
        assertThat(after.getProviderReference()).isEqualTo(String.valueOf(disburseId));
    }

    /** The document's cash-out answer table names the description responseMessage (its example: responseDesc). */
    @Test
    void aCashOutAnswerDescribedAsResponseMessageKeepsItsWords() throws Exception {
        Payout payout = submit("CASHOUT", "2010", "081234567150", 100_000);
        Map<String, Object> issued = cashOutAnswer(payout, "00");
        issued.remove("responseDesc");
        issued.put("responseMessage", "Token issued");
        duitku.answer("cashout", issued);

        Payout pending = work(payout);
        assertThat(pending.getResponseCode()).isEqualTo("00");
        assertThat(pending.toOutcome()).containsEntry("responseDesc", "Token issued");
    }

    /**
     * The transfer (and every status inquiry after it) names the disburseId the inquiry answered:
     * an inquiry's success without one is no inquiry to transfer on. It is asked again, and the
     * transfer goes only with a disburseId.
     */
    @Test
    void anInquirySuccessWithoutADisburseIdIsAskedAgainBeforeAnyTransfer() {
        Payout payout = online();
        Map<String, Object> incomplete = inquiryOk(payout);
        incomplete.remove("disburseId");
        Map<String, Object> empty = inquiryOk(payout);
        empty.put("disburseId", "");
        duitku.answer("inquiry", incomplete);

        Payout after = work(payout);
        assertThat(after.getStage()).isEqualTo(Payout.Stage.NEW);
        duitku.answer("inquiry", empty);
        after = work(payout);
        assertThat(after.getStatus()).isEqualTo(Payout.PENDING);
        assertThat(after.getStage()).isEqualTo(Payout.Stage.NEW);
        assertThat(after.getReason()).startsWith("Duitku inquiry did not complete").contains("disburseId");
        assertThat(duitku.sent("transfer")).isZero();

        duitku.answer("inquiry", inquiryOk(payout)).answer("transfer", answer(payout, "00"));
        Payout paid = work(payout);
        assertThat(paid.getStatus()).isEqualTo(Payout.SUCCEEDED);
        assertThat(paid.getProviderReference()).isNotNull();
        assertThat(duitku.sent("transfer")).isEqualTo(1);
    }
}
