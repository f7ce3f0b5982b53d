package id.camelpayouts.gateway;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.net.http.HttpRequest;
import java.nio.file.Files;
import java.time.Duration;
import java.util.List;
import java.util.Map;

import org.apache.camel.BeanInject;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import id.camelpayouts.durianpay.PemKeys;
import id.camelpayouts.durianpay.SnapSignature;
import id.camelpayouts.ledger.Payout;
import id.camelpayouts.twin.DurianpayTwin;
import id.camelpayouts.twin.TwinFault;

class DurianpayPayoutsTest extends GatewayTestSupport {

    @BeanInject("payoutsDurianpayTwin")
    DurianpayTwin durianpay;

    /** Routing rules under test: bank 451 (BSI) and amounts from Rp900,000,000 go to Durianpay. */
    DurianpayPayoutsTest() {
        System.setProperty("payouts.durianpay-banks", "451");
        System.setProperty("payouts.durianpay-from", "900000000");
    }

    @org.junit.jupiter.api.AfterAll
    void forgetRules() {
        System.clearProperty("payouts.durianpay-banks");
        System.clearProperty("payouts.durianpay-from");
    }

    @AfterEach
    void noFaultsLeft() {
        durianpay.faults().clear();
    }

    @Test
    void theRoutingRulesChooseTheProviderWhenTheInstructionNamesNone() {
        String byBank = reference("rule-bank");
        String byAmount = reference("rule-amount");
        String byDefault = reference("rule-default");
        post("/api/payouts", "{\"reference\":\"" + byBank + "\",\"bankCode\":\"451\",\"accountNumber\":"
                + "\"1234567806\",\"amount\":50000}");
        post("/api/payouts", "{\"reference\":\"" + byAmount + "\",\"bankCode\":\"014\",\"accountNumber\":"
                + "\"1234567808\",\"amount\":900000000}");
        post("/api/payouts", instruction(byDefault, "8760673566", 50000));
        assertThat(awaitFinal(byBank).getProvider()).isEqualTo("durianpay");
        assertThat(awaitFinal(byAmount).getProvider()).isEqualTo("durianpay");
        assertThat(awaitFinal(byDefault).getProvider()).isEqualTo("duitku");
        assertThat(ledger.find(byBank).getStatus()).isEqualTo(Payout.SUCCEEDED);
    }

    static String durianpayInstruction(String reference, String account, long amount) {
        return "{\"reference\":\"" + reference + "\",\"provider\":\"durianpay\",\"bankCode\":\"014\","
                + "\"accountNumber\":\"" + account + "\",\"amount\":" + amount + "}";
    }

    @Test
    void aPayoutFromEachInputReachesSucceededByNotification() throws Exception {
        String api = reference("dp-api");
        String file = reference("dp-file");
        String jms = reference("dp-jms");
        assertThat(post("/api/payouts", durianpayInstruction(api, "1234567890", 150000)).status()).isEqualTo(202);
        Files.createDirectories(inbox);
        Files.writeString(inbox.resolve(".dp.csv.part"), "reference,provider,bankCode,accountNumber,amount\n"
                + file + ",durianpay,014,1234567892,175000\n");
        Files.move(inbox.resolve(".dp.csv.part"), inbox.resolve("dp-" + file + ".csv"));
        context.createProducerTemplate().sendBody("jms:queue:payouts.requests",
                durianpayInstruction(jms, "1234567894", 200000));

        for (String reference : List.of(api, file, jms)) {
            Payout payout = awaitFinal(reference);
            assertThat(payout.getStatus()).as(reference).isEqualTo(Payout.SUCCEEDED);
            assertThat(payout.getProvider()).isEqualTo("durianpay");
            assertThat(payout.getProviderReference()).startsWith("dis_item_");
            assertThat(payout.getInquiryAttempts()).as("2021600 first, then 2001600").isEqualTo(2);
            assertThat(ledger.history(reference)).last().asString().endsWith("succeeded by callback");
            assertThat(durianpay.transfersExecuted(reference)).isEqualTo(1);
        }
    }

    @Test
    void anOddAccountIsFailedAtInquiryWithTheReason() {
        String reference = reference("dp-odd");
        post("/api/payouts", durianpayInstruction(reference, "1234567891", 50000));
        Payout payout = awaitFinal(reference);
        assertThat(payout.getStatus()).isEqualTo(Payout.FAILED);
        assertThat(payout.getReason()).isEqualTo("Durianpay refused the account inquiry: Invalid Account (4041611)");
        assertThat(durianpay.transfersExecuted(reference)).isZero();
    }

    @Test
    void anExpiredTokenIsMintedAgainWithoutFailingThePayout() {
        String first = reference("dp-token");
        post("/api/payouts", durianpayInstruction(first, "1234567896", 50000));
        awaitFinal(first);
        int minted = durianpay.tokensIssued();
        durianpay.expireTokens();
        String second = reference("dp-token");
        post("/api/payouts", durianpayInstruction(second, "1234567898", 50000));
        assertThat(awaitFinal(second).getStatus()).isEqualTo(Payout.SUCCEEDED);
        assertThat(durianpay.tokensIssued()).isEqualTo(minted + 1);
    }

    @Test
    void aServerErrorOnTransferIsSettledByStatusAndNeverSentAgain() {
        durianpay.faults().next("/v1.0/transfer-interbank", TwinFault.HTTP_500_BEFORE);
        String notSent = reference("dp-500");
        post("/api/payouts", durianpayInstruction(notSent, "1234567800", 50000));
        Payout failed = awaitFinal(notSent);
        assertThat(failed.getStatus()).isEqualTo(Payout.FAILED);
        // Durianpay answers a status it has no record of with a bare 404, as its document shows
        assertThat(failed.getReason()).isEqualTo("Durianpay has no record of the transfer: HTTP 404 without a SNAP"
                + " response code");
        assertThat(durianpay.transfersExecuted(notSent)).isZero();

        durianpay.faults().next("/v1.0/transfer-interbank", TwinFault.DROP_AFTER);
        String sent = reference("dp-drop");
        post("/api/payouts", durianpayInstruction(sent, "1234567802", 50000));
        Payout succeeded = awaitFinal(sent);
        assertThat(succeeded.getStatus()).isEqualTo(Payout.SUCCEEDED);
        assertThat(durianpay.transfersExecuted(sent)).isEqualTo(1);
        assertThat(ledger.history(sent)).filteredOn(e -> e.contains("transfer sent")).hasSize(1);
    }

    /**
     * Runs {@code test} on a payout Durianpay accepted (its referenceNo known), with the twin's own
     * notification held back so that the test sends its own.
     */
    private void withAcceptedPayout(String label, String account, long amount, java.util.function.Consumer<Payout> test) {
        durianpay.notifyTo(null);
        try {
            String reference = reference(label);
            post("/api/payouts", durianpayInstruction(reference, account, amount));
            await().atMost(Duration.ofSeconds(10)).until(() -> ledger.find(reference).getProviderReference() != null);
            test.accept(ledger.find(reference));
        } finally {
            durianpay.notifyTo(uri("/callbacks/durianpay/v1.0/transfer-bank/notify").toString());
        }
    }

    @Test
    void forgedAndTamperedNotificationsAreRefusedAndChangeNothing() {
        withAcceptedPayout("dp-forged", "1234567804", 80000, payout -> {
            String reference = payout.getReference();
            String path = "/callbacks/durianpay/v1.0/transfer-bank/notify";
            String body = "{\"originalPartnerReferenceNo\":\"" + reference + "\",\"originalReferenceNo\":\""
                    + payout.getProviderReference() + "\",\"amount\":{\"value\":\"80000.00\",\"currency\":\"IDR\"},"
                    + "\"additionalInfo\":{\"latestTransactionStatus\":\"00\"}}";
            // within durianpay.notification-max-age of now, in the document's format (no milliseconds)
            java.time.format.DateTimeFormatter snap = java.time.format.DateTimeFormatter
                    .ofPattern("yyyy-MM-dd'T'HH:mm:ssXXX");
            java.time.OffsetDateTime now = java.time.OffsetDateTime.now(java.time.ZoneOffset.ofHours(7));
            String timestamp = snap.format(now);
            String forged = SnapSignature.sign(PemKeys.privateKey("classpath:twin/dev-keys/merchant-private.pem"),
                    SnapSignature.notificationText("POST", path, body, timestamp));
            String genuine = SnapSignature.sign(PemKeys.privateKey("classpath:twin/dev-keys/durianpay-private.pem"),
                    SnapSignature.notificationText("POST", path, body, timestamp));

            assertThat(notify(path, body, timestamp, forged).status()).isEqualTo(401);
            assertThat(notify(path, body.replace("80000.00", "8000000.00"), timestamp, genuine).status())
                    .isEqualTo(401);
            assertThat(notify(path, body, snap.format(now.plusSeconds(1)), genuine).status()).isEqualTo(401);
            assertThat(notify(path, body, timestamp, null).status()).isEqualTo(401);
            assertThat(ledger.find(reference).getStatus()).isEqualTo(Payout.PENDING);

            Response accepted = notify(path, body, timestamp, genuine);
            assertThat(accepted.status()).isEqualTo(200);
            assertThat(accepted.json()).containsEntry("responseCode", "2000000");
            assertThat(ledger.find(reference).getStatus()).isEqualTo(Payout.SUCCEEDED);
            assertThat(notify(path, body, timestamp, genuine).status()).as("a repeat").isEqualTo(200);
            assertThat(ledger.history(reference)).filteredOn(e -> e.startsWith("FINAL")).hasSize(1);
        });
    }

    /**
     * A failure notification is a claim, confirmed by the status inquiry; it is answered at once:
     * Durianpay (or a strict fake of it) may wait for this answer before it serves anything else, so
     * an inquiry made first would wait for our timeout. Here the first status answer comes only
     * after that timeout: the notification is answered promptly all the same and recorded once
     * however often it is repeated; the workers' inquiries then settle the payout by what
     * Durianpay's status says: failed for the account the bank refuses, success for one it pays.
     */
    @Test
    void aFailureNotificationIsAnsweredAtOnceAndTheWorkersConfirmItLater() {
        withAcceptedPayout("dp-claim-true", "1234567896", 70000, payout -> {
            durianpay.faults().next("/v1.0/transfer/status", TwinFault.SLOW_AFTER);
            long start = System.nanoTime();
            Response answered = signedNotification(payout, "06");
            Duration took = Duration.ofNanos(System.nanoTime() - start);
            assertThat(answered.status()).isEqualTo(200);
            assertThat(answered.json()).containsEntry("responseCode", "2000000");
            assertThat(took).as("answered without waiting for Durianpay's status (our timeout: 1.5 s)")
                    .isLessThan(Duration.ofMillis(1000));
            assertThat(signedNotification(payout, "06").status()).as("a repeat").isEqualTo(200);
            assertThat(ledger.history(payout.getReference()))
                    .filteredOn(e -> e.contains("confirming with Durianpay's status inquiry")).hasSize(1);

            Payout failed = awaitFinal(payout.getReference());
            assertThat(failed.getStatus()).isEqualTo(Payout.FAILED);
            assertThat(failed.getReason()).startsWith("Durianpay reports the transfer failed");
        });
        withAcceptedPayout("dp-claim-false", "1234567812", 70000, payout -> {
            assertThat(signedNotification(payout, "06").status()).isEqualTo(200);
            Payout settled = awaitFinal(payout.getReference());
            assertThat(settled.getStatus()).isEqualTo(Payout.SUCCEEDED);
            assertThat(ledger.history(payout.getReference()))
                    .filteredOn(e -> e.contains("confirming with Durianpay's status inquiry")).hasSize(1);
        });
    }

    /** Durianpay's transfer-bank.notify about the payout with this latestTransactionStatus, signed with its key. */
    private Response signedNotification(Payout payout, String status) {
        String path = "/callbacks/durianpay/v1.0/transfer-bank/notify";
        String body = "{\"originalPartnerReferenceNo\":\"" + payout.getReference() + "\",\"originalReferenceNo\":\""
                + payout.getProviderReference() + "\",\"amount\":{\"value\":\"" + payout.getInstruction().amount()
                + ".00\",\"currency\":\"IDR\"},\"additionalInfo\":{\"latestTransactionStatus\":\"" + status + "\"}}";
        String timestamp = java.time.OffsetDateTime.now(java.time.ZoneOffset.ofHours(7))
                .format(java.time.format.DateTimeFormatter.ofPattern("yyyy-MM-dd'T'HH:mm:ssXXX"));
        return notify(path, body, timestamp, SnapSignature.sign(
                PemKeys.privateKey("classpath:twin/dev-keys/durianpay-private.pem"),
                SnapSignature.notificationText("POST", path, body, timestamp)));
    }

    /**
     * A notification as Durianpay may sign it: over the path it appended to the URL registered with
     * it (not the receiver's whole path) and over the minified body, while the body it sends is laid
     * out with whitespace. It is genuine: applied (200), the payout settled once.
     */
    @Test
    void aNotificationSignedOverTheAppendedPathAndTheMinifiedBodyIsApplied() {
        withAcceptedPayout("dp-minified", "1234567812", 70000, payout -> {
            String reference = payout.getReference();
            String appended = "/v1.0/transfer-bank/notify";
            String sent = "{\n  \"originalReferenceNo\": \"" + payout.getProviderReference() + "\",\n"
                    + "  \"originalPartnerReferenceNo\": \"" + reference + "\",\n"
                    + "  \"responseCode\": \"2000000\",\n  \"responseMessage\": \"Request has been processed successfully\",\n"
                    + "  \"amount\": {\n    \"value\": \"70000.00\",\n    \"currency\": \"IDR\"\n  },\n"
                    + "  \"additionalInfo\": {\n    \"latestTransactionStatus\": \"00\",\n"
                    + "    \"transactionStatusDesc\": \"done\"\n  }\n}";
            String timestamp = java.time.OffsetDateTime.now(java.time.ZoneOffset.ofHours(7))
                    .format(java.time.format.DateTimeFormatter.ofPattern("yyyy-MM-dd'T'HH:mm:ssXXX"));
            String signature = SnapSignature.sign(PemKeys.privateKey("classpath:twin/dev-keys/durianpay-private.pem"),
                    SnapSignature.notificationText("POST", appended, SnapSignature.minify(sent), timestamp));

            Response answer = notify("/callbacks/durianpay" + appended, sent, timestamp, signature);
            assertThat(answer.status()).isEqualTo(200);
            assertThat(ledger.find(reference).getStatus()).isEqualTo(Payout.SUCCEEDED);
            assertThat(notify("/callbacks/durianpay/v1.0/other/notify", sent, timestamp, signature).status())
                    .as("the same signature at another path").isEqualTo(401);
        });
    }

    /**
     * Durianpay's documented scenarios of a transfer whose answer says nothing about the money: it
     * moved, then the answer was a 500, a 504, or none at all. Each is settled by the status
     * inquiry (asked by our reference alone: the account inquiry's referenceNo is not the
     * transfer's) and its notification, never sent again. Insufficient funds is a refusal: nothing moved.
     */
    @Test
    void aTransferWhoseAnswerSaysNothingIsSettledByStatusAndNotificationNeverResent() {
        Map<String, String> accounts = Map.of("dp-500-after", "1234560500", "dp-504-after", "1234560504",
                "dp-lost-after", "1234560408");
        Map<String, String> references = new java.util.LinkedHashMap<>();
        accounts.forEach((label, account) -> {
            String reference = reference(label);
            references.put(reference, account);
            post("/api/payouts", durianpayInstruction(reference, account, 60000));
        });
        String poor = reference("dp-insufficient");
        post("/api/payouts", durianpayInstruction(poor, "1234560014", 60000));

        for (String reference : references.keySet()) {
            Payout payout = awaitFinal(reference);
            assertThat(payout.getStatus()).as(reference).isEqualTo(Payout.SUCCEEDED);
            assertThat(payout.getProviderReference()).as("the transfer's referenceNo (status or notification)")
                    .startsWith("dis_item_");
            assertThat(durianpay.transfersExecuted(reference)).isEqualTo(1);
            assertThat(ledger.history(reference)).filteredOn(e -> e.contains("transfer sent")).hasSize(1);
        }
        Payout refused = awaitFinal(poor);
        assertThat(refused.getStatus()).isEqualTo(Payout.FAILED);
        assertThat(refused.getReason()).isEqualTo("Durianpay refused the transfer: Insufficient Funds (4031814)");
        assertThat(durianpay.transfersExecuted(poor)).isZero();
    }

    /** Durianpay's genuine word against a final status: kept final, recorded, flagged, counted; Durianpay gets 200. */
    @Test
    void lateEvidenceFromDurianpayIsRecordedAsAConflict() {
        String failed = reference("dp-late-success");
        post("/api/payouts", durianpayInstruction(failed, "1234567896", 70000)); // the bank refuses it: 06
        assertThat(awaitFinal(failed).getStatus()).isEqualTo(Payout.FAILED);
        String succeeded = reference("dp-late-failure");
        post("/api/payouts", durianpayInstruction(succeeded, "1234567810", 70000));
        assertThat(awaitFinal(succeeded).getStatus()).isEqualTo(Payout.SUCCEEDED);
        double before = conflicts();

        durianpay.sendNotification(failed, "00");
        durianpay.sendNotification(succeeded, "06");
        await().atMost(Duration.ofSeconds(10)).until(() -> ledger.find(failed).getConflict() != null
                && ledger.find(succeeded).getConflict() != null);

        assertThat(ledger.find(failed).getStatus()).isEqualTo(Payout.FAILED);
        assertThat(ledger.find(failed).getConflict()).isEqualTo("LATE_SUCCESS");
        assertThat(ledger.find(failed).isReviewRequired()).isTrue();
        assertThat(ledger.find(succeeded).getStatus()).isEqualTo(Payout.SUCCEEDED);
        assertThat(ledger.find(succeeded).getConflict()).isEqualTo("LATE_FAILURE");
        assertThat(get("/api/payouts/" + failed).json()).containsEntry("conflict", "LATE_SUCCESS")
                .containsEntry("status", "FAILED");
        assertThat(conflicts()).isEqualTo(before + 2);
    }

    private double conflicts() {
        io.micrometer.core.instrument.Counter counter = context.getRegistry()
                .findSingleByType(io.micrometer.core.instrument.MeterRegistry.class).find("payouts.conflicts")
                .tag("provider", "durianpay").counter();
        return counter == null ? 0 : counter.count();
    }

    /**
     * A notification signed with Durianpay's key may settle only a Durianpay payout whose transfer
     * was sent: never another provider's payout, never one nothing was sent for.
     */
    @Test
    void aSignedNotificationCannotSettleAPayoutWhoseTransferWasNeverSent() {
        String reference = reference("duitku-never-sent");
        ledger.submit(new id.camelpayouts.payout.InstructionParser().parse(Map.of("reference", reference,
                "provider", "duitku", "bankCode", "014", "accountNumber", "8760673566", "amount", 90000)).instruction());
        String path = "/callbacks/durianpay/v1.0/transfer-bank/notify";
        String body = "{\"originalPartnerReferenceNo\":\"" + reference + "\",\"amount\":{\"value\":\"90000.00\","
                + "\"currency\":\"IDR\"},\"additionalInfo\":{\"latestTransactionStatus\":\"00\"}}";
        String timestamp = java.time.OffsetDateTime.now(java.time.ZoneOffset.ofHours(7))
                .format(java.time.format.DateTimeFormatter.ofPattern("yyyy-MM-dd'T'HH:mm:ssXXX"));
        String signed = SnapSignature.sign(PemKeys.privateKey("classpath:twin/dev-keys/durianpay-private.pem"),
                SnapSignature.notificationText("POST", path, body, timestamp));

        assertThat(notify(path, body, timestamp, signed).status()).isEqualTo(404);
        Payout payout = ledger.find(reference);
        assertThat(payout.getStatus()).isEqualTo(Payout.PENDING);
        assertThat(payout.getStage()).isIn(Payout.Stage.NEW, Payout.Stage.INQUIRED);
    }

    /** The twin, like Durianpay, takes X-TIMESTAMP only as documented: 2024-05-14T18:54:57+07:00. */
    @Test
    void theTwinRefusesATimestampInAnyOtherFormat() {
        for (String timestamp : List.of("2026-06-03T17:00:00.000+07:00", "2026-06-03T10:00:00Z", "1780480800000")) {
            Response answer = send(HttpRequest.newBuilder(java.net.URI.create(durianpay.baseUrl()
                    + "/v1.0/access-token/b2b")).header("Content-Type", "application/json")
                    .header("X-CLIENT-KEY", "dev-client-key").header("X-TIMESTAMP", timestamp)
                    .header("X-SIGNATURE", "irrelevant")
                    .POST(HttpRequest.BodyPublishers.ofString("{\"grantType\":\"client_credentials\"}")));
            assertThat(answer.status()).as(timestamp).isEqualTo(400);
            assertThat(answer.json()).as(timestamp).containsEntry("responseCode", "4007301");
        }
    }

    @Test
    void theBalanceComesFromDurianpay() {
        Map<String, Object> balance = get("/api/balance?provider=durianpay").json();
        assertThat(balance).containsEntry("provider", "durianpay").containsEntry("responseCode", "2001100")
                .containsKey("accountInfos");
        assertThat(get("/api/banks?provider=durianpay").status()).isEqualTo(400);
    }

    private Response notify(String path, String body, String timestamp, String signature) {
        HttpRequest.Builder request = HttpRequest.newBuilder(uri(path)).header("Content-Type", "application/json")
                .header("X-TIMESTAMP", timestamp).POST(HttpRequest.BodyPublishers.ofString(body));
        if (signature != null) {
            request.header("X-SIGNATURE", signature);
        }
        return send(request);
    }
}
