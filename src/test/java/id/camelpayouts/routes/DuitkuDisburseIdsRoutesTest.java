package id.camelpayouts.routes;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Map;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import id.camelpayouts.ledger.Payout;

/**
 * Cash out runs on its own Duitku host (disbursement.duitku.com), transfers and clearing on
 * another (passport.duitku.com): nothing in the document says their disburseIds never meet. A
 * callback names its kind by where it arrives, so a cash out's callback finds the cash out and a
 * clearing callback the transfer, even when both carry the same disburseId.
 */
class DuitkuDisburseIdsRoutesTest extends DuitkuRouteTestSupport {

    @AfterEach
    void everyCallWasAnsweredAsScripted() {
        assertThat(duitku.unexpected()).as("calls nobody expected").isEmpty();
    }

    @Test
    void aCashOutAndAnH2hTransferWithTheSameDisburseIdAreEachSettledByTheirOwnCallback() throws Exception {
        Payout h2h = transferAnswered(submit("H2H", "009", "5553100001", 60_000_000), "80");
        String disburseId = ledger.find(h2h.getReference()).getProviderReference();
        Payout cashOut = submit("CASHOUT", "2010", "081234567150", 100_000);
        Map<String, Object> issued = cashOutAnswer(cashOut, "00");
        issued.put("disburseId", Long.parseLong(disburseId)); // the cash-out host's own sequence
        duitku.answer("cashout", issued);
        assertThat(work(cashOut).getProviderReference()).isEqualTo(disburseId);

        assertThat(callback("cashout", cashOutCallback(cashOut, disburseId, "00"))).isEqualTo("200 SUCCESS");
        assertThat(ledger.find(cashOut.getReference()).getStatus()).isEqualTo(Payout.SUCCEEDED);
        assertThat(ledger.find(h2h.getReference()).getStatus()).isEqualTo(Payout.PENDING);

        assertThat(callback("clearing", clearingCallback(h2h, "00"))).isEqualTo("200 SUCCESS");
        assertThat(ledger.find(h2h.getReference()).getStatus()).isEqualTo(Payout.SUCCEEDED);
        // repeats, now that both are final (and kept in memory), still find their own
        assertThat(callback("cashout", cashOutCallback(cashOut, disburseId, "00"))).isEqualTo("200 SUCCESS");
        assertThat(callback("clearing", clearingCallback(h2h, "00"))).isEqualTo("200 SUCCESS");
    }

    @Test
    void aClearingCallbackFindsItsTransferThoughACashOutWithItsDisburseIdCameFirst() throws Exception {
        Payout cashOut = submit("CASHOUT", "2010", "081234567160", 100_000);
        Map<String, Object> issued = cashOutAnswer(cashOut, "00");
        duitku.answer("cashout", issued);
        String disburseId = work(cashOut).getProviderReference();
        Payout h2h = submit("H2H", "009", "5553100002", 60_000_000);
        Map<String, Object> inquiry = inquiryOk(h2h);
        inquiry.put("disburseId", Long.parseLong(disburseId));
        duitku.answer("inquiry", inquiry).answer("transfer", answer(h2h, "80"));
        assertThat(work(h2h).getProviderReference()).isEqualTo(disburseId);

        assertThat(callback("clearing", clearingCallback(h2h, "00"))).isEqualTo("200 SUCCESS");
        assertThat(ledger.find(h2h.getReference()).getStatus()).isEqualTo(Payout.SUCCEEDED);
        assertThat(ledger.find(cashOut.getReference()).getStatus()).isEqualTo(Payout.PENDING);
    }

    @Test
    void aCashOutWhoseAnswerWasLostIsFoundByOurReferenceThoughATransferHasItsDisburseId() throws Exception {
        Payout h2h = transferAnswered(submit("H2H", "009", "5553100003", 60_000_000), "80");
        String disburseId = ledger.find(h2h.getReference()).getProviderReference();
        Payout cashOut = submit("CASHOUT", "2010", "081234567170", 100_000);
        duitku.noAnswer("cashout");
        assertThat(work(cashOut).getProviderReference()).isNull();

        assertThat(callback("cashout", cashOutCallback(cashOut, disburseId, "00"))).isEqualTo("200 SUCCESS");
        assertThat(ledger.find(cashOut.getReference()).getStatus()).isEqualTo(Payout.SUCCEEDED);
        assertThat(ledger.find(h2h.getReference()).getStatus()).isEqualTo(Payout.PENDING);
    }
}
