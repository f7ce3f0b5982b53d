package id.camelpayouts;

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

    @BeanInject("durianpayTwin")
    DurianpayTwin durianpay;

    /** Routing rules under test: bank 451 (BSI) and amounts from Rp900,000,000 go to Durianpay. */
    DurianpayPayoutsTest() {
        System.setProperty("payouts.routing.durianpay-banks", "451");
        System.setProperty("payouts.routing.durianpay-from", "900000000");
    }

    @org.junit.jupiter.api.AfterAll
    void forgetRules() {
        System.clearProperty("payouts.routing.durianpay-banks");
        System.clearProperty("payouts.routing.durianpay-from");
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
        assertThat(failed.getReason()).startsWith("Durianpay has no record of the transfer");
        assertThat(durianpay.transfersExecuted(notSent)).isZero();

        durianpay.faults().next("/v1.0/transfer-interbank", TwinFault.DROP_AFTER);
        String sent = reference("dp-drop");
        post("/api/payouts", durianpayInstruction(sent, "1234567802", 50000));
        Payout succeeded = awaitFinal(sent);
        assertThat(succeeded.getStatus()).isEqualTo(Payout.SUCCEEDED);
        assertThat(durianpay.transfersExecuted(sent)).isEqualTo(1);
        assertThat(ledger.history(sent)).filteredOn(e -> e.contains("transfer sent")).hasSize(1);
    }

    @Test
    void forgedAndTamperedNotificationsAreRefusedAndChangeNothing() {
        durianpay.notifyTo(null); // hold back the twin's own notification
        try {
            String reference = reference("dp-forged");
            post("/api/payouts", durianpayInstruction(reference, "1234567804", 80000));
            await().atMost(Duration.ofSeconds(10)).until(() -> ledger.find(reference).getProviderReference() != null);
            Payout payout = ledger.find(reference);
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
        } finally {
            durianpay.notifyTo(uri("/callbacks/durianpay/v1.0/transfer-bank/notify").toString());
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
