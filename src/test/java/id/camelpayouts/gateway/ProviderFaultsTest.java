package id.camelpayouts.gateway;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import id.camelpayouts.ledger.Payout;
import id.camelpayouts.twin.TwinFault;

/**
 * What the gateway does when Duitku misbehaves around a money-moving call: an unknown outcome
 * is PENDING and settled by status inquiry, never by sending the transfer again.
 */
class ProviderFaultsTest extends GatewayTestSupport {

    @AfterEach
    void noFaultsLeft() {
        twin.faults().clear();
    }

    /**
     * The slow faults below rely on it: payouts.provider.timeout (1500ms for these tests) reaches
     * both http components, through the camel.component.http(s).* defaults of the library.
     */
    @Test
    void providerCallsAreBoundedByTheConfiguredTimeout() {
        for (String scheme : java.util.List.of("http", "https")) {
            org.apache.camel.component.http.HttpComponent http = context.getComponent(scheme,
                    org.apache.camel.component.http.HttpComponent.class);
            assertThat(http.getResponseTimeout()).as(scheme).isEqualTo(1500);
            assertThat(http.getSoTimeout()).as(scheme).isEqualTo(1500);
        }
    }

    @Test
    void connectionDroppedAfterTheTransferWasExecuted() {
        assertSettledByStatusInquiry(TwinFault.DROP_AFTER, Payout.SUCCEEDED, 1);
    }

    @Test
    void serverErrorAfterTheTransferWasExecuted() {
        assertSettledByStatusInquiry(TwinFault.HTTP_502_AFTER, Payout.SUCCEEDED, 1);
    }

    @Test
    void answerTooLateAfterTheTransferWasExecuted() {
        assertSettledByStatusInquiry(TwinFault.SLOW_AFTER, Payout.SUCCEEDED, 1);
    }

    /** EE, 91 and -142 say nothing about whether the money moved: the status says it did. */
    @ParameterizedTest(name = "{0}")
    @EnumSource(value = TwinFault.class, names = {"GENERAL_ERROR_AFTER", "TRANSPORT_ERROR_AFTER",
        "ALREADY_FINISHED_AFTER", "DO_NOT_RETRY_AFTER"})
    void anErrorCodeAnsweredAfterTheTransferWasExecuted(TwinFault fault) {
        assertSettledByStatusInquiry(fault, Payout.SUCCEEDED, 1);
    }

    @Test
    void connectionDroppedBeforeTheTransferReachedDuitku() {
        assertSettledByStatusInquiry(TwinFault.DROP_BEFORE, Payout.FAILED, 0);
    }

    @Test
    void serverErrorBeforeTheTransferReachedDuitku() {
        assertSettledByStatusInquiry(TwinFault.HTTP_500_BEFORE, Payout.FAILED, 0);
    }

    @Test
    void aFailedInquiryIsAskedAgainAndThePayoutGoesOn() {
        twin.faults().next("inquirysandbox", TwinFault.HTTP_500_BEFORE);
        String reference = reference("inquiry-500");
        post("/api/payouts", instruction(reference, "8760673566", 50000));
        Payout payout = awaitFinal(reference);
        assertThat(payout.getStatus()).isEqualTo(Payout.SUCCEEDED);
        assertThat(payout.getInquiryAttempts()).isEqualTo(2);
        assertThat(twin.transfersExecuted(payout.getProviderReference())).isEqualTo(1);
    }

    @Test
    void aFailingStatusInquiryKeepsThePayoutPendingUntilAnAnswerComes() {
        twin.faults().next("inquirystatus", TwinFault.DROP_BEFORE);
        twin.faults().next("inquirystatus", TwinFault.HTTP_500_BEFORE);
        String reference = reference("status-faults");
        post("/api/payouts", instruction(reference, "8760673561", 50000)); // transfer answers TO
        Payout payout = awaitFinal(reference);
        assertThat(payout.getStatus()).isEqualTo(Payout.SUCCEEDED);
        assertThat(payout.getStatusChecks()).isGreaterThanOrEqualTo(2);
        assertThat(twin.transfersExecuted(payout.getProviderReference())).isEqualTo(1);
    }

    private void assertSettledByStatusInquiry(TwinFault fault, String finalStatus, int executed) {
        twin.faults().next("transfersandbox", fault);
        String reference = reference(fault.name());
        post("/api/payouts", instruction(reference, "8760673566", 50000));

        Payout payout = awaitFinal(reference);

        assertThat(payout.getStatus()).isEqualTo(finalStatus);
        assertThat(twin.transfersExecuted(payout.getProviderReference())).isEqualTo(executed);
        assertThat(ledger.history(reference)).filteredOn(e -> e.contains("transfer sent")).hasSize(1);
        assertThat(ledger.history(reference)).anySatisfy(e -> assertThat(e).startsWith("TRANSFER_SENT PENDING")
                .contains("checking its status"));
    }
}
