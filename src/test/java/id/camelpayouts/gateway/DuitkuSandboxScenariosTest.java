package id.camelpayouts.gateway;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import id.camelpayouts.ledger.Payout;
import id.camelpayouts.twin.DuitkuTwin;

/**
 * Every account of the document's "Disbursement Inquiry Test" and "Disbursement Transfer Test"
 * tables, driven through the HTTP API: each shows its documented code and ends in its final
 * status, and money moves at the twin exactly when the payout succeeded.
 */
class DuitkuSandboxScenariosTest extends GatewayTestSupport {

    @ParameterizedTest(name = "inquiry {0} answers {1}: {2}")
    @CsvSource({
        "8760673566, 00,   SUCCEEDED",
        "8760673511, TO,   FAILED",
        "8760673512, -100, FAILED",
        "8760673513, LD,   FAILED",
        "8760673514, 91,   FAILED",
        "8760673515, 89,   FAILED"
    })
    void inquiryTestAccounts(String account, String documentedCode, String finalStatus) {
        String reference = reference("inq");
        assertThat(post("/api/payouts", instruction(reference, account, 50000)).status()).isEqualTo(202);

        Payout payout = awaitFinal(reference);

        assertThat(payout.getStatus()).isEqualTo(finalStatus);
        if (!"00".equals(documentedCode)) {
            // Inquiries move no money: asked three times (payouts.inquiry.backoff has two waits), then failed.
            assertThat(payout.getResponseCode()).isEqualTo(documentedCode);
            assertThat(payout.getInquiryAttempts()).isEqualTo(3);
            assertThat(payout.getReason()).startsWith("Duitku inquiry did not complete").contains(documentedCode);
            assertThat(payout.getProviderReference()).isNull();
        } else {
            assertThat(twin.transfersExecuted(payout.getProviderReference())).isEqualTo(1);
        }
    }

    /**
     * Only -510 is a refusal of the transfer itself (FAILED at once). LD, 91 and 89 say nothing
     * about whether the money moved: the status decides. The twin never executed them and does not
     * know them, so they fail once the not-found grace (0 s here) has passed; TO and 68 were
     * executed and succeed. -100 is below: a "do not retry" answer.
     */
    @ParameterizedTest(name = "transfer {0} answers {1}: {2}, money moved {3} time(s)")
    @CsvSource({
        "8760673566, 00,   SUCCEEDED, 1",
        "8760673559, LD,   FAILED,    0",
        "8760673560, 91,   FAILED,    0",
        "8760673561, TO,   SUCCEEDED, 1",
        "8760673562, -510, FAILED,    0",
        "8760673563, 89,   FAILED,    0",
        "8760673564, 68,   SUCCEEDED, 1"
    })
    void transferTestAccounts(String account, String documentedCode, String finalStatus, int executed) {
        String reference = reference("trf");
        assertThat(post("/api/payouts", instruction(reference, account, 50000)).status()).isEqualTo(202);

        Payout payout = awaitFinal(reference);

        assertThat(payout.getStatus()).isEqualTo(finalStatus);
        // The event right after "transfer sent" records Duitku's answer to the transfer.
        List<String> history = ledger.history(reference);
        int sent = history.indexOf("TRANSFER_SENT PENDING null transfer sent");
        assertThat(sent).as("transfer sent in %s", history).isPositive();
        assertThat(history.get(sent + 1)).contains(" " + documentedCode + " ");
        assertThat(history).filteredOn(event -> event.contains("transfer sent")).hasSize(1);
        assertThat(twin.transfersExecuted(payout.getProviderReference())).isEqualTo(executed);
        if (!Payout.SUCCEEDED.equals(finalStatus)) {
            assertThat(payout.getReason()).startsWith("-510".equals(documentedCode) ? "Duitku refused the transfer: "
                    : "Duitku has no record of the transfer: ");
            assertThat(history).as("the status was asked first").anySatisfy(event -> assertThat(event)
                    .contains("-510".equals(documentedCode) ? "refused" : "checking its status"));
        }
    }

    /**
     * -100 is one of the document's "do not retry" answers to a transfer ("a problem in the transfer
     * process"): Duitku has it, so its status saying "not found" (the twin never executed it) is no
     * evidence that the money did not move. It stays PENDING, never FAILED, until its status or a
     * person settles it.
     */
    @Test
    void aTransferAnsweredDoNotRetryIsNeverFailedByNotFound() {
        String reference = reference("trf");
        assertThat(post("/api/payouts", instruction(reference, "8760673565", 50000)).status()).isEqualTo(202);

        org.awaitility.Awaitility.await().atMost(java.time.Duration.ofSeconds(15))
                .pollInterval(java.time.Duration.ofMillis(50))
                .until(() -> ledger.history(reference).stream().anyMatch(e -> e.contains("acknowledged the transfer")));
        Payout payout = ledger.find(reference);
        assertThat(payout.getStatus()).isEqualTo(Payout.PENDING);
        assertThat(payout.getReason()).startsWith("Duitku has no record of the transfer: ")
                .contains("acknowledged the transfer earlier");
        List<String> history = ledger.history(reference);
        int sent = history.indexOf("TRANSFER_SENT PENDING null transfer sent");
        assertThat(history.get(sent + 1)).contains(" -100 ");
        assertThat(history).filteredOn(event -> event.contains("transfer sent")).hasSize(1);
        assertThat(twin.transfersExecuted(payout.getProviderReference())).isZero();
    }

    /** Refusals of the request itself (the document's words): FAILED at once, nothing moved. */
    @ParameterizedTest(name = "transfer refused with {0}")
    @CsvSource({"-123", "-930", "-192"})
    void theDocumentsRefusalsOfATransferFailItAtOnce(String code) {
        twin.refuseNext("transfersandbox", code);
        String reference = reference("refused");
        post("/api/payouts", instruction(reference, "5550004000", 50000));
        Payout payout = awaitFinal(reference);
        assertThat(payout.getStatus()).isEqualTo(Payout.FAILED);
        assertThat(payout.getReason()).startsWith("Duitku refused the transfer: ").endsWith("(" + code + ")");
        assertThat(twin.transfersExecuted(payout.getProviderReference())).isZero();
    }

    /** "Callback URL not found" does not say the transfer was refused: the status decides (the twin: not found). */
    @Test
    void aTransferAnsweredCallbackUrlNotFoundIsSettledByItsStatus() {
        twin.refuseNext("transfersandbox", "-161");
        String reference = reference("no-callback-url");
        post("/api/payouts", instruction(reference, "5550004001", 50000));
        Payout payout = awaitFinal(reference);
        assertThat(payout.getStatus()).isEqualTo(Payout.FAILED);
        assertThat(payout.getReason()).startsWith("Duitku has no record of the transfer: ");
        assertThat(ledger.history(reference)).anySatisfy(e -> assertThat(e).contains(" -161 ")
                .contains("checking its status"));
    }

    @Test
    void aBlacklistedAccountIsRefusedAtInquiry() {
        String reference = reference("blacklisted");
        post("/api/payouts", instruction(reference, DuitkuTwin.BLACKLISTED_ACCOUNT, 50000));
        Payout payout = awaitFinal(reference);
        assertThat(payout.getStatus()).isEqualTo(Payout.FAILED);
        assertThat(payout.getResponseCode()).isEqualTo("-192");
        assertThat(payout.getReason()).startsWith("Duitku refused the inquiry: ");
        assertThat(payout.getInquiryAttempts()).isEqualTo(1);
    }
}
