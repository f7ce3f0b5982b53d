package id.camelpayouts.gateway;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.List;

import com.zaxxer.hikari.HikariDataSource;

import org.apache.camel.component.platform.http.vertx.VertxPlatformHttpServer;
import org.apache.camel.main.Main;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import id.camelpayouts.duitku.DuitkuSignature;
import id.camelpayouts.ledger.LedgerPolicy;
import id.camelpayouts.ledger.LedgerSchema;
import id.camelpayouts.ledger.Payout;
import id.camelpayouts.ledger.PayoutLedger;
import id.camelpayouts.twin.DuitkuTwin;
import id.camelpayouts.twin.TwinFault;

/**
 * A gateway stopped in the middle of a payout and started again on the same ledger finishes
 * it without paying twice. The twin runs on its own here (it outlives both gateways), which
 * also shows the gateway talking to any server that honours Duitku's document: only the base
 * URL and credentials are configured.
 */
class GatewayRestartTest {

    DuitkuTwin twin;
    String ledgerUrl;
    HikariDataSource database; // the test's own view of the ledger database, which outlives the gateways
    PayoutLedger ledger;
    Main gateway;

    @BeforeEach
    void startTwin() throws Exception {
        // "slow" = 3 s late: long enough for the gateway to be stopped (a second's graceful timeout)
        // while it waits, and each stop waits for the slow answer to come (then rejects it)
        twin = new DuitkuTwin(TestGateways.twinSettings(0, 3_000), Clock.systemUTC());
        twin.start();
        Path ledgerDir = Files.createTempDirectory(Path.of("target"), "restart-ledger");
        ledgerUrl = "jdbc:h2:file:" + ledgerDir.toAbsolutePath().resolve("ledger");
        database = new HikariDataSource();
        database.setJdbcUrl(ledgerUrl);
        LedgerSchema.apply(database);
        ledger = new PayoutLedger(database, Clock.systemUTC(), new LedgerPolicy(Duration.ZERO, Duration.ZERO,
                List.of(), Duration.ZERO, Duration.ZERO, Duration.ofDays(1)), "test-reader");
    }

    @AfterEach
    void stopAll() {
        if (gateway != null) {
            stopGateway();
        }
        twin.stop();
        database.close();
    }

    @Test
    void aTransferSentButUnansweredIsSettledByStatusInquiryAfterRestart() {
        twin.faults().next("transfersandbox", TwinFault.SLOW_AFTER); // executed, answer 3 s late
        gateway = start();
        submit("restart-1", "8760673566");
        await().atMost(Duration.ofSeconds(10)).until(() -> stage("restart-1") == Payout.Stage.TRANSFER_SENT);

        stopGateway(); // dies waiting for the answer
        assertThat(ledger().find("restart-1").getStatus()).isEqualTo(Payout.PENDING);

        gateway = start();
        await().atMost(Duration.ofSeconds(10)).until(() -> ledger().find("restart-1").isFinal());
        Payout payout = ledger().find("restart-1");
        assertThat(payout.getStatus()).isEqualTo(Payout.SUCCEEDED);
        assertThat(twin.transfersExecuted(payout.getProviderReference())).isEqualTo(1);
        assertThat(twin.transfersExecuted()).isEqualTo(1);
        assertThat(ledger().history("restart-1")).filteredOn(e -> e.contains("transfer sent")).hasSize(1);
    }

    @Test
    void aPayoutInterruptedDuringInquiryIsResumedAfterRestart() {
        twin.faults().next("inquirysandbox", TwinFault.SLOW_AFTER);
        gateway = start();
        submit("restart-2", "8760673566");
        await().atMost(Duration.ofSeconds(5)).until(() -> stage("restart-2") == Payout.Stage.NEW);
        stopGateway();
        assertThat(stage("restart-2")).isEqualTo(Payout.Stage.NEW);

        gateway = start();
        await().atMost(Duration.ofSeconds(15)).until(() -> ledger().find("restart-2").isFinal());
        Payout payout = ledger().find("restart-2");
        assertThat(payout.getStatus()).isEqualTo(Payout.SUCCEEDED);
        assertThat(twin.transfersExecuted()).isEqualTo(1);
    }

    /**
     * A failure claim is answered before it is confirmed: a gateway that dies right after answering
     * (its worker waiting for Duitku's status) leaves the payout PENDING, its claim on disk and due,
     * and the reconciler asks the status after the restart.
     */
    @Test
    void aFailureClaimAnsweredBeforeACrashIsConfirmedAfterRestart() throws Exception {
        gateway = start();
        submitInstruction("restart-3", DuitkuClearingAndCashOutTest.clearing("restart-3", "H2H", "009", "5550007101", 60_000_000));
        await().atMost(Duration.ofSeconds(10)).until(() -> ledger().find("restart-3") != null
                && "80".equals(ledger().find("restart-3").getResponseCode()));
        Payout waiting = ledger().find("restart-3");
        twin.faults().next("inquirystatus", TwinFault.SLOW_AFTER); // the worker's status call waits 3 s

        HttpResponse<String> answered = post("/callbacks/duitku/clearing", failureCallback(waiting));
        assertThat(answered.statusCode()).isEqualTo(200);
        assertThat(answered.body()).isEqualTo("SUCCESS");
        stopGateway(); // dies after answering, before the status is known
        Payout claimed = ledger().find("restart-3");
        assertThat(claimed.getStatus()).isEqualTo(Payout.PENDING);
        assertThat(claimed.getReason()).startsWith("Duitku's callback claims the transfer failed (01)");

        twin.sendClearingCallback(waiting.getProviderReference(), "01"); // the bank rejects it meanwhile
        gateway = start();
        await().atMost(Duration.ofSeconds(15)).until(() -> ledger().find("restart-3").isFinal());
        Payout failed = ledger().find("restart-3");
        assertThat(failed.getStatus()).isEqualTo(Payout.FAILED);
        assertThat(failed.getReason()).startsWith("Duitku reports the transfer failed");
    }

    /** Duitku's clearing callback for the payout saying 01 (failed), signed as Duitku signs it. */
    private static String failureCallback(Payout payout) {
        String account = payout.getInstruction().accountNumber();
        return "{\"disburseId\":\"" + payout.getProviderReference() + "\",\"userId\":4242,\"email\":\"ops@example.com\","
                + "\"bankCode\":\"009\",\"bankAccount\":\"" + account + "\",\"amountTransfer\":60000000.0,"
                + "\"accountName\":\"" + payout.getAccountName() + "\",\"custRefNumber\":\"" + payout.getCustRefNumber()
                + "\",\"statusCode\":\"01\",\"statusDesc\":\"Failed\",\"errorMessage\":\"\",\"signature\":\""
                + DuitkuSignature.sha256Hex("ops@example.com009" + account + payout.getAccountName()
                        + payout.getCustRefNumber() + "60000000" + payout.getProviderReference() + TestGateways.SECRET)
                + "\"}";
    }

    private Main start() {
        return TestGateways.start(TestGateways.settings(twin, ledgerUrl,
                Path.of(ledgerUrl.substring("jdbc:h2:file:".length())).getParent().toString()));
    }

    private void submit(String reference, String account) {
        submitInstruction(reference, GatewayTestSupport.instruction(reference, account, 50000));
    }

    private void submitInstruction(String reference, String instruction) {
        assertThat(post("/api/payouts", instruction).statusCode()).as(reference).isEqualTo(202);
    }

    private HttpResponse<String> post(String path, String body) {
        int port = gateway.getCamelContext().hasServices(VertxPlatformHttpServer.class).iterator().next()
                .getServer().actualPort();
        try {
            return HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path))
                    .header("X-API-Key", TestGateways.API_KEY).header("Content-Type", "application/json")
                    .POST(HttpRequest.BodyPublishers.ofString(body)).build(), HttpResponse.BodyHandlers.ofString());
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    private PayoutLedger ledger() {
        return ledger;
    }

    /** Stops the gateway without waiting for work in flight, as a crash would. */
    private void stopGateway() {
        TestGateways.crash(gateway);
        gateway = null;
    }

    private Payout.Stage stage(String reference) {
        Payout payout = ledger().find(reference);
        return payout == null ? null : payout.getStage();
    }
}
