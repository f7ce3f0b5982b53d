package id.camelpayouts.gateway;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.net.ServerSocket;
import java.net.http.HttpResponse;
import java.security.KeyPair;
import java.time.Duration;
import java.time.OffsetDateTime;
import java.time.format.DateTimeFormatter;
import java.util.Properties;
import java.util.concurrent.atomic.AtomicInteger;

import org.apache.camel.main.Main;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

import id.camelpayouts.gateway.DocumentDurianpay.End;
import id.camelpayouts.gateway.DocumentDurianpay.Plan;
import id.camelpayouts.gateway.DocumentDurianpay.TransferAnswer;
import id.camelpayouts.ledger.Payout;
import id.camelpayouts.ledger.PayoutLedger;

/**
 * The whole gateway against a Durianpay written from its public SNAP documents alone
 * ({@link DocumentDurianpay}), not from the twin: what the gateway sends is what the documents ask
 * for, and what the documents' Durianpay answers or notifies settles each payout. Each scenario is
 * planned on its own beneficiary account; after each, the fake must have recorded no breach.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class DurianpayDocumentFakeTest {

    static final String CLIENT_KEY = "doc-client-key";
    static final String CLIENT_SECRET = "doc-client-secret";
    static final String MERCHANT_ID = "mer_doc_123";
    static final String API_KEY = "doc-fake-key";
    static final AtomicInteger REFERENCES = new AtomicInteger();
    static final AtomicInteger ACCOUNTS = new AtomicInteger(1_000_000);

    DocumentDurianpay durianpay;
    Main gateway;
    PayoutLedger ledger;
    int port;
    GatewayApi api;

    @BeforeAll
    void start() throws Exception {
        KeyPair merchant = DocumentDurianpay.rsaKeys();
        durianpay = new DocumentDurianpay(CLIENT_KEY, CLIENT_SECRET, MERCHANT_ID, merchant.getPublic());
        try (ServerSocket free = new ServerSocket(0)) {
            port = free.getLocalPort();
        }
        durianpay.notifyBaseUrl = "http://127.0.0.1:" + port + "/callbacks/durianpay";
        Properties settings = GatewayApi.settings("doc-durianpay", port, API_KEY);
        settings.put("duitku.base-url", "http://127.0.0.1:9");
        settings.put("durianpay.base-url", durianpay.baseUrl());
        settings.put("durianpay.client-key", CLIENT_KEY);
        settings.put("durianpay.client-secret", CLIENT_SECRET);
        settings.put("durianpay.merchant-id", MERCHANT_ID);
        settings.put("durianpay.private-key", DocumentDurianpay.pem("PRIVATE KEY", merchant.getPrivate().getEncoded()));
        settings.put("durianpay.public-key", durianpay.publicKeyPem());
        settings.put("durianpay.inquiry-schedule", "100ms,100ms,100ms");
        settings.put("payouts.default-provider", "durianpay");
        settings.put("payouts.reconcile.not-found-grace", "2s");
        // longer than the provider timeout and the grace together (a payout failed on a guess after
        // them is failed before it is flagged), short enough not to make each review scenario wait long
        settings.put("payouts.reconcile.review-after", "3s");
        settings.put("payouts.reconcile.callback-wait", "1s");
        settings.put("payouts.provider.timeout", "1500ms");
        durianpay.timeoutMillis = 2_500;
        gateway = TestGateways.start(settings);
        api = GatewayApi.of(gateway, port, API_KEY);
        ledger = api.ledger();
    }

    @AfterAll
    void stop() {
        if (gateway != null) {
            gateway.stop();
        }
        durianpay.close();
    }

    @BeforeEach
    void fresh() {
        durianpay.reset();
    }

    @AfterEach
    void everyRequestWasAsTheDocumentsAsk() {
        assertThat(durianpay.violations).as("requests the documents' Durianpay refuses").isEmpty();
        assertThat(durianpay.deliveries).as("notifications the gateway did not take with 200")
                .allSatisfy(delivery -> assertThat(delivery.status()).as(delivery.url()).isEqualTo(200));
    }

    // ---- the happy paths --------------------------------------------------------------------------

    @Test
    void inquiryInProgressThenSucceededByTheNotification() {
        String account = account();
        Plan plan = durianpay.plan(account);
        plan.inquiriesInProgress = 1;
        String reference = submit(account, 20000);
        Payout payout = awaitMadeOnce(reference, account);
        assertThat(payout.getStatus()).isEqualTo(Payout.SUCCEEDED);
        assertThat(payout.getAccountName()).isEqualTo(plan.accountName);
        assertThat(durianpay.calls("/v1.0/account-inquiry-external")).as("2021600, then 2001600").isEqualTo(2);
        assertThat(durianpay.transferTo(account).amount).isEqualTo("20000.00");
        assertThat(durianpay.executions(account)).isEqualTo(1);
        awaitDelivered(1); // the fake records a delivery once answered, which may be after the payout is final
        assertThat(durianpay.deliveries).hasSize(1);
    }

    @Test
    void theTransferAcceptedIn2021800IsSucceededOnlyByItsStatus() {
        String account = account();
        Plan plan = durianpay.plan(account);
        plan.transfer = TransferAnswer.ACCEPTED;
        plan.notifications = 0;
        String reference = submit(account, 1_250_000);
        Payout payout = awaitMadeOnce(reference, account);
        assertThat(payout.getStatus()).isEqualTo(Payout.SUCCEEDED);
        assertThat(durianpay.calls("/v1.0/transfer/status")).isPositive();
        assertThat(durianpay.refusedWithoutReferenceNo(account)).isZero();
    }

    @Test
    void aFailure06IsFailedWithDurianpaysReason() {
        String account = account();
        Plan plan = durianpay.plan(account);
        plan.end = End.FAILED;
        plan.failureReason = "Beneficiary bank rejected: account dormant";
        String reference = submit(account, 30000);
        Payout payout = awaitMadeOnce(reference, account);
        assertThat(payout.getStatus()).isEqualTo(Payout.FAILED);
        assertThat(payout.getReason()).contains("account dormant");
    }

    /**
     * A failure known only from the status answer: the outcome carries its latestTransactionStatus
     * and its transactionStatusDesc (the status document's words for it), not the status call's own
     * 2003600 "Successful".
     */
    @Test
    void aFailure06KnownOnlyByStatusIsFailedWithItsTransactionStatusDesc() throws Exception {
        String account = account();
        Plan plan = durianpay.plan(account);
        plan.end = End.FAILED;
        plan.notifications = 0;
        plan.failedStatusDesc = "Rekening tujuan sudah ditutup";
        String reference = submit(account, 30000);
        Payout payout = awaitFinal(reference);
        assertThat(payout.getStatus()).isEqualTo(Payout.FAILED);
        assertThat(payout.getReason()).contains("Rekening tujuan sudah ditutup");
        assertThat(payout.getResponseCode()).isEqualTo("06");
        com.fasterxml.jackson.databind.JsonNode outcome = outcome(reference);
        assertThat(outcome.path("responseCode").asText()).isEqualTo("06");
        assertThat(outcome.path("responseDesc").asText()).isEqualTo("Rekening tujuan sudah ditutup");
    }

    /** A success known only from the status answer: the outcome names latestTransactionStatus 00 and its words. */
    @Test
    void aSuccessKnownOnlyByStatusCarriesItsTransactionStatus() throws Exception {
        String account = account();
        settledByStatusOnly(account);
        String reference = submit(account, 31000);
        assertThat(awaitMadeOnce(reference, account).getStatus()).isEqualTo(Payout.SUCCEEDED);
        com.fasterxml.jackson.databind.JsonNode outcome = outcome(reference);
        assertThat(outcome.path("responseCode").asText()).isEqualTo("00");
        assertThat(outcome.path("responseDesc").asText()).isEqualTo("success");
    }

    /**
     * The status answer written as the status document's example is (no comma after
     * transactionStatusDesc, one after the last member): read for what it plainly says.
     */
    @Test
    void aStatusAnswerWrittenAsTheDocumentsExampleIsRead() {
        durianpay.statusAsTheExample = true;
        String account = account();
        settledByStatusOnly(account);
        String reference = submit(account, 33000);
        Payout payout = awaitMadeOnce(reference, account);
        assertThat(payout.getStatus()).isEqualTo(Payout.SUCCEEDED);
        assertThat(payout.getResponseCode()).isEqualTo("00");
    }

    /**
     * A status answer about our transfer naming another amount than the ledger's: Durianpay and the
     * ledger disagree about what was sent, so it settles nothing; the payout waits, flagged for review.
     */
    @Test
    void aStatusAnswerWithAnotherAmountSettlesNothingAndIsFlaggedForReview() {
        String account = account();
        Plan plan = settledByStatusOnly(account);
        plan.reportedAmount = "320000.00";
        String reference = submit(account, 32000);
        await().atMost(Duration.ofSeconds(15)).until(() -> ledger.find(reference).isReviewRequired());
        assertNeverFailedBefore(reference, 1_000);
        Payout payout = ledger.find(reference);
        assertThat(payout.getStatus()).isEqualTo(Payout.PENDING);
        assertThat(payout.getReason()).contains("320000.00").contains("32000");
        assertThat(durianpay.executions(account)).isEqualTo(1);
    }

    @Test
    void aTransferThatStaysInProgressStaysPendingAndIsFlaggedForReview() {
        String account = account();
        Plan plan = durianpay.plan(account);
        plan.end = End.IN_PROGRESS;
        String reference = submit(account, 40000);
        await().atMost(Duration.ofSeconds(15)).until(() -> ledger.find(reference).isReviewRequired());
        Payout payout = ledger.find(reference);
        assertThat(payout.getStatus()).isEqualTo(Payout.PENDING);
        assertThat(payout.getProviderReference()).isEqualTo(durianpay.transferTo(account).referenceNo);
        assertThat(durianpay.executions(account)).isEqualTo(1);
    }

    @Test
    void aTokenInvalidatedIsMintedAgainAndTheTransferMadeOnce() {
        String account = account();
        durianpay.plan(account).invalidateTokensBeforeTransfer = true;
        int minted = durianpay.tokensIssued.get();
        String reference = submit(account, 50000);
        Payout payout = awaitFinal(reference);
        assertThat(payout.getStatus()).isEqualTo(Payout.SUCCEEDED);
        assertThat(durianpay.tokensIssued.get()).isGreaterThan(minted);
        assertThat(durianpay.executions(account)).isEqualTo(1);
    }

    @Test
    void anExpiresInGivenAsAnAbsoluteTimeIsUnderstood() {
        durianpay.invalidateTokens(); // the next call mints a token answered with the new expiresIn
        durianpay.expiresIn = OffsetDateTime.now(DocumentDurianpay.JAKARTA).plusMinutes(15).withNano(0)
                .format(DateTimeFormatter.ISO_OFFSET_DATE_TIME);
        try {
            String first = submit(account(), 20000);
            assertThat(awaitFinal(first).getStatus()).isEqualTo(Payout.SUCCEEDED);
            int minted = durianpay.tokensIssued.get();
            String second = submit(account(), 20000);
            assertThat(awaitFinal(second).getStatus()).isEqualTo(Payout.SUCCEEDED);
            assertThat(durianpay.tokensIssued.get()).as("the token lives until the time it names").isEqualTo(minted);
        } finally {
            durianpay.expiresIn = "900";
        }
    }

    @Test
    void aNotificationSentTwiceSettlesThePayoutOnce() {
        String account = account();
        durianpay.plan(account).notifications = 2;
        String reference = submit(account, 60000);
        assertThat(awaitFinal(reference).getStatus()).isEqualTo(Payout.SUCCEEDED);
        await().atMost(Duration.ofSeconds(5)).until(() -> durianpay.deliveries.size() == 2);
        assertThat(ledger.history(reference)).filteredOn(line -> line.startsWith("FINAL")).hasSize(1);
    }

    /** A failure notification delivered twice at once: confirmed and applied once, both answered 200. */
    @Test
    void aFailureNotificationDeliveredTwiceAtOnceFailsThePayoutOnce() {
        String account = account();
        Plan plan = durianpay.plan(account);
        plan.end = End.FAILED;
        plan.failureReason = "Rekening tidak aktif";
        plan.notifications = 2;
        plan.notificationSpacingMillis = 0;
        String reference = submit(account, 61000);
        Payout payout = awaitMadeOnce(reference, account);
        assertThat(payout.getStatus()).isEqualTo(Payout.FAILED);
        assertThat(payout.getReason()).contains("Rekening tidak aktif");
        await().atMost(Duration.ofSeconds(5)).until(() -> durianpay.deliveries.size() == 2);
        assertThat(ledger.history(reference)).filteredOn(line -> line.startsWith("FINAL")).hasSize(1);
    }

    @Test
    void aNotificationToAnotherAppendedPathIsTaken() {
        String account = account();
        durianpay.plan(account).notifyPath = "/webhooks/v1.0/transfer-bank/notify";
        durianpay.plan(account).notifications = 1;
        String reference = submit(account, 70000);
        assertThat(awaitFinal(reference).getStatus()).isEqualTo(Payout.SUCCEEDED);
        awaitDelivered(1);
        assertThat(durianpay.deliveries).singleElement().satisfies(delivery -> assertThat(delivery.url())
                .endsWith("/callbacks/durianpay/webhooks/v1.0/transfer-bank/notify"));
    }

    @Test
    void aNotificationLaidOutWithWhitespaceIsVerified() {
        String account = account();
        durianpay.plan(account).prettyNotification = true;
        String reference = submit(account, 71000);
        Payout payout = awaitFinal(reference);
        assertThat(payout.getStatus()).isEqualTo(Payout.SUCCEEDED);
        assertThat(ledger.history(reference)).last().asString().endsWith("succeeded by callback");
    }

    @Test
    void aNotificationSignedOverTheAppendedPathOnlyIsVerified() {
        String account = account();
        durianpay.plan(account).signAppendedPathOnly = true;
        String reference = submit(account, 71500);
        assertThat(awaitFinal(reference).getStatus()).isEqualTo(Payout.SUCCEEDED);
        assertThat(ledger.history(reference)).last().asString().endsWith("succeeded by callback");
    }

    /** A holder's name beyond ASCII, with an apostrophe: signed over exactly the bytes sent. */
    @Test
    void aHolderNameBeyondAsciiIsSentAndSignedAsIs() {
        String account = account();
        durianpay.plan(account).accountName = "Siti Ra'uf Désirée Ñúñez";
        String reference = submit(account, 76000);
        Payout payout = awaitMadeOnce(reference, account);
        assertThat(payout.getStatus()).isEqualTo(Payout.SUCCEEDED);
        assertThat(payout.getAccountName()).isEqualTo("Siti Ra'uf Désirée Ñúñez");
    }

    /**
     * An instruction with a purpose: Durianpay's transfer documents no field for it (additionalInfo
     * takes senderInformation, deviceId and channel), so nothing undocumented is sent for it.
     */
    @Test
    void anInstructionWithAPurposeSendsOnlyDocumentedFields() {
        String account = account();
        String reference = "dpdoc-" + REFERENCES.incrementAndGet();
        submitInstruction("{\"reference\":\"" + reference + "\",\"provider\":\"durianpay\",\"bankCode\":\"014\","
                + "\"accountNumber\":\"" + account + "\",\"amount\":78000,\"purpose\":\"Gaji Desember\","
                + "\"senderName\":\"PT Contoh\",\"email\":\"budi@example.com\"}");
        assertThat(awaitMadeOnce(reference, account).getStatus()).isEqualTo(Payout.SUCCEEDED);
    }

    /** Payouts side by side: every X-EXTERNAL-ID new, every one paid once. */
    @Test
    void payoutsSideBySideEachWithItsOwnExternalId() throws Exception {
        durianpay.invalidateTokens(); // they all need a token at once
        java.util.List<String> accounts = java.util.stream.IntStream.range(0, 8).mapToObj(i -> account()).toList();
        java.util.concurrent.ExecutorService submitters = java.util.concurrent.Executors.newFixedThreadPool(8);
        try {
            java.util.List<java.util.concurrent.Future<String>> references = new java.util.ArrayList<>();
            for (String account : accounts) {
                references.add(submitters.submit(() -> submit(account, 77000)));
            }
            for (int i = 0; i < accounts.size(); i++) {
                String reference = references.get(i).get();
                assertThat(awaitMadeOnce(reference, accounts.get(i)).getStatus()).isEqualTo(Payout.SUCCEEDED);
            }
        } finally {
            submitters.shutdownNow();
        }
    }

    /** Durianpay's notification comes before its answer to the transfer: it settles the payout. */
    @Test
    void aNotificationBeforeTheTransfersAnswerSettlesThePayout() {
        String account = account();
        durianpay.plan(account).notifyBeforeAnswer = true;
        String reference = submit(account, 72000);
        Payout payout = awaitMadeOnce(reference, account);
        assertThat(payout.getStatus()).isEqualTo(Payout.SUCCEEDED);
        await().pollDelay(Duration.ofMillis(500)).atMost(Duration.ofSeconds(3)).untilAsserted(() -> assertThat(
                ledger.find(reference).getStatus()).as("after the answer that came later").isEqualTo(Payout.SUCCEEDED));
    }

    /** The same with a failure: confirmed by its status and failed with Durianpay's reason. */
    @Test
    void aFailureNotificationBeforeTheTransfersAnswerFailsThePayout() {
        String account = account();
        Plan plan = durianpay.plan(account);
        plan.notifyBeforeAnswer = true;
        plan.end = End.FAILED;
        plan.failureReason = "Account blocked by the beneficiary bank";
        String reference = submit(account, 73000);
        Payout payout = awaitFinal(reference);
        assertThat(payout.getStatus()).isEqualTo(Payout.FAILED);
        assertThat(payout.getReason()).as(ledger.history(reference).toString()).contains("Account blocked");
        assertThat(payout.getProviderReference()).isEqualTo(durianpay.transferTo(account).referenceNo);
    }

    /** Tokens invalidated while the payout waits: its status inquiry mints another and goes on. */
    @Test
    void aTokenInvalidatedBeforeTheStatusInquiryIsMintedAgain() {
        String account = account();
        Plan plan = durianpay.plan(account);
        plan.transfer = TransferAnswer.ACCEPTED;
        plan.notifications = 0;
        String reference = submit(account, 74000);
        await().atMost(Duration.ofSeconds(10)).until(() -> durianpay.transferTo(account) != null);
        durianpay.invalidateTokens();
        int minted = durianpay.tokensIssued.get();
        Payout payout = awaitFinal(reference);
        assertThat(payout.getStatus()).isEqualTo(Payout.SUCCEEDED);
        assertThat(durianpay.tokensIssued.get()).isGreaterThan(minted);
    }

    @Test
    void theBalanceAsTheDocumentsAnswerIt() {
        HttpResponse<String> balance = api.get("/api/balance?provider=durianpay");
        assertThat(balance.statusCode()).as(balance.body()).isEqualTo(200);
        assertThat(balance.body()).contains("7177000000");
    }

    // ---- money in doubt ---------------------------------------------------------------------------

    /** 500 after the transfer was made, Durianpay strict: the notification (with the referenceNo) settles it. */
    @Test
    void a500AfterTheTransferIsSettledByTheNotificationAndNeverSentAgain() {
        String account = account();
        Plan plan = durianpay.plan(account);
        plan.transfer = TransferAnswer.HTTP_500_EXECUTED;
        plan.settleMillis = 2_500;
        String reference = submit(account, 80000);
        assertNeverFailedBefore(reference, 2_000);
        Payout payout = awaitMadeOnce(reference, account);
        assertThat(payout.getStatus()).isEqualTo(Payout.SUCCEEDED);
    }

    /** 504 after the transfer was made, Durianpay lenient about originalReferenceNo: its status settles it. */
    @Test
    void a504AfterTheTransferIsSettledByStatusWhereDurianpayAnswersByPartnerReference() {
        durianpay.strict = false;
        String account = account();
        Plan plan = durianpay.plan(account);
        plan.transfer = TransferAnswer.HTTP_504_EXECUTED;
        plan.notifications = 0;
        String reference = submit(account, 90000);
        Payout payout = awaitMadeOnce(reference, account);
        assertThat(payout.getStatus()).isEqualTo(Payout.SUCCEEDED);
    }

    /**
     * The transfer's answer lost to a timeout, Durianpay strict: the status inquiry without the
     * referenceNo is refused 400; the payout stays PENDING (never FAILED) and the notification ends it.
     */
    @Test
    void aTimeoutWithAStrictDurianpayWaitsForTheNotification() {
        String account = account();
        Plan plan = durianpay.plan(account);
        plan.transfer = TransferAnswer.TIMEOUT_EXECUTED;
        plan.settleMillis = 3_500; // after the provider timeout and the not-found grace, and a second more
        String reference = submit(account, 100000);
        assertNeverFailedBefore(reference, 3_000);
        assertThat(durianpay.refusedWithoutReferenceNo(account)).as("the refused inquiries").isPositive();
        Payout payout = awaitMadeOnce(reference, account);
        assertThat(payout.getStatus()).isEqualTo(Payout.SUCCEEDED);
    }

    /** The same, ending in failure: the notification's failure (it names the transfer) fails the payout. */
    @Test
    void aTimeoutWithAStrictDurianpayFailedByTheNotification() {
        String account = account();
        Plan plan = durianpay.plan(account);
        plan.transfer = TransferAnswer.TIMEOUT_EXECUTED;
        plan.end = End.FAILED;
        plan.failureReason = "Invalid beneficiary account";
        plan.settleMillis = 3_000;
        String reference = submit(account, 100000);
        assertNeverFailedBefore(reference, 2_500);
        Payout payout = awaitFinal(reference);
        assertThat(payout.getStatus()).isEqualTo(Payout.FAILED);
        assertThat(payout.getReason()).as(ledger.history(reference).toString()).contains("Invalid beneficiary account");
    }

    /** A timeout and no notification, Durianpay strict: nothing can say what happened; flagged for review. */
    @Test
    void aTimeoutWithAStrictDurianpayAndNoNotificationIsFlaggedForReview() {
        String account = account();
        Plan plan = durianpay.plan(account);
        plan.transfer = TransferAnswer.TIMEOUT_NOT_EXECUTED;
        String reference = submit(account, 110000);
        await().atMost(Duration.ofSeconds(15)).until(() -> ledger.find(reference).isReviewRequired());
        Payout payout = ledger.find(reference);
        assertThat(payout.getStatus()).isEqualTo(Payout.PENDING);
        assertThat(durianpay.transferRequests(account)).isEqualTo(1);
    }

    /** A timeout, Durianpay lenient: the status by partnerReferenceNo alone settles it. */
    @Test
    void aTimeoutWithALenientDurianpayIsSettledByStatus() {
        durianpay.strict = false;
        String account = account();
        Plan plan = durianpay.plan(account);
        plan.transfer = TransferAnswer.TIMEOUT_EXECUTED;
        plan.notifications = 0;
        String reference = submit(account, 120000);
        Payout payout = awaitMadeOnce(reference, account);
        assertThat(payout.getStatus()).isEqualTo(Payout.SUCCEEDED);
    }

    /** A 500 before anything was made, Durianpay lenient: "not found" (404) only fails it after the grace. */
    @Test
    void a500BeforeTheTransferIsFailedOnlyAfterNotFoundOutlastsTheGrace() {
        durianpay.strict = false;
        String account = account();
        durianpay.plan(account).transfer = TransferAnswer.HTTP_500_NOT_EXECUTED;
        String reference = submit(account, 130000);
        assertNeverFailedBefore(reference, 1_500);
        Payout payout = awaitFinal(reference);
        assertThat(payout.getStatus()).isEqualTo(Payout.FAILED);
        assertThat(payout.getReason()).containsIgnoringCase("no record");
        assertThat(durianpay.executions(account)).isZero();
    }

    /** The same with a status answered 200 and latestTransactionStatus 07 (not found). */
    @Test
    void aStatus07IsNotFoundAndFailsOnlyAfterTheGrace() {
        durianpay.strict = false;
        durianpay.notFound = DocumentDurianpay.NotFound.STATUS_07;
        String account = account();
        durianpay.plan(account).transfer = TransferAnswer.HTTP_500_NOT_EXECUTED;
        String reference = submit(account, 140000);
        assertNeverFailedBefore(reference, 1_500);
        Payout payout = awaitFinal(reference);
        assertThat(payout.getStatus()).isEqualTo(Payout.FAILED);
        assertThat(durianpay.executions(account)).isZero();
    }

    /**
     * The transfer's answer lost, then every status inquiry answered by a proxy's HTML 404 page: that
     * page is not Durianpay saying it has no record of the transfer, so the grace never runs out on
     * it; the payout waits, flagged for review, and the transfer is never sent again.
     */
    @Test
    void anHtml404PageForTheStatusIsNoEvidenceThatTheTransferFailed() {
        durianpay.strict = false;
        durianpay.statusHtmlPage = true;
        String account = account();
        Plan plan = durianpay.plan(account);
        plan.transfer = TransferAnswer.TIMEOUT_NOT_EXECUTED;
        plan.notifications = 0;
        String reference = submit(account, 135000);
        await().atMost(Duration.ofSeconds(15)).until(() -> ledger.find(reference).isReviewRequired());
        assertNeverFailedBefore(reference, 2_500); // past the not-found grace (2 s) once more
        assertThat(ledger.find(reference).getStatus()).isEqualTo(Payout.PENDING);
        assertThat(ledger.find(reference).getReason()).doesNotContain("no record");
        assertThat(durianpay.calls("/v1.0/transfer/status")).isPositive();
        assertThat(durianpay.transferRequests(account)).isEqualTo(1);
    }

    /** A 500 before anything was made, Durianpay strict: never FAILED on a guess; flagged for review. */
    @Test
    void a500BeforeTheTransferWithAStrictDurianpayIsNeverFailedOnAGuess() {
        String account = account();
        durianpay.plan(account).transfer = TransferAnswer.HTTP_500_NOT_EXECUTED;
        String reference = submit(account, 150000);
        await().atMost(Duration.ofSeconds(15)).until(() -> ledger.find(reference).isReviewRequired());
        assertThat(ledger.find(reference).getStatus()).isEqualTo(Payout.PENDING);
        assertThat(durianpay.transferRequests(account)).isEqualTo(1);
    }

    /** 409xx01: the partnerReferenceNo was used before; the transfer made then settles it, paid once. */
    @Test
    void aDuplicatePartnerReferenceIsNeverPaidTwice() {
        String account = account();
        Plan plan = durianpay.plan(account);
        plan.transfer = TransferAnswer.DUPLICATE_409;
        plan.settleMillis = 1_500;
        String reference = submit(account, 160000);
        assertNeverFailedBefore(reference, 1_000);
        Payout payout = awaitMadeOnce(reference, account);
        assertThat(payout.getStatus()).isEqualTo(Payout.SUCCEEDED);
    }

    /**
     * 409xx01 says Durianpay has a transfer under this partnerReferenceNo: a status inquiry that does
     * not find it yet (longer than the not-found grace) is no evidence that the money did not move.
     */
    @Test
    void aDuplicateWhoseStatusLagsIsNeverFailed() {
        durianpay.strict = false;
        String account = account();
        Plan plan = durianpay.plan(account);
        plan.transfer = TransferAnswer.DUPLICATE_409;
        plan.statusLagMillis = 3_000; // half as long again as the not-found grace
        plan.settleMillis = 3_500;
        String reference = submit(account, 165000);
        assertNeverFailedBefore(reference, 3_000);
        Payout payout = awaitFinal(reference);
        assertThat(payout.getStatus()).isEqualTo(Payout.SUCCEEDED);
        assertThat(durianpay.executions(account)).isEqualTo(1);
    }

    /**
     * A status inquiry refused for want of the referenceNo (which only the lost answer carried) is
     * not sent again at every reconcile round: the payout waits for the notification.
     */
    @Test
    void aStatusRefusedForWantOfTheReferenceNoIsNotAskedAgainAndAgain() {
        String account = account();
        durianpay.plan(account).transfer = TransferAnswer.TIMEOUT_NOT_EXECUTED;
        String reference = submit(account, 175000);
        await().atMost(Duration.ofSeconds(10)).until(() -> durianpay.refusedWithoutReferenceNo(account) > 0);
        assertNeverFailedBefore(reference, 3_000);
        assertThat(durianpay.refusedWithoutReferenceNo(account)).as("status inquiries refused in 3 s, callback-wait 1 s")
                .isLessThanOrEqualTo(5);
        assertThat(ledger.find(reference).getReason()).contains("notification");
    }

    /** The same with a lenient Durianpay and no notification: its status settles it. */
    @Test
    void aDuplicatePartnerReferenceIsSettledByStatus() {
        durianpay.strict = false;
        String account = account();
        Plan plan = durianpay.plan(account);
        plan.transfer = TransferAnswer.DUPLICATE_409;
        plan.notifications = 0;
        String reference = submit(account, 170000);
        Payout payout = awaitFinal(reference);
        assertThat(payout.getStatus()).isEqualTo(Payout.SUCCEEDED);
        assertThat(durianpay.executions(account)).isEqualTo(1);
    }

    // ---- helpers ----------------------------------------------------------------------------------

    /** The plan of a transfer answered 2021800 and never notified: only its status settles it. */
    Plan settledByStatusOnly(String account) {
        Plan plan = durianpay.plan(account);
        plan.transfer = TransferAnswer.ACCEPTED;
        plan.notifications = 0;
        return plan;
    }

    /** The payout's outcome as the API gives it. */
    com.fasterxml.jackson.databind.JsonNode outcome(String reference) throws java.io.IOException {
        return DocumentDurianpay.JSON.readTree(api.get("/api/payouts/" + reference).body());
    }

    static String account() {
        return "70" + ACCOUNTS.incrementAndGet();
    }

    /** Until the fake has recorded {@code count} deliveries (it records one once the gateway answered it). */
    void awaitDelivered(int count) {
        await().atMost(Duration.ofSeconds(5)).until(() -> durianpay.deliveries.size() >= count);
    }

    void assertNeverFailedBefore(String reference, long millis) {
        long until = System.currentTimeMillis() + millis;
        while (System.currentTimeMillis() < until) {
            Payout payout = ledger.find(reference);
            assertThat(payout == null ? Payout.PENDING : payout.getStatus()).as("before the outcome is known")
                    .isNotEqualTo(Payout.FAILED).isNotEqualTo(Payout.SUCCEEDED);
            try {
                Thread.sleep(50);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            }
        }
    }

    String submit(String account, long amount) {
        String reference = "dpdoc-" + REFERENCES.incrementAndGet();
        submitInstruction("{\"reference\":\"" + reference + "\",\"provider\":\"durianpay\",\"method\":\"ONLINE\","
                + "\"bankCode\":\"014\",\"accountNumber\":\"" + account + "\",\"amount\":" + amount + "}");
        return reference;
    }

    void submitInstruction(String instruction) {
        api.submit(instruction);
    }

    /**
     * The payout once final, after checking that it names the transfer Durianpay made, that the
     * transfer was made once and that it was sent once.
     */
    Payout awaitMadeOnce(String reference, String account) {
        Payout payout = awaitFinal(reference);
        assertThat(payout.getProviderReference()).isEqualTo(durianpay.transferTo(account).referenceNo);
        assertThat(durianpay.executions(account)).as("transfers made").isEqualTo(1);
        assertThat(durianpay.transferRequests(account)).as("transfers sent").isEqualTo(1);
        return payout;
    }

    Payout awaitFinal(String reference) {
        return api.awaitFinal(reference, 20);
    }
}
