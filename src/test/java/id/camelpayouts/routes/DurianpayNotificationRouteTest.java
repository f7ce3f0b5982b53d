package id.camelpayouts.routes;

import static id.camelpayouts.routes.DurianpayEngine.INQUIRY;
import static id.camelpayouts.routes.DurianpayEngine.STATUS;
import static id.camelpayouts.routes.DurianpayEngine.TRANSFER;
import static org.assertj.core.api.Assertions.assertThat;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.apache.camel.Exchange;
import org.junit.jupiter.api.Test;

import id.camelpayouts.ledger.Payout;
import id.camelpayouts.routes.DurianpayEngine.Canned;

/**
 * What a verified Durianpay notification may do (routes/engine/apply-durianpay-notification.camel.yaml), and
 * how the status inquiry finds a transfer whose answer was lost: the engine's routes with
 * Durianpay's answers canned.
 */
class DurianpayNotificationRouteTest extends DurianpayRouteTestSupport {

    /** A notification as Durianpay sends it about {@code payout}: its reference, referenceNo and amount. */
    static Map<String, Object> notification(Payout payout, String status) {
        Map<String, Object> fields = new LinkedHashMap<>();
        fields.put("originalPartnerReferenceNo", payout.getReference());
        fields.put("originalReferenceNo", payout.getProviderReference());
        fields.put("amount", Map.of("value", payout.getInstruction().amount() + ".00", "currency", "IDR"));
        fields.put("additionalInfo", Map.of("latestTransactionStatus", status, "event", "transfer-bank.notify"));
        fields.put("failureReason", "00".equals(status) ? "" : "Rejected by the beneficiary bank");
        return fields;
    }

    private static int answerStatus(Exchange answered) {
        Integer status = answered.getMessage().getHeader(Exchange.HTTP_RESPONSE_CODE, Integer.class);
        return status == null ? 200 : status;
    }

    /**
     * latestTransactionStatus where the status answer carries it (at the top) rather than in
     * additionalInfo: the same signed word, read the same way.
     */
    @Test
    void aStatusAtTheTopOfTheNotificationIsReadToo() {
        Payout payout = engine.acceptedTransfer("notify-top", ACCOUNT, 50000);
        Map<String, Object> fields = notification(payout, "00");
        fields.put("additionalInfo", Map.of("event", "transfer-bank.notify"));
        fields.put("latestTransactionStatus", "00");
        Exchange answered = engine.notify(fields);
        assertThat(answerStatus(answered)).isEqualTo(200);
        assertThat(engine.ledger.find(payout.getReference()).getStatus()).isEqualTo(Payout.SUCCEEDED);
    }

    // ---- only a sent Durianpay transfer, for its amount, account and referenceNo ------------------

    @Test
    void aNotificationForADuitkuPayoutIsRefusedAndChangesNothing() {
        Payout duitku = engine.newPayout("duitku-never-sent", "duitku", ACCOUNT, 50000);
        Exchange answered = engine.notify(notification(duitku, "00"));
        assertThat(answerStatus(answered)).isEqualTo(404);
        Payout after = engine.ledger.find(duitku.getReference());
        assertThat(after.getStatus()).isEqualTo(Payout.PENDING);
        assertThat(after.getStage()).isEqualTo(Payout.Stage.NEW);
    }

    @Test
    void aNotificationForAPayoutStillAtInquiryIsRefused() {
        Payout atNew = engine.newPayout("dp-new", ACCOUNT, 50000);
        assertThat(answerStatus(engine.notify(notification(atNew, "00")))).isEqualTo(404);

        // the inquiry answered, the transfer not claimed yet (INQUIRED)
        Payout inquired = engine.newPayout("dp-inquired", ACCOUNT, 50000);
        engine.ledger.recordInquiry(inquired, Map.of("responseCode", "2001600", "accountName", "Durian Test"));
        // held (its provider paused meanwhile): written at INQUIRED (an inquiry is written with the next change)
        engine.ledger.hold(inquired, Payout.HOLD_PROVIDER_PAUSED, "Durianpay is paused");
        assertThat(engine.ledger.find(inquired.getReference()).getStage()).isEqualTo(Payout.Stage.INQUIRED);
        assertThat(answerStatus(engine.notify(notification(inquired, "00")))).isEqualTo(404);

        assertThat(engine.ledger.find(atNew.getReference()).getStatus()).isEqualTo(Payout.PENDING);
        assertThat(engine.ledger.find(inquired.getReference()).getStatus()).isEqualTo(Payout.PENDING);
        assertThat(engine.counter("payouts.callbacks.refused", "durianpay")).isGreaterThanOrEqualTo(2);
    }

    @Test
    void aNotificationForAnotherAccountAmountOrReferenceNoIsRefused() {
        Payout payout = engine.acceptedTransfer("dp-mismatch", ACCOUNT, 50000);

        Map<String, Object> otherAccount = notification(payout, "00");
        otherAccount.put("beneficiaryAccountNo", "9876543210");
        Map<String, Object> otherAmount = notification(payout, "00");
        otherAmount.put("amount", Map.of("value", "5000000.00", "currency", "IDR"));
        Map<String, Object> otherReferenceNo = notification(payout, "00");
        otherReferenceNo.put("originalReferenceNo", "dis_item_someone_else");
        for (Map<String, Object> mismatch : List.of(otherAccount, otherAmount, otherReferenceNo)) {
            assertThat(answerStatus(engine.notify(mismatch))).as(mismatch.toString()).isEqualTo(404);
        }
        assertThat(engine.ledger.find(payout.getReference()).getStatus()).isEqualTo(Payout.PENDING);

        Map<String, Object> sameAccount = notification(payout, "00");
        sameAccount.put("beneficiaryAccountNo", ACCOUNT);
        assertThat(answerStatus(engine.notify(sameAccount))).isEqualTo(200);
        assertThat(engine.ledger.find(payout.getReference()).getStatus()).isEqualTo(Payout.SUCCEEDED);
    }

    /**
     * A signed notification about this PENDING payout's transfer (its reference, referenceNo and
     * account) naming another amount: it settles nothing, but the disagreement is in the payout's
     * history and the payout is flagged for review, once however often Durianpay retries it.
     */
    @Test
    void aNotificationWithAnotherAmountIsRefusedAndFlagsThePayoutForReview() {
        Payout payout = engine.acceptedTransfer("dp-other-amount", ACCOUNT, 50000);
        Map<String, Object> otherAmount = notification(payout, "00");
        otherAmount.put("amount", Map.of("value", "500000.00", "currency", "IDR"));
        assertThat(answerStatus(engine.notify(otherAmount))).isEqualTo(404);
        assertThat(answerStatus(engine.notify(otherAmount))).as("Durianpay retrying it").isEqualTo(404);
        Payout after = engine.ledger.find(payout.getReference());
        assertThat(after.getStatus()).isEqualTo(Payout.PENDING);
        assertThat(after.isReviewRequired()).isTrue();
        assertThat(after.getReason()).contains("500000.00").contains("50000 IDR");
        assertThat(engine.ledger.history(payout.getReference())).filteredOn(line -> line.contains("500000.00")).hasSize(1);

        // a notification of another transfer (another referenceNo) flags nothing
        Payout other = engine.acceptedTransfer("dp-other-transfer", ACCOUNT, 50000);
        Map<String, Object> anotherTransfer = notification(other, "00");
        anotherTransfer.put("originalReferenceNo", "dis_item_someone_else");
        anotherTransfer.put("amount", Map.of("value", "500000.00", "currency", "IDR"));
        assertThat(answerStatus(engine.notify(anotherTransfer))).isEqualTo(404);
        assertThat(engine.ledger.find(other.getReference()).isReviewRequired()).isFalse();

        // one that names no amount at all disagrees with nothing: refused as before, nothing flagged
        Payout silent = engine.acceptedTransfer("dp-no-amount", ACCOUNT, 50000);
        Map<String, Object> noAmount = notification(silent, "00");
        noAmount.remove("amount");
        assertThat(answerStatus(engine.notify(noAmount))).isEqualTo(404);
        assertThat(engine.ledger.find(silent.getReference()).isReviewRequired()).isFalse();
    }

    // ---- late evidence: recorded, flagged, counted, forwarded; Durianpay still gets 200 -------------

    @Test
    void aSuccessForAFailedPayoutIsRecordedAsAConflictOnce() {
        Payout payout = engine.newPayout("dp-late-success", ACCOUNT, 50000);
        engine.run("direct:durianpay-transfer", payout, DurianpayEngine.inquiryAnswer(ACCOUNT),
                Canned.snap(TRANSFER, 403, "4031814", "Insufficient Funds", ""), DurianpayEngine.balanceCoversIt());
        Payout failed = engine.ledger.find(payout.getReference());
        assertThat(failed.getStatus()).isEqualTo(Payout.FAILED);
        double conflictsBefore = engine.counter("payouts.conflicts", "durianpay");

        Exchange answered = engine.notify(notification(failed, "00"));
        assertThat(answerStatus(answered)).isEqualTo(200);
        assertThat(answered.getMessage().getBody(String.class)).contains("\"2000000\"");
        assertThat(answerStatus(engine.notify(notification(failed, "00")))).as("Durianpay repeating it").isEqualTo(200);

        Payout after = engine.ledger.find(payout.getReference());
        assertThat(after.getStatus()).isEqualTo(Payout.FAILED);
        assertThat(after.getConflict()).isEqualTo("LATE_SUCCESS");
        assertThat(after.isReviewRequired()).isTrue();
        assertThat(after.toOutcome()).containsEntry("conflict", "LATE_SUCCESS");
        assertThat(engine.ledger.history(payout.getReference())).filteredOn(e -> e.contains("CONFLICT LATE_SUCCESS"))
                .singleElement().asString().contains("Durianpay's signed notification says the transfer succeeded");
        assertThat(engine.counter("payouts.conflicts", "durianpay")).isEqualTo(conflictsBefore + 1);
    }

    @Test
    void aFailureForASucceededPayoutIsRecordedAsAConflict() {
        Payout payout = engine.acceptedTransfer("dp-late-failure", ACCOUNT, 50000);
        engine.notify(notification(payout, "00"));
        Payout succeeded = engine.ledger.find(payout.getReference());
        assertThat(succeeded.getStatus()).isEqualTo(Payout.SUCCEEDED);

        Exchange answered = engine.notify(notification(succeeded, "06"));
        assertThat(answerStatus(answered)).isEqualTo(200);
        assertThat(DurianpayEngine.sent(answered)).as("nothing asked: final stays final").isEmpty();
        Payout after = engine.ledger.find(payout.getReference());
        assertThat(after.getStatus()).isEqualTo(Payout.SUCCEEDED);
        assertThat(after.getConflict()).isEqualTo("LATE_FAILURE");
        assertThat(after.isReviewRequired()).isTrue();
    }

    /**
     * Durianpay's transfer-bank.notify carries its failure's words in additionalInfo (failureReason,
     * transactionStatusDesc), beside latestTransactionStatus: they are the notification's words in
     * the payout's history as well as a failureReason at the top.
     */
    @Test
    void aFailureReasonInAdditionalInfoIsTheNotificationsWords() {
        Payout payout = engine.acceptedTransfer("dp-late-failure-info", ACCOUNT, 50000);
        engine.notify(notification(payout, "00"));
        Map<String, Object> fields = notification(engine.ledger.find(payout.getReference()), "06");
        fields.remove("failureReason");
        fields.put("additionalInfo", Map.of("latestTransactionStatus", "06", "transactionStatusDesc", "failed",
                "failureReason", "Rekening tujuan ditutup"));
        engine.notify(fields);
        assertThat(engine.ledger.history(payout.getReference())).filteredOn(e -> e.contains("LATE_FAILURE"))
                .singleElement().asString().contains("06: Rekening tujuan ditutup");

        Payout other = engine.acceptedTransfer("dp-late-failure-desc", ACCOUNT, 50000);
        engine.notify(notification(other, "00"));
        fields = notification(engine.ledger.find(other.getReference()), "06");
        fields.remove("failureReason");
        fields.put("additionalInfo", Map.of("latestTransactionStatus", "06", "transactionStatusDesc", "failed"));
        engine.notify(fields);
        assertThat(engine.ledger.history(other.getReference())).filteredOn(e -> e.contains("LATE_FAILURE"))
                .singleElement().asString().contains("06: failed");
    }

    /**
     * Durianpay may notify before it answers the transfer (the transfer is claimed in the ledger
     * before a byte is sent): a success settles the payout, a failure is recorded as a claim for the
     * status inquiry, and the transfer's answer that follows changes neither: final stays final, one
     * final event, nothing sent again.
     */
    @Test
    void aNotificationBeforeTheTransfersAnswerSettlesThePayoutAndTheAnswerChangesNothing() {
        for (String status : List.of("00", "06")) {
            Payout payout = engine.newPayout("notified-first-" + status, ACCOUNT, 50000);
            String referenceNo = "dis_item_first_" + payout.getReference();
            Runnable notified = () -> {
                Map<String, Object> fields = notification(engine.ledger.find(payout.getReference()), status);
                fields.put("originalReferenceNo", referenceNo);
                Exchange answered = engine.notify(fields);
                assertThat(answerStatus(answered)).isEqualTo(200);
                assertThat(DurianpayEngine.sent(answered)).as("answered before anything is asked").isEmpty();
            };
            List<String> sent = engine.run("direct:durianpay-transfer", payout, Map.of(TRANSFER, notified),
                    DurianpayEngine.inquiryAnswer(ACCOUNT), Canned.snap(TRANSFER, 202, "2021800", "Request In Progress",
                            "\"referenceNo\":\"" + referenceNo + "\""));
            if ("06".equals(status)) {
                assertThat(engine.ledger.find(payout.getReference()).getStatus()).isEqualTo(Payout.PENDING);
                // the workers' status inquiry confirms the claim
                engine.run("direct:durianpay-transfer-status", engine.ledger.claim(payout.getReference()),
                        Canned.snap(STATUS, 200, "2003600", "Successful", "\"originalPartnerReferenceNo\":\""
                                + payout.getReference() + "\",\"originalReferenceNo\":\"" + referenceNo
                                + "\",\"latestTransactionStatus\":\"06\""));
            }
            Payout after = engine.ledger.find(payout.getReference());
            assertThat(after.getStatus()).as(status).isEqualTo("00".equals(status) ? Payout.SUCCEEDED : Payout.FAILED);
            assertThat(after.getProviderReference()).as(status).isEqualTo(referenceNo);
            assertThat(after.getConflict()).as(status).isNull();
            assertThat(engine.ledger.history(payout.getReference())).as(status).filteredOn(e -> e.startsWith("FINAL"))
                    .hasSize(1);
            assertThat(sent).filteredOn(request -> request.startsWith(TRANSFER)).hasSize(1);
        }
    }

    /**
     * A failure notification is a claim: answered at once (no status inquiry while Durianpay waits
     * for its answer), recorded once however often Durianpay repeats it, and the payout due for the
     * workers' status inquiry, which alone settles it: success, in progress or failed.
     */
    @Test
    void aFailureNotificationIsAnsweredAtOnceAndOnlyTheStatusInquirySettlesIt() {
        for (String status : List.of("00", "03", "06")) {
            Payout payout = engine.acceptedTransfer("dp-claim-" + status, ACCOUNT, 50000);
            for (int i = 0; i < 3; i++) {
                Exchange answered = engine.notify(notification(payout, "06"));
                assertThat(answerStatus(answered)).as(status).isEqualTo(200);
                assertThat(DurianpayEngine.sent(answered)).as(status).isEmpty();
            }
            Payout claimed = engine.ledger.find(payout.getReference());
            assertThat(claimed.getStatus()).as(status).isEqualTo(Payout.PENDING);
            assertThat(claimed.getReason()).as(status).startsWith("Durianpay's notification says the transfer failed (06)");
            assertThat(engine.ledger.due(1000)).as(status).contains(payout.getReference());
            assertThat(engine.ledger.history(payout.getReference())).as(status)
                    .filteredOn(e -> e.contains("confirming with Durianpay's status inquiry")).singleElement()
                    .asString().startsWith("TRANSFER_SENT PENDING 06 ");

            engine.run("direct:durianpay-transfer-status", engine.ledger.claim(payout.getReference()),
                    DurianpayCodesRouteTest.statusAnswer(status, payout.getReference()));
            assertThat(engine.ledger.find(payout.getReference()).getStatus()).as(status).isEqualTo(switch (status) {
                case "00" -> Payout.SUCCEEDED;
                case "06" -> Payout.FAILED;
                default -> Payout.PENDING;
            });
        }
    }

    // ---- the transfer's answer lost: status by our reference alone --------------------------------

    @Test
    void withTheTransfersAnswerLostTheStatusIsAskedByOurReferenceAloneAndTheNotificationApplies() {
        Payout payout = engine.newPayout("dp-lost-answer", ACCOUNT, 50000);
        // the inquiry's answer carries a referenceNo of its own (SNAP's does): not the transfer's
        List<String> sent = engine.run("direct:durianpay-transfer", payout, DurianpayEngine.inquiryAnswer(ACCOUNT),
                Canned.lost(TRANSFER));
        assertThat(sent).hasSize(2);
        Payout unknown = engine.ledger.find(payout.getReference());
        assertThat(unknown.getProviderReference()).isNull();

        List<String> asked = engine.run("direct:durianpay-transfer-status", engine.ledger.claim(payout.getReference()),
                Canned.snap(STATUS, 200, "2003600", "Successful", "\"originalPartnerReferenceNo\":\""
                        + payout.getReference() + "\",\"originalReferenceNo\":\"dis_item_lost\",\"latestTransactionStatus\""
                        + ":\"03\",\"transactionStatusDesc\":\"processing\",\"transactionId\":\"trx-9\","
                        + "\"referenceNumber\":\"4242\""));
        assertThat(asked).singleElement().asString().startsWith(STATUS + " {\"originalPartnerReferenceNo\":\""
                + payout.getReference() + "\",\"serviceCode\":\"18\",\"additionalInfo\":{\"deviceId\":")
                .doesNotContain("originalReferenceNo").doesNotContain("inq_1");
        Payout pending = engine.ledger.find(payout.getReference());
        assertThat(pending.getStatus()).isEqualTo(Payout.PENDING);
        // Durianpay's ids of the transfer, from its status answer: on the payout and in its history
        assertThat(pending.getProviderReference()).isEqualTo("dis_item_lost");
        assertThat(pending.getTransactionId()).isEqualTo("trx-9");
        assertThat(pending.getReferenceNumber()).isEqualTo("4242");
        assertThat(engine.ledger.history(payout.getReference())).anySatisfy(event -> assertThat(event)
                .contains("referenceNo dis_item_lost, transactionId trx-9, referenceNumber 4242"));

        assertThat(answerStatus(engine.notify(notification(pending, "00")))).isEqualTo(200);
        assertThat(engine.ledger.find(payout.getReference()).getStatus()).isEqualTo(Payout.SUCCEEDED);
    }

    /**
     * The transfer's answer was lost; Durianpay's signed failure notification names its referenceNo:
     * kept on the payout, so that the status inquiry that confirms the failure asks by it
     * (Durianpay's status request names the transfer by originalReferenceNo beside our reference).
     */
    @Test
    void aFailureNotificationForATransferWhoseAnswerWasLostIsConfirmedByItsReferenceNo() {
        Payout payout = engine.newPayout("dp-lost-failed", ACCOUNT, 50000);
        engine.run("direct:durianpay-transfer", payout, DurianpayEngine.inquiryAnswer(ACCOUNT), Canned.lost(TRANSFER));
        Payout unknown = engine.ledger.find(payout.getReference());
        assertThat(unknown.getProviderReference()).isNull();
        Map<String, Object> fields = notification(unknown, "06");
        fields.put("originalReferenceNo", "dis_item_" + payout.getReference());
        Exchange answered = engine.notify(fields);
        assertThat(answerStatus(answered)).isEqualTo(200);
        assertThat(DurianpayEngine.sent(answered)).isEmpty();
        assertThat(engine.ledger.find(payout.getReference()).getStatus()).isEqualTo(Payout.PENDING);

        List<String> asked = engine.run("direct:durianpay-transfer-status", engine.ledger.claim(payout.getReference()),
                DurianpayCodesRouteTest.statusAnswer("06", payout.getReference()));
        assertThat(asked).singleElement().asString().startsWith(STATUS)
                .contains("\"originalReferenceNo\":\"dis_item_" + payout.getReference() + "\"");
        assertThat(engine.ledger.find(payout.getReference()).getStatus()).isEqualTo(Payout.FAILED);
    }

    @Test
    void theStatusOfAnAcceptedTransferIsAskedWithItsReferenceNo() {
        Payout payout = engine.acceptedTransfer("dp-accepted", ACCOUNT, 50000);
        List<String> asked = engine.run("direct:durianpay-transfer-status", engine.ledger.claim(payout.getReference()),
                DurianpayCodesRouteTest.statusAnswer("00", payout.getReference()));
        assertThat(asked).singleElement().asString().contains("\"originalReferenceNo\":\"dis_item_"
                + payout.getReference() + "\"");
        assertThat(engine.ledger.find(payout.getReference()).getStatus()).isEqualTo(Payout.SUCCEEDED);
    }

    /** A status answer naming another referenceNo than the one Durianpay gave our transfer does not describe it. */
    @Test
    void aStatusAnswerAboutAnotherReferenceNoSettlesNothing() {
        Payout payout = engine.acceptedTransfer("dp-other-refno", ACCOUNT, 50000);
        engine.run("direct:durianpay-transfer-status", engine.ledger.claim(payout.getReference()),
                new Canned(STATUS, 200, DurianpayCodesRouteTest.statusAnswer("06", payout.getReference()).body()
                        .replace("dis_item_" + payout.getReference(), "dis_item_someone-else")));
        Payout after = engine.ledger.find(payout.getReference());
        assertThat(after.getStatus()).isEqualTo(Payout.PENDING);
        assertThat(after.getProviderReference()).isEqualTo("dis_item_" + payout.getReference());
    }

    /** Not found, though Durianpay gave the transfer its referenceNo: it contradicts itself; the payout waits. */
    @Test
    void anAcceptedTransferIsNeverFailedAsNotFound() {
        Payout payout = engine.acceptedTransfer("dp-accepted-404", ACCOUNT, 50000);
        engine.run("direct:durianpay-transfer-status", engine.ledger.claim(payout.getReference()),
                new Canned(STATUS, 404, ""));
        Payout after = engine.ledger.find(payout.getReference());
        assertThat(after.getStatus()).isEqualTo(Payout.PENDING);
        assertThat(after.getReason()).startsWith("Durianpay accepted the transfer (dis_item_" + payout.getReference()
                + ") but its status inquiry finds no record of it");
    }

    @Test
    void anInquiryAnsweredInProgressIsAskedAgainWithoutSendingTheTransfer() {
        Payout payout = engine.newPayout("dp-in-progress", ACCOUNT, 50000);
        List<String> sent = engine.run("direct:durianpay-transfer", payout,
                Canned.snap(INQUIRY, 202, "2021600", "Request In Progress", ""));
        assertThat(sent).singleElement().asString().startsWith(INQUIRY);
        assertThat(engine.ledger.find(payout.getReference()).getStage()).isEqualTo(Payout.Stage.NEW);
    }
}
