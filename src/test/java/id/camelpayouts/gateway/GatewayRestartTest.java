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
        twin = new DuitkuTwin(TestGateways.twinSettings(0, 5_000), Clock.systemUTC()); // "slow" = 5 s late
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
        twin.faults().next("transfersandbox", TwinFault.SLOW_AFTER); // executed, answer 5 s late
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

    private Main start() {
        return TestGateways.start(TestGateways.settings(twin, ledgerUrl,
                Path.of(ledgerUrl.substring("jdbc:h2:file:".length())).getParent().toString()));
    }

    private void submit(String reference, String account) {
        int port = gateway.getCamelContext().hasServices(VertxPlatformHttpServer.class).iterator().next()
                .getServer().actualPort();
        try {
            HttpResponse<String> response = HttpClient.newHttpClient().send(HttpRequest
                    .newBuilder(URI.create("http://127.0.0.1:" + port + "/api/payouts"))
                    .header("X-API-Key", TestGateways.API_KEY)
                    .POST(HttpRequest.BodyPublishers.ofString(GatewayTestSupport.instruction(reference, account,
                            50000))).build(), HttpResponse.BodyHandlers.ofString());
            assertThat(response.statusCode()).isEqualTo(202);
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
