package id.camelpayouts.gateway;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.ThreadLocalRandom;
import java.util.stream.Stream;

import org.apache.camel.BeanInject;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import id.camelpayouts.ledger.Payout;
import id.camelpayouts.twin.DurianpayTwin;

/**
 * The API's write side, end to end against the twins: cancel (racing the worker), resolve,
 * recheck, approval (maker-checker, expiry), pausing and resuming a provider, a payroll file that
 * runs out of funds half way, and each role refused where it has no right.
 */
@SuppressWarnings("unchecked")
class OperatePayoutsTest extends GatewayTestSupport {

    /** From this amount a payout waits for an approver; files named approve-*.csv wait whole. */
    static final long APPROVAL_ABOVE = 5_000_000;

    @BeanInject("payoutsDurianpayTwin")
    DurianpayTwin durianpay;

    OperatePayoutsTest() {
        System.setProperty("payouts.approval.above", String.valueOf(APPROVAL_ABOVE));
        System.setProperty("payouts.approval.files", "approve-*.csv");
        System.setProperty("payouts.approval.expires-after", "4s");
    }

    @AfterAll
    void forgetApprovalSettings() {
        for (String property : new String[] {"payouts.approval.above", "payouts.approval.files",
            "payouts.approval.expires-after"}) {
            System.clearProperty(property);
        }
    }

    // ---- cancel --------------------------------------------------------------------------------

    /**
     * Cancel against the worker, many times: each payout ends either CANCELLED (the cancel won: 200,
     * and its transfer was never sent) or SUCCEEDED (the worker claimed the transfer first: 409).
     */
    @Test
    void cancelRacingTheWorkerExactlyOneWinsAndACancelledPayoutIsNeverSent() throws Exception {
        int transfersBefore = twin.transfersExecuted();
        int runs = 40;
        ExecutorService pool = Executors.newFixedThreadPool(8);
        List<Future<String[]>> races = new ArrayList<>();
        try {
            for (int i = 0; i < runs; i++) {
                String reference = reference("race");
                races.add(pool.submit(() -> {
                    assertThat(post("/api/payouts", instruction(reference, "8760673566", 50000)).status())
                            .isEqualTo(202);
                    Thread.sleep(ThreadLocalRandom.current().nextInt(0, 40));
                    Response cancel = post("/api/payouts/" + reference + "/cancel", "{\"note\":\"wrong file\"}",
                            OPERATOR_KEY);
                    return new String[] {reference, String.valueOf(cancel.status())};
                }));
            }
            int cancelled = 0;
            for (Future<String[]> race : races) {
                String reference = race.get()[0];
                int status = Integer.parseInt(race.get()[1]);
                Payout payout = awaitFinal(reference);
                if (status == 200) {
                    cancelled++;
                    assertThat(payout.getStatus()).as(reference).isEqualTo(Payout.CANCELLED);
                    if (payout.getProviderReference() != null) {
                        assertThat(twin.transfersExecuted(payout.getProviderReference())).as(reference).isZero();
                    }
                    assertThat(ledger.history(reference)).as(reference).noneMatch(line -> line.contains("transfer sent"));
                } else {
                    assertThat(status).as(reference).isEqualTo(409);
                    assertThat(payout.getStatus()).as(reference).isEqualTo(Payout.SUCCEEDED);
                    assertThat(twin.transfersExecuted(payout.getProviderReference())).as(reference).isEqualTo(1);
                }
            }
            assertThat(twin.transfersExecuted() - transfersBefore).as("one transfer per payout not cancelled")
                    .isEqualTo(runs - cancelled);
            // How many cancels win depends on the machine's speed (on a quiet one the worker often
            // claims every transfer first): the invariants above hold for any mix, and each side is
            // shown for certain by aCancelTooLateAnswers409WithThePayoutAndOneInTimeIsForwardedAndRecorded.
            System.out.printf("cancel-race: runs=%d cancelled=%d late=%d%n", runs, cancelled, runs - cancelled);
        } finally {
            pool.shutdownNow();
        }
    }

    @Test
    void aCancelTooLateAnswers409WithThePayoutAndOneInTimeIsForwardedAndRecorded() {
        String paid = reference("cancel-late");
        post("/api/payouts", instruction(paid, "8760673566", 50000));
        awaitFinal(paid);
        Response late = post("/api/payouts/" + paid + "/cancel", "", OPERATOR_KEY);
        assertThat(late.status()).isEqualTo(409);
        assertThat(late.json()).containsEntry("error", "the payout is SUCCEEDED already");
        assertThat((Map<String, Object>) late.json().get("payout")).containsEntry("status", "SUCCEEDED");

        String waiting = reference("cancel-waiting");
        post("/api/payouts", instruction(waiting, "8760673566", APPROVAL_ABOVE));
        awaitStatus(waiting, Payout.AWAITING_APPROVAL);
        Response cancelled = post("/api/payouts/" + waiting + "/cancel", "{\"note\":\"duplicate of INV-7\"}",
                OPERATOR_KEY);
        assertThat(cancelled.status()).isEqualTo(200);
        assertThat(cancelled.json()).containsEntry("status", "CANCELLED");
        Map<String, Object> last = lastHistoryEntry(waiting);
        assertThat(last).containsEntry("to", "CANCELLED").containsEntry("cause", "operator")
                .containsEntry("by", "operator").containsEntry("note", "duplicate of INV-7");
        assertThat(post("/api/payouts/nobody-" + waiting + "/cancel", "", OPERATOR_KEY).status()).isEqualTo(404);
        assertThat(post("/api/payouts/" + waiting + "/cancel", "{\"note\":3}", OPERATOR_KEY).status()).isEqualTo(400);
    }

    /** A dropped file that waits for approval is cancelled whole; its results file says CANCELLED. */
    @Test
    void aBatchIsCancelledBeforeAnythingIsSentAndItsResultsFileSaysSo() throws Exception {
        String tag = "cb" + System.nanoTime() % 100_000;
        String name = "approve-" + tag + ".csv";
        int transfers = twin.transfersExecuted();
        drop(name, "reference,bankCode,accountNumber,amount\n" + tag + "-1,014,8760673566,50000\n"
                + tag + "-2,014,8760673566,60000\n");
        awaitStatus(tag + "-1", Payout.AWAITING_APPROVAL);
        awaitStatus(tag + "-2", Payout.AWAITING_APPROVAL);

        Response cancelled = post("/api/batches/" + name + "/cancel", "{\"note\":\"sent twice\"}", OPERATOR_KEY);
        assertThat(cancelled.status()).isEqualTo(200);
        assertThat(cancelled.json()).containsEntry("changed", 2);
        assertThat(ledger.find(tag + "-1").getStatus()).isEqualTo(Payout.CANCELLED);
        assertThat(ledger.find(tag + "-2").getStatus()).isEqualTo(Payout.CANCELLED);
        assertThat(twin.transfersExecuted()).isEqualTo(transfers);
        assertThat(post("/api/batches/" + name + "/cancel", "", OPERATOR_KEY).status()).isEqualTo(409);

        Path results = outbox.resolve(name + ".results.csv");
        await().atMost(Duration.ofSeconds(10)).until(() -> Files.exists(results)
                && Files.readString(results).split("CANCELLED", -1).length == 3);
        assertThat(ResultsFiles.parse(Files.readAllBytes(results))).extracting(row -> row.get("status"))
                .containsOnly("CANCELLED");
    }

    /**
     * A batch's cancel holds for its instructions that come after it: one that would wait for
     * approval is CANCELLED at once instead (before, it waited until approval expired or someone
     * acted), and none is asked of the provider, not even its inquiry; approving one is refused.
     */
    @Test
    void aCancelledBatchsLaterInstructionsAreCancelledAtOnceNeitherWaitingNorInquired() {
        String batch = reference("cancelled-batch");
        String waiting = reference("cw");
        post("/api/payouts", instruction(waiting, "8760673566", APPROVAL_ABOVE).replace("}",
                ",\"batch\":\"" + batch + "\"}"), SUBMITTER_KEY);
        awaitStatus(waiting, Payout.AWAITING_APPROVAL);

        Response cancel = post("/api/batches/" + batch + "/cancel", "{\"note\":\"wrong month\"}", OPERATOR_KEY);
        assertThat(cancel.status()).isEqualTo(200);
        assertThat(cancel.json()).containsEntry("changed", 1);
        assertThat(lastHistoryEntry(waiting)).containsEntry("to", "CANCELLED").containsEntry("cause", "operator")
                .containsEntry("by", "operator").containsEntry("note", "wrong month");
        assertThat(post("/api/payouts/" + waiting + "/approve", "", APPROVER_KEY).status()).isEqualTo(409);

        String large = reference("cl");
        String small = reference("cs");
        String account = "55530" + String.format("%05d", ThreadLocalRandom.current().nextInt(100_000));
        Response largeAnswer = post("/api/payouts", instruction(large, "8760673566", APPROVAL_ABOVE).replace("}",
                ",\"batch\":\"" + batch + "\"}"), SUBMITTER_KEY);
        Response smallAnswer = post("/api/payouts", instruction(small, account, 50000).replace("}",
                ",\"batch\":\"" + batch + "\"}"), SUBMITTER_KEY);

        assertThat(largeAnswer.json()).containsEntry("status", "CANCELLED");
        assertThat(smallAnswer.json()).containsEntry("status", "CANCELLED");
        for (String reference : List.of(large, small)) {
            Payout payout = ledger.find(reference);
            assertThat(payout.getStatus()).as(reference).isEqualTo(Payout.CANCELLED);
            assertThat(payout.getReason()).as(reference).isEqualTo("cancelled by operator with its batch: wrong month");
            assertThat(lastHistoryEntry(reference)).containsEntry("cause", "operator").containsEntry("by", "operator")
                    .containsEntry("note", "wrong month");
        }
        assertThat(post("/api/payouts/" + large + "/approve", "", APPROVER_KEY).status()).isEqualTo(409);
        assertThat(twin.calls("inquirysandbox", account)).as("nothing asked of the provider").isZero();
    }

    // ---- resolve and recheck -------------------------------------------------------------------

    @Test
    void resolveSettlesOnlyAFlaggedPayoutAndOnlyWithANote() {
        String flagged = reference("resolve");
        post("/api/payouts", "{\"reference\":\"" + flagged + "\",\"method\":\"CASHOUT\",\"bankCode\":\"2011\","
                + "\"amount\":50000,\"accountName\":\"Siti Rahayu\",\"phoneNumber\":\"081234567300\","
                + "\"identityNumber\":\"3174012345678901\",\"address\":\"Jl. Raya Perjuangan 1, Jakarta\"}");
        await().atMost(Duration.ofSeconds(15)).until(() -> ledger.find(flagged) != null
                && ledger.find(flagged).isReviewRequired());

        Response noNote = post("/api/payouts/" + flagged + "/resolve", "{\"status\":\"FAILED\"}", OPERATOR_KEY);
        assertThat(noNote.status()).isEqualTo(400);
        assertThat(noNote.json().get("error")).asString().startsWith("note: mandatory");
        assertThat(post("/api/payouts/" + flagged + "/resolve", "{\"status\":\"PENDING\",\"note\":\"x\"}",
                OPERATOR_KEY).status()).isEqualTo(400);
        assertThat(ledger.find(flagged).getStatus()).isEqualTo(Payout.PENDING);

        Response resolved = post("/api/payouts/" + flagged + "/resolve",
                "{\"status\":\"FAILED\",\"note\":\"Pos Indonesia confirmed the refund, ticket 4411\"}", OPERATOR_KEY);
        assertThat(resolved.status()).isEqualTo(200);
        assertThat(resolved.json()).containsEntry("status", "FAILED").doesNotContainKey("reviewRequired");
        assertThat(lastHistoryEntry(flagged)).containsEntry("cause", "operator").containsEntry("by", "operator")
                .containsEntry("to", "FAILED").containsEntry("note", "Pos Indonesia confirmed the refund, ticket 4411");

        String notFlagged = reference("resolve-not-flagged");
        post("/api/payouts", instruction(notFlagged, "8760673566", 50000));
        awaitFinal(notFlagged);
        Response refused = post("/api/payouts/" + notFlagged + "/resolve",
                "{\"status\":\"FAILED\",\"note\":\"looks wrong\"}", OPERATOR_KEY);
        assertThat(refused.status()).isEqualTo(409);
        assertThat((Map<String, Object>) refused.json().get("payout")).containsEntry("status", "SUCCEEDED");
        assertThat(ledger.find(notFlagged).getStatus()).isEqualTo(Payout.SUCCEEDED);
    }

    /** Durianpay's notification is lost: the status would be asked only after callback-wait; recheck asks now. */
    @Test
    void recheckAsksTheStatusNow() {
        String notifications = durianpay.notifyUrl();
        durianpay.notifyTo(null);
        try {
            recheck();
        } finally {
            durianpay.notifyTo(notifications);
        }
    }

    private void recheck() {
        String reference = reference("recheck");
        post("/api/payouts", DurianpayPayoutsTest.durianpayInstruction(reference, "1234567810", 70000));
        await().atMost(Duration.ofSeconds(15)).until(() -> ledger.find(reference) != null
                && ledger.find(reference).getStage() == Payout.Stage.TRANSFER_SENT
                && ledger.find(reference).getReason() != null);

        Response recheck = post("/api/payouts/" + reference + "/recheck", "", OPERATOR_KEY);
        assertThat(recheck.status()).isEqualTo(202);
        assertThat(recheck.json()).containsEntry("status", "PENDING");
        assertThat(awaitFinal(reference).getStatus()).isEqualTo(Payout.SUCCEEDED);
        assertThat(lastHistoryEntry(reference)).containsEntry("cause", "status-inquiry");
        assertThat(post("/api/payouts/" + reference + "/recheck", "", OPERATOR_KEY).status()).isEqualTo(409);
    }

    // ---- approval ------------------------------------------------------------------------------

    @Test
    void aLargePayoutWaitsForAnApproverOtherThanItsSubmitter() {
        int transfers = twin.transfersExecuted();
        String large = reference("approve");
        assertThat(post("/api/payouts", instruction(large, "8760673566", APPROVAL_ABOVE)).status()).isEqualTo(202);
        awaitStatus(large, Payout.AWAITING_APPROVAL);
        assertThat(get("/api/payouts/" + large).json()).containsEntry("status", "AWAITING_APPROVAL");
        assertThat(twin.transfersExecuted()).as("nothing sent while it waits").isEqualTo(transfers);

        // the default key (every role) submitted it: it may not approve it
        Response own = post("/api/payouts/" + large + "/approve", "", API_KEY);
        assertThat(own.status()).isEqualTo(403);
        assertThat(ledger.find(large).getStatus()).isEqualTo(Payout.AWAITING_APPROVAL);

        Response approved = post("/api/payouts/" + large + "/approve", "{\"note\":\"checked against PO-88\"}",
                APPROVER_KEY);
        assertThat(approved.status()).isEqualTo(200);
        assertThat(approved.json()).containsEntry("status", "PENDING");
        assertThat(awaitFinal(large).getStatus()).isEqualTo(Payout.SUCCEEDED);
        assertThat(ledger.find(large).getApprovedBy()).isEqualTo("approver");
        assertThat(twin.transfersExecuted(ledger.find(large).getProviderReference())).isEqualTo(1);
        assertThat(history(large)).anySatisfy(entry -> assertThat(entry).containsEntry("cause", "approval")
                .containsEntry("by", "approver").containsEntry("note", "checked against PO-88"));
        assertThat(post("/api/payouts/" + large + "/approve", "", APPROVER_KEY).status()).isEqualTo(409);

        String rejected = reference("reject");
        post("/api/payouts", instruction(rejected, "8760673566", APPROVAL_ABOVE + 1));
        awaitStatus(rejected, Payout.AWAITING_APPROVAL);
        Response reject = post("/api/payouts/" + rejected + "/reject", "{\"note\":\"not on the list\"}", APPROVER_KEY);
        assertThat(reject.status()).isEqualTo(200);
        assertThat(reject.json()).containsEntry("status", "REJECTED");
        assertThat(ledger.find(rejected).getReason()).isEqualTo("rejected by approver approver: not on the list");
    }

    @Test
    void aBatchIsApprovedInOneCallButNotByTheKeyThatSubmittedIt() {
        String batch = reference("approve-batch");
        List<String> references = List.of(reference("ab"), reference("ab"));
        for (String reference : references) {
            post("/api/payouts", instruction(reference, "8760673566", APPROVAL_ABOVE).replace("}",
                    ",\"batch\":\"" + batch + "\"}"));
        }
        references.forEach(reference -> awaitStatus(reference, Payout.AWAITING_APPROVAL));

        Response own = post("/api/batches/" + batch + "/approve", "", API_KEY);
        assertThat(own.status()).isEqualTo(403);
        assertThat(own.json()).containsEntry("changed", 0);
        references.forEach(reference -> assertThat(ledger.find(reference).getStatus())
                .isEqualTo(Payout.AWAITING_APPROVAL));

        Response approved = post("/api/batches/" + batch + "/approve", "", APPROVER_KEY);
        assertThat(approved.status()).isEqualTo(200);
        assertThat(approved.json()).containsEntry("changed", 2);
        references.forEach(reference -> assertThat(awaitFinal(reference).getStatus()).isEqualTo(Payout.SUCCEEDED));
        assertThat(post("/api/batches/" + batch + "/reject", "", APPROVER_KEY).status()).isEqualTo(409);
    }

    @Test
    void anApprovalNobodyGivesInTimeEndsRejectedWithThatReason() {
        String reference = reference("expire");
        post("/api/payouts", instruction(reference, "8760673566", APPROVAL_ABOVE), SUBMITTER_KEY);
        awaitStatus(reference, Payout.AWAITING_APPROVAL);
        await().atMost(Duration.ofSeconds(20)).until(() -> ledger.find(reference).isFinal());
        Payout expired = ledger.find(reference);
        assertThat(expired.getStatus()).isEqualTo(Payout.REJECTED);
        assertThat(expired.getReason()).startsWith("approval expired: nobody approved it within"
                + " payouts.approval.expires-after");
        assertThat(post("/api/payouts/" + reference + "/approve", "", APPROVER_KEY).status()).isEqualTo(409);
    }

    // ---- pause, resume, insufficient funds -----------------------------------------------------

    @Test
    void whilePausedNothingIsSentAndResumingPaysTheHeldPayouts() {
        Response paused = post("/api/providers/duitku/pause", "{\"note\":\"bank maintenance\"}", OPERATOR_KEY);
        try {
            assertThat(paused.status()).isEqualTo(200);
            assertThat(paused.json()).containsEntry("paused", true).containsEntry("reason", "operator")
                    .containsEntry("by", "operator").containsKey("since");
            List<Map<String, Object>> providers = (List<Map<String, Object>>) get("/api/providers", READER_KEY).json()
                    .get("items");
            assertThat(providers).anySatisfy(p -> assertThat(p).containsEntry("provider", "duitku")
                    .containsEntry("paused", true));
            assertThat(post("/api/providers/nobody/pause", "", OPERATOR_KEY).status()).isEqualTo(404);

            int transfers = twin.transfersExecuted();
            String held = reference("held");
            post("/api/payouts", instruction(held, "8760673566", 50000));
            await().atMost(Duration.ofSeconds(10)).until(() -> ledger.find(held) != null
                    && "provider-paused".equals(ledger.find(held).getHold()));
            assertThat(get("/api/payouts/" + held).json()).containsEntry("status", "PENDING")
                    .containsEntry("hold", "provider-paused");
            assertThat(twin.transfersExecuted()).isEqualTo(transfers);

            Response resumed = post("/api/providers/duitku/resume", "", OPERATOR_KEY);
            assertThat(resumed.status()).isEqualTo(200);
            assertThat(resumed.json()).containsEntry("paused", false).containsEntry("released", 1);
            assertThat(awaitFinal(held).getStatus()).isEqualTo(Payout.SUCCEEDED);
            assertThat(get("/api/payouts/" + held).json()).doesNotContainKey("hold");
        } finally {
            post("/api/providers/duitku/resume", "", OPERATOR_KEY);
        }
    }

    /**
     * The warning that a file's total exceeds the balance says both in rupiah an operator can read:
     * before, they were plain runs of ten or more digits, which the log's masking (meant for
     * account numbers) turned into ********0000.
     */
    @Test
    void aFileExceedingTheBalanceIsWarnedOfWithReadableAmounts() throws Exception {
        long balance = twin.balance();
        String name = "approve-big-" + System.nanoTime() % 100_000 + ".csv";
        CapturedLog log = CapturedLog.attach("funds-warning-capture");
        twin.setBalance(1_500_000_000L);
        try {
            drop(name, "reference,bankCode,accountNumber,amount\n" + name.replace(".csv", "") + ",014,5551200001,2000000000\n");
            await().atMost(Duration.ofSeconds(10)).until(() -> log.lines().stream()
                    .anyMatch(line -> line.contains("File " + name) && line.contains("exceed")));
            assertThat(log.lines()).filteredOn(line -> line.contains("File " + name) && line.contains("exceed"))
                    .singleElement().asString().contains("Rp2,000,000,000").contains("Rp1,500,000,000")
                    .doesNotContain("********");
        } finally {
            log.detach();
            twin.setBalance(balance);
            post("/api/batches/" + name + "/reject", "{\"note\":\"test only\"}", APPROVER_KEY);
        }
    }

    /**
     * A payroll file of 8 rows of Rp100,000 against a balance of Rp350,000: three are paid, then
     * Duitku answers -510, the balance confirms it, the provider is paused and the other rows wait
     * (none fails). Topped up and resumed, every row is paid, each exactly once.
     */
    @Test
    void aPayrollFileRunningOutOfFundsHalfWayWaitsAndIsPaidOnceAfterATopUp() throws Exception {
        long balance = twin.balance();
        int transfers = twin.transfersExecuted();
        String tag = "pr" + System.nanoTime() % 100_000;
        StringBuilder file = new StringBuilder("reference,bankCode,accountNumber,amount\n");
        List<String> rows = new ArrayList<>();
        for (int i = 0; i < 8; i++) {
            rows.add(tag + "-" + i);
            file.append(tag).append('-').append(i).append(",014,55512").append(String.format("%05d", i))
                    .append(",100000\n");
        }
        twin.setBalance(350_000);
        try {
            drop("payroll-" + tag + ".csv", file.toString());
            await().atMost(Duration.ofSeconds(20)).until(() -> rows.stream().allMatch(row -> ledger.find(row) != null
                    && (ledger.find(row).isFinal() || "insufficient-funds".equals(ledger.find(row).getHold()))));
            assertThat(rows).allSatisfy(row -> assertThat(ledger.find(row).getStatus()).isIn(Payout.SUCCEEDED,
                    Payout.PENDING));
            assertThat(rows.stream().filter(row -> ledger.find(row).isFinal())).hasSize(3);
            Map<String, Object> batch = get("/api/batches/payroll-" + tag + ".csv", READER_KEY).json();
            assertThat((Map<String, Object>) batch.get("funds")).as("compared before the rows started")
                    .containsEntry("provider", "duitku").containsEntry("total", 800000)
                    .containsEntry("balance", 350000).containsEntry("shortfall", 450000);
            Map<String, Object> duitku = provider("duitku");
            assertThat(duitku).containsEntry("paused", true).containsEntry("reason", "insufficient-funds");
            assertThat(twin.transfersExecuted() - transfers).as("paid before the pause").isEqualTo(3);
            Path results = outbox.resolve("payroll-" + tag + ".csv.results.csv");
            await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> assertThat(
                    ResultsFiles.parse(Files.readAllBytes(results))).as("the results file tells why rows wait")
                    .extracting(row -> row.get("status") + "/" + row.get("hold"))
                    .containsOnly("SUCCEEDED/", "PENDING/insufficient-funds")
                    .filteredOn(cell -> cell.startsWith("PENDING")).hasSize(5));

            twin.setBalance(10_000_000);
            Response resumed = post("/api/providers/duitku/resume", "{\"note\":\"topped up\"}", OPERATOR_KEY);
            assertThat(resumed.status()).isEqualTo(200);
            rows.forEach(row -> assertThat(awaitFinal(row).getStatus()).as(row).isEqualTo(Payout.SUCCEEDED));
            assertThat(twin.transfersExecuted() - transfers).as("each row paid once").isEqualTo(8);
            rows.forEach(row -> assertThat(twin.transfersExecuted(ledger.find(row).getProviderReference())).as(row)
                    .isEqualTo(1));
            assertThat(rows.stream().filter(row -> history(row).stream().anyMatch(entry -> "-510".equals(
                    entry.get("code"))))).as("refused -510, held, then paid").isNotEmpty();
            assertThat(provider("duitku")).containsEntry("paused", false);
        } finally {
            twin.setBalance(balance);
            post("/api/providers/duitku/resume", "", OPERATOR_KEY);
        }
    }

    /** Durianpay's 403xx14 with a balance below the amount: held, Durianpay paused; topped up and resumed, paid once. */
    @Test
    void durianpaysInsufficientFundsHoldsThePayoutUntilATopUp() {
        long balance = durianpay.balance();
        durianpay.setBalance(50_000);
        String reference = reference("dp-funds");
        try {
            post("/api/payouts", DurianpayPayoutsTest.durianpayInstruction(reference, "1234567810", 70000));
            await().atMost(Duration.ofSeconds(15)).until(() -> ledger.find(reference) != null
                    && "insufficient-funds".equals(ledger.find(reference).getHold()));
            assertThat(provider("durianpay")).containsEntry("paused", true).containsEntry("reason", "insufficient-funds");
            assertThat(durianpay.transfersExecuted(reference)).isZero();

            durianpay.setBalance(10_000_000);
            assertThat(post("/api/providers/durianpay/resume", "", OPERATOR_KEY).json()).containsEntry("released", 1);
            assertThat(awaitFinal(reference).getStatus()).isEqualTo(Payout.SUCCEEDED);
            assertThat(durianpay.transfersExecuted(reference)).isEqualTo(1);
        } finally {
            durianpay.setBalance(balance);
            post("/api/providers/durianpay/resume", "", OPERATOR_KEY);
        }
    }

    /** The sandbox account that always answers -510 while the balance covers the payout: FAILED, as before. */
    @Test
    void insufficientFundsWithTheBalanceCoveringThePayoutFailsAsBefore() {
        String reference = reference("wallet");
        post("/api/payouts", instruction(reference, "8760673562", 50000));
        Payout failed = awaitFinal(reference);
        assertThat(failed.getStatus()).isEqualTo(Payout.FAILED);
        assertThat(failed.getReason()).startsWith("Duitku refused the transfer: ");
        assertThat(provider("duitku")).containsEntry("paused", false);
    }

    // ---- roles ---------------------------------------------------------------------------------

    static Stream<Arguments> actionsAndKeysWithoutTheirRole() {
        List<Arguments> cases = new ArrayList<>();
        for (String action : List.of("payouts/{ref}/cancel", "payouts/{ref}/resolve", "payouts/{ref}/recheck",
                "batches/{batch}/cancel", "providers/duitku/pause", "providers/duitku/resume")) {
            for (String key : List.of("reader", "submitter", "approver")) {
                cases.add(Arguments.of(action, key));
            }
        }
        for (String action : List.of("payouts/{ref}/approve", "payouts/{ref}/reject", "batches/{batch}/approve",
                "batches/{batch}/reject")) {
            for (String key : List.of("reader", "submitter", "operator")) {
                cases.add(Arguments.of(action, key));
            }
        }
        return cases.stream();
    }

    @ParameterizedTest(name = "{1} may not POST /api/{0}")
    @MethodSource("actionsAndKeysWithoutTheirRole")
    void eachActionIsRefusedToAKeyWithoutItsRoleAndNothingChanges(String action, String keyName) {
        String waitingBatch = reference("roles-batch");
        String waitingForRoles = reference("roles-waiting");
        post("/api/payouts", instruction(waitingForRoles, "8760673566", APPROVAL_ABOVE).replace("}",
                ",\"batch\":\"" + waitingBatch + "\"}"));
        awaitStatus(waitingForRoles, Payout.AWAITING_APPROVAL);
        Payout before = ledger.find(waitingForRoles);
        String key = Map.of("reader", READER_KEY, "submitter", SUBMITTER_KEY, "approver", APPROVER_KEY,
                "operator", OPERATOR_KEY).get(keyName);
        String path = "/api/" + action.replace("{ref}", waitingForRoles).replace("{batch}", waitingBatch);
        Response refused = post(path, action.endsWith("resolve") ? "{\"status\":\"FAILED\",\"note\":\"no\"}" : "", key);

        assertThat(refused.status()).isEqualTo(403);
        assertThat(refused.json().get("error")).asString().startsWith("this API key does not have the role");
        Payout after = ledger.find(waitingForRoles);
        assertThat(after.getStatus()).isEqualTo(Payout.AWAITING_APPROVAL);
        assertThat(after.getUpdatedAt()).isEqualTo(before.getUpdatedAt());
        assertThat(provider("duitku")).containsEntry("paused", false);
    }

    // ---- helpers -------------------------------------------------------------------------------

    private void awaitStatus(String reference, String status) {
        await().atMost(Duration.ofSeconds(15)).pollInterval(Duration.ofMillis(50))
                .until(() -> ledger.find(reference) != null && status.equals(ledger.find(reference).getStatus()));
    }

    private List<Map<String, Object>> history(String reference) {
        return (List<Map<String, Object>>) get("/api/payouts/" + reference + "/history").json().get("entries");
    }

    private Map<String, Object> lastHistoryEntry(String reference) {
        List<Map<String, Object>> entries = history(reference);
        return entries.get(entries.size() - 1);
    }

    private Map<String, Object> provider(String name) {
        List<Map<String, Object>> providers = (List<Map<String, Object>>) get("/api/providers").json().get("items");
        return providers.stream().filter(p -> name.equals(p.get("provider"))).findFirst().orElseThrow();
    }

    private void drop(String name, String content) throws IOException {
        Files.createDirectories(inbox);
        Path temp = inbox.resolve("." + name + ".part");
        Files.writeString(temp, content, StandardCharsets.UTF_8);
        Files.move(temp, inbox.resolve(name));
    }
}
