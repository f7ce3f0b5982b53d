package id.camelpayouts.ledger;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;

import com.zaxxer.hikari.HikariDataSource;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import id.camelpayouts.ledger.OperatorActions.Verdict;

/**
 * The ledger's side of what people do: each action is one compare-and-set against the worker's;
 * every change goes to the outbox like any outcome; a claim is undone only after a refusal for
 * lack of funds; a paused provider's transfer is never claimed.
 */
class OperatorActionsTest {

    HikariDataSource dataSource;
    PayoutLedgerTest.MutableClock clock = new PayoutLedgerTest.MutableClock(Instant.parse("2026-11-21T03:00:00Z"));
    PayoutLedger ledger;
    OperatorActions actions;
    ProviderPauses providers;

    @BeforeEach
    void openLedger() {
        dataSource = new HikariDataSource();
        dataSource.setJdbcUrl("jdbc:h2:mem:operator" + PayoutLedgerTest.DATABASES.incrementAndGet());
        LedgerSchema.apply(dataSource);
        ledger = new PayoutLedger(dataSource, clock, new LedgerPolicy(Duration.ofMinutes(2), Duration.ofMinutes(2),
                List.of(Duration.ofSeconds(2)), Duration.ofSeconds(5), Duration.ofMinutes(15), Duration.ofHours(24),
                Duration.ofMinutes(1), Duration.ofHours(1)), "test-instance", List.of("jms"));
        actions = new OperatorActions(ledger);
        providers = new ProviderPauses(ledger, List.of("duitku", "durianpay"));
    }

    @AfterEach
    void close() {
        dataSource.close();
    }

    @Test
    void aCancelBeforeTheClaimWinsTheWorkersClaimLosesAndTheOutcomeIsForwarded() {
        Payout worker = inquired("c1");
        OperatorActions.Result cancelled = actions.cancel("c1", "oncall", "duplicate");

        assertThat(cancelled.verdict()).isEqualTo(Verdict.DONE);
        assertThat(ledger.claimTransfer(worker)).as("the worker's claim, on the version it held").isFalse();
        Payout after = ledger.find("c1");
        assertThat(after.getStatus()).isEqualTo(Payout.CANCELLED);
        assertThat(after.isFinal()).isTrue();
        assertThat(ledger.history("c1")).last().asString().contains("FINAL CANCELLED").contains("cancelled by oncall: duplicate");
        List<PayoutOutbox.OutboxMessage> outcomes = ledger.outbox("jms", 100).getMessages();
        assertThat(outcomes.get(outcomes.size() - 1).payload()).contains("\"status\":\"CANCELLED\"");
        assertThat(actions.cancel("c1", "oncall", null).verdict()).isEqualTo(Verdict.TOO_LATE);
    }

    @Test
    void aClaimedTransferIsTooLateToCancel() {
        Payout worker = inquired("c2");
        assertThat(ledger.claimTransfer(worker)).isTrue();
        OperatorActions.Result refused = actions.cancel("c2", "oncall", null);
        assertThat(refused.verdict()).isEqualTo(Verdict.TOO_LATE);
        assertThat(refused.payout().getStatus()).isEqualTo(Payout.PENDING);
        assertThat(refused.error()).startsWith("too late");
    }

    @Test
    void onlyARefusalForLackOfFundsUndoesAClaimAndThenOnlyOnce() {
        Payout worker = inquired("f1");
        assertThat(ledger.claimTransfer(worker)).isTrue();
        assertThatThrownBy(() -> ledger.holdForFunds(worker, Map.of("responseCode", "76"), "invalid account"))
                .isInstanceOf(IllegalStateException.class);

        ledger.holdForFunds(worker, Map.of("responseCode", "-510", "responseDesc", "Insufficient Fund"), "no funds");
        Payout held = ledger.find("f1");
        assertThat(held.getStage()).isEqualTo(Payout.Stage.NEW);
        assertThat(held.getHold()).isEqualTo(Payout.HOLD_INSUFFICIENT_FUNDS);
        assertThat(held.getProviderReference()).as("the refused disburseId is not asked about").isNull();
        assertThat(held.toOutcome()).containsEntry("status", "PENDING").containsEntry("hold", "insufficient-funds");
        assertThat(ledger.countWhere("reference = 'f1' AND transfer_attempts = 0")).isEqualTo(1);
        assertThat(ledger.history("f1")).anySatisfy(line -> assertThat(line).contains("-510"));

        int lines = ledger.history("f1").size();
        ledger.holdForFunds(worker, Map.of("responseCode", "4031814"), "again"); // a stale copy: nothing
        assertThat(ledger.history("f1")).hasSize(lines);
        assertThat(ledger.find("f1").getStage()).isEqualTo(Payout.Stage.NEW);
    }

    @Test
    void aPausedProvidersTransferIsNeverClaimedItWaitsHeldAndResumeReleasesIt() {
        Payout worker = inquired("p1");
        providers.pause("duitku", ProviderPauses.OPERATOR, "oncall", "maintenance");

        assertThat(ledger.claimTransfer(worker)).isFalse();
        assertThat(ledger.find("p1").getHold()).isEqualTo(Payout.HOLD_PROVIDER_PAUSED);
        assertThat(ledger.due(100)).doesNotContain("p1");
        assertThat(providers.state("duitku")).extracting(ProviderPauses.State::paused, ProviderPauses.State::reason,
                ProviderPauses.State::by).containsExactly(true, "operator", "oncall");

        ProviderPauses.Change resumed = providers.resume("duitku", "oncall", "done");
        assertThat(resumed.released()).containsExactly("p1");
        assertThat(ledger.due(100)).contains("p1");
        Payout again = ledger.claim("p1");
        assertThat(ledger.claimTransfer(again)).isTrue();
    }

    @Test
    void approvalIsTheOtherKeysAndExpiresRejected() {
        ledger.submit(PayoutLedgerTest.instruction("a1", 50000));
        ledger.awaitApproval(ledger.claim("a1"), "waiting for approval");
        assertThat(ledger.claim("a1")).as("no worker takes it").isNull();
        assertThat(actions.approve("a1", "approver", null).verdict()).isEqualTo(Verdict.DONE);
        assertThat(ledger.find("a1").getApprovedBy()).isEqualTo("approver");
        assertThat(ledger.find("a1").getStatus()).isEqualTo(Payout.PENDING);

        ledger.submit(PayoutLedgerTest.instruction("a2", 50000));
        ledger.awaitApproval(ledger.claim("a2"), "waiting for approval");
        clock.advance(Duration.ofMinutes(59));
        assertThat(actions.expireApprovals(100)).isZero();
        clock.advance(Duration.ofMinutes(2));
        assertThat(actions.expireApprovals(100)).isEqualTo(1);
        assertThat(ledger.find("a2").getStatus()).isEqualTo(Payout.REJECTED);
        assertThat(ledger.find("a2").getReason()).startsWith("approval expired");
        assertThat(actions.approve("a2", "approver", null).verdict()).isEqualTo(Verdict.TOO_LATE);
    }

    /**
     * A provider's success callback reads the payout (PENDING, flagged for review), and before it is
     * applied a person resolves the payout FAILED. The callback's change then finds the payout
     * final: the provider's word that the money went out must stay, as late evidence, or the
     * merchant (told FAILED, and the provider told SUCCESS so it never calls back) pays again.
     */
    @Test
    void aSuccessCallbackThatLosesToAPersonsFailedResolutionIsKeptAsAConflict() {
        Payout after = resolvedWhileTheProviderAnswers("race1", Payout.FAILED, callback -> ledger.succeedByCallback(
                callback, Map.of("responseCode", "00", "responseDesc", "Success", "providerReference", "9")));

        assertThat(after.getConflict()).as("the success is not dropped").isEqualTo("LATE_SUCCESS");
        assertThat(ledger.history("race1")).last().asString().contains("LATE_SUCCESS");
        List<PayoutOutbox.OutboxMessage> outcomes = ledger.outbox("jms", 100).getMessages();
        assertThat(outcomes.get(outcomes.size() - 1).payload()).contains("LATE_SUCCESS");
    }

    /**
     * The other way round: the worker's status inquiry is answered "failed" (the provider describes
     * the transfer) while a person resolves the payout SUCCEEDED. The person's word stands, but the
     * provider's is kept as late evidence: dropped, nobody would learn that the beneficiary may not
     * have been paid.
     */
    @Test
    void aConfirmedFailureThatLosesToAPersonsSucceededResolutionIsKeptAsAConflict() {
        Payout after = resolvedWhileTheProviderAnswers("race2", Payout.SUCCEEDED, asking -> ledger.fail(asking,
                Map.of("responseCode", "01", "responseDesc", "Failed"), "Duitku reports the transfer failed"));

        assertThat(after.getConflict()).as("the failure is not dropped").isEqualTo("LATE_FAILURE");
    }

    /**
     * A sent payout flagged for review; its copy is read (by a callback or the worker), a person
     * resolves it {@code resolution}, and then the provider's answer is applied to the copy read
     * before. Returns the payout as the ledger has it then: still as the person resolved it, flagged.
     */
    private Payout resolvedWhileTheProviderAnswers(String reference, String resolution,
            java.util.function.Consumer<Payout> providerAnswer) {
        Payout worker = inquired(reference);
        assertThat(ledger.claimTransfer(worker)).isTrue();
        ledger.holdForReview(worker, Map.of("responseCode", "80"), "pending past the review window");
        Payout readBefore = ledger.findForCallback(reference);
        assertThat(actions.resolve(reference, resolution, "oncall", "checked with the bank").verdict())
                .isEqualTo(Verdict.DONE);
        providerAnswer.accept(readBefore);
        Payout after = ledger.find(reference);
        assertThat(after.getStatus()).as("final stays final").isEqualTo(resolution);
        assertThat(after.isReviewRequired()).isTrue();
        return after;
    }

    /** A payout submitted, claimed by a worker, routed to Duitku and inquired: the worker's copy. */
    private Payout inquired(String reference) {
        ledger.submit(PayoutLedgerTest.instruction(reference, 50000));
        Payout worker = ledger.claim(reference);
        ledger.route(worker, "duitku", "ONLINE");
        ledger.recordInquiry(worker, Map.of("responseCode", "00", "disburseId", "9" + reference.hashCode()));
        return worker;
    }
}
