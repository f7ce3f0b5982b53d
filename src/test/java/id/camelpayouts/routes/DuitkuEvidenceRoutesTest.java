package id.camelpayouts.routes;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import id.camelpayouts.ledger.Payout;

/**
 * FAILED needs evidence that the money did not move; late evidence is an alarm. Each test is a
 * way the gateway used to record FAILED (or drop a provider's word) while money may have moved.
 */
class DuitkuEvidenceRoutesTest extends DuitkuRouteTestSupport {

    @AfterEach
    void everyCallWasAnsweredAsScripted() {
        assertThat(duitku.unexpected()).as("calls nobody expected").isEmpty();
    }

    // ---- not found -----------------------------------------------------------------------------

    @ParameterizedTest(name = "status {0}: not found, failed only after the grace")
    @ValueSource(strings = {"NF", "-420"})
    void notRecordedIsNotAFailureUntilTheGraceHasPassed(String code) {
        Payout payout = transferAnswered(online(), "LD");
        duitku.answer("inquirystatus", answer(payout, code));
        Payout waiting = work(payout);
        assertThat(waiting.getStatus()).isEqualTo(Payout.PENDING);
        assertThat(waiting.getReason()).endsWith("waiting before treating it as failed");

        clock.advance(Duration.ofMinutes(16)); // payouts.reconcile.not-found-grace is 15m
        duitku.answer("inquirystatus", code(code));
        Payout failed = work(payout);
        assertThat(failed.getStatus()).isEqualTo(Payout.FAILED);
        assertThat(failed.getReason()).startsWith("Duitku has no record of the transfer: ");
        assertThat(duitku.sent("transfer")).isEqualTo(1);
    }

    @Test
    void aTransferAnsweredLinkDownThatDuitkuExecutedSucceeds() {
        Payout payout = transferAnswered(online(), "LD");
        duitku.answer("inquirystatus", answer(payout, "00"));
        assertThat(work(payout).getStatus()).isEqualTo(Payout.SUCCEEDED);
    }

    @Test
    void notFoundIsNoEvidenceOnceDuitkuAcknowledgedTheTransfer() {
        Payout payout = transferAnswered(submit("H2H", "008", "5553000001", 60_000_000), "80");
        clock.advance(Duration.ofHours(1));
        duitku.answer("inquirystatus", code("-420"));
        Payout after = work(payout);
        assertThat(after.getStatus()).isEqualTo(Payout.PENDING);
        assertThat(after.getReason()).contains("acknowledged the transfer earlier");
    }

    /**
     * TO, 68 and -100 are the document's "do not retry" answers to a transfer ("a problem in the
     * transfer process"; 68: "wait for bank confirmation"): Duitku has the transfer, so the send is
     * not in doubt and a later "not found" is no evidence that the money did not move.
     */
    @ParameterizedTest(name = "{0} transfer answered {1}, status {2}: never FAILED")
    @org.junit.jupiter.params.provider.CsvSource({
        "ONLINE, TO, -420", "ONLINE, 68, NF", "ONLINE, -100, -420", "RTGS, TO, NF", "LLG, -100, -420"
    })
    void notFoundIsNoEvidenceAfterADoNotRetryAnswer(String rail, String transferCode, String statusCode) {
        Payout payout = transferAnswered("ONLINE".equals(rail) ? online()
                : submit(rail, "014", "5552" + (100000 + REFERENCES.get()), 150_000_000), transferCode);
        assertThat(payout.getStatus()).isEqualTo(Payout.PENDING);

        clock.advance(Duration.ofMinutes(16)); // past payouts.reconcile.not-found-grace (15m)
        duitku.answer("inquirystatus", code(statusCode));
        Payout after = work(payout);
        assertThat(after.getStatus()).isEqualTo(Payout.PENDING);
        assertThat(after.getReason()).contains("acknowledged the transfer earlier");
        assertThat(duitku.sent("transfer")).isEqualTo(1);

        duitku.answer("inquirystatus", answer(payout, "00")); // the bank confirms after all
        assertThat(work(payout).getStatus()).isEqualTo(Payout.SUCCEEDED);
    }

    // ---- "finished", general and transport errors ------------------------------------------------

    @Test
    void alreadyFinishedIsSettledOnlyByAStatusThatSaysHow() {
        Payout payout = transferAnswered(online(), "-142");
        assertThat(payout.getStatus()).isEqualTo(Payout.PENDING);
        duitku.answer("inquirystatus", answer(payout, "-142"));
        assertThat(work(payout).getStatus()).isEqualTo(Payout.PENDING);
        duitku.answer("inquirystatus", answer(payout, "00"));
        assertThat(work(payout).getStatus()).isEqualTo(Payout.SUCCEEDED);
        assertThat(duitku.sent("transfer")).isEqualTo(1);
    }

    @ParameterizedTest(name = "{0} in a status answer: still unknown")
    @ValueSource(strings = {"EE", "91", "66", "12", "89", "LD", "-142", "68", "TO", "-100", "-951", "-960", "-191"})
    void aStatusAnswerThatSaysNothingAboutTheTransferKeepsItPending(String code) {
        Payout payout = transferAnswered(online(), "TO");
        duitku.answer("inquirystatus", answer(payout, code));
        assertThat(work(payout).getStatus()).isEqualTo(Payout.PENDING);
    }

    @Test
    void aPayoutNothingSettlesIsFlaggedForReviewNeverFailed() {
        Payout payout = transferAnswered(online(), "EE");
        clock.advance(Duration.ofHours(25));
        duitku.answer("inquirystatus", answer(payout, "EE"));
        work(payout);
        ledger.flagOverdueForReview(); // the reconciler does this every tick
        Payout after = ledger.find(payout.getReference());
        assertThat(after.getStatus()).isEqualTo(Payout.PENDING);
        assertThat(after.isReviewRequired()).isTrue();
    }

    // ---- cash out -------------------------------------------------------------------------------

    @Test
    void aCashOutIsNeverAskedAboutAndNobodyHearingOfItMeansReviewNotFailure() {
        Payout payout = cashOut("081234567150", "2010", 100_000);
        clock.advance(Duration.ofHours(25));
        Payout later = work(payout);
        ledger.flagOverdueForReview();
        assertThat(duitku.sent("inquirystatus")).isZero();
        assertThat(later.getStatus()).isEqualTo(Payout.PENDING);
        assertThat(ledger.find(payout.getReference()).isReviewRequired()).isTrue();
    }

    @Test
    void aCashOutWhoseAnswerWasLostIsSettledByItsCallbackFoundByOurReference() throws Exception {
        Payout payout = submit("CASHOUT", "2010", "081234567150", 100_000);
        duitku.noAnswer("cashout");
        assertThat(work(payout).getReason()).startsWith("cash-out outcome not known yet");
        assertThat(work(payout).getStatus()).as("nothing to ask").isEqualTo(Payout.PENDING);

        assertThat(callback("cashout", cashOutCallback(payout, "777001", "00"))).isEqualTo("200 SUCCESS");
        Payout after = ledger.find(payout.getReference());
        assertThat(after.getStatus()).isEqualTo(Payout.SUCCEEDED);
        assertThat(after.getProviderReference()).isEqualTo("777001");
        assertThat(duitku.sent("inquirystatus")).isZero();
    }

    @Test
    void aCashOutFailureCallbackIsHeldForReviewWithTheClaimRecorded() throws Exception {
        Payout payout = cashOut("081234567250", "2011", 200_000);

        assertThat(callback("cashout", cashOutCallback(payout, payout.getProviderReference(), "01")))
                .isEqualTo("200 SUCCESS");
        assertThat(callback("cashout", cashOutCallback(payout, payout.getProviderReference(), "01")))
                .as("Duitku repeating itself").isEqualTo("200 SUCCESS");

        Payout held = ledger.find(payout.getReference());
        assertThat(held.getStatus()).isEqualTo(Payout.PENDING);
        assertThat(held.isReviewRequired()).isTrue();
        assertThat(duitku.sent("inquirystatus")).as("Duitku documents no status inquiry for cash outs").isZero();
        assertThat(history(held)).filteredOn(e -> e.contains("held for review")).hasSize(1)
                .first().asString().startsWith("TRANSFER_SENT PENDING 01 Duitku's cash-out callback says failed");
        assertThat(forwarded(held)).last().satisfies(outcome -> {
            assertThat(outcome).containsEntry("status", "PENDING").containsEntry("reviewRequired", true);
        });

        // the customer collects after all: Duitku's success callback still settles it
        assertThat(callback("cashout", cashOutCallback(payout, payout.getProviderReference(), "00")))
                .isEqualTo("200 SUCCESS");
        assertThat(ledger.find(payout.getReference()).getStatus()).isEqualTo(Payout.SUCCEEDED);
    }

    /**
     * Duitku documents no status inquiry for cash outs: whatever inquirystatus might answer about a
     * cash out's disburseId, it is never asked, and a failure claim is held for a person.
     */
    @Test
    void aCashOutFailureCallbackNeverAsksInquiryStatus() throws Exception {
        Payout payout = cashOut("081234567250", "2010", 100_000);

        assertThat(callback("cashout", cashOutCallback(payout, payout.getProviderReference(), "01")))
                .isEqualTo("200 SUCCESS");

        Payout held = ledger.find(payout.getReference());
        assertThat(duitku.sent("inquirystatus")).isZero();
        assertThat(held.getStatus()).isEqualTo(Payout.PENDING);
        assertThat(held.isReviewRequired()).isTrue();
        assertThat(held.getReason()).startsWith("Duitku's cash-out callback says failed (01)").endsWith("held for review");
    }

    /**
     * Nor is it asked about a cash out that SUCCEEDED: a failure claim (its statusCode is not signed)
     * can be confirmed by nothing, so it changes nothing and is logged.
     */
    @Test
    void aFailureClaimForASucceededCashOutChangesNothingAndNeverAsksInquiryStatus() throws Exception {
        Payout payout = cashOut("081234567250", "2010", 100_000);
        assertThat(callback("cashout", cashOutCallback(payout, payout.getProviderReference(), "00")))
                .isEqualTo("200 SUCCESS");
        duitku.answer("inquirystatus", answer(payout, "01"));

        assertThat(callback("cashout", cashOutCallback(payout, payout.getProviderReference(), "01")))
                .isEqualTo("200 SUCCESS");

        Payout after = ledger.find(payout.getReference());
        assertThat(duitku.sent("inquirystatus")).as("Duitku documents no status inquiry for cash outs").isZero();
        assertThat(after.getStatus()).isEqualTo(Payout.SUCCEEDED);
        assertThat(after.getConflict()).isNull();
    }

    // ---- late evidence ----------------------------------------------------------------------------

    @Test
    void aGenuineSuccessForAFailedPayoutIsAConflictRaisedOnce() throws Exception {
        balanceCoversIt();
        Payout payout = transferAnswered(submit("LLG", "014", "5553000002", 60_000_000), "-510");
        assertThat(payout.getStatus()).isEqualTo(Payout.FAILED);
        double before = counter("payouts.conflicts");

        assertThat(callback("clearing", clearingCallback(payout, "00"))).isEqualTo("200 SUCCESS");
        assertThat(callback("clearing", clearingCallback(payout, "00"))).isEqualTo("200 SUCCESS");

        Payout after = ledger.find(payout.getReference());
        assertThat(after.getStatus()).as("final stays final").isEqualTo(Payout.FAILED);
        assertThat(after.getConflict()).isEqualTo("LATE_SUCCESS");
        assertThat(after.isReviewRequired()).isTrue();
        assertThat(history(after)).filteredOn(e -> e.endsWith("CONFLICT LATE_SUCCESS")).hasSize(1)
                .first().asString().startsWith("FINAL FAILED 00 Duitku's signed callback says the transfer succeeded");
        assertThat(forwarded(after)).last().satisfies(outcome -> assertThat(outcome)
                .containsEntry("status", "FAILED").containsEntry("conflict", "LATE_SUCCESS")
                .containsEntry("reviewRequired", true));
        assertThat(counter("payouts.conflicts") - before).as("counted once").isEqualTo(1);
    }

    @Test
    void aGenuineSuccessForACashOutDuitkuRefusedIsAConflict() throws Exception {
        Payout payout = submit("CASHOUT", "2010", "081234567150", 100_000);
        duitku.answer("cashout", cashOutAnswer(payout, "-510"));
        balanceCoversIt();
        assertThat(work(payout).getStatus()).isEqualTo(Payout.FAILED);

        assertThat(callback("cashout", cashOutCallback(payout, "777002", "00"))).isEqualTo("200 SUCCESS");

        assertThat(ledger.find(payout.getReference()).getConflict()).isEqualTo("LATE_SUCCESS");
    }

    @Test
    void aFailureForASucceededPayoutIsAConflictOnlyWhenDuitkusStatusConfirmsIt() throws Exception {
        Payout payout = transferAnswered(submit("H2H", "002", "5553000003", 60_000_000), "80");
        callback("clearing", clearingCallback(payout, "00"));
        assertThat(ledger.find(payout.getReference()).getStatus()).isEqualTo(Payout.SUCCEEDED);

        // a replayed callback with statusCode 01 (not signed): Duitku's status says success
        duitku.answer("inquirystatus", answer(payout, "00"));
        assertThat(callback("clearing", clearingCallback(payout, "01"))).isEqualTo("200 SUCCESS");
        assertThat(ledger.find(payout.getReference()).getConflict()).isNull();

        // the bank returned it: Duitku's status describes the transfer and says it failed
        duitku.answer("inquirystatus", answer(payout, "01"));
        assertThat(callback("clearing", clearingCallback(payout, "01"))).isEqualTo("200 SUCCESS");
        Payout after = ledger.find(payout.getReference());
        assertThat(after.getStatus()).isEqualTo(Payout.SUCCEEDED);
        assertThat(after.getConflict()).isEqualTo("LATE_FAILURE");
        assertThat(forwarded(after)).last().satisfies(outcome -> assertThat(outcome)
                .containsEntry("conflict", "LATE_FAILURE"));
    }

    // ---- callbacks that may not touch a payout (issue: forged but signed) ------------------------

    @Test
    void aSignedCallbackCannotSettleAPayoutWhoseTransferWasNeverSent() throws Exception {
        Payout payout = submit("H2H", "009", "5553000004", 60_000_000);
        Payout claimed = ledger.claim(payout.getReference());
        ledger.recordInquiry(claimed, inquiryOk(claimed));
        // inquiry done, then held (its provider paused meanwhile): the ledger holds it at INQUIRED with
        // its disburseId, and no transfer was sent (the inquiry is written with the worker's next change)
        ledger.hold(claimed, Payout.HOLD_PROVIDER_PAUSED, "Duitku is paused");
        double refused = counter("payouts.callbacks.refused");

        assertThat(callback("clearing", clearingCallback(payout, "00")))
                .isEqualTo("409 callback does not match the payout");

        Payout after = ledger.find(payout.getReference());
        assertThat(after.getStatus()).isEqualTo(Payout.PENDING);
        assertThat(after.getStage()).isEqualTo(Payout.Stage.INQUIRED);
        assertThat(counter("payouts.callbacks.refused") - refused).isEqualTo(1);
    }

    @Test
    void aCashOutCallbackCannotSettleAnOnlinePayoutFoundByItsReference() throws Exception {
        Payout stuck = online();
        duitku.answer("inquiry", code("TO")); // its inquiry is being retried: nothing was sent
        work(stuck);
        Map<String, Object> forged = cashOutCallback(stuck, "777003", "00");
        forged.put("bankAccount", stuck.getInstruction().accountNumber()); // fields outside the signature
        forged.put("bankCode", stuck.getInstruction().bankCode());
        forged.put("amountTransfer", stuck.getInstruction().amount());
        assertThat(callback("cashout", forged)).startsWith("409");

        Payout sent = transferAnswered(online(), "TO"); // sent, but an online transfer, not a cash out
        assertThat(callback("cashout", cashOutCallback(sent, "777004", "00"))).startsWith("409");

        assertThat(ledger.find(stuck.getReference()).getStatus()).isEqualTo(Payout.PENDING);
        assertThat(ledger.find(sent.getReference()).getStatus()).isEqualTo(Payout.PENDING);
    }

    @Test
    void aClearingCallbackCannotSettleACashOutNorAnOnlineTransfer() throws Exception {
        Payout online = transferAnswered(online(), "TO");
        assertThat(callback("clearing", clearingCallback(online, "00"))).startsWith("409");

        Payout cashOut = cashOut("081234567150", "2010", 100_000);
        Map<String, Object> clearing = new java.util.LinkedHashMap<>(Map.of("disburseId",
                cashOut.getProviderReference(), "email", EMAIL, "bankCode", "2010", "bankAccount", "081234567150",
                "amountTransfer", 100000, "accountName", "Siti Rahayu", "custRefNumber", cashOut.getReference(),
                "statusCode", "00"));
        assertThat(callback("clearing", signClearing(clearing))).startsWith("409");

        assertThat(ledger.find(online.getReference()).getStatus()).isEqualTo(Payout.PENDING);
        assertThat(ledger.find(cashOut.getReference()).getStatus()).isEqualTo(Payout.PENDING);
    }

    @Test
    void aCashOutCallbackWithAnotherDisburseIdThanRecordedIsRefused() throws Exception {
        Payout payout = cashOut("081234567150", "2010", 100_000);
        assertThat(callback("cashout", cashOutCallback(payout, "999999", "00"))).startsWith("409");
        Map<String, Object> otherPhone = cashOutCallback(payout, payout.getProviderReference(), "00");
        otherPhone.put("phoneNumber", "081299999999");
        assertThat(callback("cashout", otherPhone)).startsWith("409");
        assertThat(ledger.find(payout.getReference()).getStatus()).isEqualTo(Payout.PENDING);

        Map<String, Object> samePhoneWrittenInternationally = cashOutCallback(payout, payout.getProviderReference(), "00");
        samePhoneWrittenInternationally.put("phoneNumber", "+6281234567150");
        assertThat(callback("cashout", samePhoneWrittenInternationally)).isEqualTo("200 SUCCESS");
        assertThat(ledger.find(payout.getReference()).getStatus()).isEqualTo(Payout.SUCCEEDED);
    }

    /**
     * A clearing callback's failure (statusCode is not signed) is a claim: answered SUCCESS and
     * recorded, then handed to the workers, whose status inquiry alone settles the payout: success,
     * still waiting, or failed. (Answered before the inquiry: DuitkuCallbacksTest, against the twin.)
     */
    @ParameterizedTest(name = "status {0}")
    @ValueSource(strings = {"00", "80", "01"})
    void aFailureClaimIsRecordedAndOnlyTheWorkersStatusInquirySettlesIt(String status) throws Exception {
        Payout payout = transferAnswered(submit("H2H", "002", "555301" + status + "00", 60_000_000), "80");
        String waiting = payout.getReason();
        duitku.answer("inquirystatus", answer(payout, status));
        assertThat(callback("clearing", clearingCallback(payout, "01"))).isEqualTo("200 SUCCESS");

        // the worker's answer replaces the claim as the payout's reason
        await().atMost(Duration.ofSeconds(10)).until(() -> duitku.sent("inquirystatus") == 1
                && !String.valueOf(ledger.find(payout.getReference()).getReason()).startsWith("Duitku's callback claims"));
        List<String> history = history(payout);
        assertThat(history).filteredOn(e -> e.contains("confirming with Duitku's status inquiry")).singleElement()
                .asString().startsWith("TRANSFER_SENT PENDING 01 Duitku's callback claims the transfer failed (01)");
        Payout after = ledger.find(payout.getReference());
        assertThat(after.getStatus()).isEqualTo(switch (status) {
            case "00" -> Payout.SUCCEEDED;
            case "01" -> Payout.FAILED;
            default -> Payout.PENDING;
        });
        if ("80".equals(status)) {
            assertThat(after.getReason()).isEqualTo(waiting);
        }
    }

    /**
     * The race that once made a genuine failure wait a minute: a forged claim (statusCode is not
     * signed) comes first and is handed to a worker; while the worker asks Duitku (still waiting for
     * the bank), the genuine failure callback arrives in the same words and is answered as a repeat.
     * The worker's "ask again after payouts.reconcile.callback-wait" must not hide it: the payout
     * stays due now, and the next round's inquiry (Duitku now says failed) fails it.
     */
    @Test
    void aGenuineFailureThatArrivesWhileTheWorkerAsksAboutAForgedOneIsAskedAboutAtOnce() throws Exception {
        Payout payout = transferAnswered(submit("H2H", "002", "5553029901", 60_000_000), "80");
        String reference = payout.getReference();
        List<String> genuine = new java.util.concurrent.CopyOnWriteArrayList<>();
        duitku.meanwhile("inquirystatus", () -> genuine.add(callback("clearing", clearingCallback(payout, "01"))))
                .answer("inquirystatus", answer(payout, "80"));
        assertThat(callback("clearing", clearingCallback(payout, "01"))).isEqualTo("200 SUCCESS");

        await().atMost(Duration.ofSeconds(10)).until(() -> duitku.sent("inquirystatus") == 1
                && !String.valueOf(ledger.find(reference).getReason()).startsWith("Duitku's callback claims"));
        assertThat(genuine).as("answered while the worker asked").containsExactly("200 SUCCESS");
        assertThat(ledger.find(reference).getStatus()).isEqualTo(Payout.PENDING);
        assertThat(ledger.due(1000)).as("due now, not after payouts.reconcile.callback-wait").contains(reference);

        duitku.answer("inquirystatus", answer(payout, "01"));
        Payout failed = work(payout); // the reconciler's next round (the tests play it)
        assertThat(failed.getStatus()).isEqualTo(Payout.FAILED);
        assertThat(failed.getReason()).startsWith("Duitku reports the transfer failed");
        assertThat(duitku.unexpected()).isEmpty();
    }

    /** A cash out whose token was issued: PENDING, waiting for its callback. */
    private Payout cashOut(String phone, String counter, long amount) {
        Payout payout = submit("CASHOUT", counter, phone, amount);
        duitku.answer("cashout", cashOutAnswer(payout, "00"));
        Payout issued = work(payout);
        assertThat(issued.getReason()).startsWith("token issued");
        return issued;
    }
}
