package id.camelpayouts.ledger;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.sql.Connection;
import java.sql.ResultSet;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;

import com.zaxxer.hikari.HikariDataSource;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import id.camelpayouts.payout.InstructionParser;
import id.camelpayouts.payout.PayoutInstruction;

class PayoutLedgerTest {


    static final AtomicInteger DATABASES = new AtomicInteger();
    HikariDataSource dataSource;
    MutableClock clock = new MutableClock(Instant.parse("2026-11-21T03:00:00Z"));
    PayoutLedger ledger;

    /** The database under test: a fresh in-memory H2 here; PostgresPayoutLedgerTest runs the same tests on PostgreSQL. */
    protected HikariDataSource newDataSource() {
        HikariDataSource h2 = new HikariDataSource();
        h2.setJdbcUrl("jdbc:h2:mem:ledger" + DATABASES.incrementAndGet());
        return h2;
    }

    @BeforeEach
    void openLedger() {
        dataSource = newDataSource();
        LedgerSchema.apply(dataSource);
        LedgerSchema.apply(dataSource); // idempotent: a restart applies it again
        ledger = new PayoutLedger(dataSource, clock, new LedgerPolicy(Duration.ofMinutes(2), Duration.ofMinutes(2),
                List.of(Duration.ofSeconds(2), Duration.ofSeconds(10)), Duration.ofSeconds(5),
                Duration.ofMinutes(15), Duration.ofHours(24)), "test-instance");
    }

    @AfterEach
    void close() {
        dataSource.close();
    }

    @Test
    void aReferenceIsRecordedOnceRepeatedOrRefusedAsConflict() {
        assertThat(ledger.submit(instruction("r1", 50000)).kind()).isEqualTo(Submission.Kind.ACCEPTED);
        assertThat(ledger.submit(instruction("r1", 50000)).kind()).isEqualTo(Submission.Kind.REPEATED);
        Submission conflict = ledger.submit(instruction("r1", 60000));
        assertThat(conflict.kind()).isEqualTo(Submission.Kind.CONFLICT);
        assertThat(conflict.payout().getInstruction().amount()).isEqualTo(50000);
        assertThat(ledger.countWhere("reference = 'r1'")).isEqualTo(1);
    }

    /** Where a Duitku twin started again on this ledger goes on numbering its disburseIds. */
    @Test
    void theHighestNumericProviderReferenceOfAProvider() {
        assertThat(ledger.highestNumericProviderReference("duitku")).isZero();
        String[][] sent = {{"h1", "duitku", "99"}, {"h2", "duitku", "100009"}, {"h3", "duitku", "100010"},
            {"h4", "duitku", "d-7"}, {"h5", "durianpay", "2000000"}};
        for (String[] payout : sent) {
            ledger.submit(instruction(payout[0], 50000));
            Payout worker = ledger.claim(payout[0]);
            ledger.route(worker, payout[1], "ONLINE");
            ledger.recordInquiry(worker, Map.of("responseCode", "00", "disburseId", payout[2], "accountName", "Test"));
            assertThat(ledger.claimTransfer(worker)).isTrue();
        }
        assertThat(ledger.highestNumericProviderReference("duitku")).isEqualTo(100010);
    }

    /** Intakes never hold two of the pool's connections: more of them than connections cannot deadlock it. */
    @Test
    void manyConcurrentSubmissionsOnASmallPoolAllComplete() throws Exception {
        dataSource.setMaximumPoolSize(2);
        dataSource.setConnectionTimeout(1000);
        ExecutorService intakes = Executors.newFixedThreadPool(8);
        try {
            List<Future<Submission.Kind>> kinds = new ArrayList<>();
            for (int i = 0; i < 400; i++) {
                String reference = "pool-" + (i % 200); // every reference twice: accepted, then repeated
                kinds.add(intakes.submit(() -> ledger.submit(instruction(reference, 50000)).kind()));
            }
            List<Submission.Kind> answers = new ArrayList<>();
            for (Future<Submission.Kind> kind : kinds) {
                answers.add(kind.get());
            }
            assertThat(answers).filteredOn(k -> k == Submission.Kind.ACCEPTED).hasSize(200);
            assertThat(answers).filteredOn(k -> k == Submission.Kind.REPEATED).hasSize(200);
        } finally {
            intakes.shutdownNow();
        }
    }

    /**
     * Sixteen workers holding the same payout (as read at the same version), each recording its
     * inquiry and claiming the transfer: the inquiry is written with the claim, and only one claim
     * may win.
     */
    @Test
    void onlyOneOfManyConcurrentClaimsMaySendTheTransfer() throws Exception {
        ledger.submit(instruction("r2", 50000));
        assertThat(ledger.claim("r2")).isNotNull();
        ExecutorService pool = Executors.newFixedThreadPool(8);
        List<Callable<Boolean>> claims = new ArrayList<>();
        for (int i = 0; i < 16; i++) {
            String disburseId = String.valueOf(77 + i);
            Payout worker = ledger.find("r2");
            claims.add(() -> {
                ledger.recordInquiry(worker, Map.of("responseCode", "00", "disburseId", disburseId,
                        "accountName", "Test Account"));
                return ledger.claimTransfer(worker);
            });
        }
        int winners = 0;
        for (Future<Boolean> claim : pool.invokeAll(claims)) {
            winners += claim.get() ? 1 : 0;
        }
        pool.shutdown();
        assertThat(winners).isEqualTo(1);
        assertThat(ledger.find("r2").getStage()).isEqualTo(Payout.Stage.TRANSFER_SENT);
        assertThat(ledger.find("r2").getInquiryAttempts()).isEqualTo(1);
        assertThat(ledger.history("r2")).hasSize(3); // received, the winner's inquiry, its claim
    }

    /**
     * The inquiry is not written on its own: the worker's next change writes it, in the same update,
     * with its own line in the history first. Lost before that change (a crash), the payout is still
     * NEW and asked again; nothing was sent.
     */
    @Test
    void anInquiryIsWrittenWithTheWorkersNextChange() {
        ledger.submit(instruction("r15", 50000));
        Payout worker = ledger.claim("r15");
        ledger.recordInquiry(worker, Map.of("responseCode", "00", "responseDesc", "Approved", "disburseId", "90",
                "accountName", "Test Account"));
        assertThat(worker.getStage()).isEqualTo(Payout.Stage.INQUIRED);
        assertThat(ledger.find("r15").getStage()).isEqualTo(Payout.Stage.NEW);

        assertThat(ledger.claimTransfer(worker)).isTrue();

        Payout stored = ledger.find("r15");
        assertThat(stored.getStage()).isEqualTo(Payout.Stage.TRANSFER_SENT);
        assertThat(stored.getProviderReference()).isEqualTo("90");
        assertThat(stored.getAccountName()).isEqualTo("Test Account");
        assertThat(stored.getInquiryAttempts()).isEqualTo(1);
        assertThat(stored.getResponseCode()).isEqualTo("00");
        assertThat(stored.version).isEqualTo(worker.version);
        assertThat(ledger.history("r15")).containsExactly("NEW PENDING null received",
                "INQUIRED PENDING 00 inquiry succeeded", "TRANSFER_SENT PENDING null transfer sent");
    }

    /**
     * A cash out is claimed straight from NEW, before the row holds the provider the worker routed it
     * to (the rail is written with the claim): the pause is checked for the worker's provider.
     */
    @Test
    void aCashOutIsNotClaimedWhileTheProviderItWasRoutedToIsPaused() {
        ProviderPauses pauses = new ProviderPauses(ledger, List.of("duitku"));
        pauses.pause("duitku", ProviderPauses.OPERATOR, "ops", null);
        ledger.submit(instruction("r17", 50000));
        Payout worker = ledger.claim("r17");
        ledger.route(worker, "duitku", "CASHOUT");

        assertThat(ledger.claimCashOut(worker)).isFalse();
        Payout stored = ledger.find("r17");
        assertThat(stored.getStage()).isEqualTo(Payout.Stage.NEW);
        assertThat(stored.getHold()).isEqualTo(Payout.HOLD_PROVIDER_PAUSED);
        assertThat(stored.getProvider()).isEqualTo("duitku");
        pauses.resume("duitku", "ops", null);
    }

    /** A change that cannot carry the inquiry (a retry sets the attempts itself) writes it first, on its own. */
    @Test
    void anInquiryFollowedByAChangeThatCannotCarryItIsWrittenFirst() {
        ledger.submit(instruction("r16", 50000));
        Payout worker = ledger.claim("r16");
        ledger.recordInquiry(worker, Map.of("responseCode", "00", "disburseId", "91"));
        ledger.refuseAtInquiry(worker, Map.of("responseCode", "-148"), "refused");

        Payout stored = ledger.find("r16");
        assertThat(stored.getStatus()).isEqualTo(Payout.FAILED);
        assertThat(stored.getInquiryAttempts()).isEqualTo(2);
        assertThat(stored.getProviderReference()).isEqualTo("91");
        assertThat(ledger.history("r16")).extracting(line -> line.split(" ")[0] + " " + line.split(" ")[1])
                .containsExactly("NEW PENDING", "INQUIRED PENDING", "FINAL FAILED");
    }

    @Test
    void aLeasedPayoutIsNotClaimedAgainUntilTheLeaseEnds() {
        ledger.submit(instruction("r3", 50000));
        assertThat(ledger.claim("r3")).isNotNull();
        assertThat(ledger.claim("r3")).isNull();
        clock.advance(Duration.ofMinutes(3));
        assertThat(ledger.claim("r3")).isNotNull();
    }

    /** Every stage but FINAL and APPROVAL is one the reconciler looks at, through the payouts_due index. */
    @Test
    void theReconcilersQuestionCoversEveryUnfinishedStageThroughItsIndex() throws Exception {
        assertThat(Arrays.stream(Payout.Stage.values()).map(Enum::name)
                .filter(stage -> PayoutLedger.DUE.contains("'" + stage + "'")))
                .containsExactlyInAnyOrder("NEW", "INQUIRED", "TRANSFER_SENT");
        assumeTrue(getClass() == PayoutLedgerTest.class, "the plan is H2's");
        try (Connection db = dataSource.getConnection();
                ResultSet plan = db.createStatement().executeQuery("EXPLAIN " + PayoutLedger.DUE
                        .replace("?", "CURRENT_TIMESTAMP"))) {
            plan.next();
            assertThat(plan.getString(1)).contains("PAYOUTS_DUE").doesNotContain("tableScan");
        }
    }

    @Test
    void aRestartedInstanceReleasesItsOwnLeasesButNotOthers() {
        ledger.submit(instruction("r9", 50000));
        ledger.submit(instruction("r10", 50000));
        assertThat(ledger.claim("r9")).isNotNull();
        PayoutLedger other = new PayoutLedger(dataSource, clock, new LedgerPolicy(Duration.ofMinutes(2),
                Duration.ofMinutes(2), List.of(), Duration.ofSeconds(5), Duration.ofMinutes(15),
                Duration.ofHours(24)), "other-instance");
        assertThat(other.claim("r10")).isNotNull();
        assertThat(ledger.releaseOwnLeases()).isEqualTo(1);
        assertThat(ledger.claim("r9")).isNotNull();
        assertThat(ledger.claim("r10")).isNull();
    }

    @Test
    void aCallbackAppliesEvenWhenAWorkerMovedThePayoutSinceItWasRead() {
        ledger.submit(instruction("r11", 50000));
        Payout worker = ledger.claim("r11");
        ledger.recordInquiry(worker, Map.of("responseCode", "00", "disburseId", "81"));
        ledger.claimTransfer(worker);
        Payout readByCallback = ledger.find("r11"); // the callback route reads the payout...
        ledger.awaitCallback(worker, Map.of("responseCode", "80"), "waiting for the bank"); // ...the worker moves on
        ledger.succeedByCallback(readByCallback, Map.of("responseCode", "00"));
        assertThat(ledger.find("r11").getStatus()).isEqualTo(Payout.SUCCEEDED);
        assertThat(ledger.history("r11")).last().asString().isEqualTo("FINAL SUCCEEDED 00 succeeded by callback");
    }

    // ---- failure claims (a callback says the transfer failed; the workers' status inquiry decides) ----

    /** A claim's words, as the callback routes record them. */
    private static final String CLAIM = "Duitku's callback claims the transfer failed (01): confirming with Duitku's"
            + " status inquiry";
    private static final Map<String, Object> CLAIMED = Map.of("responseCode", "01", "responseDesc", "Failed");

    /** The worker's "still not known, ask again later" writes of a transfer already answered (status inquiry). */
    private static final Map<String, java.util.function.BiConsumer<PayoutLedger, Payout>> STATUS_ANSWERS = Map.of(
            "stillPending", (l, w) -> l.stillPending(w, Map.of("responseCode", "EE"), "still in progress"),
            "stillAwaitingCallback", (l, w) -> l.stillAwaitingCallback(w, Map.of("responseCode", "80"),
                    "waiting for the bank"),
            "transferNotFound", (l, w) -> l.transferNotFound(w, Map.of("responseCode", "-420"), "unknown"),
            "keepWaitingForCallback", (l, w) -> l.keepWaitingForCallback(w));

    /** The same, at the transfer's own answer (a callback may come before the transfer is answered). */
    private static final Map<String, java.util.function.BiConsumer<PayoutLedger, Payout>> TRANSFER_ANSWERS = Map.of(
            "awaitCallback", (l, w) -> l.awaitCallback(w, Map.of("responseCode", "80"), "waiting for the bank"),
            "awaitStatus", (l, w) -> l.awaitStatus(w, Map.of("responseCode", "TO"), "timed out"),
            "awaitStatusAcknowledged", (l, w) -> l.awaitStatusAcknowledged(w, Map.of("responseCode", "68"),
                    "in progress"));

    /** A transfer sent and answered 80: PENDING, its status asked only after the callback wait. */
    private Payout sentAndAwaitingCallback(String reference) {
        ledger.submit(instruction(reference, 50000));
        Payout worker = ledger.claim(reference);
        ledger.recordInquiry(worker, Map.of("responseCode", "00", "disburseId", "7" + reference.hashCode()));
        assertThat(ledger.claimTransfer(worker)).isTrue();
        ledger.awaitCallback(worker, Map.of("responseCode", "80"), "waiting for the bank");
        assertThat(ledger.due(1000)).doesNotContain(reference);
        return worker;
    }

    /**
     * The race that delayed a genuine failure by a minute, interleaved step by step: a (forged) claim
     * is recorded; a worker leases the payout and asks the provider; the genuine claim, in the same
     * words, is recorded while it asks; the worker's answer is "still not known, ask later". The
     * second claim came after the worker read the payout, so that answer is not about it: the payout
     * stays due now (and its lease is released), for an inquiry that follows the claim.
     */
    @Test
    void aFailureClaimRecordedWhileAWorkerAsksKeepsThePayoutDueWhateverTheWorkerAnswers() {
        STATUS_ANSWERS.forEach((write, answer) -> {
            String reference = "fc-" + write;
            sentAndAwaitingCallback(reference);
            assertThat(ledger.recordFailureClaim(ledger.find(reference), CLAIMED, CLAIM)).as(write).isTrue();
            assertThat(ledger.due(1000)).as(write).contains(reference);
            Payout worker = ledger.claim(reference); // the reconciler's round: the worker reads, then asks
            assertThat(worker).as(write).isNotNull();

            assertThat(ledger.recordFailureClaim(ledger.find(reference), CLAIMED, CLAIM)).as(write + ": a repeat")
                    .isFalse();
            answer.accept(ledger, worker);

            assertThat(ledger.due(1000)).as(write + ": due now, not after the wait").contains(reference);
            assertThat(ledger.find(reference).failureClaims).as(write + ": every claim counts").isEqualTo(2);
            assertThat(ledger.claim(reference)).as(write + ": lease released").isNotNull();
            assertThat(ledger.history(reference)).as(write + ": the repeat adds no line")
                    .filteredOn(line -> line.contains("claims the transfer failed")).hasSize(1);
        });
    }

    /** The same when the claim comes while the transfer itself is on its way (recorded after the worker's read). */
    @Test
    void aFailureClaimRecordedBeforeTheTransferIsAnsweredKeepsThePayoutDue() {
        TRANSFER_ANSWERS.forEach((write, answer) -> {
            String reference = "ft-" + write;
            ledger.submit(instruction(reference, 50000));
            Payout worker = ledger.claim(reference);
            ledger.recordInquiry(worker, Map.of("responseCode", "00", "disburseId", "8" + reference.hashCode()));
            assertThat(ledger.claimTransfer(worker)).isTrue();

            assertThat(ledger.recordFailureClaim(ledger.find(reference), CLAIMED, CLAIM)).as(write).isTrue();
            answer.accept(ledger, worker);

            assertThat(ledger.due(1000)).as(write + ": due now").contains(reference);
            assertThat(ledger.find(reference).getStatus()).as(write).isEqualTo(Payout.PENDING);
        });
    }

    /**
     * A claim recorded before the worker read the payout is what its inquiry answers: the worker's
     * "ask again later" stands (no inquiry after inquiry while the provider says it is in progress),
     * and a claim made again in the same words, now that it was answered, is a new claim.
     */
    @Test
    void aFailureClaimTheWorkersInquiryAnsweredLetsItsAnswerStand() {
        STATUS_ANSWERS.forEach((write, answer) -> {
            String reference = "fa-" + write;
            sentAndAwaitingCallback(reference);
            ledger.recordFailureClaim(ledger.find(reference), CLAIMED, CLAIM);
            Payout worker = ledger.claim(reference);
            answer.accept(ledger, worker);
            assertThat(ledger.due(1000)).as(write + ": asked again only after the wait").doesNotContain(reference);
        });
        Payout answered = ledger.find("fa-stillPending");
        assertThat(ledger.recordFailureClaim(answered, CLAIMED, CLAIM)).isTrue();
        assertThat(ledger.due(1000)).contains("fa-stillPending");
    }

    /** A ledger made before claims were counted gets the column at the next start, its payouts at zero claims. */
    @Test
    void aLedgerMadeBeforeFailureClaimsWereCountedIsBroughtUpToDate() throws Exception {
        sentAndAwaitingCallback("fu-1");
        try (Connection db = dataSource.getConnection()) {
            db.createStatement().execute("ALTER TABLE payouts DROP COLUMN failure_claims");
        }
        LedgerSchema.apply(dataSource);
        assertThat(ledger.find("fu-1").failureClaims).isZero();
        assertThat(ledger.recordFailureClaim(ledger.find("fu-1"), CLAIMED, CLAIM)).isTrue();
        assertThat(ledger.find("fu-1").failureClaims).isEqualTo(1);
    }

    /** A claim is about a PENDING transfer only: not one still at its inquiry, not a final one. */
    @Test
    void aFailureClaimChangesNothingBeforeTheTransferOrAfterTheOutcome() {
        ledger.submit(instruction("fn-1", 50000));
        assertThat(ledger.recordFailureClaim(ledger.find("fn-1"), CLAIMED, CLAIM)).isFalse();
        sentAndAwaitingCallback("fn-2");
        ledger.succeed(ledger.claim("fn-2"), Map.of("responseCode", "00"));
        Payout succeeded = ledger.find("fn-2");
        assertThat(ledger.recordFailureClaim(succeeded, CLAIMED, CLAIM)).isFalse();
        assertThat(ledger.find("fn-1").getStage()).isEqualTo(Payout.Stage.NEW);
        assertThat(ledger.find("fn-2").getStatus()).isEqualTo(Payout.SUCCEEDED);
        assertThat(ledger.history("fn-2")).noneMatch(line -> line.contains("claims the transfer failed"));
    }

    @Test
    void finalIsFinal() {
        ledger.submit(instruction("r4", 50000));
        Payout payout = ledger.claim("r4");
        ledger.fail(payout, Map.of("responseCode", "76"), "invalid account");
        Payout stale = ledger.find("r4");
        ledger.succeed(stale, Map.of("responseCode", "00"));
        ledger.reject(stale, "late rejection");
        assertThat(ledger.find("r4").getStatus()).isEqualTo(Payout.FAILED);
        assertThat(ledger.find("r4").getReason()).isEqualTo("invalid account");
        assertThat(ledger.claim("r4")).isNull();
    }

    @Test
    void lateEvidenceKeepsTheFinalStatusButFlagsRecordsAndForwardsTheConflictOnce() {
        PayoutLedger withOutbox = new PayoutLedger(dataSource, clock, new LedgerPolicy(Duration.ofMinutes(2),
                Duration.ofMinutes(2), List.of(Duration.ofSeconds(2)), Duration.ofSeconds(5), Duration.ofMinutes(15),
                Duration.ofHours(24)), "test-instance", List.of("jms"));
        withOutbox.submit(instruction("r12", 50000));
        Payout payout = withOutbox.claim("r12");
        withOutbox.fail(payout, Map.of("responseCode", "-510"), "insufficient fund");
        int outcomesBefore = withOutbox.outbox("jms", 100).getMessages().size();

        Payout failed = withOutbox.find("r12");
        assertThat(withOutbox.recordConflict(failed, Map.of("responseCode", "00"), "LATE_SUCCESS",
                "Duitku's callback says the transfer succeeded")).isTrue();
        assertThat(withOutbox.recordConflict(withOutbox.find("r12"), Map.of("responseCode", "00"), "LATE_SUCCESS",
                "the same callback again")).isFalse();

        Payout after = withOutbox.find("r12");
        assertThat(after.getStatus()).isEqualTo(Payout.FAILED);
        assertThat(after.isReviewRequired()).isTrue();
        assertThat(after.getConflict()).isEqualTo("LATE_SUCCESS");
        assertThat(after.toOutcome()).containsEntry("conflict", "LATE_SUCCESS").containsEntry("reviewRequired", true);
        assertThat(withOutbox.history("r12")).last().asString()
                .isEqualTo("FINAL FAILED 00 Duitku's callback says the transfer succeeded CONFLICT LATE_SUCCESS");
        List<PayoutOutbox.OutboxMessage> outcomes = withOutbox.outbox("jms", 100).getMessages();
        assertThat(outcomes).hasSize(outcomesBefore + 1);
        assertThat(outcomes.get(outcomes.size() - 1).payload()).contains("\"conflict\":\"LATE_SUCCESS\"")
                .contains("\"status\":\"FAILED\"");
        assertThat(withOutbox.claim("r12")).isNull();
    }

    @Test
    void inquiriesAreRetriedOnTheBackoffScheduleThenFail() {
        ledger.submit(instruction("r5", 50000));
        Payout payout = ledger.claim("r5");
        ledger.retryInquiry(payout, Map.of("responseCode", "LD"), "link down", null);
        assertThat(ledger.due(10)).doesNotContain("r5");
        clock.advance(Duration.ofSeconds(3));
        assertThat(ledger.due(10)).contains("r5");
        payout = ledger.claim("r5");
        ledger.retryInquiry(payout, Map.of("responseCode", "LD"), "link down", null);
        payout = ledger.claim("r5");
        assertThat(payout.getStatus()).isEqualTo(Payout.PENDING);
        ledger.retryInquiry(payout, Map.of("responseCode", "LD"), "link down", null);
        Payout failed = ledger.find("r5");
        assertThat(failed.getStatus()).isEqualTo(Payout.FAILED);
        assertThat(failed.getReason()).isEqualTo("link down (after 3 inquiries)");
        assertThat(ledger.history("r5")).hasSize(4); // received, two retries, failed
    }

    @Test
    void aTransferUnknownToTheProviderFailsOnlyAfterTheGracePeriod() {
        ledger.submit(instruction("r6", 50000));
        Payout payout = ledger.claim("r6");
        ledger.recordInquiry(payout, Map.of("responseCode", "00", "disburseId", "78"));
        assertThat(ledger.claimTransfer(payout)).isTrue();
        Map<String, Object> notFound = Map.of("responseCode", "-420");
        ledger.transferNotFound(ledger.find("r6"), notFound, "unknown");
        assertThat(ledger.find("r6").getStatus()).isEqualTo(Payout.PENDING);
        clock.advance(Duration.ofMinutes(16));
        ledger.transferNotFound(ledger.find("r6"), notFound, "unknown");
        assertThat(ledger.find("r6").getStatus()).isEqualTo(Payout.FAILED);
    }

    @Test
    void aPayoutPendingPastTheReviewWindowIsFlagged() {
        ledger.submit(instruction("r7", 50000));
        assertThat(ledger.flagOverdueForReview()).isZero();
        clock.advance(Duration.ofHours(25));
        assertThat(ledger.flagOverdueForReview()).isEqualTo(1);
        assertThat(ledger.find("r7").toOutcome()).containsEntry("reviewRequired", true);
    }

    /**
     * An online transfer emits two outcomes: taken in (PENDING) and paid. Its inquiry, transfer
     * claim and status checks in between change nothing a consumer acts on (OutcomeRule).
     */
    @Test
    void anOnlineTransferEmitsPendingOnceThenItsFinalStatus() {
        PayoutLedger withOutbox = ledgerWithOutbox();
        withOutbox.submit(instruction("r13", 50000));
        Payout payout = withOutbox.claim("r13");
        withOutbox.recordInquiry(payout, Map.of("responseCode", "00", "disburseId", "79", "accountName", "Test"));
        withOutbox.claimTransfer(payout);
        withOutbox.awaitStatus(payout, Map.of("responseCode", "TO"), "timed out: status asked later");
        payout = withOutbox.claim("r13");
        withOutbox.stillPending(payout, Map.of("responseCode", "EE"), "still in progress");
        payout = withOutbox.claim("r13");
        withOutbox.succeed(payout, Map.of("responseCode", "00"));

        assertThat(statuses(withOutbox, "r13")).containsExactly("PENDING", "SUCCEEDED");
        assertThat(withOutbox.outbox("jms", 100).getMessages().get(1).payload()).as("what came meanwhile travels with it")
                .contains("\"providerReference\":\"79\"").contains("\"accountName\":\"Test\"");
    }

    @Test
    void aFlagForReviewEmitsAnOutcomeOnce() {
        PayoutLedger withOutbox = ledgerWithOutbox();
        withOutbox.submit(instruction("r14", 50000));
        clock.advance(Duration.ofHours(25));
        withOutbox.flagOverdueForReview();
        withOutbox.flagOverdueForReview();

        List<PayoutOutbox.OutboxMessage> outcomes = withOutbox.outbox("jms", 100).getMessages();
        assertThat(statuses(withOutbox, "r14")).containsExactly("PENDING", "PENDING");
        assertThat(outcomes.get(1).payload()).contains("\"reviewRequired\":true");
        assertThat(withOutbox.history("r14")).last().asString().contains("flagged for review");
    }

    private PayoutLedger ledgerWithOutbox() {
        return new PayoutLedger(dataSource, clock, new LedgerPolicy(Duration.ofMinutes(2), Duration.ofMinutes(2),
                List.of(Duration.ofSeconds(2)), Duration.ofSeconds(5), Duration.ofMinutes(15), Duration.ofHours(24)),
                "test-instance", List.of("jms"));
    }

    private static List<String> statuses(PayoutLedger ledger, String reference) {
        return ledger.outbox("jms", 100).getMessages().stream().filter(m -> m.reference().equals(reference))
                .map(m -> m.payload().replaceAll(".*\"status\":\"([A-Z]+)\".*", "$1")).toList();
    }

    @Test
    void aPayoutPastInquiryCannotBeMovedBack() {
        ledger.submit(instruction("r8", 50000));
        Payout payout = ledger.claim("r8");
        ledger.recordInquiry(payout, Map.of("responseCode", "00", "disburseId", "79"));
        ledger.claimTransfer(payout);
        org.assertj.core.api.Assertions.assertThatThrownBy(
                () -> ledger.recordInquiry(ledger.find("r8"), Map.of("responseCode", "00")))
                .isInstanceOf(IllegalStateException.class);
    }

    /**
     * A batch's cancel holds for payouts its cancel did not find (taken in before its mark, listed
     * after its listing, e.g. a dropped file's row in flight): a transfer claimed after the mark is
     * refused, and the payout ends CANCELLED by the cancel (its name and note in the history),
     * nothing sent; a cash out likewise.
     */
    @Test
    void aTransferClaimedAfterItsBatchWasCancelledIsRefusedAndThePayoutCancelled() {
        Payout transfer = inquired("bc2", "wrong-file.csv", "91");
        ledger.submit(instruction("bc3", 50000).inBatch("wrong-file.csv"));
        Payout cashOut = ledger.claim("bc3");
        ledger.route(cashOut, "duitku", "CASHOUT");
        assertThat(ledger.markBatchCancelled("wrong-file.csv", "ops", "wrong file")).isTrue();

        assertThat(ledger.claimTransfer(transfer)).isFalse();
        assertThat(ledger.claimCashOut(cashOut)).isFalse();

        for (String reference : List.of("bc2", "bc3")) {
            Payout stored = ledger.find(reference);
            assertThat(stored.getStatus()).isEqualTo(Payout.CANCELLED);
            assertThat(stored.getStage()).isEqualTo(Payout.Stage.FINAL);
            assertThat(ledger.countWhere("reference = '" + reference + "' AND transfer_attempts = 0")).isEqualTo(1);
            assertThat(stored.getTransferSentAt()).isNull();
            assertThat(stored.getReason()).isEqualTo("cancelled by ops with its batch: wrong file");
            assertThat(ledger.history(reference)).last().asString().startsWith("FINAL CANCELLED");
        }
        // a batch without the mark is claimed as before
        assertThat(ledger.claimTransfer(inquired("bc4", "right-file.csv", "92"))).isTrue();
    }

    /** A payout of the batch, leased, routed to Duitku ONLINE and inquired: its transfer claim is next. */
    private Payout inquired(String reference, String batch, String disburseId) {
        ledger.submit(instruction(reference, 50000).inBatch(batch));
        Payout payout = ledger.claim(reference);
        ledger.route(payout, "duitku", "ONLINE");
        ledger.recordInquiry(payout, Map.of("responseCode", "00", "disburseId", disburseId, "accountName", "Test"));
        return payout;
    }

    /**
     * A payout taken in after its batch was cancelled (a big file's later rows, an instruction naming
     * the batch) is recorded CANCELLED at once, by that cancel (name and note), in one transaction:
     * no worker ever leases it, so nothing is asked of a provider, not even the inquiry, and it never
     * waits for approval. Its outcomes are those of any cancelled payout: taken in, then CANCELLED.
     */
    @Test
    void aPayoutTakenInAfterItsBatchWasCancelledIsRecordedCancelledAtOnce() {
        PayoutLedger withOutbox = ledgerWithOutbox();
        OperatorActions actions = new OperatorActions(withOutbox);
        withOutbox.submit(instruction("ba1", 50000).inBatch("late-rows.csv"));
        assertThat(actions.cancelBatch("late-rows.csv", "ops", "wrong file").verdict())
                .isEqualTo(OperatorActions.Verdict.DONE);

        Submission late = withOutbox.submit(instruction("ba2", 50000).inBatch("late-rows.csv"),
                new PayoutLedger.Origin("file", null));

        assertThat(late.kind()).isEqualTo(Submission.Kind.ACCEPTED);
        assertThat(late.payout().getStatus()).isEqualTo(Payout.CANCELLED);
        Payout stored = withOutbox.find("ba2");
        assertThat(stored.getStatus()).isEqualTo(Payout.CANCELLED);
        assertThat(stored.getStage()).isEqualTo(Payout.Stage.FINAL);
        assertThat(stored.getReason()).isEqualTo("cancelled by ops with its batch: wrong file");
        assertThat(withOutbox.history("ba2")).hasSize(2);
        assertThat(withOutbox.history("ba2").get(0)).startsWith("NEW PENDING");
        assertThat(withOutbox.history("ba2").get(1)).startsWith("FINAL CANCELLED");
        assertThat(withOutbox.claim("ba2")).as("no worker works on it").isNull();
        assertThat(withOutbox.countWhere("reference = 'ba2' AND inquiry_attempts = 0 AND transfer_attempts = 0"
                + " AND next_action_at IS NULL")).isEqualTo(1);
        assertThat(statuses(withOutbox, "ba2")).containsExactly("PENDING", "CANCELLED");
        assertThat(withOutbox.submit(instruction("ba2", 50000).inBatch("late-rows.csv")).kind())
                .isEqualTo(Submission.Kind.REPEATED);
        assertThat(actions.approve("ba2", "approver", null).verdict()).isEqualTo(OperatorActions.Verdict.TOO_LATE);
    }

    /**
     * A payout taken in before its batch's mark but not worked on yet (the cancel's listing missed it,
     * or its lease comes after the mark): the worker's lease finds the mark and cancels it, before
     * any provider call. One whose transfer was sent is left to settle.
     */
    @Test
    void aPayoutWhoseBatchWasMarkedBeforeItsLeaseIsCancelledBeforeAnyProviderCall() {
        ledger.submit(instruction("bl1", 50000).inBatch("marked.csv"));
        Payout sent = inquired("bl2", "marked.csv", "94");
        assertThat(ledger.claimTransfer(sent)).isTrue();
        ledger.awaitStatus(sent, Map.of("responseCode", "TO"), "timed out: status asked later");
        assertThat(ledger.markBatchCancelled("marked.csv", "ops", "wrong file")).isTrue();

        assertThat(ledger.claim("bl1")).isNull();
        Payout cancelled = ledger.find("bl1");
        assertThat(cancelled.getStatus()).isEqualTo(Payout.CANCELLED);
        assertThat(cancelled.getReason()).isEqualTo("cancelled by ops with its batch: wrong file");
        assertThat(ledger.countWhere("reference = 'bl1' AND inquiry_attempts = 0 AND transfer_attempts = 0")).isEqualTo(1);
        // a sent transfer is leased for its status inquiry as before: it may have moved money
        Payout settling = ledger.claim("bl2");
        assertThat(settling).isNotNull();
        assertThat(settling.getStage()).isEqualTo(Payout.Stage.TRANSFER_SENT);
        ledger.succeed(settling, Map.of("responseCode", "00"));
        assertThat(ledger.find("bl2").getStatus()).isEqualTo(Payout.SUCCEEDED);
    }

    /**
     * A worker that leased a payout before its batch's mark and routes it after: it neither starts
     * waiting for approval, nor for a paused provider or Bank Indonesia's window (a wait the cancel's
     * listing may have missed would last until approval expires); it ends CANCELLED by the cancel.
     */
    @Test
    void aPayoutWhoseBatchIsCancelledWhileItIsRoutedDoesNotStartToWait() {
        for (String reference : List.of("bw1", "bw2", "bw3")) {
            ledger.submit(instruction(reference, 50000).inBatch("routed.csv"));
        }
        Payout approval = ledger.claim("bw1");
        Payout held = ledger.claim("bw2");
        Payout window = ledger.claim("bw3");
        assertThat(ledger.markBatchCancelled("routed.csv", "ops", "wrong file")).isTrue();

        ledger.awaitApproval(approval, "waiting for approval");
        ledger.hold(held, Payout.HOLD_PROVIDER_PAUSED, "paused");
        ledger.waitForWindow(window, Duration.ofHours(3), "waiting for the window");

        for (String reference : List.of("bw1", "bw2", "bw3")) {
            Payout stored = ledger.find(reference);
            assertThat(stored.getStatus()).as(reference).isEqualTo(Payout.CANCELLED);
            assertThat(stored.getHold()).as(reference).isNull();
            assertThat(stored.getReason()).as(reference).isEqualTo("cancelled by ops with its batch: wrong file");
        }
    }

    /**
     * A batch's cancel cancels its payouts waiting for approval too, with the operator's name and
     * note; approving one afterwards is refused. Its rows taken in afterwards never wait for approval.
     */
    @Test
    void aBatchsCancelCancelsItsPayoutsWaitingForApproval() {
        OperatorActions actions = new OperatorActions(ledger);
        ledger.submit(instruction("bp1", 50000).inBatch("payroll-approve.csv"));
        ledger.submit(instruction("bp2", 50000).inBatch("payroll-approve.csv"));
        ledger.awaitApproval(ledger.claim("bp1"), "waiting for approval");
        ledger.awaitApproval(ledger.claim("bp2"), "waiting for approval");

        OperatorActions.BatchResult cancel = actions.cancelBatch("payroll-approve.csv", "ops", "wrong month");

        assertThat(cancel.verdict()).isEqualTo(OperatorActions.Verdict.DONE);
        assertThat(cancel.references()).containsExactlyInAnyOrder("bp1", "bp2");
        for (String reference : List.of("bp1", "bp2")) {
            assertThat(ledger.find(reference).getStatus()).isEqualTo(Payout.CANCELLED);
            assertThat(ledger.find(reference).getReason()).isEqualTo("cancelled by ops: wrong month");
            assertThat(actions.approve(reference, "approver", null).verdict())
                    .isEqualTo(OperatorActions.Verdict.TOO_LATE);
        }
        ledger.submit(instruction("bp3", 50000).inBatch("payroll-approve.csv"));
        assertThat(ledger.find("bp3").getStatus()).isEqualTo(Payout.CANCELLED);
        assertThat(actions.approve("bp3", "approver", null).verdict()).isEqualTo(OperatorActions.Verdict.TOO_LATE);
    }

    /**
     * A batch's cancel waits for the disk once, for its mark, not once per payout: the mark alone
     * keeps the batch's payouts from being paid (their lease and their transfer claim read it), so a
     * cancelled payout lost to a crash is cancelled again when a worker takes it. A cancel of a
     * 100,000-row file answered within the operator's HTTP timeout.
     */
    @Test
    void aBatchsCancelWaitsForTheDiskForItsMarkNotForEachPayout() {
        OperatorActions actions = new OperatorActions(ledger);
        for (int i = 0; i < 20; i++) {
            ledger.submit(instruction("bd" + i, 50000).inBatch("big-cancel.csv"));
        }
        DurableDataSource durable = DurableDataSource.of(ledger.dataSource());
        long durableBefore = durable.durableWrites();

        OperatorActions.BatchResult cancel = actions.cancelBatch("big-cancel.csv", "ops", "wrong file");

        assertThat(cancel.changed()).isEqualTo(20);
        assertThat(durable.durableWrites() - durableBefore).as("durable writes of the cancel").isEqualTo(1);
        assertThat(ledger.countWhere("batch_id = 'big-cancel.csv' AND status = 'CANCELLED'")).isEqualTo(20);
    }

    /** A transfer claimed before its batch's cancel stands (it may have been sent): never CANCELLED. */
    @Test
    void aTransferClaimedBeforeItsBatchWasCancelledStands() {
        OperatorActions actions = new OperatorActions(ledger);
        ledger.submit(instruction("bc5", 50000).inBatch("late-cancel.csv"));
        ledger.submit(instruction("bc6", 50000).inBatch("late-cancel.csv"));
        Payout worker = ledger.claim("bc5");
        ledger.route(worker, "duitku", "ONLINE");
        ledger.recordInquiry(worker, Map.of("responseCode", "00", "disburseId", "93", "accountName", "Test"));
        assertThat(ledger.claimTransfer(worker)).isTrue();

        OperatorActions.BatchResult cancel = actions.cancelBatch("late-cancel.csv", "ops", null);

        assertThat(cancel.verdict()).isEqualTo(OperatorActions.Verdict.DONE);
        assertThat(cancel.references()).containsExactly("bc6");
        assertThat(cancel.cancelledAt()).isNotNull();
        Payout claimed = ledger.find("bc5");
        assertThat(claimed.getStatus()).isEqualTo(Payout.PENDING);
        assertThat(claimed.getStage()).isEqualTo(Payout.Stage.TRANSFER_SENT);
        assertThat(ledger.countWhere("reference = 'bc5' AND transfer_attempts = 1")).isEqualTo(1);
        // its outcome is still taken: a cancelled batch's sent transfer may succeed
        assertThat(ledger.find("bc6").getStatus()).isEqualTo(Payout.CANCELLED);
        // a second cancel has nothing left to do
        assertThat(actions.cancelBatch("late-cancel.csv", "ops", null).verdict())
                .isEqualTo(OperatorActions.Verdict.TOO_LATE);
    }

    static PayoutInstruction instruction(String reference, long amount) {
        return new InstructionParser().parse(Map.of("reference", reference, "bankCode", "014",
                "accountNumber", "8760673566", "amount", amount)).instruction();
    }

    static final class MutableClock extends Clock {
        private Instant now;

        MutableClock(Instant now) {
            this.now = now;
        }

        void advance(Duration duration) {
            now = now.plus(duration);
        }

        @Override
        public Instant instant() {
            return now;
        }

        @Override
        public java.time.ZoneId getZone() {
            return ZoneOffset.UTC;
        }

        @Override
        public Clock withZone(java.time.ZoneId zone) {
            return this;
        }
    }
}
